import type { ResultValue } from '../../clinical/model';
import { flagText, formatShortDate, formatValue } from '../format';
import { DateText } from './DateText';
import { ResultText } from './ResultText';

function brief(r: ResultValue, reference: string): string {
  const v = formatValue(r.value, r.unit, r.comparator) ?? r.text ?? 'result';
  return `${v} (${formatShortDate(r.date, reference)})`;
}

/**
 * Earlier results, newest first: one compact line ("Previous: 2.65 mmol/L (3 Mar)"); when there
 * are more, the line is the summary of a <details> listing them all.
 */
export function History({ history, reference }: { history: ResultValue[]; reference: string }) {
  const first = history[0];
  if (!first) return null;
  if (history.length === 1) {
    return <p class="history">Previous: {brief(first, reference)}</p>;
  }
  return (
    <details class="history">
      <summary>
        Previous: {brief(first, reference)} · {history.length - 1} earlier
      </summary>
      <ol class="history-list">
        {history.map((r, i) => (
          <li key={i}>
            <ResultText result={r} /> · <DateText iso={r.date} reference={reference} />
            {flagText(r.flag) && <span class="flag"> · {flagText(r.flag)}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
