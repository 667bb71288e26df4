/**
 * Fetching from the EHR's FHIR server with the access token the EHR gave for this call
 * (`fhirAuthorization.access_token`). The HTTP and paging are the app's own (src/smart/fetch-all.ts):
 * each request bounded in time, every `next` link followed on the server's own origin only (the token
 * is never sent elsewhere), a looping or endless chain reported as a failure rather than cut short,
 * and large code searches read in parallel parts as the app reads them. The access token is used as
 * given: it is short-lived and cannot be refreshed.
 *
 * Nothing here logs: URLs carry the patient id.
 */
import type { FhirResource, Patient } from 'fhir/r4';
import { fetchAllPages, getJson, SearchError, type FetchContext, type SearchErrorKind } from '../smart/fetch-all';
import type { SmartSession } from '../smart/types';
import { CdsError } from './errors';

export interface FhirAccess {
  fhirServer: string;
  accessToken: string;
  /** Bound of each request, in ms. */
  timeoutMs: number;
  /** Pages followed per search before it is reported failed. */
  maxPages: number;
  /** Stops every request of the call (the call's overall deadline). */
  signal?: AbortSignal;
}

export interface SearchOutcome {
  resources: FhirResource[];
  error?: { kind: SearchErrorKind; message: string; httpStatus?: number };
}

/** The part of a SMART session the app's fetch layer uses, on the EHR's token for this call. */
function sessionOf(access: FhirAccess): SmartSession {
  return {
    serverUrl: access.fhirServer,
    patientId: null,
    tokenResponse: {},
    authorizationHeader: () => `Bearer ${access.accessToken}`,
    canRefresh: () => false,
    needsRefresh: () => false,
    refresh: () => Promise.reject(new SearchError('forbidden', 'The access token of a CDS Hooks call cannot be refreshed')),
  };
}

function contextOf(access: FhirAccess): FetchContext {
  return { session: sessionOf(access), timeoutMs: access.timeoutMs, ...(access.signal ? { signal: access.signal } : {}) };
}

function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/** A search (or the next page of a prefetched one) and every page after it. */
export async function fetchSearch(access: FhirAccess, url: string): Promise<SearchOutcome> {
  if (!sameOrigin(url, access.fhirServer)) {
    return { resources: [], error: { kind: 'failed', message: 'A paging link points to another server than fhirServer; not followed, results may be incomplete' } };
  }
  const result = await fetchAllPages(contextOf(access), url, { maxPages: access.maxPages, split: true });
  if (!result.error) return { resources: result.resources };
  const e = result.error;
  return { resources: result.resources, error: { kind: e.kind, message: e.message, ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}) } };
}

/** The Patient read; a Patient that cannot be read is a 412 (nothing can be judged without it). */
export async function fetchPatient(access: FhirAccess, patientId: string): Promise<Patient> {
  const url = `${access.fhirServer.replace(/\/+$/, '')}/Patient/${encodeURIComponent(patientId)}`;
  let json: unknown;
  try {
    json = await getJson(contextOf(access), url, true);
  } catch (error) {
    const why = error instanceof SearchError ? error.message : 'the request failed';
    throw new CdsError('precondition-failed', `The patient could not be read from fhirServer (${why}).`);
  }
  const p = json as Patient | null;
  if (!p || typeof p !== 'object' || p.resourceType !== 'Patient' || (p.id !== undefined && p.id !== patientId)) {
    throw new CdsError('precondition-failed', 'fhirServer answered the patient read with something other than the patient of context.patientId.');
  }
  return { ...p, id: patientId };
}
