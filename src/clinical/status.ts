/**
 * The six statuses of section 5 for one item, from its interpreted candidates, its pending marks
 * and the load failures that concern it.
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

const pendingOrder = newestFirst<PendingMark>((p) => `${p.ref}|${p.date}`);

export type StatusResult = Pick<ItemResult, 'status' | 'direction' | 'reason' | 'latest' | 'range' | 'history' | 'pending'>;

function flagWords(c: Candidate): string {
  if (c.flag === 'high') return 'above the range';
  if (c.flag === 'low') return 'below the range';
  if (c.flag === 'abnormal') return 'abnormal';
  return 'within the range';
}

function windowWords(item: CatalogItem): string {
  return item.windowMonths === null ? '' : `${item.windowMonths}-month`;
}

export function computeStatus(input: StatusInput): StatusResult {
  const { item, failures, orderFailure, windowStart } = input;
  const sorted = [...input.candidates].sort(byNewest);
  let valid = sorted.filter(isValid);
  // Decision: two valid results at the very same time that disagree (a repeat on the same sample,
  // a correction sent as a new resource) are not reconciled silently: the worse one (out of range)
  // is shown, and the reason says that another result at that time differs.
  let conflict: Candidate | undefined;
  if (valid.length > 1 && valid[1]!.time === valid[0]!.time) {
    const same = valid.filter((c) => c.time === valid[0]!.time);
    // the worse (out of range) first; between equals, a final result over a preliminary one
    const fin = (c: Candidate): boolean => c.resultStatus !== 'preliminary';
    const worst = same.find((c) => c.flag !== 'normal' && fin(c)) ?? same.find((c) => c.flag !== 'normal') ?? same.find(fin) ?? same[0]!;
    conflict = same.find(
      (c) => c !== worst && c.analyte === worst.analyte && !!c.derived === !!worst.derived && (c.flag !== worst.flag || c.canonical !== worst.canonical || c.text !== worst.text),
    );
    if (worst !== valid[0]) valid = [worst, ...valid.filter((c) => c !== worst)];
  }
  const latestValid = valid[0];
  // Results whose date cannot be used are never placed in time, but never dropped silently either.
  const undated = sorted.filter((c) => !Number.isFinite(c.time));
  const undatedNote = undated.length
    ? `${undated.length === 1 ? 'a result' : `${undated.length} results`} without a usable date not used (${[
        undated[0]!.reportedValue !== undefined ? `${undated[0]!.reportedValue}${undated[0]!.reportedUnit ? ' ' + undated[0]!.reportedUnit : ''}` : '',
        undated[0]!.problem ?? '',
      ]
        .filter(Boolean)
        .join(': ')})`
    : undefined;
  const conflictNote = conflict
    ? `another result at the same time differs (${conflict.canonical ?? conflict.text ?? conflict.reportedValue ?? '?'}${conflict.canonical !== undefined && conflict.unit ? ' ' + conflict.unit : ''})`
    : undefined;
  const inWindow = (c: Candidate): boolean => windowStart === null || c.time >= windowStart;
  const history = (latest: Candidate | undefined) =>
    valid
      .filter((c) => c !== latest && (!latest || c.time <= latest.time || !Number.isFinite(latest.time)))
      .slice(0, HISTORY_LIMIT)
      .map(toResultValue);

  const out = (status: Status, latest: Candidate | undefined, reason?: string): StatusResult => {
    const r: StatusResult = { status, history: history(latest) };
    if (latest) {
      r.latest = toResultValue(latest);
      if (latest.range) r.range = latest.range;
    }
    if (status === 'abnormal' && latest && (latest.direction || latest.flag === 'high' || latest.flag === 'low')) {
      r.direction = latest.direction ?? (latest.flag as 'high' | 'low');
    }
    const notes = [reason, latest && latest === latestValid ? conflictNote : undefined, latest && Number.isFinite(latest.time) ? undatedNote : undefined].filter(
      (x): x is string => !!x,
    );
    if (notes.length > 0) r.reason = notes.join('; ');
    return r;
  };

  // 1. newest valid result within the window: normal / abnormal
  if (latestValid && inWindow(latestValid)) {
    const notes: string[] = [];
    if (latestValid.resultStatus === 'preliminary') notes.push('preliminary result');
    const newerBad = sorted.slice(0, sorted.indexOf(latestValid)).find((c) => !isValid(c) && Number.isFinite(c.time));
    if (newerBad) notes.push(`a newer result (${formatDate(newerBad.date)}) could not be interpreted: ${newerBad.problem ?? 'unreadable'}`);
    // Decision (issue 3: a failure never turns into `normal`): when a resource type that could hold
    // this item's results failed to load, even in part (a page, one code group), a newer result may
    // be among what is missing. A normal result is then shown but not called normal: `unknown`. An
    // abnormal one stays abnormal (a real out-of-range value was seen), with the same warning.
    if (failures.length > 0) notes.push(`newer results could not be checked: ${describeFailures(failures)}`);
    if (latestValid.flag === 'normal') {
      if (failures.length > 0) return out('unknown', latestValid, `newest loaded result is in range, but ${notes.join('; ')}`);
      return out('normal', latestValid, notes.length ? notes.join('; ') : undefined);
    }
    // The range itself is the item's `range` (shown once, in the unit of the value): not repeated here.
    return out('abnormal', latestValid, [flagWords(latestValid), ...notes].join('; '));
  }

  // 2. pending: an order or a registered result newer than the newest valid result
  const pend = input.pending
    .filter((p) => !latestValid || !Number.isFinite(p.time) || p.time > latestValid.time)
    // (marks of one item with the same time, reference and date are identical: the content tie-break never decides)
    .sort(pendingOrder);
  const newest = sorted[0];
  const unreadableRecent = newest && !isValid(newest) && (!latestValid || (Number.isFinite(newest.time) && inWindow(newest)));
  if (pend.length > 0 && !unreadableRecent) {
    const p = pend[0]!;
    const kind = p.ref.startsWith('ServiceRequest/') ? 'ordered' : 'registered';
    const what = kind === 'ordered' ? 'ordered' : 'registered, not yet resulted';
    const dated = p.date && Number.isFinite(p.time);
    const when = dated ? ` on ${formatDate(p.date)}` : '';
    const r = out('pending', latestValid, `${what}${when}`);
    r.pending = dated ? { kind, date: p.date, source: p.ref } : { kind, source: p.ref };
    return r;
  }

  // 3. results exist but none (or not the newest) can be interpreted
  if (unreadableRecent && newest) {
    const why = newest.problem ?? 'could not be interpreted';
    return out('unknown', newest, `result could not be interpreted: ${why}`);
  }

  // 4. outdated
  if (latestValid) {
    const notes = [`newest result (${formatDate(latestValid.date)}) is older than the ${windowWords(item)} window`];
    if (failures.length > 0) notes.push(`newer results could not be checked: ${describeFailures(failures)}`);
    return out('outdated', latestValid, notes.join('; '));
  }

  // 5. nothing found
  if (failures.length > 0) return out('unknown', undefined, `${describeFailures(failures)}: could not be checked`);
  if (orderFailure) {
    // Decision: with no result and orders that could not be loaded, "missing" ("never done and
    // not ordered") cannot be asserted.
    return out('unknown', undefined, `no result found, but ${describeFailures([orderFailure])}: whether it was ordered could not be checked`);
  }
  return out('missing', undefined);
}
