/**
 * Is a narrow extra search worth its bytes? The app fetches Observations by code, so a result the
 * EHR holds under a code it does not search for (a laboratory's local code, no site map) is never
 * fetched. One more search could reach such results: the laboratory category within the longest
 * recency window of a lab item (12 months), its results text-matched by the engine. Measured here,
 * on the sandbox, for a patient: what the app's code searches fetch (requests, bytes), what the extra
 * search would add (requests: its pages, one after another; bytes), how many of its results the code
 * searches had not already fetched, and how many of those the engine recognises by their text.
 *
 * Node-side, through the sandbox's own launch (authorize, PKCE, token), GET searches as a server
 * without POST would get them; bytes are the response bodies' lengths.
 */
import type { FhirResource } from 'fhir/r4';
import { searchObservationCodes } from '../src/app/codes';
import { matchCode } from '../src/clinical/values';
import { buildQueries } from '../src/smart/queries';
import { launchSession, type Running, type Session } from '../test/sandbox/helpers';

export interface NarrowSearchFigures {
  patientId: string;
  since: string;
  codeSearch: { requests: number; bytes: number; observations: number };
  extra: { requests: number; bytes: number; observations: number; notFetchedByCode: number; recognisedByText: number };
}

async function allPages(s: Session, first: string): Promise<{ resources: FhirResource[]; requests: number; bytes: number }> {
  const resources: FhirResource[] = [];
  let requests = 0;
  let bytes = 0;
  let next: string | undefined = first;
  while (next) {
    const page = await s.get(next);
    requests++;
    bytes += JSON.stringify(page.json).length;
    if (page.status !== 200) throw new Error(`the sandbox answered ${page.status}`);
    for (const e of page.json.entry ?? []) resources.push(e.resource as FhirResource);
    next = page.json.link?.find((l: { relation: string }) => l.relation === 'next')?.url;
  }
  return { resources, requests, bytes };
}

/** 12 months before `day` (YYYY-MM-DD). */
function monthsBefore(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

export async function measureNarrowSearch(origin: string, patientId: string, evaluationDay: string): Promise<NarrowSearchFigures> {
  const r = { origin, fhir: `${origin}/fhir` } as Running;
  const s = await launchSession(r, patientId, {}, 'launch openid fhirUser patient/Patient.read patient/Observation.read');
  const queries = buildQueries({ serverUrl: r.fhir, patientId, types: ['Observation'], observationCodes: searchObservationCodes() });
  const byCode = new Map<string, FhirResource>();
  let requests = 0;
  let bytes = 0;
  for (const q of queries) {
    const got = await allPages(s, q.url);
    requests += got.requests;
    bytes += got.bytes;
    for (const x of got.resources) byCode.set(x.id!, x);
  }
  const since = monthsBefore(evaluationDay, 12);
  const extra = await allPages(s, `Observation?patient=${encodeURIComponent(patientId)}&category=laboratory&date=ge${since}&_count=200`);
  const fresh = extra.resources.filter((x) => !byCode.has(x.id!));
  const recognised = fresh.filter((x) => matchCode((x as { code?: unknown }).code)?.byText === true);
  return {
    patientId,
    since,
    codeSearch: { requests, bytes, observations: byCode.size },
    extra: { requests: extra.requests, bytes: extra.bytes, observations: extra.resources.length, notFetchedByCode: fresh.length, recognisedByText: recognised.length },
  };
}
