/**
 * The CDS clients (EHRs) the service trusts, and the keys each one signs with.
 *
 * `CDS_TRUSTED_ISSUERS` is a JSON object keyed by the JWT `iss` of each trusted client:
 *   {"https://ehr.example.org": {"jwks": {"keys": [ ...public JWKs... ]}},
 *    "https://other.example.org": {"jwks_url": "https://other.example.org/.well-known/jwks.json"}}
 *
 * Decisions:
 * - Keys come only from this configuration. The `jku` header of a JWT is never followed: a key URL
 *   chosen by the caller would let anyone sign with a key of their own (the spec asks services to
 *   allow-list `jku`; listing the JWKS URL here is that allow-list).
 * - A `jwks_url` must be https (http only on a loopback host, for local tests). Keys fetched from it
 *   are cached (jose: 10 minutes, refetched at most every 30 s when an unknown `kid` arrives).
 * - Private or symmetric keys in the configuration are refused at startup: a key that can sign has
 *   no place in a verifier's configuration, and shared secrets are not allowed by the spec.
 * - Extra resolvers can trust issuers the configuration cannot name in advance: the local sandbox's
 *   own EHR signs with a key made at startup (src/sandbox/cds-client.ts).
 */
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';

export class TrustConfigError extends Error {
  override name = 'TrustConfigError';
}

export type IssuerKeys = JWTVerifyGetKey;
export type IssuerResolver = (iss: string) => IssuerKeys | undefined;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function checkJwks(iss: string, jwks: unknown): JSONWebKeySet {
  if (!isObject(jwks) || !Array.isArray(jwks.keys) || jwks.keys.length === 0) {
    throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks must be a JWK Set: {"keys": [ ... ]} with at least one key.`);
  }
  for (const key of jwks.keys) {
    if (!isObject(key) || typeof key.kty !== 'string') throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks has a key without "kty".`);
    if (key.kty === 'oct') throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks has a symmetric ("oct") key: CDS Hooks allows only public-key signatures.`);
    if ('d' in key) throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks holds a private key: list only the public key.`);
  }
  return jwks as unknown as JSONWebKeySet;
}

function checkJwksUrl(iss: string, raw: unknown): URL {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks_url is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"].jwks_url must be https (http only on a loopback host).`);
  }
  return url;
}

export class TrustStore {
  private readonly byIssuer = new Map<string, IssuerKeys>();

  constructor(private readonly resolvers: readonly IssuerResolver[] = []) {}

  add(iss: string, keys: IssuerKeys): void {
    this.byIssuer.set(iss, keys);
  }

  keysFor(iss: string): IssuerKeys | undefined {
    const own = this.byIssuer.get(iss);
    if (own) return own;
    for (const resolve of this.resolvers) {
      const keys = resolve(iss);
      if (keys) return keys;
    }
    return undefined;
  }

  /** Issuers named in the configuration (not those of the resolvers). */
  get issuers(): string[] {
    return [...this.byIssuer.keys()];
  }
}

/** Parses CDS_TRUSTED_ISSUERS (empty or unset: no issuer). Throws TrustConfigError with a clear message. */
export function parseTrustedIssuers(json: string | undefined, resolvers: readonly IssuerResolver[] = []): TrustStore {
  const store = new TrustStore(resolvers);
  const text = json?.trim();
  if (!text) return store;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TrustConfigError('CDS_TRUSTED_ISSUERS is not valid JSON: expected {"<iss>": {"jwks": {...}} | {"jwks_url": "<url>"}}.');
  }
  if (!isObject(parsed)) throw new TrustConfigError('CDS_TRUSTED_ISSUERS must be a JSON object keyed by issuer.');
  for (const [iss, entry] of Object.entries(parsed)) {
    if (!iss.trim()) throw new TrustConfigError('CDS_TRUSTED_ISSUERS has an empty issuer name.');
    if (!isObject(entry) || ('jwks' in entry) === ('jwks_url' in entry)) {
      throw new TrustConfigError(`CDS_TRUSTED_ISSUERS["${iss}"] must have exactly one of "jwks" or "jwks_url".`);
    }
    if ('jwks' in entry) store.add(iss, createLocalJWKSet(checkJwks(iss, entry.jwks)));
    else store.add(iss, createRemoteJWKSet(checkJwksUrl(iss, entry.jwks_url), { timeoutDuration: 3000 }));
  }
  return store;
}
