/**
 * The service's failures as typed values. Each carries its HTTP status and a message written for the
 * integration engineer who reads the EHR's log: what was wrong and what to change. A message never
 * holds patient data (no id, no value): only names of keys, types, settings and claims.
 */

export type CdsErrorKind =
  | 'unauthorized'
  | 'bad-request'
  | 'not-found'
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'precondition-failed'
  | 'unavailable';

const STATUS: Record<CdsErrorKind, number> = {
  unauthorized: 401,
  'bad-request': 400,
  'not-found': 404,
  'method-not-allowed': 405,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  'precondition-failed': 412,
  unavailable: 503,
};

export class CdsError extends Error {
  override name = 'CdsError';
  readonly status: number;
  constructor(
    readonly kind: CdsErrorKind,
    message: string,
  ) {
    super(message);
    this.status = STATUS[kind];
  }
}

/** Why a JWT was refused: one value per check, so tests and logs name the check, not a string. */
export type JwtFailure =
  | 'missing'
  | 'malformed'
  | 'untrusted-issuer'
  | 'bad-signature'
  | 'algorithm'
  | 'wrong-audience'
  | 'expired'
  | 'not-yet-valid'
  | 'claims'
  | 'replayed'
  | 'keys-unavailable'
  | 'busy';

export class JwtError extends CdsError {
  override name = 'JwtError';
  constructor(
    readonly failure: JwtFailure,
    message: string,
  ) {
    super(failure === 'keys-unavailable' || failure === 'busy' ? 'unavailable' : 'unauthorized', message);
  }
}
