import { Component, type ComponentChildren } from 'preact';
import type { UnitSystem } from '../clinical/model';
import type { AppActions, AppError, AppState } from './types';
import type { ErrorView as ErrorViewType } from './components/ErrorView';
import { LoadProgress } from './components/LoadProgress';
import { ReadyPanel } from './components/ReadyPanel';

export const APP_TITLE = 'Nephrocalcinosis workup';

function Shell({ state, children }: { state: 'loading' | 'ready' | 'error'; children: ComponentChildren }) {
  return (
    <main class="panel" data-state={state}>
      <header class="panel-header">
        {/* focusable from script (not in the tab order): the ready panel moves focus here */}
        <h1 id="app-title" tabIndex={-1}>
          {APP_TITLE}
        </h1>
      </header>
      {children}
    </main>
  );
}

interface ErrorScreenProps {
  error: AppError;
  onReload: () => void;
}

/**
 * The error screens, loaded when an error is to be shown: their words are not needed on the way to
 * the panel (page weight). Until they have arrived (a few milliseconds from the app's own origin)
 * the page still reads as loading; if they cannot be fetched, one plain sentence says what to do,
 * never a blank screen.
 */
class ErrorScreen extends Component<ErrorScreenProps, { view?: typeof ErrorViewType; failed?: boolean }> {
  override componentDidMount(): void {
    import('./components/ErrorView').then(
      (m) => this.setState({ view: m.ErrorView }),
      () => this.setState({ failed: true }),
    );
  }

  override render({ error, onReload }: ErrorScreenProps) {
    const View = this.state.view;
    if (View) {
      return (
        <Shell state="error">
          <View error={error} onReload={onReload} />
        </Shell>
      );
    }
    return (
      <Shell state={this.state.failed ? 'error' : 'loading'}>
        {this.state.failed && <p data-error="fallback">The app could not be started. Open it again from the patient’s chart.</p>}
      </Shell>
    );
  }
}

interface AppProps {
  state: AppState;
  actions: AppActions;
  /** The unit system values are shown in (default SI). */
  units?: UnitSystem;
  /** The user picked another unit system; without it the panel offers no choice. */
  onUnits?: (units: UnitSystem) => void;
}

/** The whole view: one of loading, ready or error, from the controller's state. */
export function App({ state, actions, units = 'si', onUnits }: AppProps) {
  switch (state.phase) {
    case 'launching':
    case 'loading':
      return (
        <Shell state="loading">
          <section class="loading" aria-labelledby="loading-title">
            <h2 id="loading-title">Loading the patient’s record</h2>
            <LoadProgress
              statuses={state.phase === 'loading' ? state.statuses : []}
              startedAt={state.startedAt}
              connecting={state.phase === 'launching'}
              onStopWaiting={actions.stopWaiting}
            />
          </section>
        </Shell>
      );
    case 'error':
      return <ErrorScreen error={state.error} onReload={actions.reload} />;
    case 'ready':
    default:
      return (
        <Shell state="ready">
          <ReadyPanel data={state.data} retrying={state.retrying} actions={actions} units={units} onUnits={onUnits} />
        </Shell>
      );
  }
}
