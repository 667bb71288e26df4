/**
 * The CDS service as one framework-free node:http handler, mounted by the dev/preview server (the
 * sandbox plugin) and by the standalone server (server.ts):
 *
 *   GET     /cds-services        discovery (public: it holds no patient data)
 *   POST    /cds-services/<id>   a hook call: JWT (jwt.ts) → body (≤ maxBodyBytes) → request checks
 *                                (request.ts) → record (gather.ts) → answer (service.ts)
 *   OPTIONS /cds-services[/<id>] CORS preflight (cors.ts)
 *
 * The JWT is verified before the body is read: an unauthenticated caller gets a 401 and nothing of
 * the service's work. Errors are JSON `{error, message}` with the status of their CdsError.
 *
 * Logging: one line per refused or failed call (method, service id, status, the check that failed),
 * nothing for answered ones, never an id, a claim value, a URL with a query or a body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { discovery, serviceById } from './discovery';
import { CdsError, JwtError } from './errors';
import { answerPreflight, corsFor } from './cors';
import { gather } from './gather';
import { readBody, requestOrigin, sendJson } from './http';
import { verifyCaller } from './jwt';
import { MemoryReplayCache, type ReplayCache } from './replay';
import { parseHookRequest } from './request';
import { answerHook } from './service';
import type { TrustStore } from './trust';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_PAGES = 100;

export interface CdsHandlerOptions {
  trust: TrustStore;
  replay?: ReplayCache;
  /** The app's SMART launch URL for card links; a function of the request's origin when unset in config. */
  launchUrl: string | ((origin: string) => string);
  /** Public base URL of the service (CDS_BASE_URL); default: the origin the request came to. */
  baseUrl?: string;
  allowedOrigins?: readonly string[];
  maxBodyBytes?: number;
  /** Bound of the whole FHIR fetching of one call, in ms (each request is bounded by it too). */
  fetchTimeoutMs?: number;
  maxPages?: number;
  log?: (line: string) => void;
  /** Evaluation date (tests); default today. */
  now?: () => Date | string;
}

export type CdsHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void;

const PATH = /^\/cds-services(?:\/([^/?#]*))?\/?(?:[?#].*)?$/;

export function createCdsHandler(o: CdsHandlerOptions): CdsHandler {
  const replay = o.replay ?? new MemoryReplayCache();
  const log = o.log ?? ((line: string) => console.warn(line));
  const maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  async function call(req: IncomingMessage, res: ServerResponse, id: string, cors: Record<string, string>): Promise<void> {
    const service = serviceById(id);
    if (!service) throw new CdsError('not-found', 'No such CDS service: see GET /cds-services.');
    if (req.method !== 'POST') throw new CdsError('method-not-allowed', 'A CDS service is called with POST.');
    const base = (o.baseUrl ?? requestOrigin(req)).replace(/\/+$/, '');
    await verifyCaller(req.headers.authorization, { trust: o.trust, replay, audience: `${base}/cds-services/${service.id}` });
    const type = String(req.headers['content-type'] ?? '');
    if (!/^application\/(json|fhir\+json)\b/i.test(type)) throw new CdsError('unsupported-media-type', 'Send the hook request as application/json.');
    const request = parseHookRequest(await readBody(req, maxBody), service);
    const timeoutMs = o.fetchTimeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
    const signal = AbortSignal.timeout(timeoutMs);
    // Every request of the call listens to it (a heavy record: dozens of pages and parts at once).
    setMaxListeners(0, signal);
    const g = await gather(request, { timeoutMs, maxPages: o.maxPages ?? DEFAULT_MAX_PAGES, signal });
    const launchUrl = typeof o.launchUrl === 'string' ? o.launchUrl : o.launchUrl(requestOrigin(req));
    const now = o.now?.();
    sendJson(res, 200, answerHook(service, request, g, { launchUrl, uuid: randomUUID, ...(now ? { now } : {}) }), cors);
  }

  function fail(req: IncomingMessage, res: ServerResponse, id: string, error: unknown, cors: Record<string, string>): void {
    const e = error instanceof CdsError ? error : undefined;
    const status = e?.status ?? 500;
    const why = error instanceof JwtError ? error.failure : (e?.kind ?? (error instanceof Error ? error.name : 'unknown'));
    // The id is logged only when it is one of the service's own (anything else came from the caller).
    const name = !id ? 'discovery' : serviceById(id) ? id : 'unknown-service';
    log(`cds: ${req.method ?? '?'} ${name} ${status} (${why})`);
    const headers: Record<string, string> = { ...cors };
    if (status === 401) headers['WWW-Authenticate'] = 'Bearer error="invalid_token"';
    if (status === 503) headers['Retry-After'] = '1';
    if (status === 413) headers.Connection = 'close';
    sendJson(res, status, { error: e?.kind ?? 'internal', message: e?.message ?? 'The CDS service failed internally.' }, headers);
  }

  return (req, res, next) => {
    const m = PATH.exec(req.url ?? '');
    if (!m) {
      if (next) return next();
      return sendJson(res, 404, { error: 'not-found', message: 'Not a CDS Hooks URL: see GET /cds-services.' });
    }
    let id: string;
    try {
      id = decodeURIComponent(m[1] ?? '');
    } catch {
      id = '\u0000';
    }
    const cors = corsFor(req, o.allowedOrigins ?? []);
    if (req.method === 'OPTIONS') return answerPreflight(res, cors);
    if (!id) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(req, res, id, new CdsError('method-not-allowed', 'Discovery is GET /cds-services.'), cors.headers);
      return sendJson(res, 200, discovery(), cors.headers);
    }
    call(req, res, id, cors.headers).catch((error: unknown) => fail(req, res, id, error, cors.headers));
  };
}
