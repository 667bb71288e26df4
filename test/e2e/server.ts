/**
 * Start and stop `vite preview` (the production build, with the local SMART sandbox plugin that the
 * project's vite.config.ts adds under preview) on a loopback port, for the e2e suite and the bench.
 *
 * The server runs in its own process group so that stop() ends it and nothing else. Its output goes
 * to a log file (never to the test output: the sandbox may print data-set summaries).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { REPO_ROOT } from '../budget/build';

export interface PreviewServer {
  url: string;
  port: number;
  logFile: string;
  stop: () => Promise<void>;
}

export interface PreviewOptions {
  port: number;
  /** Folder with the production build (test/budget/build.ts output). */
  outDir: string;
  /** Extra environment (SANDBOX_DATA, SANDBOX_LATENCY_MS...). */
  env?: Record<string, string>;
  /** Where the server's output goes. */
  logFile: string;
  /** How long to wait for the sandbox home page to answer. */
  timeoutMs?: number;
  /** Another Vite config (default: the project's vite.config.ts). */
  configFile?: string;
  /** The server speaks HTTPS (self-signed: not verified by the readiness probe). */
  https?: boolean;
  /** Run the development server (`npm start`: `vite`) on the sources instead of `vite preview` of outDir. */
  dev?: boolean;
}

/** GET url, resolving to the HTTP status (self-signed certificates accepted: loopback probe only). */
function probe(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: 'GET', rejectUnauthorized: false, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`vite preview exited (${child.exitCode ?? child.signalCode}) before answering; log:\n${readLog(logFile)}`);
    }
    try {
      const status = await probe(url);
      if (status >= 200 && status < 300) return;
      last = `HTTP ${status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not answer ${url} within ${timeoutMs} ms (${last}); log:\n${readLog(logFile)}`);
}

function readLog(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-4000);
  } catch {
    return '(no log)';
  }
}

/**
 * First port in [from, to] that is free on 127.0.0.1 (so that two runs on one machine, e.g. a CI
 * clone and a developer's tree, do not collide). The caller still uses --strictPort: if another
 * process takes the port in between, the start fails loudly rather than moving elsewhere.
 */
export async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(false));
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error(`no free port on 127.0.0.1 between ${from} and ${to}`);
}

export async function startPreview(o: PreviewOptions): Promise<PreviewServer> {
  const fd = openSync(o.logFile, 'w');
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env, HOST: '127.0.0.1', PORT: String(o.port) };
  for (const k of Object.keys(env)) if (k === 'VITEST' || k.startsWith('VITEST_')) delete env[k];
  // NODE_ENV=test from Vitest would only confuse the preview server's logging; it serves built files.
  delete env.NODE_ENV;
  const child = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
      ...(o.dev ? [] : ['preview']),
      ...(o.configFile ? ['--config', o.configFile] : []),
      '--host',
      '127.0.0.1',
      '--port',
      String(o.port),
      '--strictPort',
      ...(o.dev ? [] : ['--outDir', o.outDir]),
    ],
    { cwd: REPO_ROOT, env, stdio: ['ignore', fd, fd], detached: true },
  );
  closeSync(fd);
  const url = `${o.https ? 'https' : 'http'}://127.0.0.1:${o.port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${url}/sandbox/`, child, o.timeoutMs ?? 90_000, o.logFile);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port: o.port, logFile: o.logFile, stop };
}
