/**
 * Small FHIR builders for the clinical core's unit tests. Every resource belongs to PATIENT_ID
 * unless a subject is given.
 */
import type {
  CodeableConcept,
  Condition,
  DiagnosticReport,
  FhirResource,
  ImagingStudy,
  MedicationRequest,
  Observation,
  ObservationReferenceRange,
  Patient,
  Procedure,
  ServiceRequest,
} from 'fhir/r4';
import { evaluate } from '../../../src/clinical/index';
import type { Evaluation, EvaluationInput, ItemResult } from '../../../src/clinical/index';

export const PATIENT_ID = 'pat-1';
export const NOW = '2025-06-15';

let seq = 0;
export const nextId = (prefix = 'o'): string => `${prefix}-${++seq}`;

export function patient(opts: { birthDate?: string; gender?: Patient['gender']; id?: string } = {}): Patient {
  const p: Patient = { resourceType: 'Patient', id: opts.id ?? PATIENT_ID };
  p.birthDate = opts.birthDate ?? '1975-03-10';
  p.gender = opts.gender ?? 'female';
  return p;
}

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';

export const loinc = (code: string, display?: string): CodeableConcept => ({
  coding: [{ system: LOINC, code, ...(display ? { display } : {}) }],
  ...(display ? { text: display } : {}),
});
export const snomed = (code: string, display?: string): CodeableConcept => ({
  coding: [{ system: SNOMED, code, ...(display ? { display } : {}) }],
  ...(display ? { text: display } : {}),
});
export const textCode = (text: string): CodeableConcept => ({ text, coding: [{ system: 'urn:local', code: 'X1', display: text }] });

export interface ObsOpts {
  id?: string;
  date?: string;
  status?: Observation['status'] | string;
  unit?: string;
  ucum?: string | null;
  comparator?: '<' | '<=' | '>' | '>=';
  interp?: string;
  range?: ObservationReferenceRange[];
  subject?: string;
  code?: CodeableConcept;
}

/** What every test Observation has: id, status, code, subject and date (defaults overridable). */
function baseObs(code: string, o: ObsOpts): Observation {
  return {
    resourceType: 'Observation',
    id: o.id ?? nextId(),
    status: (o.status ?? 'final') as Observation['status'],
    code: o.code ?? loinc(code),
    subject: { reference: o.subject ?? `Patient/${PATIENT_ID}` },
    effectiveDateTime: o.date ?? '2025-06-01',
  };
}

/** A numeric Observation under a LOINC code (UCUM code = unit unless `ucum` says otherwise). */
export function obs(code: string, value: number, unit: string | undefined, o: ObsOpts = {}): Observation {
  const r: Observation = {
    ...baseObs(code, o),
    valueQuantity: { value },
  };
  if (unit !== undefined) {
    r.valueQuantity!.unit = unit;
    if (o.ucum !== null) {
      r.valueQuantity!.system = UCUM;
      r.valueQuantity!.code = o.ucum ?? unit;
    }
  }
  if (o.comparator) r.valueQuantity!.comparator = o.comparator;
  if (o.interp) r.interpretation = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: o.interp }] }];
  if (o.range) r.referenceRange = o.range;
  return r;
}

/** An Observation with a valueString. */
export function obsString(code: string, value: string, o: ObsOpts = {}): Observation {
  const r: Observation = {
    ...baseObs(code, o),
    valueString: value,
  };
  if (o.interp) r.interpretation = [{ coding: [{ code: o.interp }] }];
  if (o.range) r.referenceRange = o.range;
  return r;
}

/** An Observation with a coded value (qualitative). */
export function obsCoded(code: string, value: CodeableConcept, o: ObsOpts = {}): Observation {
  const r: Observation = {
    ...baseObs(code, o),
    valueCodeableConcept: value,
  };
  if (o.interp) r.interpretation = [{ coding: [{ code: o.interp }] }];
  return r;
}

export const NEGATIVE = snomed('260385009', 'Negative');
export const POSITIVE = snomed('10828004', 'Positive');

export const range = (low?: number, high?: number, unit?: string, extra: Partial<ObservationReferenceRange> = {}): ObservationReferenceRange => {
  const r: ObservationReferenceRange = { ...extra };
  if (low !== undefined) r.low = { value: low, ...(unit ? { unit, system: UCUM, code: unit } : {}) };
  if (high !== undefined) r.high = { value: high, ...(unit ? { unit, system: UCUM, code: unit } : {}) };
  return r;
};

export function report(code: CodeableConcept, o: { id?: string; date?: string; status?: string; conclusion?: string; conclusionCode?: CodeableConcept[]; category?: string; subject?: string } = {}): DiagnosticReport {
  const r: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: o.id ?? nextId('dr'),
    status: (o.status ?? 'final') as DiagnosticReport['status'],
    code,
    subject: { reference: o.subject ?? `Patient/${PATIENT_ID}` },
    effectiveDateTime: o.date ?? '2025-05-01',
  };
  if (o.category) r.category = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: o.category }] }];
  if (o.conclusion) r.conclusion = o.conclusion;
  if (o.conclusionCode) r.conclusionCode = o.conclusionCode;
  return r;
}

export function order(code: CodeableConcept, o: { id?: string; status?: string; date?: string } = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: o.id ?? nextId('sr'),
    status: (o.status ?? 'active') as ServiceRequest['status'],
    intent: 'order',
    code,
    subject: { reference: `Patient/${PATIENT_ID}` },
    authoredOn: o.date ?? '2025-06-10',
  };
}

export function procedure(code: CodeableConcept, o: { id?: string; status?: string; date?: string } = {}): Procedure {
  return {
    resourceType: 'Procedure',
    id: o.id ?? nextId('pr'),
    status: (o.status ?? 'completed') as Procedure['status'],
    code,
    subject: { reference: `Patient/${PATIENT_ID}` },
    performedDateTime: o.date ?? '2025-04-01',
  };
}

export function imagingStudy(o: { id?: string; status?: string; date?: string; description?: string; modality?: string; procedureCode?: CodeableConcept } = {}): ImagingStudy {
  const s: ImagingStudy = {
    resourceType: 'ImagingStudy',
    id: o.id ?? nextId('is'),
    status: (o.status ?? 'available') as ImagingStudy['status'],
    subject: { reference: `Patient/${PATIENT_ID}` },
    started: o.date ?? '2025-04-01',
  };
  if (o.description) s.description = o.description;
  if (o.modality) s.modality = [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: o.modality }];
  if (o.procedureCode) s.procedureCode = [o.procedureCode];
  return s;
}

export function condition(code: CodeableConcept, o: { id?: string; clinical?: string; verification?: string } = {}): Condition {
  const c: Condition = {
    resourceType: 'Condition',
    id: o.id ?? nextId('c'),
    code,
    subject: { reference: `Patient/${PATIENT_ID}` },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: o.clinical ?? 'active' }] },
  };
  if (o.verification) c.verificationStatus = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: o.verification }] };
  return c;
}

export function medication(code: CodeableConcept, o: { id?: string; status?: string; date?: string } = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: o.id ?? nextId('m'),
    status: (o.status ?? 'active') as MedicationRequest['status'],
    intent: 'order',
    medicationCodeableConcept: code,
    subject: { reference: `Patient/${PATIENT_ID}` },
    authoredOn: o.date ?? '2025-01-01',
  };
}
export const rxnorm = (code: string, display?: string): CodeableConcept => ({
  coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, ...(display ? { display } : {}) }],
  ...(display ? { text: display } : {}),
});

/** Evaluates a set of resources for the default patient at NOW. */
export function run(resources: FhirResource[], extra: Partial<EvaluationInput> = {}): Evaluation {
  return evaluate({ patient: extra.patient ?? patient(), resources, now: NOW, ...extra });
}

export function item(ev: Evaluation, id: string): ItemResult {
  const i = ev.items.find((x) => x.id === id);
  if (!i) throw new Error(`no item ${id}`);
  return i;
}

export const findingIds = (ev: Evaluation): string[] => ev.findings.map((f) => f.id);
