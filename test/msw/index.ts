/**
 * msw handler sets for tests that talk FHIR or SMART (reusable by any test):
 * - ./server      the msw server (import FIRST in a file that loads fhirclient; see there)
 * - ./fhir-server a fake FHIR server (`fakeEhr`), Bundle/OperationOutcome builders, a request log
 * - ./faults      one handler set per fault (status, never answers, slow, malformed JSON, network
 *                 error, empty searchset, looping / endless / foreign `next` links, outcome entries)
 * - ./vendor      the Epic and Oracle Health captures replayed as the EHR's answers
 * - ./smart-auth  a SMART authorization server (.well-known, token with PKCE check, refresh)
 * - ./client      the app page's SMART session on a test state, and fhirclient's browser API per
 *                 simulated page (the launch page's authorize)
 * (./server and ./client are not re-exported here: their import order matters.)
 */
export * from './fhir-server';
export * from './faults';
export * from './vendor';
export * from './smart-auth';
