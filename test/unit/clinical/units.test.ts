import { describe, expect, it } from 'vitest';
import { normalizeUnit, toCanonical, plausibility, round } from '../../../src/clinical/units';
import type { Analyte } from '../../../src/clinical/catalog';

const conv = (analyte: Analyte, value: number, unit: string, code?: string) => {
  const c = toCanonical(analyte, value, code, unit);
  if (!c.ok) throw new Error(c.problem);
  return c.value;
};

describe('section 2 conversions', () => {
  it.each<[Analyte, number, string, number]>([
    ['calcium', 10, 'mg/dL', 2.495],
    ['calcium', 5, 'mEq/L', 2.5],
    ['calcium', 2.4, 'mmol/L', 2.4],
    ['ionised-calcium', 5, 'mg/dL', 1.2475],
    ['phosphate', 3.1, 'mg/dL', 3.1 * 0.3229],
    ['magnesium', 2, 'mg/dL', 0.8228],
    ['magnesium', 1.6, 'mEq/L', 0.8],
    ['creatinine', 1, 'mg/dL', 88.4],
    ['creatinine', 80, 'umol/L', 80],
    ['bun', 14, 'mg/dL', 14 * 0.357],
    ['urea', 30, 'mg/dL', 30 * 0.1665],
    ['albumin', 4, 'g/dL', 40],
    ['albumin', 40, 'g/L', 40],
    ['pth', 50, 'pg/mL', 5.3],
    ['pth', 50, 'ng/L', 5.3],
    ['vitamin-d', 20, 'ng/mL', 49.92],
    ['u-calcium-24h', 200, 'mg/(24.h)', 200 / 40.08],
    ['u-oxalate-24h', 45, 'mg/24 h', 45 / 90.03],
    ['u-citrate-24h', 600, 'mg/d', 600 / 192.12],
    ['u-magnesium-24h', 100, 'mg/24h', 100 / 24.305],
    ['u-ca-cr', 0.2, 'mg/mg', 0.564],
    ['u-acr', 30, 'mg/g', 3.39],
    ['u-pcr', 150, 'mg/g', 16.95],
    ['sodium', 140, 'mEq/L', 140],
    ['potassium', 4, 'mEq/L', 4],
    ['chloride', 100, 'meq/l', 100],
    ['bicarbonate', 24, 'mEq/L', 24],
    ['tsh', 2, 'uIU/mL', 2],
    ['egfr', 75, 'mL/min/{1.73_m2}', 75],
    ['height', 60, 'in', 152.4],
    ['weight', 22, 'lb', 22 * 0.45359237],
  ])('%s %d %s', (analyte, value, unit, expected) => {
    expect(conv(analyte, value, unit)).toBeCloseTo(expected, 6);
  });

  it('matches the UCUM code first, then the display unit', () => {
    expect(conv('creatinine', 1, 'weird display', 'mg/dL')).toBeCloseTo(88.4);
    expect(conv('creatinine', 1, 'mg/dL', 'not-ucum')).toBeCloseTo(88.4);
  });

  it.each(['mcmol/L', 'umol/L', 'µmol/L', 'μmol/L', 'UMOL/L', 'umol/l', ' µmol / L '])('vendor spelling %s is umol/L', (u) => {
    expect(conv('creatinine', 80, u)).toBe(80);
  });

  it.each(['mg/dl', 'MG/DL', 'mg/dL'])('vendor spelling %s is mg/dL', (u) => {
    expect(conv('calcium', 10, u)).toBeCloseTo(2.495);
  });

  it('gm/L and g/dl for albumin', () => {
    expect(conv('albumin', 38, 'gm/L')).toBe(38);
    expect(conv('albumin', 3.8, 'g/dl')).toBeCloseTo(38);
  });

  it.each(['mL/min/1.73m2', 'mL/min/1.73 m2', 'ml/min/1.73m^2', 'mL/min/{1.73_m2}', 'mL/min', 'mL/min/((173/100).m2)'])('eGFR unit %s', (u) => {
    expect(conv('egfr', 60, u)).toBe(60);
  });

  it('mEq/L is not mmol/L for calcium (divalent)', () => {
    expect(conv('calcium', 4.8, 'mEq/L')).toBeCloseTo(2.4);
  });

  it('an unknown unit is uninterpretable, never guessed', () => {
    const c = toCanonical('calcium', 2.4, undefined, 'mmol/dL');
    expect(c.ok).toBe(false);
    const d = toCanonical('sodium', 140, 'K/mm3', 'K/mm3');
    expect(d.ok).toBe(false);
    expect(toCanonical('albumin', 600, 'umol/L', 'umol/L').ok).toBe(false);
  });

  it('no unit is uninterpretable, except where every unit in use gives the same number', () => {
    expect(toCanonical('calcium', 2.4)).toEqual({ ok: false, problem: 'no unit given' });
    expect(toCanonical('creatinine', 80)).toEqual({ ok: false, problem: 'no unit given' });
    expect(toCanonical('urine-ph', 6.5).ok).toBe(true);
    // Na, K, Cl, HCO3: mmol/L = mEq/L; eGFR: mL/min/1.73 m2 only
    expect(toCanonical('potassium', 4.1)).toMatchObject({ ok: true, value: 4.1, unitAssumed: true });
    expect(toCanonical('egfr', 75)).toMatchObject({ ok: true, value: 75, unitAssumed: true });
  });

  it('UK units as NHS pathology messages send them (section 1b): UCUM code first, the display unit second', () => {
    // eGFR: UCUM mL/min/((173/100).m2), display mL/min/1.73m2
    expect(toCanonical('egfr', 100, 'mL/min/((173/100).m2)', 'mL/min/1.73m2')).toMatchObject({ ok: true, value: 100 });
    // TSH as mU/L or miu/L; PTH as ng/L (= pg/mL); creatinine umol/L; albumin g/L; urea mmol/L
    expect(toCanonical('tsh', 2.1, undefined, 'mU/L')).toMatchObject({ ok: true, value: 2.1 });
    expect(toCanonical('tsh', 2.1, undefined, 'miu/L')).toMatchObject({ ok: true, value: 2.1 });
    expect(toCanonical('tsh', 2.1, 'm[IU]/L')).toMatchObject({ ok: true, value: 2.1 });
    const pth = toCanonical('pth', 134, undefined, 'ng/L');
    expect(pth.ok && round(pth.value)).toBe(14.2);
    expect(toCanonical('creatinine', 73, 'umol/L', 'umol/L')).toMatchObject({ ok: true, value: 73 });
    expect(toCanonical('albumin', 47, 'g/L', 'g/L')).toMatchObject({ ok: true, value: 47 });
    expect(toCanonical('urea', 3.7, 'mmol/L', 'mmol/L')).toMatchObject({ ok: true, value: 3.7 });
    // iu/L (UCUM [iU]/L) is no unit of any catalog analyte: never guessed
    expect(toCanonical('pth', 5, '[iU]/L', 'iu/L').ok).toBe(false);
  });

  it('normalises units', () => {
    expect(normalizeUnit('mg/(24.h)')).toBe('mg/24h');
    expect(normalizeUnit('mmol/d')).toBe('mmol/24h');
    expect(normalizeUnit('m[IU]/L')).toBe('miu/l');
    expect(normalizeUnit('mcg/L')).toBe('ug/l');
  });

  it('flags implausible magnitudes', () => {
    expect(plausibility('sodium', 1400)).toMatch(/implausible/);
    expect(plausibility('calcium', 2.4)).toBeUndefined();
    expect(plausibility('potassium', Number.NaN)).toBeDefined();
  });

  it('rounds for display', () => {
    expect(round(2.4950001)).toBe(2.5);
    expect(round(0.12345)).toBe(0.123);
    expect(round(88.44)).toBe(88.4);
    expect(round(139.6)).toBe(140);
  });
});

describe('unit spellings of the audit (section 2)', () => {
  it.each<[string, string, number, string, number]>([
    ['calcium', 'mg%', 12.6, 'mg% is mg/dL', 3.1437],
    ['u-acr', 'mg/g{creat}', 30, 'a UCUM annotation says what, not how much', 3.39],
    ['u-ca-cr', 'mmol/mmol{creat}', 0.5, 'idem', 0.5],
    ['u-pcr', 'mg/mmol{creat}', 20, 'idem', 20],
    ['albumin', 'g%', 4, 'g% is g/dL', 40],
    ['egfr', 'mL/min/{1.73_m2}', 55, 'the body surface annotation of eGFR is kept', 55],
  ])('%s in %s (%s)', (analyte, unit, value, _why, want) => {
    const c = toCanonical(analyte, value, unit);
    expect(c.ok).toBe(true);
    if (c.ok) expect(c.value).toBeCloseTo(want, 3);
  });
});
