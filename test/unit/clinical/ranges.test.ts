import { describe, expect, it } from 'vitest';
import { builtInRange, compare, parseRangeText, pickRange, type PatientContext } from '../../../src/clinical/ranges';
import type { Analyte } from '../../../src/clinical/catalog';
import { item, obs, patient, range, run } from './fixtures';

const T = Date.UTC(2025, 5, 1);
const adultF: PatientContext = { sex: 'female', birthMs: Date.UTC(1975, 0, 1) };
const adultM: PatientContext = { sex: 'male', birthMs: Date.UTC(1975, 0, 1) };
const childAt = (years: number, days = 0): PatientContext => ({ sex: 'female', birthMs: T - Math.round((years * 365.25 + days) * 86_400_000) - 86_400_000 });

const one = (a: Analyte, ctx: PatientContext, weight?: number) => {
  const b = builtInRange(a, ctx, T, weight);
  if (b.kind !== 'one') throw new Error(`expected one range, got ${b.kind}`);
  return [b.b.low, b.b.high];
};

describe('built-in adult ranges (section 6)', () => {
  it.each<[Analyte, number | undefined, number | undefined]>([
    ['sodium', 133, 146],
    ['potassium', 3.5, 5.3],
    ['chloride', 95, 108],
    ['bicarbonate', 22, 29],
    ['urea', 2.5, 7.8],
    ['bun', 2.5, 7.8],
    ['calcium', 2.2, 2.6],
    ['adjusted-calcium', 2.2, 2.6],
    ['ionised-calcium', 1.15, 1.33],
    ['phosphate', 0.8, 1.5],
    ['magnesium', 0.7, 1.0],
    ['albumin', 35, 50],
    ['pth', 1.6, 6.9],
    ['tsh', 0.27, 4.2],
    ['egfr', 60, undefined],
    ['u-oxalate-24h', undefined, 0.45],
    ['u-citrate-24h', 1.66, undefined],
    ['u-protein-24h', undefined, 150],
    ['u-pcr', undefined, 15],
    ['u-acr', undefined, 3],
    ['u-magnesium-24h', 3.0, 5.0],
    ['u-ca-cr', undefined, 0.7],
  ])('%s', (a, low, high) => {
    expect(one(a, adultF)).toEqual([low, high]);
  });

  it('creatinine is sex-specific', () => {
    expect(one('creatinine', adultF)).toEqual([45, 84]);
    expect(one('creatinine', adultM)).toEqual([59, 104]);
    expect(builtInRange('creatinine', { sex: null, birthMs: adultF.birthMs }, T).kind).toBe('by-sex');
  });

  it('24-hour urine calcium: men 7.5, women 6.25, and 0.1 mmol/kg/day with a weight: either limit makes it high', () => {
    expect(one('u-calcium-24h', adultM)).toEqual([undefined, 7.5]);
    expect(one('u-calcium-24h', adultF)).toEqual([undefined, 6.25]);
    // the lower of the two limits applies: the per-kg limit adds to the sex limit, never replaces it
    expect(one('u-calcium-24h', adultF, 80)).toEqual([undefined, 6.25]);
    expect(one('u-calcium-24h', adultM, 120)).toEqual([undefined, 7.5]);
    expect(one('u-calcium-24h', adultF, 50)).toEqual([undefined, 5]);
    expect(one('u-calcium-24h', childAt(10), 30)).toEqual([undefined, 3]);
    expect(builtInRange('u-calcium-24h', childAt(10), T).kind).toBe('none');
  });
});

describe('built-in paediatric bands (section 6, age at the result date)', () => {
  it.each<[number, number, number, number]>([
    [0.5, 0, 2.1, 2.8],
    [3, 0, 2.1, 2.65],
    [10, 0, 2.15, 2.55],
    [16, 0, 2.2, 2.6],
  ])('calcium at %s years', (y, d, low, high) => {
    expect(one('calcium', childAt(y, d))).toEqual([low, high]);
  });

  it.each<[number, number, number, number]>([
    [0, 10, 1.6, 2.7],
    [0.5, 0, 1.2, 2.7],
    [3, 0, 1.1, 2.4],
    [10, 0, 1.05, 1.7],
    [16, 0, 0.8, 1.5],
  ])('phosphate at %s years + %s days', (y, d, low, high) => {
    expect(one('phosphate', childAt(y, d))).toEqual([low, high]);
  });

  it.each<[number, number]>([
    [0.5, 2.2],
    [2, 1.5],
    [4, 1.1],
    [6, 0.8],
    [9, 0.7],
  ])('spot urine Ca:creatinine at %s years', (y, high) => {
    expect(one('u-ca-cr', childAt(y))).toEqual([undefined, high]);
  });

  it('no adult creatinine range for children; eGFR threshold from 2 years', () => {
    expect(builtInRange('creatinine', childAt(8), T).kind).toBe('none');
    expect(builtInRange('egfr', childAt(1), T).kind).toBe('none');
    expect(one('egfr', childAt(8))).toEqual([60, undefined]);
  });

  it('uses the age at the result date, not today', () => {
    // born 2020-01-01: a calcium from 2020-06 is an infant's (2.10-2.80)
    const ev = run([obs('17861-6', 2.75, 'mmol/L', { date: '2020-06-01' })], { patient: patient({ birthDate: '2020-01-01' }), now: '2020-07-01' });
    expect(item(ev, 'calcium').status).toBe('normal');
    expect(item(ev, 'calcium').range?.text).toMatch(/under 1 year/);
  });
});

describe('text ranges (issue 3)', () => {
  it.each<[string, number | undefined, number | undefined, string | undefined]>([
    ['3.5-5.3', 3.5, 5.3, undefined],
    ['<=200', undefined, 200, undefined],
    ['Normal Range: 133-146', 133, 146, undefined],
    ['8.5-10.5 mg/dL', 8.5, 10.5, 'mg/dL'],
    ['0.27 – 4.20', 0.27, 4.2, undefined],
    ['> 60', 60, undefined, undefined],
    ['150 - 399 10*3/uL', 150, 399, '10*3/uL'],
  ])('%s', (t, low, high, unit) => {
    const p = parseRangeText(t);
    expect(p?.low).toBe(low);
    expect(p?.high).toBe(high);
    expect(p?.unit).toBe(unit);
  });

  it.each(['Negative', '', 'see report', '5-3'])('"%s" is not a range', (t) => {
    expect(parseRangeText(t)).toBeUndefined();
  });

  it('uses a text-only lab range in another unit than the canonical one', () => {
    const o = obs('17861-6', 10.8, 'mg/dL', { range: [{ text: '8.5-10.5 mg/dL' }] });
    const ev = run([o]);
    expect(item(ev, 'calcium').status).toBe('abnormal');
    expect(item(ev, 'calcium').range?.source).toBe('result');
    expect(item(ev, 'calcium').range?.high).toBeCloseTo(2.62, 2);
  });

  it('a text range without a unit is in the value\'s unit', () => {
    const ev = run([obs('2951-2', 134, 'mmol/L', { range: [{ text: 'Normal Range: 136-145' }] })]);
    expect(item(ev, 'sodium').status).toBe('abnormal');
    expect(item(ev, 'sodium').range?.text).toMatch(/136-145/);
  });
});

describe('range precedence (section 5)', () => {
  it('interpretation beats the lab range and the built-in range', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { interp: 'H', range: [range(133, 146, 'mmol/L')] })]);
    expect(item(ev, 'sodium').status).toBe('abnormal');
    expect(item(ev, 'sodium').direction).toBe('high');
    expect(item(ev, 'sodium').range?.source).toBe('interpretation');
  });

  it('an N interpretation is normal when the numbers agree, or when no range contradicts it', () => {
    expect(item(run([obs('2951-2', 140, 'mmol/L', { interp: 'N' })]), 'sodium').status).toBe('normal');
    // the lab's own range 3.5-5.5 allows 5.4 (outside the built-in 5.3): the lab decides
    const k = item(run([obs('2823-3', 5.4, 'mmol/L', { interp: 'N', range: [range(3.5, 5.5, 'mmol/L')] })]), 'potassium');
    expect(k.status).toBe('normal');
  });

  it('an N interpretation that the numbers contradict is not normal (data error: the numbers decide)', () => {
    const na = item(run([obs('2951-2', 150, 'mmol/L', { interp: 'N' })]), 'sodium');
    expect(na).toMatchObject({ status: 'abnormal', direction: 'high', range: { source: 'built-in' } });
    expect(na.range?.text).toMatch(/flagged it normal/);
    const k = item(run([obs('2823-3', 5.8, 'mmol/L', { interp: 'N', range: [range(3.5, 5.3, 'mmol/L')] })]), 'potassium');
    expect(k).toMatchObject({ status: 'abnormal', direction: 'high', range: { source: 'result' } });
  });

  it('the lab range beats the built-in one', () => {
    const ev = run([obs('2731-8', 7.2, 'pmol/L', { range: [range(1.5, 7.6, 'pmol/L')] })]);
    expect(item(ev, 'pth').status).toBe('normal');
    expect(item(ev, 'pth').range?.source).toBe('result');
  });

  it('falls back to the built-in range, labelled', () => {
    const ev = run([obs('2731-8', 7.2, 'pmol/L')]);
    expect(item(ev, 'pth').status).toBe('abnormal');
    expect(item(ev, 'pth').range?.source).toBe('built-in');
    expect(item(ev, 'pth').range?.text).toMatch(/built-in range/);
  });

  it('ignores range types other than normal', () => {
    const ev = run([
      obs('2951-2', 140, 'mmol/L', {
        range: [range(141, 150, 'mmol/L', { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'treatment' }] } })],
      }),
    ]);
    expect(item(ev, 'sodium').range?.source).toBe('built-in');
    expect(item(ev, 'sodium').status).toBe('normal');
  });

  it('picks the element for the patient\'s sex and age', () => {
    const male = range(59, 104, 'umol/L', { appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248153007' }] }] });
    const female = range(45, 84, 'umol/L', { appliesTo: [{ coding: [{ system: 'http://snomed.info/sct', code: '248152002' }] }] });
    const kids = range(20, 50, 'umol/L', { age: { low: { value: 0, unit: 'a', code: 'a' }, high: { value: 17, unit: 'a', code: 'a' } } });
    const ctxF: PatientContext = adultF;
    expect(pickRange([male, female], ctxF, T)).toBe(female);
    expect(pickRange([male, female], adultM, T)).toBe(male);
    expect(pickRange([kids, range(45, 90, 'umol/L')], childAt(10), T)).toBe(kids);
    expect(pickRange([kids, range(45, 90, 'umol/L')], adultF, T)?.low?.value).toBe(45);
  });

  it('only a low or only a high bound', () => {
    expect(item(run([obs('62238-1', 55, 'mL/min/{1.73_m2}', { range: [range(60)] })]), 'egfr').direction).toBe('low');
    expect(item(run([obs('2951-2', 150, 'mmol/L', { range: [range(undefined, 145, 'mmol/L')] })]), 'sodium').direction).toBe('high');
  });

  it('a lab range in another unit than the value is converted', () => {
    const ev = run([obs('2160-0', 1.2, 'mg/dL', { range: [range(45, 90, 'umol/L')] })]);
    expect(item(ev, 'creatinine').status).toBe('abnormal');
    expect(item(ev, 'creatinine').latest?.value).toBe(106); // 1.2 x 88.4 = 106.08
  });

  it('a range in a unit that cannot be converted is not used', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { range: [range(1, 2, 'g/L')] })]);
    expect(item(ev, 'sodium').range?.source).toBe('built-in');
  });

  it('unit-less value compared with a unit-less lab range only', () => {
    const ev = run([obs('17861-6', 10.8, undefined, { range: [{ low: { value: 8.5 }, high: { value: 10.5 } }] })]);
    expect(item(ev, 'calcium').status).toBe('abnormal');
    expect(item(ev, 'calcium').range?.text).toMatch(/no unit stated/);
    expect(item(run([obs('17861-6', 9.4, undefined)]), 'calcium').status).toBe('unknown');
    expect(item(run([obs('17861-6', 9.4, undefined, { range: [range(8.5, 10.5, 'mg/dL')] })]), 'calcium').status).toBe('unknown');
  });
});

describe('comparators (section 4: "<0.5" is below 0.5, not 0.5)', () => {
  it.each<[number, '<' | '<=' | '>' | '>=' | undefined, number | undefined, number | undefined, string]>([
    [0.5, '<', 1, 5, 'low'],
    [1, '<', 1, 5, 'low'],
    [1, '<=', 1, 5, 'uncertain'],
    [3, '<', 1, 5, 'uncertain'],
    [5, '<', undefined, 5, 'normal'],
    [90, '>', 60, undefined, 'normal'],
    [100, '>', 1, 50, 'high'],
    [50, '>', 1, 50, 'high'],
    [50, '>=', 1, 50, 'uncertain'],
    [3, undefined, 1, 5, 'normal'],
  ])('%s%s against %s-%s', (v, c, lo, hi, want) => {
    expect(compare(v, c, lo, hi)).toBe(want);
  });

  it('an uncertain comparator value is never normal', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { comparator: '<' })]);
    expect(item(ev, 'sodium').status).toBe('unknown');
  });
});
