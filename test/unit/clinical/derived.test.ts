import { describe, expect, it } from 'vitest';
import { bedsideSchwartz, ckdEpi2009, ckdEpi2021, nearestWithin3Months, payne } from '../../../src/clinical/derived';
import { item, obs, patient, run } from './fixtures';

describe('formulas (section 3), checked by hand', () => {
  it('Payne: 2.10 + 0.02 x (40 - 30) = 2.30', () => {
    expect(payne(2.1, 30)).toBeCloseTo(2.3, 10);
    expect(payne(2.5, 45)).toBeCloseTo(2.4, 10);
  });

  it('CKD-EPI 2021: 50-year-old woman, creatinine 1.0 mg/dL ≈ 69', () => {
    // 142 x (1.0/0.7)^-1.2 x 0.9938^50 x 1.012 = 142 x 0.6518 x 0.7328 x 1.012 = 68.6
    expect(ckdEpi2021(88.4, 50, 'female')).toBeCloseTo(68.6, 0);
  });

  it('CKD-EPI 2021: 50-year-old man, creatinine 1.0 mg/dL ≈ 91', () => {
    // 142 x (1.0/0.9)^-1.2 x 0.9938^50 = 142 x 0.8812 x 0.7328 = 91.7
    expect(ckdEpi2021(88.4, 50, 'male')).toBeCloseTo(91.7, 0);
  });

  it('CKD-EPI 2021: below kappa uses alpha (woman 30, creatinine 0.6 mg/dL)', () => {
    // 142 x (0.6/0.7)^-0.241 x 0.9938^30 x 1.012 = 142 x 1.0379 x 0.8301 x 1.012 = 123.8
    expect(ckdEpi2021(0.6 * 88.4, 30, 'female')).toBeCloseTo(123.8, 0);
  });

  it('CKD-EPI 2009 (no ethnicity coefficient): 50-year-old woman, creatinine 1.0 mg/dL ≈ 65.6', () => {
    // 141 x (1.0/0.7)^-1.209 x 0.993^50 x 1.018 = 141 x 0.6497 x 0.7038 x 1.018 = 65.6
    expect(ckdEpi2009(88.4, 50, 'female')).toBeCloseTo(65.6, 0);
  });

  it('CKD-EPI 2009: 50-year-old man, creatinine 1.0 mg/dL ≈ 87.4', () => {
    // 141 x (1.0/0.9)^-1.209 x 0.993^50 = 141 x 0.8804 x 0.7038 = 87.4
    expect(ckdEpi2009(88.4, 50, 'male')).toBeCloseTo(87.4, 0);
  });

  it('CKD-EPI 2009: below kappa uses alpha (woman 30, creatinine 0.6 mg/dL)', () => {
    // 141 x (0.6/0.7)^-0.329 x 0.993^30 x 1.018 = 141 x 1.0520 x 0.8100 x 1.018 = 122.3
    expect(ckdEpi2009(0.6 * 88.4, 30, 'female')).toBeCloseTo(122.3, 0);
  });

  it('bedside Schwartz: 36.5 x 120 cm / 40 umol/L = 109.5', () => {
    expect(bedsideSchwartz(120, 40)).toBeCloseTo(109.5, 10);
  });

  it('nearest measurement within 3 months', () => {
    const t = Date.UTC(2025, 5, 1);
    const list = [
      { time: Date.UTC(2025, 0, 1), value: 100, ref: 'a' },
      { time: Date.UTC(2025, 4, 1), value: 110, ref: 'b' },
      { time: Date.UTC(2025, 5, 10), value: 111, ref: 'c' },
    ];
    expect(nearestWithin3Months(list, t)?.ref).toBe('c');
    expect(nearestWithin3Months(list.slice(0, 1), t)).toBeUndefined();
  });
});

describe('adjusted calcium in the panel', () => {
  it('derived from a same-day albumin, with both sources and the derivation', () => {
    const ca = obs('17861-6', 2.5, 'mmol/L', { id: 'ca', date: '2025-06-01T08:00:00Z' });
    const alb = obs('1751-7', 25, 'g/L', { id: 'alb', date: '2025-06-01T20:00:00Z' });
    const ev = run([ca, alb]);
    const adj = item(ev, 'adjusted-calcium');
    expect(adj.latest?.value).toBeCloseTo(2.8, 10);
    expect(adj.latest?.derived).toBe(true);
    expect(adj.latest?.source).toEqual(['Observation/ca', 'Observation/alb']);
    expect(adj.latest?.derivation).toMatch(/Payne/);
    expect(adj.status).toBe('abnormal');
    expect(adj.direction).toBe('high');
    // total calcium itself is normal: the finding follows the adjusted value
    expect(item(ev, 'calcium').status).toBe('normal');
    expect(ev.findings.map((f) => f.id)).toContain('hypercalcaemia');
  });

  it('uses an albumin within 24 h when none on the same day', () => {
    const ca = obs('17861-6', 2.3, 'mmol/L', { date: '2025-06-01T23:00:00Z' });
    const alb = obs('1751-7', 40, 'g/L', { date: '2025-06-02T10:00:00Z' });
    expect(item(run([ca, alb]), 'adjusted-calcium').latest?.value).toBeCloseTo(2.3, 10);
  });

  it('not derived with an albumin more than 24 h away', () => {
    const ca = obs('17861-6', 2.3, 'mmol/L', { date: '2025-06-01T08:00:00Z' });
    const alb = obs('1751-7', 40, 'g/L', { date: '2025-06-03T10:00:00Z' });
    expect(item(run([ca, alb]), 'adjusted-calcium').status).toBe('missing');
    expect(item(run([ca, alb]), 'adjusted-calcium').reason).toMatch(/no albumin .* within 24 hours/);
  });

  it('a reported 29265-6 wins over a derived value', () => {
    const ca = obs('17861-6', 2.5, 'mmol/L', { date: '2025-06-01' });
    const alb = obs('1751-7', 25, 'g/L', { date: '2025-06-01' });
    const rep = obs('29265-6', 2.45, 'mmol/L', { id: 'rep', date: '2025-06-01' });
    const adj = item(run([ca, alb, rep]), 'adjusted-calcium');
    expect(adj.latest?.value).toBe(2.45);
    expect(adj.latest?.derived).toBeUndefined();
    expect(adj.history).toHaveLength(0);
  });

  it('converts US units before deriving', () => {
    const ca = obs('17861-6', 10, 'mg/dL', { date: '2025-06-01' });
    const alb = obs('1751-7', 3, 'g/dL', { date: '2025-06-01' });
    // 2.495 + 0.02 x (40 - 30) = 2.695
    expect(item(run([ca, alb]), 'adjusted-calcium').latest?.value).toBeCloseTo(2.7, 2);
  });
});

describe('eGFR in the panel', () => {
  it('derived for an adult when none is reported, with the site\'s equation: CKD-EPI 2009 by default (the UK), 2021 when set', () => {
    const woman = patient({ birthDate: '1975-01-01', gender: 'female' });
    const ev = run([obs('2160-0', 1.0, 'mg/dL', { id: 'cr' })], { patient: woman });
    const e = item(ev, 'egfr');
    // age 50 at 2025-06-01
    expect(e.latest?.value).toBeCloseTo(65.6, 0);
    expect(e.latest).toMatchObject({ derived: true, method: 'CKD-EPI 2009' });
    expect(e.latest?.derivation).toMatch(/CKD-EPI 2009, without the ethnicity coefficient/);
    expect(e.status).toBe('normal');
    const us = item(run([obs('2160-0', 1.0, 'mg/dL', { id: 'cr' })], { patient: woman, settings: { egfrEquation: 'ckd-epi-2021' } }), 'egfr');
    expect(us.latest?.value).toBeCloseTo(68.6, 0);
    expect(us.latest).toMatchObject({ derived: true, method: 'CKD-EPI 2021' });
    expect(us.latest?.derivation).toMatch(/CKD-EPI 2021, race-free/);
  });

  it('the two equations can fall either side of 60: the derived value names its equation', () => {
    // man of 65, creatinine 112 umol/L: CKD-EPI 2009 gives 59.1, CKD-EPI 2021 gives 62.9
    const man = patient({ birthDate: '1960-01-01', gender: 'male' });
    const uk = item(run([obs('2160-0', 112, 'umol/L')], { patient: man }), 'egfr');
    const us = item(run([obs('2160-0', 112, 'umol/L')], { patient: man, settings: { egfrEquation: 'ckd-epi-2021' } }), 'egfr');
    expect(uk.latest!.value as number).toBeLessThan(60);
    expect(us.latest!.value as number).toBeGreaterThanOrEqual(60);
    expect([uk.status, us.status]).toEqual(['abnormal', 'normal']);
    expect([uk.latest?.method, us.latest?.method]).toEqual(['CKD-EPI 2009', 'CKD-EPI 2021']);
  });

  it('a setting that is not an equation is ignored (the default holds)', () => {
    const ev = run([obs('2160-0', 1.0, 'mg/dL')], { settings: { egfrEquation: 'mdrd' as never } });
    expect(item(ev, 'egfr').latest?.method).toBe('CKD-EPI 2009');
  });

  it('reduced eGFR gives the finding', () => {
    const ev = run([obs('2160-0', 2.0, 'mg/dL')], { patient: patient({ birthDate: '1950-01-01', gender: 'male' }) });
    expect(item(ev, 'egfr').direction).toBe('low');
    expect(ev.findings.map((f) => f.id)).toContain('reduced-egfr');
  });

  it('a reported eGFR on the same day wins', () => {
    const ev = run([obs('2160-0', 1.0, 'mg/dL'), obs('98979-8', 75, 'mL/min/{1.73_m2}', { id: 'e' })]);
    expect(item(ev, 'egfr').latest?.value).toBe(75);
    expect(item(ev, 'egfr').latest?.derived).toBeUndefined();
  });

  it('not derived when sex is not recorded', () => {
    const ev = run([obs('2160-0', 1.0, 'mg/dL')], { patient: patient({ gender: 'unknown' }) });
    expect(item(ev, 'egfr').status).toBe('missing');
    expect(item(ev, 'egfr').reason).toMatch(/sex not recorded/);
  });

  it('under 18: bedside Schwartz only with a height within 3 months', () => {
    const child = patient({ birthDate: '2017-01-01', gender: 'male' });
    const cr = obs('2160-0', 40, 'umol/L', { id: 'cr', date: '2025-06-01' });
    expect(item(run([cr], { patient: child }), 'egfr').status).toBe('missing');
    expect(item(run([cr], { patient: child }), 'egfr').reason).toMatch(/height within 3 months/);
    const h = obs('8302-2', 120, 'cm', { id: 'h', date: '2025-04-15' });
    const e = item(run([cr, h], { patient: child }), 'egfr');
    expect(e.latest?.value).toBe(110); // 109.5, shown without decimals above 100
    expect(e.latest?.source).toEqual(['Observation/cr', 'Observation/h']);
    expect(e.latest?.derivation).toMatch(/Schwartz/);
    const old = obs('8302-2', 120, 'cm', { date: '2024-12-01' });
    expect(item(run([cr, old], { patient: child }), 'egfr').status).toBe('missing');
  });
});

describe('24-hour urine per kg', () => {
  it('uses 0.1 mmol/kg/day with a weight within 3 months and shows the per-kg value', () => {
    const u = obs('14637-3', 6.0, 'mmol/(24.h)', { date: '2025-06-01' });
    const w = obs('29463-7', 50, 'kg', { date: '2025-05-01' });
    const ev = run([u, w], { patient: patient({ gender: 'male' }) });
    const i = item(ev, 'urine-calcium-24h');
    // 6.0 > 0.1 x 50 = 5.0 (the men's limit 7.5 would call it normal)
    expect(i.status).toBe('abnormal');
    expect(i.range?.high).toBe(5);
    expect(i.latest?.text).toMatch(/0\.12 mmol\/kg\/day/);
    expect(ev.findings.map((f) => f.id)).toContain('hypercalciuria');
  });

  it('without a weight, adults use the sex-specific limits', () => {
    const u = obs('14637-3', 6.5, 'mmol/(24.h)');
    expect(item(run([u], { patient: patient({ gender: 'male' }) }), 'urine-calcium-24h').status).toBe('normal');
    expect(item(run([u], { patient: patient({ gender: 'female' }) }), 'urine-calcium-24h').status).toBe('abnormal');
  });
});

describe('spot Ca:creatinine under 5 years (section 1)', () => {
  it('replaces the 24-hour urine calcium item for a child under 5, which says so; the ratio is counted once, on its own item', () => {
    const infant = patient({ birthDate: '2025-04-01', gender: 'male' });
    const ev = run([obs('9321-1', 1.1, 'mg/mg', { id: 'r', date: '2025-06-01' })], { patient: infant });
    const u24 = item(ev, 'urine-calcium-24h');
    expect(u24).toMatchObject({ applies: false, replacedBy: { id: 'urine-calcium-creatinine', date: '2025-06-01' } });
    expect(u24.latest).toBeUndefined();
    expect(u24.reason).toMatch(/^replaced by the urine calcium:creatinine ratio \(spot\) of 1 Jun 2025 .*in place of the 24-hour collection/);
    const ratio = item(ev, 'urine-calcium-creatinine');
    expect(ratio).toMatchObject({ status: 'abnormal', direction: 'high', applies: true });
    expect(ratio.latest?.value).toBeCloseTo(3.1, 2);
    expect(ev.summary.abnormal).toBe(1);
  });

  it('a newer 24-hour collection of the child decides the 24-hour item itself', () => {
    const child = patient({ birthDate: '2021-01-01', gender: 'male' });
    const ev = run([obs('9321-1', 0.5, 'mmol/mmol', { date: '2025-01-10' }), obs('14637-3', 1.5, 'mmol/(24.h)', { date: '2025-05-01' })], { patient: child });
    expect(item(ev, 'urine-calcium-24h').replacedBy).toBeUndefined();
    expect(item(ev, 'urine-calcium-24h').latest?.value).toBe(1.5);
  });

  it('does not for an older child', () => {
    const child = patient({ birthDate: '2015-01-01' });
    const ev = run([obs('9321-1', 0.2, 'mmol/mmol', { date: '2025-06-01' })], { patient: child });
    expect(item(ev, 'urine-calcium-24h').status).toBe('missing');
  });
});
