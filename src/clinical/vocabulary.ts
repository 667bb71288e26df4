/**
 * The words and names every layer shares: code system URLs, the resource types the app searches and
 * the ones the engine reads, and how a resource type that could not be loaded is described (the
 * item reasons, the failure banner and the evaluator's text use the same words).
 */
import type { ClinicalResourceType, LoadFailure } from './model';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  ucum: 'http://unitsofmeasure.org',
  icd10: 'http://hl7.org/fhir/sid/icd-10',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
} as const;

/** System URLs (and their OIDs) that the rules name by alias. */
export const SYSTEM_ALIASES: Readonly<Record<string, 'loinc' | 'snomed'>> = {
  [SYSTEM.loinc]: 'loinc',
  'urn:oid:2.16.840.1.113883.6.1': 'loinc',
  [SYSTEM.snomed]: 'snomed',
  'urn:oid:2.16.840.1.113883.6.96': 'snomed',
};

/** The URL of a rule's system alias. */
export function systemUrl(alias: 'loinc' | 'snomed'): string {
  return SYSTEM[alias];
}

/** The clinical resource types the app searches for the patient (besides reading the Patient). */
export const QUERIED_TYPES: readonly ClinicalResourceType[] = [
  'Observation',
  'DiagnosticReport',
  'ImagingStudy',
  'Procedure',
  'ServiceRequest',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
];

/**
 * Resource types the engine reads without searching for them: Medication resolves a
 * `medicationReference` (it names no patient, so it is never searched by patient); MessageHeader
 * and the others of a message Bundle carry no result of their own.
 */
export const READ_ONLY_TYPES: readonly string[] = ['Medication'];

const TYPE_NAMES: Record<string, string> = {
  Patient: 'Patient',
  Observation: 'Observations (lab results)',
  DiagnosticReport: 'Diagnostic reports',
  ImagingStudy: 'Imaging studies',
  Procedure: 'Procedures',
  ServiceRequest: 'Orders',
  Condition: 'Conditions',
  MedicationRequest: 'Medication requests',
  MedicationStatement: 'Medication statements',
};

/** A resource type as a clinician reads it ("Observations (lab results)"). */
export function resourceTypeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** How a failure happened, in a few words ("HTTP 500", "HTTP 403, access refused", "timed out"). */
export function failureDetail(f: Pick<LoadFailure, 'httpStatus' | 'kind'>): string {
  // An error status only: a 200 with unparsable JSON is "failed", not "HTTP 200".
  const http = f.httpStatus && f.httpStatus >= 400 ? `HTTP ${f.httpStatus}` : undefined;
  const how = f.kind === 'timeout' ? 'timed out' : f.kind === 'forbidden' ? 'access refused' : http ? undefined : 'failed';
  return [http, how].filter(Boolean).join(', ');
}

/** "Observations (lab results) (HTTP 500)": the failure banner's words. */
export function failureText(f: Pick<LoadFailure, 'resourceType' | 'httpStatus' | 'kind'>): string {
  return `${resourceTypeName(f.resourceType)} (${failureDetail(f)})`;
}

/** "Conditions could not be loaded (HTTP 403)": the words an item's reason uses. */
export function describeFailures(failures: readonly Pick<LoadFailure, 'resourceType' | 'httpStatus' | 'kind'>[]): string {
  return failures.map((f) => `${resourceTypeName(f.resourceType)} could not be loaded (${failureDetail(f)})`).join('; ');
}
