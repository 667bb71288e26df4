/**
 * The Vite plugin mounts the sandbox and the CDS service on Vite's dev server and preview server, in
 * front of Vite's own handling (so /sandbox/**, /fhir/** and /cds-services are theirs, everything
 * else is the app's).
 * Ports 5185 and 5186 on 127.0.0.1 (the project's test range for the sandbox).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { sandboxPlugin } from '../../src/sandbox/vite-plugin';

const quiet = { log: () => undefined, warn: () => undefined };
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-vite-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>stand-in app</title><p>stand-in app</p>');
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>built app</title><p>built app</p>');
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function check(origin: string, appText: string): Promise<void> {
  const home = await fetch(`${origin}/sandbox/`);
  expect(home.status).toBe(200);
  const html = await home.text();
  expect(html).toContain('Local SMART sandbox');
  // The CDS service is mounted beside the sandbox, which calls it for every patient.
  expect(html).toMatch(/data-cds-card="scn-hyperpara"/);
  const discovery = (await (await fetch(`${origin}/cds-services`)).json()) as { services: { id: string }[] };
  expect(discovery.services.map((s) => s.id)).toEqual(['nephrocalcinosis-workup', 'nephrocalcinosis-workup-orders']);
  const conf = (await (await fetch(`${origin}/fhir/.well-known/smart-configuration`)).json()) as Record<string, string>;
  expect(conf.authorization_endpoint).toBe(`${origin}/sandbox/auth/authorize`);
  const launch = await fetch(`${origin}/sandbox/launch?patient=scn-hyperpara`, { redirect: 'manual' });
  expect(launch.status).toBe(302);
  expect(launch.headers.get('location')).toMatch(/^\/launch\/\?iss=.+&launch=/);
  const app = await fetch(`${origin}/`);
  expect(await app.text()).toContain(appText);
}

function originOf(address: ReturnType<import('node:net').Server['address']> | undefined): string {
  if (!address || typeof address !== 'object') throw new Error('the server is not listening on a port');
  return `http://127.0.0.1:${address.port}`;
}

describe('sandboxPlugin', () => {
  it('serves the sandbox on the dev server, the app on every other path', async () => {
    let server: ViteDevServer | undefined;
    try {
      server = await createServer({
        configFile: false,
        root: dir,
        logLevel: 'silent',
        plugins: [sandboxPlugin({ root: process.cwd(), ...quiet })],
        server: { host: '127.0.0.1', port: 0 }, // any free port: other checkouts may test at the same time
        optimizeDeps: { noDiscovery: true, include: [] },
      });
      await server.listen();
      await check(originOf(server.httpServer?.address()), 'stand-in app');
    } finally {
      await server?.close();
    }
  });

  it('serves the sandbox on the preview server', async () => {
    let server: PreviewServer | undefined;
    try {
      server = await preview({
        configFile: false,
        root: dir,
        logLevel: 'silent',
        plugins: [sandboxPlugin({ root: process.cwd(), ...quiet })],
        preview: { host: '127.0.0.1', port: 0 },
      });
      await check(originOf(server.httpServer.address()), 'built app');
    } finally {
      await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
    }
  });
});
