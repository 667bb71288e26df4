/**
 * Re-dating of the scenario patients. The scenarios are written relative to a fixed reference date
 * (2026-06-01 unless test/scenarios/index.ts says otherwise). When the sandbox loads them it shifts
 * every date, dateTime and instant (birthDate included) by (today − reference date) in whole days,
 * so "a creatinine from 31 days ago" stays 31 days old whatever day the sandbox runs, and no
 * scenario ages out of the recency windows.
 *
 * Decisions:
 * - Which strings are dates is decided by shape (YYYY-MM-DD with an optional FHIR time part), not by
 *   a schema walk: that is cheap and catches extensions and nested backbone elements. Year-only and
 *   year-month partial dates are left alone (a 4-digit string could just as well be a code).
 * - Free-text fields (`valueString`, `text`, `div`, `display`, comments) and identifiers, codes and
 *   references are never touched: a date written inside a text is data, not a date field, and the
 *   hostile-data scenarios rely on text staying verbatim.
 * - The shift is a calendar shift of the date part; the time of day and the UTC offset are kept as
 *   written, so a dateTime keeps its wall-clock time and its original precision.
 */

export const DEFAULT_REFERENCE_DATE = '2026-06-01';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Keys whose string values are never re-dated (free text, identity, terminology). */
const NEVER_SHIFT = new Set([
  'valueString',
  'text',
  'div',
  'display',
  'comment',
  'note',
  'id',
  'reference',
  'system',
  'code',
  'url',
  'version',
  'fullUrl',
  'value', // Identifier.value, Coding-like values; dated values use valueDateTime etc.
  'versionId',
]);

/** Whole UTC days from the reference date (YYYY-MM-DD) to `today`'s UTC date. */
export function daysSince(referenceDate: string, today: Date): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(referenceDate);
  if (!m) throw new Error(`sandbox: bad reference date ${JSON.stringify(referenceDate)}`);
  const ref = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((now - ref) / 86_400_000);
}

/** Shifts one FHIR date/dateTime/instant string by `days`; returns it unchanged when it is not one. */
export function shiftDateString(value: string, days: number): string {
  const m = DATE_RE.exec(value);
  if (!m) return value;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return value; // garbage dates stay garbage
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCMonth() !== mo - 1) return value; // 2026-02-31: not a date, leave it for the engine to reject
  t.setUTCDate(t.getUTCDate() + days);
  const iso = t.toISOString().slice(0, 10);
  return iso + (m[4] ?? '');
}

/** Returns a deep copy of `node` with every date field shifted by `days`. */
export function redate<T>(node: T, days: number): T {
  if (days === 0) return node;
  return walk(node, days, undefined) as T;
}

function walk(node: unknown, days: number, key: string | undefined): unknown {
  if (typeof node === 'string') {
    return key !== undefined && NEVER_SHIFT.has(key) ? node : shiftDateString(node, days);
  }
  if (Array.isArray(node)) return node.map((v) => walk(v, days, key));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = walk(v, days, k);
    return out;
  }
  return node;
}
