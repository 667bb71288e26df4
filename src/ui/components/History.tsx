import { Component } from 'preact';
import { formatDate, formatResult } from '../../clinical/display';
import type { ResultValue, UnitSystem } from '../../clinical/model';
import { flagText } from '../format';
import { DateText } from './DateText';
import { ResultText } from './ResultText';

function brief(r: ResultValue, units: UnitSystem): string {
  const v = formatResult(r, units) ?? r.text ?? 'result';
  return `${v} (${formatDate(r.date)})`;
}

interface Props {
  history: ResultValue[];
  reference: string;
  units: UnitSystem;
  /** Every row in full: the list is shown open. */
  open?: boolean | undefined;
}

/**
 * Earlier results, newest first: one compact line ("Previous: 2.65 mmol/L (3 Mar 2026)"); when
 * there are more, the line is the summary of a <details> listing them all.
 *
 * Performance: the list is rendered when the <details> is first opened (or when every row is shown
 * in full), not up front. A heavy record has up to 100 earlier results for each of some twenty
 * items: rendering them all with the panel took most of a 100 ms main-thread task, for rows a closed
 * <details> does not show. The summary click (mouse, Enter or Space: the summary's activation)
 * renders the list before the <details> opens; the toggle event covers any other way of opening it
 * (script, find-in-page). Once rendered, the list stays (closing and reopening costs nothing).
 */
export class History extends Component<Props, { shown: boolean }> {
  override state = { shown: false };

  private show = () => {
    if (!this.state.shown) this.setState({ shown: true });
  };

  override render({ history, reference, units, open }: Props) {
    const first = history[0];
    if (!first) return null;
    if (history.length === 1) {
      return <p class="history">Previous: {brief(first, units)}</p>;
    }
    return (
      <details class="history" onToggle={this.show} open={open}>
        <summary onClick={this.show}>
          Previous: {brief(first, units)} · {history.length - 1} earlier
        </summary>
        {(this.state.shown || open) && (
          <ol class="history-list">
            {history.map((r, i) => (
              <li key={i}>
                <ResultText result={r} units={units} /> · <DateText iso={r.date} reference={reference} />
                {flagText(r.flag) && <span class="flag"> · {flagText(r.flag)}</span>}
              </li>
            ))}
          </ol>
        )}
      </details>
    );
  }
}
