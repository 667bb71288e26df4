/**
 * Clinical text for people (section 7b): values in the chosen unit system at a laboratory's
 * precision, ranges in the unit of the value, the reported value only when it says something the
 * shown one does not, units written for people, one date format, young children's ages in days,
 * weeks or months. Pure functions shared by the view, the note (note.ts) and the evaluator's text
 * report, so that the three never disagree.
 */
import type { Finding, RangeUsed, ResultValue } from './model';
import { DISPLAY, type DisplayUnit, type UnitSystem } from './rules/display';
import { addMonths, daysBetween, parseFhirDate, yearsBetween } from './dates';
import { normalizeUnit } from './units';

export type { UnitSystem } from './rules/display';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * "3 Mar 2026": the calendar date as the record writes it (a date-time keeps its own date, whatever
 * the reader's time zone); partial dates keep their precision ("Mar 2026", "2026"). Text that is not
 * a date is returned as it is.
 */
export function formatDate(iso: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  const month = m?.[2] ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || (m[2] && !month)) return iso;
  if (!month) return m[1]!;
  return m[3] ? `${Number(m[3])} ${month} ${m[1]}` : `${month} ${m[1]}`;
}

const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * Age on a date: years from 2 years; under 2 years in months, under 3 months in weeks, under 4
 * weeks in days (a six-week-old is not "0 years"). Undefined when either date cannot be read or
 * the birth date is later.
 */
export function formatAge(birthDate: string | null | undefined, at: string): string | undefined {
  const born = parseFhirDate(birthDate?.slice(0, 10));
  const on = parseFhirDate(at.slice(0, 10));
  if (born === undefined || on === undefined || born > on) return undefined;
  const years = yearsBetween(on, born);
  if (years >= 2) return count(years, 'year');
  let months = 0;
  while (addMonths(born, months + 1) <= on) months += 1;
  if (months >= 3) return count(months, 'month');
  const days = daysBetween(on, born);
  return days >= 28 ? count(Math.floor(days / 7), 'week') : count(days, 'day');
}

/** UCUM and vendor spellings written for people: m[IU]/L → mIU/L, mmol/(24.h) → mmol/24 h, umol/L → µmol/L. */
export function humanUnit(raw: string): string {
  return raw
    .trim()
    .replace(/\{1\.73_?m2\}|\(\(?173\/100\)?\.m2\)|1\.73\s?m(?:2|\^2)\b/gi, '1.73 m²')
    .replace(/\(?24\.?\s?h(?:r|rs|our|ours)?\)?$/i, '24 h')
    .replace(/\[([^\]]*)\]/g, (_, inner: string) => (inner.toLowerCase() === 'iu' ? 'IU' : inner))
    .replace(/\{([^}]*)\}/g, (_, inner: string) => inner.replace(/_/g, ' '))
    .replace(/\b(?:u|mc)(mol|g|L)\b/g, 'µ$1')
    .replace(/\bmcg\b/g, 'µg')
    .replace(/10\*(\d+)/g, (_, p: string) => `×10${[...p].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('')}`);
}

/** How an analyte is shown in a unit system (section 7b), or undefined for an analyte without one. */
export function displayUnit(analyte: string | undefined, system: UnitSystem): DisplayUnit | undefined {
  return analyte === undefined ? undefined : DISPLAY[analyte]?.[system];
}

/** Fixed decimals, as a laboratory prints them ("2.80"), never "-0". */
export function formatFixed(n: number, precision: number): string {
  const s = n.toFixed(precision);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A number without a display rule (a value whose unit could not be read, an analyte outside
 * section 7b): at most three significant digits below 10, one decimal below 1000, none above.
 */
export function formatPlain(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const rounded = abs !== 0 && abs < 10 ? Number(n.toPrecision(3)) : abs < 1000 ? Math.round(n * 10) / 10 : Math.round(n);
  return String(rounded);
}

const COMPARATOR: Record<NonNullable<ResultValue['comparator']>, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

/** A result's comparator as written for people ("≤"), or nothing. */
export function comparatorText(c: ResultValue['comparator']): string {
  return c ? COMPARATOR[c] : '';
}

/** A canonical number in the unit system: the number as text and the unit, or undefined without a rule. */
export function convert(value: number, analyte: string | undefined, system: UnitSystem): { text: string; unit: string; value: number } | undefined {
  const d = displayUnit(analyte, system);
  if (!d || !Number.isFinite(value)) return undefined;
  const shown = value * d.factor;
  return { text: formatFixed(shown, d.precision), unit: d.unit, value: Number(formatFixed(shown, d.precision)) };
}

/** The value of a result as shown: "2.78 mmol/L", "<0.05 mmol/24 h", "done", or undefined without a value. */
export function formatResult(r: Pick<ResultValue, 'value' | 'unit' | 'comparator' | 'analyte'>, system: UnitSystem): string | undefined {
  if (r.value === undefined || r.value === '') return undefined;
  const c = comparatorText(r.comparator);
  if (typeof r.value === 'string') return `${c}${r.value}`;
  const shown = convert(r.value, r.analyte, system);
  if (shown) return `${c}${shown.text} ${shown.unit}`;
  const unit = r.unit ? ` ${humanUnit(r.unit)}` : '';
  return `${c}${formatPlain(r.value)}${unit}`;
}

/**
 * The value and unit as the EHR reported them, only when they differ from what is shown (another
 * unit, or another number at the shown precision); undefined otherwise.
 */
export function formatReported(r: ResultValue, system: UnitSystem): string | undefined {
  const rep = r.reported;
  if (!rep || rep.value === undefined || rep.value === '') return undefined;
  const c = comparatorText(r.comparator);
  const unit = rep.unit ? ` ${humanUnit(rep.unit)}` : '';
  const text = `${c}${typeof rep.value === 'number' ? String(rep.value) : rep.value.trim()}${unit}`;
  if (typeof r.value !== 'number') return text;
  const shown = convert(r.value, r.analyte, system);
  const repNumber = typeof rep.value === 'number' ? rep.value : Number(rep.value.trim());
  if (!shown) {
    const sameUnit = normalizeUnit(rep.unit ?? '') === normalizeUnit(r.unit ?? '');
    return sameUnit && Math.abs(repNumber - r.value) < 1e-9 ? undefined : text;
  }
  const d = displayUnit(r.analyte, system)!;
  const sameUnit = rep.unit !== undefined && normalizeUnit(rep.unit) === normalizeUnit(d.unit.replace(/\s*\(.*\)$/, ''));
  return sameUnit && Number.isFinite(repNumber) && formatFixed(repNumber, d.precision) === shown.text ? undefined : text;
}

/** A range's bounds in the unit of the value: "2.20–2.60 mmol/L", "≥ 60 mL/min/1.73 m²"; undefined without bounds. */
export function formatBounds(range: Pick<RangeUsed, 'low' | 'high' | 'highExclusive'>, analyte: string | undefined, system: UnitSystem, unit?: string): string | undefined {
  const { low, high } = range;
  // an exclusive upper limit ("ACR 3 or more is abnormal") reads "< 3.0"
  const upper = range.highExclusive ? '<' : '≤';
  if (low === undefined && high === undefined) return undefined;
  const d = displayUnit(analyte, system);
  const n = (v: number): string => (d ? formatFixed(v * d.factor, d.precision) : formatPlain(v));
  const u = d ? d.unit : unit ? humanUnit(unit) : '';
  const span = low !== undefined && high !== undefined ? `${n(low)}–${n(high)}` : low !== undefined ? `≥ ${n(low)}` : `${upper} ${n(high!)}`;
  return u ? `${span} ${u}` : span;
}

const SOURCE_WORDS: Record<RangeUsed['source'], string> = { 'built-in': 'built-in range', result: 'lab range', interpretation: 'flagged by the laboratory' };

/**
 * The range of a result, once: its bounds in the unit of the value and where it comes from
 * ("2.20–2.60 mmol/L · built-in range, adult"). A range known only as text (the laboratory's
 * interpretation, or sex-specific ranges for a patient whose sex is not recorded) is its words.
 */
export function formatRange(range: RangeUsed, analyte: string | undefined, system: UnitSystem, unit?: string): string {
  const bounds = formatBounds(range, analyte, system, unit);
  const basis = range.basis ?? SOURCE_WORDS[range.source] ?? range.source;
  return bounds ? `${bounds} · ${basis}` : basis;
}

/** A finding's words with its values in the unit system asked for. */
export function findingText(f: Pick<Finding, 'text' | 'conventionalText'>, system: UnitSystem): string {
  return system === 'conventional' ? (f.conventionalText ?? f.text) : f.text;
}
