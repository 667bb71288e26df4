/**
 * The clinical core's public entry point: evaluate() and the catalog, plus the model types.
 * Pure: no DOM, no network, nothing from other src folders.
 */
export { evaluate } from './evaluate';
export { CATALOG, ITEM_BY_ID } from './catalog';
export type { CatalogItem, Analyte } from './catalog';
export { CONDITION_DEFS, MEDICATION_DEFS } from './riskfactors';
export { DEFAULT_EGFR_EQUATION, EGFR_METHODS, isEgfrEquation } from './derived';
export { belongsTo, patientKeys, patientKeyOf, subjectReference } from './subject';
export { parseSiteCodes, siteCodeProblemText } from './sitecodes';
export type { SiteCode, SiteCodeMap, SiteCodeProblem, SiteCodeResult } from './sitecodes';
export * from './model';
