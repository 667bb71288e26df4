/**
 * The text report (src/cli/format-text.ts) on a hand-built Evaluation: every line a clinician
 * checks (patient, summary, findings, risk factors, grouped items with value, unit, reported
 * value, date, range and source, reason, earlier values), and EHR text printed as inert text.
 */
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/clinical/model';
import { ageText, clean, formatNumber, formatText } from '../../src/cli/format-text';

const base: Evaluation = {
  patient: { id: 'p1', birthDate: '1970-05-02', ageYears: 56, sex: 'female' },
  evaluatedAt: '2026-06-01',
  items: [
    {
      id: 'calcium', label: 'Calcium (total)', group: 'blood', tier: 'core', applies: true, status: 'abnormal', direction: 'high',
      latest: { value: 2.74, unit: 'mmol/L', reported: { value: 11, unit: 'mg/dL' }, date: '2026-05-12T09:40:00Z', source: 'Observation/ca1', flag: 'high' },
      range: { low: 2.2, high: 2.6, source: 'built-in' },
      history: [{ value: 2.5, unit: 'mmol/L', date: '2025-11-01', source: 'Observation/ca0', flag: 'normal' }],
    },
    {
      id: 'adjusted-calcium', label: 'Adjusted calcium', group: 'blood', tier: 'core', applies: true, status: 'abnormal', direction: 'high',
      latest: { value: 2.82, unit: 'mmol/L', date: '2026-05-12', source: ['Observation/ca1', 'Observation/alb1'], derived: true, derivation: 'Payne: Ca 2.74 mmol/L + 0.02 x (40 - albumin 36 g/L)' },
      range: { low: 2.2, high: 2.6, source: 'built-in' },
      history: [],
    },
    {
      id: 'pth', label: 'Parathyroid hormone (intact)', group: 'blood', tier: 'core', applies: true, status: 'unknown',
      reason: 'the unit "pg/dl" is not recognised',
      latest: { value: 'uninterpretable', date: '2026-05-12', source: 'Observation/pth1', flag: 'uninterpretable', problem: 'unknown unit' },
      history: [],
    },
    { id: 'tsh', label: 'TSH', group: 'blood', tier: 'core', applies: true, status: 'pending', reason: 'ordered 2026-05-29', history: [] },
    {
      id: 'urine-culture', label: 'Urine culture', group: 'urine', tier: 'core', applies: true, status: 'normal',
      latest: { value: 'done', date: '2026-05-12', source: 'Observation/c1', text: 'No growth\u001b[31m\r\nafter 48 h' },
      history: [],
    },
    { id: 'renal-ultrasound', label: 'Renal / abdominal ultrasound', group: 'imaging', tier: 'core', applies: true, status: 'missing', history: [] },
    { id: 'ct-abdomen', label: 'CT abdomen / kidneys', group: 'imaging', tier: 'conditional', applies: true, condition: 'to characterise calcification', status: 'missing', history: [] },
    { id: 'genetic-testing', label: 'Genetic testing', group: 'other', tier: 'conditional', applies: false, condition: 'when the patient is under 18', status: 'missing', history: [] },
  ],
  findings: [{ id: 'hypercalcaemia', text: 'Consider checking PTH: adjusted calcium is high.', evidence: ['Observation/ca1'] }],
  riskFactors: [
    { id: 'thiazide', text: 'Bendroflumethiazide 2.5 mg tablets', kind: 'medication', source: 'MedicationRequest/m1', role: 'context', matchedBy: 'http://www.nlm.nih.gov/research/umls/rxnorm|1369' },
  ],
  summary: { missing: 1, outdated: 0, pending: 1, abnormal: 2, unknown: 1, normal: 1, total: 6, outdatedAbnormal: 0 },
  todo: [],
  diagnostics: { read: {}, skipped: {} },
};

describe('formatText', () => {
  const text = formatText(base);
  const lines = text.split('\n');

  it('starts with the patient, the evaluation date and the summary', () => {
    expect(lines.slice(0, 3)).toEqual([
      'Nephrocalcinosis workup: patient p1, female, 56 years, born 1970-05-02',
      'Evaluated at 2026-06-01 (recency windows count back from this date)',
      'Summary over 6 items that apply: 2 abnormal, 1 missing, 0 outdated, 1 pending, 1 unknown, 1 normal',
    ]);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says under the summary when pregnancy is recorded', () => {
    const pregnant = formatText({ ...base, context: { pregnancy: { text: 'Pregnancy recorded (“Pregnancy”, 2026-03-01): the built-in creatinine and eGFR thresholds are not applied', source: 'Condition/p1', date: '2026-03-01' } } });
    expect(pregnant.split('\n')[3]).toBe('Pregnancy recorded (“Pregnancy”, 2026-03-01): the built-in creatinine and eGFR thresholds are not applied [Condition/p1]');
    expect(text).not.toContain('Pregnancy');
  });

  it('lists findings with evidence and risk factors with source and role', () => {
    expect(text).toContain('Findings to consider:\n  - [hypercalcaemia] Consider checking PTH: adjusted calcium is high.\n      evidence: Observation/ca1\n');
    expect(text).toContain(
      '  - medication: Bendroflumethiazide 2.5 mg tablets (MedicationRequest/m1, matched by http://www.nlm.nih.gov/research/umls/rxnorm|1369, treatment context, not a cause)',
    );
  });

  it('prints each item with status, value, reported value, date, range and range source', () => {
    expect(text).toContain(
      'Blood\n  Calcium (total) [calcium]: ABNORMAL (high) - 2.74 mmol/L (reported 11 mg/dL) on 2026-05-12; range 2.2-2.6 mmol/L; source: built-in range\n' +
        '      source: Observation/ca1\n      earlier: 2.5 mmol/L on 2025-11-01\n',
    );
    expect(text).toContain('  Adjusted calcium [adjusted-calcium]: ABNORMAL (high) - 2.82 mmol/L on 2026-05-12; range 2.2-2.6 mmol/L; source: built-in range\n');
    expect(text).toContain('      derived: Payne: Ca 2.74 mmol/L + 0.02 x (40 - albumin 36 g/L)\n      source: Observation/ca1, Observation/alb1\n');
    expect(text).toContain('  Parathyroid hormone (intact) [pth]: UNKNOWN - uninterpretable on 2026-05-12\n      reason: the unit "pg/dl" is not recognised\n');
    expect(text).toContain('      could not be interpreted: unknown unit\n');
    expect(text).toContain('  TSH [tsh]: PENDING\n      reason: ordered 2026-05-29\n');
    expect(text).toContain('Imaging\n  Renal / abdominal ultrasound [renal-ultrasound]: MISSING\n');
    expect(text).toContain('  CT abdomen / kidneys [ct-abdomen] (conditional): MISSING\n      applies to this patient (condition: to characterise calcification)\n');
    expect(text).toContain('Other\n  Genetic testing [genetic-testing] (conditional): MISSING\n      does not apply to this patient (condition: when the patient is under 18)\n');
  });

  it('groups Blood, Urine, Imaging, Other in that order', () => {
    const at = (t: string): number => lines.indexOf(t);
    expect(at('Blood')).toBeGreaterThan(0);
    expect(at('Urine')).toBeGreaterThan(at('Blood'));
    expect(at('Imaging')).toBeGreaterThan(at('Urine'));
    expect(at('Other')).toBeGreaterThan(at('Imaging'));
  });

  it('prints EHR text as inert text: no escape sequences or carriage returns', () => {
    expect(text).not.toMatch(/[\u001b\r]/);
    expect(text).toContain('      result: No growth [31m / after 48 h\n');
    expect(clean('a\u0007b\u2028c')).toBe('a b c');
  });

  it('shows load failures so gaps read as unknown, not missing', () => {
    const t = formatText({ ...base, failures: [{ resourceType: 'ServiceRequest', kind: 'forbidden', httpStatus: 403, message: 'Access to orders was not granted' }] });
    expect(t).toContain('Could not be loaded (items that depend on them are unknown, not missing):\n  - ServiceRequest: forbidden (HTTP 403): Access to orders was not granted\n');
  });

  it('says so when there are no findings or risk factors', () => {
    const t = formatText({ ...base, findings: [], riskFactors: [] });
    expect(t).toContain('Findings to consider: none\nRisk factors and context in the record: none found\n');
  });
});

describe('helpers', () => {
  it('prints numbers as given, long floats cut to 4 significant digits', () => {
    expect([formatNumber(2.4), formatNumber(38), formatNumber(2.3952123), formatNumber(0.78077), formatNumber(117.43), formatNumber(1234.56), formatNumber(0)]).toEqual([
      '2.4', '38', '2.395', '0.7808', '117.4', '1235', '0',
    ]);
  });

  it('gives ages in weeks, months or years', () => {
    expect(ageText('2026-04-20', '2026-06-01', 0)).toBe('6 weeks');
    expect(ageText('2025-10-01', '2026-06-01', 0)).toBe('8 months');
    expect(ageText('2024-07-01', '2026-06-01', 1)).toBe('23 months');
    expect(ageText('2018-02-20', '2026-06-01', 8)).toBe('8 years');
    expect(ageText('1970', '2026-06-01', 56)).toBe('56 years');
    expect(ageText(null, '2026-06-01', null)).toBe('age unknown');
  });
});
