import { describe, expect, it } from 'vitest';
import {
  failureText,
  formatDate,
  formatNumber,
  formatRangeBounds,
  formatRelative,
  formatValue,
  statusChip,
} from '../../../src/ui/format';

describe('view formatting', () => {
  it('shows numbers without conversion noise or false precision', () => {
    expect(formatNumber(2.6946)).toBe('2.69');
    expect(formatNumber(138)).toBe('138');
    expect(formatNumber(87.234)).toBe('87.2');
    expect(formatNumber(0.045)).toBe('0.045');
    expect(formatNumber(0.45)).toBe('0.45');
    expect(formatNumber(1234.56)).toBe('1235');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-1.5)).toBe('-1.5');
  });

  it('keeps comparators and units, and text values as they are', () => {
    expect(formatValue(0.5, 'mg/L', '<')).toBe('<0.5 mg/L');
    expect(formatValue(100, undefined, '>=')).toBe('≥100');
    expect(formatValue('positive')).toBe('positive');
    expect(formatValue(undefined, 'mmol/L')).toBeUndefined();
  });

  it('formats FHIR dates at their own precision and leaves garbage as text', () => {
    expect(formatDate('2026-03-03')).toBe('3 Mar 2026');
    expect(formatDate('2026-03-03T23:59:00+14:00')).toBe('3 Mar 2026');
    expect(formatDate('2026-03')).toBe('Mar 2026');
    expect(formatDate('2026')).toBe('2026');
    expect(formatDate('not a date')).toBe('not a date');
  });

  it('gives the age of a result relative to the evaluation date, at day granularity', () => {
    expect(formatRelative('2026-06-15T08:00:00Z', '2026-06-15')).toBe('today');
    expect(formatRelative('2026-06-14', '2026-06-15')).toBe('1 day ago');
    expect(formatRelative('2026-03-03', '2026-06-15')).toBe('3 months ago');
    expect(formatRelative('2024-06-01', '2026-06-15')).toBe('2 years ago');
    expect(formatRelative('2026-06-20', '2026-06-15')).toBe('in 5 days');
    expect(formatRelative('garbage', '2026-06-15')).toBeUndefined();
  });

  it('writes ranges with one or two bounds, or the engine text', () => {
    expect(formatRangeBounds({ low: 2.2, high: 2.6, source: 'built-in' }, 'mmol/L')).toBe('2.2–2.6 mmol/L');
    expect(formatRangeBounds({ low: 60, source: 'built-in' }, 'mL/min/{1.73_m2}')).toBe('≥ 60 mL/min/{1.73_m2}');
    expect(formatRangeBounds({ high: 0.45, source: 'result' })).toBe('≤ 0.45');
    expect(formatRangeBounds({ source: 'result', text: 'Normal Range: 133-146' })).toBe('Normal Range: 133-146');
    expect(formatRangeBounds({ source: 'interpretation' })).toBeUndefined();
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
