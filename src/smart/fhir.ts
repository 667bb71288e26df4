/**
 * fhirclient's browser API (`FHIR.oauth2.authorize`), for the launch page only. The app page does
 * not load fhirclient: it completes the launch with src/smart/session.ts, on fhirclient's own
 * session-storage state.
 *
 * Imported from the browser entry explicitly: a browser bundler resolves `fhirclient` to this very
 * file through its `browser` field, but Vitest and other Node-side tools resolve `fhirclient` to the
 * Node entry (a different API, `smart(req, res)`). Importing the file directly gives the same module
 * in the production bundle (with Vite's `FHIRCLIENT_PURE` define and the `isomorphic-webcrypto`
 * alias applied) and in jsdom tests.
 */
import FHIR from 'fhirclient/lib/entry/browser';
export type { fhirclient } from 'fhirclient/lib/types';
export default FHIR;
