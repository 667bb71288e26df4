/**
 * A candidate result for an item after interpretation: one reported result, one derived value, or
 * (for urinalysis/microscopy/culture) the results of one day taken together. The status rules
 * (status.ts) work only on these.
 */
import type { Direction, RangeUsed, ResultValue } from './model';
import type { Flag } from './ranges';
import type { Comparator } from './values';

export interface Candidate {
  time: number;
  date: string;
  day: string;
  refs: string[];
  flag: Flag;
  direction?: Direction;
  canonical?: number;
  unit?: string;
  reportedValue?: number | string;
  reportedUnit?: string;
  comparator?: Comparator;
  text?: string;
  derived?: boolean;
  derivation?: string;
  /** A derived value's method ("Payne", "CKD-EPI 2021", "bedside Schwartz"). */
  method?: string;
  resultStatus?: string;
  matchedByText?: boolean;
  problem?: string;
  range?: RangeUsed;
  /** The value is readable (canonical, plausible) even if it could not be judged against a range. */
  valueOk?: boolean;
  /** The entry holds no result at all (values.ts Reading.noResult): it never decides the item. */
  noResult?: true;
  /** Imaging judged from free text only (values.ts Reading.textOnly). */
  textOnly?: 'finding' | 'done';
  /** The analyte read (BUN vs urea, PCR vs ACR...): results of different analytes never "conflict". */
  analyte?: string;
  /** Deterministic tie-break when two candidates share a time. */
  key: string;
}

/**
 * Sort order: newest first (no usable time last), ties broken by `key`, then by content (the same
 * resource read twice with different content, a hostile or duplicated id): a total order, so input
 * order never matters. Shared by candidates, readings (evaluate.ts) and pending marks (status.ts).
 */
export const newestFirst =
  <T extends { time: number }>(key: (x: T) => string) =>
  (a: T, b: T): number => {
    const ta = Number.isFinite(a.time) ? a.time : -Infinity;
    const tb = Number.isFinite(b.time) ? b.time : -Infinity;
    if (ta !== tb) return tb - ta;
    const ka = key(a);
    const kb = key(b);
    if (ka !== kb) return ka < kb ? -1 : 1;
    const ja = JSON.stringify(a);
    const jb = JSON.stringify(b);
    return ja < jb ? -1 : ja > jb ? 1 : 0;
  };

/** Newest first; ties broken by a stable key so that input order never matters. */
export const byNewest = newestFirst<Candidate>((c) => c.key);

export const isValid = (c: Candidate): boolean => c.flag !== 'uninterpretable' && Number.isFinite(c.time);

/** The panel's view of a candidate. */
export function toResultValue(c: Candidate): ResultValue {
  const v: ResultValue = { date: c.date, source: c.refs.length === 1 ? c.refs[0]! : [...c.refs] };
  if (c.canonical !== undefined) {
    v.value = c.canonical;
    if (c.unit !== undefined) v.unit = c.unit;
  } else if (c.text !== undefined) {
    v.value = c.text;
    v.unit = '';
  } else if (c.reportedValue !== undefined) {
    v.value = c.reportedValue;
    if (c.reportedUnit !== undefined) v.unit = c.reportedUnit;
  }
  if (c.reportedValue !== undefined && (c.reportedValue !== v.value || (c.reportedUnit ?? '') !== (v.unit ?? ''))) {
    const rep: { value?: number | string; unit?: string } = { value: c.reportedValue };
    if (c.reportedUnit !== undefined) rep.unit = c.reportedUnit;
    v.reported = rep;
  }
  if (c.comparator) v.comparator = c.comparator;
  if (c.derived) v.derived = true;
  if (c.derivation) v.derivation = c.derivation;
  if (c.method) v.method = c.method;
  if (c.analyte && c.canonical !== undefined) v.analyte = c.analyte;
  if (c.resultStatus) v.resultStatus = c.resultStatus;
  if (c.matchedByText) v.matchedByText = true;
  if (c.textOnly) v.textOnly = c.textOnly;
  v.flag = c.flag;
  if (c.problem) v.problem = c.problem;
  if (c.text !== undefined && typeof v.value !== 'string') v.text = c.text;
  else if (c.text !== undefined && c.canonical === undefined) v.text = c.text;
  return v;
}
