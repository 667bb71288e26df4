/**
 * A launch blocked by the pages' own Content-Security-Policy (connect-src): a configuration problem
 * of this installation, reported as such and naming the setting (VITE_CSP_CONNECT_SRC), never as a
 * network failure. Launch page only: it checks before any request that the policy allows the EHR's
 * FHIR server and token endpoint (csp-policy.ts), so the app page, whose policy is the same, never
 * meets a blocked token exchange and carries none of this.
 *
 * For a request the browser blocks anyway (a discovery document whose `next` hop the checks did not
 * foresee), it rejects the fetch like a network failure and fires a `securitypolicyviolation` event
 * on the document: `watchConnectViolations` records those of `connect-src`. The event and the
 * rejection are queued separately, so `blockedAfterFailure` waits one task before looking.
 */

export const CSP_SETTING = 'VITE_CSP_CONNECT_SRC';

export class CspBlockedError extends Error {
  override name = 'CspBlockedError';
  constructor(
    /** The origin the policy does not allow (never a full URL: no path, no query). */
    readonly origin: string,
  ) {
    super(`connect-src does not allow ${origin}`);
  }
}

export interface CspProblemWords {
  title: string;
  message: string;
  hint: string;
}

export function cspProblem(origin: string): CspProblemWords {
  return {
    title: 'The app is not set up to connect to this EHR',
    message: `The browser blocked the connection to ${origin}: this installation of the app does not allow it (Content-Security-Policy, connect-src). This is a configuration problem, not a network failure.`,
    hint: `Whoever deploys the app: add ${origin} to ${CSP_SETTING} and build again (see the README, Configuration).`,
  };
}

function originOf(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    return u.origin !== 'null' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

export interface ConnectViolations {
  /** The origin of the last connect-src violation, one task after a failure (undefined: none). */
  blockedAfterFailure(): Promise<string | undefined>;
  stop(): void;
}

export function watchConnectViolations(target: Pick<Document, 'addEventListener' | 'removeEventListener'> = document): ConnectViolations {
  let blocked: string | undefined;
  const listener = (event: Event): void => {
    const e = event as SecurityPolicyViolationEvent;
    if (!/^connect-src|^default-src/.test(e.effectiveDirective ?? e.violatedDirective ?? '')) return;
    blocked = originOf(e.blockedURI) ?? blocked;
  };
  target.addEventListener('securitypolicyviolation', listener);
  return {
    blockedAfterFailure: () => new Promise((resolve) => setTimeout(() => resolve(blocked), 0)),
    stop: () => target.removeEventListener('securitypolicyviolation', listener),
  };
}
