/**
 * Warm-up while the first wave of searches is in flight.
 *
 * Every launch opens a fresh page, and V8 compiles a function the first time it is called. The
 * first evaluation of a record and the first render of a panel therefore pay for compiling the
 * engine and the view: in Chromium, a normal patient's evaluate() took 6–12 ms cold against
 * 0.6–1.9 ms for the same call warm, and the panel's first render 20–40 ms — all of it after the
 * last response, while the clinician waits. The page is idle during the round trip of the searches
 * (≈ 100 ms and more), so the controller calls warmUp() then, in a task of its own: it evaluates a
 * small synthetic record (one Observation per catalog code, value 1 in the analyte's canonical
 * unit, dated now) and renders the resulting panel into a detached element, then unmounts it.
 *
 * Nothing of it is kept or shown: the evaluation is pure, the element never enters the document
 * (no layout, no focus, no ids in the page), the synthetic record is no patient's data. If it
 * fails for any reason the real evaluation is unaffected (the controller ignores the error).
 */
import { render } from 'preact';
import type { CatalogItem } from '../clinical/catalog';
import type { FhirResource, Patient } from 'fhir/r4';
import type { Evaluation, EvaluationInput } from '../clinical/model';
import { CANONICAL_UNIT } from '../clinical/units';
import { App } from '../ui/App';
import { SYSTEM } from '../clinical/vocabulary';

const NOOP = (): void => undefined;

/** The synthetic record: what evaluate() is given to compile its paths. */
export function warmUpInput(catalog: readonly CatalogItem[], now: Date): EvaluationInput & { patient: Patient } {
  const when = now.toISOString();
  const patient: Patient = { resourceType: 'Patient', id: 'warm-up', gender: 'female', birthDate: '1970-01-01' };
  const resources: FhirResource[] = [];
  catalog.forEach((item, i) => {
    const code = item.codes.find((c) => c.system === 'loinc');
    if (!code) return;
    const analyte = code.analyte ?? item.analyte;
    resources.push({
      resourceType: 'Observation',
      id: `warm-up-${i}`,
      status: 'final',
      subject: { reference: 'Patient/warm-up' },
      effectiveDateTime: when,
      code: { coding: [{ system: SYSTEM.loinc, code: code.code }] },
      ...(item.kind === 'numeric' ? { valueQuantity: { value: 1, ...(analyte ? { unit: CANONICAL_UNIT[analyte] } : {}) } } : { valueString: 'negative' }),
    });
  });
  return { patient, resources, failures: [], now };
}

/**
 * Evaluates the synthetic record now and renders its panel off-document in the next task (two tasks
 * of ≈ 10–25 ms each on a slow machine rather than one that could pass 50 ms and delay an answer
 * arriving meanwhile). Resolves with the evaluation once both are done (tests).
 */
export function warmUp(evaluate: (input: EvaluationInput) => Evaluation, catalog: readonly CatalogItem[], now = new Date()): Promise<Evaluation> {
  const input = warmUpInput(catalog, now);
  const evaluation = evaluate(input);
  return new Promise((resolve) => {
    setTimeout(() => {
      const element = document.createElement('div');
      try {
        render(
          <App
            state={{ phase: 'ready', data: { evaluation, patient: input.patient, statuses: [], failures: [], needPatientBanner: true } }}
            actions={{ retryFailed: NOOP, reload: NOOP, stopWaiting: NOOP }}
          />,
          element,
        );
        render(null, element);
      } catch {
        // Only speed is lost: the real render does not depend on this one.
      } finally {
        resolve(evaluation);
      }
    }, 0);
  });
}
