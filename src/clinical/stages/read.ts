/**
 * Stage 1, read: which resources are this patient's, and what each says (readings, orders,
 * auxiliary measurements), through values.ts. Every resource that is not used is counted, by
 * reason, in the diagnostics; nothing is dropped silently.
 */
import type { FhirResource, Medication } from 'fhir/r4';
import type { Diagnostics, SkipReason } from '../model';
import { belongsTo, subjectReference } from '../subject';
import {
  readDiagnosticReport,
  readImagingStudy,
  readObservation,
  readProcedure,
  readServiceRequest,
  type Collected,
} from '../values';
import { QUERIED_TYPES, READ_ONLY_TYPES } from '../vocabulary';
import type { Env } from './env';

const CLINICAL = new Set<string>(QUERIED_TYPES);
const IGNORED_STATUS = new Set(['entered-in-error', 'cancelled']);

export interface RecordRead {
  collected: Collected;
  /** This patient's clinical resources (risk factors read Conditions and medicines from them). */
  own: FhirResource[];
  /** Medication resources by id, to resolve `medicationReference`. */
  meds: Map<string, Medication>;
  observationIds: Set<string>;
  diagnostics: Diagnostics;
}

function emptyDiagnostics(): Diagnostics {
  return { read: {}, skipped: {} };
}

function skip(d: Diagnostics, reason: SkipReason): void {
  d.skipped[reason] = (d.skipped[reason] ?? 0) + 1;
}

function statusOf(r: FhirResource): string {
  const s = (r as { status?: unknown }).status;
  return typeof s === 'string' ? s.trim().toLowerCase() : '';
}

type Reader = (r: never, out: Collected, rules: Env['rules']) => void;

/** The reader of each resource type that can hold results or orders (values.ts). */
const READERS: Partial<Record<string, Reader>> = {
  Observation: readObservation,
  DiagnosticReport: readDiagnosticReport,
  ImagingStudy: readImagingStudy,
  Procedure: readProcedure,
  ServiceRequest: readServiceRequest,
};

const size = (c: Collected): number => c.readings.length + c.pending.length + c.aux.length + (c.headers?.length ?? 0);

/** Reads one of this patient's resources into `out`; true when it gave the panel anything. */
function readOne(r: FhirResource, env: Env, out: Collected, observationIds: Set<string>): boolean {
  const read = READERS[r.resourceType];
  if (!read) return true; // Conditions and medicines: read by the risk factors stage
  if (r.resourceType === 'Observation' && typeof r.id === 'string') observationIds.add(r.id);
  const before = size(out);
  read(r as never, out, env.rules);
  return size(out) > before;
}

/** Whether `r` is this patient's (attribution is memoised by subject reference). */
function attribute(r: FhirResource, env: Env, memo: Map<string, boolean>): boolean | undefined {
  const subj = subjectReference(r);
  if (subj === undefined) return undefined;
  let mine = memo.get(subj);
  if (mine === undefined) {
    mine = belongsTo(r, env.keys);
    memo.set(subj, mine);
  }
  return mine;
}

function classify(r: unknown, env: Env, memo: Map<string, boolean>, d: Diagnostics): FhirResource | 'medication' | undefined {
  if (!r || typeof r !== 'object' || typeof (r as { resourceType?: unknown }).resourceType !== 'string') return skip(d, 'not-a-resource'), undefined;
  const res = r as FhirResource;
  if (res.resourceType === 'Medication') return 'medication';
  if (!CLINICAL.has(res.resourceType)) {
    if (res.resourceType !== 'Patient' && !READ_ONLY_TYPES.includes(res.resourceType)) skip(d, 'type-not-read');
    return undefined;
  }
  const mine = attribute(res, env, memo);
  if (mine === undefined) return skip(d, 'no-subject'), undefined;
  if (!mine) return skip(d, 'another-patient'), undefined;
  if (IGNORED_STATUS.has(statusOf(res))) return skip(d, 'entered-in-error-or-cancelled'), undefined;
  return res;
}

export function readRecord(env: Env, resources: readonly unknown[]): RecordRead {
  const out: RecordRead = {
    collected: { readings: [], pending: [], aux: [], headers: [] },
    own: [],
    meds: new Map(),
    observationIds: new Set(),
    diagnostics: emptyDiagnostics(),
  };
  const memo = new Map<string, boolean>();
  for (const r of resources) {
    try {
      const res = classify(r, env, memo, out.diagnostics);
      if (res === 'medication') {
        const m = r as Medication;
        if (typeof m.id === 'string') out.meds.set(m.id, m);
        continue;
      }
      if (!res) continue;
      out.own.push(res);
      out.diagnostics.read[res.resourceType] = (out.diagnostics.read[res.resourceType] ?? 0) + 1;
      if (!readOne(res, env, out.collected, out.observationIds)) skip(out.diagnostics, 'not-in-catalog');
    } catch {
      skip(out.diagnostics, 'unreadable'); // hostile or malformed: skipped, never attributed half-read
    }
  }
  keepHeadersWithoutMembers(out);
  dropReportedStudies(out.collected);
  return out;
}

/**
 * An ImagingStudy and the DiagnosticReport that reports it are one examination: the report is its
 * result (the study only says that images exist), so the study is not a second, "conflicting" one.
 */
function dropReportedStudies(c: Collected): void {
  const reported = new Set(c.readings.flatMap((r) => (r.studies ?? []).map((s) => `${r.itemId}|${s.replace(/^.*\b(ImagingStudy\/[^/]+)(\/_history\/.*)?$/, '$1')}`)));
  if (reported.size > 0) c.readings = c.readings.filter((r) => r.resourceType !== 'ImagingStudy' || !reported.has(`${r.itemId}|${r.ref}`));
}

/** A panel header whose members are all absent: the panel was done, its results are not here. */
function keepHeadersWithoutMembers(out: RecordRead): void {
  for (const h of out.collected.headers ?? []) {
    const present = h.members.some((m) => {
      const id = /(?:^|\/)Observation\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(m)?.[1];
      return id !== undefined && out.observationIds.has(id);
    });
    if (!present) out.collected.readings.push(h.reading);
  }
}
