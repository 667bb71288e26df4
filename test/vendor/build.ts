/**
 * Tiny FHIR builders for the synthetic vendor-shape and hostile-data tests. Every resource belongs
 * to PID unless a subject is given. Dates default to DAY, a week before NOW.
 */
import type { CodeableConcept, Coding, Observation, ObservationReferenceRange, Patient, Quantity } from 'fhir/r4';
import type { Evaluation, EvaluationInput } from '../../src/clinical/index';
import { evalChecked } from './support';

export const PID = 'shape-1';
export const NOW = '2025-06-15';
export const DAY = '2025-06-08';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
/** An Oracle Health style local code system (millennium code set 72). */
export const LOCAL = 'https://fhir.cerner.com/ec2458f2-1e24-41c8-b71b-0e701af7583d/codeSet/72';

export const adult = (over: Partial<Patient> = {}): Patient => ({ resourceType: 'Patient', id: PID, birthDate: '1970-01-01', gender: 'female', ...over });

export const code = (loinc: string, text?: string): CodeableConcept => ({ coding: [{ system: LOINC, code: loinc }], ...(text ? { text } : {}) });
/** Local code first, LOINC second (Oracle Health's order). */
export const localThenLoinc = (local: string, loinc: string, text: string): CodeableConcept => ({
  coding: [
    { system: LOCAL, code: local, display: text, userSelected: true } as Coding,
    { system: LOINC, code: loinc, userSelected: false } as Coding,
  ],
  text,
});
export const localOnly = (text: string, local = '999'): CodeableConcept => ({ coding: [{ system: LOCAL, code: local, display: text }], text });

let seq = 0;
export const id = (p = 'o'): string => `${p}${++seq}`;

export interface O {
  id?: string;
  date?: string;
  status?: string;
  subject?: string;
  interp?: string;
  range?: ObservationReferenceRange[];
}

function base(cc: CodeableConcept, o: O): Observation {
  const r: Observation = {
    resourceType: 'Observation',
    id: o.id ?? id(),
    status: (o.status ?? 'final') as Observation['status'],
    code: cc,
    subject: { reference: o.subject ?? `Patient/${PID}` },
    effectiveDateTime: o.date ?? DAY,
  };
  if (o.interp) r.interpretation = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: o.interp }] }];
  if (o.range) r.referenceRange = o.range;
  return r;
}

/** valueQuantity; `ucum` null = unit text only, no UCUM system/code (vendor style). */
export function q(cc: CodeableConcept | string, value: unknown, unit?: string, o: O & { ucum?: string | null; comparator?: string } = {}): Observation {
  const r = base(typeof cc === 'string' ? code(cc) : cc, o);
  const vq: Quantity = { value: value as number };
  if (unit !== undefined) {
    vq.unit = unit;
    if (o.ucum !== null) {
      vq.system = UCUM;
      vq.code = o.ucum ?? unit;
    }
  }
  if (o.comparator) vq.comparator = o.comparator as Quantity['comparator'];
  r.valueQuantity = vq;
  return r;
}

export function s(cc: CodeableConcept | string, value: string, o: O = {}): Observation {
  const r = base(typeof cc === 'string' ? code(cc) : cc, o);
  r.valueString = value;
  return r;
}

export const textRange = (text: string): ObservationReferenceRange => ({ text });
export const normalTextRange = (text: string): ObservationReferenceRange => ({
  text,
  type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/referencerange-meaning', code: 'normal', display: 'Normal Range' }], text: 'Normal Range' },
});
export const qRange = (low: number | undefined, high: number | undefined, unit?: string): ObservationReferenceRange => {
  const r: ObservationReferenceRange = {};
  const qq = (v: number): Quantity => ({ value: v, ...(unit ? { unit, system: UCUM, code: unit } : {}) });
  if (low !== undefined) r.low = qq(low);
  if (high !== undefined) r.high = qq(high);
  return r;
};

export function ev(resources: unknown[], extra: Partial<EvaluationInput> = {}): Evaluation {
  return evalChecked({ patient: adult(), resources: resources as EvaluationInput['resources'], now: NOW, ...extra });
}
