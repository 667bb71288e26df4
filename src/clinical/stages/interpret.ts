/**
 * Stage 2, interpret: each item's readings become candidates (a value in the canonical unit,
 * flagged against its range; or, for urinalysis, microscopy and culture, the parts of one day read
 * together). Results dated in the future are unusable; duplicates (section 4: the same code, time
 * and value) count once.
 *
 * Readings are sorted newest first and interpreted lazily, only as far as the panel needs them
 * (the newest valid result, HISTORY_LIMIT earlier ones, and anything newer than `minTime`): a
 * record with thousands of results per analyte is not flagged result by result.
 */
import { byNewest, isValid, newestFirst, type Candidate } from '../candidate';
import { nearestWithin3Months, perKgText, type Measure } from '../derived';
import { holdsAt } from '../facts';
import { flagNumeric } from '../ranges';
import { HISTORY_LIMIT } from '../status';
import { plausibility, round, toCanonical } from '../units';
import type { AuxReading, PendingMark, Reading } from '../values';
import type { Env } from './env';
import type { RecordRead } from './read';

/** Items whose results of one day are read together (a dipstick, a microscopy, a culture). */
const BY_DAY = new Set(['urinalysis', 'urine-microscopy', 'urine-culture']);

export const ROLE_WORDS: Record<string, string> = {
  nitrite: 'nitrite',
  'leukocyte-esterase': 'leukocyte esterase',
  'dipstick-blood': 'blood',
  'dipstick-protein': 'protein',
  culture: 'culture',
  'micro-wbc': 'white cells',
  'micro-rbc': 'red cells',
};

export interface Interpreted {
  byItem: Map<string, Reading[]>;
  pendingByItem: Map<string, PendingMark[]>;
  heights: Measure[];
  weights: Measure[];
  candidates: Map<string, Candidate[]>;
  /** The candidates of a numeric item, interpreted lazily (see above). */
  numeric(id: string, minTime?: number): Candidate[];
}

/** Newest first, then by reference and value: a total order, so input order never matters. */
export const readingOrder = newestFirst<Reading>((r) => `${r.ref}#${r.component ?? ''}|${r.num ?? ''}|${r.text ?? ''}|${r.unit ?? ''}`);

function duplicateKey(r: Reading): string {
  return `${r.itemId}|${r.analyte ?? ''}|${r.role ?? ''}|${r.time}|${r.num ?? ''}|${r.comparator ?? ''}|${r.unit ?? r.unitCode ?? ''}|${r.text ?? ''}|${r.status}`;
}

/** Readings per item, future dates made unusable, duplicates counted once (the smallest reference kept). */
export function groupReadings(readings: readonly Reading[], futureLimit: number): Map<string, Reading[]> {
  const byItem = new Map<string, Reading[]>();
  const seen = new Map<string, { r: Reading; index: number }>();
  for (const r of readings) {
    if (Number.isFinite(r.time) && r.time > futureLimit) {
      r.problem = `date ${r.date} is in the future`;
      r.time = NaN;
      if (r.qual) r.qual = 'uninterpretable';
    }
    const dup = duplicateKey(r);
    const prev = seen.get(dup);
    if (prev && Number.isFinite(r.time)) {
      if (readingOrder(r, prev.r) < 0) {
        byItem.get(r.itemId)![prev.index] = r;
        prev.r = r;
      }
      continue;
    }
    const list = byItem.get(r.itemId) ?? [];
    if (list.length === 0) byItem.set(r.itemId, list);
    seen.set(dup, { r, index: list.length });
    list.push(r);
  }
  return byItem;
}

function groupPending(pending: readonly PendingMark[]): Map<string, PendingMark[]> {
  const m = new Map<string, PendingMark[]>();
  for (const p of pending) {
    const list = m.get(p.itemId);
    if (list) list.push(p);
    else m.set(p.itemId, [p]);
  }
  return m;
}

function measures(aux: readonly AuxReading[], analyte: 'height' | 'weight', env: Env): Measure[] {
  const out: Measure[] = [];
  for (const a of aux) {
    if (a.analyte !== analyte || a.time > env.futureLimit) continue;
    const c = toCanonical(analyte, a.num, a.unitCode, a.unit, env.rules.analytes);
    if (!c.ok || plausibility(analyte, c.value, env.rules.analytes)) continue;
    out.push({ time: a.time, value: c.value, ref: a.ref });
  }
  return out;
}

export function interpret(env: Env, record: RecordRead): Interpreted {
  const byItem = groupReadings(record.collected.readings, env.futureLimit);
  const candidates = new Map<string, Candidate[]>();
  const weights = measures(record.collected.aux, 'weight', env);
  const numeric = (id: string, minTime = Infinity): Candidate[] => {
    const hit = candidates.get(id);
    if (hit) return hit;
    const list = lazyCandidates(byItem.get(id) ?? [], minTime, (r) => numericCandidate(r, env, weights));
    candidates.set(id, list);
    return list;
  };
  // a range row's condition (the urine magnesium row for renal wasting) reads other items' results
  env.ctx.holds = holdsAt({ numeric: (id) => numeric(id) });
  for (const item of env.rules.items) {
    if (candidates.has(item.id)) continue;
    const readings = byItem.get(item.id) ?? [];
    if (item.kind === 'numeric') numeric(item.id);
    else candidates.set(item.id, BY_DAY.has(item.id) ? dayCandidates(readings) : readings.map(qualCandidate));
  }
  return { byItem, pendingByItem: groupPending(record.collected.pending), heights: measures(record.collected.aux, 'height', env), weights, candidates, numeric };
}

function lazyCandidates(readings: readonly Reading[], minTime: number, make: (r: Reading) => Candidate): Candidate[] {
  const list: Candidate[] = [];
  let valid = 0;
  for (const r of [...readings].sort(readingOrder)) {
    if (valid > HISTORY_LIMIT && !(r.time >= minTime)) break;
    const cand = make(r);
    list.push(cand);
    if (isValid(cand)) valid += 1;
  }
  return list;
}

// ------------------------------------------------------------------ numeric

function numericCandidate(r: Reading, env: Env, weights: readonly Measure[]): Candidate {
  const weight = r.analyte === 'u-calcium-24h' ? nearestWithin3Months(weights, r.time) : undefined;
  const f = Number.isFinite(r.time)
    ? flagNumeric(r, env.ctx, weight?.value)
    : { flag: 'uninterpretable' as const, problem: r.problem ?? (r.date ? `date "${r.date}" is not valid` : 'no date') };
  const cand: Candidate = { time: r.time, date: r.date, day: r.day, refs: [r.ref], flag: f.flag, key: `${r.ref}#${r.component ?? ''}` };
  if (r.analyte) cand.analyte = r.analyte;
  if ('canonical' in f && f.canonical !== undefined && Number.isFinite(f.canonical)) {
    cand.canonical = round(f.canonical);
    if (f.unit !== undefined) cand.unit = f.unit;
  }
  reportedParts(cand, r);
  if (f.flag === 'high' || f.flag === 'low') cand.direction = f.flag;
  if ('range' in f && f.range) cand.range = f.range;
  if (f.problem) cand.problem = f.problem;
  if (cand.canonical !== undefined && (f.flag !== 'uninterpretable' || ('noRange' in f && f.noRange))) cand.valueOk = true;
  if (weight && cand.canonical !== undefined && cand.unit) cand.text = perKgText(cand.canonical, cand.unit, weight);
  if ('unitAssumed' in f && f.unitAssumed) cand.text = `no unit reported: read as ${f.unit} (the only scale in use for this test)`;
  return cand;
}

/** The value and unit as reported, the comparator, the result status and how it was matched. */
function reportedParts(cand: Candidate, r: Reading): void {
  if (r.num !== undefined) cand.reportedValue = r.num;
  else if (r.text !== undefined) cand.reportedValue = r.text;
  const ru = r.unit ?? r.unitCode;
  if (ru !== undefined) cand.reportedUnit = ru;
  if (r.comparator) cand.comparator = r.comparator;
  if (r.status && r.status !== 'final') cand.resultStatus = r.status;
  if (r.matchedByText) cand.matchedByText = true;
  if (r.noResult) cand.noResult = true;
}

// ------------------------------------------------------------------ qualitative

function qualFlag(r: Reading): Candidate['flag'] {
  if (!Number.isFinite(r.time)) return 'uninterpretable';
  if (r.problem) return r.qual === 'abnormal' ? 'abnormal' : 'uninterpretable';
  return r.qual ?? 'uninterpretable';
}

export function qualCandidate(r: Reading): Candidate {
  const cand: Candidate = { time: r.time, date: r.date, day: r.day, refs: [r.ref], flag: qualFlag(r), key: `${r.ref}#${r.component ?? ''}` };
  if (r.text) cand.text = r.text;
  if (r.problem) cand.problem = r.problem;
  else if (!Number.isFinite(r.time)) cand.problem = r.date ? `date "${r.date}" is not valid` : 'no date';
  if (r.status && r.status !== 'final' && r.status !== 'completed' && r.status !== 'available') cand.resultStatus = r.status;
  if (r.matchedByText) cand.matchedByText = true;
  if (r.noResult) cand.noResult = true;
  if (r.textOnly) cand.textOnly = r.textOnly;
  return cand;
}

const partWords = (r: Reading): string => (r.role && ROLE_WORDS[r.role] ? `${ROLE_WORDS[r.role]}: ` : '');

/** A day with no abnormal part: "done", its one result, and any "trace" part named as equivocal. */
function doneText(ok: readonly Reading[]): string {
  const texts = ok.map((r) => r.text).filter((t): t is string => !!t);
  const base = ok.length === 1 && texts[0] ? texts[0] : `done (${ok.length} result${ok.length > 1 ? 's' : ''})`;
  const trace = ok.filter((r) => r.equivocal).map((r) => `${partWords(r)}${r.text ?? 'trace'} (equivocal)`);
  if (trace.length === 0) return base;
  return ok.length === 1 ? trace[0]! : `${base}; ${trace.join('; ')}`;
}

/** One candidate per day for urinalysis, microscopy and culture: abnormal if any part is abnormal. */
export function dayCandidates(readings: readonly Reading[]): Candidate[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const k = Number.isFinite(r.time) ? r.day : `nodate|${r.ref}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map(dayCandidate);
}

function dayCandidate(g: readonly Reading[]): Candidate {
  const parts = g.map((r) => ({ r, c: qualCandidate(r) })).sort((a, b) => byNewest(a.c, b.c));
  const abn = parts.filter((p) => p.c.flag === 'abnormal');
  const ok = parts.filter((p) => p.c.flag === 'normal');
  const head = parts[0]!.c;
  const cand: Candidate = {
    time: head.time,
    date: head.date,
    day: head.day,
    refs: [...new Set(parts.map((p) => p.r.ref))].sort(),
    flag: abn.length > 0 ? 'abnormal' : ok.length > 0 ? 'normal' : 'uninterpretable',
    key: parts.map((p) => p.c.key).sort().join(','),
  };
  if (abn.length > 0) {
    // a role without a word (bacteria, crystals, casts share one role) shows the result alone
    cand.text = abn.map((p) => `${partWords(p.r)}${p.r.text ?? 'abnormal'}`).join('; ');
  } else if (ok.length > 0) {
    cand.text = doneText(ok.map((p) => p.r));
  } else {
    cand.problem = parts[0]!.c.problem ?? 'could not be interpreted';
  }
  if (parts.some((p) => p.c.resultStatus === 'preliminary')) cand.resultStatus = 'preliminary';
  if (parts.every((p) => p.c.noResult)) cand.noResult = true;
  if (parts.every((p) => p.c.matchedByText)) cand.matchedByText = true;
  return cand;
}
