/**
 * Byte budgets (issue 4): they do not depend on the machine's speed, so they are asserted here, in
 * the main suite. The test builds the production bundle itself (test/budget/build.ts, in a child
 * process, into a temporary folder), so it never measures a stale dist/ and needs no prior step.
 *
 * Budgets (gzip level 9, 1 kB = 1000 bytes):
 * - app page JS before the panel is shown (the entry and its static imports) ≤ BUDGETS.appJsCeilingGzip
 *   (the limit of 45 kB is not met at present: see budgets.ts); the goal of 40 kB is NOT met and is printed with
 *   the gap, here and by `npm run bench`. Chunks loaded by dynamic import (on first use or when the
 *   browser is idle, after the panel is shown: the large trend chart, copy to note) are counted
 *   apart, against BUDGETS.appLazyJsGzip: they are not on the clinician's path to the panel.
 * - the chunks loaded during a load only when it needs them ≤ 3.5 kB: reading the rest of a
 *   multi-page search (src/smart/paging-read.ts), checking a site code map
 *   (src/clinical/sitecodes-check.ts); counted apart from the JS before the panel (as the
 *   heavy-record worker) and from the after-the-panel chunks.
 * - app page CSS ≤ 8 kB: a one-panel stylesheet; 8 kB leaves room for states and print rules while
 *   catching an accidental CSS framework.
 * - launch page JS ≤ 20 kB: the launch page only runs fhirclient's authorize() (discovery, PKCE,
 *   redirect). Measured 15.5 kB gz on 2026-11-24, 14.2 kB with terser (fhirclient's lean build:
 *   FHIRCLIENT_PURE, the WebCrypto, debug and js-base64 shims). fhirclient's polyfilled build adds
 *   about 9 kB gz, so 20 kB leaves room for the page's own code while still catching that regression.
 * - fhirclient only on the launch page: the app page completes the launch with src/smart/session.ts
 *   (13 kB gz less); an import of fhirclient from the app page's code would bring it back unnoticed
 *   by the ceiling for a while, so it is checked on Rollup's per-chunk module lists.
 * - No sandbox code and no FHIR-server library in the bundle: checked on Rollup's own module list
 *   and by searching the output for strings only the sandbox and its libraries contain.
 * - No CDS service code (src/cds) and no JOSE library in the bundle: the service is a server of its
 *   own; the same two checks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProduction } from './build';
import { BUDGETS } from './budgets';
import { htmlAssets, kB, pageWeight, workerWeight } from './weight';


// Strings that exist only in the sandbox (src/sandbox) or in the FHIR-server libraries it uses.
const SANDBOX_MARKERS = ['MemoryRepository', 'FhirRouter', '@medplum', 'SANDBOX_DATA', 'SANDBOX_LATENCY_MS', 'sandboxPlugin'];
// Strings that exist only in the CDS service (src/cds) or in jose.
const CDS_MARKERS = ['CDS_TRUSTED_ISSUERS', 'cds-services', 'nephrocalcinosis-workup-orders', 'ERR_JWKS_NO_MATCHING_KEY', 'createRemoteJWKSet'];

let outDir = '';

function allFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, name)).isDirectory()) out.push(...allFiles(join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}

describe('production bundle budgets', () => {
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'budget-build-'));
    buildProduction(outDir);
  }, 240_000);

  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('builds both pages', () => {
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
    expect(existsSync(join(outDir, 'launch', 'index.html'))).toBe(true);
  });

  it('counts every asset each page references (manifest agrees with the HTML)', () => {
    for (const page of ['index.html', 'launch/index.html']) {
      const w = pageWeight(outDir, page);
      const html = htmlAssets(readFileSync(join(outDir, page), 'utf8'));
      expect(w.js.length, `${page} has JS`).toBeGreaterThan(0);
      const counted = new Set([...w.js, ...w.css].map((f) => f.file));
      for (const f of [...html.js, ...html.css]) expect(counted.has(f), `${page} loads ${f}`).toBe(true);
    }
  });

  /** The lazy chunks a load fetches only when it needs them (counted apart). */
  const WHEN_NEEDED = ['/src/smart/paging-read.ts', '/src/clinical/sitecodes-check.ts'];
  const pagingChunk = () => {
    const chunks = JSON.parse(readFileSync(join(outDir, '.chunk-modules.json'), 'utf8')) as Record<string, string[]>;
    return pageWeight(outDir, 'index.html').lazyJs.filter((f) => (chunks[f.file] ?? []).some((id) => WHEN_NEEDED.some((m) => id.endsWith(m))));
  };

  it(`app page JS before the panel ≤ ${BUDGETS.appJsCeilingGzip / 1000} kB gz (goal ${BUDGETS.appJsGzip / 1000} kB, not met), lazy chunks ≤ ${BUDGETS.appLazyJsGzip / 1000} kB gz, CSS ≤ ${BUDGETS.appCssGzip / 1000} kB gz`, () => {
    const w = pageWeight(outDir, 'index.html');
    const paging = new Set(pagingChunk().map((f) => f.file));
    const lazy = w.lazyJs.filter((f) => !paging.has(f.file));
    const lazyGzip = lazy.reduce((n, f) => n + f.gzip, 0);
    console.info(`[budget] app page: JS ${kB(w.jsGzip)} gz before the panel (+${kB(lazyGzip)} lazy: ${lazy.map((f) => f.file).join(', ') || 'none'}), CSS ${kB(w.cssGzip)} gz`);
    if (w.jsGzip > BUDGETS.appJsGzip) {
      console.info(`[budget] app page JS is ${kB(w.jsGzip - BUDGETS.appJsGzip)} over the ${BUDGETS.appJsGzip / 1000} kB goal (see bench/README.md)`);
    }
    expect(w.jsGzip).toBeLessThanOrEqual(BUDGETS.appJsCeilingGzip);
    expect(lazyGzip).toBeLessThanOrEqual(BUDGETS.appLazyJsGzip);
    expect(w.cssGzip).toBeLessThanOrEqual(BUDGETS.appCssGzip);
  });

  it(`chunks a load fetches only when it needs them ≤ ${BUDGETS.whenNeededJsGzip / 1000} kB gz (a search with more than one page, a site code map)`, () => {
    const files = pagingChunk();
    const gzip = files.reduce((n, f) => n + f.gzip, 0);
    console.info(`[budget] loaded when needed: ${files.map((f) => f.file).join(', ')} ${kB(gzip)} gz`);
    expect(files).toHaveLength(2);
    expect(gzip).toBeLessThanOrEqual(BUDGETS.whenNeededJsGzip);
  });

  it(`heavy-record evaluation worker ≤ ${BUDGETS.workerJsGzip / 1000} kB gz (fetched only for records of 2,000+ resources)`, () => {
    const w = workerWeight(outDir);
    console.info(`[budget] evaluation worker: ${w.files.join(', ')} ${kB(w.gzip)} gz`);
    expect(w.files).toHaveLength(1);
    expect(w.gzip).toBeLessThanOrEqual(BUDGETS.workerJsGzip);
  });

  it(`launch page JS ≤ ${BUDGETS.launchJsGzip / 1000} kB gz`, () => {
    const w = pageWeight(outDir, 'launch/index.html');
    console.info(`[budget] launch page: JS ${kB(w.jsGzip)} gz (+${kB(w.lazyJsGzip)} lazy), CSS ${kB(w.cssGzip)} gz`);
    expect(w.jsGzip + w.lazyJsGzip).toBeLessThanOrEqual(BUDGETS.launchJsGzip);
  });

  it('fhirclient is loaded by the launch page only, never by the app page', () => {
    const chunks = JSON.parse(readFileSync(join(outDir, '.chunk-modules.json'), 'utf8')) as Record<string, string[]>;
    const modulesOf = (page: string) => {
      const w = pageWeight(outDir, page);
      return [...w.js, ...w.lazyJs].flatMap((f) => chunks[f.file] ?? []);
    };
    const fhirclient = (ids: string[]) => ids.filter((id) => id.includes('/node_modules/fhirclient/'));
    const app = modulesOf('index.html');
    expect(app.some((id) => id.includes('/src/smart/session.ts'))).toBe(true);
    expect(fhirclient(app)).toEqual([]);
    // The check is real: the launch page does bundle it.
    expect(fhirclient(modulesOf('launch/index.html')).length).toBeGreaterThan(0);
  });

  it('the larger trend chart is a chunk of its own, loaded on first use, never with the page', () => {
    const chunks = JSON.parse(readFileSync(join(outDir, '.chunk-modules.json'), 'utf8')) as Record<string, string[]>;
    const w = pageWeight(outDir, 'index.html');
    const has = (files: { file: string }[], m: string) => files.some((f) => (chunks[f.file] ?? []).some((id) => id.endsWith(m)));
    expect(has(w.lazyJs, '/src/ui/components/TrendChart.tsx')).toBe(true);
    expect(has(w.js, '/src/ui/components/TrendChart.tsx')).toBe(false);
    // the sparkline is on the page (the rows draw it)
    expect(has(w.js, '/src/ui/components/Sparkline.tsx')).toBe(true);
  });

  it('loads the note formatter and the EHR style code lazily, never before the panel', () => {
    const chunks = JSON.parse(readFileSync(join(outDir, '.chunk-modules.json'), 'utf8')) as Record<string, string[]>;
    const w = pageWeight(outDir, 'index.html');
    const has = (files: { file: string }[], m: string) => files.some((f) => (chunks[f.file] ?? []).some((id) => id.endsWith(m)));
    for (const m of ['/src/clinical/note.ts', '/src/app/ehr-style.ts', '/src/smart/style.ts']) {
      expect(has(w.lazyJs, m), `${m} lazy`).toBe(true);
      expect(has(w.js, m), `${m} not before the panel`).toBe(false);
    }
    // the control itself is on the page (the panel draws it)
    expect(has(w.js, '/src/ui/components/CopyNote.tsx')).toBe(true);
  });

  it('ships no sandbox code and no FHIR server library', () => {
    const modules = JSON.parse(readFileSync(join(outDir, '.modules.json'), 'utf8')) as string[];
    expect(modules.length).toBeGreaterThan(0);
    // The app's own modules are in the list (proves the list is real), the sandbox's are not.
    expect(modules.some((m) => m.includes('/src/'))).toBe(true);
    expect(modules.filter((m) => m.includes('/src/sandbox/'))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/@medplum/'))).toEqual([]);
    const shipped = allFiles(outDir).filter((f) => /\.(js|css|html)$/.test(f));
    for (const f of shipped) {
      const text = readFileSync(join(outDir, f), 'utf8');
      for (const marker of SANDBOX_MARKERS) expect(text.includes(marker), `${marker} in ${f}`).toBe(false);
    }
  });

  it('ships no CDS service code and no JOSE library', () => {
    const modules = JSON.parse(readFileSync(join(outDir, '.modules.json'), 'utf8')) as string[];
    expect(modules.filter((m) => m.includes('/src/cds/'))).toEqual([]);
    expect(modules.filter((m) => m.includes('/node_modules/jose/'))).toEqual([]);
    const shipped = allFiles(outDir).filter((f) => /\.(js|css|html)$/.test(f));
    for (const f of shipped) {
      const text = readFileSync(join(outDir, f), 'utf8');
      for (const marker of CDS_MARKERS) expect(text.includes(marker), `${marker} in ${f}`).toBe(false);
    }
  });
});
