/**
 * The clinical audit of the rules: each case the reviewer reproduced with the evaluator, as a test
 * that failed before its rule was corrected (../shared/clinical-reference.md sections 3, 5, 6, 7, 8).
 */
import { describe, expect, it } from 'vitest';
import { builtInRange, compare } from '../../../src/clinical/ranges';
import { condition, findingIds, item, loinc, obs, obsCoded, patient, range, report, run, snomed } from './fixtures';

const T = Date.UTC(2025, 5, 1);

describe('thresholds at their edges and combined limits (section 6)', () => {
  it('a 120 kg man excreting 10 mmol of calcium a day is high: the sex limit stands beside the per-kg one', () => {
    const ev = run([obs('14637-3', 10, 'mmol/(24.h)', { date: '2025-05-01' }), obs('29463-7', 120, 'kg', { date: '2025-05-01' })], {
      patient: patient({ gender: 'male' }),
    });
    const u = item(ev, 'urine-calcium-24h');
    expect(u).toMatchObject({ status: 'abnormal', direction: 'high' });
    expect(u.range?.high).toBe(7.5);
    expect(u.range?.text).toMatch(/0\.1 mmol\/kg\/day × 120 kg, or adult men 7\.50/);
    expect(findingIds(ev)).toContain('hypercalciuria');
  });

  it('an ACR of exactly 3.0 mg/mmol and a PCR of exactly 15 mg/mmol are abnormal (3 or more, 15 or more)', () => {
    expect(item(run([obs('14959-1', 3.0, 'mg/mmol')]), 'urine-protein')).toMatchObject({ status: 'abnormal', direction: 'high' });
    expect(item(run([obs('14959-1', 2.9, 'mg/mmol')]), 'urine-protein').status).toBe('normal');
    expect(item(run([obs('34366-5', 15, 'mg/mmol')]), 'urine-protein')).toMatchObject({ status: 'abnormal', direction: 'high' });
    expect(item(run([obs('34366-5', 14.9, 'mg/mmol')]), 'urine-protein').status).toBe('normal');
    expect(item(run([obs('2889-4', 150, 'mg/(24.h)')]), 'urine-protein').status).toBe('abnormal');
    expect(item(run([obs('14959-1', 3.0, 'mg/mmol')]), 'urine-protein').range?.text).toMatch(/^< 3\.00 mg\/mmol/);
  });

  it('a value at an exclusive upper limit is high, with or without a comparator', () => {
    expect(compare(3, undefined, undefined, 3, true)).toBe('high');
    expect(compare(3, '>=', undefined, 3, true)).toBe('high');
    expect(compare(2.9, '<', undefined, 3, true)).toBe('normal');
    expect(compare(3, '<=', undefined, 3, true)).toBe('uncertain');
    expect(compare(3, undefined, undefined, 3)).toBe('normal');
  });

  it('a citrate of exactly 320 mg/24 h is not low (below 1.66 mmol, 320 mg, is)', () => {
    const c = item(run([obs('6687-8', 320, 'mg/(24.h)')]), 'urine-citrate-24h');
    expect(c.status).toBe('normal');
    expect(c.latest?.value).toBeCloseTo(1.666, 2);
    expect(item(run([obs('6687-8', 315, 'mg/(24.h)')]), 'urine-citrate-24h').direction).toBe('low');
  });

  it('urine magnesium above 1 mmol/24 h with a serum magnesium below 0.7 is high (renal magnesium wasting)', () => {
    const ev = run([obs('19123-9', 0.5, 'mmol/L', { date: '2025-05-01' }), obs('24447-5', 3.6, 'mmol/(24.h)', { date: '2025-05-03' })]);
    const u = item(ev, 'urine-magnesium');
    expect(u).toMatchObject({ status: 'abnormal', direction: 'high' });
    expect(u.range?.text).toMatch(/serum magnesium below 0\.7/);
    // with a normal serum magnesium, the usual 3.0-5.0 mmol/24 h applies
    const normal = run([obs('19123-9', 0.85, 'mmol/L', { date: '2025-05-01' }), obs('24447-5', 3.6, 'mmol/(24.h)', { date: '2025-05-03' })]);
    expect(item(normal, 'urine-magnesium').status).toBe('normal');
    // a serum magnesium far from the collection says nothing about it
    const apart = run([obs('19123-9', 0.5, 'mmol/L', { date: '2025-05-01' }), obs('24447-5', 3.6, 'mmol/(24.h)', { date: '2024-09-01' })]);
    expect(item(apart, 'urine-magnesium').status).toBe('normal');
  });

  it('builtInRange answers the magnesium wasting row only when its condition holds at the result date', () => {
    const ctx = { sex: 'female' as const, birthMs: Date.UTC(1975, 0, 1), holds: () => true };
    const b = builtInRange('u-magnesium-24h', ctx, T);
    expect(b.kind === 'one' && b.b.high).toBe(1);
    const no = builtInRange('u-magnesium-24h', { ...ctx, holds: () => false }, T);
    expect(no.kind === 'one' && [no.b.low, no.b.high]).toEqual([3, 5]);
  });
});

describe('not counted as gaps (section 5)', () => {
  it('ionised calcium that applies and is missing is shown, not counted, citing NICE NG132', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L')]);
    const i = item(ev, 'ionised-calcium');
    expect(i).toMatchObject({ applies: true, status: 'missing' });
    expect(i.notAGap).toMatch(/NICE NG132/);
    expect(ev.todo.map((t) => t.id)).not.toContain('ionised-calcium');
  });

  it('an item that is never a gap is not counted when a failed load leaves it unknown either (a failure never changes the total)', () => {
    const resources = [obs('17861-6', 2.8, 'mmol/L'), obs('2823-3', 3.0, 'mmol/L')]; // magnesium applies either way
    const clean = run(resources);
    const failed = run(resources, { failures: [{ resourceType: 'Observation', kind: 'failed', message: 'server error' }] });
    expect(item(failed, 'ionised-calcium')).toMatchObject({ applies: true, status: 'unknown' });
    expect(item(failed, 'ionised-calcium').notAGap).toMatch(/NICE NG132/);
    expect(failed.summary.total).toBe(clean.summary.total);
  });

  it('CT is not a gap under 18 (ultrasound first), and is one for an adult', () => {
    const abnormalUs = report(loinc('24558-9'), { conclusionCode: [snomed('31683002', 'Nephrocalcinosis')] });
    const child = run([abnormalUs], { patient: patient({ birthDate: '2025-01-01' }) });
    const ct = item(child, 'ct-abdomen');
    expect(ct).toMatchObject({ applies: true, status: 'missing' });
    expect(ct.notAGap).toMatch(/ultrasound first/i);
    expect(child.todo.map((t) => t.id)).not.toContain('ct-abdomen');
    const adult = run([abnormalUs]);
    expect(item(adult, 'ct-abdomen').notAGap).toBeUndefined();
    expect(adult.todo.map((t) => t.id)).toContain('ct-abdomen');
  });
});

describe('age and state (section 6; section 3; section 5 pregnancy)', () => {
  const infant = patient({ birthDate: '2025-02-01' }); // 4 months old on 2025-06-01
  const CHILD_NONE = /no built-in range for a child: see the laboratory’s range/;

  it('a 4-month-old: no adult range reaches an infant (only the infant bands and the lab range)', () => {
    const ev = run(
      [
        obs('2823-3', 5.8, 'mmol/L'),
        obs('1963-8', 19, 'mmol/L'),
        obs('22664-7', 1.0, 'mmol/L'),
        obs('1751-7', 33, 'g/L'),
        obs('3016-3', 6.5, 'm[IU]/L'),
        obs('19123-9', 0.68, 'mmol/L'),
      ],
      { patient: infant },
    );
    for (const id of ['potassium', 'bicarbonate', 'urea', 'albumin', 'tsh', 'magnesium']) {
      const i = item(ev, id);
      expect(i.status, id).toBe('unknown');
      expect(i.reason, id).toMatch(CHILD_NONE);
      expect(i.latest?.value, id).toBeDefined();
    }
    expect(findingIds(ev)).not.toContain('hypomagnesaemia');
    expect(findingIds(ev)).not.toContain('magnesium-wasting');
    expect(findingIds(ev)).not.toContain('hypokalaemia');
    // the laboratory's range still decides
    const lab = run([obs('2823-3', 5.8, 'mmol/L', { range: [range(3.6, 6.0, 'mmol/L')] })], { patient: infant });
    expect(item(lab, 'potassium').status).toBe('normal');
  });

  it('from 1 year the adult range, labelled as such; creatinine and urea have none under 18', () => {
    const child = patient({ birthDate: '2020-01-01' });
    const ev = run([obs('2823-3', 3.0, 'mmol/L'), obs('22664-7', 9.0, 'mmol/L'), obs('2160-0', 120, 'umol/L'), obs('6687-8', 1.2, 'mmol/(24.h)')], { patient: child });
    expect(item(ev, 'potassium')).toMatchObject({ status: 'abnormal', direction: 'low' });
    expect(item(ev, 'potassium').range?.text).toMatch(/adult range \(no paediatric range built in\)/);
    expect(item(ev, 'urine-citrate-24h').range?.text).toMatch(/adult range \(no paediatric range built in\)/);
    for (const id of ['urea', 'creatinine']) {
      expect(item(ev, id).status, id).toBe('unknown');
      expect(item(ev, id).reason, id).toMatch(CHILD_NONE);
    }
  });

  it('eGFR: the threshold 60 from 2 years; under 2 only the laboratory decides', () => {
    const one = run([obs('62238-1', 45, 'mL/min/{1.73_m2}')], { patient: patient({ birthDate: '2024-01-01' }) });
    expect(item(one, 'egfr').status).toBe('unknown');
    const three = run([obs('62238-1', 45, 'mL/min/{1.73_m2}')], { patient: patient({ birthDate: '2022-01-01' }) });
    expect(item(three, 'egfr')).toMatchObject({ status: 'abnormal', direction: 'low' });
    expect(item(three, 'egfr').range?.text).toMatch(/from 2 years \(KDIGO 2012\)/);
  });

  it('a 4-month-old: no Payne adjustment, total calcium 2.75 judged in the infant band, no hypercalcaemia', () => {
    const ev = run([obs('17861-6', 2.75, 'mmol/L'), obs('1751-7', 30, 'g/L')], { patient: infant });
    expect(item(ev, 'calcium')).toMatchObject({ status: 'normal' });
    expect(item(ev, 'calcium').range?.text).toMatch(/under 1 year/);
    const adj = item(ev, 'adjusted-calcium');
    expect(adj.status).toBe('missing');
    expect(adj.reason).toMatch(/under 1 year/);
    expect(adj.notAGap).toMatch(/under 1 year/);
    expect(findingIds(ev)).not.toContain('hypercalcaemia');
  });

  it('no derived eGFR under 1 year; bedside Schwartz from 1 to 18, said to be validated to 16 beyond 16', () => {
    const baby = run([obs('2160-0', 25, 'umol/L'), obs('8302-2', 60, 'cm')], { patient: infant });
    expect(item(baby, 'egfr').status).toBe('missing');
    expect(item(baby, 'egfr').reason).toMatch(/under 1 year/);
    const teen = run([obs('2160-0', 80, 'umol/L'), obs('8302-2', 175, 'cm')], { patient: patient({ birthDate: '2008-01-01' }) });
    const e = item(teen, 'egfr');
    expect(e.latest).toMatchObject({ derived: true, method: 'bedside Schwartz' });
    expect(e.latest?.derivation).toMatch(/validated from 1 to 16 years/);
    const child = run([obs('2160-0', 40, 'umol/L'), obs('8302-2', 128, 'cm')], { patient: patient({ birthDate: '2017-01-01' }) });
    expect(item(child, 'egfr').latest?.derivation).not.toMatch(/validated/);
  });
});

describe('pregnancy recorded (section 5)', () => {
  const woman = patient({ birthDate: '1993-01-01', gender: 'female' });
  const creatinine = obs('2160-0', 95, 'umol/L', { date: '2025-05-20' }); // above the adult women's 84

  it('a pregnancy Condition (SNOMED 77386006) within 10 months: no built-in creatinine or eGFR threshold, and the evaluation says so', () => {
    const preg = condition(snomed('77386006', 'Pregnancy'), { id: 'preg' });
    preg.onsetDateTime = '2025-03-01';
    const ev = run([creatinine, preg], { patient: woman });
    const cr = item(ev, 'creatinine');
    expect(cr.status).toBe('unknown');
    expect(cr.reason).toMatch(/pregnancy: no built-in range/);
    expect(item(ev, 'egfr').status).toBe('unknown');
    expect(item(ev, 'egfr').reason).toMatch(/pregnancy: no built-in range/);
    expect(ev.context?.pregnancy).toMatchObject({ source: 'Condition/preg', date: '2025-03-01' });
    expect(ev.context?.pregnancy?.text).toMatch(/Pregnancy recorded/);
    // the laboratory's range still decides
    const lab = run([obs('2160-0', 60, 'umol/L', { date: '2025-05-20', range: [range(35, 70, 'umol/L')] }), preg], { patient: woman });
    expect(item(lab, 'creatinine').status).toBe('normal');
    // other analytes keep their ranges
    expect(item(run([obs('2951-2', 150, 'mmol/L'), preg], { patient: woman }), 'sodium').status).toBe('abnormal');
  });

  it.each([
    ['ICD-10 Z33', { system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z33' }],
    ['ICD-10-CM O09.511', { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'O09.511' }],
    ['ICD-10-CM O9A.111', { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'O9A.111' }],
  ])('a Condition coded %s', (_n, coding) => {
    const preg = condition({ coding: [coding] });
    preg.recordedDate = '2025-04-01';
    expect(run([creatinine, preg], { patient: woman }).context?.pregnancy).toBeDefined();
  });

  it('a pregnancy status Observation (LOINC 82810-3) saying pregnant; not pregnant, or older than 10 months, does not count', () => {
    const status = (value: ReturnType<typeof snomed>, date: string, id: string) => obsCoded('82810-3', value, { date, id });
    const ev = run([creatinine, status(snomed('77386006', 'Pregnant'), '2025-05-01', 'ps')], { patient: woman });
    expect(ev.context?.pregnancy).toMatchObject({ source: 'Observation/ps', date: '2025-05-01' });
    expect(item(ev, 'creatinine').status).toBe('unknown');
    expect(run([creatinine, status(snomed('60001007', 'Not pregnant'), '2025-05-01', 'np')], { patient: woman }).context?.pregnancy).toBeUndefined();
    const old = run([creatinine, status(snomed('77386006', 'Pregnant'), '2024-07-01', 'old')], { patient: woman });
    expect(old.context?.pregnancy).toBeUndefined();
    expect(item(old, 'creatinine')).toMatchObject({ status: 'abnormal', direction: 'high' });
    // a newer "not pregnant" after a pregnancy recorded earlier in the 10 months: not pregnant now
    const after = run([creatinine, status(snomed('77386006', 'Pregnant'), '2024-12-01', 'p1'), status(snomed('60001007', 'Not pregnant'), '2025-05-01', 'p2')], { patient: woman });
    expect(after.context?.pregnancy).toBeUndefined();
  });

  it('a resolved pregnancy, or a refuted one, is not a pregnancy now', () => {
    const resolved = condition(snomed('77386006', 'Pregnancy'), { clinical: 'resolved' });
    resolved.onsetDateTime = '2025-01-01';
    const refuted = condition(snomed('77386006', 'Pregnancy'), { verification: 'refuted' });
    expect(run([creatinine, resolved], { patient: woman }).context?.pregnancy).toBeUndefined();
    expect(run([creatinine, refuted], { patient: woman }).context?.pregnancy).toBeUndefined();
  });

  it('the pregnancy status code is among the codes the data layer searches', async () => {
    const { searchObservationCodes } = await import('../../../src/app/codes');
    expect(searchObservationCodes()).toContain('http://loinc.org|82810-3');
  });
});
