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
 *
 * The words for each failure (src/smart/launch-errors.ts) are loaded only when the launch fails: a
 * launch that succeeds never needs them.
 */
import { completeSession, readStored, SMART_KEY } from './session';
import type { LaunchError, LaunchErrorKind } from './launch-errors';
import type { SmartSession } from './types';

export type { LaunchError, LaunchErrorKind } from './launch-errors';

const LAUNCH_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri'];

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

/** Why a launch failed, before it is put in words (src/smart/launch-errors.ts). */
export type LaunchProblem =
  | { problem: 'noState' | 'stateMismatch' | 'replayed' | 'noPatient' }
  | { problem: 'denied'; error: string; description?: string };

/** Checks of the redirect URL and session storage that fhirclient's `ready()` does not make (see top). */
export function precheckRedirect(href: string): LaunchProblem | null {
  const params = new URL(href).searchParams;
  const error = params.get('error');
  const description = params.get('error_description') ?? undefined;
  if (error || description) return { problem: 'denied', error: error || 'error', ...(description ? { description } : {}) };
  const state = params.get('state');
  const code = params.get('code');
  if (!state) {
    const key = storedValue(SMART_KEY);
    const stored = typeof key === 'string' ? storedState(key) : null;
    if (!stored) return { problem: 'noState' };
    if (code) return { problem: 'stateMismatch' };
    // A launch that was started but never came back with a code: nothing to revive.
    if (!stored.tokenResponse?.access_token) return { problem: 'noState' };
    return null;
  }
  const stored = storedState(state);
  if (!stored) return { problem: 'stateMismatch' };
  if (code && stored.tokenResponse?.access_token) return { problem: 'replayed' };
  if (!code && !stored.tokenResponse?.access_token) return { problem: 'noState' };
  return null;
}

/** The failure in words; plain words of its own when even those cannot be loaded (offline). */
async function inWords(failure: unknown): Promise<LaunchError> {
  try {
    return (await import('./launch-errors')).toLaunchError(failure);
  } catch {
    const kind: LaunchErrorKind = 'unknown';
    return Object.assign(new Error('The app could not be started.'), {
      name: 'LaunchError',
      kind,
      title: 'The launch could not be completed',
      hint: 'Open the app again from the patient\u2019s chart in the EHR.',
    });
  }
}

/**
 * Completes the launch on the app page and returns the session. Rejects only with a `LaunchError`.
 * On a reload of the app page (no `code`), the session is revived from sessionStorage without a new
 * token exchange.
 */
export async function completeLaunch(): Promise<SmartSession> {
  let failure: unknown;
  try {
    const problem = precheckRedirect(location.href);
    if (problem) throw problem;
    const session = await completeSession();
    if (session.patientId) return session;
    failure = { problem: 'noPatient' } satisfies LaunchProblem;
  } catch (error) {
    failure = error;
  } finally {
    cleanLaunchUrl();
  }
  throw await inWords(failure);
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
