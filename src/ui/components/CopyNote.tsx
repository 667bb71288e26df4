import { Component, createRef } from 'preact';
import type { Evaluation } from '../../clinical/model';
import type { UnitSystem } from '../../clinical/display';

type Formatter = (ev: Evaluation, system?: UnitSystem) => string;

/** The note's formatter, loaded once: on first use, or earlier when the browser is idle. */
let formatter: Promise<Formatter> | undefined;
function loadFormatter(): Promise<Formatter> {
  formatter ??= import('../../clinical/note').then((m) => m.formatNote);
  // A failed load is tried again on the next click.
  formatter.catch(() => (formatter = undefined));
  return formatter;
}

interface Props {
  evaluation: Evaluation;
  units?: UnitSystem;
}

interface State {
  /** copied: on the clipboard; manual: shown to copy by hand; failed: the text could not be made. */
  outcome?: 'copied' | 'manual' | 'failed';
  text?: string;
}

/**
 * "Copy to note": the workup as plain text (the core's note, the same text as the evaluator's
 * `--format note`) on the clipboard. Where the clipboard is not allowed (an EHR frame without
 * clipboard-write, an old browser) the text is shown selected in a read-only box, to copy by hand.
 * A live region says what happened.
 */
export class CopyNote extends Component<Props, State> {
  override state: State = {};
  private box = createRef<HTMLTextAreaElement>();
  private idle?: number;

  override componentDidMount(): void {
    // Load the formatter while nothing else happens, so the click copies at once.
    const w = window as Window & { requestIdleCallback?: (cb: () => void) => number };
    if (w.requestIdleCallback) this.idle = w.requestIdleCallback(() => void loadFormatter().catch(() => undefined));
  }

  override componentWillUnmount(): void {
    const w = window as Window & { cancelIdleCallback?: (id: number) => void };
    if (this.idle !== undefined) w.cancelIdleCallback?.(this.idle);
  }

  override componentDidUpdate(_: Props, prev: State): void {
    const box = this.box.current;
    if (box && this.state.outcome === 'manual' && (prev.outcome !== 'manual' || prev.text !== this.state.text)) {
      box.focus();
      box.select();
    }
  }

  private copy = async (): Promise<void> => {
    let text: string;
    try {
      text = (await loadFormatter())(this.props.evaluation, this.props.units ?? 'si');
    } catch {
      this.setState({ outcome: 'failed', text: undefined });
      return;
    }
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      this.setState({ outcome: 'copied', text: undefined });
    } catch {
      this.setState({ outcome: 'manual', text });
    }
  };

  override render(_: Props, { outcome, text }: State) {
    const status =
      outcome === 'copied'
        ? 'Copied'
        : outcome === 'manual'
          ? 'The browser did not allow copying: copy the text below by hand'
          : outcome === 'failed'
            ? 'The note could not be prepared. Try again.'
            : '';
    return (
      <div class="copy-note" data-copy-note>
        <button type="button" class="button button-secondary" data-action="copy-note" onClick={this.copy}>
          Copy to note
        </button>
        <span role="status" class="copy-status" data-copy-status={outcome ?? 'idle'}>
          {status}
        </span>
        {outcome === 'manual' && text !== undefined && (
          <label class="copy-manual">
            <span class="copy-manual-label">Select all and copy (Ctrl+C, or ⌘C on a Mac), then paste into the note:</span>
            <textarea ref={this.box} readOnly rows={10} value={text} data-copy-text spellcheck={false} />
          </label>
        )}
      </div>
    );
  }
}
