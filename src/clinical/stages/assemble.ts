/**
 * Stage 6, assemble: which items are counted and how (the summary), which failures affect which
 * items, and the output object (the panel model; ../shared/contracts/evaluation.schema.json).
 */
import { evalExpr } from '../expr';
import type { RuleState } from '../facts';
import type { CompiledRules } from '../rules/compile';
import type { Expr } from '../rules/types';
import type { Diagnostics, Evaluation, EvaluationContext, Finding, ItemResult, LoadFailure, RiskFactor, Summary } from '../model';
import { isoDay } from '../dates';
import { searchedWords } from '../coverage';
import { buildTodo } from '../todo';
import { scopeOf } from './apply';
import type { Env } from './env';

const GAP_STATUSES = new Set(['missing', 'outdated']);
const ABNORMAL_FLAGS = new Set(['high', 'low', 'abnormal']);

/**
 * Items that apply but whose missing or outdated result is not a gap (the item's `gap` rule). One
 * that could not be checked and has no result is not counted either: a failed load never adds an
 * item to the summary that a complete load would leave out.
 */
export function markGaps(s: RuleState, results: Map<string, ItemResult>): void {
  for (const item of s.rules.items) {
    const ir = results.get(item.id)!;
    const gapLike = GAP_STATUSES.has(ir.status) || (ir.status === 'unknown' && !ir.latest);
    if (item.gap === undefined || !ir.applies || !gapLike) continue;
    const isGap = item.gap === false ? false : evalExpr(item.gap, scopeOf(s));
    if (isGap === false) ir.notAGap = item.gapNote ?? 'not counted as a gap';
  }
}

export function summarise(items: readonly ItemResult[]): Summary {
  const summary: Summary = { missing: 0, outdated: 0, pending: 0, abnormal: 0, unknown: 0, normal: 0, total: 0, outdatedAbnormal: 0 };
  for (const ir of items) {
    if (!ir.applies || ir.replacedBy || ir.notAGap) continue;
    summary[ir.status] += 1;
    summary.total += 1;
    if (ir.status === 'outdated' && ABNORMAL_FLAGS.has(ir.latest?.flag ?? '')) summary.outdatedAbnormal += 1;
  }
  return summary;
}

/** Resource types an expression reads (a failed one can make it unknown). */
function typesRead(e: Expr | undefined, rules: CompiledRules, out: Set<string>): Set<string> {
  if (!e) return out;
  if ('any' in e) e.any.forEach((x) => typesRead(x, rules, out));
  else if ('all' in e) e.all.forEach((x) => typesRead(x, rules, out));
  else if ('not' in e) typesRead(e.not, rules, out);
  else if ('condition' in e) out.add('Condition');
  else if ('pregnant' in e) ['Condition', 'Observation'].forEach((t) => out.add(t));
  else if ('medicine' in e) ['MedicationRequest', 'MedicationStatement'].forEach((t) => out.add(t));
  else if ('item' in e) rules.itemById.get(e.item)?.resultTypes.forEach((t) => out.add(t));
  return out;
}

/** Each failure with the items that read `unknown` because of it. */
function failuresWithEffects(env: Env, items: readonly ItemResult[]): LoadFailure[] {
  return env.failures.map((f) => {
    const affects = items
      .filter((ir) => ir.status === 'unknown' && ir.applies)
      .filter((ir) => {
        const item = env.rules.itemById.get(ir.id)!;
        return item.resultTypes.includes(f.resourceType) || (ir.applicability === 'unknown' && typesRead(item.applies, env.rules, new Set()).has(f.resourceType));
      })
      .map((ir) => ir.id);
    return { ...f, affects };
  });
}

export interface Assembled {
  items: ItemResult[];
  findings: Finding[];
  riskFactors: RiskFactor[];
  diagnostics: Diagnostics;
  context?: EvaluationContext;
}

/**
 * A lab item found missing in a record fetched by code: the reason says which codes were searched,
 * so that `missing` is not read as certain (a result sent under another code was never fetched).
 */
function qualifyMissing(env: Env, items: readonly ItemResult[]): void {
  if (env.coverage.gathered !== 'code-search') return;
  const searched = searchedWords(env.coverage);
  for (const ir of items) {
    if (ir.status !== 'missing' || ir.reason || !env.rules.itemById.get(ir.id)?.resultTypes.includes('Observation')) continue;
    ir.reason = `none found among results coded in ${searched}; a result sent under another code is not searched for`;
  }
}

export function assemble(env: Env, a: Assembled): Evaluation {
  qualifyMissing(env, a.items);
  const p = env.patient;
  const evaluation: Evaluation = {
    patient: {
      id: typeof p.id === 'string' ? p.id : '',
      birthDate: env.birthRaw ?? null,
      ageYears: env.ageYears,
      sex: typeof p.gender === 'string' ? p.gender : null,
    },
    evaluatedAt: isoDay(env.nowDay),
    items: a.items,
    findings: a.findings,
    riskFactors: a.riskFactors,
    summary: summarise(a.items),
    todo: buildTodo(a.items, env.rules),
    diagnostics: a.diagnostics,
    coverage: env.coverage,
  };
  if (env.failures.length > 0) evaluation.failures = failuresWithEffects(env, a.items);
  if (a.context) evaluation.context = a.context;
  return evaluation;
}

