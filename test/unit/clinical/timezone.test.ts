/**
 * The evaluation must not depend on the machine's time zone: the browser (the clinician's zone)
 * and the headless evaluator (often a UTC server) have to agree, above all at age boundaries (the
 * under-18 and under-5 rules) and at the edges of recency windows. Node reads process.env.TZ at
 * each date operation, so the same input is evaluated under several zones in one process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/clinical/index';
import { item, obs, patient } from './fixtures';

const ZONES = ['UTC', 'America/New_York', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/London', 'Asia/Tokyo'];
const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function underEveryZone<T>(fn: () => T): T[] {
  return ZONES.map((tz) => {
    process.env.TZ = tz;
    return fn();
  });
}

describe('time-zone independence', () => {
  it('age on the 18th birthday is 18 in every zone', () => {
    const ages = underEveryZone(
      () => evaluate({ patient: patient({ birthDate: '2008-03-01' }), resources: [], now: '2026-03-01' }).patient.ageYears,
    );
    expect(ages).toEqual(ZONES.map(() => 18));
  });

  it('the day before the 18th birthday is 17 in every zone (paediatric rules still apply)', () => {
    const out = underEveryZone(() => {
      const ev = evaluate({ patient: patient({ birthDate: '2008-03-01' }), resources: [], now: '2026-02-28' });
      return [ev.patient.ageYears, ev.findings.some((f) => f.id === 'paediatric')];
    });
    expect(out).toEqual(ZONES.map(() => [17, true]));
  });

  it('a result exactly at the edge of its 6-month window is judged the same in every zone', () => {
    const resources = [obs('2951-2', 140, 'mmol/L', { date: '2025-12-15' })];
    const statuses = underEveryZone(() => item(evaluate({ patient: patient(), resources, now: '2026-06-15' }), 'sodium').status);
    expect(new Set(statuses).size).toBe(1);
    // 2025-12-15 is exactly 6 months before 2026-06-15: still inside the window.
    expect(statuses[0]).toBe('normal');
  });

  it('the whole evaluation is identical across zones', () => {
    const resources = [
      obs('17861-6', 2.7, 'mmol/L', { date: '2026-02-28' }),
      obs('1751-7', 38, 'g/L', { date: '2026-02-28' }),
      obs('2160-0', 60, 'umol/L', { date: '2026-02-28' }),
    ];
    const outs = underEveryZone(() =>
      JSON.stringify(evaluate({ patient: patient({ birthDate: '2008-03-01' }), resources, now: '2026-03-01' })),
    );
    expect(new Set(outs).size).toBe(1);
  });
});
