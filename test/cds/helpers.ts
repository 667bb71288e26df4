/**
 * Test helpers for the CDS service: a CDS client's signing key, JWTs with any claim changed, the
 * service mounted beside the sandbox on a plain node:http server on 127.0.0.1 (port 0), and hook
 * request bodies with prefetch taken from the sandbox's own FHIR API.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, SignJWT, type JSONWebKeySet } from 'jose';
import { createCdsHandler, type CdsHandlerOptions } from '../../src/cds/handler';
import { MemoryReplayCache } from '../../src/cds/replay';
import { TrustStore } from '../../src/cds/trust';
import { createSandbox, type Sandbox } from '../../src/sandbox/server';

export const TEST_ISS = 'https://ehr.test.example';

export interface TestKey {
  kid: string;
  privateKey: crypto.KeyObject;
  jwks: JSONWebKeySet;
}

export function makeKey(kid = crypto.randomBytes(6).toString('hex')): TestKey {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const jwk = publicKey.export({ format: 'jwk' });
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: 'ES384', use: 'sig' } as JSONWebKeySet['keys'][number]] } };
}

export interface JwtOverrides {
  iss?: string;
  aud?: string | string[];
  /** Seconds from now. */
  expIn?: number;
  /** Seconds from now (negative: in the past). */
  iatIn?: number;
  jti?: string | null;
  alg?: string;
  typ?: string;
}

export async function signJwt(key: TestKey, aud: string, o: JwtOverrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { iss: o.iss ?? TEST_ISS, aud: o.aud ?? aud, iat: now + (o.iatIn ?? 0), exp: now + (o.expIn ?? 300) };
  if (o.jti !== null) claims.jti = o.jti ?? crypto.randomUUID();
  return new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'ES384', typ: o.typ ?? 'JWT', kid: key.kid }).sign(key.privateKey);
}

/** A JWT signed with a shared secret (HS256): a signature CDS Hooks forbids. */
export async function signHs256(aud: string, iss = TEST_ISS): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss, aud, iat: now, exp: now + 300, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(crypto.randomBytes(32));
}

export function trustOf(key: TestKey, iss = TEST_ISS): TrustStore {
  const store = new TrustStore();
  store.add(iss, createLocalJWKSet(key.jwks));
  return store;
}

export interface RunningCds {
  origin: string;
  sb: Sandbox;
  logs: string[];
  key: TestKey;
  serviceUrl: (id: string) => string;
  close: () => Promise<void>;
}

let sandboxPromise: Promise<Sandbox> | undefined;
/** One sandbox per test file (loading the data takes most of a second). */
export function sharedSandbox(): Promise<Sandbox> {
  sandboxPromise ??= createSandbox({ log: () => undefined, warn: () => undefined });
  return sandboxPromise;
}

/** The service (trusting `key` as TEST_ISS, and the sandbox's own EHR) with the sandbox behind it. */
export async function startCds(options: Partial<CdsHandlerOptions> = {}, key = makeKey()): Promise<RunningCds> {
  const sb = await sharedSandbox();
  const logs: string[] = [];
  const trust = options.trust ?? new TrustStore([sb.cdsClient.issuerResolver]);
  if (!options.trust) trust.add(TEST_ISS, createLocalJWKSet(key.jwks));
  const handler = createCdsHandler({
    replay: new MemoryReplayCache(),
    launchUrl: (origin) => `${origin}/launch/`,
    log: (l) => logs.push(l),
    ...options,
    trust,
  });
  const server = http.createServer((req, res) =>
    handler(req, res, () =>
      sb.handle(req, res, () => {
        res.statusCode = 404;
        res.end();
      }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    sb,
    logs,
    key,
    serviceUrl: (id) => `${origin}/cds-services/${id}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Prefetch for a patient: every template of the service run against the sandbox's FHIR API. */
export async function prefetchFor(r: RunningCds, templates: Record<string, string>, patientId: string): Promise<Record<string, unknown>> {
  const url = new URL(r.origin);
  const token = r.sb.serviceToken(patientId, 300);
  return r.sb.cdsClient.prefetch({ origin: r.origin, host: url.hostname, port: Number(url.port) }, templates, patientId, token.access_token);
}

export function fhirAccess(r: RunningCds, patientId: string): { fhirServer: string; fhirAuthorization: Record<string, unknown> } {
  const token = r.sb.serviceToken(patientId, 300);
  return { fhirServer: `${r.origin}/fhir`, fhirAuthorization: { ...token, token_type: 'Bearer', subject: 'cds-service', patient: patientId } };
}

export async function post(r: RunningCds, id: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(r.serviceUrl(id), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signJwt(r.key, r.serviceUrl(id))}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
