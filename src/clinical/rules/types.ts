/**
 * The shape of the clinical rules as data. Everything a clinical informaticist validates (codes,
 * units, ranges, recency windows, when an item applies, findings, risk factors) is a value of one of
 * these types in this folder; the evaluator (the rest of src/clinical) only interprets them.
 *
 * Every type here is serialisable: plain objects, strings, numbers, booleans and arrays, no
 * functions and no RegExp objects (text patterns are regular-expression sources, matched
 * case-insensitively). A test round-trips the whole rule set through JSON.
 *
 * Sections ("1", "6", "7b", "decision") name the section of ../shared/clinical-reference.md that a
 * rule comes from; "decision" marks a choice where the reference is silent (listed in DECISIONS.md).
 */
import type { ClinicalResourceType, Group, Tier } from '../model';

/** Code systems the rules name by alias; a site map may use any system URL (vocabulary.ts). */
export type SystemAlias = 'loinc' | 'snomed';

/**
 * Role of a part of a qualitative investigation (urinalysis dipstick parts, microscopy counts, a
 * culture): how its value is read (values.ts).
 */
export type QualRole =
  | 'nitrite'
  | 'leukocyte-esterase'
  | 'dipstick-blood'
  | 'dipstick-protein'
  | 'culture'
  /** microscopy counts per high-power field, abnormal above a threshold */
  | 'micro-wbc'
  | 'micro-rbc'
  /** microscopy elements whose presence is a finding (bacteria, crystals, casts) */
  | 'micro-present';

/** Where a code comes from, when not from the reference's own tables (sections 1 and 1b). */
export type CodeSource =
  /** a broader map from a public LOINC value set (serum, plasma or blood; venous, arterial, capillary) */
  | 'broader'
  /** UK SNOMED CT PaLM observable (section 1b, unverified) */
  | 'palm'
  /** UK SNOMED CT PBCL-era code (section 1b, unverified) */
  | 'pbcl'
  /** marked (unverified) in the reference: matched, never relied on alone (text fallback kept) */
  | 'unverified';

export interface CodeDef {
  system: SystemAlias;
  code: string;
  /** Overrides the item's analyte for this code (BUN vs urea, PCR vs ACR, spot vs 24-hour). */
  analyte?: string;
  role?: QualRole;
  source?: CodeSource;
}

/**
 * A text fallback for results without a known code: every pattern of `all` must match the code's
 * text or display, and `not` must not. Patterns are regular-expression sources, case-insensitive.
 */
export interface TextRuleDef {
  all: string[];
  not?: string;
  analyte?: string;
  role?: QualRole;
}

/** Section 5 recency windows, by name (months; null = any time). */
export type WindowName = 'bloodChemistry' | 'endocrine' | 'urineDipstick' | 'urineStudies' | 'imaging' | 'anyTime';

/**
 * A condition on the patient's record, evaluated with three values: true, false, or unknown (the
 * resource types it reads could not be loaded, or an item it reads could not be checked).
 */
export type Expr =
  | { any: Expr[] }
  | { all: Expr[] }
  | { not: Expr }
  /** An item's current result (newest, within its window) is high, low, abnormal (either) or normal. */
  | { item: string; is: 'high' | 'low' | 'abnormal' | 'normal' }
  /** A condition (risk factor id, riskfactors.ts) is recorded, current or past. */
  | { condition: string }
  /** A medicine (risk factor id) is current (active, on hold, intended). */
  | { medicine: string }
  /** The patient is younger than this many years on the evaluation date. */
  | { ageUnder: number }
  /** Pregnancy is recorded (section 5). */
  | { pregnant: true }
  /** A finding (section 7) is made. */
  | { finding: string }
  /** A named fact computed by the evaluator (facts.ts): for what an expression cannot say simply. */
  | { fact: string };

/** One investigation of the catalog (section 1). */
export interface ItemDef {
  id: string;
  label: string;
  group: Group;
  tier: Tier;
  kind: 'numeric' | 'qualitative';
  /** Default analyte of its results (units, ranges); a code may override it. */
  analyte?: string;
  window: WindowName;
  /** Resource types that can hold its results (a failed load of one makes a gap `unknown`). */
  resultTypes: ClinicalResourceType[];
  codes: CodeDef[];
  text?: TextRuleDef[];
  /** Why the article recommends it, in one line for the clinician. */
  why: string;
  /** Where the article or the reference says so. */
  section: string;
  /** Conditional items: when the item applies. The panel's wording is generated from it. */
  applies?: Expr;
  /**
   * Whether a missing or outdated result counts as a gap (the summary and the to-do list), when
   * the item applies. Absent: always. `false`: never (shown when present).
   */
  gap?: Expr | false;
  /** Why a missing result is not a gap, when `gap` says so (shown with the item). */
  gapNote?: string;
  /** A value the evaluator can derive when none is reported (section 3). */
  derive?: 'payne' | 'egfr';
  /**
   * One result in place of another (section 1): a result of this item, taken before the age given,
   * answers the other item instead (it is counted once, on the other item, which says so).
   */
  standsFor?: { item: string; ageUnder: number; words: string };
}

/** A panel (section 1c): an order or a report under its code covers these items. */
export interface PanelDef {
  system: SystemAlias;
  code: string;
  label: string;
  items: string[];
}

/**
 * One row of an analyte's built-in range table (section 6). The first row whose conditions hold
 * for the patient at the result's date applies. A row with `none` means: no built-in range here
 * (the laboratory's range or interpretation decides; otherwise the result is `unknown`, with that
 * reason).
 */
export interface RangeRow {
  section: string;
  /** Age at the result's date, in years: from (inclusive), to (exclusive). */
  ageFrom?: number;
  ageTo?: number;
  /** Age in days, exclusive upper bound (neonates). */
  ageToDays?: number;
  sex?: 'male' | 'female';
  /** Applies only when pregnancy is recorded. */
  pregnant?: true;
  /** Applies only when this holds (for example: serum magnesium low). */
  when?: Expr;
  low?: number;
  high?: number;
  /** A value equal to `high` is already abnormal ("3 or more"). */
  highExclusive?: true;
  /** An upper limit per kilogram of body weight (weight within 3 months), in addition to `high`. */
  highPerKg?: number;
  /** Shown with the range: "adult", "child under 1 year", "adult range (no paediatric range built in)". */
  label: string;
  none?: string;
}

/** Section 7b: how a value is shown in one unit system. */
export interface DisplayUnit {
  unit: string;
  /** Canonical value × factor = value in this unit. */
  factor: number;
  precision: number;
}

/** An analyte: canonical unit, conversions (section 2), plausible magnitudes, built-in ranges (6). */
export interface AnalyteDef {
  /** Canonical unit (section 1 tables), as the evaluator writes it. */
  unit: string;
  /** Normalised unit spelling (units.ts normalizeUnit) → factor to the canonical unit. */
  conversions: Record<string, number>;
  /** Outside these canonical magnitudes a value is a data error: uninterpretable, never normal. */
  plausible: [number, number];
  /** Every unit in use gives the same number: a value without a unit is read in that scale. */
  singleScale?: true;
  ranges?: RangeRow[];
  /** Why there is no built-in range at all (when `ranges` is absent). */
  noRange?: string;
}

/** A piece of a finding's text, said only when `when` holds; `{name}` is filled from facts. */
export interface TextPart {
  text: string;
  when?: Expr;
}

/**
 * Evidence of a finding, in the order listed: an item whose current result is the evidence (only
 * when `when` holds), the results a fact rests on (when it holds), or a field of the Patient.
 */
export type EvidenceRef = string | { item: string; when: Expr } | { fact: string } | { patient: 'birthDate' };

/** A finding (section 7): a pattern worth considering, worded "consider", never a diagnosis. */
export interface FindingDef {
  id: string;
  /** Its name in other rules' words ("hypercalcaemia"). */
  name: string;
  section: string;
  when: Expr;
  /** The parts whose `when` holds, joined; `{name}` is filled from the facts the finding names. */
  text: TextPart[];
  evidence: EvidenceRef[];
}

/** A condition of section 8, matched by SNOMED CT, ICD-10 / ICD-10-CM and text. */
export interface ConditionDef {
  id: string;
  /** Its name in other rules' words ("hypokalaemia", "Bartter syndrome"). */
  name: string;
  text: string;
  snomed?: string[];
  /** ICD-10 / ICD-10-CM prefixes (dots ignored). */
  icd?: string[];
  /** Exact ICD codes (dots ignored), where a prefix would take in another disorder. */
  icdExact?: string[];
  /** Text pattern (regular-expression source, case-insensitive). */
  pattern?: string;
  role?: 'cause' | 'context';
  section: string;
}

/** A medicine of section 8, matched by RxNorm ingredient, ATC prefix and ingredient names. */
export interface MedicationDef {
  id: string;
  /** Its name in other rules' words ("a loop diuretic"). */
  name: string;
  text: string;
  rxnorm: string[];
  atc: string[];
  /** Ingredient and brand names (regular-expression source, case-insensitive). */
  names: string;
  role: 'cause' | 'context';
  section: string;
}

/**
 * Auxiliary observations, not items themselves: measurements used by derived values (section 3)
 * and the pregnancy status (section 5). Listed so that the data layer searches them.
 */
export interface AuxCodeDef {
  system: SystemAlias;
  code: string;
  analyte: 'height' | 'weight' | 'pregnancy-status';
}

/**
 * Section 5: what records a pregnancy: a Condition of pregnancy, or a pregnancy status Observation
 * saying pregnant, within `months` of the evaluation date.
 */
export interface PregnancyDef {
  section: string;
  months: number;
  /** Condition codes: SNOMED CT exact, ICD-10 / ICD-10-CM prefixes (dots ignored), and text. */
  snomed: string[];
  icd: string[];
  /** Text pattern of a pregnancy Condition, and of words that say the opposite (regular-expression sources). */
  pattern: string;
  notPattern: string;
  /** The pregnancy status Observation (an aux code) and the answers that mean pregnant / not pregnant. */
  observation: { system: SystemAlias; code: string };
  pregnantAnswers: string[];
  notPregnantAnswers: string[];
}

/** The whole rule set: what `evaluate()` interprets (compiled once by rules/compile.ts). */
export interface RuleSet {
  /** Section 1, in catalog order. */
  items: ItemDef[];
  /** Analytes by id (units, ranges). */
  analytes: Record<string, AnalyteDef>;
  /** Section 5 recency windows in months (null: any time). */
  windows: Record<WindowName, number | null>;
  panels: PanelDef[];
  aux: AuxCodeDef[];
  findings: FindingDef[];
  conditions: ConditionDef[];
  medicines: MedicationDef[];
  /** Section 5: pregnancy (absent: pregnancy is not read). */
  pregnancy?: PregnancyDef;
}
