/**
 * `npm run bench`, section 6: the CDS Hooks service under load on loopback. The production server
 * (bench/cds-server.ts, a process of its own) answers `patient-view` calls with full prefetch, made
 * by autocannon from this process with 20 concurrent connections, each call with its own signed
 * JWT (a replayed one would be refused). Figures: median and p99 latency, throughput, and the
 * server's memory (RSS and heap after a full GC) before and after the run.
 *
 * Patients: a normal one (a scenario patient whose record names nephrocalcinosis, so every call
 * builds the card: the service's full path) and the heavy patient (14,548 Observations: a prefetch
 * body of several MB). The prefetch is what the sandbox EHR sends (every template run against its
 * FHIR API to the last page), taken once and sent with every call.
 *
 * Both processes share the machine's cores: the CPU time of each is reported per call, and the
 * machine's load average (other work on a shared machine moves the latencies, not the CPU times). The JWTs
 * are ES384 (what CDS Hooks recommends, and what the CDS Hooks sandbox sends): a P-384 signature
 * check costs about 1 ms of CPU on its own, a third of the server's work per call.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import crypto from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SignJWT, type JSONWebKeySet } from 'jose';
import { PATIENT_VIEW_SERVICE, SERVICES } from '../src/cds/discovery';
import { createSandbox } from '../src/sandbox/server';
import { REPO_ROOT } from '../test/budget/build';

const ISS = 'https://bench-ehr.example';
const WARMUP_CALLS = 1000;
const HEAVY_WARMUP_CALLS = 5;

export interface CdsLoadRun {
  patient: string;
  bodyBytes: number;
  requests: number;
  connections: number;
  seconds: number;
  latencyMs: { median: number; p99: number; mean: number; max: number };
  throughputPerS: number;
  non2xx: number;
  /** Connection errors, timeouts included (a call unanswered after 5 minutes). */
  errors: number;
  timeouts: number;
  memoryMB: { before: { rss: number; heap: number }; after: { rss: number; heap: number } };
  /** CPU time per call: the server process (main thread and crypto threads), and this process (autocannon). */
  cpuMsPerCall: { server: number; loadGenerator: number };
  /** The machine's 1-minute load average at the start and the end of the measured calls (others' work included). */
  loadAverage: { start: number; end: number };
}

export interface CdsBenchOptions {
  normalPatient: string;
  heavyPatient?: string;
  /** Folder with the heavy patient's bundle (SANDBOX_DATA), when heavyPatient is set. */
  dataDir?: string;
  requests: number;
  heavyRequests: number;
  connections: number;
  log: (line: string) => void;
}

/** The hook request bodies, with the prefetch the sandbox EHR sends. */
async function bodies(patients: string[], dataDir: string | undefined): Promise<Map<string, string>> {
  const sb = await createSandbox({ log: () => undefined, warn: () => undefined, ...(dataDir ? { extraDir: dataDir } : {}) });
  const server = http.createServer((req, res) => sb.handle(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const self = { origin: `http://127.0.0.1:${port}`, host: '127.0.0.1', port };
  const templates = SERVICES.find((s) => s.id === PATIENT_VIEW_SERVICE)!.prefetch;
  const out = new Map<string, string>();
  try {
    for (const patientId of patients) {
      const prefetch = await sb.cdsClient.prefetch(self, templates, patientId, sb.serviceToken(patientId, 600).access_token);
      out.set(patientId, JSON.stringify({ hook: 'patient-view', hookInstance: randomUUID(), context: { userId: 'Practitioner/bench', patientId }, prefetch }));
    }
  } finally {
    server.close();
    sb.close();
  }
  return out;
}

interface Server {
  child: ChildProcess;
  origin: string;
  memory: () => Promise<{ rss: number; heap: number; cpuMs: number }>;
  stop: () => Promise<void>;
}

function startServer(jwks: JSONWebKeySet): Promise<Server> {
  const child = fork(join(REPO_ROOT, 'bench', 'cds-server.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CPU_PROF] : [])],
    env: { ...process.env, CDS_TRUSTED_ISSUERS: JSON.stringify({ [ISS]: { jwks } }), CDS_APP_LAUNCH_URL: 'https://app.example.org/launch/', CDS_BASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string } & T) => {
        if (m.type !== type) return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`CDS server exited (${code})`)));
    });
  return next<{ origin: string }>('ready').then(({ origin }) => ({
    child,
    origin,
    memory: async () => {
      const m = next<{ rss: number; heapUsed: number; cpuMs: number }>('memory');
      child.send({ type: 'memory' });
      const { rss, heapUsed, cpuMs } = await m;
      return { rss: rss / 1e6, heap: heapUsed / 1e6, cpuMs };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  }));
}

/** Signed JWTs for the calls, one per call (jti), made before the run so signing does not load it. */
async function tokens(key: crypto.KeyObject, kid: string, aud: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(await new SignJWT({}).setProtectedHeader({ alg: 'ES384', typ: 'JWT', kid }).setIssuer(ISS).setAudience(aud).setIssuedAt().setExpirationTime('10m').setJti(randomUUID()).sign(key));
  }
  return out;
}

function load(url: string, body: string, jwts: string[], amount: number, connections: number): Promise<autocannon.Result> {
  let i = 0;
  return autocannon({
    url,
    connections,
    amount,
    // Long enough for the heavy patient's calls on a busy machine: a call cut short would drop out
    // of the latency figures.
    timeout: 300,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    requests: [
      {
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, authorization: `Bearer ${jwts[i++ % jwts.length]}` } }),
      },
    ],
  });
}

/**
 * Warm-up calls first (the JIT: the first few hundred calls of a fresh process are several times
 * slower), then the measured calls; memory after a full GC before and after them.
 */
async function run(server: Server, key: crypto.KeyObject, kid: string, patient: string, body: string, amount: number, warmup: number, connections: number): Promise<CdsLoadRun> {
  const url = `${server.origin}/cds-services/${PATIENT_VIEW_SERVICE}`;
  await load(url, body, await tokens(key, kid, url, warmup), warmup, Math.min(connections, warmup));
  const jwts = await tokens(key, kid, url, amount);
  const before = await server.memory();
  const loadStart = os.loadavg()[0] ?? 0;
  const ownCpu = process.cpuUsage();
  const r = await load(url, body, jwts, amount, connections);
  const after = await server.memory();
  const loadCpu = process.cpuUsage(ownCpu);
  const loadEnd = os.loadavg()[0] ?? 0;
  return {
    patient,
    bodyBytes: Buffer.byteLength(body),
    requests: r.requests.total,
    connections,
    seconds: r.duration,
    latencyMs: { median: r.latency.p50, p99: r.latency.p99, mean: r.latency.average, max: r.latency.max },
    throughputPerS: r.requests.total / r.duration,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    memoryMB: { before: { rss: before.rss, heap: before.heap }, after: { rss: after.rss, heap: after.heap } },
    cpuMsPerCall: { server: (after.cpuMs - before.cpuMs) / r.requests.total, loadGenerator: (loadCpu.user + loadCpu.system) / 1000 / r.requests.total },
    loadAverage: { start: loadStart, end: loadEnd },
  };
}

export async function measureCdsService(o: CdsBenchOptions): Promise<CdsLoadRun[]> {
  const patients = [o.normalPatient, ...(o.heavyPatient ? [o.heavyPatient] : [])];
  o.log(`CDS service: prefetch of ${patients.join(' and ')} from the sandbox…`);
  const all = await bodies(patients, o.dataDir);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  const kid = 'bench';
  const server = await startServer({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES384', use: 'sig' } as JSONWebKeySet['keys'][number]] });
  const runs: CdsLoadRun[] = [];
  try {
    o.log(`CDS service: ${o.requests} calls for ${o.normalPatient}, ${o.connections} connections…`);
    runs.push(await run(server, privateKey, kid, o.normalPatient, all.get(o.normalPatient)!, o.requests, WARMUP_CALLS, o.connections));
    if (o.heavyPatient) {
      o.log(`CDS service: ${o.heavyRequests} calls for ${o.heavyPatient} (${(Buffer.byteLength(all.get(o.heavyPatient)!) / 1e6).toFixed(1)} MB each)…`);
      runs.push(await run(server, privateKey, kid, o.heavyPatient, all.get(o.heavyPatient)!, o.heavyRequests, HEAVY_WARMUP_CALLS, o.connections));
    }
  } finally {
    await server.stop();
  }
  return runs;
}
