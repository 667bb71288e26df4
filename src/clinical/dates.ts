/**
 * Date handling for FHIR dateTime strings. Parsed once per resource (never in hot loops).
 * Date-only values ("2024-03-01", "2024-03", "2024") are taken as UTC midnight so that results
 * and the evaluation date compare on the same scale; date-times use their own offset.
 */
export const DAY_MS = 86_400_000;

/*
 * Calendar arithmetic in UTC. Decision (the app page's JS budget): the core needs
 * three calendar operations: whole years between two instants (ages), N calendar months before or
 * after an instant (recency windows, "within 3 months") and whole days between two instants (neonate
 * age). They were date-fns 4 (differenceInYears, differenceInDays, addMonths, subMonths) with the
 * `@date-fns/utc` UTCDate context: about 20 small modules (constructFrom, normalizeDates,
 * compareAsc, the UTCDate class...) on the app page (the figures are in bench/README.md). They follow date-fns's own algorithms step by step with the
 * Date UTC methods (every timestamp of the core is on the UTC scale; date-only values are UTC
 * midnight), so ages, windows and "within 3 months" stay independent of the machine's time zone:
 * a birth date of 2008-03-01 and a result of 2026-03-01 is 18 in New York as in London.
 * Proof of equality: test/unit/clinical/dates.test.ts compares each helper with date-fns + UTCDate
 * (fast-check, random instants from 1800 to 2200 with any time of day, month ends, 29 February,
 * 29 February birthdays, negative spans). date-fns stays the library of the CLI and of the tests.
 */

/** Whole years from `earlier` to `later` (negative when `later` is earlier): differenceInYears in UTC. */
export function yearsBetween(later: number, earlier: number): number {
  const a = new Date(later);
  const b = new Date(earlier);
  const sign = Math.sign(later - earlier);
  const diff = Math.abs(a.getUTCFullYear() - b.getUTCFullYear());
  // the same instant of the year in a leap year (1584, as date-fns): 29 February stays itself
  a.setUTCFullYear(1584);
  b.setUTCFullYear(1584);
  const partial = Math.sign(a.getTime() - b.getTime()) === -sign;
  return sign * (diff - +partial) + 0;
}

/** Whole days (24 h) from `earlier` to `later`, rounded towards zero: differenceInDays in UTC. */
export function daysBetween(later: number, earlier: number): number {
  return Math.trunc((later - earlier) / DAY_MS) + 0;
}

/**
 * `t` plus `months` calendar months (minus when negative), the day clamped to the last day of the
 * target month (31 March - 1 month = 28/29 February), time of day kept: addMonths in UTC.
 */
export function addMonths(t: number, months: number): number {
  const d = new Date(t);
  const day = d.getUTCDate();
  d.setUTCMonth(d.getUTCMonth() + months + 1, 0);
  if (day < d.getUTCDate()) d.setUTCDate(day);
  return d.getTime();
}

const DATE_ONLY = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

const cache = new Map<string, number | undefined>();

/**
 * Milliseconds since epoch, or undefined for anything that is not a valid FHIR date/dateTime.
 * Memoised: the results of one visit share their timestamp.
 */
export function parseFhirDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (cache.has(value)) return cache.get(value);
  const t = parseUncached(value);
  if (cache.size > 50_000) cache.clear();
  cache.set(value, t);
  return t;
}

function parseUncached(value: string): number | undefined {
  const s = value.trim();
  const m = DATE_ONLY.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = m[2] ? Number(m[2]) : 1;
    const d = m[3] ? Number(m[3]) : 1;
    if (y < 1800 || mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
    const t = Date.UTC(y, mo - 1, d);
    // reject 2023-02-31 and the like
    const back = new Date(t);
    if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return undefined;
    return t;
  }
  if (!DATE_TIME.test(s)) return undefined;
  const t = Date.parse(s);
  if (!Number.isFinite(t)) return undefined;
  if (new Date(t).getUTCFullYear() < 1800) return undefined;
  return t;
}

/** The calendar day as written in the record (for "same day" rules), e.g. "2024-03-01". */
export function dayOf(value: string): string {
  return value.trim().slice(0, 10);
}

/** YYYY-MM-DD of a timestamp in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

