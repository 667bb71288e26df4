/**
 * The clinical core's contract: what goes in (FHIR resources, plus which resource types the data
 * layer could not load) and what comes out (the panel model that the UI renders and the headless
 * evaluator prints). Pure types, no runtime code. Shape of the output follows
 * ../shared/contracts/evaluation.schema.json and the clinical reference (../shared/clinical-reference.md).
 */
import type { FhirResource, Patient } from 'fhir/r4';
import type { CompiledRules } from './rules/compile';
import type { SiteCodeMap } from './sitecodes';
import { QUERIED_TYPES } from './vocabulary';

/** The unit system values are shown in (section 7b): SI or conventional (US). */
export type { UnitSystem } from './rules/display';

/** Section 5 of the clinical reference: exact vocabulary. */
export type Status = 'missing' | 'outdated' | 'pending' | 'abnormal' | 'normal' | 'unknown';
export type Direction = 'high' | 'low';
export type Group = 'blood' | 'urine' | 'imaging' | 'other';
export type Tier = 'core' | 'conditional';
export type RangeSource = 'interpretation' | 'result' | 'built-in';

/** The resource types the app reads (besides Patient). */
export type ClinicalResourceType =
  | 'Observation'
  | 'DiagnosticReport'
  | 'ImagingStudy'
  | 'Procedure'
  | 'ServiceRequest'
  | 'Condition'
  | 'MedicationRequest'
  | 'MedicationStatement';

/** The clinical resource types the app searches (vocabulary.ts). */
export const CLINICAL_RESOURCE_TYPES: readonly ClinicalResourceType[] = QUERIED_TYPES;

/**
 * A resource type that the data layer could not load (forbidden, failed, timed out...).
 * Items whose evidence could live in that type become `unknown`, never `missing`.
 */
export interface LoadFailure {
  resourceType: ClinicalResourceType;
  /** forbidden: 401/403 or scope not granted; failed: 4xx/5xx, bad JSON, network; timeout: no answer in time */
  kind: 'forbidden' | 'failed' | 'timeout';
  /** HTTP status when there was one. */
  httpStatus?: number;
  /** Plain words for the clinician (OperationOutcome text when the server gave one). Never patient data. */
  message: string;
  /** In the evaluation's output: the items that read `unknown` because of this failure. */
  affects?: string[];
}

export interface EvaluationInput {
  patient: Patient;
  /** Any resources; those of other types, or that reference another patient, are ignored. */
  resources: readonly FhirResource[];
  /** Resource types that could not be loaded. */
  failures?: readonly LoadFailure[];
  /** Evaluation date (ages and recency windows use it). Default: today. ISO date or Date. */
  now?: Date | string;
  /**
   * Optional: the Patient entry's Bundle fullUrl (e.g. "urn:uuid:..."), so that resources that
   * reference the patient by it are attributed (Synthea transaction bundles do).
   */
  patientFullUrl?: string;
  /** The rules to evaluate with (rules/compile.ts); default: the built-in rules. */
  rules?: CompiledRules;
  /** Site settings (section 3: the eGFR equation the site's laboratories use). */
  settings?: EvaluationSettings;
  /**
   * The site's terminology map (sitecodes.ts, checked with parseSiteCodes): its codes join the
   * rules' code index for this evaluation.
   */
  siteCodes?: SiteCodeMap;
  /**
   * How the resources were gathered, when not as a whole record: the app fetches Observations by
   * code, so a result under a code it did not search for was never fetched (see Coverage).
   */
  coverage?: CoverageInput;
}

/**
 * Section 3: the CKD-EPI creatinine equation used to derive an eGFR: 2009 without the ethnicity
 * coefficient (NICE NG203: the UK) or 2021 race-free (NKF-ASN: the US).
 */
export type EgfrEquation = 'ckd-epi-2009' | 'ckd-epi-2021';

export interface EvaluationSettings {
  /** Default: derived.ts DEFAULT_EGFR_EQUATION. */
  egfrEquation?: EgfrEquation;
}

export interface CoverageInput {
  gathered: 'code-search';
  /** The code systems the searches asked for (URIs; a site's systems included). */
  codeSystems: readonly string[];
  /** Why the site's terminology map is not in use, when one was provided but could not be used. */
  siteMapProblem?: string;
}

/**
 * What a `missing` can mean: which codes could find a result. A record read whole (the evaluator, a
 * Bulk Data export) is matched by code and, for other codes, by text; a record fetched by code (the
 * app) holds only results under the codes searched, and a result sent under any other code (a local
 * code without a site map) was never fetched, so it cannot be said to be absent.
 */
export interface Coverage {
  gathered: 'record' | 'code-search';
  /** Code systems that find results (URIs): those searched (code-search), or matched (record). */
  codeSystems: string[];
  /** Codes of the site's terminology map in use. */
  siteCodes: number;
  /** A record read whole: results under other codes are recognised by their text. */
  textMatch: boolean;
  /** Why a site's terminology map that was provided is not in use. */
  siteMapProblem?: string;
}

/** One result as the panel shows it. */
export interface ResultValue {
  /** Value in the canonical unit (number), or text for qualitative items ("done", conclusion, "positive"). */
  value?: number | string;
  /** Canonical unit (UCUM-ish display, e.g. "mmol/L"), empty for qualitative items. */
  unit?: string;
  /** The value and unit as the EHR reported them, when they differ from the canonical ones. */
  reported?: { value?: number | string; unit?: string };
  /** Comparator when the value was reported as "<0.5" etc. */
  comparator?: '<' | '<=' | '>' | '>=';
  /** ISO date or date-time of the result (effective, else issued). */
  date: string;
  /** FHIR reference(s) of the resource(s) the value comes from, e.g. "Observation/123". */
  source: string | string[];
  /** True when computed (adjusted calcium, eGFR) rather than reported. */
  derived?: boolean;
  /** How a derived value was computed, in words ("Payne: Ca 2.70 mmol/L + albumin 30 g/L"). */
  derivation?: string;
  /** Observation.status when not final (e.g. "preliminary"). */
  resultStatus?: string;
  /** True when the result was recognised by its text/display rather than a code. */
  matchedByText?: boolean;
  /** Status this single result would have on its own (for history rows). */
  flag?: 'high' | 'low' | 'abnormal' | 'normal' | 'uninterpretable';
  /** Why the value could not be interpreted, if it could not. */
  problem?: string;
  /** Free text shown with qualitative results (report conclusion, culture organism). */
  text?: string;
  /**
   * Imaging judged from free text only (section 5): `finding` when the report's text names one of
   * the article's findings plainly ("read from the report's text"); `done` when it names none plainly,
   * has no text, or only images exist ("done: read the report").
   */
  textOnly?: 'finding' | 'done';
  /**
   * The analyte the value was read as (catalog analyte id: "calcium", "bun", "u-pcr"...), for
   * numeric results: the key of its display units and precision (rules/display.ts).
   */
  analyte?: string;
  /**
   * How a derived value was computed, as a stable name ("Payne", "CKD-EPI 2021", "bedside
   * Schwartz"). Reported values have none: a trend never joins values of different methods silently.
   */
  method?: string;
}

export interface RangeUsed {
  low?: number;
  high?: number;
  /** A value equal to `high` is already out of range (section 6: "ACR 3 mg/mmol or more"). */
  highExclusive?: true;
  source: RangeSource;
  /** Human text, e.g. "2.20–2.60 mmol/L (built-in, adult)" or the lab's text range. */
  text?: string;
  /**
   * Where the range comes from, in words and without its numbers ("built-in range, adult women",
   * "lab range", "flagged high by the laboratory; lab range"): shown beside `low`/`high` written in
   * the unit of the value.
   */
  basis?: string;
}

export interface ItemResult {
  id: string;
  label: string;
  group: Group;
  tier: Tier;
  /** Whether the item applies to this patient (core items always do). */
  applies: boolean;
  /** For conditional items: when it applies, in words, generated from the rule ("when calcium is high"). */
  condition?: string;
  /**
   * `unknown` when whether the item applies could not be decided (a resource type its rule reads
   * could not be loaded): it is then shown as applying, never hidden.
   */
  applicability?: 'unknown';
  /**
   * A result the article accepts in its place filled this item's role (section 1: a spot
   * Ca:creatinine ratio under 5 years for the 24-hour urine calcium). The result is counted once,
   * on the item that holds it; this item is not counted and says what replaced it.
   */
  replacedBy?: { id: string; label: string; date: string };
  /** Why a missing or outdated item that applies is not counted as a gap (it is shown, not counted). */
  notAGap?: string;
  status: Status;
  direction?: Direction;
  /** Why unknown, pending, outdated or abnormal, in plain words. */
  reason?: string;
  latest?: ResultValue;
  range?: RangeUsed;
  /** Earlier valid results, newest first. */
  history: ResultValue[];
  /**
   * For `pending`: what makes it pending (an order, or a result registered but not yet reported),
   * since when, and the FHIR reference of that order or result.
   */
  pending?: { kind: 'ordered' | 'registered'; date?: string; source: string };
}

export interface Finding {
  id: string;
  /** Worded as "consider ...", never as a diagnosis. Values in SI units (section 7b). */
  text: string;
  /** The same words with values in conventional units, when that differs from `text`. */
  conventionalText?: string;
  /** References of the resources behind it ("Observation/1"), or item ids for derived values. */
  evidence: string[];
}

export interface RiskFactor {
  id: string;
  text: string;
  kind: 'condition' | 'medication';
  /** Reference of the resource it came from. */
  source: string;
  /** How it was matched: a code (system|code) or the text. */
  matchedBy?: string;
  /** Thiazides: treatment context, not a cause. */
  role?: 'cause' | 'context';
  /** Condition clinicalStatus or medication status as recorded ("active", "resolved", "stopped"...). */
  status?: string;
}

export interface Summary {
  missing: number;
  outdated: number;
  pending: number;
  abnormal: number;
  unknown: number;
  normal: number;
  /** Number of items counted (items that apply). */
  total: number;
  /** Items counted as outdated whose newest result, though outdated, was abnormal. */
  outdatedAbnormal: number;
}

/**
 * One entry of "to complete the workup": an investigation that applies to the patient and is
 * missing, outdated or pending, with why the article recommends it.
 */
export interface TodoItem {
  id: string;
  label: string;
  status: 'missing' | 'outdated' | 'pending';
  /** Why the article recommends it, in one line (the catalog's `why`). */
  why?: string;
  /** Where the article (or the clinical reference) says so. */
  section?: string;
  /** outdated: the date of the newest result; pending: the date of the order (or registration), when known. */
  date?: string;
  /** pending: an order, or a result registered but not yet reported. */
  pendingKind?: 'ordered' | 'registered';
}

/** Section 5: pregnancy recorded (the built-in creatinine and eGFR thresholds are then not applied). */
export interface PregnancyRecord {
  /** In words, for the panel ("Pregnancy recorded (“Pregnancy”, 1 Mar 2025): ..."). */
  text: string;
  /** The resource that records it ("Condition/1", "Observation/2"). */
  source: string;
  /** Its date (onset, recorded or effective), when it has one. */
  date?: string;
}

/** The patient's state that changes how results are judged. */
export interface EvaluationContext {
  pregnancy?: PregnancyRecord;
}

export interface Evaluation {
  patient: { id: string; birthDate: string | null; ageYears: number | null; sex: string | null };
  /** ISO date of the evaluation (YYYY-MM-DD). */
  evaluatedAt: string;
  items: ItemResult[];
  findings: Finding[];
  riskFactors: RiskFactor[];
  /** Counts over the items that apply to this patient. */
  summary: Summary;
  /** What is left to complete the workup, in catalog order (todo.ts). */
  todo: TodoItem[];
  /** Resource types that could not be loaded, echoed for the view. */
  failures?: LoadFailure[];
  /** The patient's state that changes how results are judged (section 5: pregnancy), when any. */
  context?: EvaluationContext;
  /** What was read and what was not used, and why. */
  diagnostics: Diagnostics;
  /** Which codes could find a result: what a `missing` can and cannot mean (evaluate() always says). */
  coverage?: Coverage;
}

/** Why a resource of the input was not used. */
export type SkipReason =
  /** not an object with a resourceType */
  | 'not-a-resource'
  /** a resource type the panel does not read */
  | 'type-not-read'
  /** no subject or patient reference */
  | 'no-subject'
  /** names another patient */
  | 'another-patient'
  /** entered-in-error or cancelled: ignored completely (section 4) */
  | 'entered-in-error-or-cancelled'
  /** read, but names no investigation of the catalog (another test, an order for something else) */
  | 'not-in-catalog'
  /** malformed beyond reading */
  | 'unreadable';

export interface Diagnostics {
  /** This patient's resources read, by resource type. */
  read: Partial<Record<string, number>>;
  /** Resources not used, by reason. */
  skipped: Partial<Record<SkipReason, number>>;
}
