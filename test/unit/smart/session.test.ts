// @vitest-environment jsdom
/**
 * The app page's SMART session (src/smart/session.ts) against msw, and against fhirclient 2.6.3
 * itself: the session must write exactly what fhirclient's `ready()` and `Client.refresh()` write
 * (same sessionStorage keys, same JSON byte for byte, same token request body), and each must revive
 * the other's state. The launch page's part is fhirclient's real `authorize()`.
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded (see the module)
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { AuthServer } from '../../msw/smart-auth';
import { freshBrowserApi, makeSession, rejection as rejectionOf } from '../../msw/client';
import { accessTokenExpiration, completeSession, SMART_KEY, StoredSession, type StoredState } from '../../../src/smart/session';
import { completeLaunch, type LaunchError } from '../../../src/smart/launch';
import { authorizeOptions, isLaunchParams, readLaunchParams } from '../../../src/smart/authorize';
import { readSmartConfig } from '../../../src/smart/config';

const iss = 'https://ehr.test/fhir';
const APP = 'http://localhost:3000';
const NOW = Date.UTC(2026, 10, 24, 21, 0, 0);

function goTo(url: string) {
  const u = new URL(url, APP);
  history.replaceState(null, '', u.pathname + u.search);
}

/** The launch page (fhirclient's authorize), then the EHR's approval: returns the redirect URL. */
async function launchAndApprove(): Promise<string> {
  goTo(`/launch/?iss=${encodeURIComponent(iss)}&launch=abc123`);
  const params = readLaunchParams(location.search);
  if (!isLaunchParams(params)) throw new Error(params.title);
  const url = await freshBrowserApi().oauth2.authorize({ ...authorizeOptions(params, readSmartConfig({})), noRedirect: true });
  return auth.approve(String(url));
}

const storage = (): Record<string, string> => Object.fromEntries(Object.keys(sessionStorage).map((k) => [k, sessionStorage.getItem(k)!]));
function restore(snapshot: Record<string, string>) {
  sessionStorage.clear();
  for (const [k, v] of Object.entries(snapshot)) sessionStorage.setItem(k, v);
}
const stateKey = () => JSON.parse(sessionStorage.getItem(SMART_KEY)!) as string;
const storedState = () => JSON.parse(sessionStorage.getItem(stateKey())!) as StoredState;

const rejection = (promise: Promise<unknown>) => rejectionOf<LaunchError>(promise);

let auth: AuthServer;
/** Raw token requests (body and headers), whoever made them. */
let tokenCalls: { body: string; contentType: string | null; accept: string | null }[];
/** When set, the token endpoint answers this (and `status`) instead of the AuthServer's logic. */
let fixedAnswer: { body: unknown; status?: number; contentType?: string } | null;

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  goTo('/');
  tokenCalls = [];
  fixedAnswer = null;
  auth = new AuthServer({ iss, patient: 'p1', tokenExtras: { need_patient_banner: false } });
  server.resetHandlers(
    http.post(auth.tokenEndpoint, async ({ request }) => {
      tokenCalls.push({ body: await request.clone().text(), contentType: request.headers.get('content-type'), accept: request.headers.get('accept') });
      if (!fixedAnswer) return undefined;
      const { body, status = 200, contentType = 'application/json' } = fixedAnswer;
      return new HttpResponse(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'content-type': contentType } });
    }),
    ...auth.handlers,
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

describe('token exchange', () => {
  it('POSTs code, grant_type, redirect_uri, client_id and the PKCE verifier, form-encoded, accepting JSON', async () => {
    goTo(await launchAndApprove());
    const code = new URL(location.href).searchParams.get('code')!;
    const before = storedState();
    const session = await completeSession();
    expect(tokenCalls).toHaveLength(1);
    const { body, contentType, accept } = tokenCalls[0]!;
    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(accept).toBe('application/json');
    const p = new URLSearchParams(body);
    expect([...p.keys()]).toEqual(['code', 'grant_type', 'redirect_uri', 'client_id', 'code_verifier']);
    expect(p.get('code')).toBe(code);
    expect(p.get('grant_type')).toBe('authorization_code');
    expect(p.get('redirect_uri')).toBe(`${APP}/`);
    expect(p.get('client_id')).toBe('nephrocalcinosis-workup');
    expect(p.get('code_verifier')).toBe(before.codeVerifier);
    // The AuthServer checked the verifier against the challenge: a token was issued.
    expect(session.authorizationHeader()).toBe(`Bearer ${auth.accessTokens.at(-1)}`);
    expect(session.patientId).toBe('p1');
    expect(session.serverUrl).toBe(iss);
  });

  it('removes code and state from the URL before the exchange', async () => {
    goTo(await launchAndApprove());
    let urlAtExchange = '';
    server.use(
      http.post(auth.tokenEndpoint, () => {
        urlAtExchange = location.href;
        return undefined;
      }),
    );
    await completeSession();
    expect(urlAtExchange).toBe(`${APP}/`);
    expect(location.href).toBe(`${APP}/`);
  });

  it('stores {...state, tokenResponse, expiresAt} under the key and SMART_KEY = the key; nothing in localStorage or the URL', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    goTo(await launchAndApprove());
    const key = new URL(location.href).searchParams.get('state')!;
    const before = storedState();
    const session = await completeSession();
    const after = JSON.parse(sessionStorage.getItem(key)!) as StoredState;
    expect(JSON.parse(sessionStorage.getItem(SMART_KEY)!)).toBe(key);
    expect(after).toEqual({ ...before, expiresAt: NOW / 1000 + 3600, tokenResponse: after.tokenResponse });
    expect(after.tokenResponse).toMatchObject({ access_token: auth.accessTokens.at(-1), patient: 'p1', expires_in: 3600 });
    expect(session.state).toEqual(after);
    const token = auth.accessTokens.at(-1)!;
    expect(localStorage.length).toBe(0);
    expect(location.href).not.toContain(token);
    expect(location.search).toBe('');
    expect(Object.keys(sessionStorage).sort()).toEqual([SMART_KEY, key].sort());
  });

  it('refuses an answer without access_token, and a non-JSON answer', async () => {
    goTo(await launchAndApprove());
    fixedAnswer = { body: { token_type: 'Bearer', patient: 'p1' } };
    await expect(completeSession()).rejects.toThrow('Failed to obtain access token.');
    const redirect = await launchAndApprove();
    goTo(redirect);
    fixedAnswer = { body: '<html>ok</html>', contentType: 'text/html' };
    const error = await rejection(completeLaunch());
    expect(error.kind).toBe('token-refused');
    expect(error.message).toBe('The sign-in could not be completed: the answer held no access token');
    // Nothing was stored as a token.
    expect(storedState().tokenResponse).toEqual({});
  });

  it('a refusal keeps fhirclient\u2019s HttpError form (status, OAuth error line) for the launch\u2019s wording', async () => {
    goTo(await launchAndApprove());
    fixedAnswer = { body: { error: 'invalid_grant', error_description: 'code expired' }, status: 400 };
    const error = (await completeSession().then(
      () => null,
      (e: unknown) => e,
    )) as Error & { status?: number };
    expect(error).toMatchObject({ name: 'HttpError', status: 400 });
    expect(error.message.split('\n')[1]).toBe('invalid_grant: code expired');
    // A plain-text refusal keeps its body after a blank line, as fhirclient's HttpError does; the
    // launch shows only an OAuth error line of it.
    const redirect = await launchAndApprove();
    goTo(redirect);
    fixedAnswer = { body: 'invalid_client: unknown client', status: 401, contentType: 'text/plain' };
    const launchError = await rejection(completeLaunch());
    expect(launchError.kind).toBe('token-refused');
    expect(launchError.message).toBe('The sign-in could not be completed: invalid_client: unknown client');
    goTo(await launchAndApprove());
    fixedAnswer = { body: '<html><body>Bad gateway</body></html>', status: 502, contentType: 'text/html' };
    const html = await rejection(completeLaunch());
    expect(html.message).not.toContain('<');
  });

  it('a stored launch of a confidential client is refused before any token request', async () => {
    const redirect = await launchAndApprove();
    const key = new URL(redirect).searchParams.get('state')!;
    for (const extra of [{ clientSecret: 's3cret' }, { clientPrivateJwk: { kty: 'EC', alg: 'ES384' } }]) {
      const state = JSON.parse(sessionStorage.getItem(key)!) as StoredState;
      sessionStorage.setItem(key, JSON.stringify({ ...state, clientSecret: undefined, clientPrivateJwk: undefined, ...extra }));
      goTo(redirect);
      const error = await rejection(completeLaunch());
      expect(error.kind).toBe('unsupported-client');
      expect(error.title).toBe('This launch used a sign-in this app does not support');
      expect(location.search).toBe('');
    }
    expect(tokenCalls).toHaveLength(0);
  });

  it('without state in the URL or SMART_KEY: fhirclient\u2019s messages (no state / no session)', async () => {
    await expect(completeSession()).rejects.toThrow("No 'state' parameter found. Please (re)launch the app.");
    goTo('/?code=c&state=never-issued');
    await expect(completeSession()).rejects.toThrow('No state found! Please (re)launch the app.');
    expect(location.search).toBe('');
  });
});

describe('reload and replay', () => {
  it('a reload (no code) revives the stored session without an exchange', async () => {
    goTo(await launchAndApprove());
    const first = await completeSession();
    const stored = storage();
    goTo('/');
    const again = await completeSession();
    expect(tokenCalls).toHaveLength(1);
    expect(again.state).toEqual(first.state);
    expect(again.authorizationHeader()).toBe(first.authorizationHeader());
    expect(storage()).toEqual(stored);
  });

  it('a replayed code (state already holds a token): no second exchange, and completeLaunch refuses it', async () => {
    const redirect = await launchAndApprove();
    goTo(redirect);
    const first = await completeSession();
    goTo(redirect);
    // fhirclient's ready() semantics: the stored token is kept, the code is not sent again...
    const again = await completeSession();
    expect(again.authorizationHeader()).toBe(first.authorizationHeader());
    expect(tokenCalls).toHaveLength(1);
    // ...and the app page refuses the replay outright (precheckRedirect).
    goTo(redirect);
    const error = await rejection(completeLaunch());
    expect(error.kind).toBe('state-mismatch');
    expect(error.title).toBe('The sign-in link was already used');
    expect(tokenCalls).toHaveLength(1);
  });
});

describe('the same state as fhirclient 2.6.3', () => {
  const payload = (claims: object) => Buffer.from(JSON.stringify(claims)).toString('base64url');
  const answers: [string, Record<string, unknown>][] = [
    ['expires_in', { access_token: 'at-fixed', token_type: 'Bearer', expires_in: 3600, scope: 'launch online_access', refresh_token: 'rt-fixed', patient: 'p1', need_patient_banner: false }],
    // A JWT whose payload fhirclient's atob can read (no - or _): expiresAt = exp.
    ['JWT exp', { access_token: `h.${payload({ exp: 2000000000 })}.s`, token_type: 'Bearer', scope: 'launch', patient: 'p1' }],
    ['neither', { access_token: 'opaque', token_type: 'Bearer', patient: 'p1' }],
  ];

  for (const [name, answer] of answers) {
    it(`writes what fhirclient\u2019s ready() writes, byte for byte, and sends the same token request (${name})`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      fixedAnswer = { body: answer };
      const redirect = await launchAndApprove();
      const launched = storage();

      goTo(redirect);
      const client = await freshBrowserApi().oauth2.ready();
      const byFhirclient = storage();
      const urlByFhirclient = location.href;

      restore(launched);
      goTo(redirect);
      const session = await completeSession();
      expect(storage()).toEqual(byFhirclient);
      expect(location.href).toBe(urlByFhirclient);
      expect(tokenCalls.map((c) => c.body)).toEqual([tokenCalls[0]!.body, tokenCalls[0]!.body]);
      expect(tokenCalls[1]).toEqual(tokenCalls[0]);
      expect(session.state).toEqual(client.state);
      expect(session.patientId).toBe(client.patient.id);
      expect(session.authorizationHeader()).toBe(client.getAuthorizationHeader());
    });
  }

  it('fhirclient\u2019s ready() revives a session written here, and this revives fhirclient\u2019s (reload)', async () => {
    goTo(await launchAndApprove());
    const session = await completeSession();
    goTo('/');
    const client = await freshBrowserApi().oauth2.ready();
    expect(client.state).toEqual(session.state);
    expect(client.getAuthorizationHeader()).toBe(session.authorizationHeader());
    expect(client.patient.id).toBe('p1');

    sessionStorage.clear();
    goTo(await launchAndApprove());
    const byFhirclient = await freshBrowserApi().oauth2.ready();
    goTo('/');
    const revived = await completeSession();
    expect(revived.state).toEqual(byFhirclient.state);
    expect(revived.authorizationHeader()).toBe(byFhirclient.getAuthorizationHeader());
    expect(tokenCalls).toHaveLength(2);
  });

  it('a refresh writes what fhirclient\u2019s Client.refresh() writes, and each side reads the other\u2019s refreshed token', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    fixedAnswer = { body: answers[0]![1] };
    goTo(await launchAndApprove());
    await completeSession();
    const launched = storage();
    fixedAnswer = { body: { access_token: 'at-refreshed', token_type: 'Bearer', expires_in: 600, scope: 'launch online_access' } };

    goTo('/');
    const client = await freshBrowserApi().oauth2.ready();
    await client.refresh();
    const byFhirclient = storage();
    restore(launched);
    goTo('/');
    const session = await completeSession();
    await session.refresh();
    expect(storage()).toEqual(byFhirclient);
    expect(tokenCalls.at(-1)).toEqual(tokenCalls.at(-2));
    expect(new URLSearchParams(tokenCalls.at(-1)!.body).get('grant_type')).toBe('refresh_token');
    expect(session.state).toEqual(client.state);

    // Each reads the other's refreshed state on the next page load.
    goTo('/');
    expect((await freshBrowserApi().oauth2.ready()).getAuthorizationHeader()).toBe('Bearer at-refreshed');
    restore(byFhirclient);
    goTo('/');
    expect((await completeSession()).authorizationHeader()).toBe('Bearer at-refreshed');
  });
});

describe('refresh', () => {
  const now = () => Math.floor(Date.now() / 1000);

  it('needsRefresh: within 10 s of expiry, only with a refresh token, a token endpoint and online/offline access', () => {
    const base = { serverUrl: iss, refreshToken: 'rt', tokenUri: auth.tokenEndpoint, scope: 'launch offline_access' };
    expect(makeSession({ ...base, expiresAt: now() + 5 }).needsRefresh()).toBe(true);
    expect(makeSession({ ...base, expiresAt: now() - 100 }).needsRefresh()).toBe(true);
    expect(makeSession({ ...base }).needsRefresh()).toBe(true); // no expiresAt: fhirclient takes 0
    expect(makeSession({ ...base, expiresAt: now() + 60 }).needsRefresh()).toBe(false);
    expect(makeSession({ ...base, expiresAt: 1, scope: 'launch' }).needsRefresh()).toBe(false);
    expect(makeSession({ serverUrl: iss, refreshToken: 'rt', scope: 'launch online_access', expiresAt: 1 }).needsRefresh()).toBe(false);
    expect(makeSession({ serverUrl: iss, tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1 }).needsRefresh()).toBe(false);
    expect(makeSession({ ...base, scope: 'launch online_access' }).canRefresh()).toBe(true);
    expect(makeSession({ ...base, scope: 'launch' }).canRefresh()).toBe(false);
  });

  it('refreshes with grant_type=refresh_token, keeps the launch context, persists under the key', async () => {
    auth.refreshTokens.add('rt-1');
    const session = makeSession({ serverUrl: iss, refreshToken: 'rt-1', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1, key: 'k1' });
    await session.refresh();
    const p = new URLSearchParams(tokenCalls[0]!.body);
    expect(tokenCalls[0]!.body).toBe('grant_type=refresh_token&refresh_token=rt-1');
    expect(p.get('grant_type')).toBe('refresh_token');
    expect(tokenCalls[0]!.contentType).toBe('application/x-www-form-urlencoded');
    const fresh = auth.accessTokens.at(-1)!;
    expect(session.authorizationHeader()).toBe(`Bearer ${fresh}`);
    expect(session.patientId).toBe('p1');
    expect(session.needsRefresh()).toBe(false);
    const stored = JSON.parse(sessionStorage.getItem('k1')!) as StoredState;
    expect(stored.tokenResponse?.access_token).toBe(fresh);
    expect(stored.tokenResponse?.patient).toBe('p1');
    expect(stored.expiresAt).toBeGreaterThan(now() + 3000);
    expect(localStorage.length).toBe(0);
  });

  it('one refresh in flight at a time: parallel callers share it', async () => {
    auth.refreshTokens.add('rt-2');
    const session = makeSession({ serverUrl: iss, refreshToken: 'rt-2', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1 });
    const calls = [session.refresh(), session.refresh(), session.refresh()];
    expect(calls[1]).toBe(calls[0]);
    await Promise.all(calls);
    expect(tokenCalls).toHaveLength(1);
    // Once settled, a later refresh is a new request.
    await session.refresh().catch(() => undefined);
    expect(tokenCalls).toHaveLength(2);
  });

  it('a failed refresh deletes the refresh token (memory and storage) and rejects', async () => {
    const session = makeSession({ serverUrl: iss, refreshToken: 'unknown-rt', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1, key: 'k2' });
    await expect(session.refresh()).rejects.toMatchObject({ name: 'HttpError', status: 400 });
    expect(session.tokenResponse.refresh_token).toBeUndefined();
    expect(session.canRefresh()).toBe(false);
    expect(session.needsRefresh()).toBe(false);
    expect(JSON.parse(sessionStorage.getItem('k2')!).tokenResponse.refresh_token).toBeUndefined();
    expect(session.authorizationHeader()).toBe('Bearer test-token');
  });

  it('an answer without access_token is a failed refresh', async () => {
    fixedAnswer = { body: { token_type: 'Bearer' } };
    const session = makeSession({ serverUrl: iss, refreshToken: 'rt-3', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1 });
    await expect(session.refresh()).rejects.toThrow('No access token received');
    expect(session.canRefresh()).toBe(false);
  });

  it('no refresh is attempted without a refresh token, a token endpoint or the scope', async () => {
    await expect(makeSession({ serverUrl: iss, tokenUri: auth.tokenEndpoint, scope: 'online_access' }).refresh()).rejects.toThrow(/No refresh_token/);
    await expect(makeSession({ serverUrl: iss, refreshToken: 'rt', scope: 'online_access' }).refresh()).rejects.toThrow(/No tokenUri/);
    await expect(makeSession({ serverUrl: iss, refreshToken: 'rt', tokenUri: auth.tokenEndpoint, scope: 'launch' }).refresh()).rejects.toThrow(/online_access/);
    expect(tokenCalls).toHaveLength(0);
  });
});

describe('expiresAt and the session object', () => {
  it('computes expiresAt as fhirclient does: expires_in, else the JWT exp, else 5 minutes', () => {
    expect(accessTokenExpiration({ access_token: 'a', expires_in: 60 }, NOW)).toBe(NOW / 1000 + 60);
    const jwt = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
    expect(accessTokenExpiration({ access_token: jwt({ exp: 2000000000 }) }, NOW)).toBe(2000000000);
    // Deviation: a payload in the URL-safe alphabet (fhirclient's atob would throw) is read too.
    const urlSafe = jwt({ exp: 2000000000, sub: 'dr/1?>' });
    expect(urlSafe).toContain('_');
    expect(accessTokenExpiration({ access_token: urlSafe }, NOW)).toBe(2000000000);
    expect(accessTokenExpiration({ access_token: 'a.not json.b' }, NOW)).toBe(NOW / 1000 + 300);
    expect(accessTokenExpiration({ access_token: 'opaque' }, NOW)).toBe(NOW / 1000 + 300);
  });

  it('refuses a state without an http(s) serverUrl, as fhirclient\u2019s Client does', () => {
    expect(() => new StoredSession({ serverUrl: 'ftp://ehr.test' })).toThrow(/serverUrl/);
    expect(new StoredSession({ serverUrl: iss }).patientId).toBeNull();
    expect(new StoredSession({ serverUrl: iss }).authorizationHeader()).toBeNull();
  });
});
