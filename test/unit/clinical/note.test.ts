/**
 * The note (src/clinical/note.ts): the plain text of "Copy to note" and of the evaluator's
 * `--format note`: the evaluation date, findings, abnormal results with value, unit, date and range
 * (section 7b wording, in the unit system asked for), what is left to complete, one disclaimer line,
 * and nothing that identifies the patient.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { readBundleText } from '../../../src/cli/read-input';
import { evaluate } from '../../../src/clinical/index';
import type { Evaluation, ItemResult, TodoItem } from '../../../src/clinical/model';
import { abnormalLine, formatNote, NOTE_DISCLAIMER, oneLine, todoLine } from '../../../src/clinical/note';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE } from '../../scenarios/index';

function scenario(file: string): { ev: Evaluation; patient: Patient; ids: string[] } {
  const text = readFileSync(join(SCENARIO_DIR, file), 'utf8');
  const g = readBundleText(text).patients[0]!;
  const bundle = JSON.parse(text) as Bundle;
  const ids = (bundle.entry ?? []).map((e) => e.resource?.id).filter((x): x is string => !!x);
  return { ev: evaluate({ patient: g.patient, resources: g.resources, now: SCENARIO_REFERENCE_DATE }), patient: g.patient, ids };
}

const item = (over: Partial<ItemResult>): ItemResult => ({
  id: 'calcium',
  label: 'Calcium (total)',
  group: 'blood',
  tier: 'core',
  applies: true,
  status: 'abnormal',
  history: [],
  ...over,
});

describe('formatNote on the primary hyperparathyroidism scenario', () => {
  const { ev, patient, ids } = scenario('primary-hyperparathyroidism.json');
  const note = formatNote(ev);
  const lines = note.split('\n');

  it('has the date, the sections in order and the disclaimer as its last line', () => {
    expect(lines[0]).toBe(`Nephrocalcinosis workup, evaluated 1 Jun 2026`);
    const at = (t: string): number => lines.indexOf(t);
    expect(at('Findings to consider:')).toBeGreaterThan(0);
    expect(at('Abnormal results:')).toBeGreaterThan(at('Findings to consider:'));
    expect(at('To complete the workup:')).toBeGreaterThan(at('Abnormal results:'));
    expect(lines.at(-2)).toBe(NOTE_DISCLAIMER);
    expect(note.endsWith('\n')).toBe(true);
  });

  it('lists every finding and every abnormal result, and the to-do list of the model', () => {
    for (const f of ev.findings) expect(lines).toContain(`- ${f.text}`);
    const abnormal = ev.items.filter((i) => i.status === 'abnormal');
    expect(abnormal.length).toBeGreaterThan(3);
    for (const i of abnormal) expect(lines).toContain(`- ${abnormalLine(i, 'si')}`);
    expect(lines).toContain('- Calcium (total), 12 May 2026: 2.78 mmol/L, high (range 2.20–2.60 mmol/L · flagged high by the laboratory; lab range)');
    expect(lines).toContain('- Urine calcium (24-hour), 14 May 2026: 9.10 mmol/24 h, high (range ≤ 6.25 mmol/24 h · flagged high by the laboratory; lab range)');
    expect(ev.todo.map((t) => t.id)).toEqual(['ct-abdomen']);
    expect(lines).toContain('- CT abdomen / kidneys: missing. CT: detects calcification and tells medullary from cortical deposition.');
    // Normal results are not in the note.
    expect(note).not.toMatch(/^- Albumin/m);
  });

  it('names no patient: no name, birth date, identifier or resource id', () => {
    for (const n of patient.name ?? []) for (const part of [n.family, ...(n.given ?? [])]) if (part) expect(note).not.toContain(part);
    expect(patient.birthDate).toBeTruthy();
    expect(note).not.toContain(patient.birthDate!);
    expect(note).not.toContain('14 Mar 1968');
    for (const id of ids) expect(note).not.toContain(id);
    for (const ident of patient.identifier ?? []) if (ident.value) expect(note).not.toContain(ident.value);
    expect(note).not.toMatch(/(Observation|Patient|DiagnosticReport|ServiceRequest)\//);
  });

  it('writes values and ranges in conventional units when asked', () => {
    const us = formatNote(ev, 'conventional');
    expect(us).toContain('- Adjusted calcium, 12 May 2026: 11.3 mg/dL, high (range 8.8–10.4 mg/dL · built-in range, adult)');
    expect(us).toContain('- Parathyroid hormone (intact), 12 May 2026: 134 pg/mL, high');
  });
});

describe('the parts of the note', () => {
  it('says "none" for empty sections', () => {
    const { ev } = scenario('complete-normal.json');
    const note = formatNote(ev);
    expect(note).toContain('Findings to consider: none');
    expect(note).toContain('Abnormal results: none');
    expect(note).toContain('To complete the workup: nothing missing, outdated or pending');
  });

  it('writes pending orders with their date and outdated items with their last result', () => {
    const t = (over: Partial<TodoItem>): TodoItem => ({ id: 'pth', label: 'PTH', status: 'missing', ...over });
    expect(todoLine(t({ why: 'Why.' }))).toBe('PTH: missing. Why.');
    expect(todoLine(t({ status: 'outdated', date: '2025-03-03T10:00:00Z' }))).toBe('PTH: outdated, last result 3 Mar 2025.');
    expect(todoLine(t({ status: 'pending', pendingKind: 'ordered', date: '2026-05-29' }))).toBe('PTH: pending, ordered on 29 May 2026.');
    expect(todoLine(t({ status: 'pending', pendingKind: 'registered', date: '2026-05-30' }))).toBe('PTH: pending, registered on 30 May 2026, not yet reported.');
    expect(todoLine(t({ status: 'pending' }))).toBe('PTH: pending, ordered.');
  });

  it('says which investigations could not be checked', () => {
    const { ev } = scenario('primary-hyperparathyroidism.json');
    const broken: Evaluation = { ...ev, items: ev.items.map((i) => (i.id === 'pth' ? { ...i, status: 'unknown' as const } : i)) };
    expect(formatNote(broken)).toContain('Could not be checked (part of the record could not be read): Parathyroid hormone (intact).');
  });

  it('keeps text from the EHR on one line, without control characters', () => {
    expect(oneLine('a\nb\r\n\tc\u001b[31m d\u2028e')).toBe('a b c [31m d e');
    const line = abnormalLine(item({ label: 'Renal\nultrasound', status: 'abnormal', latest: { value: 'Nephro-\ncalcinosis', date: '2026-05-20', source: 'DiagnosticReport/x' } }), 'si');
    expect(line).toBe('Renal ultrasound, 20 May 2026: Nephro- calcinosis');
  });

  it('writes an abnormal result without a value or date by its direction', () => {
    expect(abnormalLine(item({ direction: 'high' }), 'si')).toBe('Calcium (total): high');
    expect(abnormalLine(item({}), 'si')).toBe('Calcium (total): abnormal');
  });
});
