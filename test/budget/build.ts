/**
 * Production build into a chosen folder, for the byte-budget test, the e2e suite and the benchmark.
 *
 * It is `vite build` with the project's own vite.config.ts (so it is exactly what `npm run build`
 * ships), plus two things those consumers need: Vite's manifest (which chunks and CSS each page
 * loads) and the list of every module Rollup put into the bundle (to prove no sandbox code and no
 * FHIR-server library ships). It runs in its own process (see buildProduction) so that Vitest's
 * NODE_ENV=test never leaks into the build: the measured bytes are the production bytes.
 *
 * CLI: tsx test/budget/build.ts --out <dir>   (writes <dir>/.vite/manifest.json, <dir>/.modules.json and
 * <dir>/.chunk-modules.json: each emitted chunk's file name → the modules Rollup put in it)
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Build the app for production into `outDir` in a child process. Throws with the build's output on failure. */
export function buildProduction(outDir: string): { ms: number } {
  const t0 = performance.now();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' };
  // Not a test build: drop Vitest's markers so the config behaves as under `npm run build`.
  for (const k of Object.keys(env)) if (k === 'VITEST' || k.startsWith('VITEST_') || k === 'TEST') delete env[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--out', outDir], {
    cwd: REPO_ROOT,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status !== 0) {
    throw new Error(`production build failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ms: performance.now() - t0 };
}

async function main(outDir: string): Promise<void> {
  const { build } = await import('vite');
  const modules = new Set<string>();
  const chunkModules: Record<string, string[]> = {};
  await build({
    root: REPO_ROOT,
    configFile: join(REPO_ROOT, 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: true },
    plugins: [
      {
        name: 'budget:collect-modules',
        generateBundle(_options, bundle) {
          for (const id of this.getModuleIds()) modules.add(id);
          for (const [file, output] of Object.entries(bundle)) {
            if (output.type === 'chunk') chunkModules[file] = Object.keys(output.modules).sort();
          }
        },
      },
    ],
  });
  writeFileSync(join(outDir, '.modules.json'), `${JSON.stringify([...modules].sort(), null, 1)}\n`);
  writeFileSync(join(outDir, '.chunk-modules.json'), `${JSON.stringify(chunkModules, null, 1)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i >= 0 ? process.argv[i + 1] : undefined;
  if (!out) {
    process.stderr.write('usage: tsx test/budget/build.ts --out <dir>\n');
    process.exit(2);
  }
  main(resolve(out)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
