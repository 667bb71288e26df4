/**
 * Opens the connection to the EHR's FHIR server while the token exchange is still running (time to
 * panel).
 *
 * The app's FHIR requests to an EHR on another origin are uncredentialed (the bearer token is the
 * only credential), and browsers keep uncredentialed connections apart from the page's own. Without
 * a hint the first wave of searches waits, after the token, for a connection to be set up: TCP and
 * TLS, one to two round trips on a real network wherever the FHIR server is not the token
 * endpoint's host (Oracle Health: authorization.cerner.com and fhir-ehr.cerner.com). In the
 * benchmark (one origin, HTTP/2) the searches, then made with `credentials: 'omit'`, went on the
 * wire 20–115 ms after they were issued for that reason; they now use the default credentials mode
 * (src/smart/fetch-all.ts), whose pool is the one `crossorigin="anonymous"` preconnects.
 *
 * The FHIR server is known before the token: fhirclient's launch page stored it (`serverUrl`) in the
 * tab's session storage with the rest of the launch state. A `<link rel="preconnect" crossorigin>`
 * (the anonymous connection pool, the one the searches use) lets the browser set the connection up
 * in parallel with the token exchange. Only the origin is used: no path, no patient, no token; and
 * only the server this tab's own launch named (another page cannot write this tab's session
 * storage). Anything unexpected — no state, not a URL, not http(s) — means no hint, never an error.
 */
import { readStored, SMART_KEY } from '../smart/session';

export function preconnectToEhr(doc: Document = document, href: string = location.href): string | undefined {
  try {
    const key = new URL(href).searchParams.get('state') ?? readStored(SMART_KEY);
    const state = typeof key === 'string' && key ? readStored(key) : undefined;
    const serverUrl = state && typeof state === 'object' ? (state as { serverUrl?: unknown }).serverUrl : undefined;
    if (typeof serverUrl !== 'string') return undefined;
    const url = new URL(serverUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const link = doc.createElement('link');
    link.rel = 'preconnect';
    link.href = url.origin;
    link.crossOrigin = 'anonymous';
    doc.head.append(link);
    return url.origin;
  } catch {
    return undefined;
  }
}
