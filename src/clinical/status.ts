/**
 * The six statuses of section 5 for one item, from its interpreted candidates, its pending marks
 * and the load failures that concern it. The newest result decides, always: an older result that
 * can be read never stands in for a newer one that cannot (it is shown as history).
 */
import type { ItemResult, LoadFailure, Status } from './model';
import { byNewest, isValid, newestFirst, toResultValue, type Candidate } from './candidate';
import type { CatalogItem } from './catalog';
import { describeFailures } from './vocabulary';
import type { PendingMark } from './values';
import { formatDate } from './display';

/** History rows kept per item (newest first): enough for trends, bounded for heavy records. */
export const HISTORY_LIMIT = 100;

export interface StatusInput {
  item: CatalogItem;
  candidates: readonly Candidate[];
  pending: readonly PendingMark[];
  /** Failed loads of resource types that can hold this item's results. */
  failures: readonly LoadFailure[];
  /** Failed load of ServiceRequest (orders). */
  orderFailure?: LoadFailure;
  /** Start of the recency window (epoch ms), null = any time. */
  windowStart: number | null;
}

export type StatusResult = Pick<ItemResult, 'status' | 'direction' | 'reason' | 'latest' | 'range' | 'history' | 'pending'>;

const pendingOrder = newestFirst<PendingMark>((p) => `${p.ref}|${p.date}`);

/** What the rules below look at: the results in time order, and the notes every answer carries. */
interface Timeline {
  input: StatusInput;
  /** Valid results, newest first; at a time shared by several, the one shown first. */
  valid: Candidate[];
  /** The newest dated result, valid or not: it decides. */
  newest?: Candidate;
  /** Said with whichever result is shown: another result at the same time differs; undated results. */
  conflictNote?: string;
  undatedNote?: string;
  /** The first result without a usable date, if any (shown when nothing dated exists). */
  undated?: Candidate;
  /** A newer entry that holds no result ("Blank", no value): said, never deciding. */
  emptyNote?: string;
  /** The newest entry without a result, when no result exists at all. */
  empty?: Candidate;
}

/** Dates in reasons are written as the panel writes them (display.ts). */
const day = (date: string): string => formatDate(date);

function flagWords(c: Candidate): string {
  if (c.flag === 'high') return 'above the range';
  if (c.flag === 'low') return 'below the range';
  if (c.flag === 'abnormal') return 'abnormal';
  return 'within the range';
}

function valueWords(c: Candidate): string {
  const v = c.canonical ?? c.text ?? c.reportedValue ?? '?';
  return `${v}${c.canonical !== undefined && c.unit ? ` ${c.unit}` : ''}`;
}

/**
 * Decision: two valid results at the very same time that disagree (a repeat on the same sample, a
 * correction sent as a new resource) are not reconciled silently: the worse one (out of range) is
 * shown, and the reason says that another result at that time differs. Between equals, a final
 * result over a preliminary one.
 */
function resolveSameTime(valid: Candidate[]): { valid: Candidate[]; conflict?: Candidate } {
  if (valid.length < 2 || valid[1]!.time !== valid[0]!.time) return { valid };
  const same = valid.filter((c) => c.time === valid[0]!.time);
  const fin = (c: Candidate): boolean => c.resultStatus !== 'preliminary';
  const worst = same.find((c) => c.flag !== 'normal' && fin(c)) ?? same.find((c) => c.flag !== 'normal') ?? same.find(fin) ?? same[0]!;
  const conflict = same.find(
    (c) => c !== worst && c.analyte === worst.analyte && !!c.derived === !!worst.derived && (c.flag !== worst.flag || c.canonical !== worst.canonical || c.text !== worst.text),
  );
  const ordered = worst === valid[0] ? valid : [worst, ...valid.filter((c) => c !== worst)];
  return conflict ? { valid: ordered, conflict } : { valid: ordered };
}

/** Results whose date cannot be used are never placed in time, but never dropped silently either. */
function undatedWords(undated: readonly Candidate[]): string | undefined {
  if (undated.length === 0) return undefined;
  const first = undated[0]!;
  const what = [first.reportedValue !== undefined ? `${first.reportedValue}${first.reportedUnit ? ` ${first.reportedUnit}` : ''}` : '', first.problem ?? ''].filter(Boolean).join(': ');
  return `${undated.length === 1 ? 'a result' : `${undated.length} results`} without a usable date not used (${what})`;
}

function timeline(input: StatusInput): Timeline {
  const sorted = [...input.candidates].sort(byNewest);
  const { valid, conflict } = resolveSameTime(sorted.filter(isValid));
  const dated = sorted.filter((c) => Number.isFinite(c.time) && !c.noResult);
  // a valid result at the newest time represents that time (an unreadable duplicate does not)
  const newest = valid[0] && dated[0] && valid[0].time === dated[0].time ? valid[0] : dated[0];
  const t: Timeline = { input, valid };
  if (newest) t.newest = newest;
  const empty = sorted.find((c) => c.noResult && Number.isFinite(c.time) && (!newest || c.time > newest.time));
  if (empty) {
    t.empty = empty;
    t.emptyNote = `a newer entry (${day(empty.date)}) holds no result: ${empty.problem ?? 'no value'}`;
  }
  if (conflict) t.conflictNote = `another result at the same time differs (${valueWords(conflict)})`;
  const undated = sorted.filter((c) => !Number.isFinite(c.time));
  const words = undatedWords(undated);
  if (words) t.undatedNote = words;
  if (undated[0]) t.undated = undated[0];
  return t;
}

function answer(t: Timeline, status: Status, latest: Candidate | undefined, reasons: readonly (string | undefined)[]): StatusResult {
  const history = t.valid.filter((c) => c !== latest && (!latest || c.time <= latest.time)).slice(0, HISTORY_LIMIT);
  const r: StatusResult = { status, history: history.map(toResultValue) };
  if (latest) {
    r.latest = toResultValue(latest);
    if (latest.range) r.range = latest.range;
  }
  if (status === 'abnormal' && latest && (latest.direction || latest.flag === 'high' || latest.flag === 'low')) {
    r.direction = latest.direction ?? (latest.flag as 'high' | 'low');
  }
  const undatedNote = latest && latest !== t.undated ? t.undatedNote : undefined;
  const emptyNote = latest && latest !== t.empty ? t.emptyNote : undefined;
  const notes = [...reasons, latest && latest === t.valid[0] ? t.conflictNote : undefined, emptyNote, undatedNote].filter((x): x is string => !!x);
  if (notes.length > 0) r.reason = notes.join('; ');
  return r;
}

const inWindow = (t: Timeline, c: Candidate): boolean => t.input.windowStart === null || c.time >= t.input.windowStart;

/**
 * The newest result, within the window, decides: normal or abnormal when it can be read, unknown
 * when it cannot. Decision (a failure never turns into `normal`): when a resource type that could
 * hold this item's results failed to load, even in part, a newer result may be among what is
 * missing; a normal result is then shown but not called normal (`unknown`); an abnormal one stays
 * abnormal (a real out-of-range value was seen), with the same warning.
 */
function current(t: Timeline): StatusResult | undefined {
  const c = t.newest;
  if (!c || !inWindow(t, c)) return undefined;
  const failed = t.input.failures.length > 0 ? `newer results could not be checked: ${describeFailures(t.input.failures)}` : undefined;
  if (!isValid(c)) return answer(t, 'unknown', c, [`result could not be interpreted: ${c.problem ?? 'unreadable'}`]);
  const prelim = c.resultStatus === 'preliminary' ? 'preliminary result' : undefined;
  if (c.flag === 'normal') {
    if (failed) return answer(t, 'unknown', c, [`newest loaded result is in range, but ${[prelim, failed].filter(Boolean).join('; ')}`]);
    return answer(t, 'normal', c, [prelim]);
  }
  // the range itself is the item's `range` (shown once, in the unit of the value): not repeated here
  return answer(t, 'abnormal', c, [flagWords(c), prelim, failed]);
}

/** Section 5: an order counts as pending only when authored within the item's window. */
function openMarks(t: Timeline): { pending: PendingMark[]; stale: PendingMark[] } {
  const after = (p: PendingMark) => !t.newest || !Number.isFinite(p.time) || p.time > t.newest.time;
  const marks = t.input.pending.filter(after).sort(pendingOrder);
  const start = t.input.windowStart;
  const fresh = (p: PendingMark) => !p.ref.startsWith('ServiceRequest/') || start === null || !Number.isFinite(p.time) || p.time >= start;
  return { pending: marks.filter(fresh), stale: marks.filter((p) => !fresh(p)) };
}

function pendingAnswer(t: Timeline, p: PendingMark): StatusResult {
  const kind = p.ref.startsWith('ServiceRequest/') ? 'ordered' : 'registered';
  const dated = p.date !== '' && Number.isFinite(p.time);
  const when = dated ? ` on ${day(p.date)}` : '';
  const latest = t.newest && isValid(t.newest) ? t.newest : t.valid[0];
  const r = answer(t, 'pending', latest, [kind === 'ordered' ? `ordered${when}` : `registered${when}, not yet resulted`]);
  r.pending = dated ? { kind, date: p.date, source: p.ref } : { kind, source: p.ref };
  return r;
}

export function computeStatus(input: StatusInput): StatusResult {
  const t = timeline(input);
  const now = current(t);
  if (now) return now;
  const { pending, stale } = openMarks(t);
  if (pending[0]) return pendingAnswer(t, pending[0]);
  const staleOrder = stale[0] ? `ordered ${Number.isFinite(stale[0].time) ? day(stale[0].date) : '(date unknown)'}, no result` : undefined;
  const failed = input.failures.length > 0 ? describeFailures(input.failures) : undefined;
  if (t.newest) {
    const window = input.item.windowMonths === null ? '' : `${input.item.windowMonths}-month `;
    const unread = isValid(t.newest) ? undefined : `it could not be interpreted: ${t.newest.problem ?? 'unreadable'}`;
    return answer(t, 'outdated', t.newest, [`newest result (${day(t.newest.date)}) is older than the ${window}window`, unread, staleOrder, failed && `newer results could not be checked: ${failed}`]);
  }
  if (failed) return answer(t, 'unknown', undefined, [`${failed}: could not be checked`]);
  // entries exist, but none is a result that can be placed in time: never missing
  const shown = t.empty ?? t.undated;
  if (shown) return answer(t, 'unknown', shown, [`result could not be interpreted: ${shown.problem ?? 'no usable date'}`]);
  // Decision: with no result and orders that could not be loaded, "missing" ("never done and not
  // ordered") cannot be asserted.
  if (input.orderFailure) return answer(t, 'unknown', undefined, [`no result found, but ${describeFailures([input.orderFailure])}: whether it was ordered could not be checked`]);
  return answer(t, 'missing', undefined, [staleOrder]);
}
