/**
 * The rules' small expression language (rules/types.ts `Expr`): evaluated with three values, and
 * turned into the words the panel shows ("when potassium is low, or a loop diuretic is prescribed").
 *
 * Three values (Kleene logic): `true`, `false`, or `undefined` when the record cannot tell (the
 * resource type a condition reads could not be loaded; an item could not be checked). `any` is true
 * when one part is true, false when all are false, otherwise unknown; `all` the converse.
 */
import type { Expr } from './rules/types';

export type Truth = boolean | undefined;

/** What an expression asks of the record; each answer may be unknown. */
export interface ExprScope {
  item(id: string, is: 'high' | 'low' | 'abnormal' | 'normal'): Truth;
  condition(id: string): Truth;
  medicine(id: string): Truth;
  ageUnder(years: number): Truth;
  pregnant(): Truth;
  finding(id: string): Truth;
  fact(name: string): Truth;
}

function any(parts: readonly Expr[], scope: ExprScope): Truth {
  let unknown = false;
  for (const p of parts) {
    const t = evalExpr(p, scope);
    if (t === true) return true;
    if (t === undefined) unknown = true;
  }
  return unknown ? undefined : false;
}

function all(parts: readonly Expr[], scope: ExprScope): Truth {
  let unknown = false;
  for (const p of parts) {
    const t = evalExpr(p, scope);
    if (t === false) return false;
    if (t === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

export function evalExpr(e: Expr, scope: ExprScope): Truth {
  if ('any' in e) return any(e.any, scope);
  if ('all' in e) return all(e.all, scope);
  if ('not' in e) {
    const t = evalExpr(e.not, scope);
    return t === undefined ? undefined : !t;
  }
  if ('item' in e) return scope.item(e.item, e.is);
  if ('condition' in e) return scope.condition(e.condition);
  if ('medicine' in e) return scope.medicine(e.medicine);
  if ('ageUnder' in e) return scope.ageUnder(e.ageUnder);
  if ('pregnant' in e) return scope.pregnant();
  if ('finding' in e) return scope.finding(e.finding);
  return scope.fact(e.fact);
}

// ------------------------------------------------------------------ words

/** The names an expression's words use, from the rule set. */
export interface ExprNames {
  item(id: string): string;
  /** Whether an item's results are numbers (out of range) or reports (abnormal). */
  numeric(id: string): boolean;
  condition(id: string): string;
  medicine(id: string): string;
  finding(id: string): string;
  fact(name: string): string;
  /** A fact's negation in words, when it has one. */
  notFact?(name: string): string | undefined;
}

/** "a, b or c"; "a or b"; "a". */
function list(words: readonly string[], joiner: 'or' | 'and'): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} ${joiner} ${words[words.length - 1]}`;
}

const IS: Record<string, string> = { high: 'high', low: 'low', abnormal: 'out of range', normal: 'within its range' };
const IS_REPORT: Record<string, string> = { ...IS, abnormal: 'abnormal', normal: 'normal' };

/** One clause; conditions and medicines next to each other share their verb ("A or B is recorded"). */
function clauses(parts: readonly Expr[], names: ExprNames, joiner: 'or' | 'and'): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    const p = parts[i]!;
    const kind = 'condition' in p ? 'condition' : 'medicine' in p ? 'medicine' : undefined;
    if (!kind) {
      out.push(describe(p, names));
      i += 1;
      continue;
    }
    const run: string[] = [];
    while (i < parts.length && kind in parts[i]!) {
      const q = parts[i] as { condition?: string; medicine?: string };
      run.push(kind === 'condition' ? names.condition(q.condition!) : names.medicine(q.medicine!));
      i += 1;
    }
    out.push(`${list(run, joiner)} ${kind === 'condition' ? 'is recorded' : 'is prescribed'}`);
  }
  return out;
}

/** An expression in words, without the leading "when". */
export function describe(e: Expr, names: ExprNames): string {
  if ('any' in e) return list(clauses(e.any, names, 'or'), 'or');
  if ('all' in e) return list(clauses(e.all, names, 'and'), 'and');
  if ('not' in e) return ('fact' in e.not && names.notFact?.(e.not.fact)) || `not (${describe(e.not, names)})`;
  if ('item' in e) return `${names.item(e.item)} is ${(names.numeric(e.item) ? IS : IS_REPORT)[e.is]}`;
  if ('condition' in e) return `${names.condition(e.condition)} is recorded`;
  if ('medicine' in e) return `${names.medicine(e.medicine)} is prescribed`;
  if ('ageUnder' in e) return `the patient is under ${e.ageUnder}`;
  if ('pregnant' in e) return 'pregnancy is recorded';
  if ('finding' in e) return `${names.finding(e.finding)} is found`;
  return names.fact(e.fact);
}
