/**
 * The clinical engine in a module Web Worker (src/app/offthread.ts): the heavy record's evaluation
 * (≈ 80–130 ms on ≈ 15,000 resources) runs off the app page's main thread. The resources arrive in
 * parts (each posted in its own main-thread task), then `done` carries the rest of the input.
 * The answer is the Evaluation, or `ok: false` when the engine threw (no details: they could carry
 * patient data); the page then evaluates on its own thread, where the error is shown as such.
 */
import { evaluate } from '../clinical';
import type { EvaluationInput } from '../clinical/model';

type Resources = EvaluationInput['resources'][number][];
const scope = self as unknown as { onmessage: ((e: MessageEvent) => void) | null; postMessage(m: unknown): void };
let resources: Resources = [];

scope.onmessage = (e) => {
  const m = e.data as { part?: Resources; done?: EvaluationInput };
  if (m.part) {
    for (const r of m.part) resources.push(r);
    return;
  }
  try {
    scope.postMessage({ ok: true, evaluation: evaluate({ ...m.done!, resources }) });
  } catch {
    scope.postMessage({ ok: false });
  }
  resources = [];
};
