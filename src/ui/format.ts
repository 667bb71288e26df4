/**
 * The view's own vocabulary: status chip words, result flags, how long ago a result was, resource
 * type names. Values, units, ranges, dates and ages are written by the clinical core
 * (src/clinical/display.ts), so that the panel, the note and the evaluator never disagree; nothing
 * clinical here: thresholds, labels, reasons and conditions all come from the Evaluation model.
 */
import type { ItemResult, ResultValue, Status } from '../clinical/model';

/** Date-only part of an ISO date/date-time, or undefined when it is not a usable date. */
function parseDay(iso: string): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/*
 * How long ago. Decision (JS budget): date-fns `formatDistanceStrict` pulls its whole en-US locale
 * for "N days/months/years ago": the words are these few lines.
 * The calendar arithmetic of "N days/months/years ago" was date-fns (differenceInCalendarDays,
 * differenceInMonths, differenceInYears); decision: the few lines below do it on the same
 * local Dates with the same steps as date-fns 4, which keeps those date-fns modules off
 * the page. Same steps, not a "simpler" formula: in a zone whose clock skipped a local midnight
 * (summer time in Sao Paulo until 2019, a change from local mean time) date-fns counts such a date
 * from 01:00, and a calendar-only formula would answer a year or a month more. Proven equal to
 * date-fns by test/unit/ui/format-dates.test.ts (fast-check: dates from 1800 to 2200, month ends,
 * 29 February, ten time zones including those).
 */
function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Calendar days from `earlier` to `later`: differenceInCalendarDays (local dates). */
function calendarDays(later: Date, earlier: Date): number {
  // both sides are whole days (UTC midnights of the two calendar dates): no rounding to do
  return (Date.UTC(later.getFullYear(), later.getMonth(), later.getDate()) - Date.UTC(earlier.getFullYear(), earlier.getMonth(), earlier.getDate())) / 86_400_000;
}

/** Whole years from `earlier` to a `later` Date: date-fns differenceInYears, for later after earlier. */
function wholeYears(later: Date, earlier: Date): number {
  const a = new Date(later);
  const b = new Date(earlier);
  const years = a.getFullYear() - b.getFullYear();
  // the same moment of the year in a leap year (1584, as date-fns): 29 February stays itself
  a.setFullYear(1584);
  b.setFullYear(1584);
  return years - +(a < b);
}

/**
 * Whole months from `earlier` to a `later` Date: date-fns differenceInMonths step by step for later
 * after earlier, its end-of-month rules included (31 Jan to 28 Feb is one month).
 */
function wholeMonths(later: Date, earlier: Date): number {
  const w = new Date(later);
  const months = (w.getFullYear() - earlier.getFullYear()) * 12 + w.getMonth() - earlier.getMonth();
  if (months < 1) return 0;
  if (w.getMonth() === 1 && w.getDate() > 27) w.setDate(30);
  w.setMonth(w.getMonth() - months);
  const lastDayOfMonth = new Date(later.getFullYear(), later.getMonth() + 1, 0).getDate() === later.getDate();
  return months - +(w < earlier && !(lastDayOfMonth && months === 1));
}

/**
 * "3 months ago" relative to the evaluation date (not to the wall clock: the panel is a snapshot).
 * Day granularity: a result of the evaluation day reads "today". Whole units, rounded down (a
 * result 11 months and 29 days old is "11 months ago", never "1 year ago").
 */
export function formatRelative(iso: string, referenceIso: string): string | undefined {
  const d = parseDay(iso);
  const ref = parseDay(referenceIso);
  if (!d || !ref) return undefined;
  const days = calendarDays(ref, d);
  if (days === 0) return 'today';
  const [later, earlier] = days > 0 ? [ref, d] : [d, ref];
  const months = wholeMonths(later, earlier);
  const years = wholeYears(later, earlier);
  const text = months < 1 ? count(Math.abs(days), 'day') : years < 1 ? count(months, 'month') : count(years, 'year');
  return days > 0 ? `${text} ago` : `in ${text}`;
}

export interface ChipInfo {
  /** Shape that carries the meaning without colour (hidden from screen readers: the text says it). */
  icon: string;
  text: string;
  /** CSS modifier. */
  tone: 'high' | 'low' | 'abnormal' | 'normal' | 'missing' | 'outdated' | 'pending' | 'unknown';
}

/** Items without a numeric result (imaging, culture, urinalysis...) read "Done" when normal. */
function isQualitative(item: ItemResult): boolean {
  return item.latest !== undefined && typeof item.latest.value !== 'number';
}

export function statusChip(item: Pick<ItemResult, 'status'> & Partial<Pick<ItemResult, 'direction' | 'latest'>>): ChipInfo {
  switch (item.status as Status) {
    case 'abnormal':
      if (item.direction === 'high') return { icon: '▲', text: 'High', tone: 'high' };
      if (item.direction === 'low') return { icon: '▼', text: 'Low', tone: 'low' };
      return { icon: '◆', text: 'Abnormal', tone: 'abnormal' };
    case 'normal':
      return isQualitative(item as ItemResult)
        ? { icon: '✓', text: 'Done', tone: 'normal' }
        : { icon: '✓', text: 'Normal', tone: 'normal' };
    case 'missing':
      return { icon: '○', text: 'Missing', tone: 'missing' };
    case 'outdated':
      return { icon: '◐', text: 'Outdated', tone: 'outdated' };
    case 'pending':
      return { icon: '…', text: 'Pending', tone: 'pending' };
    case 'unknown':
    default:
      return { icon: '?', text: 'Could not check', tone: 'unknown' };
  }
}

/** The single-result flag shown for history entries and outdated results. */
export function flagText(flag: ResultValue['flag']): string | undefined {
  switch (flag) {
    case 'high':
      return '▲ high';
    case 'low':
      return '▼ low';
    case 'abnormal':
      return '◆ abnormal';
    case 'normal':
      return 'in range';
    case 'uninterpretable':
      return 'could not be interpreted';
    default:
      return undefined;
  }
}

/** Resource types and failures are named as the core names them (its item reasons use the same words). */
export { failureText, resourceTypeName } from '../clinical/vocabulary';
