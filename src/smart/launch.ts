/**
 * The second leg of the SMART launch, on the app's page (the redirect URI): `completeLaunch()` wraps
 * `FHIR.oauth2.ready()` (token exchange with the PKCE verifier) and turns every way it can fail
 * into a `LaunchError` the view can show: what happened and what to do.
 *
 * Checked before fhirclient runs, because fhirclient would otherwise accept or misname them:
 * - `error`/`error_description` in the redirect → `denied` (the user or the EHR refused);
 * - no `state` in the URL and no session in sessionStorage → `no-state` (page opened directly,
 *   or the tab's session is gone); likewise a launch that was started but came back without a
 *   code (fhirclient would hand out a client with no token);
 * - a `state` that this tab never issued → `state-mismatch` (a forged or foreign redirect: refused);
 * - a `code` arriving for a launch whose code was already exchanged → `state-mismatch` (a replayed
 *   authorization code: refused; fhirclient would silently reuse the stored token).
 * After `ready()`: a refused token exchange → `token-refused`; no `patient` in the token response →
 * `no-patient`.
 *
 * The URL: fhirclient (`replaceBrowserHistory`, on by default) removes `code` and `state` with
 * history.replaceState before the token exchange; `cleanLaunchUrl()` also removes them (and `error`,
 * `error_description`) on every path, so no launch parameter stays in the address bar or history.
 * Tokens stay where fhirclient keeps them, sessionStorage; nothing here touches localStorage.
 */
import type Client from 'fhirclient/lib/Client';
import FHIR from './fhir';

export type LaunchErrorKind = 'no-state' | 'state-mismatch' | 'denied' | 'token-refused' | 'no-patient' | 'unknown';

export class LaunchError extends Error {
  override name = 'LaunchError';
  constructor(
    public kind: LaunchErrorKind,
    public title: string,
    message: string,
    public hint: string,
  ) {
    super(message);
  }
}

const RELAUNCH = 'Open the app again from the patient\u2019s chart in the EHR.';
const SMART_KEY = 'SMART_KEY';
const LAUNCH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];
/** RFC 6749 §5.2 error codes, as fhirclient's HttpError writes them ("invalid_grant: description"). */
const OAUTH_ERROR = /^(invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope|access_denied|server_error|temporarily_unavailable)(:|$)/;

function clip(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
}

/** fhirclient's BrowserStorage keeps JSON in sessionStorage. */
function storedValue(key: string): unknown {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as unknown) : null;
  } catch {
    return null;
  }
}

function storedState(key: string): { tokenResponse?: { access_token?: string } } | null {
  const value = storedValue(key);
  return value && typeof value === 'object' ? (value as { tokenResponse?: { access_token?: string } }) : null;
}

/** Removes the OAuth redirect parameters from the address bar (history.replaceState). */
export function cleanLaunchUrl(): void {
  try {
    const url = new URL(location.href);
    let changed = false;
    for (const p of LAUNCH_PARAMS) {
      if (url.searchParams.has(p)) {
        url.searchParams.delete(p);
        changed = true;
      }
    }
    if (changed) history.replaceState(history.state, '', url.href);
  } catch {
    // No history API (not a browser): nothing to clean.
  }
}

export const launchErrors = {
  noState: () =>
    new LaunchError(
      'no-state',
      'The app was not launched',
      'This page was opened without a launch from the EHR, or the launch session of this browser tab has ended.',
      RELAUNCH,
    ),
  stateMismatch: () =>
    new LaunchError(
      'state-mismatch',
      'The sign-in response was refused',
      'The EHR\u2019s answer does not belong to a launch started in this browser tab, so the app did not accept it.',
      RELAUNCH,
    ),
  replayed: () =>
    new LaunchError(
      'state-mismatch',
      'The sign-in link was already used',
      'This sign-in response was already used once; a sign-in code is accepted only once, so the app refused it.',
      RELAUNCH,
    ),
  denied: (error: string, description?: string) =>
    new LaunchError(
      'denied',
      error === 'access_denied' ? 'Access was not granted' : 'The EHR refused the sign-in',
      `The EHR answered \u201c${clip(error, 60)}\u201d${description ? `: ${clip(description)}` : ''}.`,
      `${RELAUNCH} If access is refused again, ask your EHR administrator whether this app is enabled for you.`,
    ),
  tokenRefused: (detail?: string) =>
    new LaunchError(
      'token-refused',
      'The EHR did not issue an access token',
      `The sign-in could not be completed${detail ? `: ${clip(detail)}` : '.'}`,
      `${RELAUNCH} Sign-in codes are short-lived and single-use, so a fresh launch usually works.`,
    ),
  noPatient: () =>
    new LaunchError(
      'no-patient',
      'No patient was selected',
      'The EHR completed the sign-in but did not say which patient the app is for.',
      'Open the app from within a patient\u2019s chart (or pick a patient when the launcher asks).',
    ),
  unknown: () =>
    new LaunchError('unknown', 'The launch could not be completed', 'Something unexpected went wrong while connecting to the EHR.', RELAUNCH),
};

/** Classifies an error thrown by `FHIR.oauth2.ready()` (fhirclient 2.6.3 messages and HttpError). */
export function classifyReadyError(error: unknown): LaunchError {
  if (error instanceof LaunchError) return error;
  const e = error as { message?: unknown; status?: unknown; name?: unknown };
  const message = typeof e?.message === 'string' ? e.message : '';
  // HttpError from the token endpoint: "400 Bad Request\nURL: <token url>\ninvalid_grant: ..."
  if (typeof e?.status === 'number' || e?.name === 'HttpError') {
    const lines = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^URL:/i.test(l));
    // Only an OAuth error line ("invalid_grant: ...") is shown; any other body (an HTML page,
    // JSON) is not: the status line says enough.
    const oauth = lines.slice(1).find((l) => OAUTH_ERROR.test(l));
    return launchErrors.tokenRefused(oauth ?? (lines[0] ? `the EHR answered ${lines[0]}` : undefined));
  }
  if (/Failed to obtain access token/i.test(message)) return launchErrors.tokenRefused('the answer held no access token');
  if (/No 'state' parameter found/i.test(message)) return launchErrors.noState();
  if (/No state found/i.test(message)) return launchErrors.stateMismatch();
  if (/Failed to fetch|NetworkError|network/i.test(message)) return launchErrors.tokenRefused('the EHR could not be reached');
  return launchErrors.unknown();
}

/** Checks of the redirect URL and session storage that fhirclient does not make (see top). */
export function precheckRedirect(href: string): LaunchError | null {
  const params = new URL(href).searchParams;
  const error = params.get('error');
  if (error) return launchErrors.denied(error, params.get('error_description') ?? undefined);
  if (params.get('error_description')) return launchErrors.denied('error', params.get('error_description') ?? undefined);
  const state = params.get('state');
  const code = params.get('code');
  if (!state) {
    const key = storedValue(SMART_KEY);
    const stored = typeof key === 'string' ? storedState(key) : null;
    if (!stored) return launchErrors.noState();
    if (code) return launchErrors.stateMismatch();
    // A launch that was started but never came back with a code: nothing to revive.
    if (!stored.tokenResponse?.access_token) return launchErrors.noState();
    return null;
  }
  const stored = storedState(state);
  if (!stored) return launchErrors.stateMismatch();
  if (code && stored.tokenResponse?.access_token) return launchErrors.replayed();
  if (!code && !stored.tokenResponse?.access_token) return launchErrors.noState();
  return null;
}

export interface CompleteLaunchOptions {
  /**
   * The fhirclient browser API (default: the app's). Tests pass one built on a fresh
   * `BrowserAdapter`, because fhirclient's adapter reads the page URL once and keeps it.
   */
  fhir?: { oauth2: { ready: () => Promise<Client> } };
}

/**
 * Completes the launch on the app page and returns the fhirclient `Client`. Rejects only with a
 * `LaunchError`. On a reload of the app page (no `code`), fhirclient revives the session from
 * sessionStorage without a new token exchange.
 */
export async function completeLaunch(options: CompleteLaunchOptions = {}): Promise<Client> {
  const fhir = options.fhir ?? FHIR;
  try {
    const problem = precheckRedirect(location.href);
    if (problem) throw problem;
    let client: Client;
    try {
      client = await fhir.oauth2.ready();
    } catch (error) {
      throw classifyReadyError(error);
    }
    if (!client.patient.id) throw launchErrors.noPatient();
    return client;
  } catch (error) {
    throw error instanceof LaunchError ? error : launchErrors.unknown();
  } finally {
    cleanLaunchUrl();
  }
}

export interface LaunchContext {
  /** Show a compact patient banner (the EHR asked for it, or did not say: standalone launches). */
  needPatientBanner: boolean;
  /** The EHR's style hints document, when it gave an http(s) one. */
  smartStyleUrl?: string;
}

/**
 * Launch context from the token response. Decision: `need_patient_banner` absent → true (the SMART
 * spec makes false the EHR's promise that it shows the patient; without that promise, show it).
 */
export function launchContext(client: Client): LaunchContext {
  const token = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  const banner = token.need_patient_banner;
  const style = token.smart_style_url;
  let smartStyleUrl: string | undefined;
  if (typeof style === 'string') {
    try {
      const u = new URL(style);
      if (u.protocol === 'https:' || u.protocol === 'http:') smartStyleUrl = u.href;
    } catch {
      // Not a URL: ignored.
    }
  }
  return {
    needPatientBanner: banner === false || banner === 'false' ? false : true,
    ...(smartStyleUrl ? { smartStyleUrl } : {}),
  };
}
