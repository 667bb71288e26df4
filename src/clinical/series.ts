/**
 * Trend series of a numeric item for the panel's sparkline and chart: its results over time
 * (reported and derived, oldest first), the reference band, and a text alternative written here,
 * in the unit system the clinician chose (section 7b), so that the chart, its accessible name and
 * its table never disagree with the row. A pure function of the item as the model gives it (its
 * `history` and `latest`): the model stays independent of the unit system, and the view calls this
 * when it renders (see DECISIONS.md, "Trends on the panel").
 */
import { DAY_MS, parseFhirDate } from './dates';
import { comparatorText, convert, formatBounds, formatDate, type UnitSystem } from './display';
import type { ItemResult, ResultValue } from './model';

export interface SeriesPoint {
  /** Epoch ms of the result. */
  time: number;
  /** The result's date as recorded (ISO). */
  date: string;
  /** The value in the canonical unit. */
  value: number;
  /** The value as shown in the unit system, without its unit ("82", "<0.05"). */
  text: string;
  /** "reported", or how the value was calculated ("calculated (CKD-EPI 2009)"). */
  method: string;
  derived: boolean;
  /** The single result's flag, as the model gives it. */
  flag?: ResultValue['flag'];
}

export type TrendDirection = 'rising' | 'falling' | 'stable';

export interface Series {
  itemId: string;
  label: string;
  /** The unit the texts are written in ("mL/min/1.73 m²", "mg/dL"). */
  unit: string;
  /** Oldest first; the last point is the newest result. */
  points: SeriesPoint[];
  /** The item's range (the one its status uses): canonical bounds, each as shown, and the range in words. */
  band?: { low?: number; high?: number; lowText?: string; highText?: string; text: string };
  direction: TrendDirection;
  /** The distinct methods of the points (more than one: the series mixes methods, and says so). */
  methods: string[];
  /** The text alternative: "eGFR 82 to 22 mL/min/1.73 m² over 2 months, falling; …". */
  text: string;
}

/**
 * Analytes that are one measure (urea and blood urea nitrogen are both held as urea in mmol/L);
 * any other two analytes of one item (24-hour protein, PCR and ACR; 24-hour and spot urine
 * magnesium) are never joined in one series.
 */
const SAME_MEASURE: Readonly<Record<string, string>> = { bun: 'urea' };
const measureOf = (analyte: string): string => SAME_MEASURE[analyte] ?? analyte;

/** Below 5 % of the older value, a change reads as stable (DECISIONS.md). */
const STABLE_FRACTION = 0.05;

const methodOf = (r: ResultValue): string => (r.derived ? `calculated (${r.method ?? 'method not named'})` : 'reported');

interface Plotted {
  point: SeriesPoint;
  measure: string;
  unit: string;
}

function plotted(r: ResultValue, system: UnitSystem): Plotted | undefined {
  const time = parseFhirDate(r.date);
  if (typeof r.value !== 'number' || !r.analyte || time === undefined) return undefined;
  const shown = convert(r.value, r.analyte, system);
  if (!shown) return undefined;
  const text = `${comparatorText(r.comparator)}${shown.text}`;
  const point: SeriesPoint = { time, date: r.date, value: r.value, text, method: methodOf(r), derived: !!r.derived };
  if (r.flag) point.flag = r.flag;
  return { point, measure: measureOf(r.analyte), unit: shown.unit };
}

/** The item's numeric results of the newest one's measure, oldest first (the newest last at a shared time). */
function pointsOf(item: ItemResult, system: UnitSystem): { points: SeriesPoint[]; unit: string; measure: string } | undefined {
  const results = [...item.history].reverse();
  if (item.latest) results.push(item.latest);
  const all = results.map((r) => plotted(r, system)).filter((p): p is Plotted => p !== undefined);
  const newest = all.reduce<Plotted | undefined>((n, p) => (!n || p.point.time >= n.point.time ? p : n), undefined);
  if (!newest) return undefined;
  const points = all.filter((p) => p.measure === newest.measure).map((p) => p.point);
  // Array sort is stable: results at one time keep the model's order, the shown one last
  return { points: points.sort((a, b) => a.time - b.time), unit: newest.unit, measure: newest.measure };
}

/** Rising or falling when the newest differs from the oldest by 5 % or more and reads differently. */
export function trendDirection(from: SeriesPoint, to: SeriesPoint): TrendDirection {
  const delta = to.value - from.value;
  if (from.text === to.text || Math.abs(delta) < STABLE_FRACTION * Math.abs(from.value)) return 'stable';
  return delta > 0 ? 'rising' : 'falling';
}

const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * The time between two results in words, rounded to the nearest unit: days under 2 weeks, weeks
 * under 6 weeks, months under 2 years, then years; undefined on one calendar day.
 */
export function spanWords(from: SeriesPoint, to: SeriesPoint): string | undefined {
  if (from.date.slice(0, 10) === to.date.slice(0, 10)) return undefined;
  const days = (to.time - from.time) / DAY_MS;
  if (days < 14) return count(Math.max(1, Math.round(days)), 'day');
  if (days < 42) return count(Math.round(days / 7), 'week');
  if (days < 730) return count(Math.round(days / 30.4375), 'month');
  return count(Math.round(days / 365.25), 'year');
}

function describe(s: Omit<Series, 'text'>): string {
  const pts = s.points;
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const prev = pts[pts.length - 2]!;
  const over = spanWords(first, last);
  const parts = [`${s.label} ${first.text} to ${last.text} ${s.unit} ${over ? `over ${over}` : `on ${formatDate(last.date)}`}, ${s.direction}`];
  const before = spanWords(prev, last);
  if (pts.length > 2) parts.push(`${pts.length} results, the previous ${prev.text}, ${before ? `${before} before` : 'the same day'}`);
  if (s.band) parts.push(`range ${s.band.text}`);
  if (s.methods.length > 1) parts.push(`methods differ: ${s.methods.join(' and ')}`);
  return parts.join('; ');
}

/** The item's range, when it is the range of the series' measure (the newest result's) and has bounds. */
function bandOf(item: ItemResult, measure: string, system: UnitSystem): Series['band'] {
  const { range, latest } = item;
  if (!range || !latest?.analyte || measureOf(latest.analyte) !== measure) return undefined;
  const text = formatBounds(range, latest.analyte, system);
  if (!text) return undefined;
  const band: NonNullable<Series['band']> = { text };
  if (range.low !== undefined) Object.assign(band, { low: range.low, lowText: convert(range.low, latest.analyte, system)?.text });
  if (range.high !== undefined) Object.assign(band, { high: range.high, highText: convert(range.high, latest.analyte, system)?.text });
  return band;
}

/**
 * The series of a numeric item with two or more results that can be placed in time and shown in
 * the unit system; undefined otherwise (qualitative items, a single result).
 */
export function trendSeries(item: ItemResult, system: UnitSystem): Series | undefined {
  const found = pointsOf(item, system);
  if (!found || found.points.length < 2) return undefined;
  const { points, unit } = found;
  const s: Omit<Series, 'text'> = {
    itemId: item.id,
    label: item.label,
    unit,
    points,
    direction: trendDirection(points[0]!, points[points.length - 1]!),
    methods: [...new Set(points.map((p) => p.method))],
  };
  const band = bandOf(item, found.measure, system);
  if (band) s.band = band;
  return { ...s, text: describe(s) };
}
