/**
 * Edge cases met while writing the scenario patients, where the reference is silent and a careful
 * clinician would expect more of the engine than it first did. Each is a small variation of a
 * scenario bundle; both were engine defects, fixed in the clinical core (commit bd9912a).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource, Observation, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE } from './index';

function scenario(file: string): { patient: Patient; resources: FhirResource[] } {
  const b = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as Bundle;
  const all = (b.entry ?? []).map((e) => e.resource as FhirResource);
  return { patient: all.find((r): r is Patient => r.resourceType === 'Patient')!, resources: all.filter((r) => r.resourceType !== 'Patient') };
}

function copyOf(resources: FhirResource[], id: string, change: Partial<Observation>): Observation {
  const o = resources.find((r) => r.id === id) as Observation;
  return { ...structuredClone(o), ...change };
}

describe('engine edge cases (complete-normal variations)', () => {
  const { patient, resources } = scenario('complete-normal.json');

  // Two different calcium results at the very same time (a repeat on the same sample, or a correction
  // sent as a new resource instead of an amendment): today the engine picks one by resource id, the
  // other (high) one goes to history, and no hypercalcaemia finding is raised. Acting on the worse of
  // two simultaneous results until they are reconciled is what a clinician does; at the least the
  // item should say that the results conflict.
  it('two simultaneous calcium results that disagree: the high one is not hidden', () => {
    const high = copyOf(resources, 'scn-complete-normal-ca', {
      id: 'scn-complete-normal-ca-repeat',
      valueQuantity: { value: 2.92, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    });
    const ev = evaluate({ patient, resources: [...resources, high], now: SCENARIO_REFERENCE_DATE });
    const ca = ev.items.find((i) => i.id === 'calcium')!;
    const conflictSaid = /conflict|disagree|another result|differ/i.test(ca.reason ?? '');
    expect(ca.status === 'abnormal' || conflictSaid, `calcium ${ca.status}, latest ${String(ca.latest?.value)}, reason ${ca.reason ?? '-'}`).toBe(true);
  });

  // A potassium of 1.9 mmol/L whose date cannot be read ("2026-13-45") next to an older valid 4.2:
  // alone, such a result makes the item "unknown" with a reason (good); next to a valid one it is
  // dropped silently and the item reads "normal" with no word about it.
  it('a result with an unreadable date is not dropped silently', () => {
    const bad = copyOf(resources, 'scn-complete-normal-k', {
      id: 'scn-complete-normal-k-baddate',
      effectiveDateTime: '2026-13-45',
      issued: undefined,
      valueQuantity: { value: 1.9, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    });
    const ev = evaluate({ patient, resources: [...resources, bad], now: SCENARIO_REFERENCE_DATE });
    const k = ev.items.find((i) => i.id === 'potassium')!;
    expect(k.reason ?? '', `potassium ${k.status}, reason ${k.reason ?? '-'}`).toMatch(/date/i);
  });

  // Already right, kept as a guard: a newer result that cannot be interpreted is named in the reason.
  it('a newer uninterpretable result is named in the reason of an item that stays normal', () => {
    const bad = copyOf(resources, 'scn-complete-normal-k', {
      id: 'scn-complete-normal-k-badunit',
      effectiveDateTime: '2026-05-30T09:00:00Z',
      valueQuantity: { value: 4.0, unit: 'mmol/dL' },
    });
    const ev = evaluate({ patient, resources: [...resources, bad], now: SCENARIO_REFERENCE_DATE });
    const k = ev.items.find((i) => i.id === 'potassium')!;
    expect(k.status).not.toBe('missing');
    expect(k.reason ?? '').toMatch(/could not be interpreted/);
  });
});
