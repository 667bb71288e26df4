/**
 * The heavy record's evaluation in a module Web Worker (src/app/evaluate.worker.ts). Loaded by
 * offthread.ts only for records heavy enough to need it, so a normal launch never fetches it.
 */
import type { Evaluation, EvaluationInput } from '../clinical/model';
import { nextTask } from './offthread';

/** Resources per message: copying 1,500 FHIR resources to the worker takes a few ms of main thread. */
const PART = 1500;
/**
 * Evaluate in a module Web Worker (src/app/evaluate.worker.ts), so that no main-thread task carries
 * the whole evaluation (performance: 80–130 ms for the heavy record, one task). The input
 * is posted in parts, one task each (a single 11 MB structured clone would itself be a 40–50 ms
 * task). Where a worker cannot run (no Worker, a CSP or load error, the engine throwing in it), the
 * page evaluates on its own thread with `fallback`: same engine, same result, never a hang.
 * One worker per evaluation (a load or a retry): nothing stays alive between them.
 */
export function evaluateInWorker(input: EvaluationInput, fallback: (input: EvaluationInput) => Evaluation): Promise<Evaluation> {
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
    if (typeof Worker === 'undefined') return sync();
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
