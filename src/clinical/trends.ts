/**
 * Trends over an item's whole history, for the findings of section 7: a decline of eGFR (KDIGO
 * 2012: a "certain drop", or "rapid progression") and a rise of creatinine (KDIGO 2012 acute kidney
 * injury criteria). Pure functions of dated values, oldest to newest; outdated results count
 * ("whatever their age").
 */
import { addMonths, DAY_MS } from './dates';

export interface Point {
  time: number;
  date: string;
  value: number;
  refs: readonly string[];
  /** Derived values: how (CKD-EPI 2009, bedside Schwartz...). Reported values have none. */
  method?: string;
  derived?: boolean;
  /** The value as the panel writes it, with its unit ("82 mL/min/1.73 m²"). */
  shown?: string;
}

/** KDIGO 2012 GFR categories, lower bound first (mL/min/1.73 m2). */
const GFR_CATEGORIES: readonly [number, string][] = [
  [90, 'G1'],
  [60, 'G2'],
  [45, 'G3a'],
  [30, 'G3b'],
  [15, 'G4'],
  [0, 'G5'],
];

export function gfrCategory(v: number): { rank: number; name: string } {
  const rank = GFR_CATEGORIES.findIndex(([low]) => v >= low);
  const i = rank < 0 ? GFR_CATEGORIES.length - 1 : rank;
  return { rank: i, name: GFR_CATEGORIES[i]![1] };
}

/** KDIGO 2012: a certain drop is a fall of category with a drop of 25 % or more. */
const CERTAIN_DROP = 0.25;
/** KDIGO 2012: rapid progression is a sustained decline of more than 5 mL/min/1.73 m2 a year. */
const RAPID_PER_YEAR = 5;
/** Enough history for any trend, bounded for heavy records (newest kept). */
const MAX_POINTS = 400;

export interface Trend {
  kind: 'certain-drop' | 'rapid-progression' | 'rise-48h' | 'rise-7d';
  from: Point;
  to: Point;
}

export interface EgfrDecline extends Trend {
  kind: 'certain-drop' | 'rapid-progression';
  /** The fall, as a fraction of the earlier value. */
  drop: number;
  /** Rapid progression: the fall per year. */
  perYear?: number;
  fromCategory: string;
  toCategory: string;
}

const oldestFirst = (points: readonly Point[]): Point[] =>
  points
    .filter((p) => Number.isFinite(p.time) && Number.isFinite(p.value))
    .sort((a, b) => a.time - b.time || (a.refs.join() < b.refs.join() ? -1 : 1))
    .slice(-MAX_POINTS);

const years = (a: Point, b: Point): number => (b.time - a.time) / (365.25 * DAY_MS);

function decline(kind: EgfrDecline['kind'], from: Point, to: Point): EgfrDecline {
  const d: EgfrDecline = { kind, from, to, drop: (from.value - to.value) / from.value, fromCategory: gfrCategory(from.value).name, toCategory: gfrCategory(to.value).name };
  if (kind === 'rapid-progression') d.perYear = (from.value - to.value) / years(from, to);
  return d;
}

/**
 * The newest result that has fallen by a certain drop from an earlier one, compared with the most
 * recent earlier result that shows it (decision: the change as it happened, not against a peak
 * years before).
 */
function certainDrop(pts: readonly Point[]): EgfrDecline | undefined {
  for (let j = pts.length - 1; j > 0; j -= 1) {
    const to = pts[j]!;
    for (let i = j - 1; i >= 0; i -= 1) {
      const a = pts[i]!;
      if (a.time >= to.time || a.value <= 0) continue;
      if (gfrCategory(to.value).rank > gfrCategory(a.value).rank && (a.value - to.value) / a.value >= CERTAIN_DROP) return decline('certain-drop', a, to);
    }
  }
  return undefined;
}

/**
 * Rapid progression, sustained: the newest result against the latest one at least a year before it
 * (decision: "sustained" is read as still there at the newest result, over at least a year).
 */
function rapidProgression(pts: readonly Point[]): EgfrDecline | undefined {
  const to = pts[pts.length - 1];
  if (!to) return undefined;
  const from = [...pts].reverse().find((p) => addMonths(p.time, 12) <= to.time);
  if (!from || (from.value - to.value) / years(from, to) <= RAPID_PER_YEAR) return undefined;
  return decline('rapid-progression', from, to);
}

/** Section 7 egfr-decline: a certain drop (any two results), else rapid progression. */
export function egfrDecline(points: readonly Point[]): EgfrDecline | undefined {
  const pts = oldestFirst(points);
  return certainDrop(pts) ?? rapidProgression(pts);
}

/** KDIGO 2012: a rise of 26.5 umol/L or more within 48 h, or to 1.5 times the lowest of the previous 7 days. */
const RISE_48H = 26.5;
const RISE_RATIO_7D = 1.5;

/** Section 7 creatinine-rise: the newest result that meets either criterion, with the value it rose from. */
export function creatinineRise(points: readonly Point[]): Trend | undefined {
  const pts = oldestFirst(points);
  for (let j = pts.length - 1; j > 0; j -= 1) {
    const to = pts[j]!;
    let low48: Point | undefined;
    let low7: Point | undefined;
    for (let i = j - 1; i >= 0 && to.time - pts[i]!.time <= 7 * DAY_MS; i -= 1) {
      const a = pts[i]!;
      if (a.time >= to.time) continue;
      if (!low7 || a.value < low7.value) low7 = a;
      if (to.time - a.time <= 2 * DAY_MS && (!low48 || a.value < low48.value)) low48 = a;
    }
    if (low48 && to.value - low48.value >= RISE_48H) return { kind: 'rise-48h', from: low48, to };
    if (low7 && low7.value > 0 && to.value >= RISE_RATIO_7D * low7.value) return { kind: 'rise-7d', from: low7, to };
  }
  return undefined;
}
