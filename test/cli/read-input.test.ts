/**
 * Input loading of the headless evaluator (src/cli/read-input.ts), in process: Bundle types,
 * searchset outcomes, urn:uuid resolution of transaction Bundles, batch responses, attribution
 * (never to another patient), NDJSON folders with bad lines, and every unusable input.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, FhirResource, Observation, Patient } from 'fhir/r4';
import { readBundleText, readInput, readNdjsonFolder, UnusableInputError } from '../../src/cli/read-input';
import { SCENARIO_DIR, SCENARIOS } from '../scenarios/index';
import { QUERIED_TYPES } from '../../src/clinical/vocabulary';
import { withReportSubjects } from '../../src/clinical/subject';

const REPO_ROOT = resolve(__dirname, '../..');
const SYNTHEA = resolve(REPO_ROOT, '../shared/fhir-data/synthea');

const patient = (id: string): Patient => ({ resourceType: 'Patient', id, gender: 'female', birthDate: '1980-01-01' });
const obs = (id: string, subject: string | undefined, value = 2.5): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2000-8' }] },
  ...(subject ? { subject: { reference: subject } } : {}),
  effectiveDateTime: '2026-05-01',
  valueQuantity: { value, unit: 'mmol/L' },
});

async function unusable(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UnusableInputError);
    return (e as Error).message;
  }
  throw new Error('expected UnusableInputError');
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'read-input-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('Bundle files', () => {
  it('reads every scenario bundle as one patient with all its clinical resources', async () => {
    for (const s of SCENARIOS) {
      const text = await readFile(join(SCENARIO_DIR, s.file), 'utf8');
      const bundle = JSON.parse(text) as Bundle;
      const loaded = readBundleText(text);
      expect(loaded.kind).toBe('bundle');
      expect(loaded.patients).toHaveLength(1);
      expect(loaded.patients[0]!.patient.id).toBe(s.patientId);
      // Every clinical resource of the scenarios names the patient (a message's MessageHeader,
      // Organizations and Specimens are not read).
      const clinical = (bundle.entry ?? []).filter((e) => (QUERIED_TYPES as readonly string[]).includes(e.resource?.resourceType ?? ''));
      expect(loaded.patients[0]!.resources).toHaveLength(clinical.length);
      expect(loaded.warnings).toEqual([]);
    }
  });

  it('reads an NHS pathology message: MessageHeader first, urn:uuid references, results named by their report', () => {
    const pid = 'urn:uuid:00000000-0000-4000-8000-000000000001';
    const msg = (first: 'MessageHeader' | 'Patient'): Bundle => {
      const entries = [
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000009', resource: { resourceType: 'MessageHeader', eventCoding: { code: 'pathology-test-report' }, source: { endpoint: 'x' } } },
        { fullUrl: pid, resource: { resourceType: 'Patient', id: 'nhs-1' } },
        {
          fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000002',
          resource: { resourceType: 'DiagnosticReport', id: 'r1', status: 'final', code: { text: 'U&E' }, subject: { reference: pid }, result: [{ reference: 'urn:uuid:00000000-0000-4000-8000-000000000003' }] },
        },
        // An Observation that leaves the patient to its report.
        { fullUrl: 'urn:uuid:00000000-0000-4000-8000-000000000003', resource: { ...obs('o1', 'Patient/x'), subject: undefined } },
      ];
      return { resourceType: 'Bundle', type: 'message', entry: (first === 'MessageHeader' ? entries : [entries[1], entries[0], ...entries.slice(2)]) as Bundle['entry'] };
    };
    const loaded = readBundleText(JSON.stringify(msg('MessageHeader')));
    expect(loaded.warnings).toEqual([]);
    expect(loaded.patients[0]!.patient.id).toBe('nhs-1');
    const o1 = loaded.patients[0]!.resources.find((r) => r.id === 'o1') as Observation;
    expect(o1.subject).toEqual({ reference: 'Patient/nhs-1' });
    expect(readBundleText(JSON.stringify(msg('Patient'))).warnings).toEqual(['a message Bundle whose first entry is not a MessageHeader (read as a collection)']);
  });

  it('a result two reports of different patients claim stays with nobody', () => {
    const r = (id: string, patient: string) => ({ resourceType: 'DiagnosticReport', id, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patient}` }, result: [{ reference: 'Observation/o1' }] }) as never;
    const out = withReportSubjects([r('r1', 'a'), r('r2', 'b'), { ...obs('o1', 'Patient/x'), subject: undefined } as never]);
    expect((out[2] as Observation).subject).toBeUndefined();
    const one = withReportSubjects([r('r1', 'a'), { ...obs('o1', 'Patient/x'), subject: undefined } as never, obs('o2', 'Patient/z') as never]);
    expect((one[1] as Observation).subject).toEqual({ reference: 'Patient/a' });
    // A result that names its patient keeps it.
    expect((one[2] as Observation).subject).toEqual({ reference: 'Patient/z' });
  });

  it('resolves urn:uuid references of a Synthea transaction bundle as a server would', async () => {
    const text = await readFile(join(SYNTHEA, 'truman-wiegand.json'), 'utf8');
    const bundle = JSON.parse(text) as Bundle;
    const loaded = readBundleText(text);
    expect(loaded.patients).toHaveLength(1);
    const { patient: p, resources } = loaded.patients[0]!;
    expect(p.id).toBe('d5525459-8f3e-4e60-8ed2-5140d165db75');
    // The bundle's clinical resources (Observation 659, DiagnosticReport 63, ImagingStudy 5, Procedure 14,
    // Condition 12, MedicationRequest 7) all reference the patient by urn:uuid: all attributed.
    const clinical = (bundle.entry ?? []).filter((e) =>
      ['Observation', 'DiagnosticReport', 'ImagingStudy', 'Procedure', 'Condition', 'MedicationRequest'].includes(e.resource!.resourceType),
    );
    expect(resources).toHaveLength(clinical.length);
    expect(resources.length).toBe(659 + 63 + 5 + 14 + 12 + 7);
    const o = resources.find((r) => r.resourceType === 'Observation') as Observation;
    expect(o.subject?.reference).toBe('Patient/d5525459-8f3e-4e60-8ed2-5140d165db75');
    // Non-subject references are rewritten too (encounter), and DiagnosticReport.result points at Observation/<id>.
    expect(o.encounter?.reference).toMatch(/^Encounter\/[0-9a-f-]{36}$/);
    const dr = resources.find((r) => r.resourceType === 'DiagnosticReport' && (r.result?.length ?? 0) > 0);
    expect(dr && dr.resourceType === 'DiagnosticReport' && dr.result![0]!.reference).toMatch(/^Observation\/[0-9a-f-]{36}$/);
    // The input object is not mutated: the original still says urn:uuid.
    const again = JSON.parse(text) as Bundle;
    expect((again.entry![1]!.resource as Observation).subject?.reference ?? '').not.toMatch(/^Patient\//);
  });

  it('assigns the urn uuid as id when a transaction entry has none', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
          resource: obs('x', 'urn:uuid:11111111-1111-4111-8111-111111111111'),
          request: { method: 'POST', url: 'Observation' },
        },
        { request: { method: 'DELETE', url: 'Observation/old' } },
      ],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients[0]!.patient.id).toBe('11111111-1111-4111-8111-111111111111');
    expect(loaded.patients[0]!.resources).toHaveLength(1);
    expect(loaded.warnings.join(' ')).toMatch(/1 DELETE entry skipped/);
  });

  it('skips searchset outcome entries and OperationOutcomes', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'informational' }] } as FhirResource, search: { mode: 'outcome' } },
        { fullUrl: 'https://ehr.example/fhir/Patient/p1', resource: patient('p1'), search: { mode: 'include' } },
        { fullUrl: 'https://ehr.example/fhir/Observation/o1', resource: obs('o1', 'Patient/p1'), search: { mode: 'match' } },
        // An Observation wrongly carried in an outcome entry is skipped too (mode decides).
        { resource: obs('o2', 'Patient/p1'), search: { mode: 'outcome' } },
      ],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients[0]!.resources.map((r) => r.id)).toEqual(['o1']);
  });

  it('reads batch-response entries, including nested searchset Bundles, and skips failed ones', () => {
    const inner: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: obs('o1', 'Patient/p1'), search: { mode: 'match' } }] };
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'batch-response',
      entry: [
        { resource: patient('p1'), response: { status: '200 OK' } },
        { resource: inner, response: { status: '200 OK' } },
        { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden' }] } as FhirResource, response: { status: '403 Forbidden' } },
        { resource: obs('o3', 'Patient/p1'), response: { status: '404' } },
      ],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients[0]!.resources.map((r) => r.id)).toEqual(['o1']);
    expect(loaded.warnings.join(' ')).toMatch(/2 entries with a failed response status skipped/);
  });

  it('never attributes a resource naming another patient, or no patient, and says how many without data', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: patient('p1') },
        { resource: obs('mine', 'Patient/p1') },
        { resource: obs('mine-absolute', 'https://ehr.example/fhir/Patient/p1/_history/3') },
        { resource: obs('other', 'Patient/p2', 3.9) },
        { resource: obs('nobody', undefined, 3.9) },
      ],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients[0]!.resources.map((r) => r.id)).toEqual(['mine', 'mine-absolute']);
    expect(loaded.warnings).toEqual(['2 clinical resources not naming a patient of this Bundle ignored']);
    expect(loaded.warnings.join(' ')).not.toMatch(/p2|other|nobody|3\.9/);
  });

  it('groups a Bundle holding several patients, each with only its own resources', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: patient('a') }, { resource: patient('b') }, { resource: obs('oa', 'Patient/a') }, { resource: obs('ob', 'Patient/b') }],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients.map((g) => [g.patient.id, g.resources.map((r) => r.id)])).toEqual([
      ['a', ['oa']],
      ['b', ['ob']],
    ]);
  });

  it('takes a Patient id from its fullUrl, and leaves out a Patient that has neither', () => {
    const b: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://ehr.example/fhir/Patient/p9', resource: { resourceType: 'Patient' } },
        { resource: { resourceType: 'Patient', gender: 'male' } as Patient },
        { resource: obs('o9', 'Patient/p9') },
      ],
    };
    const loaded = readBundleText(JSON.stringify(b));
    expect(loaded.patients.map((g) => [g.patient.id, g.resources.map((r) => r.id)])).toEqual([['p9', ['o9']]]);
    expect(loaded.warnings).toEqual(['1 Patient without id left out (nothing can be attributed to it)']);
    const alone: Bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient' } }, { resource: obs('o', 'Patient/x') }] };
    expect(() => readBundleText(JSON.stringify(alone))).toThrow(/the Patient has no id/);
  });

  it.each([
    ['empty file', '', /empty/],
    ['blank file', '  \n\t', /empty/],
    ['not JSON', '{"resourceType": "Bundle", ', /not valid JSON/],
    ['a JSON array', '[1,2]', /not a FHIR resource/],
    ['a bare Observation', JSON.stringify(obs('o', 'Patient/p')), /FHIR Observation, not a Bundle/],
    ['a history Bundle', JSON.stringify({ resourceType: 'Bundle', type: 'history', entry: [] }), /unsupported Bundle type "history" \(expected collection, searchset, transaction, batch-response, message\)/],
    ['a Bundle without Patient', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: obs('o', 'Patient/p') }] }), /no Patient/],
    ['an empty Bundle', JSON.stringify({ resourceType: 'Bundle', type: 'searchset', total: 0 }), /no Patient/],
  ])('refuses %s with a clear message', async (_name, text, message) => {
    expect(() => readBundleText(text)).toThrow(UnusableInputError);
    expect(() => readBundleText(text)).toThrow(message);
  });

  it('refuses a missing file without echoing its path', async () => {
    const msg = await unusable(readInput(join(tmp, 'jane-doe-1970.json')));
    expect(msg).toBe('cannot read the input (no such file or folder)');
  });
});

describe('Bulk Data NDJSON folders', () => {
  async function writeFolder(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(tmp, name);
    await mkdir(dir, { recursive: true });
    for (const [f, content] of Object.entries(files)) await writeFile(join(dir, f), content);
    return dir;
  }
  const nd = (rs: FhirResource[]): string => rs.map((r) => JSON.stringify(r)).join('\n') + '\n';

  it('groups many patients, keeps each resource with its own patient, skips and counts bad lines', async () => {
    const dir = await writeFolder('many', {
      'Patient.ndjson': nd([patient('a'), patient('b')]),
      'Observation.ndjson': `${nd([obs('oa1', 'Patient/a'), obs('ob1', 'Patient/b'), obs('oc1', 'Patient/c'), obs('none', undefined)])}not json\n{"no":"type"}\n\n`,
      'Observation.2.ndjson': nd([obs('oa2', 'Patient/a')]),
      'Encounter.ndjson': nd([{ resourceType: 'Encounter', status: 'finished', class: { code: 'AMB' }, subject: { reference: 'Patient/a' } }]),
      'README.txt': 'not read',
    });
    const loaded = await readNdjsonFolder(dir);
    expect(loaded.kind).toBe('ndjson');
    expect(loaded.patients.map((g) => [g.patient.id, g.resources.map((r) => r.id).sort()])).toEqual([
      ['a', ['oa1', 'oa2']],
      ['b', ['ob1']],
    ]);
    expect(loaded.warnings).toEqual([
      '2 NDJSON lines skipped (not a JSON FHIR resource; first: Observation.ndjson line 5)',
      '1 clinical resource naming no patient ignored',
      '1 clinical resource naming a patient absent from the folder ignored',
    ]);
  });

  it('reads Medication resources and gives each patient those its prescriptions reference, so a loop diuretic coded on the Medication is found', async () => {
    const furosemide = { resourceType: 'Medication', id: 'med-furo', code: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '4603', display: 'furosemide' }] } } as FhirResource;
    const other = { resourceType: 'Medication', id: 'med-other', code: { text: 'paracetamol' } } as FhirResource;
    const rx = (id: string, subject: string, med: string) =>
      ({ resourceType: 'MedicationRequest', id, status: 'active', intent: 'order', subject: { reference: subject }, medicationReference: { reference: `Medication/${med}` } }) as FhirResource;
    const dir = await writeFolder('meds', {
      'Patient.ndjson': nd([patient('a'), patient('b')]),
      'Medication.ndjson': nd([furosemide, other]),
      'MedicationRequest.ndjson': nd([rx('ra', 'Patient/a', 'med-furo'), rx('rb', 'Patient/b', 'med-other')]),
    });
    const loaded = await readNdjsonFolder(dir);
    const ids = (i: number) => loaded.patients[i]!.resources.map((r) => `${r.resourceType}/${r.id}`).sort();
    expect(ids(0)).toEqual(['Medication/med-furo', 'MedicationRequest/ra']);
    expect(ids(1)).toEqual(['Medication/med-other', 'MedicationRequest/rb']);
    const { evaluateGroup } = await import('../../src/cli/evaluate');
    const ev = evaluateGroup(loaded.patients[0]!, '2026-06-01');
    expect(ev.riskFactors.map((r) => r.id)).toContain('loop-diuretic');
    expect(ev.items.find((i) => i.id === 'magnesium')!.applies).toBe(true);
    // the same from a Bundle
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [patient('a'), furosemide, rx('ra', 'Patient/a', 'med-furo')].map((resource) => ({ resource })) };
    const fromBundle = readBundleText(JSON.stringify(bundle));
    expect(fromBundle.patients[0]!.resources.map((r) => r.resourceType).sort()).toEqual(['Medication', 'MedicationRequest']);
  });

  it('reads a large NDJSON file line by line', async () => {
    const lines: string[] = [JSON.stringify(patient('big'))];
    for (let i = 0; i < 20000; i++) lines.push(JSON.stringify(obs(`o${i}`, 'Patient/big', 2 + (i % 10) / 10)));
    const dir = await writeFolder('big', { 'All.ndjson': lines.join('\r\n') });
    const loaded = await readNdjsonFolder(dir);
    expect(loaded.patients[0]!.resources).toHaveLength(20000);
  });

  it.each([
    ['an empty folder', {}, /no \.ndjson files/],
    ['a folder without Patient', { 'Observation.ndjson': JSON.stringify(obs('o', 'Patient/p')) }, /no Patient resource in the input folder/],
    ['a folder of garbage', { 'Patient.ndjson': 'garbage\n' }, /no Patient resource/],
    ['a folder whose Patients have no id', { 'Patient.ndjson': '{"resourceType":"Patient"}\n' }, /no Patient with an id/],
  ])('refuses %s', async (name, files, message) => {
    const dir = await writeFolder(`bad-${name.replace(/\W+/g, '-')}`, files as Record<string, string>);
    expect(await unusable(readInput(dir))).toMatch(message);
  });

  it.skipIf(process.getuid?.() === 0)('refuses an unreadable folder', async () => {
    const dir = await writeFolder('locked', { 'Patient.ndjson': nd([patient('a')]) });
    await chmod(dir, 0o000);
    try {
      expect(await unusable(readInput(dir))).toMatch(/cannot read the input folder \(permission denied\)/);
    } finally {
      await chmod(dir, 0o755);
    }
  });
});
