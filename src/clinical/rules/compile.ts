/**
 * Turns a rule set (plain data) into what the evaluator looks things up in: code indexes, compiled
 * text patterns, windows in months; and checks one: a reference to an item, an analyte, a finding
 * or a risk factor that does not exist, or a code listed twice, is a RuleError naming what is
 * wrong.
 */
import type { AnalyteDef, AuxCodeDef, ConditionDef, Expr, FindingDef, ItemDef, MedicationDef, QualRole, RuleSet, TextRuleDef } from './types';

export class RuleError extends Error {
  override readonly name = 'RuleError';
}

export interface TextRule {
  all: RegExp[];
  not?: RegExp;
  analyte?: string;
  role?: QualRole;
}

/** An item as the evaluator uses it: its definition plus compiled patterns and window. */
export interface CatalogItem extends ItemDef {
  windowMonths: number | null;
  textRules: TextRule[];
}

export interface CodeTarget {
  item: CatalogItem;
  analyte?: string;
  role?: QualRole;
}

export interface CompiledRules {
  source: RuleSet;
  items: readonly CatalogItem[];
  itemById: ReadonlyMap<string, CatalogItem>;
  /** `alias|code` (alias: loinc, snomed, or the system URL) → item. */
  codes: ReadonlyMap<string, CodeTarget>;
  aux: ReadonlyMap<string, AuxCodeDef['analyte']>;
  /** `alias|code` of a panel → the items it covers. */
  panels: ReadonlyMap<string, readonly string[]>;
  analytes: Readonly<Record<string, AnalyteDef>>;
  findings: readonly FindingDef[];
  conditions: readonly ConditionDef[];
  medicines: readonly MedicationDef[];
  conditionPatterns: ReadonlyMap<string, RegExp>;
  medicinePatterns: ReadonlyMap<string, RegExp>;
}

const rx = (source: string): RegExp => {
  try {
    return new RegExp(source, 'i');
  } catch {
    throw new RuleError(`text pattern /${source}/ is not a valid regular expression`);
  }
};

function compileText(rule: TextRuleDef): TextRule {
  const t: TextRule = { all: rule.all.map(rx) };
  if (rule.not !== undefined) t.not = rx(rule.not);
  if (rule.analyte !== undefined) t.analyte = rule.analyte;
  if (rule.role !== undefined) t.role = rule.role;
  return t;
}

function compileItem(def: ItemDef, set: RuleSet): CatalogItem {
  if (!(def.window in set.windows)) throw new RuleError(`item ${def.id}: unknown window "${def.window}"`);
  return { ...def, windowMonths: set.windows[def.window], textRules: (def.text ?? []).map(compileText) };
}

function indexCodes(items: readonly CatalogItem[]): Map<string, CodeTarget> {
  const m = new Map<string, CodeTarget>();
  for (const item of items) {
    for (const c of item.codes) {
      const key = `${c.system}|${c.code}`;
      if (m.has(key)) throw new RuleError(`code ${key} is listed twice (items ${m.get(key)!.item.id} and ${item.id})`);
      const t: CodeTarget = { item };
      const analyte = c.analyte ?? item.analyte;
      if (analyte !== undefined) t.analyte = analyte;
      if (c.role !== undefined) t.role = c.role;
      m.set(key, t);
    }
  }
  return m;
}

/** Every id an expression names, by kind. */
export function exprRefs(e: Expr, out: { items: string[]; findings: string[]; riskFactors: string[]; facts: string[] }): typeof out {
  if ('any' in e) e.any.forEach((x) => exprRefs(x, out));
  else if ('all' in e) e.all.forEach((x) => exprRefs(x, out));
  else if ('not' in e) exprRefs(e.not, out);
  else if ('item' in e) out.items.push(e.item);
  else if ('finding' in e) out.findings.push(e.finding);
  else if ('condition' in e) out.riskFactors.push(e.condition);
  else if ('medicine' in e) out.riskFactors.push(e.medicine);
  else if ('fact' in e) out.facts.push(e.fact);
  return out;
}

function checkRefs(set: RuleSet, facts: ReadonlySet<string>): void {
  const items = new Set(set.items.map((i) => i.id));
  const findings = new Set(set.findings.map((f) => f.id));
  const riskFactors = new Set([...set.conditions.map((c) => c.id), ...set.medicines.map((m) => m.id)]);
  const check = (where: string, e: Expr | undefined): void => {
    if (!e) return;
    const r = exprRefs(e, { items: [], findings: [], riskFactors: [], facts: [] });
    for (const id of r.items) if (!items.has(id)) throw new RuleError(`${where}: unknown item "${id}"`);
    for (const id of r.findings) if (!findings.has(id)) throw new RuleError(`${where}: unknown finding "${id}"`);
    for (const id of r.riskFactors) if (!riskFactors.has(id)) throw new RuleError(`${where}: unknown risk factor "${id}"`);
    for (const id of r.facts) if (!facts.has(id)) throw new RuleError(`${where}: unknown fact "${id}"`);
  };
  for (const item of set.items) {
    for (const a of [item.analyte, ...item.codes.map((c) => c.analyte), ...(item.text ?? []).map((t) => t.analyte)]) {
      if (a !== undefined && !(a in set.analytes)) throw new RuleError(`item ${item.id}: unknown analyte "${a}"`);
    }
    if (item.kind === 'numeric' && item.analyte === undefined) throw new RuleError(`item ${item.id}: a numeric item needs an analyte`);
    if (item.standsFor && !items.has(item.standsFor.item)) throw new RuleError(`item ${item.id}: stands for unknown item "${item.standsFor.item}"`);
    check(`item ${item.id} (applies)`, item.applies);
    if (item.gap) check(`item ${item.id} (gap)`, item.gap);
  }
  for (const [id, a] of Object.entries(set.analytes)) for (const row of a.ranges ?? []) check(`analyte ${id} (range)`, row.when);
  for (const p of set.panels) for (const id of p.items) if (!items.has(id)) throw new RuleError(`panel ${p.system}|${p.code}: unknown item "${id}"`);
  for (const f of set.findings) {
    check(`finding ${f.id}`, f.when);
    f.text.forEach((t) => check(`finding ${f.id} (text)`, t.when));
    for (const e of f.evidence) {
      const id = typeof e === 'string' ? e : 'item' in e ? e.item : undefined;
      if (id !== undefined && !items.has(id)) throw new RuleError(`finding ${f.id}: unknown evidence item "${id}"`);
      if (typeof e === 'object' && 'item' in e) check(`finding ${f.id} (evidence)`, e.when);
      if (typeof e === 'object' && 'fact' in e) check(`finding ${f.id} (evidence)`, e);
    }
  }
}

/**
 * Checks a rule set: every item, analyte, finding, risk factor and fact it names exists, no item id
 * is used twice. The built-in rules are checked by their tests (so the browser does not repeat it
 * at every load); a rule set from elsewhere is checked before it is used (compileRules, `check`).
 */
export function checkRules(set: RuleSet, facts: ReadonlySet<string>): void {
  const ids = new Set<string>();
  for (const i of set.items) {
    if (ids.has(i.id)) throw new RuleError(`item id "${i.id}" is used twice`);
    ids.add(i.id);
  }
  checkRefs(set, facts);
}

/** Compiles a rule set (check one from elsewhere first: checkRules). */
export function compileRules(set: RuleSet): CompiledRules {
  const items = set.items.map((d) => compileItem(d, set));
  return {
    source: set,
    items,
    itemById: new Map(items.map((i) => [i.id, i])),
    codes: indexCodes(items),
    aux: new Map(set.aux.map((a) => [`${a.system}|${a.code}`, a.analyte])),
    panels: new Map(set.panels.map((p) => [`${p.system}|${p.code}`, p.items])),
    analytes: set.analytes,
    findings: set.findings,
    conditions: set.conditions,
    medicines: set.medicines,
    conditionPatterns: new Map(set.conditions.filter((c) => c.pattern).map((c) => [c.id, rx(c.pattern!)])),
    medicinePatterns: new Map(set.medicines.map((m) => [m.id, rx(m.names)])),
  };
}
