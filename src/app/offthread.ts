import type { Evaluation, EvaluationInput } from '../clinical/model';

/**
 * Ends the current main-thread task: scheduler.yield() where the browser has it (the continuation
 * keeps its priority and is not throttled like timers in a background frame), else a 0 ms timer.
 */
export function nextTask(): Promise<void> {
  const s = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return s?.yield ? s.yield() : new Promise((r) => setTimeout(r, 0));
}

/**
 * Decision: below 2,000 resources the page evaluates on its own thread. That takes under 15 ms
 * (954 resources: 5–7 ms), less than starting a worker, and the worker's script is then never
 * fetched. Only records heavy enough to make a long task go to the worker.
 */
export const WORKER_FROM = 2000;

/**
 * Evaluate a heavy record in a module Web Worker (src/app/worker-client.ts), so that no main-thread
 * task carries the whole evaluation (performance: 80–130 ms for the heavy record, one task);
 * a smaller one on the page with `fallback`. The worker's client is fetched only for a heavy record
 * (a normal launch never needs it); if it cannot be fetched, the page evaluates on
 * its own thread: same engine, same result, never a hang.
 */
export function evaluateOffThread(input: EvaluationInput, fallback: (input: EvaluationInput) => Evaluation): Promise<Evaluation> {
  if (input.resources.length < WORKER_FROM) return new Promise((resolve) => resolve(fallback(input)));
  return import('./worker-client').then(
    (m) => m.evaluateInWorker(input, fallback),
    () => fallback(input),
  );
}
