/**
 * Attribution: which patient a resource belongs to. Pure, shared by the engine (which ignores what
 * is not this patient's), the evaluator (which groups a Bundle or NDJSON folder by patient) and
 * the sandbox.
 *
 * Clinical-safety choice: a resource is attributed to a patient only when its subject reference
 * names that patient. A result with no subject, or a subject we cannot resolve, is never shown on
 * anyone's panel: a wrong-patient result is worse than a missing one.
 */
import type { FhirResource, Patient, Reference } from 'fhir/r4';

/** The reference a resource uses to name its patient (R4: `subject`; `patient` on a few types). */
export function subjectReference(resource: FhirResource): string | undefined {
  const r = resource as { subject?: Reference; patient?: Reference };
  const ref = r.subject?.reference ?? r.patient?.reference;
  return typeof ref === 'string' && ref.trim() !== '' ? ref.trim() : undefined;
}

/**
 * Normalises a patient reference to a comparable key: "Patient/<id>" for relative, absolute and
 * versioned references, or the urn itself ("urn:uuid:..."). Returns undefined for anything that
 * does not name a Patient.
 */
export function patientKeyOf(reference: string): string | undefined {
  const ref = reference.trim();
  if (ref.startsWith('urn:uuid:') || ref.startsWith('urn:oid:')) return ref.toLowerCase();
  const m = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref);
  return m ? `Patient/${m[1]}` : undefined;
}

/** Every key under which resources may name this patient (its id, and the bundle fullUrl if any). */
export function patientKeys(patient: Patient, fullUrl?: string): Set<string> {
  const keys = new Set<string>();
  if (patient.id) keys.add(`Patient/${patient.id}`);
  if (fullUrl) {
    const k = patientKeyOf(fullUrl);
    if (k) keys.add(k);
  }
  return keys;
}

/** True when the resource's subject names one of the patient's keys. */
export function belongsTo(resource: FhirResource, keys: ReadonlySet<string>): boolean {
  const ref = subjectReference(resource);
  if (!ref) return false;
  const key = patientKeyOf(ref);
  return key !== undefined && keys.has(key);
}

/**
 * The results a report names (`DiagnosticReport.result`) that name no patient themselves take the
 * report's subject: an NHS pathology message (a Bundle of type `message`) may leave the patient to the
 * report that groups its Observations. Only an Observation with no subject at all is given one, only
 * from a report that names a patient, and only when every report that names it agrees (a result two
 * reports of different patients claim stays with nobody). References are `Type/id` (a Bundle's
 * `urn:uuid` references resolved first). Returns a new list; the resources given are not changed.
 */
export function withReportSubjects(resources: readonly FhirResource[]): FhirResource[] {
  const claims = new Map<string, Set<string>>();
  for (const r of resources) {
    if (r.resourceType !== 'DiagnosticReport') continue;
    const subject = subjectReference(r);
    if (!subject || !patientKeyOf(subject)) continue;
    for (const ref of Array.isArray(r.result) ? r.result : []) {
      const target = typeof ref?.reference === 'string' ? /(?:^|\/)Observation\/([^/]+)$/.exec(ref.reference.trim())?.[1] : undefined;
      if (!target) continue;
      let set = claims.get(target);
      if (!set) claims.set(target, (set = new Set()));
      set.add(subject);
    }
  }
  if (claims.size === 0) return [...resources];
  return resources.map((r) => {
    if (r.resourceType !== 'Observation' || typeof r.id !== 'string' || subjectReference(r) !== undefined) return r;
    const subjects = claims.get(r.id);
    return subjects?.size === 1 ? ({ ...r, subject: { reference: [...subjects][0]! } } as FhirResource) : r;
  });
}
