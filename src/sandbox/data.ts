/**
 * Loading of the sandbox patients, once at startup, from three kinds of source:
 *  - the project's scenario patients (test/scenarios/*.json: Bundles of type collection, one Patient
 *    each, written relative to SCENARIO_REFERENCE_DATE and re-dated to today here);
 *  - the Synthea transaction bundles in ../shared/fhir-data/synthea (kept as published: not re-dated;
 *    their urn:uuid references are resolved to Type/id, as a FHIR server does on a transaction);
 *  - every Bundle JSON, single-resource JSON and NDJSON file in SANDBOX_DATA=<dir> (not re-dated).
 *
 * Resources are partitioned by patient (the patient compartment): each patient gets its own list,
 * and resources of types outside any patient compartment (Practitioner, Organization, Medication...)
 * go to a shared list. A resource of a patient-compartment type that names no resolvable patient is
 * dropped (counted, never shown): a result without a patient must not appear on anyone's chart.
 *
 * Bad files are skipped with one warning line naming the file and the reason — never its content.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { patientKeyOf, subjectReference } from '../clinical/subject';
import { DEFAULT_REFERENCE_DATE, daysSince, redate } from './redate';

export interface SandboxPatient {
  id: string;
  /** Display name ("Given Family"), from Patient.name; data, so always escaped when rendered. */
  name: string;
  gender?: string;
  birthDate?: string;
  /** Age in whole years on `today`, when birthDate is known. */
  age?: number;
  /** One line saying what the patient shows (scenario description, or a summary). */
  description: string;
  /** Source label: "scenario", "synthea" or "SANDBOX_DATA". */
  source: string;
  /** Number of resources in this patient's compartment. */
  resourceCount: number;
}

export interface LoadedData {
  patients: SandboxPatient[];
  /** Patient id → every resource in that patient's compartment (the Patient included). */
  byPatient: Map<string, FhirResource[]>;
  /** Resources outside any patient compartment. */
  shared: FhirResource[];
  warnings: string[];
  /** Number of sources (folders) that contributed at least one file. */
  sources: number;
  files: number;
  /** Compartment resources that named no patient of the data set's (dropped). */
  unattributed: number;
  /** Resources whose type the FHIR engine does not know (dropped). */
  unknownType: number;
}

export interface LoadOptions {
  /** Repository root (the folder with package.json). */
  root: string;
  /** Scenario folder; default <root>/test/scenarios. `false` skips it. */
  scenarioDir?: string | false;
  /** Synthea folder; default <root>/../shared/fhir-data/synthea. `false` skips it. */
  syntheaDir?: string | false;
  /** Extra folder (SANDBOX_DATA). */
  extraDir?: string;
  /** "Today" for re-dating and ages (tests pin it). */
  today?: Date;
  /** Reference date of the scenarios; default read from test/scenarios/index.ts, else 2026-06-01. */
  referenceDate?: string;
  /** Whether the FHIR engine knows a resource type. */
  isKnownType: (resourceType: string) => boolean;
  /** Whether a resource type belongs to the patient compartment (has a subject/patient search param). */
  isCompartmentType: (resourceType: string) => boolean;
}

interface ParsedFile {
  resources: FhirResource[];
  /** Optional one-line description found in the Bundle (meta.tag display). */
  description?: string;
}

/**
 * One-line titles of the scenario patients, keyed by patient id, read as text from
 * test/scenarios/index.ts (`patientId: '...', title: '...'`). Text only: the sandbox must not import
 * test code into the dev server.
 */
export function readScenarioTitles(scenarioDir: string): Map<string, string> {
  const titles = new Map<string, string>();
  const file = path.join(scenarioDir, 'index.ts');
  if (!fs.existsSync(file)) return titles;
  const text = fs.readFileSync(file, 'utf8');
  const re = /patientId:\s*(['"])([^'"]+)\1\s*,\s*title:\s*(['"])((?:(?!\3)[^\\]|\\.)*)\3/g;
  for (const m of text.matchAll(re)) {
    if (m[2] && m[4]) titles.set(m[2], m[4].replace(/\\(.)/g, '$1'));
  }
  return titles;
}

/** Reads SCENARIO_REFERENCE_DATE from test/scenarios/index.ts as text (no import: it may pull in test code). */
export function readScenarioReferenceDate(scenarioDir: string): string {
  for (const name of ['index.ts', 'index.js']) {
    const file = path.join(scenarioDir, name);
    if (!fs.existsSync(file)) continue;
    const m = /SCENARIO_REFERENCE_DATE[^=]*=\s*['"`](\d{4}-\d{2}-\d{2})['"`]/.exec(fs.readFileSync(file, 'utf8'));
    if (m?.[1]) return m[1];
  }
  return DEFAULT_REFERENCE_DATE;
}

export function loadSandboxData(opts: LoadOptions): LoadedData {
  const today = opts.today ?? new Date();
  const warnings: string[] = [];
  const byPatient = new Map<string, FhirResource[]>();
  const shared: FhirResource[] = [];
  const meta = new Map<string, { description?: string; source: string }>();
  let sources = 0;
  let files = 0;
  let unattributed = 0;
  let unknownType = 0;

  const scenarioDir = opts.scenarioDir === false ? undefined : (opts.scenarioDir ?? path.join(opts.root, 'test', 'scenarios'));
  const syntheaDir =
    opts.syntheaDir === false ? undefined : (opts.syntheaDir ?? path.resolve(opts.root, '..', 'shared', 'fhir-data', 'synthea'));

  const add = (parsed: ParsedFile, source: string): void => {
    for (const resource of parsed.resources) {
      if (!opts.isKnownType(resource.resourceType)) {
        unknownType++;
        continue;
      }
      let pid: string | undefined;
      if (resource.resourceType === 'Patient') {
        pid = resource.id;
        if (!pid) {
          unattributed++;
          continue;
        }
        const m = meta.get(pid);
        if (!m || (!m.description && parsed.description)) meta.set(pid, { description: parsed.description, source });
      } else if (opts.isCompartmentType(resource.resourceType)) {
        const ref = subjectReference(resource);
        const key = ref ? patientKeyOf(ref) : undefined;
        pid = key?.startsWith('Patient/') ? key.slice('Patient/'.length) : undefined;
        if (!pid) {
          unattributed++;
          continue;
        }
        // Like a server storing a reference to its own base: an absolute or versioned patient
        // reference is kept as the local `Patient/<id>`, so `patient=`/`subject=` searches find it.
        if (ref !== `Patient/${pid}`) normalisePatientReference(resource, pid);
      } else {
        shared.push(resource);
        continue;
      }
      let list = byPatient.get(pid);
      if (!list) byPatient.set(pid, (list = []));
      list.push(resource);
    }
  };

  const loadDir = (dir: string, source: string, shiftDays: number, quietNonFhir: boolean): void => {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      if (source === 'SANDBOX_DATA') warnings.push(`sandbox: SANDBOX_DATA folder ${dir} cannot be read; skipped`);
      return;
    }
    let used = false;
    for (const name of names) {
      if (!/\.(json|ndjson)$/i.test(name)) continue;
      const file = path.join(dir, name);
      try {
        if (!fs.statSync(file).isFile()) continue;
      } catch {
        continue;
      }
      const parsed = parseFile(file, quietNonFhir);
      if (parsed === 'ignore') continue;
      if (typeof parsed === 'string') {
        warnings.push(`sandbox: skipped ${file}: ${parsed}`);
        continue;
      }
      files++;
      used = true;
      if (shiftDays !== 0) parsed.resources = parsed.resources.map((r) => redate(r, shiftDays));
      add(parsed, source);
    }
    if (used) sources++;
  };

  let titles = new Map<string, string>();
  if (scenarioDir) {
    titles = readScenarioTitles(scenarioDir);
    const refDate = opts.referenceDate ?? readScenarioReferenceDate(scenarioDir);
    loadDir(scenarioDir, 'scenario', daysSince(refDate, today), true);
  }
  if (syntheaDir) loadDir(syntheaDir, 'synthea', 0, false);
  if (opts.extraDir) loadDir(path.resolve(opts.extraDir), 'SANDBOX_DATA', 0, false);

  const patients: SandboxPatient[] = [];
  for (const [id, list] of byPatient) {
    const patient = list.find((r): r is Patient => r.resourceType === 'Patient');
    if (!patient) continue; // results for a patient the data set does not contain: not launchable
    const m = meta.get(id);
    patients.push({
      id,
      name: displayName(patient),
      gender: patient.gender,
      birthDate: patient.birthDate,
      age: ageOn(patient.birthDate, today),
      description: titles.get(id) ?? m?.description ?? summarise(list, m?.source ?? 'data'),
      source: m?.source ?? 'data',
      resourceCount: list.length,
    });
  }
  // Scenario patients first (they are the ones made for this app), then by name.
  const rank = (s: string): number => (s === 'scenario' ? 0 : s === 'synthea' ? 1 : 2);
  patients.sort((a, b) => rank(a.source) - rank(b.source) || a.name.localeCompare(b.name));
  return { patients, byPatient, shared, warnings, sources, files, unattributed, unknownType };
}

/** Parses one file into resources, or returns the reason it is unusable (never its content). */
function parseFile(file: string, quietNonFhir: boolean): ParsedFile | string | 'ignore' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  if (/\.ndjson$/i.test(file)) {
    const resources: FhirResource[] = [];
    const lines = text.split('\n');
    let bad = 0;
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as unknown;
        if (isResource(r)) resources.push(r);
        else bad++;
      } catch {
        bad++;
      }
    }
    if (resources.length === 0) return bad ? `no FHIR resource on any line (${bad} unreadable lines)` : 'empty file';
    return { resources };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  if (!isResource(json)) return quietNonFhir ? 'ignore' : 'not a FHIR resource (no resourceType)';
  if (json.resourceType !== 'Bundle') return { resources: [json] };
  const bundle = json as Bundle;
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  const resources = resolveBundle(bundle, entries);
  if (resources.length === 0) return 'Bundle without resources';
  const tag = bundle.meta?.tag?.find((t) => typeof t.display === 'string' && t.display.trim() !== '');
  return { resources, description: tag?.display?.trim() };
}

function isResource(x: unknown): x is FhirResource {
  return !!x && typeof x === 'object' && !Array.isArray(x) && typeof (x as { resourceType?: unknown }).resourceType === 'string';
}

/**
 * Turns a Bundle's entries into stored resources, resolving `urn:uuid:`/`urn:oid:` fullUrls the way a
 * server processes a transaction: every entry gets an id (its own, else the uuid of its fullUrl) and
 * every reference to a fullUrl is rewritten to `Type/id`.
 */
function resolveBundle(bundle: Bundle, entries: NonNullable<Bundle['entry']>): FhirResource[] {
  const map = new Map<string, string>();
  const resources: FhirResource[] = [];
  for (const e of entries) {
    const r = e?.resource;
    if (!isResource(r)) continue;
    const full = typeof e.fullUrl === 'string' ? e.fullUrl : undefined;
    if (!r.id && full?.startsWith('urn:uuid:')) r.id = full.slice('urn:uuid:'.length);
    if (full && r.id && (full.startsWith('urn:') || bundle.type === 'transaction' || bundle.type === 'batch')) {
      map.set(full, `${r.resourceType}/${r.id}`);
    }
    resources.push(r);
  }
  if (map.size === 0) return resources;
  return resources.map((r) => rewriteReferences(r, map) as FhirResource);
}

function rewriteReferences(node: unknown, map: Map<string, string>): unknown {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = rewriteReferences(node[i], map);
    return node;
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const v = o[k];
      if (k === 'reference' && typeof v === 'string') {
        const to = map.get(v);
        if (to) o[k] = to;
      } else if (v && typeof v === 'object') {
        rewriteReferences(v, map);
      }
    }
  }
  return node;
}

function normalisePatientReference(resource: FhirResource, pid: string): void {
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  if (r.subject?.reference) r.subject = { ...r.subject, reference: `Patient/${pid}` };
  else if (r.patient?.reference) r.patient = { ...r.patient, reference: `Patient/${pid}` };
}

export function displayName(p: Patient): string {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  if (!n) return 'Unnamed patient';
  if (n.text && n.text.trim()) return n.text.trim();
  const given = (n.given ?? []).join(' ');
  const s = `${given} ${n.family ?? ''}`.replace(/\s+/g, ' ').trim();
  return s || 'Unnamed patient';
}

export function ageOn(birthDate: string | undefined, today: Date): number | undefined {
  const m = birthDate ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate) : null;
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? 1);
  const d = Number(m[3] ?? 1);
  let age = today.getUTCFullYear() - y;
  if (today.getUTCMonth() + 1 < mo || (today.getUTCMonth() + 1 === mo && today.getUTCDate() < d)) age--;
  return age >= 0 ? age : undefined;
}

function summarise(list: FhirResource[], source: string): string {
  const counts = new Map<string, number>();
  for (const r of list) counts.set(r.resourceType, (counts.get(r.resourceType) ?? 0) + 1);
  const obs = counts.get('Observation') ?? 0;
  const cond = counts.get('Condition') ?? 0;
  const label = source === 'synthea' ? 'Synthea sample patient' : source === 'SANDBOX_DATA' ? 'Patient from SANDBOX_DATA' : 'Patient';
  return `${label}: ${obs} observations, ${cond} conditions, ${list.length} resources`;
}
