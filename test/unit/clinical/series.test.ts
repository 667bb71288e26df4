/**
 * Trend series for the panel (src/clinical/series.ts): the points over time in the canonical unit,
 * the reference band, the direction rule, the duration in words, methods never joined silently, and
 * the text alternative in either unit system (section 7b precision).
 */
import { readFileSync } from 'node:fs';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/clinical/index';
import type { ItemResult, ResultValue } from '../../../src/clinical/model';
import { spanWords, trendDirection, trendSeries, type SeriesPoint } from '../../../src/clinical/series';

const r = (date: string, value: number, over: Partial<ResultValue> = {}): ResultValue => ({ date, value, unit: 'mmol/L', analyte: 'calcium', source: `Observation/${date}`, flag: 'normal', ...over });

function numericItem(results: ResultValue[], over: Partial<ItemResult> = {}): ItemResult {
  const [latest, ...history] = results;
  return {
    id: 'calcium', label: 'Calcium (total)', group: 'blood', tier: 'core', applies: true, status: 'normal',
    range: { low: 2.2, high: 2.6, source: 'built-in', basis: 'built-in range, adult' },
    ...(latest ? { latest } : {}), history, ...over,
  };
}

const pt = (date: string, value: number, text = String(value)): SeriesPoint => ({ time: Date.parse(date), date, value, text, method: 'reported', derived: false });

describe('trendSeries: the points', () => {
  it('is the history and the newest result, oldest first, in the canonical unit, with the band of the range used', () => {
    const s = trendSeries(numericItem([r('2026-03-01', 2.7, { flag: 'high' }), r('2026-02-01', 2.5), r('2026-01-01', 2.4)]), 'si')!;
    expect(s.points.map((p) => [p.date, p.value, p.text, p.method, p.flag])).toEqual([
      ['2026-01-01', 2.4, '2.40', 'reported', 'normal'],
      ['2026-02-01', 2.5, '2.50', 'reported', 'normal'],
      ['2026-03-01', 2.7, '2.70', 'reported', 'high'],
    ]);
    expect(s.band).toEqual({ low: 2.2, high: 2.6, lowText: '2.20', highText: '2.60', text: '2.20–2.60 mmol/L' });
    expect(s.unit).toBe('mmol/L');
    expect(s.text).toBe('Calcium (total) 2.40 to 2.70 mmol/L over 2 months, rising; 3 results, the previous 2.50, 4 weeks before; range 2.20–2.60 mmol/L');
  });

  it('writes the text in conventional units at their precision; the points stay canonical', () => {
    const s = trendSeries(numericItem([r('2026-03-01', 2.7), r('2026-01-01', 2.4)]), 'conventional')!;
    expect(s.points.map((p) => p.value)).toEqual([2.4, 2.7]);
    expect(s.text).toBe('Calcium (total) 9.6 to 10.8 mg/dL over 2 months, rising; range 8.8–10.4 mg/dL');
  });

  it('needs two results that can be placed in time and shown: none for one result, a qualitative item or an undated value', () => {
    expect(trendSeries(numericItem([r('2026-03-01', 2.7)]), 'si')).toBeUndefined();
    expect(trendSeries(numericItem([r('2026-03-01', 2.7), r('not a date', 2.5)]), 'si')).toBeUndefined();
    const qualitative = numericItem([{ date: '2026-03-01', value: 'done', source: 'x' }, { date: '2026-01-01', value: 'done', source: 'y' }]);
    expect(trendSeries(qualitative, 'si')).toBeUndefined();
    // a number without an analyte (its unit could not be read) is not placed on a scale
    expect(trendSeries(numericItem([r('2026-03-01', 2.7), r('2026-01-01', 9.6, { analyte: undefined, unit: 'mg/dL' })]), 'si')).toBeUndefined();
  });

  it('keeps a comparator in the text and the newest result last at a shared time', () => {
    const item = numericItem([r('2026-03-01', 0.05, { comparator: '<', source: 'shown' }), r('2026-03-01', 0.08, { source: 'other' }), r('2026-01-01', 0.3)]);
    const s = trendSeries(item, 'si')!;
    expect(s.points.map((p) => p.text)).toEqual(['0.30', '0.08', '<0.05']);
    expect(s.text).toContain('0.30 to <0.05 mmol/L over 2 months, falling; 3 results, the previous 0.08, the same day');
  });

  it('never joins two measures of one item: PCR and ACR apart (the newest decides), urea and BUN together', () => {
    const protein = numericItem(
      [r('2026-03-01', 20, { analyte: 'u-pcr', unit: 'mg/mmol' }), r('2026-02-01', 2, { analyte: 'u-acr', unit: 'mg/mmol' }), r('2026-01-01', 18, { analyte: 'u-pcr', unit: 'mg/mmol' })],
      { id: 'urine-protein', label: 'Urine protein', range: { high: 15, highExclusive: true, source: 'built-in' } },
    );
    expect(trendSeries(protein, 'si')!.points.map((p) => p.value)).toEqual([18, 20]);
    const urea = numericItem([r('2026-03-01', 7, { analyte: 'bun' }), r('2026-01-01', 5, { analyte: 'urea' })], { id: 'urea', label: 'Urea / BUN', range: { low: 2.5, high: 7.8, source: 'built-in' } });
    expect(trendSeries(urea, 'conventional')!.text).toBe('Urea / BUN 14 to 20 mg/dL (BUN) over 2 months, rising; range 7–22 mg/dL (BUN)');
  });

  it('shades no band for a range known only in words, or one-sided bands as given', () => {
    const words = numericItem([r('2026-03-01', 2.7), r('2026-01-01', 2.4)], { range: { source: 'interpretation', basis: 'flagged high by the laboratory' } });
    expect(trendSeries(words, 'si')!.band).toBeUndefined();
    const egfr = numericItem([r('2026-03-01', 40, { analyte: 'egfr', unit: 'mL/min/{1.73_m2}' }), r('2026-01-01', 70, { analyte: 'egfr', unit: 'mL/min/{1.73_m2}' })], {
      id: 'egfr', label: 'eGFR', range: { low: 60, source: 'built-in' },
    });
    expect(trendSeries(egfr, 'si')!.band).toEqual({ low: 60, lowText: '60', text: '≥ 60 mL/min/1.73 m²' });
  });
});

describe('methods: an eGFR series never mixes equations silently', () => {
  const egfr = (date: string, value: number, method?: string): ResultValue =>
    r(date, value, { analyte: 'egfr', unit: 'mL/min/{1.73_m2}', ...(method ? { derived: true, method } : {}) });
  const item = (results: ResultValue[]) => numericItem(results, { id: 'egfr', label: 'eGFR', range: { low: 60, source: 'built-in' } });

  it('marks each point with its method and says in the text that they differ', () => {
    const s = trendSeries(item([egfr('2026-03-01', 22), egfr('2026-02-01', 50, 'CKD-EPI 2009'), egfr('2026-01-01', 82)]), 'si')!;
    expect(s.points.map((p) => [p.method, p.derived])).toEqual([['reported', false], ['calculated (CKD-EPI 2009)', true], ['reported', false]]);
    expect(s.methods).toEqual(['reported', 'calculated (CKD-EPI 2009)']);
    expect(s.text).toMatch(/; methods differ: reported and calculated \(CKD-EPI 2009\)$/);
  });

  it('two equations are two methods; one method says nothing', () => {
    const two = trendSeries(item([egfr('2026-03-01', 22, 'CKD-EPI 2021'), egfr('2026-01-01', 82, 'CKD-EPI 2009')]), 'si')!;
    expect(two.text).toContain('methods differ: calculated (CKD-EPI 2009) and calculated (CKD-EPI 2021)');
    const one = trendSeries(item([egfr('2026-03-01', 22, 'CKD-EPI 2009'), egfr('2026-01-01', 82, 'CKD-EPI 2009')]), 'si')!;
    expect(one.methods).toEqual(['calculated (CKD-EPI 2009)']);
    expect(one.text).not.toContain('methods differ');
  });
});

describe('direction: stable under 5 % of the older value, or when both read the same', () => {
  it.each<[number, number, string, string, string]>([
    [100, 105, '100', '105', 'rising'],
    [100, 104.9, '100', '105', 'stable'],
    [100, 95, '100', '95', 'falling'],
    [100, 95.1, '100', '95', 'stable'],
    [0.01, 0.012, '0.01', '0.01', 'stable'],
    [0, 0.2, '0.00', '0.20', 'rising'],
    [82, 22, '82', '22', 'falling'],
  ])('%s → %s', (a, b, ta, tb, dir) => {
    expect(trendDirection(pt('2026-01-01', a, ta), pt('2026-02-01', b, tb))).toBe(dir);
  });
});

describe('duration in words, rounded to the nearest unit', () => {
  it.each<[string, string, string | undefined]>([
    ['2026-01-01T08:00:00Z', '2026-01-01T20:00:00Z', undefined],
    ['2026-01-01', '2026-01-02', '1 day'],
    ['2026-01-01', '2026-01-14', '13 days'],
    ['2026-01-01', '2026-01-15', '2 weeks'],
    ['2026-01-01', '2026-02-11', '6 weeks'],
    ['2026-01-01', '2026-02-12', '1 month'],
    ['2017-12-03', '2018-01-25', '2 months'],
    ['2025-01-01', '2026-12-31', '24 months'],
    ['2025-01-01', '2027-01-01', '2 years'],
    ['2008-09-14', '2018-01-25', '9 years'],
  ])('%s to %s: %s', (a, b, words) => {
    expect(spanWords(pt(a, 1), pt(b, 1))).toBe(words);
  });
});

describe('a real record: the Synthea patient whose eGFR falls from 82 to 22 in two months', () => {
  const bundle = JSON.parse(readFileSync(new URL('../../../../shared/fhir-data/synthea/truman-wiegand.json', import.meta.url), 'utf8')) as Bundle;
  const entry = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!;
  const ev = evaluate({ patient: entry.resource as Patient, patientFullUrl: entry.fullUrl!, resources: bundle.entry!.map((e) => e.resource as FhirResource), now: '2018-01-25' });
  const egfr = ev.items.find((i) => i.id === 'egfr')!;

  it('every result over nine years, the one calculated value named, the fall in the words', () => {
    const s = trendSeries(egfr, 'si')!;
    expect(s.points).toHaveLength(30);
    expect(s.points.filter((p) => p.derived).map((p) => [p.date.slice(0, 10), p.text, p.method])).toEqual([['2016-01-15', '84', 'calculated (CKD-EPI 2009)']]);
    expect(s.points.at(-1)).toMatchObject({ text: '22', value: egfr.latest!.value });
    expect(s.text).toBe(
      'eGFR 130 to 22 mL/min/1.73 m² over 9 years, falling; 30 results, the previous 82, 2 months before; range ≥ 60 mL/min/1.73 m²; methods differ: reported and calculated (CKD-EPI 2009)',
    );
  });

  it('gives a series to every numeric item with two or more results, and to none other', () => {
    const withSeries = ev.items.filter((i) => trendSeries(i, 'si')).map((i) => i.id);
    expect(withSeries).toEqual(['calcium', 'sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'egfr', 'urine-protein']);
    // albumin and adjusted calcium have one result each here; urinalysis is qualitative
    expect(ev.items.find((i) => i.id === 'adjusted-calcium')!.history).toHaveLength(0);
  });
});
