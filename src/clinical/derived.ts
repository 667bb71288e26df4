/**
 * Derived values, section 3 of the clinical reference: albumin-adjusted calcium (Payne, not under 1
 * year), eGFR (CKD-EPI for adults, the equation a site setting; bedside Schwartz from 1 to 18 with a
 * recent height; none under 1 year) and 24-hour urine values per kilogram. Every derived value says
 * it is derived, by which method and from which results.
 */
import type { Candidate } from './candidate';
import { addMonths, DAY_MS, isoDay } from './dates';
import { formatDate } from './display';
import type { EgfrEquation } from './model';
import { ageAt, flagDerived, type PatientContext } from './ranges';
import { round } from './units';

/**
 * Decision (section 3 makes it a site setting): CKD-EPI 2009 without the ethnicity coefficient by
 * default. The clinical source is a UK article and the built-in ranges are the UK's (section 6);
 * NICE NG203 (2021) keeps 2009 for the UK; and near the threshold of 60 it gives the lower value
 * (about 4 mL/min/1.73 m2 below 2021), so the default errs towards flagging. A US site sets 2021.
 */
export const DEFAULT_EGFR_EQUATION: EgfrEquation = 'ckd-epi-2009';

/** The method each equation's derived values carry (ResultValue.method). */
export const EGFR_METHODS: Readonly<Record<EgfrEquation, string>> = { 'ckd-epi-2009': 'CKD-EPI 2009', 'ckd-epi-2021': 'CKD-EPI 2021' };

export const isEgfrEquation = (x: unknown): x is EgfrEquation => x === 'ckd-epi-2009' || x === 'ckd-epi-2021';

/** Section 3: no albumin adjustment and no derived eGFR under 1 year. */
const DERIVE_FROM_YEARS = 1;
/** Section 3: bedside Schwartz from 1 to 18 years, validated from 1 to 16. */
const SCHWARTZ_VALIDATED_TO = 16;

/** Section 3: adjusted Ca = total Ca (mmol/L) + 0.02 x (40 - albumin g/L). */
export function payne(calciumMmol: number, albuminGl: number): number {
  return calciumMmol + 0.02 * (40 - albuminGl);
}

/**
 * Section 3: CKD-EPI 2009 creatinine equation without the ethnicity coefficient (NICE NG203),
 * creatinine in umol/L. 141 x min(Scr/k,1)^a x max(Scr/k,1)^-1.209 x 0.993^age x 1.018 [female];
 * k = 0.7 (F) / 0.9 (M), a = -0.329 (F) / -0.411 (M), Scr in mg/dL.
 */
export function ckdEpi2009(creatinineUmol: number, ageYears: number, sex: 'male' | 'female'): number {
  const scr = creatinineUmol / 88.4;
  const k = sex === 'female' ? 0.7 : 0.9;
  const a = sex === 'female' ? -0.329 : -0.411;
  const r = scr / k;
  return 141 * Math.min(r, 1) ** a * Math.max(r, 1) ** -1.209 * 0.993 ** ageYears * (sex === 'female' ? 1.018 : 1);
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
    if (!usable(ca) || reportedDays.has(ca.day) || under1(ctx, ca.time)) continue;
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

const under1 = (ctx: PatientContext, time: number): boolean => {
  const age = ageAt(ctx, time);
  return age !== undefined && age.years < DERIVE_FROM_YEARS;
};

const EQUATION_WORDS: Record<EgfrEquation, string> = {
  'ckd-epi-2009': 'CKD-EPI 2009, without the ethnicity coefficient',
  'ckd-epi-2021': 'CKD-EPI 2021, race-free',
};

/** An adult's eGFR by the site's CKD-EPI equation (needs the sex recorded as male or female). */
function adultEgfr(cr: Candidate, years: number, ctx: PatientContext): Candidate | undefined {
  if (ctx.sex !== 'male' && ctx.sex !== 'female') return undefined;
  const eq = ctx.egfrEquation ?? DEFAULT_EGFR_EQUATION;
  const v = eq === 'ckd-epi-2021' ? ckdEpi2021(cr.canonical!, years, ctx.sex) : ckdEpi2009(cr.canonical!, years, ctx.sex);
  const how = `Derived (${EQUATION_WORDS[eq]}): creatinine ${cr.canonical} µmol/L, age ${years}, ${ctx.sex}`;
  return derivedCandidate(cr, v, 'egfr', ctx, [...cr.refs], EGFR_METHODS[eq], how);
}

/** A child's eGFR (1 to 18 years) by bedside Schwartz, with a height within 3 months. */
function childEgfr(cr: Candidate, years: number, ctx: PatientContext, heights: readonly Measure[]): Candidate | undefined {
  const h = nearestWithin3Months(heights, cr.time);
  if (!h) return undefined;
  const v = bedsideSchwartz(h.value, cr.canonical!);
  const validated = years >= SCHWARTZ_VALIDATED_TO ? ` (bedside Schwartz is validated from 1 to ${SCHWARTZ_VALIDATED_TO} years; the patient is ${years})` : '';
  const how = `Derived (bedside Schwartz): 36.5 × height ${round(h.value)} cm / creatinine ${cr.canonical} µmol/L${validated}`;
  return derivedCandidate(cr, v, 'egfr', ctx, [...cr.refs, h.ref], 'bedside Schwartz', how);
}

/**
 * eGFR from each creatinine result on a day without a reported eGFR (section 3): the site's
 * CKD-EPI equation at 18 or over (needs the sex: not derived when it is not recorded as male or
 * female); from 1 to 18 bedside Schwartz only with a height within 3 months; none under 1 year.
 */
export function deriveEgfr(creatinine: readonly Candidate[], reportedDays: ReadonlySet<string>, ctx: PatientContext, heights: readonly Measure[]): Candidate[] {
  const out: Candidate[] = [];
  for (const cr of creatinine) {
    if (!usable(cr) || reportedDays.has(cr.day) || cr.canonical! <= 0) continue;
    const age = ageAt(ctx, cr.time);
    if (!age || age.years < DERIVE_FROM_YEARS) continue;
    const c = age.years >= 18 ? adultEgfr(cr, age.years, ctx) : childEgfr(cr, age.years, ctx, heights);
    if (c) out.push(c);
  }
  return out;
}

/** Why an adjusted calcium was not derived from a calcium dated `time` (decide stage). */
export function adjustedNotDerived(ctx: PatientContext, time: number): string {
  if (under1(ctx, time)) return 'not derived: under 1 year, total (or ionised) calcium is judged as it is, without an albumin adjustment';
  return 'not derived: no albumin on the same day or within 24 hours of the calcium';
}

/** Why an eGFR was not derived from a creatinine dated `time`, when the reason is known. */
export function egfrNotDerived(ctx: PatientContext, time: number, heights: readonly Measure[]): string | undefined {
  const age = ageAt(ctx, time);
  if (!age) return 'not derived: birth date unknown';
  if (age.years < DERIVE_FROM_YEARS) return 'not derived: no eGFR is derived under 1 year';
  const eq = EGFR_METHODS[ctx.egfrEquation ?? DEFAULT_EGFR_EQUATION];
  if (age.years >= 18 && ctx.sex === null) return `not derived: sex not recorded as male or female (${eq} needs it)`;
  if (age.years < 18 && !nearestWithin3Months(heights, time)) return 'not derived: under 18, bedside Schwartz needs a height within 3 months';
  return undefined;
}

/** Section 3: a 24-hour urine value per kilogram, as words for the panel. */
export function perKgText(valueMmolOrMg: number, unit: string, weight: Measure): string {
  const per = valueMmolOrMg / weight.value;
  const u = unit.replace('/24h', '/kg/day');
  return `${round(per)} ${u} (body weight ${round(weight.value)} kg on ${formatDate(isoDay(weight.time))})`;
}
