/**
 * Named facts: what a rule needs to know about the record that an expression cannot say simply
 * (which calcium decides, a urine pH of the same period, a positive dipstick part). Each is a small
 * pure function of the evaluation's state, with the words the panel uses when a rule names it; the
 * rules (rules/*.ts) refer to them by name, and rules/compile.ts checks every name exists.
 *
 * A fact answers true, false or undefined (the record cannot tell), and may bring values for a
 * finding's text (`{name}` placeholders) and the references of the results it rests on.
 */
import { isValid, type Candidate } from './candidate';
import type { CompiledRules } from './catalog';
import { addMonths } from './dates';
import { evalExpr, type Truth } from './expr';
import type { ItemResult, LoadFailure, PregnancyRecord } from './model';
import type { RiskFactorResult } from './riskfactors';
import type { Expr } from './rules/types';
import type { Reading } from './values';

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
}

export interface FactValue {
  holds: Truth;
  vars?: Record<string, string>;
  evidence?: string[];
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

/** What a range row's condition can read while results are interpreted: other items' results. */
export interface ResultLook {
  numeric(itemId: string): readonly Candidate[];
}

const isHigh = (i: ItemResult | undefined): boolean => i?.status === 'abnormal' && i.direction === 'high';
const current = (i: ItemResult | undefined): boolean => i?.status === 'normal' || i?.status === 'abnormal';

export function sourcesOf(item: ItemResult | undefined): string[] {
  const s = item?.latest?.source;
  if (!s) return [];
  return Array.isArray(s) ? [...s] : [s];
}

/** Readings of an item within its window, readable, newest first. */
function recentReadings(s: RuleState, itemId: string): Reading[] {
  const start = s.windowStart(itemId) ?? -Infinity;
  return (s.readings.get(itemId) ?? [])
    .filter((r) => Number.isFinite(r.time) && r.time >= start && !r.problem)
    .sort((a, b) => b.time - a.time || (a.ref < b.ref ? -1 : 1));
}

function urinePh(s: RuleState): { value: number; ref: string } | undefined {
  const r = recentReadings(s, 'urinalysis').find((x) => x.analyte === 'urine-ph' && x.num !== undefined && x.num >= 3 && x.num <= 10);
  return r ? { value: r.num!, ref: r.ref } : undefined;
}

const DIPSTICK_WORDS: Record<string, string> = { nitrite: 'nitrite', 'leukocyte-esterase': 'leukocyte esterase' };

function dipstickPositive(s: RuleState): FactValue {
  const refs: string[] = [];
  const what: string[] = [];
  for (const r of recentReadings(s, 'urinalysis')) {
    if ((r.role === 'nitrite' || r.role === 'leukocyte-esterase') && r.qual === 'abnormal') {
      if (!refs.includes(r.ref)) refs.push(r.ref);
      const w = `positive ${DIPSTICK_WORDS[r.role]}`;
      if (!what.includes(w)) what.push(w);
    }
  }
  return refs.length ? { holds: true, vars: { dipstick: what.join(' and ') }, evidence: refs } : { holds: false };
}

/**
 * Decision (section 6 leaves the pairing open): a serum and a urine magnesium tell of renal wasting
 * together when taken within a month of each other (a 24-hour collection is usually arranged after
 * the blood result; a magnesium corrected meanwhile no longer says anything about the collection).
 */
const MG_PAIR_MONTHS = 1;
/** Section 6 / 7: below 0.7 mmol/L serum, above 1 mmol/24 h urine (Agus, JASN 1999). */
const MG_SERUM_LOW = 0.7;
const MG_URINE_WASTING = 1;

const numericValue = (c: Candidate): boolean => c.canonical !== undefined && c.valueOk === true && Number.isFinite(c.time) && !c.comparator;

/** The result nearest in time to `time` within `months` either side (ties: the earlier reference). */
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

const serumMgLowNear = (serum: readonly Candidate[], time: number): Candidate | undefined => {
  const c = nearestTo(serum, time, MG_PAIR_MONTHS);
  return c && c.canonical! < MG_SERUM_LOW ? c : undefined;
};

/** The candidate an item's current result (newest, within its window) was made from. */
export function currentCandidate(s: RuleState, itemId: string): Candidate | undefined {
  const r = s.results.get(itemId);
  if (!current(r) || !r!.latest) return undefined;
  const refs = sourcesOf(r).join();
  return (s.candidates.get(itemId) ?? []).find((c) => isValid(c) && c.date === r!.latest!.date && c.refs.join() === refs);
}

/** Section 7 magnesium-wasting: the current 24-hour urine magnesium above 1 with a low serum one of its time. */
function magnesiumWasting(s: RuleState): FactValue {
  const urineCand = currentCandidate(s, 'urine-magnesium');
  if (!urineCand || urineCand.analyte !== 'u-magnesium-24h' || !(urineCand.canonical! > MG_URINE_WASTING)) return { holds: false };
  const serum = serumMgLowNear(s.candidates.get('magnesium') ?? [], urineCand.time);
  if (!serum) return { holds: false };
  return {
    holds: true,
    vars: { serumMg: String(serum.canonical), serumMgDate: serum.date.slice(0, 10), urineMg: String(urineCand.canonical), urineMgDate: urineCand.date.slice(0, 10) },
    evidence: [...serum.refs, ...urineCand.refs],
  };
}

const CAUSAL_FINDINGS = ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypokalaemia', 'distal-rta-pattern', 'hypercalciuria', 'hypocitraturia', 'hyperoxaluria', 'magnesium-wasting'];
const CAUSAL_MEDICINES = ['loop-diuretic', 'vitamin-d-treatment', 'acetazolamide'];

export const FACTS: Readonly<Record<string, Fact>> = {
  // section 7 hypercalcaemia: adjusted calcium when it can be judged, else total calcium
  'calcium-high': {
    words: 'calcium is high',
    of(s) {
      const adj = s.results.get('adjusted-calcium');
      const which = current(adj) ? adj : s.results.get('calcium');
      if (!isHigh(which)) return { holds: false };
      return { holds: true, vars: { calcium: which === adj ? 'adjusted' : 'total' }, evidence: sourcesOf(which) };
    },
  },
  // section 7 distal RTA: the newest dipstick urine pH within the urinalysis window
  'urine-ph-known': {
    words: 'a recent urine pH is recorded',
    of(s) {
      const ph = urinePh(s);
      return ph ? { holds: true, vars: { urinePh: String(ph.value) } } : { holds: false };
    },
  },
  'urine-ph-above-5.5': {
    words: 'the urine pH is above 5.5',
    of(s) {
      const ph = urinePh(s);
      return ph && ph.value > 5.5 ? { holds: true, vars: { urinePh: String(ph.value) }, evidence: [ph.ref] } : { holds: false };
    },
  },
  // section 6: the urine magnesium row for renal wasting applies with a low serum magnesium of its time
  'serum-magnesium-low-near': {
    words: 'a serum magnesium below 0.7 mmol/L was taken within a month',
    of(s) {
      const u = currentCandidate(s, 'urine-magnesium');
      return { holds: u !== undefined && serumMgLowNear(s.candidates.get('magnesium') ?? [], u.time) !== undefined };
    },
    at: (look, time) => serumMgLowNear(look.numeric('magnesium'), time) !== undefined,
  },
  'renal-magnesium-wasting': { words: 'urine magnesium is above 1 mmol/24 h with a serum magnesium below 0.7 mmol/L', of: magnesiumWasting },
  'dipstick-positive': { words: 'the dipstick shows nitrite or leukocyte esterase', of: dipstickPositive },
  'egfr-derived': {
    words: 'the eGFR is derived',
    of: (s) => ({ holds: s.results.get('egfr')?.latest?.derived === true }),
  },
  'nephrocalcinosis-known': {
    words: 'nephrocalcinosis is known (recorded, or imaging abnormal)',
    of(s) {
      const abnormal = (id: string) => s.results.get(id)?.status === 'abnormal';
      if (s.riskFactors.any.has('nephrocalcinosis') || abnormal('renal-ultrasound') || abnormal('ct-abdomen')) return { holds: true };
      return { holds: false };
    },
  },
  'cause-known': {
    words: 'a cause has been identified',
    notWords: 'no cause has been identified',
    of(s) {
      const rf = s.riskFactors;
      const causal =
        CAUSAL_FINDINGS.some((f) => s.findingIds.has(f)) ||
        rf.riskFactors.some((r) => r.role === 'cause' && r.id !== 'nephrocalcinosis' && r.id !== 'hypercalcaemia' && r.kind === 'condition') ||
        CAUSAL_MEDICINES.some((m) => rf.current.has(m));
      return { holds: causal };
    },
  },
};

export const FACT_NAMES: ReadonlySet<string> = new Set(Object.keys(FACTS));

/**
 * A range row's condition for a result dated `time` (ranges.ts PatientContext.holds): facts that
 * can be told from other results answer; anything else is unknown, so the row does not apply.
 */
export function holdsAt(look: ResultLook): (e: Expr, time: number) => Truth {
  return (e, time) =>
    evalExpr(e, {
      item: () => undefined,
      condition: () => undefined,
      medicine: () => undefined,
      ageUnder: () => undefined,
      pregnant: () => undefined,
      finding: () => undefined,
      fact: (name) => FACTS[name]?.at?.(look, time),
    });
}
