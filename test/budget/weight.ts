/**
 * Page weight of a production build: the JavaScript and CSS each HTML page loads, gzipped at level 9
 * (what a static server with gzip_static or a CDN ships; brotli would be smaller still).
 *
 * A page's JS is its entry chunk plus every chunk it imports statically, transitively (what the
 * browser must fetch before the page runs; Vite lists them as modulepreload links). Chunks reachable
 * only through dynamic import() are counted separately as `lazyJs`: code the page may fetch later.
 * The source of truth is Vite's manifest (`build.manifest`); without one, the page's HTML is read for
 * its <script type="module">, modulepreload and stylesheet links (no lazy chunks then).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface FileWeight {
  file: string;
  raw: number;
  gzip: number;
}

export interface PageWeight {
  page: string;
  js: FileWeight[];
  css: FileWeight[];
  lazyJs: FileWeight[];
  jsGzip: number;
  cssGzip: number;
  lazyJsGzip: number;
  jsRaw: number;
  cssRaw: number;
}

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export function gzipSize(buf: Buffer | string): number {
  return gzipSync(buf, { level: 9 }).length;
}

function weigh(outDir: string, file: string): FileWeight {
  const buf = readFileSync(join(outDir, file));
  return { file, raw: buf.length, gzip: gzipSize(buf) };
}

function sum(xs: FileWeight[], k: 'raw' | 'gzip'): number {
  return xs.reduce((a, x) => a + x[k], 0);
}

function fromManifest(outDir: string, manifest: Record<string, ManifestChunk>, page: string): PageWeight {
  const entry = manifest[page];
  if (!entry) throw new Error(`page ${page} is not an entry of the build (manifest keys: ${Object.keys(manifest).join(', ')})`);
  const staticKeys = new Set<string>();
  const visit = (key: string): void => {
    if (staticKeys.has(key)) return;
    staticKeys.add(key);
    for (const k of manifest[key]?.imports ?? []) visit(k);
  };
  visit(page);
  const lazyKeys = new Set<string>();
  const visitLazy = (key: string): void => {
    if (staticKeys.has(key) || lazyKeys.has(key)) return;
    lazyKeys.add(key);
    for (const k of manifest[key]?.imports ?? []) visitLazy(k);
    for (const k of manifest[key]?.dynamicImports ?? []) visitLazy(k);
  };
  for (const key of staticKeys) for (const k of manifest[key]?.dynamicImports ?? []) visitLazy(k);
  const jsFiles = new Set<string>();
  const cssFiles = new Set<string>();
  for (const key of staticKeys) {
    const c = manifest[key];
    if (!c) continue;
    if (c.file.endsWith('.js')) jsFiles.add(c.file);
    if (c.file.endsWith('.css')) cssFiles.add(c.file);
    for (const css of c.css ?? []) cssFiles.add(css);
  }
  const lazyFiles = new Set<string>();
  for (const key of lazyKeys) {
    const c = manifest[key];
    if (c?.file.endsWith('.js') && !jsFiles.has(c.file)) lazyFiles.add(c.file);
  }
  const js = [...jsFiles].sort().map((f) => weigh(outDir, f));
  const css = [...cssFiles].sort().map((f) => weigh(outDir, f));
  const lazyJs = [...lazyFiles].sort().map((f) => weigh(outDir, f));
  return { page, js, css, lazyJs, jsGzip: sum(js, 'gzip'), cssGzip: sum(css, 'gzip'), lazyJsGzip: sum(lazyJs, 'gzip'), jsRaw: sum(js, 'raw'), cssRaw: sum(css, 'raw') };
}

/** Assets an HTML page references: module scripts, modulepreload links and stylesheets (same-origin paths). */
export function htmlAssets(html: string): { js: string[]; css: string[] } {
  const js = new Set<string>();
  const css = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) if (m[1]) js.add(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (!href) continue;
    if (/\brel="modulepreload"/.test(tag)) js.add(href);
    else if (/\brel="stylesheet"/.test(tag)) css.add(href);
  }
  const local = (u: string): string => u.replace(/^\.?\//, '');
  return { js: [...js].map(local), css: [...css].map(local) };
}

function fromHtml(outDir: string, page: string): PageWeight {
  const html = readFileSync(join(outDir, page), 'utf8');
  const a = htmlAssets(html);
  const js = a.js.map((f) => weigh(outDir, f));
  const css = a.css.map((f) => weigh(outDir, f));
  return { page, js, css, lazyJs: [], jsGzip: sum(js, 'gzip'), cssGzip: sum(css, 'gzip'), lazyJsGzip: 0, jsRaw: sum(js, 'raw'), cssRaw: sum(css, 'raw') };
}

/** Weight of one page ('index.html' or 'launch/index.html') of the build in `outDir`. */
export function pageWeight(outDir: string, page: string): PageWeight {
  const manifestPath = join(outDir, '.vite', 'manifest.json');
  if (existsSync(manifestPath)) {
    return fromManifest(outDir, JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>, page);
  }
  return fromHtml(outDir, page);
}

/** 1 kB = 1000 bytes, as in budgets.ts. */
export const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * Module workers the build emits (`new Worker(new URL('./x.worker.ts', import.meta.url))` becomes
 * assets/x.worker-<hash>.js, which Vite's manifest does not list under the page). The app page
 * fetches src/app/evaluate.worker.ts only for a record of 2,000 resources or more (see
 * src/app/offthread.ts), so it is reported beside the page's own JS, never hidden.
 */
export function workerWeight(outDir: string): { files: string[]; gzip: number } {
  const dir = join(outDir, 'assets');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.worker-[\w-]+\.js$/.test(f)) : [];
  return { files, gzip: files.reduce((n, f) => n + gzipSize(readFileSync(join(dir, f))), 0) };
}
