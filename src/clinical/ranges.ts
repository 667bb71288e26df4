/**
 * Reference ranges and flags. Precedence (section 5): the result's interpretation code, then the
 * result's own referenceRange (the element for the patient's age and sex, type "normal" only; text
 * ranges parsed; a range in another unit converted), then the built-in ranges of section 6.
 */
import { daysBetween, yearsBetween } from './dates';
import type { Coding, ObservationReferenceRange, Quantity } from 'fhir/r4';
import type { EgfrEquation, RangeUsed } from './model';
import { ANALYTES } from './rules/analytes';
import type { AnalyteDef, Expr, RangeRow } from './rules/types';
import { plausibility, round, toCanonical, unitFactor } from './units';
import { codingsOf, type Comparator, type Reading } from './values';

export type Sex = 'male' | 'female' | null;

export interface PatientContext {
  sex: Sex;
  /** Birth date (epoch ms, UTC midnight), undefined when unknown. */
  birthMs?: number;
  /** Memo of ages by result time (filled by ageAt). */
  ageMemo?: Map<number, Age>;
  /** The analytes of the rule set in use (default: the built-in rules). */
  analytes?: Readonly<Record<string, AnalyteDef>>;
  /**
   * Pregnancy is recorded (section 5): range rows marked `pregnant` apply to results dated from this
   * time on (epoch ms; the start of the 10 months in which the record says so).
   */
  pregnantFrom?: number;
  /**
   * Evaluates a range row's condition for a result dated `time` (true, false, or undefined:
   * unknown). Set by the interpret stage (facts.ts holdsAt); without it, conditional rows never apply.
   */
  holds?: (e: Expr, time: number) => boolean | undefined;
  /** Section 3: the site's CKD-EPI equation (default: derived.ts DEFAULT_EGFR_EQUATION). */
  egfrEquation?: EgfrEquation;
}

export type Flag = 'high' | 'low' | 'abnormal' | 'normal' | 'uninterpretable';

export interface Flagged {
  flag: Flag;
  canonical?: number;
  unit?: string;
  range?: RangeUsed;
  problem?: string;
  /** No unit was reported; the analyte's single scale was used (units.ts SINGLE_SCALE). */
  unitAssumed?: boolean;
  /** The value itself is readable and plausible; only a range to judge it is missing. */
  noRange?: boolean;
}

export interface Bounds {
  low?: number;
  high?: number;
  /** A value equal to `high` is already high ("3 or more is abnormal"). */
  highExclusive?: true;
  text: string;
  /** Where the bounds come from, without the numbers (RangeUsed.basis). */
  basis?: string;
}

// ------------------------------------------------------------------ ages

export interface Age {
  years: number;
  days: number;
}

export function ageAt(ctx: PatientContext, time: number): Age | undefined {
  if (ctx.birthMs === undefined || !Number.isFinite(time)) return undefined;
  const hit = ctx.ageMemo?.get(time);
  if (hit) return hit;
  const age = { years: yearsBetween(time, ctx.birthMs), days: daysBetween(time, ctx.birthMs) };
  if (ctx.ageMemo && ctx.ageMemo.size < 100_000) ctx.ageMemo.set(time, age);
  return age;
}

// ------------------------------------------------------------------ built-in ranges (section 6)

const fmt = (v: number | undefined): string => (v === undefined ? '' : v < 10 ? v.toFixed(2) : String(round(v)));

function bounds(low: number | undefined, high: number | undefined, unit: string, label: string, highExclusive = false): Bounds {
  const b: Bounds = { text: '' };
  if (low !== undefined) b.low = low;
  if (high !== undefined) b.high = high;
  if (high !== undefined && highExclusive) b.highExclusive = true;
  const upper = highExclusive ? '<' : '≤';
  const span = low !== undefined && high !== undefined ? `${fmt(low)}–${fmt(high)}${highExclusive ? ' (exclusive)' : ''}` : low !== undefined ? `≥ ${fmt(low)}` : `${upper} ${fmt(high)}`;
  b.basis = `built-in range, ${label}`;
  b.text = `${span} ${unit} (${b.basis})`;
  return b;
}

export type BuiltIn = { kind: 'one'; b: Bounds } | { kind: 'by-sex'; male: Bounds; female: Bounds } | { kind: 'none'; why: string };

/** Whether a range row's conditions hold for a result dated `time`: age (undefined: unknown), sex and state. */
function rowHolds(row: RangeRow, age: Age | undefined, ctx: PatientContext, sex: Sex, time: number): boolean {
  const aged = row.ageFrom !== undefined || row.ageTo !== undefined || row.ageToDays !== undefined;
  if (aged) {
    if (!age) return false;
    if (row.ageFrom !== undefined && age.years < row.ageFrom) return false;
    if (row.ageTo !== undefined && age.years >= row.ageTo) return false;
    if (row.ageToDays !== undefined && age.days >= row.ageToDays) return false;
  }
  if (row.sex !== undefined && sex !== null && row.sex !== sex) return false;
  if (row.pregnant && !(ctx.pregnantFrom !== undefined && time >= ctx.pregnantFrom)) return false;
  if (row.when && ctx.holds?.(row.when, time) !== true) return false;
  return true;
}

/** A row as bounds: its upper limit lowered to the per-kilogram one when a weight is known. */
function rowBounds(row: RangeRow, unit: string, ageKnown: boolean, weightKg: number | undefined): Bounds | undefined {
  let high = row.high;
  let exclusive = row.highExclusive === true;
  let label = row.label;
  if (row.highPerKg !== undefined && weightKg !== undefined && weightKg > 0) {
    const perKg = round(row.highPerKg * weightKg);
    // either limit makes the value high: the lower of the two applies ("above 0.1 mmol/kg/day")
    if (high === undefined || perKg < high) {
      high = perKg;
      exclusive = false;
    }
    label = `${row.highPerKg} ${unit.replace('/24h', '')}/kg/day × ${round(weightKg)} kg${row.high !== undefined ? `, or ${row.label} ${fmt(row.high)}` : ''}`;
  }
  if (row.low === undefined && high === undefined) return undefined;
  if (!ageKnown && label.startsWith('adult')) label = `${label}; age unknown`;
  return bounds(row.low, high, unit, label, exclusive);
}

/**
 * The built-in range for an analyte at a result's date (section 6): the first row of the analyte's
 * table whose conditions hold. Sex not recorded and the row is sex-specific: both sexes' rows are
 * returned (a value is flagged only when they agree). `weightKg` (within 3 months, section 3) adds
 * the per-kilogram limit where the table has one.
 */
export function builtInRange(analyte: string, ctx: PatientContext, time: number, weightKg?: number): BuiltIn {
  const def = (ctx.analytes ?? ANALYTES)[analyte];
  if (!def) return { kind: 'none', why: 'no built-in range' };
  const age = ageAt(ctx, time);
  const rows = def.ranges ?? [];
  const i = rows.findIndex((r) => rowHolds(r, age, ctx, ctx.sex, time));
  const row = rows[i];
  if (!row) return { kind: 'none', why: def.noRange ?? 'no built-in range' };
  if (row.none !== undefined && (row.highPerKg === undefined || !(weightKg! > 0))) return { kind: 'none', why: row.none };
  const one = rowBounds(row, def.unit, age !== undefined, weightKg);
  if (!one) return { kind: 'none', why: row.none ?? def.noRange ?? 'no built-in range' };
  if (row.sex === undefined || ctx.sex !== null) return { kind: 'one', b: one };
  const other = rows.slice(i + 1).find((r) => r.sex !== undefined && r.sex !== row.sex && rowHolds(r, age, ctx, null, time));
  const otherBounds = other && rowBounds(other, def.unit, age !== undefined, weightKg);
  if (!otherBounds) return { kind: 'one', b: one };
  return row.sex === 'male' ? { kind: 'by-sex', male: one, female: otherBounds } : { kind: 'by-sex', male: otherBounds, female: one };
}

// ------------------------------------------------------------------ lab ranges

const RANGE_TEXT_PREFIX = /^\s*(normal( range)?|reference( range)?|ref\.?( range)?|range|nr|rr)\s*[:=]?\s*/i;
const NUM = '([+-]?\\d+(?:[.,]\\d+)?)';
const RX_BETWEEN = new RegExp(`^${NUM}\\s*(?:-|–|—|to|\\.\\.)\\s*${NUM}\\s*(.*)$`, 'i');
const RX_UPPER = new RegExp(`^(?:<=|=<|<|≤|up to|less than|below)\\s*${NUM}\\s*(.*)$`, 'i');
const RX_LOWER = new RegExp(`^(?:>=|=>|>|≥|greater than|above|at least)\\s*${NUM}\\s*(.*)$`, 'i');

export interface ParsedRange {
  low?: number;
  high?: number;
  unit?: string;
}

const num = (s: string): number => Number(s.replace(',', '.'));

const rangeCache = new Map<string, ParsedRange | undefined>();

/** Parses "3.5-5.3", "<=200", "Normal Range: 133-146", "8.5-10.5 mg/dL", "> 60" (memoised). */
export function parseRangeText(text: string): ParsedRange | undefined {
  if (typeof text !== 'string') return undefined;
  if (rangeCache.has(text)) {
    const hit = rangeCache.get(text);
    return hit ? { ...hit } : undefined;
  }
  const parsed = parseRangeUncached(text);
  if (rangeCache.size > 5000) rangeCache.clear();
  rangeCache.set(text, parsed);
  return parsed ? { ...parsed } : undefined;
}

function parseRangeUncached(text: string): ParsedRange | undefined {
  const t = text.trim().replace(RANGE_TEXT_PREFIX, '').trim();
  if (!t || t.length > 80) return undefined;
  let m = RX_BETWEEN.exec(t);
  if (m) {
    const low = num(m[1]!);
    const high = num(m[2]!);
    if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) return undefined;
    const r: ParsedRange = { low, high };
    if (m[3]?.trim()) r.unit = m[3].trim();
    return r;
  }
  m = RX_UPPER.exec(t);
  if (m) {
    const r: ParsedRange = { high: num(m[1]!) };
    if (m[2]?.trim()) r.unit = m[2].trim();
    return Number.isFinite(r.high) ? r : undefined;
  }
  m = RX_LOWER.exec(t);
  if (m) {
    const r: ParsedRange = { low: num(m[1]!) };
    if (m[2]?.trim()) r.unit = m[2].trim();
    return Number.isFinite(r.low) ? r : undefined;
  }
  return undefined;
}

const SEX_CODES: Record<string, Sex> = { '248153007': 'male', '248152002': 'female', male: 'male', female: 'female', m: 'male', f: 'female' };

function isNormalType(r: ObservationReferenceRange): boolean {
  if (!r.type) return true;
  // Decision: a type whose codings cannot be read counts as uncoded; its text then decides, as for
  // any uncoded type (no text: taken as the normal range, the commonest meaning).
  const codes = codingsOf(r.type).map((c) => String(c.code ?? '').toLowerCase());
  const text = String(r.type.text ?? '').toLowerCase();
  return codes.includes('normal') || (codes.length === 0 && (text === '' || text.includes('normal')));
}

function ageYearsOfQuantity(q: Quantity | undefined): number | undefined {
  if (!q || typeof q.value !== 'number') return undefined;
  const u = String(q.code ?? q.unit ?? 'a').toLowerCase();
  if (u === 'a' || u.startsWith('year') || u === 'yr' || u === 'y') return q.value;
  if (u === 'mo' || u.startsWith('month')) return q.value / 12;
  if (u === 'wk' || u.startsWith('week')) return q.value / 52.1775;
  if (u === 'd' || u.startsWith('day')) return q.value / 365.25;
  return undefined;
}

/** Picks the referenceRange element that applies (type normal; age and sex when stated). */
export function pickRange(ranges: readonly ObservationReferenceRange[] | undefined, ctx: PatientContext, time: number): ObservationReferenceRange | undefined {
  if (!Array.isArray(ranges)) return undefined;
  let generic: ObservationReferenceRange | undefined;
  for (const r of ranges) {
    if (!r || typeof r !== 'object' || !isNormalType(r)) continue;
    let specific = false;
    let ok = true;
    if (Array.isArray(r.appliesTo) && r.appliesTo.length > 0) {
      for (const cc of r.appliesTo) {
        const codes = codingsOf(cc).map((c: Coding) => SEX_CODES[String(c.code ?? '').toLowerCase()]).filter((x: Sex | undefined): x is Exclude<Sex, null> => !!x);
        const textSex = SEX_CODES[String(cc?.text ?? '').toLowerCase()];
        const sex = codes[0] ?? textSex;
        if (sex) {
          specific = true;
          if (sex !== ctx.sex) ok = false;
        } else {
          ok = false; // another population (pregnancy, race...): not ours to assume
        }
      }
    }
    if (r.age && (r.age.low || r.age.high)) {
      const age = ageAt(ctx, time);
      if (!age) ok = false;
      else {
        specific = true;
        const exact = age.days / 365.25;
        const lo = ageYearsOfQuantity(r.age.low);
        const hi = ageYearsOfQuantity(r.age.high);
        if (lo !== undefined && exact < lo) ok = false;
        // an upper age in whole years covers that whole year of life ("0-17 a" = until the 18th birthday)
        const yearsUnit = ageYearsOfQuantity(r.age.high ? { ...r.age.high, value: 1 } : undefined) === 1;
        if (hi !== undefined && (yearsUnit ? exact >= hi + 1 : exact > hi)) ok = false;
      }
    }
    if (!ok) continue;
    if (specific) return r;
    if (!generic) generic = r;
  }
  return generic;
}

interface LabBounds {
  low?: number;
  high?: number;
  /** Lab ranges are inclusive; present so that lab and built-in bounds are read alike. */
  highExclusive?: true;
  text: string;
  basis?: string;
}

/** The lab range in canonical units (converted when in another unit), or undefined. */
export function labBounds(reading: Reading, r: ObservationReferenceRange, readingFactor: number | undefined, checkPlausible = true, analytes: Analytes = ANALYTES): LabBounds | undefined {
  const analyte = reading.analyte;
  if (!analyte) return undefined;
  let low: number | undefined;
  let high: number | undefined;
  let unitCode: string | undefined;
  let unit: string | undefined;
  if (r.low && typeof r.low.value === 'number') {
    low = r.low.value;
    unitCode = r.low.code;
    unit = r.low.unit;
  }
  if (r.high && typeof r.high.value === 'number') {
    high = r.high.value;
    unitCode = unitCode ?? r.high.code;
    unit = unit ?? r.high.unit;
  }
  const text = typeof r.text === 'string' ? r.text.trim() : '';
  if (low === undefined && high === undefined) {
    const p = parseRangeText(text);
    if (!p) return undefined;
    low = p.low;
    high = p.high;
    unit = p.unit;
  }
  let factor: number | undefined;
  if (unitCode || unit) factor = unitFactor(analyte, unitCode, unit, analytes);
  else factor = readingFactor; // no unit on the range: the value's own unit
  if (factor === undefined) return undefined;
  const out: LabBounds = { text: '' };
  if (low !== undefined) out.low = round(low * factor);
  if (high !== undefined) out.high = round(high * factor);
  // An absurd lab range (non-finite, negative, inverted, or beyond any plausible value) is ignored.
  const max = analytes[analyte]!.plausible[1];
  for (const b of [out.low, out.high]) {
    if (b === undefined) continue;
    if (!Number.isFinite(b) || b < 0 || (checkPlausible && b > max * 2)) return undefined;
  }
  if (out.low !== undefined && out.high !== undefined && out.low > out.high) return undefined;
  const span = low !== undefined && high !== undefined ? `${low}–${high}` : low !== undefined ? `≥ ${low}` : `≤ ${high}`;
  const shown = text || `${span}${unit ? ' ' + unit : ''}`;
  out.text = `${shown} (lab range)`;
  out.basis = 'lab range';
  return out;
}

// ------------------------------------------------------------------ comparison

type Analytes = Readonly<Record<string, AnalyteDef>>;

type Cmp = 'high' | 'low' | 'normal' | 'uncertain';

/**
 * Places a value (with optional comparator, section 4: "<0.5" is below 0.5) against bounds. With
 * `highExclusive`, a value equal to `high` is already high (section 6: "ACR 3 or more").
 */
export function compare(v: number, cmp: Comparator | undefined, low: number | undefined, high: number | undefined, highExclusive = false): Cmp {
  // the true value is x: is x surely above the limit, surely not?
  const over = (x: number, orEqual: boolean) => high !== undefined && (x > high || (orEqual && x >= high));
  if (!cmp) {
    if (low !== undefined && v < low) return 'low';
    if (over(v, highExclusive)) return 'high';
    return 'normal';
  }
  if (cmp === '<' || cmp === '<=') {
    if (low !== undefined && (v < low || (cmp === '<' && v <= low))) return 'low';
    // x < v (or x <= v) stays within the upper limit when v does (an exclusive limit: x < high)
    const within = high === undefined || (highExclusive ? (cmp === '<' ? v <= high : v < high) : v <= high);
    if (low === undefined && within) return 'normal';
    return 'uncertain';
  }
  if (over(v, cmp === '>' || highExclusive)) return 'high';
  if (high === undefined && (low === undefined || v >= low)) return 'normal';
  return 'uncertain';
}

function rangeUsed(source: RangeUsed['source'], b: { low?: number; high?: number; highExclusive?: true; text: string; basis?: string }): RangeUsed {
  const r: RangeUsed = { source, text: b.text };
  if (b.basis) r.basis = b.basis;
  if (b.low !== undefined) r.low = b.low;
  if (b.high !== undefined) r.high = b.high;
  if (b.highExclusive) r.highExclusive = true;
  return r;
}

/** Whether a unit-less number is a plausible value of the analyte in at least one of its units. */
function plausibleInSomeUnit(analyte: string, v: number, analytes: Analytes): boolean {
  return Object.values(analytes[analyte]!.conversions).some((f) => plausibility(analyte, v * f, analytes) === undefined);
}

/** An abnormal lab flag stands even when the value itself cannot be read (the safe direction). */
function flagByInterp(interp: Flag, problem?: string): Flagged {
  const f: Flagged = { flag: interp, range: { source: 'interpretation', text: 'flagged by the laboratory', basis: 'flagged by the laboratory' } };
  if (problem) f.problem = problem;
  return f;
}

type Base = Pick<Flagged, 'canonical' | 'unit' | 'unitAssumed'>;
type Interp = Reading['interp'];

const isAbnormalInterp = (interp: Interp): boolean => interp === 'high' || interp === 'low' || interp === 'abnormal';

/**
 * A value whose unit could not be converted. A value with no unit is compared only with a lab range
 * that has no unit either (same scale), and only when the number is plausible in at least one of the
 * analyte's units; otherwise uninterpretable (an abnormal lab flag still stands).
 */
function flagUnconverted(reading: Reading, analyte: string, problem: string, picked: ObservationReferenceRange | undefined, analytes: Analytes): Flagged {
  const interp = reading.interp;
  const abn = isAbnormalInterp(interp);
  const num = reading.num!;
  if (problem === 'no unit given' && picked && !picked.low?.unit && !picked.low?.code && !picked.high?.unit && !picked.high?.code) {
    if (!plausibleInSomeUnit(analyte, num, analytes)) return abn ? flagByInterp(interp as Flag, 'implausible value') : { flag: 'uninterpretable', problem: `implausible value (${num}, no unit)` };
    const lb = labBounds(reading, picked, 1, false, analytes);
    if (lb && !parseRangeText(picked.text ?? '')?.unit) {
      if (abn) return flagByInterp(interp as Flag);
      const c = compare(num, reading.comparator, lb.low, lb.high);
      if (c !== 'uncertain') return { flag: c, range: rangeUsed('result', { ...lb, text: `${lb.text}; no unit stated`, basis: 'lab range; no unit stated' }) };
    }
  }
  return abn ? flagByInterp(interp as Flag, problem) : { flag: 'uninterpretable', problem };
}

/**
 * 1. The laboratory's interpretation code. An abnormal flag always stands (the safe direction). A
 * "normal" flag stands unless the numbers of the same result contradict it (outside the lab's own
 * range, or, without one, outside the built-in range): a flag that contradicts the numbers is a
 * data error, and the numbers decide, with the contradiction said in the range text (decision).
 */
function flagByLabFlag(base: Base, reading: Reading, lab: Bounds | LabBounds | undefined, ctx: PatientContext, weightKg: number | undefined): Flagged {
  const interp = reading.interp as Flag;
  const shown = lab ?? builtInBounds(reading.analyte!, ctx, reading.time, weightKg);
  const flagged = `flagged ${interp} by the laboratory`;
  const range = rangeUsed('interpretation', shown ? { ...shown, text: `${flagged}; ${shown.text}`, basis: `${flagged}; ${shown.basis}` } : { text: flagged, basis: flagged });
  if (!shown || (interp !== 'abnormal' && interp !== 'normal')) return { ...base, flag: interp, range };
  const c = compare(base.canonical!, reading.comparator, shown.low, shown.high, shown.highExclusive);
  if (interp === 'abnormal') return { ...base, flag: c === 'high' || c === 'low' ? c : 'abnormal', range };
  if (c !== 'high' && c !== 'low') return { ...base, flag: interp, range };
  const contradiction = `the laboratory flagged it normal, but the value is ${c === 'high' ? 'above' : 'below'} this range`;
  return { ...base, flag: c, range: rangeUsed(lab ? 'result' : 'built-in', { ...shown, text: `${shown.text}; ${contradiction}`, basis: `${shown.basis}; ${contradiction}` }) };
}

/**
 * Flags a numeric reading (section 5). Never returns `normal` for a value that cannot be
 * interpreted: no value, unknown unit, implausible magnitude, no range, or a comparator value
 * that cannot be placed. Precedence: the laboratory's flag, its range, the built-in range.
 */
export function flagNumeric(reading: Reading, ctx: PatientContext, weightKg?: number): Flagged {
  const analyte = reading.analyte;
  const interp = reading.interp;
  if (!analyte) return { flag: 'uninterpretable', problem: 'no analyte' };
  if (reading.problem || reading.num === undefined) {
    const problem = reading.problem ?? 'no value';
    return isAbnormalInterp(interp) ? flagByInterp(interp as Flag, problem) : { flag: 'uninterpretable', problem };
  }
  if (reading.num < 0 && analyte !== 'urine-ph') return { flag: 'uninterpretable', problem: 'negative value' };
  const analytes = ctx.analytes ?? ANALYTES;
  const conv = toCanonical(analyte, reading.num, reading.unitCode, reading.unit, analytes);
  const picked = pickRange(reading.refRanges, ctx, reading.time);
  if (!conv.ok) return flagUnconverted(reading, analyte, conv.problem, picked, analytes);
  const implausible = plausibility(analyte, conv.value, analytes);
  if (implausible) {
    // the canonical value is kept only when finite (JSON has no Infinity)
    const keep = Number.isFinite(conv.value) ? { canonical: conv.value, unit: conv.unit } : {};
    return isAbnormalInterp(interp) ? { ...flagByInterp(interp as Flag, implausible), ...keep } : { flag: 'uninterpretable', problem: implausible, ...keep };
  }
  const base: Base = { canonical: conv.value, unit: conv.unit };
  if (conv.unitAssumed) base.unitAssumed = true;
  const lab = picked ? labBounds(reading, picked, conv.factor, true, analytes) : undefined;
  if (interp) return flagByLabFlag(base, reading, lab, ctx, weightKg);
  // 2. the result's own range
  if (lab && (lab.low !== undefined || lab.high !== undefined)) {
    const c = compare(conv.value, reading.comparator, lab.low, lab.high);
    if (c !== 'uncertain') return { ...base, flag: c, range: rangeUsed('result', lab) };
    return { ...base, flag: 'uninterpretable', range: rangeUsed('result', lab), problem: `"${reading.comparator}${reading.num}" cannot be placed against the range` };
  }
  // 3. built-in range (section 6)
  return flagBuiltIn(base, analyte, ctx, reading.time, weightKg, reading);
}

/**
 * Section 6: a canonical value (`base.canonical`) against the built-in range; `reading` gives the
 * comparator and the number as reported (a derived value has neither).
 */
function flagBuiltIn(base: Pick<Flagged, 'canonical' | 'unit' | 'unitAssumed'>, analyte: string, ctx: PatientContext, time: number, weightKg?: number, reading?: Reading): Flagged {
  const value = base.canonical!;
  const cmp = reading?.comparator;
  const bi = builtInRange(analyte, ctx, time, weightKg);
  if (bi.kind === 'none') return { ...base, flag: 'uninterpretable', problem: bi.why, noRange: true };
  if (bi.kind === 'one') {
    const c = compare(value, cmp, bi.b.low, bi.b.high, bi.b.highExclusive);
    if (c !== 'uncertain') return { ...base, flag: c, range: rangeUsed('built-in', bi.b) };
    return { ...base, flag: 'uninterpretable', range: rangeUsed('built-in', bi.b), problem: `"${cmp}${reading!.num}" cannot be placed against the range` };
  }
  // sex not recorded and the range is sex-specific: flag only when both ranges agree
  const m = compare(value, cmp, bi.male.low, bi.male.high, bi.male.highExclusive);
  const f = compare(value, cmp, bi.female.low, bi.female.high, bi.female.highExclusive);
  const text = `${bi.male.text}; ${bi.female.text}`;
  const basis = 'built-in ranges for men and women (sex not recorded)';
  if (m === f && m !== 'uncertain') return { ...base, flag: m, range: { source: 'built-in', text, basis } };
  return { ...base, flag: 'uninterpretable', range: { source: 'built-in', text, basis }, problem: 'sex not recorded and the range is sex-specific', noRange: true };
}

function builtInBounds(analyte: string, ctx: PatientContext, time: number, weightKg?: number): Bounds | undefined {
  const bi = builtInRange(analyte, ctx, time, weightKg);
  return bi.kind === 'one' ? bi.b : undefined;
}

/**
 * Flags a derived value (always against the built-in range; section 3 values have no lab range).
 * The derived analytes (adjusted calcium, eGFR) have no sex-specific built-in range, and a derived
 * value never has a comparator: of flagBuiltIn only the "one range" and "no range" answers occur.
 */
export function flagDerived(analyte: string, value: number, ctx: PatientContext, time: number): Flagged {
  const analytes = ctx.analytes ?? ANALYTES;
  const base = { canonical: value, unit: analytes[analyte]!.unit };
  const implausible = plausibility(analyte, value, analytes);
  if (implausible) return { ...base, flag: 'uninterpretable', problem: implausible };
  return flagBuiltIn(base, analyte, ctx, time);
}
