/**
 * A SMART authorization server as msw handlers: `.well-known/smart-configuration`, and a token
 * endpoint that exchanges codes (checking the PKCE S256 verifier, the redirect URI, the client id
 * and single use) and refresh tokens. The authorize step is a browser redirect: tests call
 * `authServer.approve(authorizeUrl)` to get the code an EHR would put on the redirect.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { createHash, randomBytes } from 'node:crypto';

export interface AuthServerOptions {
  /** The FHIR base (`iss`/`aud`). */
  iss: string;
  /** Where the endpoints live (default `${iss}/auth`). */
  authBase?: string;
  patient?: string;
  /** Extra token response fields (need_patient_banner, smart_style_url, id_token...). */
  tokenExtras?: Record<string, unknown>;
  /** Advertise S256 (default true). */
  pkce?: boolean;
  /** Issue a refresh token (default true). */
  refresh?: boolean;
  expiresIn?: number;
}

interface IssuedCode {
  challenge?: string;
  redirectUri: string;
  clientId: string;
  scope: string;
  used: boolean;
}

const b64url = (buf: Buffer) => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export class AuthServer {
  readonly authorizeEndpoint: string;
  readonly tokenEndpoint: string;
  readonly codes = new Map<string, IssuedCode>();
  readonly tokenRequests: URLSearchParams[] = [];
  /** Access tokens handed out, newest last. */
  readonly accessTokens: string[] = [];
  readonly refreshTokens = new Set<string>();
  /** When set, the token endpoint refuses every request with this OAuth error. */
  refuseWith: { error: string; error_description?: string; status?: number } | null = null;

  constructor(readonly options: AuthServerOptions) {
    const authBase = options.authBase ?? `${options.iss}/auth`;
    this.authorizeEndpoint = `${authBase}/authorize`;
    this.tokenEndpoint = `${authBase}/token`;
  }

  get handlers(): HttpHandler[] {
    return [
      http.get(`${this.options.iss}/.well-known/smart-configuration`, () =>
        HttpResponse.json({
          issuer: this.options.iss,
          authorization_endpoint: this.authorizeEndpoint,
          token_endpoint: this.tokenEndpoint,
          code_challenge_methods_supported: this.options.pkce === false ? [] : ['S256'],
          capabilities: ['launch-ehr', 'launch-standalone', 'client-public', 'context-ehr-patient', 'context-standalone-patient', 'permission-v1', 'permission-v2'],
        }),
      ),
      http.post(this.tokenEndpoint, async ({ request }) => {
        const body = new URLSearchParams(await request.text());
        this.tokenRequests.push(body);
        const fail = (error: string, error_description: string, status = 400) =>
          HttpResponse.json({ error, error_description }, { status, headers: { 'cache-control': 'no-store' } });
        if (this.refuseWith) return fail(this.refuseWith.error, this.refuseWith.error_description ?? '', this.refuseWith.status ?? 400);
        if (body.get('grant_type') === 'refresh_token') {
          const rt = body.get('refresh_token') ?? '';
          if (!this.refreshTokens.has(rt)) return fail('invalid_grant', 'unknown refresh token');
          return HttpResponse.json(this.issue('launch online_access', false));
        }
        if (body.get('grant_type') !== 'authorization_code') return fail('unsupported_grant_type', 'grant_type');
        const code = this.codes.get(body.get('code') ?? '');
        if (!code) return fail('invalid_grant', 'unknown code');
        if (code.used) return fail('invalid_grant', 'authorization code already used');
        code.used = true;
        if (code.redirectUri !== body.get('redirect_uri')) return fail('invalid_grant', 'redirect_uri mismatch');
        if (code.clientId !== body.get('client_id')) return fail('invalid_client', 'client_id mismatch');
        if (code.challenge) {
          const verifier = body.get('code_verifier') ?? '';
          if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge) return fail('invalid_grant', 'PKCE verification failed');
        }
        return HttpResponse.json(this.issue(code.scope, true));
      }),
    ];
  }

  private issue(scope: string, withContext: boolean): Record<string, unknown> {
    const access = `at-${b64url(randomBytes(12))}`;
    this.accessTokens.push(access);
    const out: Record<string, unknown> = { access_token: access, token_type: 'Bearer', expires_in: this.options.expiresIn ?? 3600, scope };
    if (this.options.refresh !== false && /\b(online|offline)_access\b/.test(scope)) {
      const rt = `rt-${b64url(randomBytes(12))}`;
      this.refreshTokens.add(rt);
      out.refresh_token = rt;
    }
    if (withContext) {
      if (this.options.patient) out.patient = this.options.patient;
      Object.assign(out, this.options.tokenExtras ?? {});
    }
    return out;
  }

  /** What the EHR does at its authorize endpoint when the user approves: returns the redirect URL. */
  approve(authorizeUrl: string): string {
    const url = new URL(authorizeUrl);
    const p = url.searchParams;
    const code = `code-${b64url(randomBytes(9))}`;
    this.codes.set(code, {
      ...(p.get('code_challenge') ? { challenge: p.get('code_challenge')! } : {}),
      redirectUri: p.get('redirect_uri') ?? '',
      clientId: p.get('client_id') ?? '',
      scope: p.get('scope') ?? '',
      used: false,
    });
    const redirect = new URL(p.get('redirect_uri') ?? '');
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', p.get('state') ?? '');
    return redirect.href;
  }

  /** What the EHR does when the user declines. */
  deny(authorizeUrl: string, error = 'access_denied', description = 'The user denied access'): string {
    const p = new URL(authorizeUrl).searchParams;
    const redirect = new URL(p.get('redirect_uri') ?? '');
    redirect.searchParams.set('error', error);
    redirect.searchParams.set('error_description', description);
    redirect.searchParams.set('state', p.get('state') ?? '');
    return redirect.href;
  }
}
