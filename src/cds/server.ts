/**
 * `npm run cds`: the CDS service alone, for production (configuration: config.ts). It serves
 * `/cds-services` and nothing else, holds no session, and keeps only the JWT replay cache in memory
 * (docs/cds-hooks.md, "Scaling").
 *
 * Exit status 2 with one line on stderr when the configuration is unusable; the startup line names
 * the address and how many issuers are trusted, nothing else.
 */
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { CdsConfigError, readCdsConfig, type CdsConfig } from './config';
import { createCdsHandler } from './handler';
import { MemoryReplayCache } from './replay';

export interface RunningCdsServer {
  server: Server;
  /** http://host:port */
  origin: string;
  close: () => Promise<void>;
}

/** Starts the service on config.host:config.port (port 0: any free port). */
export function startCdsServer(config: CdsConfig & { launchUrl: string }, log: (line: string) => void = (l) => console.warn(l)): Promise<RunningCdsServer> {
  const handler = createCdsHandler({
    trust: config.trust,
    replay: new MemoryReplayCache(config.replayCapacity),
    launchUrl: config.launchUrl,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    allowedOrigins: config.allowedOrigins,
    maxBodyBytes: config.maxBodyBytes,
    fetchTimeoutMs: config.fetchTimeoutMs,
    log,
  });
  const server = createServer((req, res) => handler(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      resolve({
        server,
        origin: `http://${host}:${port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

async function main(): Promise<void> {
  let config: CdsConfig;
  try {
    config = readCdsConfig();
    if (config.trust.issuers.length === 0) throw new CdsConfigError('CDS_TRUSTED_ISSUERS is empty: no CDS client could be verified, so every call would be refused.');
    if (!config.launchUrl) throw new CdsConfigError("CDS_APP_LAUNCH_URL is not set: the cards' links need the app's SMART launch URL (https://<app-host>/launch/).");
  } catch (error) {
    process.stderr.write(`cds: ${error instanceof CdsConfigError ? error.message : 'the configuration could not be read'}\n`);
    process.exit(2);
  }
  const running = await startCdsServer({ ...config, launchUrl: config.launchUrl });
  process.stderr.write(`cds: CDS Hooks service at ${running.origin}/cds-services (${config.trust.issuers.length} trusted issuers)\n`);
  if (!config.baseUrl) {
    process.stderr.write('cds: CDS_BASE_URL is not set: the JWT "aud" is checked against the origin each request arrives at (set it behind a proxy or TLS terminator)\n');
  }
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
