/**
 * The sandbox's authorization server (SMART App Launch 2.x, public clients, PKCE S256, auto-approve).
 *
 *   GET  /fhir/.well-known/smart-configuration   discovery (see smartConfiguration)
 *   GET  /sandbox/auth/authorize                 authorization endpoint (EHR and standalone launch)
 *   POST /sandbox/auth/token                     token endpoint (authorization_code, refresh_token)
 *   GET  /sandbox/auth/jwks                      public key of the id_token signature (RS256)
 *
 * Everything lives in memory and dies with the process. Tokens are random opaque strings; the
 * id_token is a real RS256 JWT signed with a key pair made at startup.
 *
 * Decisions (where the spec leaves room, chosen to be as strict as a real EHR):
 * - client_id: any non-empty value is accepted (no registration), but it is bound to the code and
 *   checked again at the token endpoint; redirect_uri must be on the sandbox's own origin.
 * - `aud` must equal the FHIR base URL (trailing slash ignored), PKCE S256 is required, `plain` is
 *   refused; a `launch` parameter requires the `launch` scope.
 * - Codes live 120 s and are single use. A replayed code is refused with invalid_grant and, as RFC
 *   6749 §4.1.2 recommends, the tokens issued from it are revoked.
 * - Unrecognised scopes are dropped from the grant (the granted `scope` says what was granted);
 *   resource access is checked against the granted SMART v1/v2 scopes on every FHIR request.
 */
import crypto from 'node:crypto';
import { defaultLaunchOptions, type LaunchOptions } from './faults';

export interface LaunchRecord {
  id: string;
  patientId: string;
  options: LaunchOptions;
  expiresAt: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
  patientId?: string;
  options: LaunchOptions;
  nonce?: string;
  fhirBase: string;
  expiresAt: number;
  used: boolean;
  issued: string[];
}

export interface TokenRecord {
  clientId: string;
  scopes: string[];
  patientId?: string;
  options: LaunchOptions;
  fhirBase: string;
  expiresAt: number;
}

interface RefreshRecord extends Omit<TokenRecord, 'expiresAt'> {
  expiresAt: number;
}

export type AuthorizeResult =
  | { kind: 'redirect'; location: string }
  | { kind: 'pick-patient'; query: URLSearchParams }
  | { kind: 'error-page'; status: number; message: string };

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
  /**
   * The launch's injected latency (`latency=<ms>`), for the server to wait before answering: a
   * network's round trip costs the token request as much as a FHIR request (the benchmark
   * measures from the token response, so a token endpoint without latency would make the app's own
   * start-up work look like time after the token).
   */
  latencyMs?: number;
}

export const CLINICIAN_ID = 'sandbox-clinician';
const LAUNCH_TTL_MS = 60 * 60_000;
const CODE_TTL_MS = 120_000;
const DEFAULT_TOKEN_SECONDS = 3600;
const REFRESH_TTL_MS = 24 * 3600_000;

const SIMPLE_SCOPES = new Set(['launch', 'launch/patient', 'openid', 'fhirUser', 'profile', 'offline_access', 'online_access']);
const RESOURCE_SCOPE = /^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)(\?.*)?$/;

export const SCOPES_SUPPORTED = [
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'offline_access',
  'online_access',
  'patient/*.read',
  'patient/*.rs',
  'user/*.read',
  'user/*.rs',
];

const b64url = (buf: Buffer): string => buf.toString('base64url');
const random = (bytes = 32): string => b64url(crypto.randomBytes(bytes));

export class AuthServer {
  private readonly launches = new Map<string, LaunchRecord>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly kid = random(8);
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly isPatient: (id: string) => boolean) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  createLaunch(patientId: string, options: LaunchOptions): LaunchRecord {
    const rec: LaunchRecord = { id: random(18), patientId, options, expiresAt: Date.now() + LAUNCH_TTL_MS };
    this.launches.set(rec.id, rec);
    return rec;
  }

  /**
   * A short-lived access token for a CDS service called by the sandbox (`fhirAuthorization` of a
   * hook call, and the prefetch the sandbox runs itself): read access to one patient's record.
   */
  serviceToken(patientId: string, seconds: number): { access_token: string; expires_in: number; scope: string } {
    const scopes = ['patient/*.read'];
    const accessToken = random();
    this.tokens.set(accessToken, {
      clientId: 'cds-service',
      scopes,
      patientId,
      options: defaultLaunchOptions(),
      fhirBase: '',
      expiresAt: Date.now() + seconds * 1000,
    });
    return { access_token: accessToken, expires_in: seconds, scope: scopes.join(' ') };
  }

  /** Issuer and endpoints, shared by the SMART and the OpenID discovery documents. */
  private endpoints(origin: string): Record<string, string> {
    return {
      issuer: `${origin}/fhir`,
      jwks_uri: `${origin}/sandbox/auth/jwks`,
      authorization_endpoint: `${origin}/sandbox/auth/authorize`,
      token_endpoint: `${origin}/sandbox/auth/token`,
    };
  }

  smartConfiguration(origin: string): Record<string, unknown> {
    return {
      ...this.endpoints(origin),
      token_endpoint_auth_methods_supported: ['none'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      response_types_supported: ['code'],
      scopes_supported: SCOPES_SUPPORTED,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      capabilities: [
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'context-ehr-patient',
        'context-standalone-patient',
        'context-banner',
        'context-style',
        'permission-patient',
        'permission-user',
        'permission-offline',
        'permission-online',
        'permission-v1',
        'permission-v2',
        'sso-openid-connect',
      ],
    };
  }

  openidConfiguration(origin: string): Record<string, unknown> {
    return {
      ...this.endpoints(origin),
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: SCOPES_SUPPORTED,
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser', 'name'],
    };
  }

  jwks(): Record<string, unknown> {
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    return { keys: [{ ...jwk, kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  /** GET /sandbox/auth/authorize */
  authorize(q: URLSearchParams, origin: string): AuthorizeResult {
    const fhirBase = `${origin}/fhir`;
    const clientId = q.get('client_id') ?? '';
    const redirectUri = q.get('redirect_uri') ?? '';
    // Without a valid client and redirect URI the error cannot be sent back (RFC 6749 §4.1.2.1).
    if (!clientId) return { kind: 'error-page', status: 400, message: 'client_id is missing.' };
    let redirect: URL;
    try {
      redirect = new URL(redirectUri);
    } catch {
      return { kind: 'error-page', status: 400, message: 'redirect_uri is missing or not an absolute URL.' };
    }
    if (redirect.origin !== origin) {
      return {
        kind: 'error-page',
        status: 400,
        message: `redirect_uri must be on this sandbox's origin (${origin}); it is not redirected to.`,
      };
    }
    const state = q.get('state');
    const fail = (error: string, description: string): AuthorizeResult => {
      const to = new URL(redirect);
      to.searchParams.set('error', error);
      to.searchParams.set('error_description', description);
      if (state !== null) to.searchParams.set('state', state);
      return { kind: 'redirect', location: to.toString() };
    };
    if (q.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const aud = (q.get('aud') ?? '').replace(/\/+$/, '');
    if (aud !== fhirBase) return fail('invalid_request', `aud must be the FHIR base URL ${fhirBase}`);
    const challenge = q.get('code_challenge') ?? '';
    if (!challenge) return fail('invalid_request', 'PKCE is required: code_challenge is missing');
    if (q.get('code_challenge_method') !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'code_challenge is not a base64url SHA-256');
    const requested = (q.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const scopes = requested.filter((s) => SIMPLE_SCOPES.has(s) || RESOURCE_SCOPE.test(s));

    let patientId: string | undefined;
    let options: LaunchOptions | undefined;
    const launchId = q.get('launch');
    if (launchId) {
      if (!scopes.includes('launch')) return fail('invalid_scope', 'an EHR launch must request the launch scope');
      const launch = this.launches.get(launchId);
      if (!launch || launch.expiresAt < Date.now()) {
        return fail('invalid_request', 'unknown or expired launch; start again from /sandbox/');
      }
      patientId = launch.patientId;
      options = launch.options;
    } else if (scopes.includes('launch/patient')) {
      // Standalone launch: the user picks a patient (the picker page comes back here with patient=).
      const hint = q.get('patient');
      if (!hint) return { kind: 'pick-patient', query: q };
      if (!this.isPatient(hint)) return fail('invalid_request', 'unknown patient');
      patientId = hint;
    }
    if (!options) options = defaultLaunchOptions();

    const code = random();
    this.codes.set(code, {
      clientId,
      redirectUri,
      challenge,
      scopes,
      patientId,
      options,
      nonce: q.get('nonce') ?? undefined,
      fhirBase,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
      issued: [],
    });
    const to = new URL(redirect);
    to.searchParams.set('code', code);
    if (state !== null) to.searchParams.set('state', state);
    return { kind: 'redirect', location: to.toString() };
  }

  /** POST /sandbox/auth/token (application/x-www-form-urlencoded) */
  token(form: URLSearchParams, authorization: string | undefined): TokenResult {
    const err = (error: string, description: string, status = 400): TokenResult => ({
      status,
      body: { error, error_description: description },
    });
    let clientId = form.get('client_id') ?? '';
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      clientId = decodeURIComponent(decoded.split(':')[0] ?? '');
    }
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      const code = form.get('code') ?? '';
      const rec = this.codes.get(code);
      if (!rec) return err('invalid_grant', 'unknown authorization code');
      const latencyMs = rec.options.latencyMs;
      const withLatency = (r: TokenResult): TokenResult => (latencyMs ? { ...r, latencyMs } : r);
      if (rec.used) {
        // Replay: refuse, and revoke what the first exchange issued.
        for (const t of rec.issued) {
          this.tokens.delete(t);
          this.refreshTokens.delete(t);
        }
        return withLatency(err('invalid_grant', 'authorization code already used'));
      }
      rec.used = true;
      if (rec.expiresAt < Date.now()) return withLatency(err('invalid_grant', 'authorization code expired'));
      if (!clientId || clientId !== rec.clientId) return withLatency(err('invalid_grant', 'client_id does not match the authorization request'));
      if ((form.get('redirect_uri') ?? '') !== rec.redirectUri) return withLatency(err('invalid_grant', 'redirect_uri does not match'));
      const verifier = form.get('code_verifier') ?? '';
      if (!verifier) return withLatency(err('invalid_request', 'code_verifier is required (PKCE)'));
      const computed = b64url(crypto.createHash('sha256').update(verifier).digest());
      if (computed !== rec.challenge) return withLatency(err('invalid_grant', 'code_verifier does not match code_challenge'));
      return withLatency({ status: 200, body: this.issue(rec, rec.issued, true) });
    }
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const rec = this.refreshTokens.get(rt);
      if (!rec || rec.expiresAt < Date.now()) return err('invalid_grant', 'unknown or expired refresh token');
      if (clientId && clientId !== rec.clientId) return err('invalid_grant', 'client_id does not match');
      const asked = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
      if (asked.some((s) => !rec.scopes.includes(s))) return err('invalid_scope', 'a refresh cannot widen the scope');
      const scopes = asked.length ? asked : rec.scopes;
      const body = this.issue({ ...rec, scopes }, [], false);
      body.refresh_token = rt;
      return { status: 200, body, ...(rec.options.latencyMs ? { latencyMs: rec.options.latencyMs } : {}) };
    }
    return err('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  private issue(
    rec: Omit<TokenRecord, 'expiresAt'> & { nonce?: string },
    issued: string[],
    withRefreshAndId: boolean,
  ): Record<string, unknown> {
    const accessToken = random();
    const seconds = rec.options.expiresIn ?? DEFAULT_TOKEN_SECONDS;
    this.tokens.set(accessToken, {
      clientId: rec.clientId,
      scopes: rec.scopes,
      patientId: rec.patientId,
      options: rec.options,
      fhirBase: rec.fhirBase,
      expiresAt: Date.now() + seconds * 1000,
    });
    issued.push(accessToken);
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: seconds,
      scope: rec.scopes.join(' '),
    };
    if (rec.patientId) {
      body.patient = rec.patientId;
      body.need_patient_banner = rec.options.needPatientBanner;
    }
    body.smart_style_url = `${rec.fhirBase.replace(/\/fhir$/, '')}/sandbox/smart-style.json`;
    if (withRefreshAndId) {
      if (rec.scopes.includes('openid') && (rec.scopes.includes('fhirUser') || rec.scopes.includes('profile'))) {
        body.id_token = this.idToken(rec);
      }
      if (rec.options.refresh && (rec.scopes.includes('offline_access') || rec.scopes.includes('online_access'))) {
        const rt = random();
        this.refreshTokens.set(rt, {
          clientId: rec.clientId,
          scopes: rec.scopes,
          patientId: rec.patientId,
          options: rec.options,
          fhirBase: rec.fhirBase,
          expiresAt: Date.now() + REFRESH_TTL_MS,
        });
        issued.push(rt);
        body.refresh_token = rt;
      }
    }
    return body;
  }

  private idToken(rec: { clientId: string; fhirBase: string; nonce?: string }): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const claims: Record<string, unknown> = {
      iss: rec.fhirBase,
      sub: CLINICIAN_ID,
      aud: rec.clientId,
      iat: now,
      exp: now + 3600,
      // SMART: fhirUser is the URL of the FHIR resource for the user (absolute, on this server).
      fhirUser: `${rec.fhirBase}/Practitioner/${CLINICIAN_ID}`,
      name: 'Sandbox Clinician',
    };
    if (rec.nonce) claims.nonce = rec.nonce;
    const input = `${b64url(Buffer.from(JSON.stringify(header)))}.${b64url(Buffer.from(JSON.stringify(claims)))}`;
    const signature = crypto.sign('RSA-SHA256', Buffer.from(input), this.keys.privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** Checks a FHIR request's Authorization header. */
  checkAccess(authorization: string | undefined): { ok: true; token: TokenRecord } | { ok: false; reason: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m?.[1]) return { ok: false, reason: 'No access token: send Authorization: Bearer <token>.' };
    const token = this.tokens.get(m[1]);
    if (!token) return { ok: false, reason: 'Unknown or revoked access token.' };
    if (token.expiresAt <= Date.now()) return { ok: false, reason: 'The access token has expired.' };
    return { ok: true, token };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, v] of this.launches) if (v.expiresAt < now) this.launches.delete(k);
    for (const [k, v] of this.codes) if (v.expiresAt + CODE_TTL_MS < now) this.codes.delete(k);
    for (const [k, v] of this.tokens) if (v.expiresAt < now - 3600_000) this.tokens.delete(k);
    for (const [k, v] of this.refreshTokens) if (v.expiresAt < now) this.refreshTokens.delete(k);
  }
}

/** Whether the granted scopes allow reading `resourceType` (SMART v1 `.read`/`.*`, v2 `r`/`s`). */
export function scopesAllow(scopes: readonly string[], resourceType: string): boolean {
  for (const s of scopes) {
    const m = RESOURCE_SCOPE.exec(s);
    if (!m) continue;
    const [, , type, perm = ''] = m;
    if (type !== '*' && type !== resourceType) continue;
    if (perm === 'read' || perm === '*' || perm.includes('r') || perm.includes('s')) return true;
  }
  return false;
}
