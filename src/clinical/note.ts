/**
 * The workup as plain text for the clinician's note: the evaluation date, the findings to consider,
 * the abnormal results (value, unit, date, range), the investigations to complete and a one-line
 * decision-support disclaimer. One formatter for the app's "Copy to note" and the evaluator's
 * `--format note`, so the two never differ. Pure.
 *
 * No patient identifiers (name, birth date, record number, resource ids): the note is written in
 * the patient's chart, which already says whose it is, and text pasted elsewhere by mistake should
 * not identify anyone. Values, units, dates and ranges are written as the panel writes them
 * (display.ts) in the unit system asked for.
 */
import type { Evaluation, ItemResult, TodoItem } from './model';
import { findingText, formatDate, formatRange, formatResult, type UnitSystem } from './display';

export const NOTE_TITLE = 'Nephrocalcinosis workup';

export const NOTE_DISCLAIMER =
  'Decision support, not a diagnosis: findings are prompts to consider; check results in the source record before acting.';

/**
 * Text from the EHR on one line: control characters, line breaks and runs of spaces become one
 * space (a pasted note keeps its layout; no escape sequence reaches the chart).
 */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
}

function section(title: string, lines: readonly string[], empty: string): string[] {
  return lines.length > 0 ? [`${title}:`, ...lines.map((l) => `- ${l}`)] : [`${title}: ${empty}`];
}

/** "Calcium (total), 12 May 2026: 2.78 mmol/L, high (range 2.20–2.60 mmol/L · lab range)". */
export function abnormalLine(item: ItemResult, system: UnitSystem): string {
  const r = item.latest;
  const value = r ? formatResult(r, system) : undefined;
  const what = [value ? oneLine(value) : undefined, item.direction].filter(Boolean).join(', ') || 'abnormal';
  const when = r?.date ? `, ${formatDate(r.date)}` : '';
  const range = item.range ? ` (range ${oneLine(formatRange(item.range, r?.analyte, system, r?.unit))})` : '';
  return `${oneLine(item.label)}${when}: ${what}${range}`;
}

/** "Ionised calcium: missing. Why: ...", "PTH: outdated, last result 3 Mar 2025", "24-hour urine: ordered on 2 May 2026". */
export function todoLine(t: TodoItem): string {
  const on = t.date ? ` on ${formatDate(t.date)}` : '';
  const state =
    t.status === 'outdated'
      ? `outdated${t.date ? `, last result ${formatDate(t.date)}` : ''}`
      : t.status === 'pending'
        ? t.pendingKind === 'registered'
          ? `pending, registered${on}, not yet reported`
          : `pending, ordered${on}`
        : 'missing';
  return `${oneLine(t.label)}: ${state}.${t.why ? ` ${oneLine(t.why)}` : ''}`;
}

/** Items that could not be checked: the list of what to complete is then not the whole story. */
function uncheckedLines(ev: Evaluation): string[] {
  const unknown = ev.items.filter((i) => i.applies && i.status === 'unknown').map((i) => oneLine(i.label));
  return unknown.length > 0 ? ['', `Could not be checked (part of the record could not be read): ${unknown.join(', ')}.`] : [];
}

/** The note: plain text, lines separated by "\n", ending with a newline. */
export function formatNote(ev: Evaluation, system: UnitSystem = 'si'): string {
  const abnormal = ev.items.filter((i) => i.status === 'abnormal');
  const out = [
    `${NOTE_TITLE}, evaluated ${formatDate(ev.evaluatedAt)}`,
    '',
    ...section('Findings to consider', ev.findings.map((f) => oneLine(findingText(f, system))), 'none'),
    '',
    ...section('Abnormal results', abnormal.map((i) => abnormalLine(i, system)), 'none'),
    '',
    ...section('To complete the workup', ev.todo.map(todoLine), 'nothing missing, outdated or pending'),
    ...uncheckedLines(ev),
    '',
    NOTE_DISCLAIMER,
  ];
  return `${out.join('\n')}\n`;
}
