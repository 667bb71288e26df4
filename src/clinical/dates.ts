/**
 * Date handling for FHIR dateTime strings. Parsed once per resource (never in hot loops).
 * Date-only values ("2024-03-01", "2024-03", "2024") are taken as UTC midnight so that results
 * and the evaluation date compare on the same scale; date-times use their own offset.
 */
import { utc } from '@date-fns/utc';

/**
 * date-fns option for calendar arithmetic in UTC. Every timestamp of the core is on the UTC scale
 * (date-only values are UTC midnight), so ages, month windows and "within 3 months" must be counted
 * in UTC too: with date-fns's default (the machine's local time zone) a birth date of 2008-03-01
 * and a result of 2026-03-01 gave age 17 on a New York machine and 18 in London, and the browser
 * and the evaluator could disagree at the under-18 rule.
 */
export const IN_UTC = { in: utc } as const;

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

export const DAY_MS = 86_400_000;
