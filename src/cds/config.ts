/**
 * The service's configuration from the environment (`npm run cds`; the dev/preview server reads the
 * same variables, with the local defaults of src/sandbox/vite-plugin.ts):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `PORT`, `HOST` | `8787`, `127.0.0.1` | where `npm run cds` listens (`HOST=0.0.0.0` behind a proxy) |
 * | `CDS_TRUSTED_ISSUERS` | (required) | `{"<iss>": {"jwks": {...}} \| {"jwks_url": "<url>"}}` (trust.ts) |
 * | `CDS_APP_LAUNCH_URL` | (required) | the app's SMART launch URL, for the cards' links |
 * | `CDS_BASE_URL` | the request's origin | public base URL (`https://cds.example.org`): the JWT `aud` is `<base>/cds-services/<id>` |
 * | `CDS_ALLOWED_ORIGINS` | none | browser origins allowed by CORS, space- or comma-separated |
 * | `CDS_MAX_BODY_BYTES` | 33554432 (32 MiB) | largest request body |
 * | `CDS_FETCH_TIMEOUT_MS` | 5000 | bound of the FHIR fetching of one call |
 * | `CDS_JTI_CACHE_SIZE` | 200000 | JWT ids remembered (replay protection) |
 */
import { parseOrigins } from './cors';
import { DEFAULT_FETCH_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './handler';
import { DEFAULT_REPLAY_CAPACITY } from './replay';
import { parseTrustedIssuers, TrustConfigError, type IssuerResolver, type TrustStore } from './trust';

export class CdsConfigError extends Error {
  override name = 'CdsConfigError';
}

export interface CdsConfig {
  port: number;
  host: string;
  trust: TrustStore;
  launchUrl?: string;
  baseUrl?: string;
  allowedOrigins: string[];
  maxBodyBytes: number;
  fetchTimeoutMs: number;
  replayCapacity: number;
}

type Env = Record<string, string | undefined>;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new CdsConfigError(`${name} must be a positive integer.`);
  return n;
}

function webUrl(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CdsConfigError(`${name} must be an absolute URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new CdsConfigError(`${name} must be https (http only on a loopback host).`);
  }
  return url.href;
}

/** Reads and checks the configuration; every problem is a CdsConfigError naming the variable. */
export function readCdsConfig(env: Env = process.env, resolvers: readonly IssuerResolver[] = []): CdsConfig {
  let trust: TrustStore;
  try {
    trust = parseTrustedIssuers(env.CDS_TRUSTED_ISSUERS, resolvers);
  } catch (error) {
    throw new CdsConfigError(error instanceof TrustConfigError ? error.message : 'CDS_TRUSTED_ISSUERS could not be read.');
  }
  let allowedOrigins: string[];
  try {
    allowedOrigins = parseOrigins(env.CDS_ALLOWED_ORIGINS);
  } catch (error) {
    throw new CdsConfigError(error instanceof Error ? error.message : 'CDS_ALLOWED_ORIGINS could not be read.');
  }
  const launchUrl = webUrl(env, 'CDS_APP_LAUNCH_URL');
  const baseUrl = webUrl(env, 'CDS_BASE_URL')?.replace(/\/+$/, '');
  return {
    port: positive(env, 'PORT', 8787),
    host: env.HOST?.trim() || '127.0.0.1',
    trust,
    ...(launchUrl ? { launchUrl } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    allowedOrigins,
    maxBodyBytes: positive(env, 'CDS_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES),
    fetchTimeoutMs: positive(env, 'CDS_FETCH_TIMEOUT_MS', DEFAULT_FETCH_TIMEOUT_MS),
    replayCapacity: positive(env, 'CDS_JTI_CACHE_SIZE', DEFAULT_REPLAY_CAPACITY),
  };
}
