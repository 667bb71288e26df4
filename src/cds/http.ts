/**
 * node:http helpers of the service: the request's own origin, a bounded body reader, JSON answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CdsError } from './errors';

/**
 * scheme://host[:port] the request came to. HTTP/1.1 sends Host, HTTP/2 :authority; anything that is
 * not a plain host[:port] is ignored, so a crafted header cannot reach a URL the service hands out.
 */
export function requestOrigin(req: IncomingMessage): string {
  const raw = req.headers.host ?? req.headers[':authority'];
  const candidate = typeof raw === 'string' ? raw : undefined;
  const host = candidate && /^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/.test(candidate) ? candidate : '127.0.0.1';
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${encrypted ? 'https' : 'http'}://${host}`;
}

/** How much of an oversized body is read (and dropped) before the connection is cut. */
const DRAIN_LIMIT_FACTOR = 4;

/**
 * The body as text, at most `limit` bytes; a larger body is a 413 (CdsError). The rest of an
 * oversized body is read and dropped (up to 4 × limit), so the client receives the 413 instead of a
 * connection reset in the middle of its upload; beyond that the connection is cut.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? NaN);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > limit;
    const tooLarge = () => new CdsError('payload-too-large', `The request body is larger than ${limit} bytes (CDS_MAX_BODY_BYTES).`);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      if (!over) chunks.push(c);
      else if (size > limit * DRAIN_LIMIT_FACTOR) {
        req.destroy();
        reject(tooLarge());
      }
    });
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(JSON.stringify(body));
}
