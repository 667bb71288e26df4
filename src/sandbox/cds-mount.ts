/**
 * The CDS service as the dev/preview server serves it beside the sandbox (`npm start`, `vite
 * preview`): the production handler (src/cds/handler.ts) with the same environment variables as
 * `npm run cds` (src/cds/config.ts), and two local defaults:
 * - the sandbox's own EHR is trusted (its issuer resolver, cds-client.ts), beside any issuer of
 *   CDS_TRUSTED_ISSUERS (for example the CDS Hooks sandbox's, ../shared/cds-sandbox/);
 * - without CDS_APP_LAUNCH_URL, the cards link to `/launch/` on the origin the call came to (the app
 *   this server serves).
 */
import { readCdsConfig } from '../cds/config';
import { createCdsHandler, type CdsHandler } from '../cds/handler';
import { MemoryReplayCache } from '../cds/replay';
import type { Sandbox } from './server';

export function createLocalCdsHandler(sandbox: Sandbox, env: Record<string, string | undefined> = process.env, log?: (line: string) => void): CdsHandler {
  const config = readCdsConfig(env, [sandbox.cdsClient.issuerResolver]);
  return createCdsHandler({
    trust: config.trust,
    replay: new MemoryReplayCache(config.replayCapacity),
    launchUrl: config.launchUrl ?? ((origin) => `${origin}/launch/`),
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    allowedOrigins: config.allowedOrigins,
    maxBodyBytes: config.maxBodyBytes,
    fetchTimeoutMs: config.fetchTimeoutMs,
    ...(log ? { log } : {}),
  });
}
