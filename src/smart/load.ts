/**
 * Loads what the panel needs from the EHR: the Patient and every clinical resource type, all in ONE
 * parallel wave (the Patient read, each Observation code group and each other search start at
 * once), each request bounded in time, each type reported as it settles.
 *
 * Decisions (where the spec is silent):
 * - A type is `loaded` only when every one of its searches read every page. If one Observation code
 *   group fails, Observation is reported failed (a partial set must not pass for the whole); the
 *   resources that did arrive are still returned (deduplicated) so the engine can show them, and
 *   the failure makes it read the affected items as `unknown`.
 * - When several searches of a type fail, the most telling reason wins: forbidden, then failed,
 *   then timeout.
 * - 401 that a refresh cannot cure sets `sessionExpired` (the view asks for a relaunch); the type is
 *   reported `forbidden` with HTTP 401.
 * - Stopping (the caller's `signal`) cancels what is still running, reports those types `timeout`
 *   ("stopped waiting") and resolves with what has loaded; `loadRecord` never rejects for an EHR
 *   answer, only for a programming error.
 * - A Patient read whose answer is not that patient (another id, another resource type) is a
 *   failure: nothing may be attributed to the wrong person.
 */
import type { FhirResource, Patient } from 'fhir/r4';
import type { ClinicalResourceType, LoadFailure } from '../clinical/model';
import { CLINICAL_RESOURCE_TYPES } from '../clinical/model';
import { fetchAllPages, getJson, SearchError, type FetchContext, type SearchResult } from './fetch-all';
import { baseUrl, buildQueries, type SearchQuery } from './queries';
import type { LoadedRecord, LoadOptions, LoadState, ResourceLoadStatus, SmartSession } from './types';

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_PAGES = 100;

const SEVERITY: Record<'forbidden' | 'failed' | 'timeout', number> = { forbidden: 3, failed: 2, timeout: 1 };

function resourceKey(resource: FhirResource, fallback: number): string {
  return typeof resource.id === 'string' && resource.id ? `${resource.resourceType}/${resource.id}` : `#${fallback}`;
}

/** The failures the engine needs, from final statuses. */
export function failuresFrom(statuses: readonly ResourceLoadStatus[]): LoadFailure[] {
  const failures: LoadFailure[] = [];
  for (const s of statuses) {
    if (s.resourceType === 'Patient') continue;
    if (s.state === 'loaded') continue;
    const kind = s.state === 'pending' ? 'timeout' : s.state;
    failures.push({
      resourceType: s.resourceType,
      kind,
      ...(s.httpStatus !== undefined ? { httpStatus: s.httpStatus } : {}),
      message: s.message ?? (kind === 'forbidden' ? 'Not allowed by the EHR' : kind === 'timeout' ? 'No answer in time' : 'Could not be loaded'),
    });
  }
  return failures;
}

export async function loadRecord(session: SmartSession, options: LoadOptions = {}): Promise<LoadedRecord> {
  const types = CLINICAL_RESOURCE_TYPES.filter((t) => !options.only || options.only.includes(t));
  const statuses = new Map<ResourceLoadStatus['resourceType'], ResourceLoadStatus>();
  statuses.set('Patient', { resourceType: 'Patient', state: 'pending', count: 0 });
  for (const type of types) statuses.set(type, { resourceType: type, state: 'pending', count: 0 });
  const snapshot = () => [...statuses.values()].map((s) => ({ ...s }));
  const emit = () => {
    try {
      options.onProgress?.(snapshot());
    } catch {
      // A failing progress callback must not break the load.
    }
  };
  const update = (type: ResourceLoadStatus['resourceType'], next: Omit<ResourceLoadStatus, 'resourceType'>) => {
    statuses.set(type, { resourceType: type, ...next });
    emit();
  };

  const patientId = session.patientId;
  const serverUrl = session.serverUrl;
  if (!patientId) {
    // No patient in the launch context: nothing can be searched (completeLaunch refuses this case
    // already; this guards a session built another way).
    const patient: Patient = { resourceType: 'Patient' };
    update('Patient', { state: 'failed', count: 0, message: 'The launch did not name a patient' });
    for (const type of types) update(type, { state: 'failed', count: 0, message: 'No patient in context' });
    const final = snapshot();
    return { patient, resources: [], failures: failuresFrom(final), statuses: final };
  }

  const ctx: FetchContext = {
    session,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.signal ? { signal: options.signal } : {}),
  };
  let sessionExpired = false;
  emit();

  const queries = buildQueries({
    serverUrl,
    patientId,
    types,
    ...(options.observationCodes ? { observationCodes: options.observationCodes } : {}),
    ...(options.observationCategories ? { observationCategories: options.observationCategories } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(options.maxUrlLength ? { maxUrlLength: options.maxUrlLength } : {}),
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
  });

  // The Patient read ---------------------------------------------------------------------------
  let patient: Patient = { resourceType: 'Patient', id: patientId };
  const patientTask = (async () => {
    try {
      const json = (await getJson(ctx, `${baseUrl(serverUrl)}/Patient/${encodeURIComponent(patientId)}`, true)) as Patient | null;
      if (!json || typeof json !== 'object' || json.resourceType !== 'Patient') {
        throw new SearchError('failed', 'The EHR answered the patient read with something other than a Patient');
      }
      if (json.id !== undefined && json.id !== patientId) {
        throw new SearchError('failed', 'The EHR answered with a different patient than the one launched');
      }
      // A Patient without an id is taken as the one read (the URL named it).
      patient = json.id ? json : { ...json, id: patientId };
      update('Patient', { state: 'loaded', count: 1 });
    } catch (error) {
      const e = error instanceof SearchError ? error : new SearchError('failed', 'The patient could not be read');
      if (e.unauthorized) sessionExpired = true;
      update('Patient', { state: e.kind, count: 0, ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}), message: e.message });
    }
  })();

  // Every search, all at once ------------------------------------------------------------------
  const all = new Map<string, FhirResource>();
  let anonymous = 0;
  const typeTasks = types.map(async (type) => {
    const mine = queries.filter((q) => q.resourceType === type);
    const perQuery = new Map<SearchQuery, readonly FhirResource[]>();
    const countNow = () => {
      const ids = new Set<string>();
      let n = 0;
      for (const list of perQuery.values()) {
        for (const r of list) {
          if (r.resourceType !== type) continue;
          if (typeof r.id === 'string' && r.id) ids.add(r.id);
          else n++;
        }
      }
      return ids.size + n;
    };
    const results: { query: SearchQuery; result: SearchResult }[] = await Promise.all(
      mine.map(async (query) => {
        const result = await fetchAllPages(ctx, query, {
          maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
          // A code search with more pages than its first, read neither by offset nor page by page,
          // is read in parallel parts (src/smart/paging.ts).
          split: true,
          onPage: (resources) => {
            perQuery.set(query, resources);
            const current = statuses.get(type);
            if (current?.state === 'pending') update(type, { state: 'pending', count: countNow() });
          },
        });
        perQuery.set(query, result.resources);
        return { query, result };
      }),
    );
    for (const { result } of results) {
      for (const r of result.resources) {
        const key = resourceKey(r, anonymous++);
        if (!all.has(key)) all.set(key, r);
      }
    }
    const count = countNow();
    const failed = results.filter((r) => r.result.error);
    if (!failed.length) {
      const notes = [...new Set(results.flatMap((r) => r.result.notes))];
      update(type, { state: 'loaded', count, ...(notes.length ? { message: `The EHR noted: ${notes.slice(0, 3).join('; ')}` } : {}) });
      return;
    }
    for (const f of failed) if (f.result.error?.unauthorized) sessionExpired = true;
    const worst = failed.reduce((a, b) => (SEVERITY[b.result.error!.kind] > SEVERITY[a.result.error!.kind] ? b : a));
    const error = worst.result.error!;
    const scope = mine.length > 1 ? ` (${failed.length} of ${mine.length} searches: ${worst.query.label})` : '';
    update(type, {
      state: error.kind as LoadState,
      count,
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
      message: `${error.message}${scope}`,
    });
  });

  await Promise.all([patientTask, ...typeTasks]);
  const final = snapshot();
  return {
    patient,
    resources: [...all.values()],
    failures: failuresFrom(final),
    statuses: final,
    ...(sessionExpired ? { sessionExpired: true } : {}),
  };
}

/**
 * Folds a retry (`loadRecord(session, {only})`) into the previous record: the retried types' statuses
 * and resources replace the old ones; the Patient is taken from the retry when it loaded there.
 */
export function mergeRecords(previous: LoadedRecord, retry: LoadedRecord): LoadedRecord {
  const retried = new Set(retry.statuses.map((s) => s.resourceType).filter((t) => t !== 'Patient'));
  const retryPatientOk = retry.statuses.some((s) => s.resourceType === 'Patient' && s.state === 'loaded');
  const statuses = previous.statuses.map((s) => {
    if (s.resourceType === 'Patient') return retryPatientOk ? retry.statuses.find((r) => r.resourceType === 'Patient')! : s;
    return retry.statuses.find((r) => r.resourceType === s.resourceType) ?? s;
  });
  for (const s of retry.statuses) if (!statuses.some((p) => p.resourceType === s.resourceType)) statuses.push(s);
  const all = new Map<string, FhirResource>();
  let n = 0;
  for (const r of previous.resources) {
    if (retried.has(r.resourceType as ClinicalResourceType)) continue;
    all.set(resourceKey(r, n++), r);
  }
  for (const r of retry.resources) {
    const key = resourceKey(r, n++);
    if (!all.has(key)) all.set(key, r);
  }
  return {
    patient: retryPatientOk ? retry.patient : previous.patient,
    resources: [...all.values()],
    failures: failuresFrom(statuses),
    statuses,
    ...(retry.sessionExpired ? { sessionExpired: true } : {}),
  };
}
