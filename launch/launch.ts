/**
 * The SMART launch entry (`/launch/`): EHR launch (`iss` + `launch`) or standalone launch (`iss`
 * only). Reads the URL, asks fhirclient to redirect to the EHR's authorize endpoint (PKCE S256,
 * `aud` = `iss`), and never leaves a blank page: without `iss`, or when the EHR cannot be reached, it
 * says what happened and what to do. Everything shown is set as text, never HTML.
 */
import FHIR from '../src/smart/fhir';
import {
  authorizeOptions,
  describeAuthorizeError,
  isLaunchParams,
  readLaunchParams,
  sanitisedLaunchUrl,
  type LaunchPageProblem,
} from '../src/smart/authorize';

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

const params = readLaunchParams(location.search);
if (isLaunchParams(params)) {
  // Drop every other parameter before fhirclient reads the URL (see sanitisedLaunchUrl).
  history.replaceState(null, '', sanitisedLaunchUrl(location.href, params));
  FHIR.oauth2.authorize(authorizeOptions(params)).catch((error: unknown) => show(describeAuthorizeError(error)));
} else {
  show(params);
}
