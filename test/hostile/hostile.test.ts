/**
 * Hostile and broken data (issue 3): the engine never throws, never attributes another patient's
 * resources, never interprets markup, and never calls `normal` what it could not read. An item
 * backed only by bad data is `unknown` (with a reason) or `missing`. Every output passes the
 * schema check and contains only finite numbers (ev() / evalChecked()).
 */
import type { FhirResource, Observation, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import type { Evaluation } from '../../src/clinical/index';
import { DAY, NOW, PID, adult, code, ev, localOnly, q, qRange, s, textRange } from '../vendor/build';
import { allSources, evalChecked, expectSchemaValid, falseNormals, item } from '../vendor/support';

const K = '2823-3';

/** The item is backed only by bad data: unknown with a reason, or missing; never normal or abnormal by guess. */
function onlyBad(e: Evaluation, id: string): void {
  const i = item(e, id);
  expect(['unknown', 'missing'], `${id}: ${i.status} ${i.reason ?? ''}`).toContain(i.status);
  if (i.status === 'unknown') expect(i.reason).toBeTruthy();
  expect(falseNormals(e)).toEqual([]);
}

const bare = (extra: Record<string, unknown>): FhirResource =>
  ({ resourceType: 'Observation', id: 'h1', status: 'final', subject: { reference: `Patient/${PID}` }, ...extra }) as unknown as FhirResource;

describe('resources without code, subject or date', () => {
  it('no code: ignored (not evidence for any item)', () => {
    const e = ev([bare({ effectiveDateTime: DAY, valueQuantity: { value: 4, unit: 'mmol/L' } })]);
    expect(e.summary.missing).toBe(e.summary.total);
  });

  it('empty code ({}), coding [] and coding [null]: ignored', () => {
    for (const c of [{}, { coding: [] }, { coding: [null] }, { coding: 'x' }, { text: 42 }]) {
      const e = ev([bare({ code: c, effectiveDateTime: DAY, valueQuantity: { value: 4, unit: 'mmol/L' } })]);
      expect(e.summary.normal).toBe(0);
    }
  });

  it('no subject: never attributed to anyone', () => {
    const o = q(K, 4.0, 'mmol/L');
    delete (o as Partial<Observation>).subject;
    expect(item(ev([o]), 'potassium').status).toBe('missing');
  });

  it('subject with display or identifier only (no reference): not attributed', () => {
    const a = q(K, 4.0, 'mmol/L');
    a.subject = { display: 'Shape Test' };
    const b = q(K, 4.0, 'mmol/L');
    b.subject = { identifier: { system: 'urn:mrn', value: PID } };
    expect(item(ev([a, b]), 'potassium').status).toBe('missing');
  });

  it('no date at all: unknown ("no date"), not normal', () => {
    const o = q(K, 4.0, 'mmol/L');
    delete o.effectiveDateTime;
    const e = ev([o]);
    onlyBad(e, 'potassium');
    expect(item(e, 'potassium').reason).toMatch(/date/);
  });

  it('issued only (no effective): the result counts with the issued date (section 4)', () => {
    const o = q(K, 4.0, 'mmol/L');
    delete o.effectiveDateTime;
    o.issued = '2025-06-09T10:00:00Z';
    const k = item(ev([o]), 'potassium');
    expect(k.status).toBe('normal');
    expect(k.latest?.date).toBe('2025-06-09T10:00:00Z');
  });
});

describe('garbage and future dates', () => {
  const GARBAGE: unknown[] = ['yesterday', '2025-13-01', '2023-02-31', '0000-00-00', '1700-01-01', '2025-06-08T25:99:00Z', '', ' ', 20250608, null, {}, ['2025-06-08'], true, '2025-06-08<script>'];
  it.each(GARBAGE.map((g) => [JSON.stringify(g), g]))('effectiveDateTime %s → unknown with a reason', (_l, g) => {
    const o = q(K, 4.0, 'mmol/L');
    (o as unknown as Record<string, unknown>).effectiveDateTime = g;
    onlyBad(ev([o]), 'potassium');
  });

  it('a result dated in the future (2099) is not used: unknown, the date named', () => {
    const e = ev([q(K, 4.0, 'mmol/L', { date: '2099-01-01' })]);
    onlyBad(e, 'potassium');
    expect(item(e, 'potassium').reason).toMatch(/future/);
  });

  it('a future-dated result does not hide a valid current one', () => {
    const e = ev([q(K, 9.9, 'mmol/L', { date: '2099-01-01' }), q(K, 4.0, 'mmol/L', { id: 'ok' })]);
    expect(item(e, 'potassium').status).toBe('normal');
    expect(item(e, 'potassium').latest?.source).toBe('Observation/ok');
  });

  it('effectivePeriod with garbage start and a valid end uses the end', () => {
    const o = q(K, 4.0, 'mmol/L');
    delete o.effectiveDateTime;
    o.effectivePeriod = { start: 'garbage', end: DAY };
    expect(item(ev([o]), 'potassium').status).toBe('normal');
  });
});

describe('non-numeric values and absurd magnitudes', () => {
  const BAD_VALUES: unknown[] = ['abc', '', {}, [], true, null, 'NaN', 'Infinity', '--4', NaN, Infinity, -Infinity];
  it.each(BAD_VALUES.map((v) => [String(JSON.stringify(v) ?? v), v]))('valueQuantity.value %s → unknown', (_l, v) => {
    const o = q(K, v, 'mmol/L');
    onlyBad(ev([o]), 'potassium');
  });

  it.each([
    ['potassium 1e308 mmol/L', K, 1e308, 'mmol/L', 'potassium'],
    ['potassium -4 mmol/L', K, -4, 'mmol/L', 'potassium'],
    ['potassium 0 mmol/L', K, 0, 'mmol/L', 'potassium'],
    ['sodium 14000 mmol/L (typing error)', '2951-2', 14000, 'mmol/L', 'sodium'],
    ['calcium 1e-300 mmol/L', '17861-6', 1e-300, 'mmol/L', 'calcium'],
    ['eGFR -5', '33914-3', -5, 'mL/min/{1.73_m2}', 'egfr'],
    ['albumin 4e9 g/L', '1751-7', 4e9, 'g/L', 'albumin'],
  ])('%s → unknown ("implausible"/"negative"), never normal, output finite', (_l, loinc, value, unit, id) => {
    const e = ev([q(loinc as string, value, unit as string)]);
    onlyBad(e, id as string);
  });

  // regression, engine defect found here and fixed in the core (ee6fb5f): creatinine 1e308 mg/dL converts to Infinity umol/L (x 88.4); the implausible
  // canonical value is still emitted as `latest.value` (Infinity), which the JSON output turns into
  // null: the evaluator's output no longer validates against the schema. A non-finite canonical
  // value must be dropped (keep the reported value only).
  it('creatinine 1e308 mg/dL (Infinity once converted) → unknown, output finite and schema-valid', () => {
    onlyBad(ev([q('2160-0', 1e308, 'mg/dL')]), 'creatinine');
  });

  // regression, engine defect found here and fixed in the core (ee6fb5f): a valueQuantity.value sent as the string "4.0.1" is read as 4.0 (values.ts
  // quantityParts keeps parseNumericString's number and ignores the trailing ".1"): garbage that
  // becomes a `normal` potassium. A string value is acceptable only when it is a number and nothing else.
  it('valueQuantity.value "4.0.1" (string) → unknown, not 4.0 normal', () => {
    onlyBad(ev([q(K, '4.0.1', 'mmol/L')]), 'potassium');
  });

  it('valueQuantity.value "4.0" (a number sent as a string) is read as 4.0', () => {
    expect(item(ev([q(K, '4.0', 'mmol/L')]), 'potassium').latest?.value).toBe(4);
  });

  it('an absurd creatinine does not produce a derived eGFR', () => {
    const e = evaluate({ patient: adult({ birthDate: '1970-01-01', gender: 'male' }), resources: [q('2160-0', 1e308, 'mg/dL')], now: NOW });
    expect(item(e, 'egfr').status).not.toBe('normal');
    expect(item(e, 'egfr').latest?.derived).toBeUndefined();
  });

  it('an absurd albumin does not produce a derived adjusted calcium', () => {
    const e = ev([q('17861-6', 2.4, 'mmol/L'), q('1751-7', 4e9, 'g/L')]);
    expect(item(e, 'adjusted-calcium').latest?.derived).toBeUndefined();
  });

  it('valueString "1e308" is not read as 1 (with a unit "e308"): unknown', () => {
    onlyBad(ev([s(K, '1e308', { range: [textRange('3.5-5.3')] })]), 'potassium');
  });

  it('potassium 150 without a unit (single scale) → implausible, unknown', () => {
    onlyBad(ev([s(K, '150', { range: [textRange('100-200')] })]), 'potassium');
  });

  // regression, engine defect found here and fixed in the core (ee6fb5f): a value WITHOUT a unit compared with a unit-less lab range skips the
  // plausibility check (ranges.ts flagNumeric, "no unit given" branch): phosphate 500 with the
  // range "100-1000" is called `normal` 500. Phosphate 500 is impossible in every phosphate unit
  // (mmol/L; mg/dL = 161 mmol/L; mg/L = 16 mmol/L): a data error, unknown, never normal.
  it('phosphate 500 without a unit, lab range "100-1000" without a unit → unknown, not normal', () => {
    onlyBad(ev([q('2777-1', 500, undefined, { range: [textRange('100-1000')] })]), 'phosphate');
  });

  // regression, engine defect found by mutation.property.test.ts (FC_SEED=2), fixed in the core (ee6fb5f): a lab referenceRange bound of
  // -1e308 g/dL on albumin converts to -Infinity g/L (x 10) and is emitted as `range.high`; JSON
  // turns it into null and the output fails the schema. An absurd lab range must be ignored (the
  // built-in range used, labelled as such), never used to flag and never emitted non-finite.
  it('an absurd lab range bound (albumin high -1e308 g/dL) is ignored: built-in range, finite output', () => {
    const e = ev([q('1751-7', 4.0, 'g/dL', { range: [qRange(3.5, -1e308, 'g/dL')] })]);
    const a = item(e, 'albumin');
    expect(a.status).toBe('normal');
    expect(a.range?.source).toBe('built-in');
  });

  // regression (engine defect found here, fixed in ranges.ts codingList): evaluate() threw
  // "TypeError: (r.type.coding ?? []).map is not a function" when
  // a referenceRange.type.coding is not an array (ranges.ts isNormalType), and likewise for
  // referenceRange.appliesTo[].coding (pickRange); the numeric flagging runs outside evaluate's
  // per-item guard, so one malformed range crashes the whole panel. Found by
  // mutation.property.test.ts on the Oracle Health capture.
  it('referenceRange.type.coding or appliesTo[].coding not an array: no throw, never normal', () => {
    const extras: object[] = [
      { type: { coding: 'x' } }, { type: { coding: {} } }, { type: { coding: [null, 42] } }, { type: 'normal' }, { type: 42 },
      { appliesTo: [{ coding: 'x' }] }, { appliesTo: [{ coding: {} }] }, { appliesTo: [null] }, { appliesTo: 'x' },
    ];
    for (const extra of extras) {
      const e = ev([q(K, 6.0, 'mmol/L', { range: [{ ...qRange(3.5, 5.3, 'mmol/L'), ...extra }] })]);
      expect(item(e, 'potassium').status, JSON.stringify(extra)).not.toBe('normal');
    }
  });

  it('an inverted lab range ("5.3-3.5") is not used: built-in range instead', () => {
    const k = item(ev([q(K, 4.0, 'mmol/L', { range: [textRange('5.3-3.5')] })]), 'potassium');
    expect(k).toMatchObject({ status: 'normal', range: { source: 'built-in' } });
  });

  it('an unknown comparator ("~") → unknown', () => {
    onlyBad(ev([q(K, 4.0, 'mmol/L', { comparator: '~' })]), 'potassium');
  });
});

describe('qualitative and imaging evidence with bad dates or values', () => {
  const sub = { reference: `Patient/${PID}` };
  const snomedBiopsy = { coding: [{ system: 'http://snomed.info/sct', code: '48426002' }] };

  it('ultrasound report with a garbage date → unknown, the date named; never "done"', () => {
    const e = ev([{ resourceType: 'DiagnosticReport', id: 'd', status: 'final', subject: sub, code: code('24558-9'), effectiveDateTime: 'garbage', conclusion: 'Normal kidneys' }]);
    onlyBad(e, 'renal-ultrasound');
    expect(item(e, 'renal-ultrasound').reason).toMatch(/garbage/);
  });

  it('biopsy dated in the future or undated → unknown', () => {
    onlyBad(ev([{ resourceType: 'Procedure', id: 'p', status: 'completed', subject: sub, code: snomedBiopsy, performedDateTime: '2099-01-01' }]), 'renal-biopsy');
    onlyBad(ev([{ resourceType: 'Procedure', id: 'p', status: 'completed', subject: sub, code: snomedBiopsy }]), 'renal-biopsy');
  });

  it('imaging study without a start date → unknown', () => {
    onlyBad(ev([{ resourceType: 'ImagingStudy', id: 'i', status: 'available', subject: sub, description: 'US Kidneys' }]), 'renal-ultrasound');
  });

  it('dipstick nitrite with an unreadable coded value or a garbage quantity → unknown', () => {
    onlyBad(ev([{ resourceType: 'Observation', id: 'c', status: 'final', subject: sub, code: code('5802-4'), effectiveDateTime: DAY, valueCodeableConcept: { coding: 'x' } }]), 'urinalysis');
    onlyBad(ev([q('5794-3', 'abc', 'mg/dL')]), 'urinalysis');
    onlyBad(ev([s('5811-5', 'Blank')]), 'urinalysis');
  });

  it('a culture "Blank" → unknown; a calcium "Blank" derives no adjusted calcium', () => {
    onlyBad(ev([s('630-4', 'Blank')]), 'urine-culture');
    const e = ev([s('17861-6', 'Blank'), q('1751-7', 30, 'g/L')]);
    expect(item(e, 'adjusted-calcium').latest).toBeUndefined();
  });

  // regression, engine defect found here and fixed in the core (ee6fb5f): a urine pH of 1e308 (or -3) is not plausibility-checked (values.ts reads the
  // number for the distal-RTA pattern, but the dipstick part is classified "done" from its text),
  // so a urinalysis backed only by an impossible pH is `normal` ("1e+308 [pH]").
  it('a urinalysis made only of an impossible pH (1e308) → unknown, not "done"', () => {
    onlyBad(ev([q('5803-2', 1e308, '[pH]')]), 'urinalysis');
  });
});

describe('results of another patient in the same input: never attributed, in any reference form', () => {
  const OTHER = 'other-2';
  const UUID_ME = '7c1e3b1a-2f4e-4d8a-9b0c-1234567890ab';
  const UUID_OTHER = '9d2f4c2b-3a5f-4e9b-8c1d-abcdefabcdef';
  const FORMS = [
    `Patient/${OTHER}`,
    `https://ehr.example.org/fhir/Patient/${OTHER}`,
    `Patient/${OTHER}/_history/3`,
    `https://ehr.example.org/fhir/Patient/${OTHER}/_history/1`,
    `urn:uuid:${UUID_OTHER}`,
    `patient/${PID}`, // wrong case: FHIR type names are case-sensitive
    `Patient/${PID.toUpperCase()}`, // ids are case-sensitive
    `Patient/${PID}x`,
    `Patient/x${PID}`,
    `Group/${PID}`,
    PID, // a bare id names no resource type
    `Patient/${PID}/Observation/1`,
    ` `,
  ];

  it.each(FORMS)('subject %j: a high potassium (6.5) there is never shown; our own 4.0 stands', (ref) => {
    const theirs = q(K, 6.5, 'mmol/L', { id: 'theirs', subject: ref, date: '2025-06-10' });
    const mine = q(K, 4.0, 'mmol/L', { id: 'mine' });
    const e = ev([theirs, mine]);
    const k = item(e, 'potassium');
    expect(k.status).toBe('normal');
    expect(k.latest?.source).toBe('Observation/mine');
    expect(allSources(e)).not.toContain('Observation/theirs');
  });

  it('positive controls: relative, absolute and versioned references to this patient are attributed', () => {
    for (const ref of [`Patient/${PID}`, `https://ehr.example.org/fhir/Patient/${PID}`, `Patient/${PID}/_history/7`]) {
      const e = ev([q(K, 4.0, 'mmol/L', { id: 'x', subject: ref })]);
      expect(item(e, 'potassium').status, ref).toBe('normal');
    }
  });

  it('urn:uuid: our UUID attributed, another UUID not; the other patient\'s bundle fullUrl is not ours', () => {
    const me: Patient = { resourceType: 'Patient', id: UUID_ME, birthDate: '1970-01-01', gender: 'female' };
    const mine = q(K, 4.0, 'mmol/L', { id: 'mine', subject: `urn:uuid:${UUID_ME}` });
    const theirs = q(K, 6.5, 'mmol/L', { id: 'theirs', subject: `urn:uuid:${UUID_OTHER}`, date: '2025-06-10' });
    const e = evalChecked({ patient: me, resources: [theirs, mine], now: NOW, patientFullUrl: `urn:uuid:${UUID_ME}` });
    expect(item(e, 'potassium').latest?.source).toBe('Observation/mine');
    expect(allSources(e)).not.toContain('Observation/theirs');
  });

  it('same resource id for two patients ("Observation/1"): ours is read, theirs is not merged in as a duplicate', () => {
    const mine = q(K, 4.0, 'mmol/L', { id: '1' });
    const theirs = q(K, 6.5, 'mmol/L', { id: '1', subject: `Patient/${OTHER}` });
    const k = item(ev([theirs, mine]), 'potassium');
    expect(k.latest?.value).toBe(4.0);
    expect(k.history).toEqual([]);
  });

  it('another patient\'s order, report, condition and medicine: no pending, no imaging, no risk factor', () => {
    const sub = { reference: `Patient/${OTHER}` };
    const res = [
      { resourceType: 'ServiceRequest', id: 'sr', status: 'active', intent: 'order', subject: sub, code: code('2731-8'), authoredOn: DAY },
      { resourceType: 'DiagnosticReport', id: 'dr', status: 'final', subject: sub, code: code('24558-9'), effectiveDateTime: DAY, conclusion: 'Medullary nephrocalcinosis' },
      { resourceType: 'Condition', id: 'c', subject: sub, code: { coding: [{ system: 'http://snomed.info/sct', code: '36348003' }], text: 'Primary hyperparathyroidism' } },
      { resourceType: 'MedicationRequest', id: 'm', status: 'active', intent: 'order', subject: sub, medicationCodeableConcept: { text: 'Furosemide 40 mg tablet' } },
      { resourceType: 'Observation', id: 'p', status: 'final', patient: sub, code: code(K), effectiveDateTime: DAY, valueQuantity: { value: 6.5, unit: 'mmol/L' } },
    ];
    const e = ev(res);
    expect(item(e, 'pth').status).toBe('missing');
    expect(item(e, 'renal-ultrasound').status).toBe('missing');
    expect(e.riskFactors).toEqual([]);
    expect(allSources(e)).toEqual([]);
  });
});

describe('markup in every text field stays plain text (the engine never interprets it)', () => {
  const X = '<img src=x onerror="alert(1)">';
  const SCRIPT = '<script>alert("x")</script>';

  it('markup in value, unit, code text, range text, conclusion, condition and medicine text: passed through verbatim as strings', () => {
    const res: unknown[] = [
      s(localOnly(`${X}Urine Culture`), `${SCRIPT} no growth`, { id: 'cult' }),
      q(K, 4.0, `${X}mmol/L`, { ucum: null, id: 'k' }),
      s('2951-2', `${SCRIPT}139`, { id: 'na' }),
      q('17861-6', 2.4, 'mmol/L', { range: [textRange(`${X}2.2-2.6`)], id: 'ca' }),
      { resourceType: 'DiagnosticReport', id: 'us', status: 'final', subject: { reference: `Patient/${PID}` }, code: { coding: [{ system: 'http://loinc.org', code: '24558-9' }], text: `${X}US kidneys` }, effectiveDateTime: DAY, conclusion: `${SCRIPT}Normal kidneys` },
      { resourceType: 'Condition', id: 'cond', subject: { reference: `Patient/${PID}` }, code: { text: `${X}Primary hyperparathyroidism` }, clinicalStatus: { coding: [{ code: 'active' }] } },
      { resourceType: 'MedicationRequest', id: 'med', status: 'active', intent: 'order', subject: { reference: `Patient/${PID}` }, medicationCodeableConcept: { text: `${SCRIPT}Furosemide 40 MG Oral Tablet` } },
    ];
    const e = ev(res);
    // every string of the output that contains markup contains it exactly as given (not escaped,
    // stripped or executed); rendering as text is the view's job
    const strings: string[] = [];
    const walk = (x: unknown): void => {
      if (typeof x === 'string') strings.push(x);
      else if (x && typeof x === 'object') Object.values(x).forEach(walk);
    };
    walk(e);
    const withMarkup = strings.filter((t) => t.includes('<'));
    expect(withMarkup.length).toBeGreaterThan(0);
    for (const t of withMarkup) expect(t.includes(X) || t.includes(SCRIPT), t).toBe(true);
    expect(strings.some((t) => t.includes('&lt;'))).toBe(false);
    // the ultrasound report conclusion is shown verbatim
    expect(String(item(e, 'renal-ultrasound').latest?.value)).toContain(SCRIPT);
    // a unit wrapped in markup is not a recognisable unit: potassium unknown, never guessed
    expect(item(e, 'potassium').status).toBe('unknown');
    // markup before a number is not a number
    expect(item(e, 'sodium').status).toBe('unknown');
    expect(falseNormals(e)).toEqual([]);
  });

  it('"__proto__" and "constructor" keys inside resources pollute nothing', () => {
    const o = JSON.parse(`{"resourceType":"Observation","id":"pp","status":"final","subject":{"reference":"Patient/${PID}"},"code":{"coding":[{"system":"http://loinc.org","code":"${K}"}],"__proto__":{"polluted":true}},"effectiveDateTime":"${DAY}","valueQuantity":{"value":4,"unit":"mmol/L","constructor":{"prototype":{"polluted2":true}}},"__proto__":{"polluted3":true}}`);
    const e = ev([o]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted2).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted3).toBeUndefined();
    expect(item(e, 'potassium').status).toBe('normal');
  });
});

describe('duplicates count once', () => {
  it('the same Observation three times (search page overlap): one result, no history', () => {
    const o = q(K, 4.0, 'mmol/L', { id: 'dup' });
    const k = item(ev([o, structuredClone(o), structuredClone(o)]), 'potassium');
    expect(k.latest?.source).toBe('Observation/dup');
    expect(k.history).toEqual([]);
  });

  it('the same result under two ids (search and report fetch: same code, time, value, unit): counted once', () => {
    const a = q(K, 4.0, 'mmol/L', { id: 'a', date: '2025-06-08T09:00:00Z' });
    const b = q(K, 4.0, 'mmol/L', { id: 'b', date: '2025-06-08T09:00:00Z' });
    expect(item(ev([b, a]), 'potassium').history).toEqual([]);
    expect(item(ev([b, a]), 'potassium').latest?.source).toBe('Observation/a');
  });

  it('a duplicated condition gives one risk factor per record at most, and duplicates never change statuses', () => {
    const cond = { resourceType: 'Condition', id: 'c1', subject: { reference: `Patient/${PID}` }, code: { coding: [{ system: 'http://snomed.info/sct', code: '36348003' }] }, clinicalStatus: { coding: [{ code: 'active' }] } };
    const one = ev([cond, q(K, 4.0, 'mmol/L', { id: 'k' })]);
    const two = ev([cond, structuredClone(cond), q(K, 4.0, 'mmol/L', { id: 'k' }), q(K, 4.0, 'mmol/L', { id: 'k' })]);
    expect(two.items).toEqual(one.items);
    expect(two.summary).toEqual(one.summary);
    expect(two.riskFactors.filter((r) => r.source === 'Condition/c1').length).toBeLessThanOrEqual(1);
  });
});

describe('unknown resource types and non-resources', () => {
  it('garbage entries are skipped, the good result still counts', () => {
    const junk: unknown[] = [
      null, undefined, 42, 'Observation', [], [q(K, 9, 'mmol/L')], {}, { resourceType: 123 }, { resourceType: 'Banana', subject: { reference: `Patient/${PID}` } },
      { resourceType: 'OperationOutcome', issue: [] }, { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: q(K, 9, 'mmol/L') }] },
      { resourceType: 'Patient', id: 'someone-else' }, { resourceType: 'Observation' }, { resourceType: 'Medication', id: { x: 1 } },
      { resourceType: 'observation', id: 'lc', status: 'final', subject: { reference: `Patient/${PID}` }, code: code(K), effectiveDateTime: DAY, valueQuantity: { value: 9, unit: 'mmol/L' } },
      q(K, 4.0, 'mmol/L', { id: 'good' }),
    ];
    const e = ev(junk);
    const k = item(e, 'potassium');
    expect(k.status).toBe('normal');
    expect(k.latest?.source).toBe('Observation/good');
    expect(k.history).toEqual([]);
  });

  it('resources, failures and now of the wrong type: no throw', () => {
    const inputs: unknown[] = [
      { patient: adult(), resources: 'x', now: NOW },
      { patient: adult(), resources: null, failures: 'x', now: 12 },
      { patient: adult(), resources: [], failures: [null, 1, { resourceType: 'Banana' }, { resourceType: 'Observation', kind: 'failed', message: 'x' }], now: {} },
      { patient: null, resources: [q(K, 4, 'mmol/L')] },
      { patient: 'Patient/shape-1', resources: [q(K, 4, 'mmol/L')] },
      null,
      undefined,
      42,
    ];
    for (const input of inputs) {
      const e = evaluate(input as never);
      expectSchemaValid(e);
      expect(falseNormals(e)).toEqual([]);
    }
  });
});

describe('huge strings', () => {
  it('megabyte-long code text, value, unit, range text and id: no throw, under 2 s, nothing normal', () => {
    const big = 'Potassium '.repeat(100_000);
    const digits = '4'.repeat(1_000_000);
    const t0 = performance.now();
    const e = ev([
      s(localOnly(big), '4.0', { id: 'a'.repeat(100_000) }),
      s(K, digits),
      q(K, 4.0, 'm'.repeat(1_000_000), { ucum: null }),
      q(K, 4.0, 'mmol/L', { range: [textRange('3.5-'.repeat(250_000))], date: '2025-06-01' }),
      q(localOnly('a'.repeat(500_000) + '!'), 4.0, 'mmol/L'),
    ]);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(falseNormals(e)).toEqual([]);
  });

  it('regex-hostile text (long runs of digits, separators, spaces) parses in bounded time', () => {
    const nasty = ['1'.repeat(50_000) + 'x', '1,'.repeat(50_000), '1 '.repeat(50_000) + '-', '<'.repeat(50_000) + '1', '1.1.1.'.repeat(20_000)];
    const t0 = performance.now();
    for (const n of nasty) {
      const e = ev([s(K, n, { range: [textRange(n)] }), q(localOnly(n), 4, 'mmol/L')]);
      expect(falseNormals(e)).toEqual([]);
    }
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('circular-looking references and cyclic objects', () => {
  it('hasMember pointing at itself, a report whose result is itself, derivedFrom loops: no throw, results still read', () => {
    const panel: Observation = { ...q(code('24326-1'), undefined, undefined, { id: 'panel' }), hasMember: [{ reference: 'Observation/panel' }] };
    delete panel.valueQuantity;
    const k: Observation = { ...q(K, 4.0, 'mmol/L', { id: 'k' }), derivedFrom: [{ reference: 'Observation/k2' }] };
    const k2: Observation = { ...q(K, 4.0, 'mmol/L', { id: 'k2', date: '2025-06-01' }), derivedFrom: [{ reference: 'Observation/k' }] };
    const dr = { resourceType: 'DiagnosticReport', id: 'dr', status: 'final', subject: { reference: `Patient/${PID}` }, code: code('24356-8'), effectiveDateTime: DAY, result: [{ reference: 'DiagnosticReport/dr' }] };
    const e = ev([panel, k, k2, dr]);
    expect(item(e, 'potassium').status).toBe('normal');
    expect(item(e, 'potassium').history).toHaveLength(1);
  });

  it('subject pointing at an Observation (or at itself) is not a patient', () => {
    const o = q(K, 4.0, 'mmol/L', { id: 'self', subject: 'Observation/self' });
    expect(item(ev([o]), 'potassium').status).toBe('missing');
  });

  it('a truly cyclic JS object (resource.contained includes itself) does not hang or throw', () => {
    const o = q(K, 4.0, 'mmol/L', { id: 'cyc' }) as Observation & { contained?: unknown[]; self?: unknown };
    o.contained = [o];
    o.self = o;
    (o.code as unknown as { self: unknown }).self = o.code;
    const e = evaluate({ patient: adult(), resources: [o as FhirResource], now: NOW });
    expectSchemaValid(e);
    expect(item(e, 'potassium').status).toBe('normal');
  });
});

describe('missing Patient fields', () => {
  it('no birth date: adult ranges labelled "age unknown", paediatric items shown (applicability unknown), no derived eGFR', () => {
    const e = evalChecked({ patient: { resourceType: 'Patient', id: PID, gender: 'male' }, resources: [q('17861-6', 2.4, 'mmol/L'), q('2160-0', 80, 'umol/L')], now: NOW });
    expect(e.patient).toMatchObject({ birthDate: null, ageYears: null, sex: 'male' });
    expect(item(e, 'calcium').range?.text).toMatch(/age unknown/);
    expect(item(e, 'egfr').latest).toBeUndefined();
    // whether the patient is a child cannot be checked: the paediatric items are shown, never hidden
    expect(item(e, 'genetic-testing')).toMatchObject({ applies: true, applicability: 'unknown', status: 'unknown' });
    expect(item(e, 'genetic-testing').reason).toMatch(/the birth date is not known/);
  });

  it('no gender: creatinine 90 umol/L (high for a woman, normal for a man) → unknown "sex not recorded", never normal', () => {
    const e = evalChecked({ patient: { resourceType: 'Patient', id: PID, birthDate: '1970-01-01' }, resources: [q('2160-0', 90, 'umol/L')], now: NOW });
    const cr = item(e, 'creatinine');
    expect(cr.status).toBe('unknown');
    expect(cr.reason).toMatch(/sex/);
  });

  it('no gender: creatinine 120 umol/L (high for both) → abnormal high', () => {
    const e = evalChecked({ patient: { resourceType: 'Patient', id: PID, birthDate: '1970-01-01' }, resources: [q('2160-0', 120, 'umol/L')], now: NOW });
    expect(item(e, 'creatinine')).toMatchObject({ status: 'abnormal', direction: 'high' });
  });

  it.each([
    ['garbage birth date', { birthDate: 'soon' }],
    ['birth date in the future', { birthDate: '2099-01-01' }],
    ['birth date as a number', { birthDate: 19700101 }],
    ['gender "unknown"', { gender: 'unknown' }],
    ['gender as an object', { gender: { text: 'F' } }],
    ['markup in the name', { name: [{ text: '<script>alert(1)</script>' }] }],
  ])('%s: no throw, age or sex unknown, nothing normal on a sex- or age-dependent range by guess', (_l, over) => {
    const p = { ...adult(), ...over } as unknown as Patient;
    const e = evalChecked({ patient: p, resources: [q('2160-0', 90, 'umol/L'), q(K, 4.0, 'mmol/L')], now: NOW });
    expect(falseNormals(e)).toEqual([]);
    expect(item(e, 'potassium').status).toBe('normal');
  });

  it('Patient without an id: nothing can be attributed, nothing is shown as normal', () => {
    const e = evalChecked({ patient: { resourceType: 'Patient' }, resources: [q(K, 4.0, 'mmol/L')], now: NOW });
    expect(e.patient.id).toBe('');
    expect(e.summary.normal).toBe(0);
  });
});

describe('statuses that must not count', () => {
  it.each(['entered-in-error', 'cancelled'])('%s results are ignored completely (section 4)', (st) => {
    const e = ev([q(K, 6.5, 'mmol/L', { status: st, date: '2025-06-10' }), q(K, 4.0, 'mmol/L', { id: 'ok' })]);
    expect(item(e, 'potassium').status).toBe('normal');
    expect(item(e, 'potassium').reason).toBeUndefined();
  });

  it.each([['garbage', 'bogus'], ['missing', undefined], ['number', 7]])('status %s → unknown, not normal', (_l, st) => {
    const o = q(K, 4.0, 'mmol/L');
    (o as unknown as Record<string, unknown>).status = st;
    onlyBad(ev([o]), 'potassium');
  });

  it('"FINAL" in capitals is final', () => {
    expect(item(ev([q(K, 4.0, 'mmol/L', { status: 'FINAL' })]), 'potassium').status).toBe('normal');
  });
});
