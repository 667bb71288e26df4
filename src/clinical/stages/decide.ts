/**
 * Stage 4, decide status: the six statuses of section 5 for every item (status.ts), with the reason
 * a derivable value was not derived, and the replacement of an item by a result the article
 * accepts in its place (one result fills one item).
 */
import { byNewest, isValid, type Candidate } from '../candidate';
import type { CatalogItem } from '../catalog';
import { addMonths, parseFhirDate } from '../dates';
import { adjustedNotDerived, egfrNotDerived } from '../derived';
import { formatDate } from '../display';
import type { ItemResult } from '../model';
import { computeStatus, type StatusInput } from '../status';
import { failuresOf, type Env } from './env';
import type { Substitution } from './derive';
import type { Interpreted } from './interpret';

export function windowStart(item: CatalogItem, nowDay: number): number | null {
  return item.windowMonths === null ? null : addMonths(nowDay, -item.windowMonths);
}

function statusOf(item: CatalogItem, env: Env, it: Interpreted): ItemResult {
  let res: ReturnType<typeof computeStatus>;
  try {
    const st: StatusInput = {
      item,
      candidates: it.candidates.get(item.id) ?? [],
      pending: it.pendingByItem.get(item.id) ?? [],
      failures: failuresOf(env, item.resultTypes),
      windowStart: windowStart(item, env.nowDay),
    };
    const orderFailure = failuresOf(env, ['ServiceRequest'])[0];
    if (orderFailure) st.orderFailure = orderFailure;
    res = computeStatus(st);
  } catch {
    res = { status: 'unknown', reason: 'this item could not be evaluated from the record', history: [] };
  }
  return { id: item.id, label: item.label, group: item.group, tier: item.tier, applies: item.tier === 'core', ...res };
}

export function decide(env: Env, it: Interpreted, subs: readonly Substitution[]): Map<string, ItemResult> {
  const results = new Map<string, ItemResult>();
  for (const item of env.rules.items) results.set(item.id, statusOf(item, env, it));
  explainNotDerived(env, it, results);
  for (const s of subs) replace(env, results, s);
  return results;
}

const newestValid = (list: readonly Candidate[] | undefined): Candidate | undefined => (list ?? []).filter(isValid).sort(byNewest)[0];

/**
 * The replaced item (the 24-hour urine calcium) says what replaced it and is not counted; the
 * result stays on its own item (the spot ratio), counted once there. A newer result of the
 * replaced item itself still decides it.
 */
function replace(env: Env, results: Map<string, ItemResult>, s: Substitution): void {
  const sub = newestValid(s.candidates);
  const target = results.get(s.to);
  const from = env.rules.itemById.get(s.from);
  if (!sub || !target || !from) return;
  const own = target.latest ? parseFhirDate(target.latest.date) : undefined;
  if (own !== undefined && own >= sub.time) return;
  target.applies = false;
  target.replacedBy = { id: s.from, label: from.label, date: sub.date };
  target.reason = `replaced by the ${from.label.toLowerCase()} of ${formatDate(sub.date)} (${s.words})`;
}

/**
 * Adjusted calcium / eGFR that are missing although their inputs exist: the reason says why (no
 * albumin within 24 h; sex not recorded; a child without a recent height).
 */
function explainNotDerived(env: Env, it: Interpreted, results: Map<string, ItemResult>): void {
  const recent = (t: number) => windowStart(env.rules.itemById.get('creatinine')!, env.nowDay)! <= t;
  const adj = results.get('adjusted-calcium');
  const ca = newestValidValue(it.candidates.get('calcium'));
  if (adj && adj.status === 'missing' && ca && recent(ca.time)) adj.reason = adjustedNotDerived(env.ctx, ca.time);
  const egfr = results.get('egfr');
  const cr = newestValidValue(it.candidates.get('creatinine'));
  if (egfr && egfr.status === 'missing' && cr && recent(cr.time)) {
    const why = egfrNotDerived(env.ctx, cr.time, it.heights);
    if (why) egfr.reason = why;
  }
}

const newestValidValue = (list: readonly Candidate[] | undefined): Candidate | undefined =>
  (list ?? []).filter((x) => x.valueOk && Number.isFinite(x.time)).sort(byNewest)[0];
