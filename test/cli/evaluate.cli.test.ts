/**
 * The headless evaluator as users run it: a child process (`node --import tsx src/cli/evaluate.ts`)
 * on the scenario bundles, the shared Synthea patients (transaction Bundles), a Bulk Data NDJSON
 * folder built from them, and every kind of unusable input. Outputs are validated against
 * ../shared/contracts/evaluation.schema.json. Truman Wiegand's statuses are checked by hand below.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { Bundle, FhirResource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evaluation, ItemResult } from '../../src/clinical/model';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE, SCENARIOS } from '../scenarios/index';

const REPO_ROOT = resolve(__dirname, '../..');
const SYNTHEA = resolve(REPO_ROOT, '../shared/fhir-data/synthea');
const SYNTHEA_FILES = ['alexis-toy.json', 'louie-jast.json', 'truman-wiegand.json'];
const SCHEMA = JSON.parse(readFileSync(resolve(REPO_ROOT, '../shared/contracts/evaluation.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SCHEMA);

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/evaluate.ts', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, EVALUATE_DEBUG: '', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

function expectValid(ev: unknown): asserts ev is Evaluation {
  const ok = validate(ev);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

/**
 * The engine reports canonical values rounded for display (three significant digits: 2.15 mmol/L,
 * 89.9 umol/L), the reported value unrounded. Compared within 0.6 % (the worst case of 3-digit rounding).
 */
function approx(actual: unknown, exact: number): void {
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - exact), `${String(actual)} vs ${exact}`).toBeLessThanOrEqual(0.006 * Math.abs(exact));
}

const item = (ev: Evaluation, id: string): ItemResult => {
  const i = ev.items.find((x) => x.id === id);
  if (!i) throw new Error(`no item ${id}`);
  return i;
};

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'evaluate-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('scenario bundles', () => {
  it.each(SCENARIOS.map((s) => [s.id, s] as const))('%s: one pretty JSON object, schema-valid, statuses as expected', async (_id, s) => {
    const site = s.siteCodes ? ['--site-codes', join(SCENARIO_DIR, s.siteCodes)] : [];
    const r = await cli([join(SCENARIO_DIR, s.file), '--now', SCENARIO_REFERENCE_DATE, ...site]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\{\n {2}"patient": /);
    const ev = JSON.parse(r.stdout) as unknown;
    expectValid(ev);
    expect(ev.patient.id).toBe(s.patientId);
    expect(ev.evaluatedAt).toBe(SCENARIO_REFERENCE_DATE);
    // Known engine disagreements are tested (as it.fails) in test/scenarios/scenarios.test.ts only.
    for (const [id, exp] of Object.entries(s.expected.items).filter(([, e]) => !e.disagreement)) {
      expect({ id, status: item(ev, id).status, direction: item(ev, id).direction }).toEqual({ id, status: exp.status, direction: exp.direction });
    }
    for (const f of s.expected.findings) expect(ev.findings.map((x) => x.id)).toContain(f);
  });

  it('an NHS pathology message (Bundle of type message, SNOMED CT only): read like any record', async () => {
    const r = await cli([join(SCENARIO_DIR, 'uk-snomed.json'), '--now', SCENARIO_REFERENCE_DATE, '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/Calcium \(total\) \[calcium\]: ABNORMAL \(high\) - 2\.72 mmol\/L on 2026-05-18/);
    // PTH reported as 98 ng/L, shown in pmol/L with the value as reported
    expect(r.stdout).toContain('[pth]: ABNORMAL (high) - 10.4 pmol/L (reported 98 ng/L) on 2026-05-18');
    expect(r.stdout).toMatch(/\[egfr\]: NORMAL - 71 mL\/min\/1\.73m2/);
  });

  it('--site-codes: a laboratory\u2019s local codes found through the site map; without it they are not', async () => {
    const file = join(SCENARIO_DIR, 'local-codes.json');
    const withMap = JSON.parse((await cli([file, '--now', SCENARIO_REFERENCE_DATE, '--site-codes', join(SCENARIO_DIR, 'site/site-codes.json')])).stdout) as Evaluation;
    expect(item(withMap, 'calcium').status).toBe('normal');
    expect(withMap.coverage).toMatchObject({ gathered: 'record', siteCodes: 14, codeSystems: expect.arrayContaining(['https://pathology.riverside.example/codes']) });
    const without = JSON.parse((await cli([file, '--now', SCENARIO_REFERENCE_DATE])).stdout) as Evaluation;
    expect(item(without, 'calcium').status).toBe('missing');
    // "TCO2 (venous)" is bicarbonate by its name, map or not.
    expect(item(without, 'bicarbonate').status).toBe('abnormal');
  });

  it('--site-codes with a map that has problems: exit 2, one line per problem, nothing evaluated', async () => {
    const map = join(tmp, 'bad-site-codes.json');
    await writeFile(map, JSON.stringify({ codes: { 'https://lab.example/c|CA': 'calcim', 'CA': 'calcium' } }));
    const r = await cli([join(SCENARIO_DIR, 'local-codes.json'), '--site-codes', map]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'evaluate: site codes: "https://lab.example/c|CA" maps to "calcim", which is not an item of the catalog',
      'evaluate: site codes: "CA" is not <system URI>|<code>',
    ]);
  });

  it('--format text prints a report a clinician can check line by line', async () => {
    const r = await cli(['--format', 'text', '--now=2026-06-01', join(SCENARIO_DIR, 'primary-hyperparathyroidism.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Nephrocalcinosis workup: patient scn-hyperpara, female, 58 years, born 1968-03-14');
    expect(lines[1]).toMatch(/^Evaluated at 2026-06-01/);
    // Which codes find results: what a MISSING can mean.
    expect(lines[2]).toBe('Results recognised by code (LOINC and SNOMED CT), and any other by its name (the whole record was read)');
    expect(lines[3]).toMatch(/^Summary over \d+ items that apply: \d+ abnormal, \d+ missing, 0 outdated, 0 pending, 0 unknown, \d+ normal$/);
    // Sections in order.
    const at = (t: string): number => lines.indexOf(t);
    expect(at('Findings to consider:')).toBeGreaterThan(2);
    expect(at('Blood')).toBeGreaterThan(at('Findings to consider:'));
    expect(at('Urine')).toBeGreaterThan(at('Blood'));
    expect(at('Imaging')).toBeGreaterThan(at('Urine'));
    expect(at('Other')).toBeGreaterThan(at('Imaging'));
    expect(r.stdout).toMatch(/\[hypercalcaemia\] .*consider/i);
    // Calcium: status, value and unit, date, range and its source on one line.
    const ca = lines.find((l) => l.includes('[calcium]'))!;
    expect(ca).toMatch(/ABNORMAL \(high\) - 2\.78 mmol\/L on 2026-05-12; range .*2\.2.*2\.6.*; source: (lab's reference range|lab's interpretation flag|built-in range)/);
    // The derived adjusted calcium says it is derived.
    const adjAt = lines.findIndex((l) => l.includes('[adjusted-calcium]'));
    expect(lines[adjAt]).toMatch(/ABNORMAL \(high\) - 2\.82 mmol\/L on 2026-05-12/);
    expect(lines.slice(adjAt + 1, adjAt + 6).some((l) => /^ {6}derived/.test(l))).toBe(true);
    // Imaging: the report's conclusion is shown.
    expect(r.stdout).toMatch(/medullary nephrocalcinosis/i);
  });

  it('--format note prints the text of the app\'s "Copy to note": no patient identifiers', async () => {
    const file = join(SCENARIO_DIR, 'primary-hyperparathyroidism.json');
    const r = await cli([file, '--format', 'note', '--now', '2026-06-01']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Nephrocalcinosis workup, evaluated 1 Jun 2026');
    expect(lines).toContain('Findings to consider:');
    expect(lines).toContain('- Adjusted calcium, 12 May 2026: 2.82 mmol/L, high (range 2.20–2.60 mmol/L · built-in range, adult)');
    expect(lines).toContain('To complete the workup:');
    expect(r.stdout).toMatch(/^- CT abdomen \/ kidneys: missing\./m);
    expect(r.stdout).not.toMatch(/scn-hyperpara|1968|Observation\/|Patient\//);
    // The same Bundle read by the evaluator gives the name: it is not in the note.
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    const patient = bundle.entry!.map((e) => e.resource!).find((x) => x.resourceType === 'Patient') as { name?: { family?: string; given?: string[] }[] };
    for (const n of patient.name ?? []) for (const part of [n.family, ...(n.given ?? [])]) if (part) expect(r.stdout).not.toContain(part);
    // Conventional units on request.
    const us = await cli([file, '--format=note', '--units=conventional', '--now=2026-06-01']);
    expect(us.stdout).toContain('- Adjusted calcium, 12 May 2026: 11.3 mg/dL, high (range 8.8–10.4 mg/dL · built-in range, adult)');
  });

  it('--format text shows the value as reported when it was converted', async () => {
    const r = await cli([join(SCENARIO_DIR, 'distal-rta-child.json'), '--format', 'text', '--now', SCENARIO_REFERENCE_DATE]);
    expect(r.code).toBe(0);
    const ca = r.stdout.split('\n').find((l) => l.includes('[calcium]'))!;
    // 9.6 mg/dL x 0.2495 = 2.3952 mmol/L
    expect(ca).toMatch(/NORMAL - 2\.4 mmol\/L \(reported 9\.6 mg\/dL\) on 2026-05-18/);
    expect(r.stdout).toMatch(/^Nephrocalcinosis workup: patient scn-drta-child, male, 8 years, born 2018-02-20$/m);
  });

  it('prints the age of an infant in weeks', async () => {
    const r = await cli([join(SCENARIO_DIR, 'preterm-furosemide.json'), '--format', 'text', '--now', SCENARIO_REFERENCE_DATE]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Nephrocalcinosis workup: patient scn-preterm, female, 6 weeks, born 2026-04-20');
    expect(r.stdout).toMatch(/medication: .*furosemide/i);
  });

  it('defaults --now to today', async () => {
    const r = await cli([join(SCENARIO_DIR, 'complete-normal.json')]);
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as Evaluation;
    const d = new Date();
    const today = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    expect(ev.evaluatedAt).toBe(today);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: npm run evaluate -- /);
  });
});

describe('Synthea patients (transaction Bundles, US units, whole-blood codes)', () => {
  it.each(SYNTHEA_FILES)('%s evaluates without error, today and at the date of its last record', async (f) => {
    const bundle = JSON.parse(await readFile(join(SYNTHEA, f), 'utf8')) as Bundle;
    const dates = (bundle.entry ?? []).map((e) => (e.resource as { effectiveDateTime?: string }).effectiveDateTime ?? '').filter((d) => d !== '');
    const last = dates.sort().at(-1)!.slice(0, 10);
    // Whether this record holds any of the metabolic panel (whole-blood calcium 49765-1).
    const hasPanel = (bundle.entry ?? []).some((e) => e.resource!.resourceType === 'Observation' && (e.resource as unknown as { code: { coding: Array<{ code: string }> } }).code.coding.some((c) => c.code === '49765-1'));
    for (const now of [undefined, last]) {
      const r = await cli([join(SYNTHEA, f), ...(now ? ['--now', now] : [])]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const ev = JSON.parse(r.stdout) as unknown;
      expectValid(ev);
      // Attribution through urn:uuid worked: the panel shows the record's results.
      expect(ev.items.some((i) => i.latest !== undefined)).toBe(hasPanel);
      // Most of the workup is genuinely missing in Synthea (no PTH, phosphate, 24-hour urine, renal imaging).
      for (const id of ['pth', 'phosphate', 'urine-calcium-24h', 'urine-oxalate-24h', 'urine-citrate-24h', 'renal-ultrasound']) {
        expect(item(ev, id).status, `${f} ${id}`).toBe('missing');
      }
    }
  });

  it('alexis-toy: a child with no chemistry at all (born 2018-06-22, evaluated 2021-03-14)', async () => {
    const ev = JSON.parse((await cli([join(SYNTHEA, 'alexis-toy.json'), '--now', '2021-03-14'])).stdout) as Evaluation;
    // 2 years 8 months: paediatric items apply, everything is missing (no labs but a blood count and IgE).
    expect(Math.floor(ev.patient.ageYears!)).toBe(2);
    expect(ev.findings.map((f) => f.id)).toContain('paediatric');
    expect(item(ev, 'genetic-testing')).toMatchObject({ applies: true, status: 'missing' });
    expect(item(ev, 'urine-calcium-creatinine')).toMatchObject({ applies: true, status: 'missing' });
    for (const i of ev.items.filter((x) => x.applies)) expect(i.status, i.id).toBe('missing');
  });

  it('truman-wiegand: statuses checked by hand against the bundle (evaluated 2018-03-01)', async () => {
    const r = await cli([join(SYNTHEA, 'truman-wiegand.json'), '--now', '2018-03-01']);
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as Evaluation;
    expectValid(ev);
    // Patient: male, born 1953-01-10: 65 at 2018-03-01.
    expect(ev.patient).toMatchObject({ id: 'd5525459-8f3e-4e60-8ed2-5140d165db75', birthDate: '1953-01-10', sex: 'male' });
    expect(Math.floor(ev.patient.ageYears!)).toBe(65);

    // Newest metabolic panel 2018-01-25 (5 weeks before: within the 6-month window). Each analyte appears
    // twice that day (BMP and CMP reports, same code/time/value): counted once, so no history entry that day.
    // Calcium 49765-1: 8.63724435553741 mg/dL x 0.2495 = 2.155 mmol/L < 2.2 (no lab range in Synthea): low.
    const ca = item(ev, 'calcium');
    expect(ca).toMatchObject({ status: 'abnormal', direction: 'low' });
    approx(ca.latest!.value as number, 8.63724435553741 * 0.2495);
    expect(ca.latest!.reported).toMatchObject({ unit: 'mg/dL' });
    expect(ca.latest!.date.slice(0, 10)).toBe('2018-01-25');
    expect(ca.range?.source).toBe('built-in');
    expect(ca.history.every((h) => h.date.slice(0, 10) < '2018-01-25')).toBe(true);
    // Previous calcium 2017-12-03: 10.1645 mg/dL = 2.536 mmol/L.
    approx(ca.history[0]!.value as number, 10.164539217997095 * 0.2495);
    // Albumin 1751-7 same day: 3.8063507669357204 g/dL x 10 = 38.06 g/L: normal (35-50).
    expect(item(ev, 'albumin')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'albumin').latest!.value as number, 38.0635);
    // Adjusted (Payne): 2.155 + 0.02 x (40 - 38.06) = 2.194 mmol/L < 2.2: low, derived.
    const adj = item(ev, 'adjusted-calcium');
    expect(adj).toMatchObject({ status: 'abnormal', direction: 'low' });
    approx(adj.latest!.value as number, 8.63724435553741 * 0.2495 + 0.02 * (40 - 38.063507669357204));
    expect(adj.latest!.derived).toBe(true);
    // Sodium 2947-0: 138.77 mmol/L (133-146) normal. Potassium 6298-4: 4.83 (3.5-5.3) normal.
    // Chloride 2069-3: 101.95 (95-108) normal. CO2 20565-8: 22.58 (22-29) normal.
    expect(item(ev, 'sodium')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'sodium').latest!.value as number, 138.76554343927054);
    expect(item(ev, 'potassium')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'potassium').latest!.value as number, 4.826140318669524);
    expect(item(ev, 'chloride')).toMatchObject({ status: 'normal' });
    expect(item(ev, 'bicarbonate')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'bicarbonate').latest!.value as number, 22.581158548714985);
    // BUN 6299-2: 7.061949837563792 mg/dL x 0.357 = 2.521 mmol/L urea (2.5-7.8): normal, only just.
    expect(item(ev, 'urea')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'urea').latest!.value as number, 7.061949837563792 * 0.357);
    // Creatinine 38483-4: 1.017108889538758 mg/dL x 88.4 = 89.91 umol/L (men 59-104): normal.
    expect(item(ev, 'creatinine')).toMatchObject({ status: 'normal' });
    approx(item(ev, 'creatinine').latest!.value as number, 1.017108889538758 * 88.4);
    // eGFR 33914-3 same day: 21.730737592075766 with unit "mL/min" (Synthea's spelling; LOINC 33914-3 is by
    // definition per 1.73 m2, and its display says so): below 60, low, hence the reduced-egfr finding.
    const egfr = item(ev, 'egfr');
    expect(egfr).toMatchObject({ status: 'abnormal', direction: 'low' });
    approx(egfr.latest!.value, 21.730737592075766);
    expect(egfr.latest!.derived ?? false).toBe(false);
    expect(ev.findings.map((f) => f.id)).toContain('reduced-egfr');
    // Urinalysis: the last dipstick panel is from 2011-10-09, far beyond 3 months: outdated.
    expect(item(ev, 'urinalysis')).toMatchObject({ status: 'outdated' });
    // Urine protein: microalbumin/creatinine 14959-1 on 2017-12-03, 12.12 mg/g x 0.113 = 1.37 mg/mmol
    // (ACR above 3 is abnormal; within the 12-month window): normal.
    const prot = item(ev, 'urine-protein');
    expect(prot).toMatchObject({ status: 'normal' });
    approx(prot.latest!.value as number, 12.123560016587806 * 0.113);
    // Never done in this record: PTH, TSH, phosphate, culture, microscopy, all 24-hour urine, ultrasound.
    for (const id of ['pth', 'tsh', 'phosphate', 'urine-culture', 'urine-microscopy', 'urine-calcium-24h', 'urine-magnesium', 'renal-ultrasound']) {
      expect(item(ev, id).status, id).toBe('missing');
    }
    // Low, not high, calcium: no hypercalcaemia or hyperparathyroidism pattern. Adult: not paediatric.
    const findings = ev.findings.map((f) => f.id);
    expect(findings).not.toContain('hypercalcaemia');
    expect(findings).not.toContain('primary-hyperparathyroidism-pattern');
    expect(findings).not.toContain('paediatric');
    // Furosemide (MedicationRequest "10 ML Furosemide 10 MG/ML Injection", RxNorm 1719286, active since 2018-01-25).
    expect(ev.riskFactors.some((rf) => rf.kind === 'medication' && /furosemide/i.test(rf.text))).toBe(true);
  });

  it('at today, the Synthea record (last results 2018) is outdated, not normal', async () => {
    const r = await cli([join(SYNTHEA, 'truman-wiegand.json')]);
    const ev = JSON.parse(r.stdout) as Evaluation;
    for (const id of ['calcium', 'sodium', 'potassium', 'creatinine', 'urinalysis']) expect(item(ev, id).status, id).toBe('outdated');
  });
});

describe('Bulk Data NDJSON folder (many patients)', () => {
  let dir: string;
  const NOW = '2018-03-01';
  const patientIds: string[] = [];

  beforeAll(async () => {
    // Bulk Data export of the three Synthea patients: one file per resource type, references as Patient/<id>.
    dir = join(tmp, 'bulk');
    await mkdir(dir, { recursive: true });
    const byType = new Map<string, string[]>();
    for (const f of SYNTHEA_FILES) {
      const b = JSON.parse(await readFile(join(SYNTHEA, f), 'utf8')) as Bundle;
      const p = b.entry!.find((e) => e.resource!.resourceType === 'Patient')!;
      patientIds.push(p.resource!.id!);
      for (const e of b.entry!) {
        const line = JSON.stringify(e.resource).split(`"${p.fullUrl}"`).join(`"Patient/${p.resource!.id}"`);
        const t = e.resource!.resourceType;
        if (!byType.has(t)) byType.set(t, []);
        byType.get(t)!.push(line);
      }
    }
    // A result of another patient, newest and very high: must never reach anyone's panel.
    const foreign: FhirResource = {
      resourceType: 'Observation',
      id: 'foreign-calcium',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '17861-6' }] },
      subject: { reference: 'Patient/not-in-this-export' },
      effectiveDateTime: '2018-02-28',
      valueQuantity: { value: 14.2, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
    };
    byType.get('Observation')!.splice(5, 0, JSON.stringify(foreign), '{"resourceType": "Observation", broken', 'plain text');
    for (const [t, lines] of byType) await writeFile(join(dir, `${t}.ndjson`), `${lines.join('\n')}\n`);
  });

  it('prints one compact, schema-valid object per patient, identical to evaluating each Bundle alone', async () => {
    const r = await cli([dir, '--now', NOW]);
    expect(r.code).toBe(0);
    const out = r.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(3);
    const evs = out.map((l) => JSON.parse(l) as Evaluation);
    for (const ev of evs) expectValid(ev);
    expect(evs.map((e) => e.patient.id).sort()).toEqual([...patientIds].sort());
    for (const f of SYNTHEA_FILES) {
      const single = JSON.parse((await cli([join(SYNTHEA, f), '--now', NOW])).stdout) as Evaluation;
      const fromFolder = evs.find((e) => e.patient.id === single.patient.id)!;
      expect(fromFolder).toEqual(single);
    }
    // The other patient's calcium is on nobody's panel.
    expect(r.stdout).not.toContain('foreign-calcium');
    for (const ev of evs) expect(ev.findings.map((f) => f.id)).not.toContain('hypercalcaemia');
    // Warnings: counts only, no patient data.
    expect(r.stderr).toContain('evaluate: warning: 2 NDJSON lines skipped (not a JSON FHIR resource; first: Observation.ndjson line 7)');
    expect(r.stderr).toContain('evaluate: warning: 1 clinical resource naming a patient absent from the folder ignored');
    expect(r.stderr).not.toMatch(/not-in-this-export|foreign|14\.2|Wiegand|Truman|d5525459/i);
  });

  it('--format text prints one report per patient', async () => {
    const r = await cli([dir, '--now', NOW, '--format', 'text']);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^Nephrocalcinosis workup: patient /gm)).toHaveLength(3);
  });
});

describe('usable input with bad parts', () => {
  it('evaluates what is good in a Bundle with broken entries and resources, exit 0, warnings without patient data', async () => {
    const b = JSON.parse(await readFile(join(SCENARIO_DIR, 'complete-normal.json'), 'utf8')) as { entry: unknown[] };
    const S = { reference: 'Patient/scn-complete-normal' };
    const L = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
    b.entry.push(
      null, 42, 'text', { resource: 'not a resource' }, { resource: { resourceType: 'Observation' } },
      { resource: { resourceType: 'Observation', id: 'b1', status: 'final', subject: S, code: 5, valueQuantity: { value: 'abc' } } },
      { resource: { resourceType: 'Observation', id: 'b2', status: 'final', subject: S, code: { coding: 'nope' }, effectiveDateTime: 'yesterday' } },
      { resource: { resourceType: 'Observation', id: 'b3', status: 'final', subject: S, code: L('2951-2'), effectiveDateTime: '2026-05-30', valueQuantity: null, component: 'x' } },
      { resource: { resourceType: 'Observation', id: 'b4', status: 'final', subject: S, code: L('2075-0'), effectiveDateTime: '2026-05-30', valueQuantity: { value: 'abc', unit: 'mmol/L' }, referenceRange: 'x', interpretation: {} } },
      { resource: { resourceType: 'DiagnosticReport', id: 'b5', status: 'final', subject: S, code: {}, result: 'x', conclusionCode: [null] } },
      { resource: { resourceType: 'ImagingStudy', id: 'b6', status: 'available', subject: S, series: [null, {}], procedureCode: {} } },
      { resource: { resourceType: 'ServiceRequest', id: 'b7', status: 'active', subject: S, code: 'x' } },
      { resource: { resourceType: 'Condition', id: 'b8', subject: S, code: { coding: {} } } },
      { resource: { resourceType: 'MedicationRequest', id: 'b9', status: 'active', subject: S, medicationCodeableConcept: 7 } },
      { resource: { resourceType: 'Observation', id: 'b10', status: 'final', subject: { reference: 'Patient/someone-else' }, code: L('2000-8'), effectiveDateTime: '2026-05-31', valueQuantity: { value: 3.6, unit: 'mmol/L' } } },
    );
    const f = join(tmp, 'hostile.json');
    await writeFile(f, JSON.stringify(b));
    const r = await cli([f, '--now', SCENARIO_REFERENCE_DATE]);
    expect(r.code).toBe(0);
    const ev = JSON.parse(r.stdout) as unknown;
    expectValid(ev);
    // The good results are still there. A newer sodium entry with no value at all is no result: the older
    // sodium decides and the entry is named. A newer chloride that cannot be read decides: unknown, the
    // older one shown as history (the newest result decides, always).
    expect(item(ev, 'calcium')).toMatchObject({ status: 'normal' });
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'sodium').reason ?? '').toMatch(/a newer entry \(30 May 2026\) holds no result: no value/);
    expect(item(ev, 'chloride').status).toBe('unknown');
    expect(item(ev, 'chloride').reason ?? '').toMatch(/could not be interpreted/);
    expect(item(ev, 'chloride').history.length).toBeGreaterThan(0);
    expect(ev.findings.map((x) => x.id)).not.toContain('hypercalcaemia');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    for (const l of lines) expect(l).toMatch(/^evaluate: warning: /);
    expect(r.stderr).not.toMatch(/someone-else|3\.6|Lindqvist|scn-complete-normal/);
  });
});

describe('unusable input: one line on stderr, exit 2, no stack trace, no patient data', () => {
  const cases: Array<[string, () => Promise<string[]>, RegExp]> = [
    ['not JSON', async () => [await file('truman-notes.json', 'Patient: Truman, calcium 2.9 high')], /not valid JSON/],
    ['an empty file', async () => [await file('empty.json', '')], /empty/],
    ['a Bundle without Patient', async () => [await file('nopatient.json', JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] }))], /no Patient/],
    ['a missing file', async () => [join(tmp, 'wiegand-truman.json')], /cannot read the input \(no such file or folder\)/],
    ['an empty folder', async () => [await folder('empty-folder')], /no \.ndjson files/],
    ['a folder without Patient', async () => [await folder('no-patient-folder', { 'Observation.ndjson': '{"resourceType":"Observation"}\n' })], /no Patient resource/],
    ['a bad --now', async () => [join(SCENARIO_DIR, 'complete-normal.json'), '--now', '2026-02-30'], /--now must be a calendar date/],
    ['a --now that is not a date', async () => [join(SCENARIO_DIR, 'complete-normal.json'), '--now', 'yesterday'], /--now must be a calendar date/],
    ['--now without value', async () => [join(SCENARIO_DIR, 'complete-normal.json'), '--now'], /--now needs a value/],
    ['an unknown option', async () => [join(SCENARIO_DIR, 'complete-normal.json'), '--verbose'], /unknown option --verbose/],
    ['an unknown format', async () => [join(SCENARIO_DIR, 'complete-normal.json'), '--format', 'xml'], /--format must be json, text or note/],
    ['no input', async () => [], /no input given/],
    ['two inputs', async () => [join(SCENARIO_DIR, 'complete-normal.json'), join(SCENARIO_DIR, 'stale-workup.json')], /only one input/],
  ];

  async function file(name: string, content: string): Promise<string> {
    const p = join(tmp, name);
    await writeFile(p, content);
    return p;
  }
  async function folder(name: string, files: Record<string, string> = {}): Promise<string> {
    const p = join(tmp, name);
    await mkdir(p, { recursive: true });
    for (const [f, c] of Object.entries(files)) await writeFile(join(p, f), c);
    return p;
  }

  it.each(cases)('%s', async (_name, args, message) => {
    const r = await cli(await args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^evaluate: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
    expect(r.stderr).not.toMatch(/truman|wiegand|calcium|2\.9/i);
  });
});
