/**
 * Scenario patients (test/scenarios) as the CDS service's gathered record, evaluated at the
 * scenarios' reference date.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { evaluate } from '../../src/clinical/index';
import type { Evaluation } from '../../src/clinical/model';
import type { Gathered } from '../../src/cds/gather';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE } from '../scenarios/index';

export const NOW = SCENARIO_REFERENCE_DATE;

export function gathered(file: string): Gathered {
  const bundle = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as Bundle;
  const all = (bundle.entry ?? []).map((e) => e.resource as FhirResource);
  const patient = all.find((r): r is Patient => r.resourceType === 'Patient')!;
  return { patient, resources: all.filter((r) => r.resourceType !== 'Patient'), failures: [], prefetched: [], fetched: [] };
}

export function evaluated(g: Gathered): Evaluation {
  return evaluate({ patient: g.patient, resources: g.resources, failures: g.failures, now: NOW });
}

let n = 0;
/** Deterministic uuids for card and suggestion ids. */
export const uuid = (): string => `uuid-${++n}`;
