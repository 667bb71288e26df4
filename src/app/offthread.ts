import type { Evaluation, EvaluationInput } from '../clinical/model';

/**
 * Ends the current main-thread task: scheduler.yield() where the browser has it (the continuation
 * keeps its priority and is not throttled like timers in a background frame), else a 0 ms timer.
 */
export function nextTask(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return s?.yield ? s.yield() : new Promise((r) => setTimeout(r, 0));
}

/** Resources per message: copying 1,500 FHIR resources to the worker takes a few ms of main thread. */
const PART = 1500;
/**
 * Decision: below 2,000 resources the page evaluates on its own thread. That takes under 15 ms
 * (954 resources: 5–7 ms), less than starting a worker, and the worker's script is then never
 * fetched. Only records heavy enough to make a long task go to the worker.
 */
const WORKER_FROM = 2000;

/**
 * Evaluate in a module Web Worker (src/app/evaluate.worker.ts), so that no main-thread task carries
 * the whole evaluation (performance, issue 4: 80–130 ms for the heavy record, one task). The input
 * is posted in parts, one task each (a single 11 MB structured clone would itself be a 40–50 ms
 * task). Where a worker cannot run (no Worker, a CSP or load error, the engine throwing in it), the
 * page evaluates on its own thread with `fallback`: same engine, same result, never a hang.
 * One worker per evaluation (a load or a retry): nothing stays alive between them.
 */
export function evaluateOffThread(input: EvaluationInput, fallback: (input: EvaluationInput) => Evaluation): Promise<Evaluation> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let worker: Worker | undefined;
    const sync = (): void => {
      if (settled) return;
      settled = true;
      worker?.terminate();
      try {
        resolve(fallback(input));
      } catch (e) {
        reject(e);
      }
    };
    if (input.resources.length < WORKER_FROM || typeof Worker === 'undefined') return sync();
    try {
      worker = new Worker(new URL('./evaluate.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      sync();
      return;
    }
    worker.onmessage = (e: MessageEvent<{ ok: boolean; evaluation?: Evaluation }>) => {
      if (!e.data.ok) return sync();
      settled = true;
      worker!.terminate();
      resolve(e.data.evaluation!);
    };
    worker.onerror = sync;
    worker.onmessageerror = sync;
    void (async () => {
      try {
        const r = input.resources;
        for (let i = 0; i < r.length && !settled; i += PART) {
          worker.postMessage({ part: r.slice(i, i + PART) });
          await nextTask();
        }
        if (!settled) worker.postMessage({ done: { ...input, resources: [] } });
      } catch {
        sync();
      }
    })();
  });
}
