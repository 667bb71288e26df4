/**
 * e2e global setup: build the production bundle (into a temporary folder, never touching dist/)
 * and serve it with `vite preview` on the first free port of 127.0.0.1:5190–5194 (E2E_PORT pins one), where the sandbox plugin
 * plays the EHR on the same origin. Tests receive the base URL through inject('baseURL').
 *
 * The sandbox also serves the heavy patient (test/heavy/generate.ts) through SANDBOX_DATA.
 *
 * E2E_BASE_URL=<url> skips both steps and tests a server that is already running.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildProduction, REPO_ROOT } from '../budget/build';
import { freePort, startPreview } from './server';
import { writeHeavyBundle } from '../heavy/generate';

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string;
    /** Folder served as SANDBOX_DATA (holds the heavy patient), or '' when testing an external server. */
    sandboxData: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.E2E_BASE_URL;
  if (external) {
    project.provide('baseURL', external.replace(/\/+$/, ''));
    project.provide('sandboxData', '');
    return async () => undefined;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'e2e-dist-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-data-'));
  const t0 = performance.now();
  buildProduction(outDir);
  // The heavy patient (14,548 Observations: dozens of pages per search) joins the sandbox's data.
  writeHeavyBundle(dataDir);
  const resultsDir = join(REPO_ROOT, 'test-results');
  mkdirSync(resultsDir, { recursive: true });
  const server = await startPreview({
    // 5190–5194 (the bench uses 5195–5199); E2E_PORT pins one.
    port: process.env.E2E_PORT ? Number(process.env.E2E_PORT) : await freePort(5190, 5194),
    outDir,
    env: { SANDBOX_DATA: dataDir },
    logFile: join(resultsDir, 'e2e-server.log'),
  });
  console.info(`[e2e] production build + vite preview ready at ${server.url} in ${Math.round(performance.now() - t0)} ms`);
  project.provide('baseURL', server.url);
  project.provide('sandboxData', dataDir);
  return async () => {
    await server.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
}
