/**
 * msw handler sets, one per fault, for one resource type of a FHIR server at `base`. Put them in
 * front of the well-behaved server with `server.use(...)` (msw tries the newest handlers first).
 * Each handler answers only searches of its type (`GET <base>/<type>?...`) or, for `Patient`, reads.
 */
import { delay, http, HttpResponse, type HttpHandler } from 'msw';
import type { FhirResource } from 'fhir/r4';
import { fhirJson, outcome, searchset, type RequestLog } from './fhir-server';

const path = (base: string, type: string) => (type === 'Patient' ? `${base}/Patient/:id` : `${base}/${type}`);

/** Answers with `status` and an OperationOutcome (or the given body; `null` for none). */
export function statusFor(base: string, type: string, status: number, body: unknown = outcome(`Simulated ${status}`), log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return body === null ? new HttpResponse(null, { status }) : fhirJson(body, status);
  });
}

/** Never answers; gives up only when the client aborts the request. */
export function neverAnswers(base: string, type: string, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), async ({ request }) => {
    log?.record(request);
    await new Promise<void>((resolve) => {
      if (request.signal.aborted) resolve();
      request.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    return HttpResponse.error();
  });
}

/** Answers correctly, but only after `ms`. */
export function slow(base: string, type: string, ms: number, resources: FhirResource[] = [], log?: RequestLog): HttpHandler {
  return http.get(path(base, type), async ({ request }) => {
    log?.record(request);
    await delay(ms);
    return fhirJson(searchset(resources));
  });
}

/** 200 with a body that is not JSON (a truncated bundle). */
export function malformedJson(base: string, type: string, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return new HttpResponse('{"resourceType":"Bundle","entry":[{"resource":', { status: 200, headers: { 'content-type': 'application/fhir+json' } });
  });
}

/** A network failure (connection reset). */
export function networkError(base: string, type: string, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return HttpResponse.error();
  });
}

/** A searchset with no entries and no total. */
export function emptySearchset(base: string, type: string, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return fhirJson({ resourceType: 'Bundle', type: 'searchset' });
  });
}

/** Page 1 → page 2 → page 1 again: a `next` link that loops. */
export function loopingNext(base: string, type: string, pages: FhirResource[][], log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page') ?? 1);
    const next = new URL(url);
    next.searchParams.set('page', page === 1 ? '2' : '1');
    return fhirJson(searchset(pages[(page - 1) % pages.length] ?? [], { next: next.href }));
  });
}

/** Every page links to a new one: a `next` chain that never ends. */
export function endlessNext(base: string, type: string, makeResource: (page: number) => FhirResource, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page') ?? 1);
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    return fhirJson(searchset([makeResource(page)], { next: next.href }));
  });
}

/** A `next` link to another server (must never receive the token). */
export function foreignNext(base: string, type: string, resources: FhirResource[], foreignUrl: string, log?: RequestLog): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return fhirJson(searchset(resources, { next: foreignUrl }));
  });
}

/** Results plus OperationOutcome entries with `search.mode = outcome` (as Epic sends them). */
export function withOutcomeEntries(
  base: string,
  type: string,
  resources: FhirResource[],
  outcomes: ReturnType<typeof outcome>[],
  log?: RequestLog,
): HttpHandler {
  return http.get(path(base, type), ({ request }) => {
    log?.record(request);
    return fhirJson(
      searchset(resources, {
        total: resources.length,
        extra: outcomes.map((o) => ({ resource: o as unknown as FhirResource, search: { mode: 'outcome' as const } })),
      }),
    );
  });
}
