/**
 * The SMART launch entry (`/launch/`): EHR launch (`iss` + `launch`) or standalone launch (`iss`
 * only). Reads the URL, asks fhirclient to redirect to the EHR's authorize endpoint (PKCE S256,
 * `aud` = `iss`), and never leaves a blank page: without `iss`, or when the EHR cannot be reached, it
 * says what happened and what to do. Everything shown is set as text, never HTML.
 *
 * An EHR the page's Content-Security-Policy does not allow is named as a configuration problem
 * (VITE_CSP_CONNECT_SRC): its FHIR server checked against the page's policy before any request, its
 * token endpoint before the redirect to its sign-in, and a request the browser blocks anyway known
 * by its `securitypolicyviolation` event.
 *
 * While fhirclient discovers the authorization endpoints, the FHIR server's CapabilityStatement is
 * read too (src/smart/capabilities.ts: how the app page may search), and kept for the app page. The
 * redirect waits for it at most CAPABILITIES_GRACE_MS after the discovery is done: an EHR whose
 * statement is slow or missing is searched the plain way.
 */
import FHIR from '../src/smart/fhir';
import { fetchCapabilities, storeCapabilities } from '../src/smart/capabilities';
import {
  authorizeOptions,
  describeAuthorizeError,
  isLaunchParams,
  readLaunchParams,
  sanitisedLaunchUrl,
  type LaunchPageProblem,
  type LaunchParams,
} from '../src/smart/authorize';
import { CspBlockedError, watchConnectViolations } from '../src/smart/csp';
import { blockedByPolicy, metaPolicy, storedTokenUri } from '../src/smart/csp-policy';

function show(problem: LaunchPageProblem): void {
  const main = document.getElementById('launch') ?? document.body.appendChild(document.createElement('main'));
  main.setAttribute('data-state', 'error');
  main.replaceChildren();
  const h1 = document.createElement('h1');
  h1.textContent = problem.title;
  const message = document.createElement('p');
  message.textContent = problem.message;
  const hint = document.createElement('p');
  hint.textContent = problem.hint;
  main.append(h1, message, hint);
  document.title = `Nephrocalcinosis workup – ${problem.title}`;
}

/** How long the redirect waits for the CapabilityStatement once the authorization endpoints are known. */
const CAPABILITIES_GRACE_MS = 300;
/** Bound for reading the CapabilityStatement at all. */
const CAPABILITIES_TIMEOUT_MS = 5_000;

/**
 * The launch itself: the EHR's address checked against the page's policy, fhirclient's authorize
 * (discovery, PKCE) without its redirect and, beside it, the CapabilityStatement; the token endpoint
 * it found checked too (the app page has the same policy and exchanges the code there), then the
 * redirect to the EHR's sign-in.
 */
async function launch(params: LaunchParams): Promise<void> {
  const policy = metaPolicy();
  const blockedIss = blockedByPolicy(params.iss, policy, location.href);
  if (blockedIss) throw new CspBlockedError(blockedIss);
  // Drop every other parameter before fhirclient reads the URL (see sanitisedLaunchUrl).
  history.replaceState(null, '', sanitisedLaunchUrl(location.href, params));
  const capabilities = fetchCapabilities(params.iss, CAPABILITIES_TIMEOUT_MS).then((c) => {
    if (c) storeCapabilities(c);
  });
  const url = await FHIR.oauth2.authorize({ ...authorizeOptions(params), noRedirect: true });
  const tokenUri = storedTokenUri();
  const blockedToken = tokenUri ? blockedByPolicy(tokenUri, policy, location.href) : undefined;
  if (blockedToken) throw new CspBlockedError(blockedToken);
  await Promise.race([capabilities, new Promise((resolve) => setTimeout(resolve, CAPABILITIES_GRACE_MS))]);
  if (typeof url === 'string') location.href = url;
}

const params = readLaunchParams(location.search);
if (isLaunchParams(params)) {
  const violations = watchConnectViolations();
  launch(params).catch(async (error: unknown) => {
    const origin = error instanceof CspBlockedError ? undefined : await violations.blockedAfterFailure();
    show(describeAuthorizeError(origin ? new CspBlockedError(origin) : error));
  });
} else {
  show(params);
}
