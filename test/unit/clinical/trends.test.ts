/** Trends over the whole history (section 7, KDIGO 2012), at their edges: src/clinical/trends.ts. */
import { describe, expect, it } from 'vitest';
import { creatinineRise, egfrDecline, gfrCategory, type Point } from '../../../src/clinical/trends';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);
const p = (days: number, value: number, ref = `r${days}`): Point => ({ time: T0 + days * DAY, date: new Date(T0 + days * DAY).toISOString(), value, refs: [ref] });

describe('GFR categories (KDIGO 2012)', () => {
  it.each<[number, string]>([[95, 'G1'], [90, 'G1'], [89.9, 'G2'], [60, 'G2'], [59, 'G3a'], [45, 'G3a'], [44, 'G3b'], [30, 'G3b'], [29, 'G4'], [15, 'G4'], [14, 'G5'], [0, 'G5']])('%s is %s', (v, name) => {
    expect(gfrCategory(v).name).toBe(name);
  });
});

describe('eGFR decline', () => {
  it('exactly 25 % into a lower category is a certain drop; 24 % is not; 30 % within one category is not', () => {
    expect(egfrDecline([p(0, 64), p(30, 48)])).toMatchObject({ kind: 'certain-drop', drop: 0.25, fromCategory: 'G2', toCategory: 'G3a' });
    expect(egfrDecline([p(0, 63), p(30, 48)])).toBeUndefined(); // 23.8 %
    expect(egfrDecline([p(0, 130), p(30, 91)])).toBeUndefined(); // 30 %, both G1
  });

  it('names the newest fall, against the most recent earlier value (not a peak years before)', () => {
    const d = egfrDecline([p(0, 146, 'peak'), p(3000, 82, 'before'), p(3060, 22, 'after')]);
    expect(d).toMatchObject({ kind: 'certain-drop', fromCategory: 'G2', toCategory: 'G4' });
    expect([d!.from.refs[0], d!.to.refs[0]]).toEqual(['before', 'after']);
  });

  it('rapid progression: more than 5 a year from the latest result at least a year before the newest', () => {
    expect(egfrDecline([p(0, 80), p(366, 74.5)])).toMatchObject({ kind: 'rapid-progression' });
    expect(egfrDecline([p(0, 80), p(366, 75)])).toBeUndefined(); // 5.0 a year is not more than 5
    expect(egfrDecline([p(0, 80), p(200, 70)])).toBeUndefined(); // less than a year apart
  });
});

describe('creatinine rise (KDIGO 2012 AKI)', () => {
  it('26.5 µmol/L or more within 48 hours', () => {
    expect(creatinineRise([p(0, 80), p(2, 106.5)])).toMatchObject({ kind: 'rise-48h' });
    expect(creatinineRise([p(0, 80), p(2, 106.4)])).toBeUndefined();
    expect(creatinineRise([p(0, 80), p(2.01, 106.5)])).toBeUndefined();
  });

  it('1.5 times or more the lowest value of the previous 7 days', () => {
    expect(creatinineRise([p(0, 60), p(3, 75), p(7, 90)])).toMatchObject({ kind: 'rise-7d', from: { value: 60 }, to: { value: 90 } });
    expect(creatinineRise([p(0, 60), p(7.5, 90)])).toBeUndefined();
    expect(creatinineRise([p(0, 60), p(5, 89)])).toBeUndefined();
  });
});
