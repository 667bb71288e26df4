/**
 * The local SMART sandbox as one framework-free request handler: `createSandbox()` loads the data
 * once and returns `handle(req, res, next)`, which answers /sandbox/** and /fhir/** and passes
 * everything else to `next` (Vite serves the app). Vite mounts it in vite-plugin.ts; tests mount it
 * on a plain node:http server.
 *
 * Routes:
 *   GET  /sandbox/                 home page: patients, Launch buttons, fault options
 *   GET  /sandbox/launch?patient=  start an EHR launch → 302 /launch/?iss=<origin>/fhir&launch=<id>
 *   GET  /sandbox/patients.json    the patient list (id, name, age, gender, description, source)
 *   GET  /sandbox/smart-style.json the smart_style_url document
 *   GET  /sandbox/auth/authorize, POST /sandbox/auth/token, GET /sandbox/auth/jwks  (auth.ts)
 *   GET  /fhir/**                  FHIR API (fhir.ts)
 *
 * The origin (scheme://host:port) of every URL the sandbox hands out is the one the request came to,
 * so the same server works as http://localhost:5173 and http://127.0.0.1:5173.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FhirResource, Practitioner } from 'fhir/r4';
import { AuthServer, CLINICIAN_ID } from './auth';
import { loadSandboxData, type SandboxPatient } from './data';
import { FhirStore, initEngine, isCompartmentType, isKnownResourceType } from './engine';
import { parseLaunchOptions, sleep } from './faults';
import { FhirApi, outcome, sendJson, type ServerCapabilities } from './fhir';
import { errorPage, homePage, PAGE_CSP, patientPickerPage } from './pages';

export interface SandboxOptions {
  /** Repository root; default: two levels above this file. */
  root?: string;
  scenarioDir?: string | false;
  syntheaDir?: string | false;
  /** Extra data folder; default process.env.SANDBOX_DATA. */
  extraDir?: string;
  /** Global latency added to every FHIR request; default process.env.SANDBOX_LATENCY_MS or 0. */
  latencyMs?: number;
  /** What the FHIR API offers (fhir.ts); default process.env.SANDBOX_CAPABILITIES, else `full`. */
  capabilities?: ServerCapabilities;
  today?: Date;
  referenceDate?: string;
  /** Where the startup line and load warnings go; default console.log / console.warn. */
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export interface Sandbox {
  handle: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  patients: SandboxPatient[];
  warnings: string[];
  /** Startup time in ms (definitions + files + repository). */
  startupMs: number;
  close: () => void;
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const t0 = performance.now();
  const root = options.root ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const log = options.log ?? ((l: string) => console.log(l));
  const warn = options.warn ?? ((l: string) => console.warn(l));
  initEngine();
  const data = loadSandboxData({
    root,
    scenarioDir: options.scenarioDir,
    syntheaDir: options.syntheaDir,
    extraDir: options.extraDir ?? (process.env.SANDBOX_DATA || undefined),
    today: options.today,
    referenceDate: options.referenceDate,
    isKnownType: isKnownResourceType,
    isCompartmentType,
  });
  const clinician: Practitioner = {
    resourceType: 'Practitioner',
    id: CLINICIAN_ID,
    active: true,
    name: [{ use: 'official', text: 'Sandbox Clinician', family: 'Clinician', given: ['Sandbox'] }],
  };
  const shared: FhirResource[] = [...data.shared, clinician];
  const store = new FhirStore();
  const count = await store.load(data.byPatient, shared);
  const envLatency = Number(process.env.SANDBOX_LATENCY_MS ?? 0);
  const latencyMs = options.latencyMs ?? (Number.isFinite(envLatency) && envLatency > 0 ? envLatency : 0);
  const patientIds = new Set(data.patients.map((p) => p.id));
  const auth = new AuthServer((id) => patientIds.has(id));
  const capabilities = options.capabilities ?? (process.env.SANDBOX_CAPABILITIES === 'basic' ? 'basic' : 'full');
  const api = new FhirApi({ store, auth, envLatencyMs: latencyMs, capabilities });
  const startupMs = Math.round(performance.now() - t0);

  for (const w of data.warnings) warn(w);
  const extra = [
    data.unattributed ? `${data.unattributed} resources without a known patient dropped` : '',
    data.unknownType ? `${data.unknownType} resources of unknown types dropped` : '',
    latencyMs ? `latency ${latencyMs} ms per FHIR request` : '',
    capabilities === 'basic' ? 'FHIR API without POST searches or combo-code' : '',
  ].filter(Boolean);
  // Counts only: never a name, id or value.
  log(
    `sandbox: ${data.patients.length} patients (${count} resources) loaded from ${data.sources} sources in ${startupMs} ms` +
      (extra.length ? `; ${extra.join('; ')}` : ''),
  );

  const handle = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const rawUrl = req.url ?? '/';
    if (!/^\/(fhir|sandbox)(\/|\?|$)/.test(rawUrl)) return next();
    const origin = originOf(req);
    let url: URL;
    try {
      url = new URL(rawUrl, origin);
    } catch {
      return sendJson(res, 400, outcome('invalid', 'Bad request URL.'));
    }
    route(req, res, url, origin).catch((err: unknown) => {
      // Never echo data: only the error class.
      warn(`sandbox: internal error (${err instanceof Error ? err.name : 'unknown'})`);
      if (!res.headersSent) sendJson(res, 500, outcome('exception', 'Sandbox internal error.'));
      else res.end();
    });
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void> {
    const p = url.pathname;
    if (p === '/fhir' || p.startsWith('/fhir/')) return api.handle(req, res, url, origin);
    if (p === '/sandbox') return redirect(res, '/sandbox/');
    if (p === '/sandbox/' || p === '/sandbox/index.html') return html(res, 200, homePage(data.patients, origin));
    if (p === '/sandbox/patients.json') {
      return sendJson(res, 200, data.patients, { 'Content-Type': 'application/json' });
    }
    if (p === '/sandbox/smart-style.json') {
      return sendJson(res, 200, SMART_STYLE, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    }
    if (p === '/sandbox/launch') {
      const patient = url.searchParams.get('patient') ?? '';
      if (!patientIds.has(patient)) return html(res, 404, errorPage('Launch failed', 'Unknown patient: choose one on the sandbox home page.'));
      const { options: launchOptions, errors } = parseLaunchOptions(url.searchParams);
      if (errors.length) return html(res, 400, errorPage('Launch failed', errors.join(' ')));
      const launch = auth.createLaunch(patient, launchOptions);
      const to = new URLSearchParams({ iss: `${origin}/fhir`, launch: launch.id });
      return redirect(res, `/launch/?${to.toString()}`);
    }
    if (p === '/sandbox/auth/authorize') {
      const result = auth.authorize(url.searchParams, origin);
      if (result.kind === 'redirect') return redirect(res, result.location);
      if (result.kind === 'pick-patient') return html(res, 200, patientPickerPage(data.patients, result.query));
      return html(res, result.status, errorPage('Authorization failed', result.message));
    }
    if (p === '/sandbox/auth/token') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'invalid_request', error_description: 'POST only' }, { 'Content-Type': 'application/json', Allow: 'POST' });
      const body = await readBody(req, 64 * 1024);
      if (body === undefined) return sendJson(res, 413, { error: 'invalid_request', error_description: 'body too large' }, { 'Content-Type': 'application/json' });
      const result = auth.token(new URLSearchParams(body), req.headers.authorization);
      await sleep(result.latencyMs ?? 0);
      return sendJson(res, result.status, result.body, { 'Content-Type': 'application/json', Pragma: 'no-cache' });
    }
    if (p === '/sandbox/auth/jwks') return sendJson(res, 200, auth.jwks(), { 'Content-Type': 'application/json' });
    return html(res, 404, errorPage('Not found', 'No such sandbox page.'));
  }

  return {
    handle,
    patients: data.patients,
    warnings: data.warnings,
    startupMs,
    close: () => auth.close(),
  };
}

/** smart_style_url document (SMART App Launch "styling"). */
const SMART_STYLE = {
  color_background: '#f6f7f9',
  color_error: '#b00020',
  color_highlight: '#1a5a96',
  color_modal_backdrop: 'rgba(0,0,0,0.4)',
  color_success: '#2e7d32',
  color_text: '#1b1f24',
  dim_border_radius: '4px',
  dim_font_size: '15px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  font_family_heading: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
};

function originOf(req: IncomingMessage): string {
  // HTTP/1.1 sends Host; HTTP/2 (Vite's HTTPS server) sends :authority instead. Anything that is not
  // a plain host[:port] is ignored, so a crafted header cannot reach a redirect or the issuer.
  const raw = req.headers.host ?? req.headers[':authority'];
  const candidate = typeof raw === 'string' ? raw : undefined;
  const host = candidate && /^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(candidate) ? candidate : '127.0.0.1';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${encrypted ? 'https' : 'http'}://${host}`;
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
  res.end();
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
