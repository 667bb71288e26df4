/**
 * The first leg of the SMART launch (the `/launch/` page): read `iss` and `launch` from the URL the
 * EHR (or the SMART App Launcher) opened, and hand fhirclient the options to redirect to the EHR's
 * authorize endpoint. PKCE S256 and `aud` = `iss` are fhirclient's doing (checked by the tests).
 */
import type { fhirclient } from 'fhirclient/lib/types';
import { issAllowed, readSmartConfig, scopesFor, type LaunchKind, type SmartConfig } from './config';
import { cspProblem, CspBlockedError } from './csp';

export interface LaunchParams {
  iss: string;
  /** Present for an EHR launch, absent for a standalone launch. */
  launch?: string;
  kind: LaunchKind;
}

/** Why the launch page cannot start a launch, in words for the person who opened it. */
export interface LaunchPageProblem {
  title: string;
  message: string;
  hint: string;
}

/**
 * Reads `iss` (must be an http(s) URL, and on the allow-list when one is configured) and `launch`
 * from a query string.
 */
export function readLaunchParams(search: string, config: SmartConfig = readSmartConfig()): LaunchParams | LaunchPageProblem {
  const params = new URLSearchParams(search);
  const iss = params.get('iss')?.trim() ?? '';
  const launch = params.get('launch')?.trim() || undefined;
  if (!iss) {
    return {
      title: 'This page starts the app from an EHR',
      message: 'It was opened without the EHR\u2019s address (the `iss` parameter), so there is nothing to connect to.',
      hint: 'Open the app from the patient\u2019s chart in your EHR, or from the SMART App Launcher with this page as the launch URL.',
    };
  }
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      title: 'The EHR address is not valid',
      message: 'The `iss` parameter is not an http(s) address, so the app cannot connect to it.',
      hint: 'Check the launch configuration in the EHR, then open the app again from the patient\u2019s chart.',
    };
  }
  if (!issAllowed(iss, config)) {
    return {
      title: 'This EHR is not configured for the app',
      message: 'The launch names an EHR address that this installation of the app does not accept.',
      hint: 'Open the app from your organisation\u2019s EHR. If this is your EHR, ask the team that installed the app to add its address.',
    };
  }
  return launch ? { iss, launch, kind: 'ehr' } : { iss, kind: 'standalone' };
}

/**
 * The launch URL reduced to `iss` and `launch`. fhirclient's authorize() also honours URL parameters
 * meant for development — `fhirServiceUrl` + `patientId` (a launch with no authorization at all),
 * `clientId`, `encounterId` — so a crafted link could make the app show data from a server of the
 * attacker's choosing as a patient's record. The launch page replaces its URL with this one
 * (history.replaceState) before fhirclient reads it.
 */
export function sanitisedLaunchUrl(href: string, params: LaunchParams): string {
  const url = new URL(href);
  url.search = '';
  url.hash = '';
  url.searchParams.set('iss', params.iss);
  if (params.launch) url.searchParams.set('launch', params.launch);
  return url.href;
}

export function isLaunchParams(x: LaunchParams | LaunchPageProblem): x is LaunchParams {
  return 'iss' in x;
}

/** The options passed to `FHIR.oauth2.authorize`. */
export function authorizeOptions(
  params: LaunchParams,
  config: SmartConfig = readSmartConfig(),
): fhirclient.AuthorizeParams {
  return {
    clientId: config.clientId,
    scope: scopesFor(config, params.kind),
    // fhirclient resolves a relative redirect against the launch page: `../` is the app's index.
    redirectUri: config.redirectUri,
    iss: params.iss,
    ...(params.launch ? { launch: params.launch } : {}),
    pkceMode: config.pkceMode,
    // EHRs embed apps in an iframe: complete the whole flow in that frame (also stops fhirclient's
    // console warning about frames).
    completeInTarget: true,
  };
}

/**
 * Words for an error of the launch (well-known document unreachable, PKCE refused...). A
 * CspBlockedError — the page's own policy blocked the EHR — is a configuration problem naming
 * VITE_CSP_CONNECT_SRC, never "check the network".
 */
export function describeAuthorizeError(error: unknown): LaunchPageProblem {
  if (error instanceof CspBlockedError) return cspProblem(error.origin);
  const raw = error instanceof Error ? error.message : String(error);
  if (/PKCE/i.test(raw)) {
    return {
      title: 'The EHR does not offer a secure sign-in this app requires',
      message: 'The EHR does not advertise PKCE (S256), which this app is configured to require.',
      hint: 'Ask the EHR\u2019s integration team to enable PKCE for this app, or relax VITE_SMART_PKCE.',
    };
  }
  if (/well-known|conformance|metadata|fetch|network/i.test(raw)) {
    return {
      title: 'The EHR could not be reached',
      message: 'The app could not read the EHR\u2019s sign-in configuration (.well-known/smart-configuration or metadata).',
      hint: 'Check the network connection and that the EHR address is right, then open the app again from the patient\u2019s chart.',
    };
  }
  return {
    title: 'The launch could not start',
    message: 'Something went wrong before the app could ask the EHR for access.',
    hint: 'Open the app again from the patient\u2019s chart. If this keeps happening, contact your EHR support team.',
  };
}
