/**
 * The CDS service for `npm run bench` (bench/cds.ts), in a process of its own: the production
 * server (src/cds/server.ts `startCdsServer`) with the configuration of `npm run cds` from the
 * environment, on a free loopback port. Over IPC it says where it listens and, when asked, how much
 * memory it holds after a full garbage collection (run with --expose-gc).
 */
import { readCdsConfig } from '../src/cds/config';
import { startCdsServer } from '../src/cds/server';

type Message = { type: 'memory' } | { type: 'stop' };

async function main(): Promise<void> {
  const config = readCdsConfig();
  const running = await startCdsServer({ ...config, port: 0, host: '127.0.0.1', launchUrl: config.launchUrl ?? 'https://app.example.org/launch/' }, () => undefined);
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: Message) => {
    if (m.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({ type: 'memory', rss: u.rss, heapUsed: u.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (m.type === 'stop') {
      void running.close().then(() => process.exit(0));
    }
  });
  send({ type: 'ready', origin: running.origin });
}

void main();
