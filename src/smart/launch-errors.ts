/**
 * The words for each way a SMART launch can fail on the app page (src/smart/launch.ts): what
 * happened and what to do, as the view shows them. Loaded only when a launch fails.
 */
import type { LaunchProblem } from './launch';
import { ConfidentialClientError } from './session';

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
/** RFC 6749 §5.2 error codes, as fhirclient's HttpError writes them ("invalid_grant: description"). */
const OAUTH_ERROR = /^(invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope|access_denied|server_error|temporarily_unavailable)(:|$)/;

function clip(text: string, max = 200): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}\u2026` : t;
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


/** A launch failure in words: a problem found before the session, or an error thrown completing it. */
export function toLaunchError(failure: unknown): LaunchError {
  const p = failure as Partial<LaunchProblem> | null;
  switch (p && typeof p === 'object' ? p.problem : undefined) {
    case 'noState':
      return launchErrors.noState();
    case 'stateMismatch':
      return launchErrors.stateMismatch();
    case 'replayed':
      return launchErrors.replayed();
    case 'noPatient':
      return launchErrors.noPatient();
    case 'denied': {
      const d = p as { error: string; description?: string };
      return launchErrors.denied(d.error, d.description);
    }
    default:
      return classifyReadyError(failure);
  }
}
