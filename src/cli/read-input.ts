/**
 * Loading the headless evaluator's input: a FHIR R4 Bundle file, or a folder of Bulk Data NDJSON
 * files, turned into one `{patient, resources}` group per Patient.
 *
 * Attribution uses src/clinical/subject.ts (`patientKeys`/`belongsTo`): a resource is given to a
 * patient only when its subject/patient reference names that patient. A resource that names no
 * patient, or another patient, is never attributed (a wrong-patient result is worse than a missing
 * one). Only counts of such resources are reported, never their content.
 *
 * Privacy: nothing here writes anywhere. Warnings go back to the caller as plain words with counts
 * only (no ids, names, values, and not the input path, which may itself be a patient's name).
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Bundle, BundleEntry, FhirResource, Patient } from 'fhir/r4';
import { CLINICAL_RESOURCE_TYPES, type ClinicalResourceType } from '../clinical/model';
import { belongsTo, patientKeyOf, patientKeys, subjectReference, withReportSubjects } from '../clinical/subject';

/** Input that cannot be evaluated at all: the evaluator prints the message as one line and exits 2. */
export class UnusableInputError extends Error {
  override name = 'UnusableInputError';
}

export interface PatientGroup {
  patient: Patient;
  /** The resources attributed to this patient (clinical types only). */
  resources: FhirResource[];
}

export interface LoadedInput {
  kind: 'bundle' | 'ndjson';
  patients: PatientGroup[];
  /** Plain-words warnings without patient data (counts only). */
  warnings: string[];
}

/**
 * Bundle types accepted. Decision: besides the four named by the issue (collection, searchset,
 * transaction, batch-response), also batch, transaction-response and document, which carry
 * resources the same way, and message: an NHS pathology result arrives as a Bundle of type
 * `message` (MessageHeader first, then the Patient, the reports with their `result` references, the
 * Observations; reference section 1b). `history` is refused: it holds superseded versions and
 * deletions.
 */
const BUNDLE_TYPES = new Set(['collection', 'searchset', 'transaction', 'batch', 'transaction-response', 'batch-response', 'document', 'message']);

const CLINICAL = new Set<string>(CLINICAL_RESOURCE_TYPES);

function isClinical(r: FhirResource): boolean {
  return CLINICAL.has(r.resourceType as ClinicalResourceType);
}

/**
 * Medication resources name no patient: they are kept apart and given to each patient whose
 * MedicationRequest or MedicationStatement references them (`medicationReference`), so that a
 * product coded only on the Medication (a loop diuretic, vitamin D) is still recognised.
 */
function giveMedications(groups: PatientGroup[], meds: readonly FhirResource[]): void {
  if (meds.length === 0) return;
  const byId = new Map<string, FhirResource>();
  for (const m of meds) if (typeof m.id === 'string') byId.set(m.id, m);
  for (const g of groups) {
    const wanted = new Set<FhirResource>();
    for (const r of g.resources) {
      const ref = (r as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
      const id = typeof ref === 'string' ? /(?:^|\/)Medication\/([^/]+)$/.exec(ref.trim())?.[1] ?? ref.trim() : undefined;
      const med = id !== undefined ? byId.get(id) : undefined;
      if (med) wanted.add(med);
    }
    g.resources.push(...wanted);
  }
}

function isResource(x: unknown): x is FhirResource {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { resourceType?: unknown }).resourceType === 'string';
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Reads the input path (a Bundle JSON file or an NDJSON folder). Throws UnusableInputError. */
export async function readInput(path: string): Promise<LoadedInput> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw new UnusableInputError(`cannot read the input (${fsReason(e)})`);
  }
  if (info.isDirectory()) return readNdjsonFolder(path);
  if (!info.isFile()) throw new UnusableInputError('the input is neither a file nor a folder');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UnusableInputError(`cannot read the input file (${fsReason(e)})`);
  }
  return readBundleText(text);
}

function fsReason(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'not a folder';
    default:
      return code ?? 'read error';
  }
}

// ---------------------------------------------------------------------------------------------
// Bundle files

/** Parses a Bundle's JSON text and groups it by patient. Throws UnusableInputError. */
export function readBundleText(text: string): LoadedInput {
  if (text.trim() === '') throw new UnusableInputError('the input file is empty');
  let json: unknown;
  try {
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new UnusableInputError('the input file is not valid JSON');
  }
  if (!isResource(json)) throw new UnusableInputError('the input is not a FHIR resource (no resourceType)');
  if (json.resourceType !== 'Bundle') {
    throw new UnusableInputError(`the input is a FHIR ${safeType(json.resourceType)}, not a Bundle`);
  }
  return groupBundle(json as Bundle);
}

function safeType(t: string): string {
  return /^[A-Z][A-Za-z]{1,63}$/.test(t) ? t : 'resource';
}

/** Groups the resources of a parsed Bundle by patient. Throws UnusableInputError. */
export function groupBundle(bundle: Bundle): LoadedInput {
  const warnings: string[] = [];
  if (!BUNDLE_TYPES.has(String(bundle.type))) {
    const t = typeof bundle.type === 'string' && /^[a-z-]{1,30}$/.test(bundle.type) ? `"${bundle.type}"` : '(missing or invalid)';
    throw new UnusableInputError(`unsupported Bundle type ${t} (expected collection, searchset, transaction, batch-response, message)`);
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) throw new UnusableInputError('the Bundle has no entry list');
  const flat: Array<{ resource: FhirResource; fullUrl?: string }> = [];
  const counts = { outcome: 0, failed: 0, deleted: 0, noResource: 0 };
  flattenEntries(bundle, flat, counts, 0);

  resolveBundleReferences(flat);
  if (bundle.type === 'message') {
    if (flat[0]?.resource.resourceType !== 'MessageHeader') warnings.push('a message Bundle whose first entry is not a MessageHeader (read as a collection)');
    const attributed = withReportSubjects(flat.map((f) => f.resource));
    attributed.forEach((r, i) => (flat[i]!.resource = r));
  }

  const patients: Array<{ patient: Patient; fullUrl?: string }> = [];
  const others: FhirResource[] = [];
  const meds: FhirResource[] = [];
  for (const { resource, fullUrl } of flat) {
    if (resource.resourceType === 'Patient') patients.push({ patient: resource as Patient, fullUrl });
    else if (resource.resourceType === 'Medication') meds.push(resource);
    else if (isClinical(resource)) others.push(resource);
  }
  if (patients.length === 0) throw new UnusableInputError('no Patient resource in the Bundle');

  const { groups, unattributed, duplicatePatients, noId } = attribute(patients, others);
  giveMedications(groups, meds);
  if (noId > 0) warnings.push(`${plural(noId, 'Patient')} without id left out (nothing can be attributed to ${noId === 1 ? 'it' : 'them'})`);
  if (counts.failed > 0) warnings.push(`${plural(counts.failed, 'entry', 'entries')} with a failed response status skipped`);
  if (counts.deleted > 0) warnings.push(`${plural(counts.deleted, 'DELETE entry', 'DELETE entries')} skipped`);
  if (unattributed > 0) warnings.push(`${plural(unattributed, 'clinical resource')} not naming a patient of this Bundle ignored`);
  if (duplicatePatients > 0) warnings.push(`${plural(duplicatePatients, 'duplicate Patient')} ignored`);
  return { kind: 'bundle', patients: groups, warnings };
}

/**
 * Entries to resources. Skips: search.mode = outcome (OperationOutcome of a searchset), entries of a
 * batch/transaction response whose status is not 2xx, DELETE requests, entries without a resource,
 * OperationOutcomes. A batch-response entry may hold a searchset Bundle (the answer to a GET search):
 * its entries are read too (nesting limited to 3 levels).
 */
function flattenEntries(
  bundle: Bundle,
  out: Array<{ resource: FhirResource; fullUrl?: string }>,
  counts: { outcome: number; failed: number; deleted: number; noResource: number },
  depth: number,
): void {
  for (const entry of bundle.entry ?? []) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as BundleEntry;
    if (e.search?.mode === 'outcome') {
      counts.outcome++;
      continue;
    }
    const status = e.response?.status;
    if (typeof status === 'string' && !/^\s*2\d\d/.test(status)) {
      counts.failed++;
      continue;
    }
    if (e.request?.method === 'DELETE') {
      counts.deleted++;
      continue;
    }
    const r = e.resource;
    if (!isResource(r)) {
      counts.noResource++;
      continue;
    }
    if (r.resourceType === 'OperationOutcome') continue;
    if (r.resourceType === 'Bundle') {
      if (depth < 3) flattenEntries(r as Bundle, out, counts, depth + 1);
      continue;
    }
    out.push({ resource: r, fullUrl: typeof e.fullUrl === 'string' ? e.fullUrl : undefined });
  }
}

/**
 * Resolves `urn:uuid:`/`urn:oid:` references the way a FHIR server processing the Bundle would:
 * each entry whose fullUrl is a urn gets the identity `<type>/<id>` (its own id, or the id named by
 * a PUT request url, or else the urn's uuid as the new id), and every reference to that urn inside
 * the Bundle is rewritten to it. Resources are shallow-copied before rewriting (the input is not
 * mutated). References to urns that no entry carries are left as they are (they name nobody).
 */
function resolveBundleReferences(flat: Array<{ resource: FhirResource; fullUrl?: string }>): void {
  const map = new Map<string, string>();
  for (const item of flat) {
    const url = item.fullUrl?.trim();
    if (!url || !/^urn:(uuid|oid):/i.test(url)) continue;
    let id = item.resource.id;
    if (typeof id !== 'string' || id === '') {
      id = url.replace(/^urn:(uuid|oid):/i, '');
      item.resource = { ...item.resource, id } as FhirResource;
    }
    map.set(url.toLowerCase(), `${item.resource.resourceType}/${id}`);
  }
  if (map.size === 0) return;
  for (const item of flat) item.resource = rewrite(item.resource, map, 0) as FhirResource;
}

function rewrite(node: unknown, map: Map<string, string>, depth: number): unknown {
  if (depth > 64 || typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    let changed = false;
    const out = node.map((x) => {
      const y = rewrite(x, map, depth + 1);
      if (y !== x) changed = true;
      return y;
    });
    return changed ? out : node;
  }
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(node)) {
    let nv: unknown = v;
    if (k === 'reference' && typeof v === 'string') {
      const target = map.get(v.trim().toLowerCase());
      if (target) nv = target;
    } else if (typeof v === 'object' && v !== null) {
      nv = rewrite(v, map, depth + 1);
    }
    if (nv !== v) {
      copy ??= { ...(node as Record<string, unknown>) };
      copy[k] = nv;
    }
  }
  return copy ?? node;
}

/** Gives each clinical resource to the patient its subject names; counts the rest. */
function attribute(
  patients: Array<{ patient: Patient; fullUrl?: string }>,
  others: FhirResource[],
): { groups: PatientGroup[]; unattributed: number; duplicatePatients: number; noId: number } {
  const groups: PatientGroup[] = [];
  const keysOf: Array<Set<string>> = [];
  const seen = new Set<string>();
  let duplicatePatients = 0;
  let noId = 0;
  for (const entry of patients) {
    let { patient } = entry;
    const { fullUrl } = entry;
    // A Patient without id takes the id its fullUrl names (".../Patient/123"); with neither, no
    // resource could ever be attributed to it and its panel would read "missing" everywhere, which
    // is false: it is left out (and counted).
    if (!patient.id && fullUrl) {
      const m = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(fullUrl.trim());
      if (m) patient = { ...patient, id: m[1] };
    }
    if (!patient.id) {
      noId++;
      continue;
    }
    const keys = patientKeys(patient, fullUrl);
    const main = `Patient/${patient.id}`;
    if (seen.has(main)) {
      duplicatePatients++;
      continue;
    }
    seen.add(main);
    groups.push({ patient, resources: [] });
    keysOf.push(keys);
  }
  if (groups.length === 0 && noId > 0) throw new UnusableInputError('the Patient has no id, so no resource can be attributed to it');
  let unattributed = 0;
  for (const r of others) {
    // A resource belongs to the first (normally the only) patient whose keys its subject names.
    const i = keysOf.findIndex((keys) => belongsTo(r, keys));
    if (i < 0) unattributed++;
    else groups[i]!.resources.push(r);
  }
  return { groups, unattributed, duplicatePatients, noId };
}

// ---------------------------------------------------------------------------------------------
// Bulk Data NDJSON folders

/** Bulk Data file names are resource types (`Observation.ndjson`, `Observation.2.ndjson`, `1.Observation.ndjson`). */
function safeFileName(name: string): string {
  return /^[A-Za-z0-9]+([._-][A-Za-z0-9]+)*\.ndjson$/.test(name) && name.length <= 64 ? name : 'an NDJSON file';
}

/**
 * Reads every `*.ndjson` file of the folder line by line (readline: a file of any size is never
 * held as one string), keeping only Patients and clinical resources, grouped by the patient key
 * their subject names. Bad lines (not JSON, not a resource) are skipped and counted.
 */
export async function readNdjsonFolder(dir: string): Promise<LoadedInput> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.ndjson')).sort();
  } catch (e) {
    throw new UnusableInputError(`cannot read the input folder (${fsReason(e)})`);
  }
  if (names.length === 0) throw new UnusableInputError('the input folder holds no .ndjson files');

  const warnings: string[] = [];
  const patients: Array<{ patient: Patient; fullUrl?: string }> = [];
  const byKey = new Map<string, FhirResource[]>();
  const meds: FhirResource[] = [];
  let badLines = 0;
  let firstBad: string | undefined;
  let noSubject = 0;
  let unreadableFiles = 0;

  for (const name of names) {
    const file = join(dir, name);
    let lineNo = 0;
    try {
      const rl = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      for await (const raw of rl) {
        lineNo++;
        const line = lineNo === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
        if (line.trim() === '') continue;
        let json: unknown;
        try {
          json = JSON.parse(line);
        } catch {
          json = undefined;
        }
        if (!isResource(json)) {
          badLines++;
          firstBad ??= `${safeFileName(basename(name))} line ${lineNo}`;
          continue;
        }
        if (json.resourceType === 'Patient') {
          patients.push({ patient: json as Patient });
          continue;
        }
        if (json.resourceType === 'Medication') {
          meds.push(json);
          continue;
        }
        if (!isClinical(json)) continue;
        const ref = subjectReference(json);
        const key = ref ? patientKeyOf(ref) : undefined;
        if (!key) {
          noSubject++;
          continue;
        }
        let list = byKey.get(key);
        if (!list) byKey.set(key, (list = []));
        list.push(json);
      }
    } catch {
      // A file that cannot be read (permissions, vanished, not UTF-8 text...): skip it, keep the rest.
      unreadableFiles++;
    }
  }

  if (patients.length === 0) throw new UnusableInputError('no Patient resource in the input folder');

  const groups: PatientGroup[] = [];
  const used = new Set<string>();
  let duplicatePatients = 0;
  let noId = 0;
  for (const { patient } of patients) {
    if (typeof patient.id !== 'string' || patient.id === '') {
      noId++;
      continue;
    }
    const keys = patientKeys(patient);
    const main = [...keys][0];
    if (main && used.has(main)) {
      duplicatePatients++;
      continue;
    }
    const resources: FhirResource[] = [];
    for (const k of keys) {
      if (used.has(k)) continue;
      used.add(k);
      const list = byKey.get(k);
      if (!list) continue;
      // belongsTo re-checks every resource (the same rule as the engine's).
      for (const r of list) if (belongsTo(r, keys)) resources.push(r);
    }
    groups.push({ patient, resources });
  }
  if (groups.length === 0) throw new UnusableInputError('no Patient with an id in the input folder');
  giveMedications(groups, meds);
  let otherPatients = 0;
  for (const [k, list] of byKey) if (!used.has(k)) otherPatients += list.length;

  if (badLines > 0) warnings.push(`${plural(badLines, 'NDJSON line')} skipped (not a JSON FHIR resource; first: ${firstBad})`);
  if (unreadableFiles > 0) warnings.push(`${plural(unreadableFiles, 'NDJSON file')} could not be read and ${unreadableFiles === 1 ? 'was' : 'were'} skipped`);
  if (noSubject > 0) warnings.push(`${plural(noSubject, 'clinical resource')} naming no patient ignored`);
  if (otherPatients > 0) warnings.push(`${plural(otherPatients, 'clinical resource')} naming a patient absent from the folder ignored`);
  if (duplicatePatients > 0) warnings.push(`${plural(duplicatePatients, 'duplicate Patient')} ignored`);
  if (noId > 0) warnings.push(`${plural(noId, 'Patient')} without id left out (nothing can be attributed to ${noId === 1 ? 'it' : 'them'})`);
  return { kind: 'ndjson', patients: groups, warnings };
}
