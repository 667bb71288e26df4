/**
 * The msw server for tests that use fhirclient. IMPORT THIS MODULE FIRST in the test file, before
 * anything that loads fhirclient: fhirclient's browser build takes `window.fetch` once, when it is
 * first evaluated, and msw intercepts `fetch` by replacing it at `listen()`; a fetch taken before
 * that would bypass msw (and try the real network). So the server listens at import time.
 * Unhandled requests are errors: no test may reach the network. Close it in `afterAll`.
 */
import { setupServer } from 'msw/node';

export const server = setupServer();
server.listen({ onUnhandledRequest: 'error' });
