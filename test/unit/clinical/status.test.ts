import { describe, expect, it } from 'vitest';
import type { MedicationRequest } from 'fhir/r4';
import type { LoadFailure } from '../../../src/clinical/index';
import {
  NEGATIVE,
  PATIENT_ID,
  imagingStudy,
  item,
  loinc,
  obs,
  obsCoded,
  obsString,
  order,
  procedure,
  report,
  run,
  snomed,
  textCode,
} from './fixtures';

const fail = (resourceType: LoadFailure['resourceType'], httpStatus = 500): LoadFailure => ({
  resourceType,
  kind: httpStatus === 403 ? 'forbidden' : 'failed',
  httpStatus,
  message: 'server error',
});

describe('the six statuses (section 5)', () => {
  it('normal: newest valid result within the window is in range', () => {
    const i = item(run([obs('2951-2', 140, 'mmol/L')]), 'sodium');
    expect(i.status).toBe('normal');
    expect(i.latest).toMatchObject({ value: 140, unit: 'mmol/L', date: '2025-06-01', source: expect.stringMatching(/^Observation\//) });
    expect(i.range?.source).toBe('built-in');
  });

  it('abnormal: out of range, with direction', () => {
    const i = item(run([obs('2823-3', 3.0, 'mmol/L')]), 'potassium');
    expect(i.status).toBe('abnormal');
    expect(i.direction).toBe('low');
    expect(i.reason).toMatch(/below the range/);
  });

  it('abnormal: an abnormal interpretation code (A) without direction', () => {
    const i = item(run([obs('2951-2', 140, 'mmol/L', { interp: 'A' })]), 'sodium');
    expect(i.status).toBe('abnormal');
  });

  it('outdated: the newest valid result is older than the window, its own flag still shown', () => {
    const i = item(run([obs('2823-3', 3.0, 'mmol/L', { date: '2024-06-01' })]), 'potassium');
    expect(i.status).toBe('outdated');
    expect(i.latest?.flag).toBe('low');
    expect(i.reason).toMatch(/6-month window/);
  });

  it('recency windows per item: 6 months blood, 12 months PTH, 3 months urinalysis, 24 months imaging, any time biopsy', () => {
    const d = '2024-09-01'; // 9.5 months before NOW
    const ev = run([
      obs('2951-2', 140, 'mmol/L', { date: d }),
      obs('2731-8', 4, 'pmol/L', { date: d }),
      obsCoded('5802-4', NEGATIVE, { date: '2025-02-01' }),
      report(loinc('24558-9', 'US Abdomen'), { date: '2023-08-01' }),
      procedure(snomed('48426002', 'Renal biopsy'), { date: '2010-01-01' }),
    ]);
    expect(item(ev, 'sodium').status).toBe('outdated');
    expect(item(ev, 'pth').status).toBe('normal');
    expect(item(ev, 'urinalysis').status).toBe('outdated');
    expect(item(ev, 'renal-ultrasound').status).toBe('normal');
    expect(item(ev, 'renal-biopsy').status).toBe('normal');
  });

  it('pending: an active or on-hold order and no valid result within the window', () => {
    for (const status of ['active', 'on-hold']) {
      const i = item(run([order(loinc('2731-8'), { status })]), 'pth');
      expect(i.status).toBe('pending');
      expect(i.reason).toMatch(/ordered/);
    }
    expect(item(run([order(loinc('2731-8'), { status: 'completed' })]), 'pth').status).toBe('missing');
    expect(item(run([order(loinc('2731-8'), { status: 'revoked' })]), 'pth').status).toBe('missing');
  });

  it('pending beats outdated when re-ordered after the last result; an order older than the result does not', () => {
    const old = obs('2731-8', 4, 'pmol/L', { date: '2023-01-01' });
    expect(item(run([old, order(loinc('2731-8'), { date: '2025-06-01' })]), 'pth').status).toBe('pending');
    expect(item(run([old, order(loinc('2731-8'), { date: '2022-12-01' })]), 'pth').status).toBe('outdated');
  });

  it('an open order older than the item\'s window is not pending: missing, saying it was ordered with no result', () => {
    // a 24-hour urine calcium ordered in 2019 and never resulted, evaluated in 2025 (12-month window)
    const i = item(run([order(loinc('14637-3'), { date: '2019-03-01' })]), 'urine-calcium-24h');
    expect(i.status).toBe('missing');
    expect(i.reason).toBe('ordered 1 Mar 2019, no result');
    expect(i.pending).toBeUndefined();
    // within the window it is pending
    expect(item(run([order(loinc('14637-3'), { date: '2024-09-01' })]), 'urine-calcium-24h')).toMatchObject({ status: 'pending', reason: 'ordered on 1 Sep 2024' });
  });

  it('an old open order after an outdated result: outdated, and the order is named', () => {
    const i = item(run([obs('2731-8', 5, 'pmol/L', { date: '2020-01-01' }), order(loinc('2731-8'), { date: '2021-01-01' })]), 'pth');
    expect(i.status).toBe('outdated');
    expect(i.reason).toMatch(/ordered 1 Jan 2021, no result/);
  });

  it('pending from a panel order covers its analytes', () => {
    const ev = run([order(loinc('24323-8', 'Comprehensive metabolic panel'))]);
    expect(item(ev, 'sodium').status).toBe('pending');
    expect(item(ev, 'albumin').status).toBe('pending');
    expect(item(ev, 'pth').status).toBe('missing');
  });

  it('pending from a registered or partial DiagnosticReport (imaging, a lab panel, a single lab)', () => {
    const i = item(run([report(loinc('24558-9'), { status: 'registered' })]), 'renal-ultrasound');
    expect(i.status).toBe('pending');
    const ev = run([report(loinc('24362-6', 'Renal function panel'), { status: 'partial' }), report(loinc('2731-8'), { status: 'registered' })]);
    expect(item(ev, 'phosphate').status).toBe('pending');
    expect(item(ev, 'pth').status).toBe('pending');
    expect(item(ev, 'pth').reason).toMatch(/^registered on \d{1,2} [A-Z][a-z]{2} \d{4}, not yet resulted$/);
  });

  it('missing: never done and not ordered', () => {
    const i = item(run([]), 'pth');
    expect(i.status).toBe('missing');
    expect(i.latest).toBeUndefined();
    expect(i.history).toEqual([]);
  });

  it('unknown: results exist but none can be interpreted', () => {
    const i = item(run([obs('2951-2', 140, 'mmol/dL')]), 'sodium');
    expect(i.status).toBe('unknown');
    expect(i.reason).toMatch(/not recognised/);
    expect(i.latest?.flag).toBe('uninterpretable');
  });

  it('unknown when the newest result is unreadable even with an older outdated one', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { date: '2023-01-01' }), obsString('2951-2', 'see comment', { date: '2025-06-01' })]);
    expect(item(ev, 'sodium').status).toBe('unknown');
    expect(item(ev, 'sodium').history).toHaveLength(1);
  });

  it('a newer entry that holds no result ("Blank") is named, and the older result decides', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { date: '2025-05-01' }), obsString('2951-2', 'Blank', { date: '2025-06-01' })]);
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'sodium').reason).toBe('a newer entry (1 Jun 2025) holds no result: no result ("Blank")');
  });

  it('the newest result decides: a newer result that cannot be read makes the item unknown, the older one is history', () => {
    // calcium 12.6 "mg%" would read as normal from an older 9.4 mg/dL if the older one stood in
    const ev = run([obs('17861-6', 9.4, 'mg/dL', { date: '2025-05-01' }), obs('17861-6', 12.6, 'mg/furlong', { date: '2025-06-01' })]);
    const ca = item(ev, 'calcium');
    expect(ca.status).toBe('unknown');
    expect(ca.latest).toMatchObject({ date: '2025-06-01', flag: 'uninterpretable' });
    expect(ca.reason).toMatch(/result could not be interpreted: unit "mg\/furlong" not recognised/);
    expect(ca.history.map((h) => h.date)).toEqual(['2025-05-01']);
  });

  it('potassium sent as text "2.9 L": the trailing L is the laboratory\'s low flag, not a unit', () => {
    const ev = run([obs('2823-3', 4.0, 'mmol/L', { date: '2025-05-01' }), obsString('2823-3', '2.9 L', { date: '2025-06-01' })]);
    const k = item(ev, 'potassium');
    expect(k).toMatchObject({ status: 'abnormal', direction: 'low' });
    expect(k.latest).toMatchObject({ value: 2.9, date: '2025-06-01' });
  });

  it('history: earlier valid results, newest first', () => {
    const ev = run([
      obs('2951-2', 139, 'mmol/L', { date: '2025-01-01' }),
      obs('2951-2', 141, 'mmol/L', { date: '2025-06-01' }),
      obs('2951-2', 140, 'mmol/L', { date: '2025-03-01' }),
    ]);
    const i = item(ev, 'sodium');
    expect(i.latest?.value).toBe(141);
    expect(i.history.map((h) => h.value)).toEqual([140, 139]);
  });
});

describe('load failures (issue 3: never missing when the query failed)', () => {
  it('Observations failed and nothing found: unknown with the reason', () => {
    const ev = run([], { failures: [fail('Observation', 500)] });
    const i = item(ev, 'sodium');
    expect(i.status).toBe('unknown');
    expect(i.reason).toBe('Observations (lab results) could not be loaded (HTTP 500): could not be checked');
    expect(ev.failures).toHaveLength(1);
    // imaging does not live in Observations
    expect(item(ev, 'renal-ultrasound').status).toBe('missing');
  });

  it('forbidden DiagnosticReports make imaging unknown, even when another source shows it was done', () => {
    const ev = run([], { failures: [fail('DiagnosticReport', 403)] });
    expect(item(ev, 'renal-ultrasound').status).toBe('unknown');
    expect(item(ev, 'renal-ultrasound').reason).toMatch(/access refused/);
    // The study was done (ImagingStudy), but its report, which may describe nephrocalcinosis, could
    // not be read: "done, nothing abnormal" (normal) cannot be asserted. The study is still shown.
    const ev2 = run([imagingStudy({ description: 'US Kidneys', modality: 'US' })], { failures: [fail('DiagnosticReport', 403)] });
    expect(item(ev2, 'renal-ultrasound').status).toBe('unknown');
    expect(item(ev2, 'renal-ultrasound').latest?.source).toBeDefined();
    expect(item(ev2, 'renal-ultrasound').reason).toMatch(/newer results could not be checked.*access refused/);
  });

  it('a partly loaded type never yields normal: the loaded in-range result is shown as unknown', () => {
    const resources = [obs('2951-2', 140, 'mmol/L', { date: '2025-06-01' }), obs('2823-3', 2.9, 'mmol/L', { date: '2025-06-01' })];
    const ev = run(resources, { failures: [fail('Observation')] });
    const sodium = item(ev, 'sodium');
    expect(sodium.status).toBe('unknown');
    expect(sodium.latest?.value).toBe(140);
    expect(sodium.reason).toMatch(/newest loaded result is in range, but newer results could not be checked/);
    // an out-of-range value that was seen stays abnormal, with the same warning
    const potassium = item(ev, 'potassium');
    expect(potassium.status).toBe('abnormal');
    expect(potassium.direction).toBe('low');
    expect(potassium.reason).toMatch(/newer results could not be checked/);
    // and without the failure the same sodium is normal
    expect(item(run(resources), 'sodium').status).toBe('normal');
  });

  it('orders failed and no result: unknown, not missing', () => {
    const ev = run([], { failures: [fail('ServiceRequest', 500)] });
    expect(item(ev, 'pth').status).toBe('unknown');
    expect(item(ev, 'pth').reason).toMatch(/whether it was ordered could not be checked/);
  });

  it('an outdated result with a failed load says newer results could not be checked', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { date: '2023-01-01' })], { failures: [fail('Observation')] });
    expect(item(ev, 'sodium').status).toBe('outdated');
    expect(item(ev, 'sodium').reason).toMatch(/newer results could not be checked/);
  });

  it('ignores malformed failure entries', () => {
    const ev = run([], { failures: [{ resourceType: 'Banana' } as unknown as LoadFailure] });
    expect(item(ev, 'sodium').status).toBe('missing');
    expect(ev.failures).toBeUndefined();
  });
});

describe('qualitative items and imaging evidence (sections 1 and 5)', () => {
  it('urinalysis done and negative is normal, shown as done', () => {
    const ev = run([obsCoded('5802-4', NEGATIVE), obsCoded('5799-2', NEGATIVE)]);
    const i = item(ev, 'urinalysis');
    expect(i.status).toBe('normal');
    expect(i.latest?.value).toMatch(/done/);
  });

  it('urine culture: organism is abnormal, no growth normal', () => {
    expect(item(run([obsString('630-4', 'Escherichia coli >100,000 CFU/mL')]), 'urine-culture').status).toBe('abnormal');
    expect(item(run([obsString('630-4', 'No growth')]), 'urine-culture').status).toBe('normal');
    expect(item(run([obsString('630-4', 'Specimen leaked')]), 'urine-culture').status).toBe('unknown');
  });

  it('imaging report with a conclusion is done; a coded abnormal finding is abnormal', () => {
    const ok = item(run([report(loinc('24558-9', 'US Abdomen'), { conclusion: 'Normal kidneys.' })]), 'renal-ultrasound');
    expect(ok.status).toBe('normal');
    expect(ok.latest?.value).toBe('Normal kidneys.');
    const abn = item(
      run([report(loinc('24558-9'), { conclusion: 'Medullary nephrocalcinosis', conclusionCode: [snomed('22625006', 'Nephrocalcinosis')] })]),
      'renal-ultrasound',
    );
    expect(abn.status).toBe('abnormal');
  });

  it('imaging report matched by text (local code; generic 18748-4), marked as a text match', () => {
    const dr = report(textCode('US KIDNEYS BILATERAL'), { category: 'RAD' });
    const i = item(run([dr]), 'renal-ultrasound');
    expect(i.status).toBe('normal');
    expect(i.latest?.matchedByText).toBe(true);
    const generic = report({ coding: [{ system: 'http://loinc.org', code: '18748-4' }], text: 'CT abdomen and pelvis without contrast' }, { category: 'RAD' });
    expect(item(run([generic]), 'ct-abdomen').status).toBe('normal');
  });

  it('ImagingStudy: procedure code, or a description naming the kidneys/abdomen', () => {
    expect(item(run([imagingStudy({ procedureCode: snomed('45036003', 'Ultrasonography of abdomen') })]), 'renal-ultrasound').status).toBe('normal');
    expect(item(run([imagingStudy({ description: 'Renal ultrasound', modality: 'US' })]), 'renal-ultrasound').status).toBe('normal');
    expect(item(run([imagingStudy({ description: 'Chest', modality: 'DX' })]), 'renal-ultrasound').status).toBe('missing');
    expect(item(run([imagingStudy({ description: 'US kidneys', status: 'registered' })]), 'renal-ultrasound').status).toBe('pending');
  });

  it('Procedure: completed is done; preparation/in-progress pending; not-done ignored', () => {
    expect(item(run([procedure(snomed('48426002', 'Biopsy of kidney'))]), 'renal-biopsy').status).toBe('normal');
    expect(item(run([procedure(snomed('48426002'), { status: 'preparation' })]), 'renal-biopsy').status).toBe('pending');
    expect(item(run([procedure(snomed('48426002'), { status: 'not-done' })]), 'renal-biopsy').status).toBe('missing');
    expect(item(run([procedure(textCode('Plain chest X-ray'))]), 'abdominal-xray').status).toBe('missing');
  });

  it('ServiceRequest for imaging is an order (pending), never a result', () => {
    expect(item(run([order(snomed('45036003', 'US abdomen'))]), 'renal-ultrasound').status).toBe('pending');
  });

  it('genetic testing by SNOMED procedure', () => {
    expect(item(run([procedure(snomed('405824009', 'Genetic test'))]), 'genetic-testing').status).toBe('normal');
  });
});

describe('applicability when the record could not be fully loaded', () => {
  it('a conditional item whose rule reads medicines that failed is shown as applying, unknown, with the reason', () => {
    const ev = run([], { failures: [fail('MedicationRequest', 500)] });
    const d = item(ev, 'vitamin-d');
    expect(d).toMatchObject({ applies: true, applicability: 'unknown', status: 'unknown' });
    expect(d.reason).toBe('whether it applies could not be checked (Medication requests could not be loaded (HTTP 500))');
    expect(item(ev, 'genetic-testing')).toMatchObject({ applies: false, status: 'missing' });
    expect(item(ev, 'genetic-testing').applicability).toBeUndefined();
    // the failure names the rows it affects, so the banner's words match them
    expect(ev.failures![0]!.affects).toContain('vitamin-d');
  });

  it('applicability decided by what was loaded stands: a loop diuretic found makes magnesium apply although Conditions failed', () => {
    const furosemide: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${PATIENT_ID}` },
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '4603' }] },
    };
    const ev = run([furosemide], { failures: [fail('Condition', 403)] });
    expect(item(ev, 'magnesium')).toMatchObject({ applies: true, status: 'missing' });
    expect(item(ev, 'magnesium').applicability).toBeUndefined();
  });

  it('a failed type never removes an item from the count: the only items it adds are those whose applicability it makes unknown', () => {
    const total = run([]).summary.total;
    for (const type of ['Observation', 'Condition', 'MedicationRequest', 'MedicationStatement', 'DiagnosticReport', 'ServiceRequest'] as const) {
      const ev = run([], { failures: [fail(type, 500)] });
      // (an item that is never a gap, such as ionised calcium, is shown but not counted)
      const unknownApplicability = ev.items.filter((i) => i.applicability === 'unknown' && !i.notAGap).length;
      expect(ev.summary.total - unknownApplicability, type).toBe(total);
    }
  });
});

describe('results that cannot be placed or reconciled are never hidden', () => {
  it('two valid results at the same time that disagree: the abnormal one is shown and the conflict said', () => {
    const a = obs('17861-6', 2.4, 'mmol/L', { id: 'a', date: '2025-06-01T08:00:00Z' });
    const b = obs('17861-6', 2.92, 'mmol/L', { id: 'b', date: '2025-06-01T08:00:00Z' });
    const i = item(run([a, b]), 'calcium');
    expect(i.status).toBe('abnormal');
    expect(i.latest?.source).toBe('Observation/b');
    // the other result is named by its value (it is the first of the history); no resource reference in the words
    expect(i.reason).toMatch(/another result at the same time differs \(2\.4 mmol\/L\)/);
    expect(i.reason).not.toContain('Observation/');
    expect(i.history.map((h) => h.source)).toEqual(['Observation/a']);
  });

  it('a result with an unreadable date next to a valid one is named in the reason', () => {
    const ok = obs('2823-3', 4.2, 'mmol/L', { date: '2025-06-01' });
    const bad = obs('2823-3', 1.9, 'mmol/L', { date: '2025-13-45' });
    const i = item(run([ok, bad]), 'potassium');
    expect(i.status).toBe('normal');
    expect(i.reason).toMatch(/a result without a usable date not used \(1\.9 mmol\/L: date "2025-13-45" is not valid\)/);
  });
});

describe('different analytes of one item at the same time', () => {
  it('a 24-hour protein and a PCR at the same time do not "conflict"; the abnormal one is shown', () => {
    const a = obs('2889-4', 84, 'mg/(24.h)', { date: '2025-06-01T08:00:00Z' });
    const b = obs('34366-5', 40, 'mg/mmol', { id: 'pcr', date: '2025-06-01T08:00:00Z' });
    const i = item(run([a, b]), 'urine-protein');
    expect(i.status).toBe('abnormal');
    expect(i.latest?.source).toBe('Observation/pcr');
    expect(i.reason ?? '').not.toMatch(/differs/);
  });
});

describe('a final and a preliminary result at the same time', () => {
  it('the final one is shown', () => {
    const p = obs('2951-2', 140, 'mmol/L', { id: 'a-prelim', status: 'preliminary', date: '2025-06-01T08:00:00Z' });
    const f = obs('2951-2', 140, 'mmol/L', { id: 'b-final', date: '2025-06-01T08:00:00Z' });
    const i = item(run([p, f]), 'sodium');
    expect(i.latest?.source).toBe('Observation/b-final');
    expect(i.latest?.resultStatus).toBeUndefined();
  });
});

describe('imaging reports read from their free text (section 5)', () => {
  const us = (conclusion: string, extra: { id?: string; date?: string } = {}) => ({ ...report(loinc('24558-9'), { conclusion, ...extra }) });

  it('a conclusion naming the findings is abnormal, read from the text; CT then applies', () => {
    const ev = run([us('bilateral medullary nephrocalcinosis; 9 mm calculus, mild hydronephrosis')]);
    const u = item(ev, 'renal-ultrasound');
    expect(u).toMatchObject({ status: 'abnormal' });
    expect(u.latest?.textOnly).toBe('finding');
    expect(item(ev, 'ct-abdomen')).toMatchObject({ applies: true, status: 'missing' });
  });

  it('a negated or uncertain mention is "done: read the report", never abnormal, and never decides that CT does not apply', () => {
    for (const text of ['No calculi, hydronephrosis or nephrocalcinosis', 'Possible early nephrocalcinosis']) {
      const ev = run([us(text)]);
      expect(item(ev, 'renal-ultrasound'), text).toMatchObject({ status: 'normal', latest: { textOnly: 'done' } });
      const ct = item(ev, 'ct-abdomen');
      expect(ct, text).toMatchObject({ applies: true, applicability: 'unknown', status: 'unknown' });
      expect(ct.reason, text).toMatch(/renal \/ abdominal ultrasound: the report is free text \(read the report\)/i);
    }
  });

  it('a coded conclusion decides as before (a coded normal finding lets CT not apply)', () => {
    const r = report(loinc('24558-9'), { conclusion: 'Normal kidneys', conclusionCode: [snomed('281900007', 'No abnormality detected')] });
    const ev = run([r]);
    expect(item(ev, 'renal-ultrasound').latest?.textOnly).toBeUndefined();
    expect(item(ev, 'ct-abdomen')).toMatchObject({ applies: false });
  });

  it('an ImagingStudy and the report of it are one examination: no "another result differs" note', () => {
    const study = imagingStudy({ id: 'st1', date: '2025-05-20T10:00:00Z', description: 'US kidneys' });
    const rep = { ...report(loinc('24558-9'), { id: 'rp1', date: '2025-05-20T10:00:00Z', conclusion: 'Medullary nephrocalcinosis.' }), imagingStudy: [{ reference: 'ImagingStudy/st1' }] };
    const u = item(run([study, rep]), 'renal-ultrasound');
    expect(u.status).toBe('abnormal');
    expect(u.latest?.source).toBe('DiagnosticReport/rp1');
    expect(u.reason ?? '').not.toMatch(/another result/);
    expect(u.history).toEqual([]);
  });
});

describe('dipstick "trace" is equivocal (section 5)', () => {
  it('a trace leukocyte esterase with a negative nitrite: urinalysis done, the trace named as equivocal, no infection finding', () => {
    const ev = run([obsString('5799-2', 'Trace', { date: '2025-06-01' }), obsCoded('5802-4', NEGATIVE, { date: '2025-06-01' })]);
    const ua = item(ev, 'urinalysis');
    expect(ua.status).toBe('normal');
    expect(ua.latest?.value).toBe('done (2 results); leukocyte esterase: Trace (equivocal)');
    expect(ev.findings.map((f) => f.id)).not.toContain('urinary-infection');
  });
});

describe('the audit cases of the newest result (issue of the clinical audit, item 1)', () => {
  it('calcium 12.6 "mg%" newer than 9.4 mg/dL: read as 3.14 mmol/L, high (never normal from the older one)', () => {
    const ca = item(run([obs('17861-6', 9.4, 'mg/dL', { date: '2025-05-01' }), obs('17861-6', 12.6, 'mg%', { date: '2025-06-01', ucum: null })]), 'calcium');
    expect(ca).toMatchObject({ status: 'abnormal', direction: 'high' });
    expect(ca.latest?.value).toBeCloseTo(3.14, 2);
  });
});
