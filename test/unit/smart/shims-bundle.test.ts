/**
 * fhirclient's browser build bundled with the three shims aliased in (isomorphic-webcrypto, debug,
 * js-base64), by esbuild (what Vite's dev server pre-bundles with) in one test and by Vite/Rollup
 * (what `vite build` uses) in the other, then run: PKCE S256 challenge = SHA-256 of the verifier,
 * id_token decoding, and silence. Guards the aliases proposed for vite.config.ts.
 *
 * The bundlers run in Node (this file's environment); each bundle runs in its own JSDOM window
 * (the page), with the window's fetch answering the EHR's .well-known document.
 */
import { describe, expect, it } from 'vitest';
import { createHash, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

// jsdom ships no types (and @types/jsdom is not a dependency): the constructor, typed for this use.
const { JSDOM } = createRequire(import.meta.url)('jsdom') as {
  JSDOM: new (html: string, options: { url: string; runScripts: 'outside-only' }) => { window: Window };
};

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const aliases = {
  'isomorphic-webcrypto': join(root, 'src/smart/webcrypto-shim.ts'),
  debug: join(root, 'src/smart/debug-shim.cjs'),
  'js-base64': join(root, 'src/smart/base64-shim.ts'),
};
const entry = join(root, 'node_modules/fhirclient/lib/entry/browser.js');
const iss = 'https://ehr.test/fhir';

type Fhir = typeof import('../../../src/smart/fhir').default;

/** Runs the IIFE in a fresh page at /launch/ and checks PKCE, id_token decoding and silence. */
async function check(iife: string) {
  const dom = new JSDOM('<!doctype html><title>launch</title>', { url: `http://app.test/launch/?iss=${encodeURIComponent(iss)}&launch=L`, runScripts: 'outside-only' });
  const window = dom.window as unknown as Window & typeof globalThis & { FHIRB: { default?: Fhir } & Fhir; eval(code: string): unknown };
  Object.defineProperty(window, 'crypto', { value: webcrypto });
  const wellKnown = { authorization_endpoint: `${iss}/auth`, token_endpoint: `${iss}/token`, code_challenge_methods_supported: ['S256'] };
  const requested: string[] = [];
  window.fetch = (async (url: string) => {
    requested.push(String(url));
    return new Response(JSON.stringify(wellKnown), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const printed: unknown[] = [];
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) window.console[m] = (...args: unknown[]) => printed.push(args);
  window.localStorage.setItem('debug', '*'); // would turn the real `debug` package on
  window.eval(`${iife}\n;window.FHIRB = FHIRB;`);
  const FHIR = window.FHIRB.default ?? window.FHIRB;
  const url = new URL(String(await FHIR.oauth2.authorize({ clientId: 'c', scope: 'launch', redirectUri: '../', noRedirect: true, completeInTarget: true })));
  expect(requested).toEqual([`${iss}/.well-known/smart-configuration`]);
  const state = JSON.parse(window.sessionStorage.getItem(url.searchParams.get('state')!)!);
  expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  expect(url.searchParams.get('code_challenge')).toBe(createHash('sha256').update(state.codeVerifier).digest('base64url'));
  const payload = Buffer.from(JSON.stringify({ fhirUser: `${iss}/Practitioner/9` })).toString('base64url');
  const client = FHIR.client({ serverUrl: iss, scope: 'openid fhirUser', tokenResponse: { access_token: 't', id_token: `h.${payload}.s` } });
  expect(client.getFhirUser()).toBe('Practitioner/9');
  expect(client.patient.id).toBeNull(); // goes through fhirclient's debug() calls
  expect(printed).toEqual([]);
  window.close();
}

describe('fhirclient bundled with the shims', () => {
  it('esbuild (Vite dev pre-bundling)', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'FHIRB',
      define: { FHIRCLIENT_PURE: 'true' },
      alias: aliases,
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect(code).not.toContain('useColors'); // the real debug package is gone
    await check(code);
  });

  it('Vite build (Rollup)', async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'shim-bundle-'));
    try {
      await build({
        configFile: false,
        logLevel: 'silent',
        root,
        // An app build replaces process.env.NODE_ENV; a library build does not, so say it here.
        define: { FHIRCLIENT_PURE: 'true', 'process.env.NODE_ENV': '"production"' },
        resolve: { alias: aliases },
        build: { outDir, emptyOutDir: true, minify: true, lib: { entry, formats: ['iife'], name: 'FHIRB', fileName: () => 'fc.js' } },
      });
      const code = readFileSync(join(outDir, 'fc.js'), 'utf8');
      expect(code).not.toContain('useColors');
      await check(code);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});
