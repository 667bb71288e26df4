/**
 * The trusted issuers (CDS_TRUSTED_ISSUERS), the replay cache's bounds, and the service's
 * configuration from the environment.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdsConfigError, readCdsConfig } from '../../src/cds/config';
import { JwtError } from '../../src/cds/errors';
import { verifyCaller } from '../../src/cds/jwt';
import { MemoryReplayCache } from '../../src/cds/replay';
import { parseTrustedIssuers, TrustConfigError } from '../../src/cds/trust';
import { makeKey, signJwt, TEST_ISS } from './helpers';

const AUD = 'https://cds.example.org/cds-services/nephrocalcinosis-workup';
// The CDS Hooks sandbox's public key, as shipped in ../shared (local tests only: its private key is public).
const SHARED = readFileSync(resolve(__dirname, '../../../shared/cds-sandbox/sandbox-trusted-issuers.json'), 'utf8');

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof JwtError) return error.failure;
    throw error;
  }
  return 'accepted';
}

describe('CDS_TRUSTED_ISSUERS', () => {
  it('reads the CDS Hooks sandbox entry shipped in ../shared', () => {
    const store = parseTrustedIssuers(SHARED);
    expect(store.issuers).toEqual(['https://sandbox.cds-hooks.org']);
    expect(store.keysFor('https://sandbox.cds-hooks.org')).toBeTypeOf('function');
    expect(store.keysFor('https://elsewhere.example')).toBeUndefined();
  });

  it('a JWT claiming the CDS Hooks sandbox but signed with another key is refused', async () => {
    const store = parseTrustedIssuers(SHARED);
    const jwt = await signJwt(makeKey('44823f3d-0b01-4a6c-a80e-b9d3e8a7226f'), AUD, { iss: 'https://sandbox.cds-hooks.org' });
    expect(await failure(verifyCaller(`Bearer ${jwt}`, { trust: store, replay: new MemoryReplayCache(), audience: AUD }))).toBe('bad-signature');
  });

  it('refuses what cannot be a verifier configuration, with a message naming the problem', () => {
    const key = makeKey();
    const cases: Array<[string, RegExp]> = [
      ['{', /not valid JSON/],
      ['[]', /JSON object keyed by issuer/],
      ['{"x": {}}', /exactly one of "jwks" or "jwks_url"/],
      ['{"x": {"jwks": {"keys": []}}}', /at least one key/],
      [JSON.stringify({ x: { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } } }), /symmetric/],
      [JSON.stringify({ x: { jwks: { keys: [{ ...key.jwks.keys[0], d: 'private' }] } } }), /private key/],
      ['{"x": {"jwks_url": "http://keys.example.org/jwks.json"}}', /must be https/],
      ['{"x": {"jwks_url": "not a url"}}', /not a URL/],
    ];
    for (const [json, message] of cases) expect(() => parseTrustedIssuers(json), json).toThrow(message);
    expect(() => parseTrustedIssuers('{')).toThrow(TrustConfigError);
    expect(parseTrustedIssuers('').issuers).toEqual([]);
  });

  it('keys by URL (jwks_url): fetched, cached, used to verify', async () => {
    const key = makeKey();
    let served = 0;
    const server = http.createServer((_req, res) => {
      served++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(key.jwks));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const store = parseTrustedIssuers(JSON.stringify({ [TEST_ISS]: { jwks_url: url } }));
      const replay = new MemoryReplayCache();
      for (let i = 0; i < 3; i++) await verifyCaller(`Bearer ${await signJwt(key, AUD)}`, { trust: store, replay, audience: AUD });
      expect(served).toBe(1);
      expect(await failure(verifyCaller(`Bearer ${await signJwt(makeKey(key.kid), AUD)}`, { trust: store, replay, audience: AUD }))).toBe('bad-signature');
    } finally {
      server.close();
    }
  });

  it('an unreachable jwks_url is a 503 (the keys could not be read), not an acceptance', async () => {
    const key = makeKey();
    const store = parseTrustedIssuers(JSON.stringify({ [TEST_ISS]: { jwks_url: 'http://127.0.0.1:9/jwks.json' } }));
    const p = verifyCaller(`Bearer ${await signJwt(key, AUD)}`, { trust: store, replay: new MemoryReplayCache(), audience: AUD });
    await expect(p).rejects.toMatchObject({ failure: 'keys-unavailable', status: 503 });
  });
});

describe('the replay cache', () => {
  it('remembers a key until its expiry, then forgets it', () => {
    const c = new MemoryReplayCache(10);
    expect(c.claimNow('a', 2_000, 1_000)).toBe('fresh');
    expect(c.claimNow('a', 2_000, 1_500)).toBe('replayed');
    expect(c.claimNow('a', 40_000, 2_001)).toBe('fresh');
  });

  it('is bounded: when full of live entries it refuses rather than forgets (fail closed)', () => {
    const c = new MemoryReplayCache(3);
    for (const k of ['a', 'b', 'c']) expect(c.claimNow(k, 100_000, 1_000)).toBe('fresh');
    expect(c.claimNow('d', 100_000, 1_000)).toBe('full');
    expect(c.claimNow('a', 100_000, 1_000)).toBe('replayed');
    // Once entries expire, room is made again.
    expect(c.claimNow('d', 200_000, 150_000)).toBe('fresh');
    expect(c.size).toBe(1);
  });

  it('a full cache makes the call a 503, never an unchecked acceptance', async () => {
    const key = makeKey();
    const store = parseTrustedIssuers(JSON.stringify({ [TEST_ISS]: { jwks: key.jwks } }));
    const replay = new MemoryReplayCache(1);
    await verifyCaller(`Bearer ${await signJwt(key, AUD)}`, { trust: store, replay, audience: AUD });
    await expect(verifyCaller(`Bearer ${await signJwt(key, AUD)}`, { trust: store, replay, audience: AUD })).rejects.toMatchObject({ failure: 'busy', status: 503 });
  });

  it('a token is remembered only as long as it could be accepted (iat + 10 min at most)', async () => {
    const key = makeKey();
    const store = parseTrustedIssuers(JSON.stringify({ [TEST_ISS]: { jwks: key.jwks } }));
    const seen: number[] = [];
    const replay = { claim: async (_k: string, exp: number) => (seen.push(exp), 'fresh' as const) };
    const now = Date.now();
    await verifyCaller(`Bearer ${await signJwt(key, AUD, { expIn: 86_400 })}`, { trust: store, replay, audience: AUD });
    expect(seen[0]! - now).toBeLessThanOrEqual((600 + 60 + 1) * 1000);
  });
});

describe('configuration from the environment', () => {
  it('reads every variable', () => {
    const c = readCdsConfig({
      PORT: '9001',
      HOST: '0.0.0.0',
      CDS_TRUSTED_ISSUERS: SHARED,
      CDS_APP_LAUNCH_URL: 'https://app.example.org/launch/',
      CDS_BASE_URL: 'https://cds.example.org/',
      CDS_ALLOWED_ORIGINS: 'https://sandbox.cds-hooks.org, https://ehr.example.org',
      CDS_MAX_BODY_BYTES: '1000',
      CDS_FETCH_TIMEOUT_MS: '2000',
      CDS_JTI_CACHE_SIZE: '50',
    });
    expect(c).toMatchObject({
      port: 9001,
      host: '0.0.0.0',
      launchUrl: 'https://app.example.org/launch/',
      baseUrl: 'https://cds.example.org',
      allowedOrigins: ['https://sandbox.cds-hooks.org', 'https://ehr.example.org'],
      maxBodyBytes: 1000,
      fetchTimeoutMs: 2000,
      replayCapacity: 50,
    });
    expect(c.trust.issuers).toEqual(['https://sandbox.cds-hooks.org']);
  });

  it('names the variable of every problem', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ CDS_APP_LAUNCH_URL: 'launch/' }, /CDS_APP_LAUNCH_URL must be an absolute URL/],
      [{ CDS_APP_LAUNCH_URL: 'http://app.example.org/launch/' }, /CDS_APP_LAUNCH_URL must be https/],
      [{ CDS_BASE_URL: 'ftp://x' }, /CDS_BASE_URL must be https/],
      [{ PORT: 'eighty' }, /PORT must be a positive integer/],
      [{ CDS_TRUSTED_ISSUERS: '{' }, /CDS_TRUSTED_ISSUERS is not valid JSON/],
      [{ CDS_ALLOWED_ORIGINS: 'not-an-origin' }, /CDS_ALLOWED_ORIGINS/],
    ];
    for (const [env, message] of cases) {
      expect(() => readCdsConfig(env), JSON.stringify(env)).toThrow(message);
      expect(() => readCdsConfig(env)).toThrow(CdsConfigError);
    }
    expect(readCdsConfig({ CDS_APP_LAUNCH_URL: 'http://127.0.0.1:5173/launch/' }).launchUrl).toBe('http://127.0.0.1:5173/launch/');
  });
});
