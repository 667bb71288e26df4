/**
 * What every stage of an evaluation knows about the patient and the call: the rules in use, the
 * evaluation day, age and sex, and the resource types that could not be loaded. Built once from
 * the input, which may be hostile: nothing here throws.
 */
import type { Patient } from 'fhir/r4';
import type { CompiledRules } from '../catalog';
import { DAY_MS, parseFhirDate, yearsBetween } from '../dates';
import { isEgfrEquation } from '../derived';
import type { Coverage, EvaluationInput, LoadFailure } from '../model';
import { coverageOf } from '../coverage';
import type { PatientContext, Sex } from '../ranges';
import { patientKeys } from '../subject';
import { QUERIED_TYPES } from '../vocabulary';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLINICAL = new Set<string>(QUERIED_TYPES);

export interface Env {
  rules: CompiledRules;
  patient: Patient;
  /** The Patient's birth date as written, when it is a string. */
  birthRaw?: string;
  ctx: PatientContext;
  ageYears: number | null;
  /** The evaluation day (UTC midnight). */
  nowDay: number;
  /** Results dated after this are not used (a day of slack for time zones). */
  futureLimit: number;
  failures: LoadFailure[];
  /** References that name this patient (subject.ts). */
  keys: Set<string>;
  /** Which codes could find a result (model.ts Coverage). */
  coverage: Coverage;
}

/**
 * The evaluation day from `now`, as UTC midnight of that calendar date (the scale of date-only
 * results). A string gives its own calendar date as written ("2025-06-15", or the date part of a
 * date-time); a Date, or the default (today), gives the local calendar date of the machine, i.e.
 * the clinician's "today". Invalid: today.
 */
export function resolveNow(now: unknown): number {
  if (typeof now === 'string' && parseFhirDate(now) !== undefined) {
    const day = parseFhirDate(now.trim().slice(0, 10));
    if (day !== undefined) return day;
  }
  const d = now instanceof Date && Number.isFinite(now.getTime()) ? now : new Date();
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
}

function validFailure(f: unknown): f is LoadFailure {
  return !!f && typeof f === 'object' && CLINICAL.has(String((f as LoadFailure).resourceType));
}

export function makeEnv(input: Partial<EvaluationInput>, rules: CompiledRules): Env {
  const patient: Patient = input.patient && typeof input.patient === 'object' ? input.patient : { resourceType: 'Patient' };
  const nowDay = resolveNow(input.now);
  const futureLimit = nowDay + 2 * DAY_MS;
  const birthRaw = typeof patient.birthDate === 'string' ? patient.birthDate : undefined;
  let birthMs = parseFhirDate(birthRaw);
  if (birthMs !== undefined && birthMs > futureLimit) birthMs = undefined; // a birth date in the future is not usable
  const gender = typeof patient.gender === 'string' ? patient.gender : null;
  const sex: Sex = gender === 'male' || gender === 'female' ? gender : null;
  const ctx: PatientContext = { sex, ageMemo: new Map(), analytes: rules.analytes };
  const equation = input.settings?.egfrEquation;
  if (isEgfrEquation(equation)) ctx.egfrEquation = equation;
  if (birthMs !== undefined) ctx.birthMs = birthMs;
  const keys = patientKeys(patient, typeof input.patientFullUrl === 'string' ? input.patientFullUrl : undefined);
  // Decision: a urn:uuid reference equal to the Patient's own UUID id names this patient (the
  // transaction-bundle convention of Synthea and most generators; a UUID cannot collide by chance).
  if (typeof patient.id === 'string' && UUID.test(patient.id)) keys.add(`urn:uuid:${patient.id.toLowerCase()}`);
  const env: Env = {
    rules,
    patient,
    ctx,
    ageYears: birthMs !== undefined ? Math.max(0, yearsBetween(nowDay, birthMs)) : null,
    nowDay,
    futureLimit,
    failures: (Array.isArray(input.failures) ? input.failures : []).filter(validFailure),
    keys,
    coverage: coverageOf(input),
  };
  if (birthRaw !== undefined) env.birthRaw = birthRaw;
  return env;
}

/** Failures of the resource types given. */
export function failuresOf(env: Env, types: readonly string[]): LoadFailure[] {
  return env.failures.filter((f) => types.includes(f.resourceType));
}
