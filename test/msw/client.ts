/**
 * A real fhirclient `Client` for data-layer tests (jsdom environment: fhirclient's browser build
 * needs `window` and `sessionStorage`). Built the way `ready()` leaves it after a launch: server
 * URL, token response with the patient, and optionally a refresh token and token endpoint.
 */
import FHIR from '../../src/smart/fhir';
import BrowserAdapter from 'fhirclient/lib/adapters/BrowserAdapter';
import type Client from 'fhirclient/lib/Client';
import type { fhirclient } from 'fhirclient/lib/types';

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

export interface TestClientOptions {
  serverUrl: string;
  patient?: string;
  accessToken?: string;
  refreshToken?: string;
  tokenUri?: string;
  /** Granted scopes (fhirclient refreshes only with online_access or offline_access among them). */
  scope?: string;
  /** Seconds since epoch; in the past to make fhirclient refresh before the next request. */
  expiresAt?: number;
  /** sessionStorage key to persist the state under (as ready() does). */
  key?: string;
}

export function makeClient(options: TestClientOptions): Client {
  return FHIR.client({
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
  });
}
