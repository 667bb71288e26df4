/**
 * The sandbox as a CDS client: it calls the CDS service the way an EHR does, over HTTP —
 * discovery, then for a patient every prefetch template executed against its own FHIR API (each
 * search followed to its last page and sent as one searchset Bundle), a JWT signed with its own key,
 * and `fhirServer` + `fhirAuthorization` (a short-lived token for that patient) so the service could
 * fetch more.
 *
 * Signing: an EC P-384 key pair made at startup (ES384, recommended by CDS Hooks 2.0); `iss` is
 * `<origin>/sandbox`, the base URL of this EHR on the origin it is reached by. The service trusts it
 * through `issuerResolver` (the dev/preview server passes it to the service): any issuer of that form
 * whose JWT verifies with this process's public key. The private key never leaves the process, so
 * nothing outside can sign as the sandbox.
 *
 * The calls go to the server's own socket (the address the page request arrived on) with the page's
 * Host header, so the service sees the same origin, and so the same `aud`, as the browser would.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4';
import { createLocalJWKSet, SignJWT, type JSONWebKeySet } from 'jose';
import type { IssuerResolver } from '../cds/trust';
import type { CdsResponse, CdsServiceDefinition, DiscoveryResponse } from '../cds/types';
const TOKEN_LIFETIME_S = 300;
/** Pages followed per prefetch search (200 results each). */
const MAX_PAGES = 500;

/** Where to reach this server itself, and as which origin. */
export interface SelfAddress {
  /** scheme://host:port the page request came to (its Host header). */
  origin: string;
  /** The socket address the request arrived on. */
  host: string;
  port: number;
}

export type CdsCallResult =
  | { ok: true; status: number; response: CdsResponse }
  | { ok: false; status?: number; message: string };

export interface ServiceToken {
  access_token: string;
  expires_in: number;
  scope: string;
}

interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP request to this server's own socket, bounded in time. */
function selfRequest(self: SelfAddress, method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string, timeoutMs = 20_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: self.host, port: self.port, method, path, headers: { ...headers, host: new URL(self.origin).host }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function outcome(text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: text }] };
}

/** The `message` of the service's JSON error body. */
function errorMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    return typeof m === 'string' ? m : 'no message';
  } catch {
    return 'the answer is not JSON';
  }
}

export class SandboxCdsClient {
  private readonly keys = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  private readonly kid = crypto.randomBytes(8).toString('base64url');
  private readonly jwks: JSONWebKeySet;

  constructor(private readonly serviceToken: (patientId: string, seconds: number) => ServiceToken) {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    this.jwks = { keys: [{ ...jwk, kid: this.kid, alg: 'ES384', use: 'sig' } as JSONWebKeySet['keys'][number]] };
  }

  /** The sandbox's issuer on an origin. */
  static issuer(origin: string): string {
    return `${origin}/sandbox`;
  }

  /** For the service's trust store: the sandbox's issuers, with this process's public key. */
  get issuerResolver(): IssuerResolver {
    const keys = createLocalJWKSet(this.jwks);
    return (iss) => (/^https?:\/\/[^/?#]+\/sandbox$/.test(iss) ? keys : undefined);
  }

  publicJwks(): JSONWebKeySet {
    return structuredClone(this.jwks);
  }

  async sign(origin: string, audience: string): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid: this.kid })
      .setIssuer(SandboxCdsClient.issuer(origin))
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${TOKEN_LIFETIME_S}s`)
      .setJti(crypto.randomUUID())
      .sign(this.keys.privateKey);
  }

  async discovery(self: SelfAddress): Promise<CdsServiceDefinition[]> {
    const answer = await selfRequest(self, 'GET', '/cds-services', { accept: 'application/json', authorization: `Bearer ${await this.sign(self.origin, `${self.origin}/cds-services`)}` });
    if (answer.status !== 200) throw new Error(`discovery answered HTTP ${answer.status}`);
    return (JSON.parse(answer.body) as DiscoveryResponse).services;
  }

  /** Every template of a service's prefetch, executed for the patient (key → value). */
  async prefetch(self: SelfAddress, templates: Record<string, string>, patientId: string, accessToken: string): Promise<Record<string, unknown>> {
    const keys = Object.entries(templates);
    const values = await Promise.all(keys.map(([, template]) => this.prefetchOne(self, template, patientId, accessToken)));
    return Object.fromEntries(keys.map(([key], i) => [key, values[i]]));
  }

  /** One prefetch template, executed as the EHR: every page, one searchset Bundle (or the resource). */
  private async prefetchOne(self: SelfAddress, template: string, patientId: string, token: string): Promise<unknown> {
    const path = `/fhir/${template.split('{{context.patientId}}').join(encodeURIComponent(patientId))}`;
    const headers = { accept: 'application/fhir+json', authorization: `Bearer ${token}` };
    const entries: NonNullable<Bundle['entry']> = [];
    let next: string | undefined = path;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const answer = await selfRequest(self, 'GET', next, headers);
      if (answer.status !== 200) return outcome(`The sandbox EHR could not prefetch this (HTTP ${answer.status}).`);
      const json = JSON.parse(answer.body) as FhirResource;
      if (json.resourceType !== 'Bundle') return json;
      entries.push(...(json.entry ?? []));
      const link = json.link?.find((l) => l.relation === 'next')?.url;
      next = link ? new URL(link).pathname + new URL(link).search : undefined;
    }
    if (next) return outcome('The sandbox EHR stopped following the pages of this search.');
    return entries.length ? { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries } : null;
  }

  /** Calls a service for a patient with full prefetch; never throws. */
  async call(self: SelfAddress, serviceId: string, patientId: string, extraContext: Record<string, unknown> = {}): Promise<CdsCallResult> {
    // Its own calls are plain HTTP (npm start, vite preview); the benchmark's HTTPS server is not called.
    if (!self.origin.startsWith('http:')) return { ok: false, message: 'The sandbox calls the CDS service over plain HTTP only (npm start, npm run preview).' };
    try {
      const services = await this.discovery(self);
      const service = services.find((s) => s.id === serviceId);
      if (!service) return { ok: false, message: `The CDS service "${serviceId}" is not in the discovery document.` };
      const token = this.serviceToken(patientId, TOKEN_LIFETIME_S);
      const prefetch = await this.prefetch(self, service.prefetch ?? {}, patientId, token.access_token);
      const body = {
        hook: service.hook,
        hookInstance: crypto.randomUUID(),
        fhirServer: `${self.origin}/fhir`,
        fhirAuthorization: { ...token, token_type: 'Bearer', subject: 'cds-service', patient: patientId },
        context: { userId: 'Practitioner/sandbox-clinician', patientId, ...extraContext },
        prefetch,
      };
      const url = `${self.origin}/cds-services/${encodeURIComponent(service.id)}`;
      const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${await this.sign(self.origin, url)}` };
      const answer = await selfRequest(self, 'POST', `/cds-services/${encodeURIComponent(service.id)}`, headers, JSON.stringify(body));
      if (answer.status !== 200) return { ok: false, status: answer.status, message: `HTTP ${answer.status}: ${errorMessage(answer.body)}` };
      return { ok: true, status: 200, response: JSON.parse(answer.body) as CdsResponse };
    } catch (error) {
      return { ok: false, message: `The CDS service could not be called (${error instanceof Error ? error.message : 'unknown error'}).` };
    }
  }
}
