/**
 * Stage 5, apply rules: risk factors from the record (section 8), findings from the findings table
 * (section 7), and which conditional items apply (each item's `applies` expression).
 *
 * Applicability that cannot be decided (an expression that reads a resource type that could not be
 * loaded, or an item that could not be checked) is never hidden: the item is shown as applying,
 * and without a result in its window its status is `unknown`, with the reason.
 */
import { describe, evalExpr, type ExprNames, type ExprScope, type Truth } from '../expr';
import { FACTS, sourcesOf, type RuleState } from '../facts';
import type { Finding, ItemResult } from '../model';
import type { CompiledRules } from '../rules/compile';
import type { EvidenceRef, Expr, FindingDef } from '../rules/types';
import { describeFailures } from '../vocabulary';

const MEDICINE_TYPES = ['MedicationRequest', 'MedicationStatement'];

/** The three-valued answers of the record, each unknown answer with its reason. */
export function scopeOf(s: RuleState, unknown: string[] = []): ExprScope {
  const failed = (types: readonly string[]) => s.failures.filter((f) => types.includes(f.resourceType));
  const orUnknown = (known: boolean, types: readonly string[]): Truth => {
    if (known) return true;
    const f = failed(types);
    if (f.length === 0) return false;
    unknown.push(describeFailures(f));
    return undefined;
  };
  return {
    item(id, is) {
      const r = s.results.get(id);
      if (!r || r.status === 'unknown') {
        unknown.push(`${r?.label ?? id} could not be checked`);
        return undefined;
      }
      // a "done" read from free text only (or images without a report) never decides another item
      if (r.status === 'normal' && r.latest?.textOnly === 'done') {
        unknown.push(`${r.label}: the report is free text (read the report)`);
        return undefined;
      }
      if (r.status === 'normal') return is === 'normal';
      if (r.status !== 'abnormal') return false;
      return is === 'abnormal' || (is !== 'normal' && r.direction === is);
    },
    condition: (id) => orUnknown(s.riskFactors.any.has(id), ['Condition']),
    medicine: (id) => orUnknown(s.riskFactors.current.has(id), MEDICINE_TYPES),
    ageUnder(years) {
      if (s.ageYears !== null) return s.ageYears < years;
      unknown.push('the birth date is not known');
      return undefined;
    },
    pregnant: () => orUnknown(s.pregnancy !== undefined, ['Condition', 'Observation']),
    finding: (id) => s.findingIds.has(id),
    fact: (name) => FACTS[name]!.of(s).holds,
  };
}

/** The names an expression's words use. */
export function namesOf(rules: CompiledRules): ExprNames {
  const byId = <T extends { id: string; name: string }>(list: readonly T[], id: string) => list.find((x) => x.id === id)?.name ?? id;
  return {
    item: (id) => (rules.itemById.get(id)?.label ?? id).replace(/\s*\(.*\)$/, '').toLowerCase().replace(/^tsh$/, 'TSH').replace(/^egfr$/, 'eGFR'),
    numeric: (id) => rules.itemById.get(id)?.kind === 'numeric',
    condition: (id) => byId(rules.conditions, id),
    medicine: (id) => byId(rules.medicines, id),
    finding: (id) => byId(rules.findings, id),
    fact: (name) => FACTS[name]?.words ?? name,
    notFact: (name) => FACTS[name]?.notWords,
  };
}

// ------------------------------------------------------------------ findings

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(\w[\w.-]*)\}/g, (m, k: string) => vars[k] ?? m);
}

function factsOf(e: Expr | undefined, out: Set<string>): Set<string> {
  if (!e) return out;
  if ('any' in e) e.any.forEach((x) => factsOf(x, out));
  else if ('all' in e) e.all.forEach((x) => factsOf(x, out));
  else if ('not' in e) factsOf(e.not, out);
  else if ('fact' in e) out.add(e.fact);
  return out;
}

function evidenceOf(def: FindingDef, s: RuleState, scope: ExprScope): string[] {
  const refs: string[] = [];
  const add = (r: EvidenceRef) => {
    if (typeof r === 'string') refs.push(...sourcesOf(s.results.get(r)));
    else if ('item' in r) {
      if (evalExpr(r.when, scope) === true) refs.push(...sourcesOf(s.results.get(r.item)));
    } else if ('fact' in r) refs.push(...(FACTS[r.fact]!.of(s).evidence ?? []));
    else refs.push('Patient.birthDate');
  };
  def.evidence.forEach(add);
  return [...new Set(refs)];
}

/** A finding's words, its facts' values written in one unit system. */
function findingText(def: FindingDef, s: RuleState, scope: ExprScope): string {
  const vars: Record<string, string> = {};
  const names = factsOf(def.when, new Set());
  def.text.forEach((p) => factsOf(p.when, names));
  for (const n of names) Object.assign(vars, FACTS[n]!.of(s).vars);
  return def.text
    .filter((p) => !p.when || evalExpr(p.when, scope) === true)
    .map((p) => fill(p.text, vars))
    .join('');
}

function makeFinding(def: FindingDef, s: RuleState): Finding | undefined {
  const scope = scopeOf(s);
  if (evalExpr(def.when, scope) !== true) return undefined;
  const text = findingText(def, { ...s, units: 'si' }, scope);
  const finding: Finding = { id: def.id, text, evidence: evidenceOf(def, s, scope) };
  // the view and the note follow the user's unit choice without evaluating again
  const conventional = findingText(def, { ...s, units: 'conventional' }, scope);
  if (conventional !== text) finding.conventionalText = conventional;
  return finding;
}

/** The findings table, in order (a finding may name one made before it). */
export function makeFindings(s: RuleState): Finding[] {
  const made = new Set<string>();
  const out: Finding[] = [];
  for (const def of s.rules.findings) {
    const f = makeFinding(def, { ...s, findingIds: made });
    if (!f) continue;
    made.add(f.id);
    out.push(f);
  }
  return out;
}

// ------------------------------------------------------------------ applicability

/**
 * Whether each item applies. A conditional item whose own current result is abnormal applies too
 * (decision: a measured, out-of-range value is relevant to this patient whatever the trigger).
 */
export function applyApplicability(s: RuleState, results: Map<string, ItemResult>): void {
  const names = namesOf(s.rules);
  for (const item of s.rules.items) {
    const ir = results.get(item.id)!;
    if (!item.applies) continue;
    ir.condition = `when ${describe(item.applies, names)}`;
    const unknown: string[] = [];
    const t = evalExpr(item.applies, scopeOf(s, unknown));
    ir.applies = t === true || ir.status === 'abnormal';
    if (t !== undefined || ir.applies) continue;
    ir.applies = true;
    ir.applicability = 'unknown';
    const why = [...new Set(unknown)].join('; ');
    if (ir.status === 'missing' || ir.status === 'outdated') {
      ir.status = 'unknown';
      ir.reason = `whether it applies could not be checked (${why})${ir.reason ? `; ${ir.reason}` : ''}`;
      delete ir.direction;
    } else {
      ir.reason = `${ir.reason ? `${ir.reason}; ` : ''}whether it applies could not be checked (${why})`;
    }
  }
}
