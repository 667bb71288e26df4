/**
 * evaluate(): one patient's FHIR resources in, the workup panel model out, as a pipeline of named
 * stages (src/clinical/stages), each a pure function with its own tests:
 *
 *   read → interpret → derive → decide status → apply rules → assemble
 *
 * The rules (what to look for, how to judge it, what it means) are data in rules/; the stages only
 * interpret them. Never throws on hostile input: each resource is read in its own guard (a resource
 * that cannot be read is skipped and counted in `diagnostics`) and each item is decided in its own
 * guard (an item that cannot be evaluated is `unknown`, never `normal` or `missing`).
 */
import { DEFAULT_RULES } from './catalog';
import type { RuleState } from './facts';
import type { Evaluation, EvaluationInput } from './model';
import { findPregnancy, type Pregnancy } from './pregnancy';
import { findRiskFactors } from './riskfactors';
import { applyApplicability, makeFindings } from './stages/apply';
import { assemble, markGaps } from './stages/assemble';
import { decide, windowStart } from './stages/decide';
import { derive } from './stages/derive';
import { makeEnv, type Env } from './stages/env';
import { interpret, type Interpreted } from './stages/interpret';
import { readRecord } from './stages/read';
import { withSiteCodes } from './sitecodes';
import type { ItemResult } from './model';
import type { RiskFactorResult } from './riskfactors';

export { resolveNow } from './stages/env';

function ruleState(env: Env, it: Interpreted, results: Map<string, ItemResult>, rf: RiskFactorResult, pregnancy: Pregnancy | undefined): RuleState {
  const s: RuleState = {
    rules: env.rules,
    ageYears: env.ageYears,
    nowDay: env.nowDay,
    failures: env.failures,
    results,
    candidates: it.candidates,
    readings: it.byItem,
    windowStart: (id) => windowStart(env.rules.itemById.get(id)!, env.nowDay),
    riskFactors: rf,
    findingIds: new Set(),
  };
  if (pregnancy) s.pregnancy = pregnancy.record;
  return s;
}

export function evaluate(input: EvaluationInput): Evaluation {
  const safe = (input && typeof input === 'object' ? input : {}) as Partial<EvaluationInput>;
  const env = makeEnv(safe, withSiteCodes(safe.rules ?? DEFAULT_RULES, safe.siteCodes));
  const record = readRecord(env, Array.isArray(safe.resources) ? safe.resources : []);
  // section 5: results dated while pregnancy is recorded have no built-in creatinine or eGFR threshold
  const pregnancy = findPregnancy(record.own, env.rules, env.nowDay);
  if (pregnancy) env.ctx.pregnantFrom = pregnancy.from;
  const it = interpret(env, record);
  const substitutions = derive(env, it);
  const results = decide(env, it, substitutions);
  const rf = findRiskFactors(record.own, record.meds, env.rules);
  const state = ruleState(env, it, results, rf, pregnancy);
  const findings = makeFindings(state);
  const withFindings = { ...state, findingIds: new Set(findings.map((f) => f.id)) };
  applyApplicability(withFindings, results);
  markGaps(withFindings, results);
  return assemble(env, {
    items: env.rules.items.map((i) => results.get(i.id)!),
    findings,
    riskFactors: rf.riskFactors,
    diagnostics: record.diagnostics,
    ...(pregnancy ? { context: { pregnancy: pregnancy.record } } : {}),
  });
}
