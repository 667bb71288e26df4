/**
 * The built-in rule set: the catalog, analytes, findings and risk factors of the clinical reference
 * (../shared/clinical-reference.md), as plain data. `evaluate()` uses it unless its input names
 * another (a site's own, or a test's).
 */
import { ANALYTES } from './analytes';
import { FINDINGS } from './findings';
import { AUX, ITEMS, PANELS, WINDOWS } from './items';
import { CONDITIONS, MEDICINES, PREGNANCY } from './riskfactors';
import type { RuleSet } from './types';

export const RULES: RuleSet = {
  items: ITEMS,
  analytes: ANALYTES,
  windows: WINDOWS,
  panels: PANELS,
  aux: AUX,
  findings: FINDINGS,
  conditions: CONDITIONS,
  medicines: MEDICINES,
  pregnancy: PREGNANCY,
};
