/**
 * The built-in rules, compiled once (rules/compile.ts), and the lookups the evaluator's modules
 * share: items in catalog order, items by id, the code index, auxiliary and panel codes.
 */
import { compileRules, type CatalogItem, type CodeTarget, type CompiledRules } from './rules/compile';
import { RULES } from './rules/index';
import { WINDOWS } from './rules/items';
import { SYSTEM_ALIASES } from './vocabulary';

export type { CatalogItem, CodeTarget, CompiledRules };
export type { QualRole } from './rules/types';
import type { AuxCodeDef } from './rules/types';
/** An analyte id (a key of the rule set's `analytes`). */
export type Analyte = string;

/** Checked by test/unit/clinical/rules.test.ts, so not again at every load. */
export const DEFAULT_RULES: CompiledRules = compileRules(RULES);

/** Section 1, in catalog order. */
export const CATALOG: readonly CatalogItem[] = DEFAULT_RULES.items;
export const ITEM_BY_ID: ReadonlyMap<string, CatalogItem> = DEFAULT_RULES.itemById;
/** `alias|code` (loinc, snomed) → item. */
export const CODE_MAP: ReadonlyMap<string, CodeTarget> = DEFAULT_RULES.codes;
/** Auxiliary measurements (section 3), `alias|code` → height or weight. */
export const AUX_CODES: Readonly<Record<string, AuxCodeDef['analyte']>> = Object.fromEntries(DEFAULT_RULES.aux);
/** Panel codes (section 1c), `alias|code` → the items each covers. */
export const PANEL_ORDERS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(DEFAULT_RULES.panels);
export const WINDOW = WINDOWS;
export { SYSTEM_ALIASES };
