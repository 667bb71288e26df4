/**
 * The core's own UTC calendar helpers (src/clinical/dates.ts) against date-fns 4 with the
 * `@date-fns/utc` context, which they replace in the browser bundle (decision in dates.ts). Random
 * instants from 1800 to 2200 at any time of day, biased towards the cases calendar arithmetic gets
 * wrong: month ends, 29 February, 29 February birthdays, equal and reversed instants, and machine
 * time zones far from UTC (the helpers must not read the machine's zone).
 */
import { utc } from '@date-fns/utc';
import { addMonths as dfAddMonths, differenceInDays, differenceInYears, subMonths } from 'date-fns';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { addMonths, daysBetween, yearsBetween } from '../../../src/clinical/dates';

const IN_UTC = { in: utc } as const;
const MIN = Date.UTC(1800, 0, 1);
const MAX = Date.UTC(2200, 0, 1);
const DAY = 86_400_000;
const RUNS = 4000;

const timeOfDay = fc.oneof(fc.constant(0), fc.constant(DAY - 1), fc.integer({ min: 0, max: DAY - 1 }));
/** A calendar date biased towards month ends and 29 February, at some time of day. */
const calendarInstant = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1800, max: 2199 }), fc.constantFrom(1900, 2000, 2004, 2023, 2024, 2100)),
    month: fc.integer({ min: 0, max: 11 }),
    day: fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(1, 28, 29, 30, 31)),
    tod: timeOfDay,
  })
  .map(({ year, month, day, tod }) => {
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Date.UTC(year, month, Math.min(day, last)) + tod;
  });
const leapDay = fc
  .integer({ min: 450, max: 549 })
  .map((q) => Date.UTC(q * 4, 1, 29))
  .filter((t) => new Date(t).getUTCMonth() === 1);
const anyInstant = fc.oneof(fc.integer({ min: MIN, max: MAX }), calendarInstant, leapDay);
const pair = fc.oneof(
  fc.tuple(anyInstant, anyInstant),
  // 29 February birthdays, with results on and around their anniversaries
  fc.tuple(calendarInstant, leapDay),
  fc.tuple(leapDay, fc.integer({ min: -3, max: 3 })).map(([b, d]): [number, number] => [dfAddMonths(b, 12 * 18, IN_UTC).getTime() + d * DAY, b]),
  // equal instants and a few milliseconds apart
  fc.tuple(anyInstant, fc.integer({ min: -2, max: 2 })).map(([t, d]): [number, number] => [t + d, t]),
);

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});
const ZONES = ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Sao_Paulo', 'Asia/Kolkata'];

describe('UTC calendar helpers agree with date-fns + UTCDate', () => {
  for (const tz of ZONES) {
    it(`yearsBetween = differenceInYears (machine zone ${tz})`, () => {
      process.env.TZ = tz;
      fc.assert(
        fc.property(pair, ([later, earlier]) => {
          expect(yearsBetween(later, earlier)).toBe(differenceInYears(later, earlier, IN_UTC));
        }),
        { numRuns: RUNS },
      );
    });

    it(`daysBetween = differenceInDays (machine zone ${tz})`, () => {
      process.env.TZ = tz;
      fc.assert(
        fc.property(pair, ([later, earlier]) => {
          expect(daysBetween(later, earlier)).toBe(differenceInDays(later, earlier, IN_UTC));
        }),
        { numRuns: RUNS },
      );
    });

    it(`addMonths = addMonths / subMonths (machine zone ${tz})`, () => {
      process.env.TZ = tz;
      const months = fc.oneof(fc.integer({ min: -36, max: 36 }), fc.constantFrom(-24, -12, -6, -3, 0, 3, 6, 12, 24));
      fc.assert(
        fc.property(anyInstant, months, (t, n) => {
          expect(addMonths(t, n)).toBe(dfAddMonths(t, n, IN_UTC).getTime());
          expect(addMonths(t, -n)).toBe(subMonths(t, n, IN_UTC).getTime());
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('examples: 29 February birthdays, month ends, reversed spans', () => {
    const feb29 = Date.UTC(2008, 1, 29);
    expect(yearsBetween(Date.UTC(2026, 1, 28), feb29)).toBe(17);
    expect(yearsBetween(Date.UTC(2026, 2, 1), feb29)).toBe(18);
    expect(yearsBetween(Date.UTC(2028, 1, 29), feb29)).toBe(20);
    expect(yearsBetween(feb29, Date.UTC(2026, 2, 1))).toBe(-18);
    expect(yearsBetween(feb29, feb29)).toBe(0);
    expect(daysBetween(Date.UTC(2024, 2, 1), Date.UTC(2024, 1, 28))).toBe(2);
    expect(daysBetween(Date.UTC(2024, 2, 1) - 1, Date.UTC(2024, 1, 28))).toBe(1);
    expect(daysBetween(Date.UTC(2024, 1, 28), Date.UTC(2024, 2, 1) - 1)).toBe(-1);
    expect(new Date(addMonths(Date.UTC(2026, 2, 31, 13), -1)).toISOString()).toBe('2026-02-28T13:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2024, 2, 31), -1)).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2026, 5, 15), -6)).toISOString()).toBe('2025-12-15T00:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2025, 10, 30), 3)).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});
