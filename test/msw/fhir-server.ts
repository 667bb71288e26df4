/**
 * A small fake FHIR R4 server as msw handlers, for data-layer tests: Patient read and type searches
 * with real enough semantics (patient/subject reference, `code` as a comma list of system|code,
 * `category`, `_count` paging with `next` links, bearer token check). Every request is recorded
 * (URL and the time it arrived) so tests can assert what was asked and when.
 *
 * Fault handler sets live in ./faults.ts; replays of vendor captures in ./vendor.ts.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Bundle, BundleEntry, FhirResource, Patient } from 'fhir/r4';

export interface RecordedRequest {
  url: string;
  path: string;
  search: URLSearchParams;
  authorization: string | null;
  at: number;
}

export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  record(request: Request): RecordedRequest {
    const url = new URL(request.url);
    const entry = {
      url: request.url,
      path: url.pathname,
      search: url.searchParams,
      authorization: request.headers.get('authorization'),
      at: performance.now(),
    };
    this.requests.push(entry);
    return entry;
  }
  /** Requests whose path ends with `/<type>` (searches) or `/<type>/<id>` (reads). */
  of(type: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.split('/').includes(type));
  }
  clear(): void {
    this.requests.length = 0;
  }
}

export interface FakeEhrOptions {
  /** FHIR base URL, e.g. https://ehr.test/fhir */
  base: string;
  patient: Patient;
  resources: FhirResource[];
  /** Bearer token the server accepts (default `test-token`); `null` accepts anything. */
  token?: string | null;
  /** Largest page the server serves whatever `_count` says (Oracle Health: 200). */
  maxPageSize?: number;
  log?: RequestLog;
  /** Bundle.total: `count` (real total), `page` (Epic: the page size) or `none` (Oracle Health). */
  total?: 'count' | 'page' | 'none';
}

function refersTo(resource: FhirResource, patientId: string): boolean {
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = r.subject?.reference ?? r.patient?.reference ?? '';
  return ref === `Patient/${patientId}` || ref.endsWith(`/Patient/${patientId}`);
}

function codings(resource: FhirResource, field: 'code' | 'category'): { system?: string; code?: string }[] {
  const value = (resource as unknown as Record<string, unknown>)[field];
  const concepts = Array.isArray(value) ? value : value ? [value] : [];
  return concepts.flatMap((c: { coding?: { system?: string; code?: string }[] }) => c?.coding ?? []);
}

function matchesTokens(resource: FhirResource, field: 'code' | 'category', param: string | null): boolean {
  if (param === null) return true;
  const tokens = param.split(',').map((t) => t.trim()).filter(Boolean);
  const cs = codings(resource, field);
  return tokens.some((token) => {
    const [system, code] = token.includes('|') ? token.split('|') : [undefined, token];
    return cs.some((c) => c.code === code && (system === undefined || system === '' || c.system === system));
  });
}

export function searchset(resources: FhirResource[], options: { next?: string; self?: string; total?: number; extra?: BundleEntry[] } = {}): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total !== undefined ? { total: options.total } : {}),
    link: [
      ...(options.self ? [{ relation: 'self', url: options.self }] : []),
      ...(options.next ? [{ relation: 'next', url: options.next }] : []),
    ],
    entry: [
      ...(options.extra ?? []),
      ...resources.map((resource) => ({ fullUrl: `urn:test:${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' as const } })),
    ],
  };
}

export const fhirJson = (body: unknown, status = 200) =>
  HttpResponse.json(body as Record<string, unknown>, { status, headers: { 'content-type': 'application/fhir+json' } });

export function outcome(text: string, severity: 'fatal' | 'error' | 'warning' | 'information' = 'error', code = 'processing') {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

/** The handlers of a well-behaved server holding `resources` for `patient`. */
export function fakeEhr(options: FakeEhrOptions): HttpHandler[] {
  const { base, patient } = options;
  const token = options.token === undefined ? 'test-token' : options.token;
  const maxPage = options.maxPageSize ?? 200;
  const authorised = (request: Request) => token === null || request.headers.get('authorization') === `Bearer ${token}`;
  return [
    http.get(`${base}/Patient/:id`, ({ request, params }) => {
      options.log?.record(request);
      if (!authorised(request)) return fhirJson(outcome('Unauthorized', 'error', 'login'), 401);
      if (params.id !== patient.id) return fhirJson(outcome('Not Found', 'error', 'not-found'), 404);
      return fhirJson(patient);
    }),
    http.get(`${base}/:type`, ({ request, params }) => {
      options.log?.record(request);
      if (!authorised(request)) return fhirJson(outcome('Unauthorized', 'error', 'login'), 401);
      const url = new URL(request.url);
      const q = url.searchParams;
      const type = String(params.type);
      const patientId = q.get('patient') ?? q.get('subject')?.replace(/^Patient\//, '') ?? null;
      if (!patientId) return fhirJson(outcome('patient is required'), 400);
      const matches = options.resources.filter(
        (r) => r.resourceType === type && refersTo(r, patientId) && matchesTokens(r, 'code', q.get('code')) && matchesTokens(r, 'category', q.get('category')),
      );
      const size = Math.min(Number(q.get('_count') ?? 50) || 50, maxPage);
      const page = Number(q.get('_page') ?? 0);
      const slice = matches.slice(page * size, page * size + size);
      let next: string | undefined;
      if ((page + 1) * size < matches.length) {
        const nextUrl = new URL(url);
        nextUrl.searchParams.set('_page', String(page + 1));
        next = nextUrl.href;
      }
      const total = options.total === 'none' ? undefined : options.total === 'page' ? slice.length : matches.length;
      return fhirJson(searchset(slice, { self: url.href, ...(next ? { next } : {}), ...(total !== undefined ? { total } : {}) }));
    }),
  ];
}
