import type { Summary as SummaryModel } from '../../clinical/model';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "5 of 17 recommended investigations missing, 3 abnormal" — the counts are the model's (items
 * that apply to this patient); the words are the view's.
 */
export function summaryText(s: SummaryModel): string {
  const parts = [`${s.missing} of ${plural(s.total, 'recommended investigation', 'recommended investigations')} missing`];
  parts.push(`${s.abnormal} abnormal`);
  if (s.outdated) parts.push(`${s.outdated} outdated${s.outdatedAbnormal ? ` (${s.outdatedAbnormal} abnormal when last done)` : ''}`);
  if (s.pending) parts.push(`${s.pending} pending`);
  if (s.unknown) parts.push(`${s.unknown} could not be checked`);
  return parts.join(', ');
}

export function Summary({ summary }: { summary: SummaryModel }) {
  return (
    <p class="summary" data-summary data-summary-total={summary.total}>
      {summaryText(summary)}
    </p>
  );
}
