/**
 * What a fact (../facts.ts) reads: the rules stage's view of an evaluation, and the small helpers
 * every fact shares (an item's current result and the candidate it was made from, readings within a
 * window, the result nearest to a date).
 */
import { isValid, type Candidate } from '../candidate';
import type { CompiledRules } from '../catalog';
import { addMonths, daysBetween } from '../dates';
import { formatDate, formatResult } from '../display';
import type { Truth } from '../expr';
import type { ItemResult, LoadFailure, PregnancyRecord, UnitSystem } from '../model';
import type { RiskFactorResult } from '../riskfactors';
import type { Reading } from '../values';

/** What the rules stage sees of an evaluation. */
export interface RuleState {
  rules: CompiledRules;
  ageYears: number | null;
  nowDay: number;
  failures: readonly LoadFailure[];
  results: ReadonlyMap<string, ItemResult>;
  candidates: ReadonlyMap<string, Candidate[]>;
  /** Every reading of an item, before interpretation (dipstick parts, urine pH). */
  readings: ReadonlyMap<string, Reading[]>;
  /** Start of an item's recency window (epoch ms; null: any time). */
  windowStart(itemId: string): number | null;
  riskFactors: RiskFactorResult;
  /** Findings made so far (findings are made in table order). */
  findingIds: ReadonlySet<string>;
  /** Section 5: pregnancy recorded within 10 months (pregnancy.ts). */
  pregnancy?: PregnancyRecord;
  /** The unit system a fact writes its values in (section 7b); SI when absent. */
  units?: UnitSystem;
}

export interface FactValue {
  holds: Truth;
  vars?: Record<string, string>;
  evidence?: string[];
}

/** What a range row's condition can read while results are interpreted: other items' results. */
export interface ResultLook {
  numeric(itemId: string): readonly Candidate[];
}

export interface Fact {
  /** The fact in words, as a clause ("nephrocalcinosis is known"). */
  words: string;
  /** Its negation in words, when `not` of it reads better than "not (…)". */
  notWords?: string;
  of(s: RuleState): FactValue;
  /**
   * The fact for one result dated `time`, while results are being interpreted (a range row's
   * condition, rules/types.ts RangeRow.when): only facts that can be told from other results.
   */
  at?(look: ResultLook, time: number): Truth;
}

export const current = (i: ItemResult | undefined): boolean => i?.status === 'normal' || i?.status === 'abnormal';

export function sourcesOf(item: ItemResult | undefined): string[] {
  const s = item?.latest?.source;
  if (!s) return [];
  return Array.isArray(s) ? [...s] : [s];
}

/** A value that can be compared: readable, plausible (or derived), exact (no comparator) and dated. */
export const numericValue = (c: Candidate): boolean =>
  c.canonical !== undefined && Number.isFinite(c.canonical) && (c.valueOk === true || c.derived === true) && Number.isFinite(c.time) && !c.comparator;

/** Readings of an item within its window, readable, newest first. */
export function recentReadings(s: RuleState, itemId: string): Reading[] {
  const start = s.windowStart(itemId) ?? -Infinity;
  return (s.readings.get(itemId) ?? [])
    .filter((r) => Number.isFinite(r.time) && r.time >= start && !r.problem)
    .sort((a, b) => b.time - a.time || (a.ref < b.ref ? -1 : 1));
}

/** The candidate an item's current result (newest, within its window) was made from. */
export function currentCandidate(s: RuleState, itemId: string): Candidate | undefined {
  const r = s.results.get(itemId);
  if (!current(r) || !r!.latest) return undefined;
  const refs = sourcesOf(r).join();
  return (s.candidates.get(itemId) ?? []).find((c) => isValid(c) && c.date === r!.latest!.date && c.refs.join() === refs);
}

/** The result nearest in time to `time` within `months` either side (ties: the smaller key). */
export function nearestTo(list: readonly Candidate[], time: number, months: number, ok: (c: Candidate) => boolean = numericValue): Candidate | undefined {
  const from = addMonths(time, -months);
  const to = addMonths(time, months);
  let best: Candidate | undefined;
  for (const c of list) {
    if (!ok(c) || c.time < from || c.time > to) continue;
    const d = Math.abs(c.time - time);
    const bd = best ? Math.abs(best.time - time) : Infinity;
    if (d < bd || (d === bd && best && c.key < best.key)) best = c;
  }
  return best;
}

/** A value as the panel shows it (section 7b unit and precision): "2.70 mmol/L", "10.8 mg/dL". */
export function shownValue(c: Pick<Candidate, 'canonical' | 'analyte' | 'unit' | 'reportedValue'>, units: UnitSystem = 'si'): string {
  if (c.canonical === undefined) return String(c.reportedValue ?? '');
  return formatResult({ value: c.canonical, analyte: c.analyte, unit: c.unit }, units) ?? String(c.canonical);
}

/** How long before the evaluation day a result was taken, in words ("3 months", "2 years"). */
export function ageWords(nowDay: number, time: number): string {
  const days = daysBetween(nowDay, time);
  if (days < 61) return `${days} day${days === 1 ? '' : 's'}`;
  let months = 0;
  while (addMonths(time, months + 1) <= nowDay) months += 1;
  if (months < 24) return `${months} month${months === 1 ? '' : 's'}`;
  return `${Math.floor(months / 12)} years`;
}

/** Words for an evidence result older than its item's window ("", or " The newer result is ..."). */
export function outdatedNote(s: RuleState, itemId: string, time: number, date: string, what = 'The newer result'): string {
  const start = s.windowStart(itemId);
  if (start === null || time >= start) return '';
  const months = s.rules.itemById.get(itemId)?.windowMonths;
  return ` ${what} is from ${formatDate(date)}, ${ageWords(s.nowDay, time)} before the evaluation: older than the ${months}-month window.`;
}
