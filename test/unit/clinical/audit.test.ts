/**
 * The clinical audit of the rules: each case the reviewer reproduced with the evaluator, as a test
 * that failed before its rule was corrected (../shared/clinical-reference.md sections 3, 5, 6, 7, 8).
 */
import { describe, expect, it } from 'vitest';
import { builtInRange, compare } from '../../../src/clinical/ranges';
import { CONDITION_DEFS, MEDICATION_DEFS } from '../../../src/clinical/riskfactors';
import { condition, findingIds, item, loinc, medication, NEGATIVE, obs, obsCoded, obsString, patient, POSITIVE, range, report, run, rxnorm, snomed, textCode } from './fixtures';

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

const finding = (ev: ReturnType<typeof run>, id: string) => ev.findings.find((f) => f.id === id);

describe('findings (section 7): what decides, what they name', () => {
  it('the newest calcium decides: an older adjusted 2.40 never hides a newer total 2.95 without albumin', () => {
    const ev = run([
      obs('17861-6', 2.38, 'mmol/L', { date: '2025-04-10', id: 'ca-apr' }),
      obs('1751-7', 39, 'g/L', { date: '2025-04-10', id: 'alb-apr' }),
      obs('17861-6', 2.95, 'mmol/L', { date: '2025-05-28', id: 'ca-may' }),
      obs('2731-8', 12, 'pmol/L', { date: '2025-05-28', id: 'pth-may' }),
    ]);
    const h = finding(ev, 'hypercalcaemia');
    expect(h?.text).toMatch(/total calcium 2\.95 mmol\/L on 28 May 2025/);
    expect(h?.evidence).toEqual(['Observation/ca-may']);
    // the PTH of the same day is there: no "check PTH", and the pattern is made
    expect(h?.text).not.toMatch(/checking PTH|paired/);
    expect(findingIds(ev)).toContain('primary-hyperparathyroidism-pattern');
  });

  it('an adjusted calcium of the same day as the total decides', () => {
    // total 2.65 with albumin 47.5: adjusted 2.50, normal
    expect(findingIds(run([obs('17861-6', 2.65, 'mmol/L'), obs('1751-7', 47.5, 'g/L')]))).not.toContain('hypercalcaemia');
    const ev = run([obs('17861-6', 2.55, 'mmol/L'), obs('1751-7', 30, 'g/L')]); // adjusted 2.75
    expect(finding(ev, 'hypercalcaemia')?.text).toMatch(/adjusted calcium 2\.75 mmol\/L/);
  });

  it('hypercalcaemia asks to check PTH only when no PTH of the same day exists, and then for a paired sample', () => {
    const none = finding(run([obs('17861-6', 2.8, 'mmol/L')]), 'hypercalcaemia');
    expect(none?.text).toMatch(/Consider checking PTH on the same sample as a calcium/);
    const other = finding(run([obs('17861-6', 2.8, 'mmol/L', { date: '2025-06-01' }), obs('2731-8', 9, 'pmol/L', { date: '2024-07-01' })]), 'hypercalcaemia');
    expect(other?.text).toMatch(/The newest PTH \(1 Jul 2024\) is not from the day of this calcium: consider a paired calcium and PTH/);
    const low = finding(run([obs('17861-6', 2.8, 'mmol/L'), obs('2731-8', 0.5, 'pmol/L')]), 'hypercalcaemia');
    expect(low?.text).toMatch(/suppressed: consider a cause other than the parathyroid glands/);
  });

  it('the primary hyperparathyroidism pattern needs a PTH of the same day; a PTH eleven months earlier does not make it', () => {
    const apart = run([obs('17861-6', 2.8, 'mmol/L', { date: '2025-06-01' }), obs('2731-8', 12, 'pmol/L', { date: '2024-07-01' })]);
    expect(findingIds(apart)).toContain('hypercalcaemia');
    expect(findingIds(apart)).not.toContain('primary-hyperparathyroidism-pattern');
    const paired = run([obs('17861-6', 2.8, 'mmol/L', { id: 'ca' }), obs('2731-8', 5, 'pmol/L', { id: 'pth' }), obs('2777-1', 0.6, 'mmol/L', { id: 'po4' })]);
    const p = finding(paired, 'primary-hyperparathyroidism-pattern');
    expect(p?.text).toMatch(/within its range: inappropriately unsuppressed/);
    expect(p?.text).toMatch(/the low phosphate supports it/);
    expect(p?.text).toMatch(/Familial hypocalciuric hypercalcaemia is the differential/);
    expect(p?.evidence).toEqual(['Observation/ca', 'Observation/pth', 'Observation/po4']);
  });

  it('hypomagnesaemia apart from renal magnesium wasting (serum below 0.7 and urine above 1 mmol/24 h)', () => {
    const alone = run([obs('19123-9', 0.5, 'mmol/L')]);
    expect(findingIds(alone)).toContain('hypomagnesaemia');
    expect(findingIds(alone)).not.toContain('magnesium-wasting');
    expect(finding(alone, 'hypomagnesaemia')?.text).toMatch(/losses from the gut, medicines \(proton pump inhibitors, diuretics\) and renal wasting: a 24-hour urine magnesium tells them apart/);
    const wasting = run([obs('19123-9', 0.5, 'mmol/L', { date: '2025-05-01', id: 'smg' }), obs('24447-5', 3.6, 'mmol/(24.h)', { date: '2025-05-03', id: 'umg' })]);
    const w = finding(wasting, 'magnesium-wasting');
    expect(w?.text).toMatch(/Urine magnesium 3\.60 mmol\/24 h \(3 May 2025\) with a serum magnesium of 0\.50 mmol\/L \(1 May 2025\)/);
    expect(w?.text).toMatch(/Consider renal magnesium wasting: familial hypomagnesaemia with hypercalciuria, Bartter or Gitelman syndromes, medicines/);
    expect(w?.evidence).toEqual(['Observation/smg', 'Observation/umg']);
    const conserved = run([obs('19123-9', 0.5, 'mmol/L'), obs('24447-5', 0.6, 'mmol/(24.h)')]);
    expect(findingIds(conserved)).not.toContain('magnesium-wasting');
    expect(finding(conserved, 'hypomagnesaemia')?.text).toMatch(/not above 1 mmol\/24 h, which points away from renal wasting/);
  });

  it('distal RTA on a hyperchloraemic normal anion gap acidosis of one day; a low potassium is not required', () => {
    const acid = [obs('1963-8', 16, 'mmol/L', { id: 'hco3' }), obs('2075-0', 115, 'mmol/L', { id: 'cl' }), obs('2951-2', 140, 'mmol/L', { id: 'na' })];
    const f = finding(run(acid), 'distal-rta-pattern');
    expect(f?.text).toMatch(/normal anion gap \(9 mmol\/L on 1 Jun 2025\)/);
    expect(f?.text).not.toMatch(/potassium/);
    expect(f?.evidence).toEqual(['Observation/hco3', 'Observation/cl', 'Observation/na']);
    expect(finding(run([...acid, obs('2823-3', 3.0, 'mmol/L')]), 'distal-rta-pattern')?.text).toMatch(/The low potassium strengthens it/);
    // a low bicarbonate and potassium without a high chloride, or with a wide anion gap: no pattern
    expect(findingIds(run([obs('1963-8', 16, 'mmol/L'), obs('2823-3', 3.0, 'mmol/L')]))).not.toContain('distal-rta-pattern');
    expect(findingIds(run([obs('1963-8', 14, 'mmol/L'), obs('2075-0', 112, 'mmol/L'), obs('2951-2', 145, 'mmol/L')]))).not.toContain('distal-rta-pattern');
    // chloride of another day
    expect(findingIds(run([obs('1963-8', 16, 'mmol/L'), obs('2075-0', 115, 'mmol/L', { date: '2025-05-01' }), obs('2951-2', 140, 'mmol/L')]))).not.toContain('distal-rta-pattern');
  });

  it('raised TSH', () => {
    const f = finding(run([obs('3016-3', 8, 'm[IU]/L')]), 'raised-tsh');
    expect(f?.text).toMatch(/Consider hypothyroidism/);
  });

  it('urinary infection: a positive nitrite or culture; leukocyte esterase alone is "possible infection: consider culture"; trace is nothing', () => {
    expect(finding(run([obsCoded('5802-4', POSITIVE)]), 'urinary-infection')?.text).toMatch(/The dipstick shows positive nitrite\. Consider urinary infection/);
    const le = run([obsCoded('5802-4', NEGATIVE), obsString('5799-2', '2+')]);
    expect(findingIds(le)).not.toContain('urinary-infection');
    expect(finding(le, 'possible-urinary-infection')?.text).toBe('The dipstick shows leukocyte esterase 2+ without a positive nitrite: possible infection. Consider a urine culture.');
    const trace = run([obsCoded('5802-4', NEGATIVE), obsString('5799-2', 'trace')]);
    expect(findingIds(trace).filter((id) => id.includes('infection'))).toEqual([]);
    // a culture already done answers the question
    expect(findingIds(run([obsString('5799-2', '2+'), obsString('630-4', 'No growth')]))).not.toContain('possible-urinary-infection');
  });

  it('from 65 years the dipstick alone never makes the finding; a positive culture does', () => {
    const old = patient({ birthDate: '1950-01-01' });
    expect(findingIds(run([obsCoded('5802-4', POSITIVE), obsString('5799-2', '3+')], { patient: old })).filter((id) => id.includes('infection'))).toEqual([]);
    expect(findingIds(run([obsString('630-4', 'E. coli >10^5 CFU/mL')], { patient: old }))).toContain('urinary-infection');
  });

  it('eGFR decline (KDIGO 2012 certain drop) from the whole history, naming both values and dates, and how old the evidence is', () => {
    const ev = run([obs('62238-1', 81.9, 'mL/min/{1.73_m2}', { date: '2024-01-02', id: 'e1' }), obs('62238-1', 21.7, 'mL/min/{1.73_m2}', { date: '2024-03-01', id: 'e2' })]);
    const f = finding(ev, 'egfr-decline');
    expect(f?.text).toMatch(/eGFR fell from 82 mL\/min\/1\.73 m² \(2 Jan 2024\) to 22 mL\/min\/1\.73 m² \(1 Mar 2024\), a fall of 74% from category G2 to G4 \(KDIGO 2012: a certain drop\)/);
    expect(f?.text).toMatch(/Consider reversible causes/);
    expect(f?.text).toMatch(/The newer result is from 1 Mar 2024, 15 months before the evaluation: older than the 6-month window\./);
    expect(f?.evidence).toEqual(['Observation/e1', 'Observation/e2']);
  });

  it('eGFR decline between a reported and a derived value says that the methods differ', () => {
    const woman = patient({ birthDate: '1960-01-01', gender: 'female' });
    const ev = run([obs('62238-1', 75, 'mL/min/{1.73_m2}', { date: '2025-01-10' }), obs('2160-0', 150, 'umol/L', { date: '2025-05-20' })], { patient: woman });
    const f = finding(ev, 'egfr-decline');
    expect(f?.text).toMatch(/obtained differently \(reported; derived, CKD-EPI 2009\)/);
  });

  it('eGFR rapid progression: more than 5 a year, sustained to the newest result over at least a year', () => {
    const ev = run([obs('62238-1', 80, 'mL/min/{1.73_m2}', { date: '2023-05-01' }), obs('62238-1', 68, 'mL/min/{1.73_m2}', { date: '2025-05-01' })]);
    expect(finding(ev, 'egfr-decline')?.text).toMatch(/6 a year \(KDIGO 2012: rapid progression/);
    expect(findingIds(run([obs('62238-1', 80, 'mL/min/{1.73_m2}', { date: '2023-05-01' }), obs('62238-1', 75, 'mL/min/{1.73_m2}', { date: '2025-05-01' })]))).not.toContain('egfr-decline');
  });

  it('creatinine rise (KDIGO 2012): 26.5 µmol/L within 48 h, or 1.5 times the lowest of the previous 7 days', () => {
    const in48 = run([obs('2160-0', 80, 'umol/L', { date: '2025-05-20T08:00:00Z' }), obs('2160-0', 110, 'umol/L', { date: '2025-05-21T08:00:00Z' })]);
    expect(finding(in48, 'creatinine-rise')?.text).toMatch(/Creatinine rose from 80 µmol\/L \(20 May 2025\) to 110 µmol\/L \(21 May 2025\): a rise of 26\.5 µmol\/L or more within 48 hours/);
    expect(finding(in48, 'creatinine-rise')?.text).toMatch(/Consider acute kidney injury/);
    const in7 = run([obs('2160-0', 60, 'umol/L', { date: '2025-05-20' }), obs('2160-0', 70, 'umol/L', { date: '2025-05-22' }), obs('2160-0', 95, 'umol/L', { date: '2025-05-26' })]);
    expect(finding(in7, 'creatinine-rise')?.text).toMatch(/from 60 µmol\/L \(20 May 2025\) to 95 µmol\/L \(26 May 2025\): 1\.5 times or more the lowest value of the previous 7 days/);
    expect(findingIds(run([obs('2160-0', 80, 'umol/L', { date: '2025-05-20' }), obs('2160-0', 100, 'umol/L', { date: '2025-05-25' })]))).not.toContain('creatinine-rise');
  });

  it('a cause already on record is named', () => {
    const ev = run([obs('14637-3', 9, 'mmol/(24.h)'), medication(rxnorm('4603', 'Furosemide 40 MG Oral Tablet')), obs('14650-6', 1.0, 'mmol/(24.h)'), condition(snomed('43339004', 'Hypokalemia'))]);
    expect(finding(ev, 'hypercalciuria')?.text).toMatch(/On record: a loop diuretic, which raises urinary calcium\./);
    expect(finding(ev, 'hypocitraturia')?.text).toMatch(/On record: hypokalaemia\./);
  });

  it('every finding says "consider", none says "treat", and no text holds a resource id', () => {
    const ev = run(
      [
        obs('17861-6', 2.8, 'mmol/L', { id: 'res-ca' }),
        obs('2731-8', 12, 'pmol/L', { id: 'res-pth' }),
        obs('2823-3', 3.0, 'mmol/L'),
        obs('1963-8', 16, 'mmol/L'),
        obs('2075-0', 115, 'mmol/L'),
        obs('2951-2', 140, 'mmol/L'),
        obs('14637-3', 9, 'mmol/(24.h)'),
        obs('29463-7', 50, 'kg'), // a 15-year-old: 24-hour calcium judged per kg (limit 5 mmol/day)
        obs('14650-6', 1.0, 'mmol/(24.h)'),
        obs('2701-1', 0.6, 'mmol/(24.h)'),
        obs('19123-9', 0.5, 'mmol/L'),
        obs('24447-5', 3.6, 'mmol/(24.h)'),
        obs('62238-1', 80, 'mL/min/{1.73_m2}', { date: '2025-01-01' }),
        obs('62238-1', 45, 'mL/min/{1.73_m2}'),
        obs('2160-0', 80, 'umol/L', { date: '2025-05-30' }),
        obs('2160-0', 120, 'umol/L', { date: '2025-05-31' }),
        obs('2889-4', 400, 'mg/(24.h)'),
        obs('3016-3', 8, 'm[IU]/L'),
        obsCoded('5802-4', POSITIVE),
        obsString('630-4', 'E. coli >10^5 CFU/mL'),
      ],
      { patient: patient({ birthDate: '2010-01-01', gender: 'male' }) },
    );
    expect(findingIds(ev).sort()).toEqual(
      ['creatinine-rise', 'distal-rta-pattern', 'egfr-decline', 'hypercalcaemia', 'hypercalciuria', 'hypocitraturia', 'hypokalaemia', 'hyperoxaluria', 'hypomagnesaemia',
        'magnesium-wasting', 'paediatric', 'primary-hyperparathyroidism-pattern', 'proteinuria', 'raised-tsh', 'reduced-egfr', 'urinary-infection'].sort(),
    );
    for (const f of ev.findings) {
      expect(f.text, f.id).toMatch(/\bconsider\b/i);
      expect(f.text, f.id).not.toMatch(/\btreat/i);
      expect(f.text, f.id).not.toMatch(/\b(Observation|Condition|MedicationRequest|DiagnosticReport)\/|res-/);
    }
  });
});

describe('risk factors of section 8, added', () => {
  const icd10 = (code: string, display?: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code, ...(display ? { display } : {}) }] });
  const icd10cm = (code: string, display?: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code, ...(display ? { display } : {}) }], ...(display ? { text: display } : {}) });
  const text = (t: string) => ({ text: t });
  const one = (code: Parameters<typeof condition>[0]) => run([condition(code)]).riskFactors;

  it.each<[string, Parameters<typeof condition>[0], RegExp]>([
    ['primary-hyperaldosteronism', icd10('E26.0'), /^Primary hyperaldosteronism/],
    ['primary-hyperaldosteronism', icd10cm('E26.09'), /^Primary hyperaldosteronism/],
    ['hyperparathyroidism', icd10('E21.3', 'Hyperparathyroidism, unspecified'), /^Hyperparathyroidism \(type not stated\)/],
    ['idiopathic-hypercalciuria', icd10cm('R82.994'), /^Hypercalciuria/],
    ['idiopathic-hypercalciuria', text('Idiopathic hypercalciuria'), /^Hypercalciuria/],
    ['hyperphosphatasia', text('Hyperphosphatasia (juvenile Paget disease)'), /^Hyperphosphatasia/],
    ['cerebrotendinous-xanthomatosis', icd10('E75.5', 'Cerebrotendinous xanthomatosis'), /^Cerebrotendinous xanthomatosis/],
    ['chronic-pyelonephritis', icd10('N11.9'), /^Chronic pyelonephritis/],
    ['vesicoureteral-reflux', icd10cm('N13.70'), /^Vesicoureteral reflux/],
    ['hiv', icd10('B20'), /^HIV infection/],
    ['hiv', icd10('B24'), /^HIV infection/],
    ['polycystic-kidney-disease', icd10('Q61.2'), /^Polycystic kidney disease/],
    ['polycystic-kidney-disease', icd10('Q61.3'), /^Polycystic kidney disease/],
    ['bone-metastases', icd10cm('C79.51'), /^Bone metastases/],
    ['hyperoxaluria', icd10cm('E72.53', 'Primary hyperoxaluria'), /^Hyperoxaluria \(recorded: “Primary hyperoxaluria”\)/],
    ['hypomagnesaemia', icd10cm('E83.42', 'Hypomagnesemia'), /^Hypomagnesaemia \(recorded/],
  ])('%s (%j)', (id, code, label) => {
    const rf = one(code);
    expect(rf.map((r) => r.id)).toEqual([id]);
    expect(rf[0]!.text).toMatch(label);
  });

  it('hyperoxaluria E72.53 is never labelled "enteric" unless it says so; hypomagnesaemia E83.42 is not "primary"', () => {
    expect(one(icd10cm('E72.53'))[0]!.text).not.toMatch(/enteric/i);
    expect(one(snomed('37497004', 'Enteric hyperoxaluria'))[0]).toMatchObject({ id: 'enteric-hyperoxaluria' });
    expect(one(icd10cm('E83.42'))[0]!.text).not.toMatch(/primary/i);
    expect(one(snomed('80710001', 'Primary hypomagnesemia'))[0]).toMatchObject({ id: 'primary-hypomagnesaemia' });
  });

  it('secondary or primary hyperparathyroidism is not "hyperparathyroidism, unspecified"', () => {
    expect(one(text('Secondary hyperparathyroidism of renal origin')).map((r) => r.id)).toEqual([]);
    expect(one(text('Primary hyperparathyroidism')).map((r) => r.id)).toEqual(['primary-hyperparathyroidism']);
  });

  it('phosphate supplements (with vitamin D in X-linked hypophosphataemia), by name; salts of other drugs are not', () => {
    expect(run([medication(textCode('Potassium phosphate 250 mg tablet'))]).riskFactors.map((r) => r.id)).toEqual(['phosphate-supplement']);
    expect(run([medication(textCode('Phosphate-Sandoz effervescent tablets'))]).riskFactors.map((r) => r.id)).toEqual(['phosphate-supplement']);
    expect(run([medication(textCode('Dexamethasone sodium phosphate 4 MG/ML injection'))]).riskFactors).toEqual([]);
    expect(run([medication(textCode('Codeine phosphate 30 mg tablets'))]).riskFactors).toEqual([]);
  });

  it('every condition and medicine names its name and its section', () => {
    for (const c of [...CONDITION_DEFS, ...MEDICATION_DEFS]) {
      expect(c.name, c.id).toMatch(/\S/);
      expect(c.section, c.id).toBe('8');
    }
  });
});
