/**
 * The second leg of the SMART launch, on the app's page (the redirect URI): `completeLaunch()` runs
 * `completeSession()` (src/smart/session.ts: fhirclient 2.6.3's `ready()` replicated on fhirclient's
 * own session-storage state — the token exchange with the PKCE verifier, or the revival of a reload)
 * and turns every way it can fail into a `LaunchError` the view can show: what happened and what to
 * do. The launch page keeps fhirclient itself (`authorize`: discovery, PKCE).
 *
 * Checked before the session is completed, because `ready()` would otherwise accept or misname them:
 * - `error`/`error_description` in the redirect → `denied` (the user or the EHR refused);
 * - no `state` in the URL and no session in sessionStorage → `no-state` (page opened directly,
 *   or the tab's session is gone); likewise a launch that was started but came back without a
 *   code (`ready()` would hand out a session with no token);
 * - a `state` that this tab never issued → `state-mismatch` (a forged or foreign redirect: refused);
 * - a `code` arriving for a launch whose code was already exchanged → `state-mismatch` (a replayed
 *   authorization code: refused; `ready()` would silently reuse the stored token).
 * After the session: a refused token exchange → `token-refused`; no `patient` in the token response
 * → `no-patient`; a stored launch of a confidential client → `unsupported-client`.
 *
 * The URL: `completeSession()` (like fhirclient's `replaceBrowserHistory`) removes `code` and `state`
 * with history.replaceState before the token exchange; `cleanLaunchUrl()` also removes them (and
 * `error`, `error_description`) on every path, so no launch parameter stays in the address bar or
 * history. Tokens stay where fhirclient keeps them, sessionStorage; nothing here touches localStorage.
 */
import { completeSession, ConfidentialClientError, readStored, SMART_KEY } from './session';
import type { SmartSession } from './types';

export type LaunchErrorKind = 'no-state' | 'state-mismatch' | 'denied' | 'token-refused' | 'no-patient' | 'unsupported-client' | 'unknown';

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
const LAUNCH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];
/** RFC 6749 §5.2 error codes, as fhirclient's HttpError writes them ("invalid_grant: description"). */
const OAUTH_ERROR = /^(invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope|access_denied|server_error|temporarily_unavailable)(:|$)/;

function clip(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
}

/** fhirclient's BrowserStorage keeps JSON in sessionStorage. */
const storedValue = readStored;

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
  unsupportedClient: () =>
    new LaunchError(
      'unsupported-client',
      'This launch used a sign-in this app does not support',
      'The launch was set up for a confidential client (with a client secret or a private key), which a browser app cannot keep safe; this app signs in only as a public client with PKCE.',
      `${RELAUNCH} If this keeps happening, ask your EHR administrator to register the app as a public client.`,
    ),
  unknown: () =>
    new LaunchError('unknown', 'The launch could not be completed', 'Something unexpected went wrong while connecting to the EHR.', RELAUNCH),
};

/**
 * Classifies an error thrown by `completeSession()`: fhirclient 2.6.3's `ready()` messages and
 * HttpError, which completeSession keeps.
 */
export function classifyReadyError(error: unknown): LaunchError {
  if (error instanceof LaunchError) return error;
  if (error instanceof ConfidentialClientError) return launchErrors.unsupportedClient();
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

/** Checks of the redirect URL and session storage that fhirclient's `ready()` does not make (see top). */
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

/**
 * Completes the launch on the app page and returns the session. Rejects only with a `LaunchError`.
 * On a reload of the app page (no `code`), the session is revived from sessionStorage without a new
 * token exchange.
 */
export async function completeLaunch(): Promise<SmartSession> {
  try {
    const problem = precheckRedirect(location.href);
    if (problem) throw problem;
    let session: SmartSession;
    try {
      session = await completeSession();
    } catch (error) {
      throw classifyReadyError(error);
    }
    if (!session.patientId) throw launchErrors.noPatient();
    return session;
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
export function launchContext(session: SmartSession): LaunchContext {
  const token = session.tokenResponse;
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
