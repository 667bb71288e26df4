/**
 * Test helpers: mount createSandbox() on a plain node:http server on 127.0.0.1 (port 0: the OS picks
 * a free one), with the CDS service beside it as the dev server mounts it (src/sandbox/cds-mount.ts,
 * with an empty environment), and drive a real SMART launch with fetch, the way a browser and
 * fhirclient would.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalCdsHandler } from '../../src/sandbox/cds-mount';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';

export interface Running {
  sb: Sandbox;
  origin: string;
  fhir: string;
  logs: string[];
  close: () => Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Running> {
  const logs: string[] = [];
  const sb = await createSandbox({ log: (l) => logs.push(l), warn: (l) => logs.push(l), ...options });
  const cds = createLocalCdsHandler(sb, {}, (l) => logs.push(l));
  const server = http.createServer((req, res) =>
    cds(req, res, () =>
      sb.handle(req, res, () => {
        res.statusCode = 404;
        res.end('not sandbox');
      }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    sb,
    origin,
    fhir: `${origin}/fhir`,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        sb.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = crypto.randomBytes(32).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

export const CLIENT_ID = 'nephro-test-app';
export const DEFAULT_SCOPE =
  'launch openid fhirUser offline_access patient/Patient.read patient/Observation.read patient/Condition.read patient/MedicationRequest.read patient/DiagnosticReport.read patient/ServiceRequest.read patient/Encounter.read patient/Practitioner.read';

/** GET /sandbox/launch → the launch id from the redirect to /launch/. */
export async function startLaunch(r: Running, patientId: string, params: Record<string, string | string[]> = {}): Promise<string> {
  const q = new URLSearchParams({ patient: patientId });
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  const res = await fetch(`${r.origin}/sandbox/launch?${q.toString()}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`launch answered ${res.status}`);
  const to = new URL(res.headers.get('location') ?? '', r.origin);
  if (to.pathname !== '/launch/' || to.searchParams.get('iss') !== r.fhir) throw new Error(`unexpected launch redirect ${to.pathname}`);
  return to.searchParams.get('launch') ?? '';
}

export function authorizeUrl(r: Running, p: Pkce, extra: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: `${r.origin}/`,
    scope: DEFAULT_SCOPE,
    state: 'state-123',
    aud: r.fhir,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  return `${r.origin}/sandbox/auth/authorize?${q.toString()}`;
}

/** Follows authorize and returns the redirect's query (code/state or error). */
export async function authorize(r: Running, p: Pkce, extra: Record<string, string | undefined> = {}): Promise<URLSearchParams> {
  const res = await fetch(authorizeUrl(r, p, extra), { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`authorize answered ${res.status}`);
  return new URL(res.headers.get('location') ?? '').searchParams;
}

export async function token(r: Running, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${r.origin}/sandbox/auth/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface Session {
  accessToken: string;
  body: Record<string, unknown>;
  get: (path: string) => Promise<{ status: number; json: any; headers: Headers }>;
  /** POST `<Type>/_search` with the parameters as a form body. */
  search: (type: string, form: Record<string, string> | URLSearchParams) => Promise<{ status: number; json: any; headers: Headers }>;
}

/** A complete EHR launch: launch → authorize (PKCE) → token. */
export async function launchSession(
  r: Running,
  patientId: string,
  params: Record<string, string | string[]> = {},
  scope = DEFAULT_SCOPE,
): Promise<Session> {
  const launch = await startLaunch(r, patientId, params);
  const p = pkce();
  const q = await authorize(r, p, { launch, scope });
  const code = q.get('code');
  if (!code) throw new Error(`authorize refused: ${q.get('error')}`);
  const t = await token(r, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: `${r.origin}/`,
    client_id: CLIENT_ID,
    code_verifier: p.verifier,
  });
  if (t.status !== 200) throw new Error(`token refused: ${String(t.body.error)}`);
  const accessToken = String(t.body.access_token);
  return { accessToken, body: t.body, get: (path) => fhirGet(r, accessToken, path), search: (type, form) => fhirPostSearch(r, accessToken, type, form) };
}

/** Status, headers and the body as JSON (or `{unparsable}` with its text, for tests of bad bodies). */
async function readResponse(res: Response): Promise<{ status: number; json: any; headers: Headers }> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = { unparsable: text };
  }
  return { status: res.status, json, headers: res.headers };
}

export async function fhirGet(r: Running, accessToken: string | undefined, path: string): Promise<{ status: number; json: any; headers: Headers }> {
  const url = path.startsWith('http') ? path : `${r.fhir}/${path}`;
  const res = await fetch(url, { headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {} });
  return readResponse(res);
}

export async function fhirPostSearch(
  r: Running,
  accessToken: string | undefined,
  type: string,
  form: Record<string, string> | URLSearchParams,
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${r.fhir}/${type}/_search`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}) },
    body: new URLSearchParams(form).toString(),
  });
  return readResponse(res);
}

/** Follows `next` links to the end; returns every entry's resource and the number of pages. */
export async function allPages(s: Session, path: string, maxPages = 500): Promise<{ resources: any[]; pages: number; total: number }> {
  const resources: any[] = [];
  let next: string | undefined = path;
  let pages = 0;
  let total = -1;
  while (next) {
    const page = await s.get(next);
    if (page.status !== 200) throw new Error(`page answered ${page.status}`);
    if (total < 0) total = page.json.total;
    pages++;
    if (pages > maxPages) throw new Error('too many pages');
    for (const e of page.json.entry ?? []) resources.push(e.resource);
    next = page.json.link?.find((l: any) => l.relation === 'next')?.url;
  }
  return { resources, pages, total };
}
