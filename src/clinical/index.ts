/**
 * The clinical core's public entry point: evaluate() and the catalog, plus the model types.
 * Pure: no DOM, no network, nothing from other src folders.
 */
export { evaluate } from './evaluate';
export { CATALOG, ITEM_BY_ID } from './catalog';
export type { CatalogItem, Analyte } from './catalog';
export { CONDITION_DEFS, MEDICATION_DEFS } from './riskfactors';
export { namesPlainly } from './report-text';
export { DEFAULT_EGFR_EQUATION, EGFR_METHODS, isEgfrEquation } from './derived';
export { belongsTo, patientKeys, patientKeyOf, subjectReference } from './subject';
// The site map's checking (sitecodes-check.ts) is imported where a map enters, not from here: the
// app page and the worker, which load this module, do not carry it.
export type { SiteCode, SiteCodeMap } from './sitecodes';
export * from './model';
