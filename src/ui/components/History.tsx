import { Component } from 'preact';
import type { ResultValue } from '../../clinical/model';
import { flagText, formatShortDate, formatValue } from '../format';
import { DateText } from './DateText';
import { ResultText } from './ResultText';

function brief(r: ResultValue, reference: string): string {
  const v = formatValue(r.value, r.unit, r.comparator) ?? r.text ?? 'result';
  return `${v} (${formatShortDate(r.date, reference)})`;
}

interface Props {
  history: ResultValue[];
  reference: string;
}

/**
 * Earlier results, newest first: one compact line ("Previous: 2.65 mmol/L (3 Mar)"); when there
 * are more, the line is the summary of a <details> listing them all.
 *
 * Performance (issue 4): the list is rendered when the <details> is first opened, not up front. A
 * heavy record has up to 100 earlier results for each of some twenty items: rendering them all
 * with the panel took most of a 100 ms main-thread task, for rows a closed <details> does not show.
 * The summary click (mouse, Enter or Space: the summary's activation) renders the list before the
 * <details> opens; the toggle event covers any other way of opening it (script, find-in-page).
 * Once rendered, the list stays (closing and reopening costs nothing).
 */
export class History extends Component<Props, { shown: boolean }> {
  override state = { shown: false };

  private show = () => {
    if (!this.state.shown) this.setState({ shown: true });
  };

  override render({ history, reference }: Props) {
    const first = history[0];
    if (!first) return null;
    if (history.length === 1) {
      return <p class="history">Previous: {brief(first, reference)}</p>;
    }
    return (
      <details class="history" onToggle={this.show}>
        <summary onClick={this.show}>
          Previous: {brief(first, reference)} · {history.length - 1} earlier
        </summary>
        {this.state.shown && (
          <ol class="history-list">
            {history.map((r, i) => (
              <li key={i}>
                <ResultText result={r} /> · <DateText iso={r.date} reference={reference} />
                {flagText(r.flag) && <span class="flag"> · {flagText(r.flag)}</span>}
              </li>
            ))}
          </ol>
        )}
      </details>
    );
  }
}
