/**
 * Shared helpers for the vendor-shape and hostile-data tests (test/vendor, test/hostile):
 * reading the shared captures (`{_request:{url,status}, body}`), turning a searchset into the
 * engine's input the way the data layer does (entries with search.mode `outcome` skipped), and
 * validating an Evaluation against ../shared/contracts/evaluation.schema.json.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { Bundle, FhirResource, Observation, Patient } from 'fhir/r4';
import { expect } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import type { Evaluation, EvaluationInput, ItemResult } from '../../src/clinical/index';

export const REPO_ROOT = resolve(__dirname, '../..');
export const SHARED = resolve(REPO_ROOT, '../shared');
export const FHIR_DATA = resolve(SHARED, 'fhir-data');
export const VENDOR = resolve(FHIR_DATA, 'vendor');
export const US_CORE = resolve(FHIR_DATA, 'us-core');
export const SYNTHEA = resolve(FHIR_DATA, 'synthea');

const SCHEMA = JSON.parse(readFileSync(resolve(SHARED, 'contracts/evaluation.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validateSchema = ajv.compile(SCHEMA);

export interface Capture {
  url: string;
  status: number;
  body: FhirResource;
}

/** A vendor capture file (`{_request, body}`), or a plain resource file (US Core examples). */
export function readCapture(path: string): Capture {
  const j = JSON.parse(readFileSync(path, 'utf8')) as { _request?: { url: string; status: number }; body?: FhirResource };
  if (j._request && j.body) return { url: j._request.url, status: j._request.status, body: j.body };
  return { url: '', status: 200, body: j as unknown as FhirResource };
}

/**
 * What the data layer hands to the engine from one answer: a searchset's entry resources without
 * the OperationOutcome entries (search.mode `outcome`), or the single resource itself.
 */
export function resourcesOf(body: FhirResource): FhirResource[] {
  if (body.resourceType !== 'Bundle') return [body];
  return ((body as Bundle).entry ?? [])
    .filter((e) => e.search?.mode !== 'outcome' && e.resource)
    .map((e) => e.resource as FhirResource);
}

/** The Patient of a capture, or a synthesized one (id only: no birth date, no sex) when none was captured. */
export function patientOf(path: string | undefined, id: string): Patient {
  if (path) {
    const p = readCapture(path).body as Patient;
    expect(p.resourceType).toBe('Patient');
    expect(p.id).toBe(id);
    return p;
  }
  return { resourceType: 'Patient', id };
}

/**
 * Schema check of what the headless evaluator would print (JSON round trip, where NaN/Infinity
 * would become null), plus a walk that refuses any non-finite number in the object itself.
 */
export function expectSchemaValid(ev: Evaluation): void {
  const json = JSON.parse(JSON.stringify(ev)) as unknown;
  const ok = validateSchema(json);
  if (!ok) throw new Error(`schema: ${ajv.errorsText(validateSchema.errors)}`);
  const walk = (x: unknown, path: string): void => {
    if (typeof x === 'number' && !Number.isFinite(x)) throw new Error(`non-finite number at ${path}`);
    if (x && typeof x === 'object') for (const [k, v] of Object.entries(x)) walk(v, `${path}.${k}`);
  };
  walk(ev, '$');
}

export function item(ev: Evaluation, id: string): ItemResult {
  const i = ev.items.find((x) => x.id === id);
  if (!i) throw new Error(`no item ${id}`);
  return i;
}

export const sources = (src: string | string[] | undefined): string[] => (src === undefined ? [] : Array.isArray(src) ? src : [src]);

/** Every reference the output names as a source (items' latest and history, findings' evidence, risk factors). */
export function allSources(ev: Evaluation): string[] {
  const out: string[] = [];
  for (const i of ev.items) {
    if (i.latest) out.push(...sources(i.latest.source));
    for (const h of i.history) out.push(...sources(h.source));
  }
  for (const f of ev.findings) out.push(...f.evidence);
  for (const r of ev.riskFactors) out.push(r.source);
  return out;
}

/** Evaluate and check the schema in one go. */
export function evalChecked(input: EvaluationInput): Evaluation {
  const ev = evaluate(input);
  expectSchemaValid(ev);
  return ev;
}

/**
 * Clinical-safety invariant: an item may only be `normal` when its latest result is numerically
 * inside the range stated in the output (comparator taken into account), or when it is a
 * qualitative "done" result. Returns a list of violations (empty = fine).
 */
export function falseNormals(ev: Evaluation): string[] {
  const bad: string[] = [];
  for (const i of ev.items) {
    if (i.status !== 'normal') continue;
    const l = i.latest;
    if (!l) {
      bad.push(`${i.id}: normal without a latest result`);
      continue;
    }
    if (l.flag !== 'normal') bad.push(`${i.id}: normal but latest flag ${String(l.flag)}`);
    if (typeof l.value === 'number') {
      if (!Number.isFinite(l.value)) bad.push(`${i.id}: normal with a non-finite value`);
      const r = i.range;
      if (!r) {
        bad.push(`${i.id}: numeric normal without a stated range`);
        continue;
      }
      if (r.low === undefined && r.high === undefined) {
        // only an interpretation code ("N") without any bound: acceptable, the lab said normal
        if (r.source !== 'interpretation') bad.push(`${i.id}: numeric normal with a range that has no bounds`);
        continue;
      }
      const v = l.value;
      const c = l.comparator;
      // "<0.5" is below 0.5: inside only when the whole open interval is inside
      const lowOk = r.low === undefined || (c === '<' || c === '<=' ? false : v >= r.low - 1e-9);
      const highOk = r.high === undefined || (c === '>' || c === '>=' ? false : v <= r.high + 1e-9);
      if (!(lowOk && highOk)) bad.push(`${i.id}: normal but ${c ?? ''}${v} outside ${r.low}–${r.high}`);
    } else if (typeof l.value !== 'string') {
      bad.push(`${i.id}: normal without a value`);
    }
  }
  return bad;
}

export type { Observation };
