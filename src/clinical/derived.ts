/**
 * Derived values, section 3 of the clinical reference: albumin-adjusted calcium (Payne), eGFR
 * (CKD-EPI 2021 for adults, bedside Schwartz under 18 with a recent height) and 24-hour urine
 * values per kilogram. Every derived value says it is derived and from which results.
 */
import type { Candidate } from './candidate';
import { addMonths, DAY_MS, isoDay } from './dates';
import { formatDate } from './display';
import { ageAt, flagDerived, type PatientContext } from './ranges';
import { round } from './units';

/** Section 3: adjusted Ca = total Ca (mmol/L) + 0.02 x (40 - albumin g/L). */
export function payne(calciumMmol: number, albuminGl: number): number {
  return calciumMmol + 0.02 * (40 - albuminGl);
}

/**
 * Section 3: CKD-EPI 2021 creatinine equation (race-free), creatinine in umol/L.
 * 142 x min(Scr/k,1)^a x max(Scr/k,1)^-1.200 x 0.9938^age x 1.012 [female];
 * k = 0.7 (F) / 0.9 (M), a = -0.241 (F) / -0.302 (M), Scr in mg/dL.
 */
export function ckdEpi2021(creatinineUmol: number, ageYears: number, sex: 'male' | 'female'): number {
  const scr = creatinineUmol / 88.4;
  const k = sex === 'female' ? 0.7 : 0.9;
  const a = sex === 'female' ? -0.241 : -0.302;
  const r = scr / k;
  return 142 * Math.min(r, 1) ** a * Math.max(r, 1) ** -1.2 * 0.9938 ** ageYears * (sex === 'female' ? 1.012 : 1);
}

/** Section 3: bedside Schwartz, 36.5 x height (cm) / creatinine (umol/L). */
export function bedsideSchwartz(heightCm: number, creatinineUmol: number): number {
  return (36.5 * heightCm) / creatinineUmol;
}

export interface Measure {
  time: number;
  value: number;
  ref: string;
}

/** The measurement nearest in time within 3 months either side (section 3: "within 3 months"). */
export function nearestWithin3Months(list: readonly Measure[], time: number): Measure | undefined {
  if (!Number.isFinite(time) || list.length === 0) return undefined;
  const from = addMonths(time, -3);
  const to = addMonths(time, 3);
  let best: Measure | undefined;
  for (const m of list) {
    if (m.time < from || m.time > to) continue;
    if (!best || Math.abs(m.time - time) < Math.abs(best.time - time) || (Math.abs(m.time - time) === Math.abs(best.time - time) && m.ref < best.ref)) best = m;
  }
  return best;
}

/** A value that can feed a formula: readable, plausible, exact (no comparator), dated, and counting. */
const usable = (c: Candidate): boolean =>
  c.canonical !== undefined && !c.comparator && c.valueOk === true && Number.isFinite(c.time) && (!c.resultStatus || c.resultStatus === 'preliminary' || c.resultStatus === 'amended' || c.resultStatus === 'corrected');

function derivedCandidate(base: Candidate, value: number, analyte: 'adjusted-calcium' | 'egfr', ctx: PatientContext, refs: string[], method: string, derivation: string): Candidate {
  const f = flagDerived(analyte, value, ctx, base.time);
  const c: Candidate = {
    time: base.time,
    date: base.date,
    day: base.day,
    refs,
    flag: f.flag,
    canonical: round(value),
    unit: f.unit ?? '',
    derived: true,
    derivation,
    method,
    analyte,
    key: `derived|${refs.join(',')}`,
  };
  if (f.flag === 'high' || f.flag === 'low') c.direction = f.flag;
  if (f.range) c.range = f.range;
  if (f.problem) c.problem = f.problem;
  if (base.resultStatus) c.resultStatus = base.resultStatus;
  return c;
}

/**
 * Adjusted calcium for each calcium result that has an albumin from the same calendar day, else
 * the nearest within 24 h (section 3). Days that already have a reported 29265-6 are skipped: a
 * reported value wins (section 3).
 */
export function deriveAdjustedCalcium(calcium: readonly Candidate[], albumin: readonly Candidate[], reportedDays: ReadonlySet<string>, ctx: PatientContext): Candidate[] {
  // indexed once: by calendar day, and sorted by time for the 24-hour search
  const albs = albumin.filter(usable).sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const byDay = new Map<string, Candidate[]>();
  for (const a of albs) {
    const l = byDay.get(a.day);
    if (l) l.push(a);
    else byDay.set(a.day, [a]);
  }
  const closer = (a: Candidate, best: Candidate | undefined, t: number): boolean =>
    !best || Math.abs(a.time - t) < Math.abs(best.time - t);
  const out: Candidate[] = [];
  for (const ca of calcium) {
    if (!usable(ca) || reportedDays.has(ca.day)) continue;
    let alb: Candidate | undefined;
    for (const a of byDay.get(ca.day) ?? []) if (closer(a, alb, ca.time)) alb = a;
    if (!alb) {
      // binary search for the first albumin at or after ca.time - 24 h
      let lo = 0;
      let hi = albs.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (albs[mid]!.time < ca.time - DAY_MS) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < albs.length && albs[i]!.time <= ca.time + DAY_MS; i += 1) if (closer(albs[i]!, alb, ca.time)) alb = albs[i];
    }
    if (!alb) continue;
    const v = payne(ca.canonical!, alb.canonical!);
    const how = `Derived (Payne): calcium ${ca.canonical} mmol/L + 0.02 × (40 − albumin ${alb.canonical} g/L) = ${round(v)} mmol/L`;
    out.push(derivedCandidate(ca, v, 'adjusted-calcium', ctx, [...ca.refs, ...alb.refs], 'Payne', how));
  }
  return out;
}

/**
 * eGFR from each creatinine result on a day without a reported eGFR (section 3): CKD-EPI 2021 at
 * 18 or over (needs the sex: not derived when it is not recorded as male or female); under 18
 * bedside Schwartz only with a height within 3 months.
 */
export function deriveEgfr(creatinine: readonly Candidate[], reportedDays: ReadonlySet<string>, ctx: PatientContext, heights: readonly Measure[]): Candidate[] {
  const out: Candidate[] = [];
  for (const cr of creatinine) {
    if (!usable(cr) || reportedDays.has(cr.day) || cr.canonical! <= 0) continue;
    const age = ageAt(ctx, cr.time);
    if (!age || age.years < 0) continue;
    if (age.years >= 18) {
      if (ctx.sex !== 'male' && ctx.sex !== 'female') continue;
      const v = ckdEpi2021(cr.canonical!, age.years, ctx.sex);
      const how = `Derived (CKD-EPI 2021, race-free): creatinine ${cr.canonical} µmol/L, age ${age.years}, ${ctx.sex}`;
      out.push(derivedCandidate(cr, v, 'egfr', ctx, [...cr.refs], 'CKD-EPI 2021', how));
    } else {
      const h = nearestWithin3Months(heights, cr.time);
      if (!h) continue;
      const v = bedsideSchwartz(h.value, cr.canonical!);
      const how = `Derived (bedside Schwartz): 36.5 × height ${round(h.value)} cm / creatinine ${cr.canonical} µmol/L`;
      out.push(derivedCandidate(cr, v, 'egfr', ctx, [...cr.refs, h.ref], 'bedside Schwartz', how));
    }
  }
  return out;
}

/** Section 3: a 24-hour urine value per kilogram, as words for the panel. */
export function perKgText(valueMmolOrMg: number, unit: string, weight: Measure): string {
  const per = valueMmolOrMg / weight.value;
  const u = unit.replace('/24h', '/kg/day');
  return `${round(per)} ${u} (body weight ${round(weight.value)} kg on ${formatDate(isoDay(weight.time))})`;
}
