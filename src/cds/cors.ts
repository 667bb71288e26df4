/**
 * CORS for browser-based CDS clients (the CDS Hooks sandbox, an EHR's web client): only the origins
 * configured in CDS_ALLOWED_ORIGINS get CORS headers. EHRs that call from their servers send no
 * Origin and need none.
 *
 * Decisions: exact origins only (no wildcard: a service answering with patient data must not be
 * readable by any page); credentials are not allowed (the JWT travels in Authorization, not in
 * cookies); a preflight from any other origin is answered 403 without CORS headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function parseOrigins(value: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (value ?? '').split(/[\s,]+/).filter(Boolean)) {
    try {
      const url = new URL(raw);
      if (url.protocol === 'https:' || url.protocol === 'http:') out.push(url.origin);
    } catch {
      throw new Error(`CDS_ALLOWED_ORIGINS: "${raw}" is not an origin (scheme://host[:port]).`);
    }
  }
  return out;
}

export interface CorsDecision {
  /** The request comes from a browser page of another origin (it sent Origin). */
  crossOrigin: boolean;
  allowed: boolean;
  headers: Record<string, string>;
}

export function corsFor(req: IncomingMessage, allowed: readonly string[]): CorsDecision {
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
  if (!origin) return { crossOrigin: false, allowed: true, headers: {} };
  if (!allowed.includes(origin)) return { crossOrigin: true, allowed: false, headers: { Vary: 'Origin' } };
  return {
    crossOrigin: true,
    allowed: true,
    headers: {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    },
  };
}

/** Answers a preflight (OPTIONS). */
export function answerPreflight(res: ServerResponse, cors: CorsDecision): void {
  res.writeHead(cors.allowed ? 204 : 403, { ...cors.headers, Allow: 'GET, POST, OPTIONS', 'Content-Length': '0' });
  res.end();
}
