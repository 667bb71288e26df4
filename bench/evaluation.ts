/**
 * Engine speed against the physical floor of reading the data: for each patient, the median time of
 * `evaluate()` against the median time of `JSON.parse` of the same input text, in the same process,
 * after warm-up runs (so both are measured with optimised code), and memory.
 *
 * Input: the Synthea transaction bundles in ../shared/fhir-data/synthea (urn:uuid references
 * resolved to Type/id first, as the sandbox and any FHIR server do) and the heavy patient's bundle.
 * The text that is parsed is exactly the text whose resources are evaluated.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { evaluate } from '../src/clinical/index';
import { median } from './waves';

export interface EvalMeasurement {
  name: string;
  resources: number;
  bytes: number;
  parseMs: number;
  evaluateMs: number;
  ratio: number;
  runs: number;
  /** Heap held by the parsed input (after GC), MB. */
  inputHeapMB: number;
  /** Heap growth during one evaluation (no GC in between), MB: an upper bound of its transient allocation. */
  evalHeapGrowthMB: number;
}

/** Bundle text with urn:uuid references replaced by Type/id (fullUrl → resource). */
export function resolveBundleText(text: string): string {
  const bundle = JSON.parse(text) as Bundle;
  const map = new Map<string, string>();
  for (const e of bundle.entry ?? []) {
    if (e.fullUrl?.startsWith('urn:uuid:') && e.resource?.id) map.set(e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`);
  }
  if (map.size === 0) return text;
  return text.replace(/"urn:uuid:[0-9a-fA-F-]+"/g, (m) => JSON.stringify(map.get(m.slice(1, -1)) ?? m.slice(1, -1)));
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (b: number): number => b / 1024 / 1024;

function inputOf(bundle: Bundle): { patient: Patient; resources: FhirResource[] } {
  const all = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => !!r);
  const patient = all.find((r): r is Patient => r.resourceType === 'Patient');
  if (!patient) throw new Error('bundle without a Patient');
  return { patient, resources: all.filter((r) => r !== patient) };
}

export function measureEvaluation(name: string, text: string, now: Date, runs: number, warmup: number): EvalMeasurement {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const bundle = JSON.parse(text) as Bundle;
  gc();
  const inputHeap = process.memoryUsage().heapUsed - heap0;
  const input = inputOf(bundle);

  const parseTimes: number[] = [];
  const evalTimes: number[] = [];
  let growth = 0;
  let sink = 0;
  // Interleave the two so that both see the same machine state (frequency, other load).
  for (let i = 0; i < warmup + runs; i += 1) {
    const t0 = performance.now();
    const parsed = JSON.parse(text) as Bundle;
    const t1 = performance.now();
    sink += parsed.entry?.length ?? 0;
    gc();
    const h0 = process.memoryUsage().heapUsed;
    const t2 = performance.now();
    const result = evaluate({ patient: input.patient, resources: input.resources, now });
    const t3 = performance.now();
    const h1 = process.memoryUsage().heapUsed;
    sink += result.items.length;
    if (i >= warmup) {
      parseTimes.push(t1 - t0);
      evalTimes.push(t3 - t2);
      growth = Math.max(growth, h1 - h0);
    }
  }
  if (sink < 0) console.log(sink); // keep the results alive
  const parseMs = median(parseTimes);
  const evaluateMs = median(evalTimes);
  return {
    name,
    resources: input.resources.length + 1,
    bytes: Buffer.byteLength(text),
    parseMs,
    evaluateMs,
    ratio: evaluateMs / parseMs,
    runs,
    inputHeapMB: mb(inputHeap),
    evalHeapGrowthMB: mb(growth),
  };
}

export function syntheaInputs(dir: string): Array<{ name: string; text: string }> {
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return files.map((f) => ({ name: `synthea/${f}`, text: resolveBundleText(readFileSync(join(dir, f), 'utf8')) }));
}
