import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Evaluation, EvaluationInput } from '../../../src/clinical/model';
import { evaluateOffThread } from '../../../src/app/offthread';
import { PATIENT, readyEvaluation } from './fixtures';

type Res = EvaluationInput['resources'][number];

function input(n: number): EvaluationInput {
  const resources = Array.from({ length: n }, (_, i) => ({ resourceType: 'Condition', id: `c${i}`, subject: { reference: 'Patient/p1' } }) as unknown as Res);
  return { patient: PATIENT, resources, failures: [], now: new Date('2026-11-24T12:00:00Z') };
}

/**
 * A stand-in Worker running src/app/evaluate.worker.ts's message handler in this process, with
 * structured clones both ways (as a real worker).
 */
let workerScope: { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void } | undefined;
const posted: unknown[] = [];

async function installFakeWorker(behaviour: 'run' | 'error' = 'run') {
  const created: string[] = [];
  class FakeWorker {
    onmessage: ((e: MessageEvent) => void) | null = null;
    onerror: (() => void) | null = null;
    onmessageerror: (() => void) | null = null;
    terminated = false;
    constructor(url: URL, opts: WorkerOptions) {
      created.push(`${url.pathname.split('/').pop()} ${opts.type}`);
      if (workerScope) workerScope.postMessage = (m) => setTimeout(() => !this.terminated && this.onmessage?.({ data: structuredClone(m) } as MessageEvent), 0);
      if (behaviour === 'error') setTimeout(() => this.onerror?.(), 0);
    }
    postMessage(m: unknown) {
      posted.push(m);
      const data = structuredClone(m);
      if (behaviour === 'run') setTimeout(() => workerScope!.onmessage?.({ data } as MessageEvent), 0);
    }
    terminate() {
      this.terminated = true;
    }
  }
  vi.stubGlobal('Worker', FakeWorker);
  return created;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('../../../src/clinical');
  posted.length = 0;
});

async function loadWorkerModule(engine: (i: EvaluationInput) => Evaluation) {
  vi.resetModules();
  vi.doMock('../../../src/clinical', () => ({ evaluate: engine }));
  workerScope = { onmessage: null, postMessage: () => undefined };
  vi.stubGlobal('self', workerScope);
  await import('../../../src/app/evaluate.worker');
}

describe('evaluation off the main thread', () => {
  it('a small record is evaluated on the page (no worker started)', async () => {
    const created = await installFakeWorker();
    const fallback = vi.fn(() => readyEvaluation());
    await expect(evaluateOffThread(input(10), fallback)).resolves.toEqual(readyEvaluation());
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(created).toEqual([]);
  });

  it('without Worker (jsdom, old browsers) it evaluates on the page', async () => {
    const fallback = vi.fn(() => readyEvaluation());
    await expect(evaluateOffThread(input(5000), fallback)).resolves.toEqual(readyEvaluation());
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('a heavy record goes to the module worker in parts; the worker evaluates all of it, in order, once', async () => {
    const engine = vi.fn((i: EvaluationInput): Evaluation => ({ ...readyEvaluation(), evaluatedAt: `${i.resources.length}:${i.resources.map((r) => r.id).join(',').length}` }));
    await loadWorkerModule(engine);
    const created = await installFakeWorker('run');
    const fallback = vi.fn(() => readyEvaluation());
    const inp = input(4000);
    const out = await evaluateOffThread(inp, fallback);
    expect(created).toEqual(['evaluate.worker.ts module']);
    expect(fallback).not.toHaveBeenCalled();
    expect(engine).toHaveBeenCalledTimes(1);
    const seen = engine.mock.calls[0]![0];
    expect(seen.resources.map((r) => r.id)).toEqual(inp.resources.map((r) => r.id));
    expect(seen.patient).toEqual(PATIENT);
    expect(seen.now).toEqual(inp.now);
    expect(out.evaluatedAt).toBe(`4000:${inp.resources.map((r) => r.id).join(',').length}`);
    // Several messages (one task each), none carrying the whole record.
    const parts = posted.filter((m) => (m as { part?: unknown[] }).part);
    expect(parts.length).toBeGreaterThan(1);
    expect(Math.max(...parts.map((m) => (m as { part: unknown[] }).part.length))).toBeLessThan(4000);
  });

  it('the engine throwing in the worker: the page evaluates itself, and its error reaches the caller', async () => {
    await loadWorkerModule(() => {
      throw new Error('engine defect');
    });
    await installFakeWorker('run');
    const fallback = vi.fn((): Evaluation => {
      throw new Error('engine defect');
    });
    await expect(evaluateOffThread(input(3000), fallback)).rejects.toThrow('engine defect');
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('a worker that cannot load (CSP, network): the page evaluates itself, never hangs', async () => {
    await installFakeWorker('error');
    const fallback = vi.fn(() => readyEvaluation());
    await expect(evaluateOffThread(input(3000), fallback)).resolves.toEqual(readyEvaluation());
    expect(fallback).toHaveBeenCalledTimes(1);
  });
});
