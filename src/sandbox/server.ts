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
 *   GET  /sandbox/cds/launch?patient=&url=  a CDS card's SMART link: EHR launch of url → 302 url?iss=&launch=
 *   GET  /sandbox/cds/orders?patient=       order-select with an empty draft, the suggestions as a page
 *   GET  /sandbox/auth/authorize, POST /sandbox/auth/token, GET /sandbox/auth/jwks  (auth.ts)
 *   GET  /fhir/**                  FHIR API (fhir.ts)
 *   GET  /site-codes.json          the site's terminology map the app reads at start (docs/site-codes.md):
 *                                  the scenario laboratory's (test/scenarios/site/site-codes.json), or
 *                                  SANDBOX_SITE_CODES=<file>; `off` serves none (the app then finds
 *                                  what the build put beside it, usually nothing)
 *
 * The origin (scheme://host:port) of every URL the sandbox hands out is the one the request came to,
 * so the same server works as http://localhost:5173 and http://127.0.0.1:5173.
 *
 * The home page and /sandbox/cds/orders call the CDS service as an EHR does (cds-client.ts), at
 * /cds-services on this same server (mounted beside the sandbox by vite-plugin.ts, cds-mount.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FhirResource, Practitioner } from 'fhir/r4';
import { requestOrigin } from '../cds/http';
import { ORDER_SELECT_SERVICE, PATIENT_VIEW_SERVICE } from '../cds/discovery';
import { AuthServer, CLINICIAN_ID } from './auth';
import { SandboxCdsClient, type CdsCallResult, type SelfAddress } from './cds-client';
import { cdsResultHtml, ordersBody } from './cds-pages';
import { loadSandboxData, type SandboxPatient } from './data';
import { FhirStore, initEngine, isCompartmentType, isKnownResourceType } from './engine';
import { defaultLaunchOptions, parseLaunchOptions, sleep } from './faults';
import { FhirApi, outcome, sendJson, type ServerCapabilities } from './fhir';
import { errorPage, homePage, layout, PAGE_CSP, patientPickerPage } from './pages';

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
  /** The site code map served at /site-codes.json; default SANDBOX_SITE_CODES, else the scenarios' one; `false`: none. */
  siteCodesFile?: string | false;
  /** Where the startup line and load warnings go; default console.log / console.warn. */
  log?: (line: string) => void;
  warn?: (line: string) => void;
}

export interface Sandbox {
  handle: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;
  patients: SandboxPatient[];
  warnings: string[];
  /** The sandbox as a CDS client (its issuer resolver is what the service trusts). */
  cdsClient: SandboxCdsClient;
  /** A short-lived read token for one patient, as given to a CDS service (fhirAuthorization). */
  serviceToken: (patientId: string, seconds: number) => { access_token: string; expires_in: number; scope: string };
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
  const cdsClient = new SandboxCdsClient((patient, seconds) => auth.serviceToken(patient, seconds));
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

  const envSite = process.env.SANDBOX_SITE_CODES;
  const siteCodesFile =
    options.siteCodesFile ?? (envSite === 'off' ? false : envSite ? path.resolve(envSite) : path.join(root, 'test', 'scenarios', 'site', 'site-codes.json'));

  const handle = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void): void => {
    const rawUrl = req.url ?? '/';
    if (siteCodesFile && /^\/site-codes\.json(\?|$)/.test(rawUrl)) return serveSiteCodes(res, siteCodesFile, next);
    if (!/^\/(fhir|sandbox)(\/|\?|$)/.test(rawUrl)) return next();
    const origin = requestOrigin(req);
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
    if (p === '/sandbox/' || p === '/sandbox/index.html') return html(res, 200, homePage(data.patients, origin, await patientCards(selfOf(req, origin))));
    if (p === '/sandbox/cds/launch') return cdsLaunch(res, url, origin);
    if (p === '/sandbox/cds/orders') {
      const patient = data.patients.find((x) => x.id === url.searchParams.get('patient'));
      if (!patient) return html(res, 404, errorPage('Order-select failed', 'Unknown patient: choose one on the sandbox home page.'));
      const result = await cdsClient.call(selfOf(req, origin), ORDER_SELECT_SERVICE, patient.id, { selections: [], draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [] } });
      return html(res, 200, layout('order-select suggestions', `${ordersBody(result, patient.id, patient.name)}<p><a href="/sandbox/">Back to the sandbox</a></p>`));
    }
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

  /** patient-view for every patient (three at a time), as HTML per patient id. */
  async function patientCards(self: SelfAddress): Promise<Map<string, string>> {
    const results = new Map<string, CdsCallResult>();
    const queue = [...data.patients];
    const worker = async () => {
      for (let p = queue.shift(); p; p = queue.shift()) results.set(p.id, await cdsClient.call(self, PATIENT_VIEW_SERVICE, p.id));
    };
    await Promise.all([worker(), worker(), worker()]);
    return new Map(data.patients.map((p) => [p.id, cdsResultHtml(results.get(p.id), p.id, p.name)]));
  }

  /** A card's SMART link: an EHR launch of the link's URL for the patient (same origin only). */
  function cdsLaunch(res: ServerResponse, url: URL, origin: string): void {
    const patient = url.searchParams.get('patient') ?? '';
    if (!patientIds.has(patient)) return html(res, 404, errorPage('Launch failed', 'Unknown patient: choose one on the sandbox home page.'));
    let target: URL;
    try {
      target = new URL(url.searchParams.get('url') ?? '');
    } catch {
      return html(res, 400, errorPage('Launch failed', "The card's link is not an absolute URL."));
    }
    // The sandbox's authorization server accepts redirects to its own origin only: an app elsewhere
    // could not complete the launch, and this page must not redirect anywhere else.
    if (target.origin !== origin) {
      return html(res, 400, errorPage('Launch failed', `The card's link (CDS_APP_LAUNCH_URL) is not on this sandbox's origin (${origin}): the sandbox can launch only the app it serves.`));
    }
    const launch = auth.createLaunch(patient, defaultLaunchOptions());
    target.searchParams.set('iss', `${origin}/fhir`);
    target.searchParams.set('launch', launch.id);
    return redirect(res, target.pathname + target.search);
  }

  return {
    handle,
    patients: data.patients,
    warnings: data.warnings,
    cdsClient,
    serviceToken: (patient, seconds) => auth.serviceToken(patient, seconds),
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

/** The site code map, as a deployment would serve it beside the app (no checking here: the app checks). */
function serveSiteCodes(res: ServerResponse, file: string, next: (err?: unknown) => void): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return next();
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
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

/** This server's own socket (the address the request arrived on), for the sandbox's CDS calls. */
function selfOf(req: IncomingMessage, origin: string): SelfAddress {
  const host = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return { origin, host, port: req.socket.localPort ?? 80 };
}
