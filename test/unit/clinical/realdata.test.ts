/**
 * The engine on the shared real data (vendor captures, US Core examples), and its output against
 * the JSON Schema of the evaluator contract.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv2020 from 'ajv/dist/2020';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { evaluate, type Evaluation } from '../../../src/clinical/index';
import { item } from './fixtures';

const SHARED = new URL('../../../../shared/', import.meta.url);
const read = (rel: string): unknown => JSON.parse(readFileSync(new URL(rel, SHARED), 'utf8'));
/** Resources of a capture: `{_request, body}`, or several named pages each shaped like that. */
const bodyResources = (rel: string): FhirResource[] => {
  const cap = read(rel) as Record<string, unknown> & { body?: Bundle };
  const bodies: Bundle[] = cap.body ? [cap.body] : Object.values(cap).map((v) => (v as { body?: Bundle })?.body).filter((b): b is Bundle => !!b);
  return bodies
    .flatMap((b) => b.entry ?? [])
    .filter((e) => e.search?.mode !== 'outcome')
    .map((e) => e.resource)
    .filter((r): r is FhirResource => !!r);
};

describe('Oracle Health (Cerner) capture', () => {
  const resources = bodyResources('fhir-data/vendor/cerner/observation-lab-12724066.json');
  const patient: Patient = { resourceType: 'Patient', id: '12724066', gender: 'female', birthDate: '1980-01-01' };
  const latestDate = resources
    .map((r) => (r as { effectiveDateTime?: string }).effectiveDateTime ?? '')
    .sort()
    .at(-1)!
    .slice(0, 10);
  const ev = evaluate({ patient, resources, now: latestDate });

  it('reads "mcmol/L" creatinine (local code first, LOINC second)', () => {
    const cr = item(ev, 'creatinine');
    expect(cr.latest?.unit).toBe('umol/L');
    expect(cr.latest?.reported?.unit ?? cr.latest?.unit).toMatch(/mcmol\/L|umol\/L/);
    expect(['normal', 'abnormal', 'outdated']).toContain(cr.status);
  });

  it('a potassium reported in g/dL (a sandbox artefact) is unknown, never normal', () => {
    const k = item(ev, 'potassium');
    expect(k.status).not.toBe('normal');
    expect(k.latest?.flag === 'uninterpretable' || k.status === 'abnormal').toBe(true);
  });

  it('never attributes the capture to another patient', () => {
    const other = evaluate({ patient: { ...patient, id: 'someone-else' }, resources, now: latestDate });
    expect(other.items.every((i) => i.status === 'missing')).toBe(true);
  });
});

describe('Epic captures evaluate without error', () => {
  for (const f of readdirSync(new URL('fhir-data/vendor/epic/', SHARED)).filter((x) => x.startsWith('observation-') || x.startsWith('diagnosticreport-'))) {
    it(f, () => {
      const resources = bodyResources(`fhir-data/vendor/epic/${f}`);
      const ids = new Set(resources.map((r) => (r as { subject?: { reference?: string } }).subject?.reference).filter(Boolean));
      for (const ref of ids) {
        const ev = evaluate({ patient: { resourceType: 'Patient', id: String(ref).split('/').pop() }, resources, now: '2026-05-02' });
        expect(ev.items.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('US Core examples', () => {
  const patient: Patient = { resourceType: 'Patient', id: 'example', gender: 'male', birthDate: '1970-01-01' };
  it('serum panel with ranges and interpretation', () => {
    const names = ['bun', 'calcium', 'chloride', 'co2', 'creatinine', 'potassium', 'sodium'];
    const resources = names.map((n) => read(`fhir-data/us-core/observation-serum-${n}.json`) as FhirResource);
    const ev = evaluate({ patient, resources, now: '2005-07-10' });
    // calcium 7.7 mg/dL flagged L by the lab: 1.92 mmol/L
    expect(item(ev, 'calcium')).toMatchObject({ status: 'abnormal', direction: 'low', range: { source: 'interpretation' } });
    expect(item(ev, 'calcium').latest?.value).toBeCloseTo(1.92, 2);
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'bicarbonate').status).toBe('normal');
    // BUN 10 mg/dL = 3.57 mmol/L urea
    expect(item(ev, 'urea').latest?.value).toBeCloseTo(3.57, 2);
  });

  it('urinalysis set: nitrite positive and leukocyte esterase 2+ make it abnormal and suggest infection', () => {
    const dir = new URL('fhir-data/us-core/urinalysis/', SHARED);
    const resources = readdirSync(dir).map((f) => JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as FhirResource);
    const ev = evaluate({ patient, resources, now: '2005-07-10' });
    expect(item(ev, 'urinalysis').status).toBe('abnormal');
    // bacteria 4+ and 20-30 white cells per high-power field: abnormal microscopy
    expect(item(ev, 'urine-microscopy').status).toBe('abnormal');
    expect(ev.findings.map((f) => f.id)).toContain('urinary-infection');
  });
});

describe('output contract', () => {
  const schema = read('contracts/evaluation.schema.json') as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const validate = ajv.compile(schema);

  const outputs: [string, Evaluation][] = [];
  for (const f of readdirSync(new URL('fhir-data/synthea/', SHARED))) {
    const b = read(`fhir-data/synthea/${f}`) as Bundle;
    const pe = (b.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')!;
    outputs.push([
      f,
      evaluate({
        patient: pe.resource as Patient,
        patientFullUrl: pe.fullUrl,
        resources: (b.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => !!r),
        now: '2021-06-01',
        failures: [{ resourceType: 'ServiceRequest', kind: 'forbidden', httpStatus: 403, message: 'scope not granted' }],
      }),
    ]);
  }

  it.each(outputs)('%s matches evaluation.schema.json and survives a JSON round trip', (_name, ev) => {
    const ok = validate(JSON.parse(JSON.stringify(ev)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(JSON.parse(JSON.stringify(ev))).toEqual(ev);
  });
});
