/**
 * Sessions for data-layer tests, and fhirclient's browser API for the launch page's part:
 * - `makeSession`: the app page's SMART session (src/smart/session.ts) on a state shaped the way
 *   a completed launch leaves it in fhirclient's storage: server URL, token response with the
 *   patient, and optionally a refresh token, token endpoint, scope and expiry (jsdom environment:
 *   the session persists to sessionStorage after a refresh).
 * - `freshBrowserApi`: fhirclient's `authorize` (the launch page) and `ready` (to prove that
 *   fhirclient and the session read each other's stored state) on a fresh adapter.
 */
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import type Client from 'fhirclient/lib/Client';
import type { fhirclient } from 'fhirclient/lib/types';
import { StoredSession, type StoredState } from '../../src/smart/session';

/**
 * fhirclient's browser API on a fresh adapter, i.e. what a newly loaded page gets. The module-level
 * `FHIR` keeps one adapter that reads the URL once (fhirclient is CommonJS, loaded by Node and not
 * reset between tests), so each simulated page load in a test needs its own.
 */
export function freshBrowserApi(): {
  oauth2: { ready: (o?: fhirclient.ReadyOptions) => Promise<Client>; authorize: (o: fhirclient.AuthorizeParams) => Promise<string | void> };
} {
  const api = new BrowserAdapter().getSmartApi();
  return { oauth2: { ready: api.ready, authorize: api.authorize } };
}

export interface TestSessionOptions {
  serverUrl: string;
  patient?: string;
  accessToken?: string;
  refreshToken?: string;
  tokenUri?: string;
  /** Granted scopes (a refresh needs online_access or offline_access among them, as in fhirclient). */
  scope?: string;
  /** Seconds since epoch; in the past to make the session refresh before the next request. */
  expiresAt?: number;
  /** sessionStorage key to persist the state under after a refresh (as a launched session does). */
  key?: string;
}

/** The stored state a completed public-client launch leaves (fhirclient's field names). */
export function sessionState(options: TestSessionOptions): StoredState {
  return {
    serverUrl: options.serverUrl,
    clientId: 'test-client',
    ...(options.tokenUri ? { tokenUri: options.tokenUri } : {}),
    ...(options.expiresAt !== undefined ? { expiresAt: options.expiresAt } : {}),
    ...(options.key ? { key: options.key } : {}),
    tokenResponse: {
      access_token: options.accessToken ?? 'test-token',
      token_type: 'Bearer',
      ...(options.patient !== undefined ? { patient: options.patient } : { patient: 'p1' }),
      ...(options.refreshToken ? { refresh_token: options.refreshToken } : {}),
      ...(options.scope ? { scope: options.scope } : {}),
    },
  };
}

export function makeSession(options: TestSessionOptions): StoredSession {
  return new StoredSession(sessionState(options));
}

/** What a promise rejects with (typed as the caller expects); fails the test when it resolves. */
export async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a rejection');
}
