// @vitest-environment jsdom
/**
 * The SMART launch end to end in jsdom: the launch page's real fhirclient `authorize({noRedirect})`
 * builds the authorize URL (PKCE S256, aud = iss, scopes), the fake EHR approves, the app page's
 * `completeLaunch()` (src/smart/session.ts on fhirclient's stored state) exchanges the code at an
 * msw token endpoint that verifies the PKCE verifier. Then every way it can go wrong, and the
 * security properties (storage, URL).
 *
 * The launch page gets a fresh fhirclient adapter per simulated page load (`freshBrowserApi`), as a
 * browser would: the adapter reads the URL once per page. The app page's session reads the URL
 * when it runs.
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthServer } from '../../msw/smart-auth';
import { fakeEhr } from '../../msw/fhir-server';
import { freshBrowserApi, rejection as rejectionOf } from '../../msw/client';
import { completeLaunch as completeLaunchWith, launchContext, type LaunchError } from '../../../src/smart/launch';
import { authorizeOptions, describeAuthorizeError, isLaunchParams, readLaunchParams } from '../../../src/smart/authorize';
import { readSmartConfig } from '../../../src/smart/config';

const iss = 'https://ehr.test/fhir';
const APP = 'http://localhost:3000';

function goTo(url: string) {
  const u = new URL(url, APP);
  history.replaceState(null, '', u.pathname + u.search);
}

/** The app page: completeLaunch() as a freshly loaded page runs it. */
async function appPage() {
  return { completeLaunch: () => completeLaunchWith(), launchContext };
}

/** The launch page's part: returns the authorize URL fhirclient would redirect to. */
async function startLaunch(search: string, env: Record<string, string> = {}): Promise<string> {
  goTo(`/launch/${search}`);
  const params = readLaunchParams(location.search);
  if (!isLaunchParams(params)) throw new Error(params.title);
  const url = await freshBrowserApi().oauth2.authorize({ ...authorizeOptions(params, readSmartConfig(env)), noRedirect: true });
  return String(url);
}

const rejection = (promise: Promise<unknown>) => rejectionOf<LaunchError>(promise);

let auth: AuthServer;

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  goTo('/');
  auth = new AuthServer({ iss, patient: 'p1', tokenExtras: { need_patient_banner: false, smart_style_url: 'https://ehr.test/smart-style.json', id_token: 'x.y.z' } });
  server.resetHandlers(...auth.handlers, ...fakeEhr({ base: iss, patient: { resourceType: 'Patient', id: 'p1' }, resources: [], token: null }));
});
afterAll(() => server.close());

describe('EHR launch, happy path', () => {
  it('authorize URL: code flow, client id, scopes, redirect to the app index, aud = iss, launch, PKCE S256', async () => {
    const url = new URL(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`));
    expect(url.origin + url.pathname).toBe(auth.authorizeEndpoint);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('nephrocalcinosis-workup');
    expect(p.get('redirect_uri')).toBe(`${APP}/`);
    expect(p.get('aud')).toBe(iss);
    expect(p.get('launch')).toBe('abc123');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toBeTruthy();
    const scopes = p.get('scope')!.split(' ');
    expect(scopes).toEqual(expect.arrayContaining(['launch', 'openid', 'fhirUser', 'online_access', 'patient/Patient.read', 'patient/Observation.read', 'patient/ServiceRequest.read']));
    expect(scopes).not.toContain('launch/patient');
    // The PKCE verifier waits in sessionStorage, never in localStorage.
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.getItem(p.get('state')!)).toContain('codeVerifier');
  });

  it('standalone launch (iss only) asks launch/patient and sends no launch parameter; v2 scopes on request', async () => {
    const url = new URL(await startLaunch(`?iss=${encodeURIComponent(iss)}`, { VITE_SMART_SCOPE_VERSION: 'v2' }));
    const scopes = url.searchParams.get('scope')!.split(' ');
    expect(scopes[0]).toBe('launch/patient');
    expect(scopes).not.toContain('launch');
    expect(scopes).toContain('patient/Observation.rs');
    expect(url.searchParams.has('launch')).toBe(false);
  });

  it('completes: token exchange with the PKCE verifier, session with the patient, clean URL, tokens only in sessionStorage, silent console', async () => {
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const authorizeUrl = await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`);
    goTo(auth.approve(authorizeUrl));
    expect(location.search).toMatch(/code=.*state=/);
    const { completeLaunch, launchContext } = await appPage();
    const session = await completeLaunch();
    expect(session.patientId).toBe('p1');
    const tokenRequest = auth.tokenRequests.at(-1)!;
    expect(tokenRequest.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest.get('code_verifier')).toBeTruthy();
    expect(tokenRequest.get('client_id')).toBe('nephrocalcinosis-workup');
    expect(session.authorizationHeader()).toBe(`Bearer ${auth.accessTokens.at(-1)}`);
    // The URL after launch carries nothing from the launch.
    expect(location.search).toBe('');
    expect(location.href).toBe(`${APP}/`);
    // Tokens: sessionStorage (fhirclient's state), nothing in localStorage or cookies.
    expect(localStorage.length).toBe(0);
    expect(document.cookie).toBe('');
    const stored = Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k) ?? '');
    expect(stored.some((v) => v.includes(auth.accessTokens.at(-1)!))).toBe(true);
    expect(launchContext(session)).toEqual({ needPatientBanner: false, smartStyleUrl: 'https://ehr.test/smart-style.json' });
    for (const spy of consoleSpies) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('a reload of the app page revives the session without a new token exchange', async () => {
    goTo(auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    await (await appPage()).completeLaunch();
    const exchanges = auth.tokenRequests.length;
    const session = await (await appPage()).completeLaunch();
    expect(session.patientId).toBe('p1');
    expect(auth.tokenRequests.length).toBe(exchanges);
  });
});

describe('launch failures', () => {
  it('a replayed authorization code (the redirect opened again) is refused: state-mismatch', async () => {
    const redirect = auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`));
    goTo(redirect);
    await (await appPage()).completeLaunch();
    const exchanges = auth.tokenRequests.length;
    goTo(redirect);
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.name).toBe('LaunchError');
    expect(error.kind).toBe('state-mismatch');
    expect(error.title).toBe('The sign-in link was already used');
    expect(error.hint).toMatch(/patient.s chart/);
    expect(auth.tokenRequests.length).toBe(exchanges);
    expect(location.search).toBe('');
  });

  it('a code the EHR already redeemed (replayed elsewhere) is refused by the token endpoint: token-refused', async () => {
    const redirect = auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`));
    auth.codes.get(new URL(redirect).searchParams.get('code')!)!.used = true;
    goTo(redirect);
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('token-refused');
    expect(error.message).toContain('invalid_grant: authorization code already used');
    expect(error.message).not.toContain('URL:');
    expect(location.search).toBe('');
  });

  it('a state this tab never issued is refused: state-mismatch, no token request', async () => {
    await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`);
    const before = auth.tokenRequests.length;
    goTo('/?code=stolen-code&state=forged-state');
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('state-mismatch');
    expect(auth.tokenRequests.length).toBe(before);
    expect(location.search).toBe('');
  });

  it('a code without state is refused', async () => {
    goTo(auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    const code = new URL(location.href).searchParams.get('code');
    goTo(`/?code=${code}`);
    expect((await rejection((await appPage()).completeLaunch())).kind).toBe('state-mismatch');
  });

  it('the app page opened directly (no state, no session): no-state', async () => {
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('no-state');
    expect(error.title).toBe('The app was not launched');
  });

  it('a launch that was started but came back without a code: no-state (not a session with no token)', async () => {
    const authorizeUrl = new URL(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`));
    goTo(`/?state=${authorizeUrl.searchParams.get('state')}`);
    expect((await rejection((await appPage()).completeLaunch())).kind).toBe('no-state');
    goTo('/');
    expect((await rejection((await appPage()).completeLaunch())).kind).toBe('no-state');
  });

  it('the user declines at the EHR: denied, with the EHR\u2019s description, URL cleaned', async () => {
    goTo(auth.deny(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('denied');
    expect(error.title).toBe('Access was not granted');
    expect(error.message).toContain('The user denied access');
    expect(location.search).toBe('');
  });

  it('the token endpoint refuses (invalid_client): token-refused', async () => {
    goTo(auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    auth.refuseWith = { error: 'invalid_client', error_description: 'Unknown client', status: 401 };
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('token-refused');
    expect(error.message).toContain('invalid_client: Unknown client');
  });

  it('no patient in the token response: no-patient', async () => {
    auth = new AuthServer({ iss });
    server.resetHandlers(...auth.handlers);
    goTo(auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    const error = await rejection((await appPage()).completeLaunch());
    expect(error.kind).toBe('no-patient');
    expect(location.search).toBe('');
    expect(localStorage.length).toBe(0);
  });

  it('PKCE required but not advertised: authorize refuses, with words about PKCE', async () => {
    auth = new AuthServer({ iss, pkce: false });
    server.resetHandlers(...auth.handlers);
    const failure = await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc`, { VITE_SMART_PKCE: 'required' }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(describeAuthorizeError(failure).title).toMatch(/secure sign-in/);
  });
});

describe('launchContext', () => {
  it('need_patient_banner absent → show the banner; a non-http style URL is ignored', async () => {
    auth = new AuthServer({ iss, patient: 'p1', tokenExtras: { smart_style_url: 'javascript:alert(1)' } });
    server.resetHandlers(...auth.handlers);
    goTo(auth.approve(await startLaunch(`?iss=${encodeURIComponent(iss)}&launch=abc123`)));
    const { completeLaunch, launchContext } = await appPage();
    expect(launchContext(await completeLaunch())).toEqual({ needPatientBanner: true });
  });
});

describe('classifyReadyError', () => {
  it('maps fhirclient 2.6.3 errors to kinds, and never shows a URL or an HTML body', async () => {
    const { classifyReadyError } = await import('../../../src/smart/launch-errors');
    const http = (message: string, status: number) => Object.assign(new Error(message), { name: 'HttpError', status });
    const refused = classifyReadyError(http('400 Bad Request\nURL: https://ehr.test/token?x=1\ninvalid_grant: code expired', 400));
    expect(refused.kind).toBe('token-refused');
    expect(refused.message).toBe('The sign-in could not be completed: invalid_grant: code expired');
    const html = classifyReadyError(http('502 Bad Gateway\nURL: https://ehr.test/token\n\n<html>\nbody\n</html>', 502));
    expect(html.message).toBe('The sign-in could not be completed: the EHR answered 502 Bad Gateway');
    expect(classifyReadyError(new Error('Failed to obtain access token.')).kind).toBe('token-refused');
    expect(classifyReadyError(new Error("No 'state' parameter found. Please (re)launch the app.")).kind).toBe('no-state');
    expect(classifyReadyError(new Error('No state found! Please (re)launch the app.')).kind).toBe('state-mismatch');
    expect(classifyReadyError(new TypeError('Failed to fetch')).kind).toBe('token-refused');
    const unknown = classifyReadyError(new Error('Patient 123 something https://ehr.test/Patient/123'));
    expect(unknown.kind).toBe('unknown');
    expect(unknown.message).not.toContain('123');
  });
});
