/**
 * Verification of the JWT a CDS client sends with every service call (CDS Hooks 2.0, "Trusting CDS
 * Clients"), with jose:
 * - `Authorization: Bearer <JWT>`; `typ`, when present, is `JWT`;
 * - `iss` is a trusted issuer (trust.ts), and the signature verifies with one of its keys, with an
 *   asymmetric algorithm (the spec forbids `none` and shared-secret algorithms);
 * - `aud` (a string or an array) holds the URL of the service being called;
 * - `exp` is in the future and `iat` in the past (60 s of clock tolerance each way); a token is not
 *   accepted more than 10 minutes after its `iat`, whatever its `exp` (a CDS client signs a token
 *   per call, and the replay cache then only needs to remember a token for that long);
 * - `jti` is present and was not seen before from that issuer (replay.ts).
 * Every failure is a JwtError naming the check; no claim value reaches a message or a log.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { JwtError } from './errors';
import type { ReplayCache } from './replay';
import type { TrustStore } from './trust';

export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
export const CLOCK_TOLERANCE_S = 60;
export const MAX_TOKEN_AGE_S = 600;

export interface VerifiedCaller {
  iss: string;
  tenant?: string;
}

export interface VerifyOptions {
  trust: TrustStore;
  replay: ReplayCache;
  /** The URL of the service being called: the expected `aud`. */
  audience: string;
  now?: Date;
}

function bearer(authorization: string | undefined): string {
  const m = /^Bearer\s+([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*)\s*$/i.exec(authorization ?? '');
  if (!authorization) throw new JwtError('missing', 'No JWT: send Authorization: Bearer <JWT> signed by a trusted CDS client.');
  if (!m?.[1]) throw new JwtError('malformed', 'The Authorization header is not "Bearer <JWT>" with a compact JWS.');
  return m[1];
}

function unverifiedIssuer(token: string): string {
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw new JwtError('malformed', 'The JWT could not be decoded.');
  }
  if (header.typ !== undefined && String(header.typ).toUpperCase() !== 'JWT') throw new JwtError('malformed', 'The JWT header "typ" must be "JWT".');
  if (typeof claims.iss !== 'string' || !claims.iss) throw new JwtError('claims', 'The JWT has no "iss" claim.');
  return claims.iss;
}

/** jose's error → the check that failed. */
function failureOf(error: unknown): JwtError {
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? new JwtError('expired', `The JWT was issued more than ${MAX_TOKEN_AGE_S} s ago.`)
      : new JwtError('expired', 'The JWT has expired ("exp").');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new JwtError('wrong-audience', 'The JWT "aud" is not the URL of this service.');
    if (error.claim === 'iat' || error.claim === 'nbf') return new JwtError('not-yet-valid', `The JWT "${error.claim}" is in the future.`);
    return new JwtError('claims', `The JWT claim "${error.claim}" is missing or invalid.`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new JwtError('algorithm', 'The JWT is not signed with an allowed asymmetric algorithm (ES384 or RS384 recommended).');
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new JwtError('bad-signature', "The JWT signature does not verify with the issuer's keys.");
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new JwtError('keys-unavailable', "The issuer's JWK Set could not be read to verify the JWT.");
  }
  if (error instanceof errors.JOSEError) return new JwtError('malformed', 'The JWT is not a valid signed JWT.');
  // jose's remote JWK Set reports an unreachable URL as a plain error (fetch failed).
  return new JwtError('keys-unavailable', "The issuer's JWK Set could not be read to verify the JWT.");
}

export async function verifyCaller(authorization: string | undefined, o: VerifyOptions): Promise<VerifiedCaller> {
  const token = bearer(authorization);
  const iss = unverifiedIssuer(token);
  const keys = o.trust.keysFor(iss);
  if (!keys) throw new JwtError('untrusted-issuer', 'The JWT issuer is not trusted by this service (CDS_TRUSTED_ISSUERS).');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      issuer: iss,
      audience: o.audience,
      algorithms: ALGORITHMS,
      requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      ...(o.now ? { currentDate: o.now } : {}),
    }));
  } catch (error) {
    throw failureOf(error);
  }
  if (typeof payload.jti !== 'string' || !payload.jti || payload.jti.length > 256) throw new JwtError('claims', 'The JWT "jti" must be a non-empty string.');
  const nowMs = (o.now ?? new Date()).getTime();
  // Accepted until exp or iat + MAX_TOKEN_AGE_S, whichever is first (plus the tolerance).
  const lastAcceptedS = Math.min(payload.exp!, payload.iat! + MAX_TOKEN_AGE_S) + CLOCK_TOLERANCE_S;
  const claim = await o.replay.claim(`${iss}\n${payload.jti}`, lastAcceptedS * 1000, nowMs);
  if (claim === 'replayed') throw new JwtError('replayed', 'This JWT ("jti") was already used: a CDS client signs a new JWT for every call.');
  if (claim === 'full') throw new JwtError('busy', 'The service is receiving more calls than its replay cache can check; try again shortly.');
  return { iss, ...(typeof payload.tenant === 'string' ? { tenant: payload.tenant } : {}) };
}
