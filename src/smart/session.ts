/**
 * The app page's SMART session: completes the launch that the launch page started with fhirclient
 * (`FHIR.oauth2.authorize`: discovery, PKCE), and gives the data layer the access token, refreshing
 * it when needed. It replaces fhirclient's `ready()` and `Client` on the app page only, because
 * fhirclient's CommonJS build cannot be tree-shaken (the whole client for these few functions).
 *
 * The state is fhirclient's own, where and as fhirclient 2.6.3 keeps it (lib/storage/BrowserStorage):
 * sessionStorage `SMART_KEY` holds the JSON of the state key; the key holds the JSON of the state
 * object (`clientId`, `scope`, `redirectUri`, `serverUrl`, `tokenResponse`, `key`, `tokenUri`,
 * `codeVerifier`, `expiresAt`...). What is written here is what fhirclient writes (same fields,
 * same order, same values), so fhirclient reading the session (a reload, the launch page starting
 * a new launch) understands it, and vice versa (checked in test/unit/smart/session.test.ts by
 * letting fhirclient's `ready()` revive a state written here and the other way round).
 *
 * Behaviour replicated from fhirclient 2.6.3 (lib/smart.js `ready`, `buildTokenRequest`;
 * lib/Client.js `refreshIfNeeded`, `refresh`, `getAuthorizationHeader`, `getPatientId`; lib/lib.js
 * `request`, `getAccessTokenExpiration`, `jwtDecode`), for a public browser client:
 * - the key is the `state` URL parameter, else sessionStorage SMART_KEY;
 * - `code` and `state` are removed from the URL (history.replaceState) before the token exchange;
 * - with a `code` and a state without an access token: POST to the token endpoint, form-encoded,
 *   `code`, `grant_type=authorization_code`, `redirect_uri`, `client_id`, `code_verifier`, accepting
 *   JSON; an answer without `access_token` is refused; `expiresAt` computed as fhirclient does; the
 *   state `{...state, tokenResponse}` (with `expiresAt`) stored back under the key, and SMART_KEY =
 *   the key;
 * - without a `code` (a reload), a stored state is revived as is, with no exchange;
 * - refresh when the access token expires within 10 s and a refresh token exists (fhirclient's
 *   `refreshIfNeeded`), only with a token endpoint and online_access/offline_access granted (the
 *   checks of fhirclient's `refresh`); one refresh in flight at a time; a failed refresh deletes the
 *   refresh token; the state is persisted after every refresh attempt.
 *
 * Not replicated, on purpose:
 * - fhirclient's popup/iframe `completeInTarget` branch (posting the redirect URL to the opener or
 *   parent window and never resolving): our authorize always sets `completeInTarget: true`
 *   (src/smart/authorize.ts), so fhirclient skips that branch too, and the launch completes in the
 *   frame the EHR opened.
 * - Confidential clients (`clientSecret`: HTTP Basic at the token endpoint; `clientPrivateJwk`: a
 *   signed client assertion). Decision: a browser app cannot keep a secret, this app registers as a
 *   public client with PKCE, and the launch page never stores either. A stored state that has one
 *   was not made by this app: the launch is refused with a clear error (ConfidentialClientError →
 *   LaunchError `unsupported-client`) rather than exchanging the code some other way.
 * - fhirclient's `replaceBrowserHistory` and `fullSessionStorageSupport` settings: their defaults
 *   (both on) are the app's, and the app never changes them.
 * Deviations where fhirclient would fail on good input are noted at the code (JWT decoding, the
 * encoding of `code` in the token request body).
 *
 * Nothing here logs, and nothing touches localStorage: tokens live only in sessionStorage.
 */
import type { SmartSession, TokenResponse } from './types';

/** fhirclient's settings.SMART_KEY: where the current state's key is kept. */
export const SMART_KEY = 'SMART_KEY';

/** fhirclient 2.6.3's ClientState, as stored (the fields this module reads or writes). */
export interface StoredState {
  serverUrl: string;
  clientId?: string;
  scope?: string;
  redirectUri?: string;
  key?: string;
  completeInTarget?: boolean;
  authorizeUri?: string;
  tokenUri?: string;
  codeChallengeMethods?: string[];
  codeVerifier?: string;
  codeChallenge?: string;
  clientSecret?: string;
  clientPrivateJwk?: unknown;
  tokenResponse?: TokenResponse;
  /** Seconds since the epoch (a number as fhirclient computes it; see accessTokenExpiration). */
  expiresAt?: number;
  username?: string;
  password?: string;
  [field: string]: unknown;
}

/** An error shaped like fhirclient's HttpError (name, status, "<status> <text>\n<error>: <description>"). */
export interface HttpErrorLike extends Error {
  name: 'HttpError';
  status: number;
}

/** The stored state belongs to a confidential client: refused (see the top of this file). */
export class ConfidentialClientError extends Error {
  override name = 'ConfidentialClientError';
}

/** fhirclient's lib.assert: an Error with fhirclient's own message (classified by launch.ts). */
function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** fhirclient's BrowserStorage.get: the JSON under `key`, or null (also when unreadable). */
export function readStored(key: string): unknown {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

/** fhirclient's BrowserStorage.set: JSON.stringify(value) under `key`. */
export function writeStored(key: string, value: unknown): void {
  sessionStorage.setItem(key, JSON.stringify(value));
}

/**
 * fhirclient's jwtDecode: the payload of a JWT, or null. Deviation: fhirclient decodes the payload
 * with `atob`, which throws on the URL-safe alphabet (`-`, `_`) every JWT uses, and the exception
 * would fail the whole launch. Here the payload is read as base64url, and a token that is not a
 * readable JWT (access tokens are opaque to the client) gives null. Where fhirclient's `atob`
 * succeeds the result is the same.
 */
function jwtPayload(token: string): { exp?: unknown } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const b64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const value: unknown = JSON.parse(atob(b64 + '==='.slice((b64.length + 3) % 4)));
    return value && typeof value === 'object' ? (value as { exp?: unknown }) : null;
  } catch {
    return null;
  }
}

/**
 * fhirclient's getAccessTokenExpiration, to the letter: now + `expires_in`, else the JWT's `exp`,
 * else now + 5 minutes. (Like fhirclient, a non-numeric `expires_in` is added as is: a server that
 * sends it as a string gets fhirclient's odd value, which makes the proactive refresh never fire;
 * the refresh after a 401 in fetch-all.ts still covers such a server. Kept so that the stored value
 * is the one fhirclient would store.)
 */
export function accessTokenExpiration(tokenResponse: TokenResponse, nowMs = Date.now()): number {
  const now = Math.floor(nowMs / 1000);
  if (tokenResponse.expires_in) return (now as number) + (tokenResponse.expires_in as number);
  if (tokenResponse.access_token) {
    const body = jwtPayload(tokenResponse.access_token);
    if (body?.exp) return body.exp as number;
  }
  return now + 300;
}

/**
 * fhirclient's lib.request for a token endpoint: POST, form-encoded, `accept: application/json`,
 * CORS. A non-2xx answer rejects with an HttpError-like error whose message has fhirclient's form
 * ("400 Bad Request" then "invalid_grant: description" when the body is an OAuth error; without
 * fhirclient's "URL:" line, which launch.ts would drop anyway). A JSON answer is parsed; any other
 * answer (or JSON that does not parse) yields no token response, so the caller's "no access token"
 * check refuses it (fhirclient would reject with the parser's SyntaxError: the launch would fail
 * either way, here with the clearer "no access token" words). fhirclient's follow-up GET of a
 * `Location` after an empty 201 (meant for FHIR creates) does not apply to a token endpoint.
 */
async function postToken(url: string, body: string, init: RequestInit = {}): Promise<TokenResponse> {
  const response = await fetch(url, {
    mode: 'cors',
    ...init,
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const type = response.headers.get('content-type') ?? '';
  const json = /\bjson\b/i.test(type);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      if (json) {
        const error = (await response.json()) as { error?: unknown; error_description?: unknown };
        if (error?.error) message += `\n${String(error.error)}${error.error_description ? `: ${String(error.error_description)}` : ''}`;
      } else if (/^text\//i.test(type)) {
        // As fhirclient: a text body follows (launch.ts shows only an OAuth error line of it).
        const text = await response.text();
        if (text) message += `\n\n${text}`;
      }
    } catch {
      // Not readable: the status line says enough.
    }
    throw Object.assign(new Error(message), { name: 'HttpError' as const, status: response.status }) as HttpErrorLike;
  }
  if (!json) return {};
  try {
    const text = await response.text();
    const value: unknown = text ? JSON.parse(text) : null;
    return value && typeof value === 'object' ? (value as TokenResponse) : {};
  } catch {
    return {};
  }
}

/** A session on fhirclient's stored state (what fhirclient's `Client` holds as `state`). */
export class StoredSession implements SmartSession {
  /** fhirclient's `_refreshTask`: the refresh in flight, shared by every caller. */
  private refreshTask: Promise<void> | null = null;

  constructor(public readonly state: StoredState) {
    // fhirclient's Client constructor check.
    assert(typeof state?.serverUrl === 'string' && /https?:\/\/.+/.test(state.serverUrl), 'A "serverUrl" option is required and must begin with "http(s)"');
  }

  get serverUrl(): string {
    return this.state.serverUrl;
  }

  /** fhirclient's getPatientId: the token response's `patient`, else null. */
  get patientId(): string | null {
    const patient = this.state.tokenResponse?.patient;
    return patient ? String(patient) : null;
  }

  get tokenResponse(): Readonly<TokenResponse> {
    return this.state.tokenResponse ?? {};
  }

  get tokenUri(): string | undefined {
    return this.state.tokenUri;
  }

  /** fhirclient's getAuthorizationHeader: Bearer with the access token, else Basic (username/password states). */
  authorizationHeader(): string | null {
    const token = this.state.tokenResponse?.access_token;
    if (token) return `Bearer ${token}`;
    const { username, password } = this.state;
    if (username && password) return `Basic ${btoa(`${username}:${password}`)}`;
    return null;
  }

  canRefresh(): boolean {
    const scope = this.state.tokenResponse?.scope;
    return Boolean(
      this.state.tokenResponse?.refresh_token &&
        this.state.tokenUri &&
        typeof scope === 'string' &&
        /\b(offline|online)_access\b/.test(scope),
    );
  }

  /**
   * fhirclient's refreshIfNeeded condition (access token, refresh token, `expiresAt - 10 < now`),
   * plus the checks its `refresh()` makes before any request (token endpoint, scope): where those
   * fail, fhirclient's refreshIfNeeded throws without refreshing and the request goes out with the
   * old token; here needsRefresh() is false and the request goes out with the old token.
   */
  needsRefresh(): boolean {
    const expiresAt = this.state.expiresAt || 0;
    return Boolean(this.state.tokenResponse?.access_token) && expiresAt - 10 < Date.now() / 1000 && this.canRefresh();
  }

  /** fhirclient's Client.refresh (public client: no client authentication, no client_id in the body). */
  refresh(signal?: AbortSignal): Promise<void> {
    const refreshToken = this.state.tokenResponse?.refresh_token;
    if (!refreshToken) return Promise.reject(new Error('Unable to refresh. No refresh_token found.'));
    const tokenUri = this.state.tokenUri;
    if (!tokenUri) return Promise.reject(new Error('Unable to refresh. No tokenUri found.'));
    if (!this.canRefresh()) return Promise.reject(new Error('Unable to refresh. No offline_access or online_access scope found.'));
    if (!this.refreshTask) {
      this.refreshTask = postToken(tokenUri, `grant_type=refresh_token&refresh_token=${encodeURIComponent(refreshToken)}`, {
        // fhirclient's default `refreshTokenWithCredentials`.
        credentials: 'same-origin',
        ...(signal ? { signal } : {}),
      })
        .then((data) => {
          assert(data.access_token, 'No access token received');
          this.state.tokenResponse = { ...this.state.tokenResponse, ...data };
          this.state.expiresAt = accessTokenExpiration(data);
        })
        .catch((error: unknown) => {
          // fhirclient: an expired or invalid refresh token is deleted, so no loop of refreshes.
          if (this.state.tokenResponse?.refresh_token) delete this.state.tokenResponse.refresh_token;
          throw error;
        })
        .finally(() => {
          this.refreshTask = null;
          if (this.state.key) {
            try {
              writeStored(this.state.key, this.state);
            } catch {
              // Storage full or unavailable: the session goes on in memory (fhirclient's async
              // storage write would fail unnoticed too).
            }
          }
        });
    }
    return this.refreshTask;
  }
}

/** fhirclient's buildTokenRequest body, for a public client. */
function tokenRequestBody(code: string, state: StoredState): string {
  assert(state.redirectUri, 'Missing state.redirectUri');
  assert(state.tokenUri, 'Missing state.tokenUri');
  assert(state.clientId, 'Missing state.clientId');
  // Deviation: fhirclient puts `code` in the body unencoded; encoding it changes nothing for the
  // URL-safe codes EHRs issue, and keeps a code with `+`, `&` or `%` intact. The PKCE verifier is
  // base64url (unreserved characters), so encoding it changes nothing either.
  let body = `code=${encodeURIComponent(code)}&grant_type=authorization_code&redirect_uri=${encodeURIComponent(state.redirectUri)}`;
  body += `&client_id=${encodeURIComponent(state.clientId)}`;
  if (state.codeVerifier) body += `&code_verifier=${encodeURIComponent(state.codeVerifier)}`;
  return body;
}

/**
 * fhirclient's `ready()` on the current page (the redirect URI): exchanges the code, or revives the
 * session of a reload. Rejects with fhirclient's own error messages (and HttpError-like errors for
 * the token endpoint's refusals), which src/smart/launch.ts turns into LaunchErrors.
 */
export async function completeSession(): Promise<StoredSession> {
  const url = new URL(location.href);
  const params = url.searchParams;
  let key: unknown = params.get('state');
  const code = params.get('code');
  const authError = params.get('error');
  const authErrorDescription = params.get('error_description');
  if (!key) key = readStored(SMART_KEY);
  if (authError || authErrorDescription) throw new Error([authError, authErrorDescription].filter(Boolean).join(': '));
  assert(typeof key === 'string' && key, "No 'state' parameter found. Please (re)launch the app.");
  const stored = readStored(key);
  let state = stored && typeof stored === 'object' ? (stored as StoredState) : null;
  // (fhirclient's popup/iframe completeInTarget branch would be here: not used, see the top.)
  // Remove `code` and `state` before the exchange, so the page never exchanges the code twice.
  url.searchParams.delete('complete');
  const hasState = params.has('state');
  if (code || hasState) {
    if (code) params.delete('code');
    if (hasState) params.delete('state');
    try {
      history.replaceState({}, '', url.href);
    } catch {
      // No history API: nothing to replace.
    }
  }
  assert(state, 'No state found! Please (re)launch the app.');
  if (state.clientSecret || state.clientPrivateJwk) {
    throw new ConfidentialClientError('The stored launch is a confidential client\u2019s (client secret or private key).');
  }
  // No code (a reload), or a code for a state that already holds a token: no exchange.
  const authorized = !code || state.tokenResponse?.access_token;
  if (!authorized && state.tokenUri) {
    const tokenResponse = await postToken(state.tokenUri, tokenRequestBody(code, state));
    assert(tokenResponse.access_token, 'Failed to obtain access token.');
    state.expiresAt = accessTokenExpiration(tokenResponse);
    state = { ...state, tokenResponse };
    writeStored(key, state);
  }
  writeStored(SMART_KEY, key);
  return new StoredSession(state);
}
