/**
 * Clinical text for people (src/clinical/display.ts, section 7b of the clinical reference): units,
 * precision, conversions to conventional units, the reported value only when it differs, ranges in
 * the unit of the value, one date format, ages of young children.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  convert,
  formatAge,
  formatBounds,
  formatDate,
  formatFixed,
  formatRange,
  formatReported,
  formatResult,
  humanUnit,
} from '../../../src/clinical/display';
import type { ResultValue } from '../../../src/clinical/model';
import { DISPLAY } from '../../../src/clinical/rules/display';
import { ANALYTES } from '../../../src/clinical/rules/analytes';
import { CANONICAL_UNIT } from '../../../src/clinical/units';

const result = (over: Partial<ResultValue>): ResultValue => ({ date: '2026-05-12', source: 'Observation/x', ...over });

describe('formatDate: one format', () => {
  it.each([
    ['2026-05-12', '12 May 2026'],
    ['2026-05-12T23:30:00-05:00', '12 May 2026'],
    ['2026-03', 'Mar 2026'],
    ['2026', '2026'],
    ['2026-13-01', '2026-13-01'],
    ['not a date', 'not a date'],
  ])('%s → %s', (iso, text) => expect(formatDate(iso)).toBe(text));
});

describe('formatAge: under 2 years in days, weeks or months', () => {
  it.each([
    ['2026-06-01', '2026-06-01', '0 days'],
    ['2026-05-25', '2026-06-01', '7 days'],
    ['2026-04-15', '2026-06-01', '6 weeks'],
    ['2025-12-01', '2026-06-01', '6 months'],
    ['2024-06-02', '2026-06-01', '23 months'],
    ['2024-06-01', '2026-06-01', '2 years'],
    ['1968-03-14', '2026-06-01', '58 years'],
    ['2025-06-01', '2026-06-01', '12 months'],
  ])('born %s, on %s: %s', (born, at, text) => expect(formatAge(born, at)).toBe(text));

  it('says nothing it cannot know', () => {
    expect(formatAge(null, '2026-06-01')).toBeUndefined();
    expect(formatAge('2027-01-01', '2026-06-01')).toBeUndefined();
    expect(formatAge('garbage', '2026-06-01')).toBeUndefined();
  });
});

describe('humanUnit: units written for people', () => {
  it.each([
    ['m[IU]/L', 'mIU/L'],
    ['[iU]/L', 'IU/L'],
    ['mg/(24.h)', 'mg/24 h'],
    ['mmol/24h', 'mmol/24 h'],
    ['/[HPF]', '/HPF'],
    ['umol/L', 'µmol/L'],
    ['mcmol/L', 'µmol/L'],
    ['ug/L', 'µg/L'],
    ['mL/min/{1.73_m2}', 'mL/min/1.73 m²'],
    ['mL/min/1.73m2', 'mL/min/1.73 m²'],
    ['mL/min/((173/100).m2)', 'mL/min/1.73 m²'],
    ['10*9/L', '×10⁹/L'],
    ['[pH]', 'pH'],
    ['mmol/L', 'mmol/L'],
    ['mg/dL', 'mg/dL'],
  ])('%s → %s', (raw, human) => expect(humanUnit(raw)).toBe(human));
});

describe('section 7b table', () => {
  it('every analyte that has a canonical unit and a conventional one converts through section 2 factors', () => {
    // conventional = canonical / factor(conventional unit → canonical): checked on one example each
    expect(convert(2.69, 'calcium', 'conventional')).toMatchObject({ text: '10.8', unit: 'mg/dL' });
    expect(convert(68, 'creatinine', 'conventional')).toMatchObject({ text: '0.77', unit: 'mg/dL' });
    expect(convert(5.4, 'urea', 'conventional')).toMatchObject({ text: '15', unit: 'mg/dL (BUN)' });
    expect(convert(14.2, 'pth', 'conventional')).toMatchObject({ text: '134', unit: 'pg/mL' });
    expect(convert(54, 'vitamin-d', 'conventional')).toMatchObject({ text: '22', unit: 'ng/mL' });
    expect(convert(9.1, 'u-calcium-24h', 'conventional')).toMatchObject({ text: '365', unit: 'mg/24 h' });
    expect(convert(3.4, 'u-acr', 'conventional')).toMatchObject({ text: '30', unit: 'mg/g' });
    expect(convert(38, 'albumin', 'conventional')).toMatchObject({ text: '3.8', unit: 'g/dL' });
  });

  it('SI: the canonical number at the laboratory precision, the unit written for people', () => {
    expect(convert(2.7846, 'calcium', 'si')).toMatchObject({ text: '2.78', unit: 'mmol/L' });
    expect(convert(2.8, 'adjusted-calcium', 'si')).toMatchObject({ text: '2.80' });
    expect(convert(66.85491766851757, 'creatinine', 'si')).toMatchObject({ text: '67', unit: 'µmol/L' });
    expect(convert(89.54, 'egfr', 'si')).toMatchObject({ text: '90', unit: 'mL/min/1.73 m²' });
    expect(convert(1.9, 'tsh', 'si')).toMatchObject({ text: '1.90', unit: 'mIU/L' });
    expect(convert(0.04, 'u-oxalate-24h', 'si')).toMatchObject({ text: '0.04', unit: 'mmol/24 h' });
    expect(convert(4.83, 'potassium', 'si')).toMatchObject({ text: '4.8' });
    expect(convert(139.4, 'sodium', 'si')).toMatchObject({ text: '139' });
  });

  it('covers every analyte with a canonical unit except body measurements', () => {
    const missing = Object.keys(CANONICAL_UNIT).filter((a) => !DISPLAY[a] && a !== 'height' && a !== 'weight');
    expect(missing).toEqual([]);
  });

  it('no long floats: any value shows at most its precision in decimals, in both systems', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(DISPLAY)), fc.constantFrom('si' as const, 'conventional' as const), fc.double({ min: 0, max: 5000, noNaN: true }), (analyte, system, v) => {
        const shown = convert(v, analyte, system)!;
        const decimals = shown.text.split('.')[1]?.length ?? 0;
        expect(decimals).toBe(DISPLAY[analyte]![system].precision);
      }),
    );
  });

  it('conventional factors are section 2 factors inverted', () => {
    expect(DISPLAY.calcium!.conventional.factor * ANALYTES.calcium!.conversions['mg/dl']!).toBeCloseTo(1, 12);
    expect(DISPLAY.bun!.conventional.factor * ANALYTES.bun!.conversions['mg/dl']!).toBeCloseTo(1, 12);
  });
});

describe('formatResult and formatReported', () => {
  const ca = result({ value: 2.6946, unit: 'mmol/L', analyte: 'calcium', reported: { value: 10.8, unit: 'mg/dL' } });

  it('shows the value in the unit system, the reported value only when it differs', () => {
    expect(formatResult(ca, 'si')).toBe('2.69 mmol/L');
    expect(formatReported(ca, 'si')).toBe('10.8 mg/dL');
    expect(formatResult(ca, 'conventional')).toBe('10.8 mg/dL');
    expect(formatReported(ca, 'conventional')).toBeUndefined();
  });

  it('the same number in another spelling of the same unit is not "reported" again', () => {
    const k = result({ value: 4.83, unit: 'mmol/L', analyte: 'potassium', reported: { value: 4.83, unit: 'mmol/l' } });
    expect(formatResult(k, 'si')).toBe('4.8 mmol/L');
    expect(formatReported(k, 'si')).toBeUndefined();
    const ox = result({ value: 0.3, unit: 'mmol/24h', analyte: 'u-oxalate-24h', reported: { value: 0.3, unit: 'mmol/(24.h)' } });
    expect(formatReported(ox, 'si')).toBeUndefined();
    const tsh = result({ value: 1.9, unit: 'mIU/L', analyte: 'tsh', reported: { value: 1.9, unit: 'm[IU]/L' } });
    expect(formatReported(tsh, 'si')).toBeUndefined();
  });

  it('comparators and text values', () => {
    expect(formatResult(result({ value: 0.05, comparator: '<', unit: 'mmol/24h', analyte: 'u-oxalate-24h' }), 'si')).toBe('<0.05 mmol/24 h');
    expect(formatResult(result({ value: 0.05, comparator: '<=', unit: 'mmol/24h', analyte: 'u-oxalate-24h' }), 'si')).toBe('≤0.05 mmol/24 h');
    expect(formatResult(result({ value: 'No growth', unit: '' }), 'si')).toBe('No growth');
    expect(formatResult(result({}), 'si')).toBeUndefined();
  });

  it('a value whose unit could not be read is shown as reported, its unit written for people', () => {
    const r = result({ value: 12.345678, unit: 'm[IU]/mL' });
    expect(formatResult(r, 'conventional')).toBe('12.3 mIU/mL');
  });
});

describe('ranges in the unit of the value', () => {
  it('bounds converted and rounded like the value', () => {
    expect(formatBounds({ low: 2.2, high: 2.6 }, 'calcium', 'si')).toBe('2.20–2.60 mmol/L');
    expect(formatBounds({ low: 2.2, high: 2.6 }, 'calcium', 'conventional')).toBe('8.8–10.4 mg/dL');
    expect(formatBounds({ low: 60 }, 'egfr', 'si')).toBe('≥ 60 mL/min/1.73 m²');
    expect(formatBounds({ high: 3, highExclusive: true }, 'u-acr', 'si')).toBe('< 3.0 mg/mmol'); // section 6: 3 or more is abnormal
    expect(formatBounds({ high: 0.45 }, 'u-oxalate-24h', 'si')).toBe('≤ 0.45 mmol/24 h');
    expect(formatBounds({}, 'calcium', 'si')).toBeUndefined();
  });

  it('once, with where it comes from', () => {
    expect(formatRange({ low: 2.2, high: 2.6, source: 'built-in', basis: 'built-in range, adult', text: 'x' }, 'calcium', 'si')).toBe('2.20–2.60 mmol/L · built-in range, adult');
    expect(formatRange({ low: 35, high: 50, source: 'result' }, 'albumin', 'conventional')).toBe('3.5–5.0 g/dL · lab range');
    expect(formatRange({ source: 'interpretation', text: 'flagged by the laboratory', basis: 'flagged by the laboratory' }, 'potassium', 'si')).toBe('flagged by the laboratory');
  });

  it('fixed decimals never print "-0"', () => {
    expect(formatFixed(-0.001, 2)).toBe('0.00');
    expect(formatFixed(2.675, 1)).toBe('2.7');
  });
});
