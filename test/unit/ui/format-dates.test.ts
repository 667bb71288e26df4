/**
 * "N days/months/years ago" (src/ui/format.ts formatRelative) no longer uses date-fns in the page
 * (decision in format.ts). Proof that nothing changed: the previous implementation, date-fns
 * differenceInCalendarDays / differenceInMonths / differenceInYears on local Dates, is kept here as
 * the reference and compared with formatRelative over random FHIR dates from 1800 to 2200 (month
 * ends, 29 February, partial dates, date-times), in several machine time zones, among them zones
 * whose clocks skip midnight for summer time (Sao Paulo until 2019, Santiago, Havana, Beirut).
 */
import { differenceInCalendarDays, differenceInMonths, differenceInYears } from 'date-fns';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { formatRelative } from '../../../src/ui/format';

function parseDay(iso: string): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** formatRelative as it was, on date-fns. */
function reference(iso: string, referenceIso: string): string | undefined {
  const d = parseDay(iso);
  const ref = parseDay(referenceIso);
  if (!d || !ref) return undefined;
  const days = differenceInCalendarDays(ref, d);
  if (days === 0) return 'today';
  const [later, earlier] = days > 0 ? [ref, d] : [d, ref];
  const absDays = Math.abs(days);
  const months = differenceInMonths(later, earlier);
  const years = differenceInYears(later, earlier);
  const text = months < 1 ? count(absDays, 'day') : years < 1 ? count(months, 'month') : count(years, 'year');
  return days > 0 ? `${text} ago` : `in ${text}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const year = fc.oneof(fc.integer({ min: 1800, max: 2200 }), fc.constantFrom(1900, 2000, 2008, 2016, 2018, 2024, 2025, 2026, 2100));
const day = fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(1, 28, 29, 30, 31));
const fhirDate = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(year, fc.integer({ min: 1, max: 12 }), day).map(([y, m, d]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}`) },
  { weight: 1, arbitrary: fc.tuple(year, fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${pad(y, 4)}-${pad(m)}`) },
  { weight: 1, arbitrary: year.map((y) => pad(y, 4)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(year, fc.integer({ min: 1, max: 12 }), day, fc.integer({ min: 0, max: 23 }), fc.constantFrom('Z', '+14:00', '-11:00', '+05:30'))
      .map(([y, m, d, h, z]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:59:00${z}`),
  },
);
/** Pairs near each other too (days, a month or a year apart), where the unit changes. */
const near = fc
  .tuple(year, fc.integer({ min: 1, max: 12 }), day, fc.oneof(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -45, max: 45 }), fc.integer({ min: -10_000, max: 10_000 })))
  .map(([y, m, d, delta]) => {
    const a = new Date(Date.UTC(y, m - 1, Math.min(d, new Date(Date.UTC(y, m, 0)).getUTCDate())));
    const b = new Date(a.getTime() + delta * 86_400_000);
    const iso = (x: Date) => `${pad(x.getUTCFullYear(), 4)}-${pad(x.getUTCMonth() + 1)}-${pad(x.getUTCDate())}`;
    return [iso(a), iso(b)] as [string, string];
  });
const pairs = fc.oneof(fc.tuple(fhirDate, fhirDate), near);

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'America/Sao_Paulo', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe'];
const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('formatRelative agrees with its date-fns version', () => {
  for (const tz of ZONES) {
    it(`in ${tz}`, () => {
      process.env.TZ = tz;
      fc.assert(
        fc.property(pairs, ([iso, ref]) => {
          expect(formatRelative(iso, ref)).toBe(reference(iso, ref));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('around days whose local midnight does not exist (summer time, end of local mean time)', () => {
    const cases: [string, string, string][] = [
      ['America/Sao_Paulo', '2018-11-04', '2018-12-04'],
      ['America/Sao_Paulo', '2018-10-04', '2018-11-04'],
      ['America/Sao_Paulo', '2017-11-04', '2018-11-04'],
      ['America/Santiago', '2022-09-11', '2022-10-11'],
      ['America/Santiago', '2022-08-11', '2022-09-11'],
      // found by this test: local midnight skipped (local mean time ended; summer time from 00:00)
      ['America/Sao_Paulo', '1914-01-01', '2018'],
      ['Asia/Beirut', '2100-04-31', '1973-04-31T00:59:00Z'],
    ];
    for (const [tz, iso, ref] of cases) {
      process.env.TZ = tz;
      expect(formatRelative(iso, ref)).toBe(reference(iso, ref));
      expect(formatRelative(ref, iso)).toBe(reference(ref, iso));
    }
  });

  it('examples: month ends and 29 February', () => {
    expect(formatRelative('2023-01-31', '2023-02-28')).toBe('1 month ago');
    expect(formatRelative('2023-01-30', '2023-02-27')).toBe('28 days ago');
    expect(formatRelative('2024-02-29', '2025-02-28')).toBe('12 months ago'); // date-fns: 28 Feb is its month's last day
    expect(formatRelative('2024-02-29', '2025-03-01')).toBe('1 year ago');
    expect(formatRelative('2026-03-01', '2026-02-28')).toBe('in 1 day');
  });
});
