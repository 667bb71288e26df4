/**
 * Garbage at any depth of real resources (the scenario bundles and a Synthea patient): evaluate()
 * never throws, its output is finite JSON that validates against the evaluator schema, and no item
 * is `normal` unless its latest result is consistent with the range stated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { evaluate, type Evaluation } from '../../../src/clinical/index';

const SCN = new URL('../../scenarios/', import.meta.url);
const bundles: Bundle[] = readdirSync(SCN)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(new URL(f, SCN), 'utf8')) as Bundle);
bundles.push(JSON.parse(readFileSync(new URL('../../../../shared/fhir-data/synthea/louie-jast.json', import.meta.url), 'utf8')) as Bundle);
const bases = bundles.map((b) => {
  const entries = b.entry ?? [];
  const pe = entries.find((e) => e.resource?.resourceType === 'Patient')!;
  return { patient: pe.resource as Patient, fullUrl: pe.fullUrl, resources: entries.map((e) => e.resource!).filter((r) => r && r.resourceType !== 'Patient') };
});
const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../../../shared/contracts/evaluation.schema.json', import.meta.url), 'utf8')) as object);

/** Sets `value` at a pseudo-random path of `obj` chosen by `walk` (indices into keys at each level). */
function mutate(obj: unknown, walk: number[], value: unknown): unknown {
  const root = structuredClone(obj) as Record<string, unknown>;
  let cur: Record<string, unknown> = root;
  for (let i = 0; i < walk.length; i += 1) {
    const keys = Object.keys(cur);
    if (keys.length === 0) break;
    const k = keys[walk[i]! % keys.length]!;
    const next = cur[k];
    if (i === walk.length - 1 || !next || typeof next !== 'object') {
      cur[k] = value;
      break;
    }
    cur = next as Record<string, unknown>;
  }
  return root;
}

function finiteEverywhere(x: unknown): boolean {
  if (typeof x === 'number') return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(finiteEverywhere);
  if (x && typeof x === 'object') return Object.values(x).every(finiteEverywhere);
  return true;
}

function checkNormals(ev: Evaluation): void {
  for (const i of ev.items) {
    if (i.status !== 'normal' || !i.latest) continue;
    expect(i.latest.flag, i.id).toBe('normal');
    const v = i.latest.value;
    if (typeof v === 'number' && !i.latest.comparator && i.range && i.range.source !== 'interpretation') {
      if (i.range.low !== undefined) expect(v, i.id).toBeGreaterThanOrEqual(i.range.low);
      if (i.range.high !== undefined) expect(v, i.id).toBeLessThanOrEqual(i.range.high);
    }
  }
}

describe('garbage at any depth of real resources', () => {
  it('never throws; finite, schema-valid output; no inconsistent normal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.oneof(fc.anything(), fc.double(), fc.string(), fc.constant(null))), { minLength: 1, maxLength: 20 }),
        (bi, muts) => {
          const base = bases[bi]!;
          const resources = [...base.resources] as unknown[];
          for (const [which, walk, value] of muts) {
            const idx = which % resources.length;
            resources[idx] = mutate(resources[idx], walk, value);
          }
          const ev = evaluate({ patient: base.patient, patientFullUrl: base.fullUrl, resources: resources as FhirResource[], now: '2026-06-01' });
          expect(finiteEverywhere(ev)).toBe(true);
          const json = JSON.parse(JSON.stringify(ev));
          expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
          checkNormals(ev);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('input order never matters, even with garbage and same-id resources of different content', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bases.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.oneof(fc.anything(), fc.double(), fc.string())), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.nat(),
        (bi, muts, dupes, seed) => {
          const base = bases[bi]!;
          const resources = [...base.resources] as unknown[];
          // same-id copies with a changed field
          for (const d of dupes) resources.push(mutate(resources[d % base.resources.length], [seed % 7, d % 5], d));
          for (const [which, walk, value] of muts) {
            const idx = which % resources.length;
            resources[idx] = mutate(resources[idx], walk, value);
          }
          const shuffled = [...resources];
          let x = seed || 1;
          for (let i = shuffled.length - 1; i > 0; i -= 1) {
            x = (x * 1103515245 + 12345) % 2147483648;
            const j = x % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          const a = evaluate({ patient: base.patient, patientFullUrl: base.fullUrl, resources: resources as FhirResource[], now: '2026-06-01' });
          const b = evaluate({ patient: base.patient, patientFullUrl: base.fullUrl, resources: shuffled as FhirResource[], now: '2026-06-01' });
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 200 },
    );
  });
});
