/**
 * A small fake FHIR R4 server as msw handlers, for data-layer tests: Patient read and type searches
 * with real enough semantics (patient/subject reference, `code` and Observation's `combo-code` as a
 * comma list of system|code, `category`, `_count` paging with `next` links, by page number or by
 * offset, bearer token check), by GET or by `POST <type>/_search` with a form body. Every request is
 * recorded (URL, method, form body and the time it arrived) so tests can assert what was asked and
 * when.
 *
 * Fault handler sets live in ./faults.ts; replays of vendor captures in ./vendor.ts.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Bundle, BundleEntry, FhirResource, Patient } from 'fhir/r4';

export interface RecordedRequest {
  url: string;
  path: string;
  /** The search parameters: the URL's, and for a POST search its form body's too. */
  search: URLSearchParams;
  method: string;
  authorization: string | null;
  at: number;
}

export class RequestLog {
  readonly requests: RecordedRequest[] = [];
  record(request: Request, form?: URLSearchParams): RecordedRequest {
    const url = new URL(request.url);
    const entry = {
      url: request.url,
      path: url.pathname,
      search: form ? new URLSearchParams([...url.searchParams, ...form]) : url.searchParams,
      method: request.method,
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
  /** `next` links: `page` (`_page=<n>`, the default) or `offset` (`_offset=<n>`, as HAPI and the sandbox). */
  paging?: 'page' | 'offset';
  /** Serve `POST <type>/_search` (default true). */
  post?: boolean;
}

function refersTo(resource: FhirResource, patientId: string): boolean {
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  const ref = r.subject?.reference ?? r.patient?.reference ?? '';
  return ref === `Patient/${patientId}` || ref.endsWith(`/Patient/${patientId}`);
}

type Field = 'code' | 'category' | 'combo-code';

function codings(resource: FhirResource, field: Field): { system?: string; code?: string }[] {
  const r = resource as unknown as Record<string, unknown>;
  const value = field === 'combo-code' ? [r.code, ...(Array.isArray(r.component) ? r.component.map((c: { code?: unknown }) => c?.code) : [])] : r[field];
  const concepts = Array.isArray(value) ? value : value ? [value] : [];
  return concepts.flatMap((c: { coding?: { system?: string; code?: string }[] }) => c?.coding ?? []);
}

function matchesTokens(resource: FhirResource, field: Field, param: string | null): boolean {
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
      return search(request, String(params.type), new URL(request.url).searchParams);
    }),
    http.post(`${base}/:type/_search`, async ({ request, params }) => {
      const form = new URLSearchParams(await request.text());
      options.log?.record(request, form);
      if (options.post === false) return fhirJson(outcome('POST search not supported', 'error', 'not-supported'), 405);
      const url = new URL(request.url);
      return search(request, String(params.type), new URLSearchParams([...url.searchParams, ...form]));
    }),
  ];

  function search(request: Request, type: string, q: URLSearchParams) {
    if (!authorised(request)) return fhirJson(outcome('Unauthorized', 'error', 'login'), 401);
    const url = new URL(request.url);
    const patientId = q.get('patient') ?? q.get('subject')?.replace(/^Patient\//, '') ?? null;
    if (!patientId) return fhirJson(outcome('patient is required'), 400);
    const matches = options.resources.filter(
      (r) =>
        r.resourceType === type &&
        refersTo(r, patientId) &&
        matchesTokens(r, 'code', q.get('code')) &&
        matchesTokens(r, 'combo-code', q.get('combo-code')) &&
        matchesTokens(r, 'category', q.get('category')),
    );
    const size = Math.min(Number(q.get('_count') ?? 50) || 50, maxPage);
    const offset = options.paging === 'offset' ? Number(q.get('_offset') ?? 0) : Number(q.get('_page') ?? 0) * size;
    const slice = matches.slice(offset, offset + size);
    let next: string | undefined;
    if (offset + size < matches.length) {
      // GET links repeat the query; for a POST search, a GET of the same parameters.
      const nextUrl = new URL(`${base}/${type}`);
      for (const [k, v] of q) if (k !== '_page' && k !== '_offset') nextUrl.searchParams.append(k, v);
      if (options.paging === 'offset') nextUrl.searchParams.set('_offset', String(offset + size));
      else nextUrl.searchParams.set('_page', String(offset / size + 1));
      next = nextUrl.href;
    }
    const total = options.total === 'none' ? undefined : options.total === 'page' ? slice.length : matches.length;
    return fhirJson(searchset(slice, { self: url.href, ...(next ? { next } : {}), ...(total !== undefined ? { total } : {}) }));
  }
}
