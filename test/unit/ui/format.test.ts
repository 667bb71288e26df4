import { describe, expect, it } from 'vitest';
import { failureText, formatRelative, statusChip } from '../../../src/ui/format';

// Values, units, ranges and dates are the core's (src/clinical/display.ts, test/unit/clinical).
describe('view vocabulary', () => {
  it('gives the age of a result relative to the evaluation date, at day granularity', () => {
    expect(formatRelative('2026-06-15T08:00:00Z', '2026-06-15')).toBe('today');
    expect(formatRelative('2026-06-14', '2026-06-15')).toBe('1 day ago');
    expect(formatRelative('2026-03-03', '2026-06-15')).toBe('3 months ago');
    expect(formatRelative('2024-06-01', '2026-06-15')).toBe('2 years ago');
    expect(formatRelative('2026-06-20', '2026-06-15')).toBe('in 5 days');
    expect(formatRelative('garbage', '2026-06-15')).toBeUndefined();
  });

  it('never shows a status chip without words', () => {
    for (const status of ['missing', 'outdated', 'pending', 'abnormal', 'normal', 'unknown'] as const) {
      for (const direction of [undefined, 'high', 'low'] as const) {
        const c = statusChip({ status, direction, latest: undefined });
        expect(c.text.length).toBeGreaterThan(2);
        expect(c.icon.length).toBeGreaterThan(0);
      }
    }
    expect(statusChip({ status: 'unknown', latest: undefined }).text).toBe('Could not check');
  });

  it('names failed resource types in plain words', () => {
    expect(failureText({ resourceType: 'Observation', kind: 'failed', httpStatus: 500 })).toBe('Observations (lab results) (HTTP 500)');
    expect(failureText({ resourceType: 'Condition', kind: 'timeout' })).toBe('Conditions (timed out)');
    expect(failureText({ resourceType: 'MedicationRequest', kind: 'forbidden' })).toBe('Medication requests (access refused)');
    expect(failureText({ resourceType: 'MedicationRequest', kind: 'forbidden', httpStatus: 403 })).toBe('Medication requests (HTTP 403, access refused)');
    // unparsable JSON with a 200: the status is not the problem
    expect(failureText({ resourceType: 'Condition', kind: 'failed', httpStatus: 200 })).toBe('Conditions (failed)');
  });
});
