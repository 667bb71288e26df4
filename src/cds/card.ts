/**
 * The `patient-view` card: how complete the workup is, from one evaluation of the clinical core.
 *
 * - `summary` (< 140 characters): the counts over the items that apply — missing of total, then
 *   outdated, pending, abnormal, not checked and findings when there are any.
 * - `indicator`: `warning` when there are findings or abnormal results, else `info` (never
 *   `critical`: the workup is not urgent by itself).
 * - `detail` (markdown): why the card is shown, the findings to consider, the abnormal results, what
 *   is left to complete (todo.ts), and what could not be checked or loaded. Every value from the
 *   record goes through mdText.
 * - one link of type `smart` to the app's launch URL: the EHR launches the panel for this patient.
 */
import type { Evaluation, ItemResult } from '../clinical/model';
import { describeFailures } from '../clinical/vocabulary';
import type { Card, CardLink } from './types';
import type { RelevanceReason } from './relevance';
import { mdText } from './markdown';
import { todoList, todoState } from './todo';

export const SOURCE_LABEL = 'Nephrocalcinosis workup';
export const LINK_LABEL = 'Open the nephrocalcinosis workup panel';
export const MAX_SUMMARY = 139;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function cardSummary(evaluation: Evaluation): string {
  const s = evaluation.summary;
  const n = evaluation.findings.length;
  const parts = [
    `${s.missing} of ${plural(s.total, 'investigation', 'investigations')} missing`,
    s.outdated ? `${s.outdated} outdated` : '',
    s.pending ? `${s.pending} pending` : '',
    s.abnormal ? plural(s.abnormal, 'abnormal result', 'abnormal results') : '',
    s.unknown ? `${s.unknown} not checked` : '',
    n ? plural(n, 'finding to consider', 'findings to consider') : '',
  ].filter(Boolean);
  let summary = `${SOURCE_LABEL}: ${parts.join(', ')}`;
  while (summary.length > MAX_SUMMARY && parts.length > 1) {
    parts.pop();
    summary = `${SOURCE_LABEL}: ${parts.join(', ')}`;
  }
  return summary;
}

const WHERE: Record<RelevanceReason['kind'], string> = {
  condition: 'recorded as a condition',
  'imaging-report': 'named in an imaging report',
  'imaging-study': 'named in an imaging study',
};
const NAME: Record<RelevanceReason['condition'], string> = {
  nephrocalcinosis: 'Nephrocalcinosis',
  'medullary-sponge-kidney': 'Medullary sponge kidney',
};

function whyShown(reasons: readonly RelevanceReason[]): string {
  const lines = new Set(reasons.map((r) => `${NAME[r.condition]} ${WHERE[r.kind]}`));
  return `Shown because: ${[...lines].join('; ')}.`;
}

function day(date: string | undefined): string {
  return date ? date.slice(0, 10) : 'date not stated';
}

/** Longest value text in a line (a report's conclusion can be a paragraph: the panel shows it whole). */
const MAX_VALUE = 100;

function clip(text: string): string {
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}\u2026` : text;
}

function resultLine(item: ItemResult): string {
  const l = item.latest;
  const value = l?.value !== undefined ? clip(`${l.comparator ?? ''}${l.value}${l.unit ? ` ${l.unit}` : ''}`) : 'abnormal';
  const direction = item.direction ? ` (${item.direction})` : '';
  return `- ${mdText(item.label)}: ${mdText(value)}${direction}, ${mdText(day(l?.date))}`;
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length ? [`**${title}**`, '', ...lines, ''] : [];
}

export function cardDetail(evaluation: Evaluation, reasons: readonly RelevanceReason[]): string {
  const applying = evaluation.items.filter((i) => i.applies);
  const findings = evaluation.findings.map((f) => `- ${mdText(f.text)}`);
  const abnormal = applying.filter((i) => i.status === 'abnormal').map(resultLine);
  const todo = todoList(evaluation).map((t) => `- ${todoState(t)}: ${mdText(t.label)}${t.why ? `: ${mdText(t.why)}` : ''}`);
  const unknown = applying.filter((i) => i.status === 'unknown').map((i) => `- ${mdText(i.label)}${i.reason ? `: ${mdText(i.reason)}` : ''}`);
  // What could not be loaded is said whatever it touched: conditions and medicines decide which
  // investigations apply, orders whether one is pending (the panel shows the same in its banner).
  const failures = evaluation.failures?.length ? [`**Not everything could be loaded**: ${mdText(describeFailures(evaluation.failures))}. What depends on it could not be fully checked.`, ''] : [];
  return [
    whyShown(reasons),
    '',
    ...failures,
    ...section('Findings to consider', findings),
    ...section('Abnormal results', abnormal),
    ...section('To complete', todo),
    ...section('Could not be checked', unknown),
    'Open the workup panel for every value with its date, unit, range and where the range came from.',
  ].join('\n');
}

export interface CardOptions {
  /** The app's SMART launch URL (CDS_APP_LAUNCH_URL). */
  launchUrl: string;
  uuid: () => string;
}

export function workupCard(evaluation: Evaluation, reasons: readonly RelevanceReason[], options: CardOptions): Card {
  const link: CardLink = { label: LINK_LABEL, url: options.launchUrl, type: 'smart' };
  return {
    uuid: options.uuid(),
    summary: cardSummary(evaluation),
    indicator: evaluation.findings.length > 0 || evaluation.summary.abnormal > 0 ? 'warning' : 'info',
    source: { label: SOURCE_LABEL },
    detail: cardDetail(evaluation, reasons),
    links: [link],
  };
}
