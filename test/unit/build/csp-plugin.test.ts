/**
 * The pages' connect-src at build and dev time (src/build/csp-plugin.ts): the development server
 * allows the SMART App Launcher as well, a production build writes VITE_CSP_CONNECT_SRC only and
 * warns when it is empty; and the pages as built and as served by `npm start`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { build, createServer, type ViteDevServer } from 'vite';
import { buildWarnings, connectSrcFor, cspConnectSrcPlugin, DEV_CONNECT_ORIGINS, nonOrigins } from '../../../src/build/csp-plugin';

const ROOT = resolve(__dirname, '../../..');

describe('connect-src values', () => {
  it('dev server: the configured origins plus the SMART App Launcher; build: the configured origins only', () => {
    expect(DEV_CONNECT_ORIGINS).toEqual(['https://launch.smarthealthit.org']);
    expect(connectSrcFor('serve', '')).toBe('https://launch.smarthealthit.org');
    expect(connectSrcFor('serve', 'https://fhir.epic.com https://launch.smarthealthit.org')).toBe('https://fhir.epic.com https://launch.smarthealthit.org');
    expect(connectSrcFor('build', '')).toBe('');
    expect(connectSrcFor('build', ' https://fhir.epic.com ')).toBe('https://fhir.epic.com');
  });

  it('a build without EHR origins says so, naming the setting; odd tokens are named too', () => {
    expect(buildWarnings('')).toHaveLength(1);
    expect(buildWarnings('')[0]).toMatch(/^VITE_CSP_CONNECT_SRC is empty: .*will be blocked by the Content-Security-Policy/);
    expect(buildWarnings('https://fhir.epic.com')).toEqual([]);
    expect(nonOrigins("https://fhir.epic.com fhir.epic.com https://x.example/fhir 'self' wss://ws.example")).toEqual(['fhir.epic.com', 'https://x.example/fhir', "'self'"]);
  });
});

describe('the pages', () => {
  const out = mkdtempSync(join(tmpdir(), 'csp-build-'));
  // An empty env folder: a developer's .env.local must not change what these tests see.
  const envDir = mkdtempSync(join(tmpdir(), 'csp-env-'));
  let dev: ViteDevServer | undefined;
  afterAll(async () => {
    await dev?.close();
    rmSync(out, { recursive: true, force: true });
    rmSync(envDir, { recursive: true, force: true });
  });

  it('npm start serves both pages with the launcher allowed', async () => {
    dev = await createServer({
      configFile: false,
      root: ROOT,
      envDir,
      logLevel: 'silent',
      plugins: [cspConnectSrcPlugin()],
      // Any free port: other checkouts' tests and servers may run at the same time.
      server: { host: '127.0.0.1', port: 0 },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await dev.listen();
    const address = dev.httpServer?.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    for (const page of ['/', '/launch/']) {
      const html = await (await fetch(`http://127.0.0.1:${port}${page}`)).text();
      expect(html, page).toMatch(/connect-src 'self' https:\/\/launch\.smarthealthit\.org;/);
    }
  });

  it('a production build keeps the configured origins only, and warns when there are none', async () => {
    const warnings: string[] = [];
    await build({
      configFile: false,
      root: ROOT,
      envDir,
      logLevel: 'warn',
      customLogger: { warn: (m: string) => warnings.push(m), info: () => undefined, warnOnce: () => undefined, error: () => undefined, clearScreen: () => undefined, hasErrorLogged: () => false, hasWarned: false },
      plugins: [cspConnectSrcPlugin()],
      build: { outDir: out, emptyOutDir: true, write: true, rollupOptions: { input: { launch: join(ROOT, 'launch/index.html') } } },
      define: { FHIRCLIENT_PURE: 'true' },
    });
    expect(readFileSync(join(out, 'launch/index.html'), 'utf8')).toMatch(/connect-src 'self' ;/);
    expect(warnings.join('\n')).toMatch(/VITE_CSP_CONNECT_SRC is empty/);
  }, 120_000);
});
