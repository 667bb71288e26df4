/**
 * The project's scenario patients: FHIR R4 collection Bundles written for this project (one Patient
 * each, with their results, orders, conditions and medicines), and what a clinician expects the
 * workup panel to say about each of them.
 *
 * This file is the single source of expectations shared by the engine scenario tests
 * (test/scenarios/scenarios.test.ts), the headless evaluator tests (test/cli/) and the browser e2e
 * tests (which load the same bundles with `fs`, through the sandbox). The expectations were written
 * from ../shared/clinical-reference.md and the article, by hand, NOT copied from engine output.
 *
 * Dates: every bundle is dated relative to ONE reference date, SCENARIO_REFERENCE_DATE. Evaluate
 * with `now = SCENARIO_REFERENCE_DATE` (the sandbox shifts every date, birthDate included, by the
 * same offset to today, which keeps ages and recency identical).
 *
 * Items not listed under `expected.items` are deliberately not asserted (e.g. conditional imaging
 * whose applicability is a product decision). Values are canonical (reference section 2).
 */
import { fileURLToPath } from 'node:url';
import type { Direction, Status } from '../../src/clinical/model';

export const SCENARIO_REFERENCE_DATE = '2026-06-01';

/** Folder holding the bundles (absolute path), for tests that read them with `fs`. */
export const SCENARIO_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface ItemExpectation {
  status: Status;
  direction?: Direction;
  applies?: boolean;
  /** Expected canonical value of `latest.value` (compared within 1 %). */
  value?: number;
  /** Expected `latest.derived` (adjusted calcium, eGFR). */
  derived?: boolean;
  /**
   * Set when the engine is known to disagree with this (clinician's) expectation and the fix is not
   * in yet: what the engine does and why the expectation stands. Tests mark such items `it.fails`
   * (so they turn red once the engine is fixed, and the marker must then be removed); e2e tests
   * should skip them.
   */
  disagreement?: string;
}

export interface ScenarioExpectation {
  items: Record<string, ItemExpectation>;
  /** Finding ids (reference section 7) that must be present. */
  findings: string[];
  /** Finding ids that must NOT be present. */
  absentFindings?: string[];
  /** Summary counts that must hold exactly (over the items that apply). */
  summary?: Partial<Record<Status, number>>;
  /** Case-insensitive substrings, each of which must appear in some risk factor's text. */
  riskFactorText?: string[];
}

export interface Scenario {
  id: string;
  /** File name inside SCENARIO_DIR: a collection Bundle, or a message Bundle (an NHS pathology message). */
  file: string;
  /**
   * The site's terminology map the patient's laboratory needs (path inside SCENARIO_DIR): the sandbox
   * serves it at /site-codes.json (for every patient, as a deployment would), and the engine is given
   * it wherever the scenario is evaluated.
   */
  siteCodes?: string;
  /**
   * The same record coded with LOINC (path inside SCENARIO_DIR, not served by the sandbox): its
   * panel must be this scenario's, item for item and finding for finding.
   */
  twin?: string;
  patientId: string;
  title: string;
  description: string;
  expected: ScenarioExpectation;
}

/** Core items of the catalog (reference section 1), for "every core item ..." expectations. */
export const CORE_ITEM_IDS = [
  'calcium', 'albumin', 'adjusted-calcium', 'phosphate', 'sodium', 'potassium', 'chloride', 'bicarbonate',
  'urea', 'creatinine', 'egfr', 'pth', 'tsh',
  'urinalysis', 'urine-microscopy', 'urine-culture', 'urine-calcium-24h', 'urine-oxalate-24h',
  'urine-citrate-24h', 'urine-protein', 'urine-magnesium',
  'renal-ultrasound',
] as const;

const all = (status: Status, ids: readonly string[] = CORE_ITEM_IDS): Record<string, ItemExpectation> =>
  Object.fromEntries(ids.map((id) => [id, { status, applies: true }]));

export const SCENARIOS: Scenario[] = [
  {
    id: 'primary-hyperparathyroidism',
    file: 'primary-hyperparathyroidism.json',
    patientId: 'scn-hyperpara',
    title: 'Primary hyperparathyroidism (adult woman, UK SI units)',
    description:
      'Woman of 58 with medullary nephrocalcinosis on ultrasound: adjusted calcium 2.82 mmol/L with PTH 14.2 pmol/L ' +
      '(not suppressed), low phosphate, 24-hour urine calcium 9.1 mmol/24 h. eGFR not reported (derived).',
    expected: {
      items: {
        // 2.78 mmol/L > 2.6 (section 6).
        calcium: { status: 'abnormal', direction: 'high', value: 2.78 },
        albumin: { status: 'normal', value: 38 },
        // Payne: 2.78 + 0.02 x (40 - 38) = 2.82 mmol/L, same-day albumin (section 3).
        'adjusted-calcium': { status: 'abnormal', direction: 'high', value: 2.82, derived: true },
        phosphate: { status: 'abnormal', direction: 'low', value: 0.68 },
        sodium: { status: 'normal' },
        potassium: { status: 'normal' },
        chloride: { status: 'normal' },
        bicarbonate: { status: 'normal' },
        urea: { status: 'normal' },
        creatinine: { status: 'normal', value: 68 },
        // CKD-EPI 2009 without the ethnicity coefficient (the default site setting, section 3), woman, 58 y,
        // creatinine 68 umol/L (0.769 mg/dL): 141 x (0.769/0.7)^-1.209 x 0.993^58 x 1.018 = 85.2 mL/min/1.73 m2
        // (CKD-EPI 2021, the US setting, would give 89.5).
        egfr: { status: 'normal', value: 85.2, derived: true },
        pth: { status: 'abnormal', direction: 'high', value: 14.2 },
        tsh: { status: 'normal' },
        // Conditional: applies because calcium is high (section 1); 54 nmol/L within the lab's 50-150.
        'vitamin-d': { status: 'normal', applies: true, value: 54 },
        urinalysis: { status: 'normal' },
        'urine-microscopy': { status: 'normal' },
        'urine-culture': { status: 'normal' },
        'urine-calcium-24h': { status: 'abnormal', direction: 'high', value: 9.1 },
        'urine-oxalate-24h': { status: 'normal' },
        'urine-citrate-24h': { status: 'normal' },
        'urine-protein': { status: 'normal' },
        'urine-magnesium': { status: 'normal' },
        // Adult: the paediatric spot ratio and genetic testing do not apply.
        'urine-calcium-creatinine': { status: 'missing', applies: false },
        'genetic-testing': { status: 'missing', applies: false },
        // Report with a coded abnormal finding (nephrocalcinosis): abnormal, no direction.
        'renal-ultrasound': { status: 'abnormal' },
      },
      findings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypercalciuria'],
      absentFindings: ['hypokalaemia', 'distal-rta-pattern', 'reduced-egfr', 'paediatric', 'urinary-infection', 'hypocitraturia', 'hyperoxaluria', 'proteinuria'],
      riskFactorText: ['hyperparathyroidism'],
    },
  },
  {
    id: 'distal-rta-child',
    file: 'distal-rta-child.json',
    patientId: 'scn-drta-child',
    title: 'Distal renal tubular acidosis (boy of 8, US units)',
    description:
      'Boy of 8 with nephrocalcinosis: hyperchloraemic metabolic acidosis (bicarbonate 14 mEq/L), potassium 2.9 mEq/L, ' +
      'urine pH 6.5, urine citrate 150 mg/24 h, spot calcium/creatinine 0.32 mg/mg. Height recorded (Schwartz eGFR).',
    expected: {
      items: {
        // 9.6 mg/dL x 0.2495 = 2.40 mmol/L, within 2.15-2.55 (5-15 years).
        calcium: { status: 'normal', value: 2.395 },
        albumin: { status: 'normal', value: 42 },
        // 2.395 + 0.02 x (40 - 42) = 2.355
        'adjusted-calcium': { status: 'normal', value: 2.355, derived: true },
        // 5.0 mg/dL x 0.3229 = 1.61 mmol/L: normal for 5-15 years (1.05-1.70), although above the adult 1.5.
        phosphate: { status: 'normal', value: 1.6145 },
        sodium: { status: 'normal', value: 138 },
        potassium: { status: 'abnormal', direction: 'low', value: 2.9 },
        chloride: { status: 'abnormal', direction: 'high', value: 113 },
        bicarbonate: { status: 'abnormal', direction: 'low', value: 14 },
        // BUN 11 mg/dL x 0.357 = 3.93 mmol/L urea.
        urea: { status: 'normal', value: 3.927 },
        // 0.45 mg/dL x 88.4 = 39.8 umol/L: normal by the lab's paediatric range (the adult built-in would call it low).
        creatinine: { status: 'normal', value: 39.78 },
        // Bedside Schwartz: 36.5 x 128 / 39.78 = 117.4.
        egfr: { status: 'normal', value: 117.4, derived: true },
        // 38 pg/mL x 0.106 = 4.03 pmol/L.
        pth: { status: 'normal', value: 4.028 },
        tsh: { status: 'normal' },
        magnesium: { status: 'normal', value: 0.8228 },
        'vitamin-d': { status: 'missing', applies: false },
        urinalysis: { status: 'normal' },
        'urine-culture': { status: 'normal' },
        'urine-microscopy': { status: 'missing' },
        // Only the spot ratio was done; at 8 years it does not replace the 24-hour collection (under 5 only).
        'urine-calcium-24h': { status: 'missing' },
        // 0.32 mg/mg x 2.82 = 0.90 mmol/mmol > 0.7 (over 7 years).
        'urine-calcium-creatinine': { status: 'abnormal', direction: 'high', applies: true, value: 0.9024 },
        // 150 mg / 192.12 = 0.78 mmol/24 h < 1.67.
        'urine-citrate-24h': { status: 'abnormal', direction: 'low', value: 0.7808 },
        'urine-oxalate-24h': { status: 'missing' },
        'urine-protein': { status: 'missing' },
        'urine-magnesium': { status: 'missing' },
        'renal-ultrasound': { status: 'abnormal' },
        'genetic-testing': { status: 'missing', applies: true },
      },
      findings: ['hypokalaemia', 'distal-rta-pattern', 'hypocitraturia', 'hypercalciuria', 'paediatric'],
      absentFindings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'reduced-egfr', 'urinary-infection', 'magnesium-wasting'],
    },
  },
  {
    id: 'preterm-furosemide',
    file: 'preterm-furosemide.json',
    patientId: 'scn-preterm',
    title: 'Preterm infant on furosemide (6 weeks old)',
    description:
      'Girl born at 29 weeks, 6 weeks old, on oral furosemide for chronic lung disease: spot urine calcium/creatinine ' +
      '1.1 mg/mg, renal ultrasound showing medullary nephrocalcinosis. Infant ranges apply; no height, so no eGFR.',
    expected: {
      items: {
        // 2.45 mmol/L within 2.10-2.80 (under 1 year).
        calcium: { status: 'normal', value: 2.45 },
        albumin: { status: 'normal', value: 32 },
        // Section 3: no albumin adjustment under 1 year (total calcium is judged as it is, in the infant band):
        // not derived, and not counted as a gap.
        'adjusted-calcium': { status: 'missing' },
        // 2.1 mmol/L within the neonatal/infant 1.2 (1.6)-2.7 (adult range would call it high).
        phosphate: { status: 'normal', value: 2.1 },
        sodium: { status: 'normal' },
        potassium: { status: 'normal' },
        chloride: { status: 'normal' },
        bicarbonate: { status: 'normal' },
        urea: { status: 'normal' },
        creatinine: { status: 'normal', value: 28 },
        // Under 18, no height: eGFR is neither reported nor derivable (section 3).
        egfr: { status: 'missing' },
        pth: { status: 'missing' },
        tsh: { status: 'missing' },
        urinalysis: { status: 'normal' },
        'urine-culture': { status: 'missing' },
        // Reference sections 1 and 5: under 5 years the spot ratio is accepted in place of the 24-hour calcium (a
        // timed collection is impractical in a 6-week-old). One result fills one item: the ratio is counted once, on
        // its own item; the 24-hour item is not a gap, not counted, and says what replaced it.
        'urine-calcium-24h': { status: 'missing', applies: false },
        // 1.1 mg/mg x 2.82 = 3.10 mmol/mmol > 2.2 (under 1 year).
        'urine-calcium-creatinine': { status: 'abnormal', direction: 'high', applies: true, value: 3.102 },
        'renal-ultrasound': { status: 'abnormal' },
        'genetic-testing': { status: 'missing', applies: true },
        'vitamin-d': { status: 'missing', applies: false },
      },
      findings: ['hypercalciuria', 'paediatric'],
      absentFindings: ['hypercalcaemia', 'reduced-egfr', 'hypokalaemia', 'distal-rta-pattern', 'primary-hyperparathyroidism-pattern'],
      riskFactorText: ['furosemide', 'prem'],
    },
  },
  {
    id: 'medullary-sponge-partial',
    file: 'medullary-sponge-partial.json',
    patientId: 'scn-msk',
    title: 'Medullary sponge kidney, partial workup (adult man)',
    description:
      'Man of 40 with medullary sponge kidney and recurrent stones: bloods, dipstick (blood 1+) and culture done, CT KUB ' +
      'last year; phosphate, PTH, TSH, microscopy, every 24-hour urine study and a renal ultrasound never done.',
    expected: {
      items: {
        calcium: { status: 'normal' },
        albumin: { status: 'normal' },
        // 2.38 + 0.02 x (40 - 44) = 2.30
        'adjusted-calcium': { status: 'normal', value: 2.3, derived: true },
        sodium: { status: 'normal' },
        potassium: { status: 'normal' },
        chloride: { status: 'normal' },
        bicarbonate: { status: 'normal' },
        urea: { status: 'normal' },
        creatinine: { status: 'normal', value: 88 },
        // Reported CKD-EPI 2021 eGFR wins over a derived one.
        egfr: { status: 'normal', value: 97, derived: false },
        phosphate: { status: 'missing' },
        pth: { status: 'missing' },
        tsh: { status: 'missing' },
        // Dipstick blood 1+ flagged A by the lab.
        urinalysis: { status: 'abnormal' },
        'urine-microscopy': { status: 'missing' },
        'urine-culture': { status: 'normal' },
        'urine-calcium-24h': { status: 'missing' },
        'urine-oxalate-24h': { status: 'missing' },
        'urine-citrate-24h': { status: 'missing' },
        'urine-protein': { status: 'missing' },
        'urine-magnesium': { status: 'missing' },
        'renal-ultrasound': { status: 'missing' },
        // CT (7 months ago, within 24 months), free-text conclusion only: "clusters of small calculi in the
        // medullary pyramids" names the article's finding plainly (section 5): abnormal, read from the text.
        'ct-abdomen': { status: 'abnormal', applies: true },
        'vitamin-d': { status: 'missing', applies: false },
        'genetic-testing': { status: 'missing', applies: false },
      },
      findings: [],
      absentFindings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'urinary-infection', 'paediatric', 'reduced-egfr', 'hypokalaemia'],
      // Missing core items: phosphate, pth, tsh, microscopy, 5 x 24-h urine, ultrasound (10). The exact missing
      // count is not asserted: whether a conditional item (plain X-ray for stones) applies is the engine's call.
      summary: { abnormal: 2, pending: 0, outdated: 0, unknown: 0 },
      riskFactorText: ['sponge'],
    },
  },
  {
    id: 'complete-normal',
    file: 'complete-normal.json',
    patientId: 'scn-complete-normal',
    title: 'Complete, normal workup (adult woman)',
    description:
      'Woman of 45: every core item done within its recency window and normal (reported adjusted calcium, dipstick panel ' +
      'with components, normal ultrasound). A newer calcium of 3.4 mmol/L was entered in error and must be ignored.',
    expected: {
      items: {
        ...all('normal'),
        calcium: { status: 'normal', applies: true, value: 2.35 },
        // Reported 29265-6 wins over the derived value.
        'adjusted-calcium': { status: 'normal', applies: true, value: 2.31, derived: false },
        egfr: { status: 'normal', applies: true, value: 90, derived: false },
        magnesium: { status: 'normal', value: 0.85 },
        'vitamin-d': { status: 'missing', applies: false },
        'urine-calcium-creatinine': { status: 'missing', applies: false },
        'genetic-testing': { status: 'missing', applies: false },
      },
      findings: [],
      absentFindings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypokalaemia', 'distal-rta-pattern', 'hypercalciuria',
        'hypocitraturia', 'hyperoxaluria', 'magnesium-wasting', 'reduced-egfr', 'proteinuria', 'urinary-infection', 'paediatric'],
      summary: { missing: 0, outdated: 0, pending: 0, abnormal: 0, unknown: 0 },
    },
  },
  {
    id: 'stale-workup',
    file: 'stale-workup.json',
    patientId: 'scn-stale',
    title: 'Stale workup (adult man, results older than their windows)',
    description:
      'Man of 66 whose whole workup was done and normal, but long ago: bloods 8.5 months, PTH/TSH 15 months, urinalysis ' +
      'and culture 4.6 months, 24-hour urine 13 months, ultrasound 30 months before the evaluation date.',
    expected: {
      items: {
        ...all('outdated'),
        calcium: { status: 'outdated', applies: true, value: 2.4 },
        pth: { status: 'outdated', applies: true, value: 5.2 },
        'vitamin-d': { status: 'missing', applies: false },
      },
      findings: [],
      absentFindings: ['hypercalcaemia', 'reduced-egfr', 'hypokalaemia', 'urinary-infection', 'paediatric'],
      summary: { missing: 0, normal: 0, pending: 0, abnormal: 0, unknown: 0 },
    },
  },
  {
    id: 'pending-orders',
    file: 'pending-orders.json',
    patientId: 'scn-pending',
    title: 'Pending orders (adult woman, nothing resulted yet)',
    description:
      'Woman of 35: PTH, 24-hour urine calcium, oxalate and citrate and a renal ultrasound ordered (active), urine dipstick ' +
      'on hold, TSH sample registered at the lab, a urine culture order revoked. No results yet.',
    expected: {
      items: {
        pth: { status: 'pending' },
        tsh: { status: 'pending' },
        'urine-calcium-24h': { status: 'pending' },
        'urine-oxalate-24h': { status: 'pending' },
        'urine-citrate-24h': { status: 'pending' },
        'renal-ultrasound': { status: 'pending' },
        urinalysis: { status: 'pending' },
        // A revoked order is not an order.
        'urine-culture': { status: 'missing' },
        calcium: { status: 'missing' },
        albumin: { status: 'missing' },
        'adjusted-calcium': { status: 'missing' },
        phosphate: { status: 'missing' },
        sodium: { status: 'missing' },
        potassium: { status: 'missing' },
        chloride: { status: 'missing' },
        bicarbonate: { status: 'missing' },
        urea: { status: 'missing' },
        creatinine: { status: 'missing' },
        egfr: { status: 'missing' },
        'urine-microscopy': { status: 'missing' },
        'urine-protein': { status: 'missing' },
        'urine-magnesium': { status: 'missing' },
      },
      findings: [],
      absentFindings: ['hypercalcaemia', 'paediatric', 'reduced-egfr'],
      summary: { pending: 7, missing: 15, normal: 0, abnormal: 0, outdated: 0, unknown: 0 },
    },
  },
  {
    id: 'uk-snomed',
    file: 'uk-snomed.json',
    twin: 'twins/uk-snomed.loinc-twin.json',
    patientId: 'scn-uk-snomed',
    title: 'UK record, SNOMED CT only: an NHS pathology message (woman of 61)',
    description:
      'Woman of 61 seen by her GP: an NHS-style pathology message (Bundle of type message) whose every result is coded with a ' +
      'UK SNOMED CT observable (PaLM and PBCL), in UK units (PTH in ng/L, TSH in mU/L, eGFR with the UCUM code ' +
      'mL/min/((173/100).m2)); urine tests and the renal ultrasound as reports. High calcium with a high PTH and a low ' +
      'phosphate; medullary nephrocalcinosis; the 24-hour urine collections not yet done.',
    expected: {
      items: {
        // 2.72 mmol/L, above the lab's 2.2-2.6 (flagged H).
        calcium: { status: 'abnormal', direction: 'high', value: 2.72 },
        albumin: { status: 'normal', value: 41 },
        // Reported (PaLM 1107251000000104): 2.72 + 0.02 x (40 - 41) = 2.70.
        'adjusted-calcium': { status: 'abnormal', direction: 'high', value: 2.7, derived: false },
        phosphate: { status: 'abnormal', direction: 'low', value: 0.72 },
        sodium: { status: 'normal', value: 139 },
        potassium: { status: 'normal', value: 4.3 },
        chloride: { status: 'normal', value: 103 },
        bicarbonate: { status: 'normal', value: 25 },
        urea: { status: 'normal', value: 5.8 },
        creatinine: { status: 'normal', value: 78 },
        // Reported CKD-EPI eGFR in mL/min/1.73m2 (UCUM mL/min/((173/100).m2)): 71, at or above 60.
        egfr: { status: 'normal', value: 71, derived: false },
        // 98 ng/L x 0.106 = 10.4 pmol/L, above the lab's 15-65 ng/L (1.6-6.9 pmol/L).
        pth: { status: 'abnormal', direction: 'high', value: 10.388 },
        // mU/L = mIU/L.
        tsh: { status: 'normal', value: 1.9 },
        // Applies because calcium is high; 62 nmol/L is neither deficient (< 25) nor in excess (> 250).
        'vitamin-d': { status: 'normal', applies: true, value: 62 },
        // Applies (calcium out of range), not done.
        'ionised-calcium': { status: 'missing', applies: true },
        // Measured, but not indicated (potassium normal, no diuretic).
        magnesium: { status: 'normal', applies: false, value: 0.82 },
        // Dipstick, microscopy and culture reported in words: negative, nothing seen, no significant growth.
        urinalysis: { status: 'normal' },
        'urine-microscopy': { status: 'normal' },
        'urine-culture': { status: 'normal' },
        // Albumin:creatinine ratio (PBCL) 1.2 mg/mmol, below 3.
        'urine-protein': { status: 'normal', value: 1.2 },
        // No 24-hour collection yet.
        'urine-calcium-24h': { status: 'missing' },
        'urine-oxalate-24h': { status: 'missing' },
        'urine-citrate-24h': { status: 'missing' },
        'urine-magnesium': { status: 'missing' },
        // Coded nephrocalcinosis in the report: abnormal; CT then applies to characterise it.
        'renal-ultrasound': { status: 'abnormal' },
        'ct-abdomen': { status: 'missing', applies: true },
        // A cause (hypercalcaemia with a high PTH) is evident: no biopsy.
        'renal-biopsy': { status: 'missing', applies: false },
        'urine-calcium-creatinine': { status: 'missing', applies: false },
        'genetic-testing': { status: 'missing', applies: false },
      },
      findings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern'],
      absentFindings: ['hypokalaemia', 'distal-rta-pattern', 'hypercalciuria', 'reduced-egfr', 'proteinuria', 'urinary-infection', 'paediatric'],
      summary: { pending: 0, outdated: 0, unknown: 0 },
    },
  },
  {
    id: 'panels-as-components',
    file: 'panels-as-components.json',
    patientId: 'scn-panels',
    title: 'Metabolic panel and urinalysis as components (man of 52, US units)',
    description:
      'Man of 52 with recurrent kidney stones whose laboratory reports chemistry only inside a comprehensive metabolic ' +
      'panel (24323-8) and the dipstick only inside a urinalysis panel (50556-0), as components: calcium 10.9 mg/dL with ' +
      'an unsuppressed PTH, blood on the dipstick, 24-hour urine calcium 320 mg.',
    expected: {
      items: {
        // 10.9 mg/dL x 0.2495 = 2.72 mmol/L, above the lab's 8.6-10.3 mg/dL (flagged H).
        calcium: { status: 'abnormal', direction: 'high', value: 2.7196 },
        // 4.3 g/dL x 10 = 43 g/L.
        albumin: { status: 'normal', value: 43 },
        // Payne: 2.72 + 0.02 x (40 - 43) = 2.66, above 2.6.
        'adjusted-calcium': { status: 'abnormal', direction: 'high', value: 2.6596, derived: true },
        // 3.2 mg/dL x 0.3229 = 1.03 mmol/L.
        phosphate: { status: 'normal', value: 1.0333 },
        sodium: { status: 'normal', value: 138 },
        potassium: { status: 'normal', value: 4.1 },
        // Only inside the panel: found by the panel's code (or combo-code) in the app, as in the evaluator.
        chloride: { status: 'normal', value: 104 },
        bicarbonate: { status: 'normal', value: 24 },
        // BUN 15 mg/dL x 0.357 = 5.36 mmol/L urea.
        urea: { status: 'normal', value: 5.355 },
        // 1.0 mg/dL x 88.4 = 88.4 umol/L.
        creatinine: { status: 'normal', value: 88.4 },
        // CKD-EPI 2009 (the default equation setting), man, 52, creatinine 1.0 mg/dL:
        // 141 x (1.0/0.9)^-1.209 x 0.993^52 = 86.2.
        egfr: { status: 'normal', value: 86.2, derived: true },
        pth: { status: 'normal', value: 5.1 },
        tsh: { status: 'normal' },
        // Applies (calcium high); 32 ng/mL x 2.496 = 79.9 nmol/L, within the lab's 30-100 ng/mL.
        'vitamin-d': { status: 'normal', applies: true, value: 79.872 },
        // Dipstick blood "Small", flagged A: abnormal.
        urinalysis: { status: 'abnormal' },
        'urine-microscopy': { status: 'missing' },
        'urine-culture': { status: 'missing' },
        // 320 mg/24 h / 40.08 = 7.98 mmol/24 h, above the lab's 100-300 mg (flagged H).
        'urine-calcium-24h': { status: 'abnormal', direction: 'high', value: 7.984 },
        'urine-oxalate-24h': { status: 'missing' },
        'urine-citrate-24h': { status: 'missing' },
        'urine-protein': { status: 'normal', value: 90 },
        'urine-magnesium': { status: 'missing' },
        // Calculi in the report (coded kidney stone): abnormal.
        'renal-ultrasound': { status: 'abnormal' },
        // Kidney stones recorded: the plain film applies, not done.
        'abdominal-xray': { status: 'missing', applies: true },
        'ionised-calcium': { status: 'missing', applies: true },
        'genetic-testing': { status: 'missing', applies: false },
      },
      findings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypercalciuria'],
      absentFindings: ['hypokalaemia', 'distal-rta-pattern', 'reduced-egfr', 'proteinuria', 'urinary-infection', 'paediatric'],
      summary: { pending: 0, outdated: 0, unknown: 0 },
      riskFactorText: ['stone'],
    },
  },
  {
    id: 'local-codes',
    file: 'local-codes.json',
    siteCodes: 'site/site-codes.json',
    patientId: 'scn-local-codes',
    title: 'A laboratory that sends local codes only, with a site code map (woman of 46)',
    description:
      'Woman of 46 whose laboratory sends its own codes and short names only (Ca, K, TCO2, U-Cit/24h...), no LOINC: ' +
      'found through the site\'s terminology map (test/scenarios/site/site-codes.json). Low potassium and bicarbonate with a ' +
      'high chloride, urine pH 7.1, low urinary citrate; a magnesium under a code the map does not hold.',
    expected: {
      items: {
        calcium: { status: 'normal', value: 2.41 },
        albumin: { status: 'normal', value: 40 },
        'adjusted-calcium': { status: 'normal', value: 2.41, derived: true },
        phosphate: { status: 'normal', value: 1.02 },
        sodium: { status: 'normal', value: 140 },
        // 3.2 mmol/L, below the lab's 3.5 (flagged L).
        potassium: { status: 'abnormal', direction: 'low', value: 3.2 },
        chloride: { status: 'abnormal', direction: 'high', value: 109 },
        bicarbonate: { status: 'abnormal', direction: 'low', value: 17 },
        urea: { status: 'normal', value: 4.6 },
        creatinine: { status: 'normal', value: 66 },
        // CKD-EPI 2009 (the default), woman, 46, creatinine 66 umol/L (0.747 mg/dL): above 60.
        egfr: { status: 'normal', derived: true },
        pth: { status: 'normal', value: 3.9 },
        tsh: { status: 'normal', value: 2.2 },
        // Applies (potassium low); its result came under a code the site map does not hold: not found.
        magnesium: { status: 'missing', applies: true },
        // The urine pH (mapped as a urinalysis part) is the urinalysis done.
        urinalysis: { status: 'normal' },
        // 0.9 mmol/24 h, below the lab's 1.67.
        'urine-citrate-24h': { status: 'abnormal', direction: 'low', value: 0.9 },
        'urine-calcium-24h': { status: 'normal', value: 5.1 },
        'urine-oxalate-24h': { status: 'missing' },
        'urine-protein': { status: 'missing' },
        'urine-magnesium': { status: 'missing' },
        'urine-microscopy': { status: 'missing' },
        'urine-culture': { status: 'missing' },
        'renal-ultrasound': { status: 'missing' },
      },
      findings: ['hypokalaemia', 'distal-rta-pattern', 'hypocitraturia'],
      absentFindings: ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypercalciuria', 'reduced-egfr', 'paediatric'],
      summary: { pending: 0, outdated: 0, unknown: 0 },
    },
  },
];
