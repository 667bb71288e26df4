import type { ComponentChildren } from 'preact';
import type { AppActions, AppState } from './types';
import { ErrorView } from './components/ErrorView';
import { LoadProgress } from './components/LoadProgress';
import { ReadyPanel } from './components/ReadyPanel';

export const APP_TITLE = 'Nephrocalcinosis workup';

function Shell({ state, children }: { state: 'loading' | 'ready' | 'error'; children: ComponentChildren }) {
  return (
    <main class="panel" data-state={state}>
      <header class="panel-header">
        <h1>{APP_TITLE}</h1>
      </header>
      {children}
    </main>
  );
}

/** The whole view: one of loading, ready or error, from the controller's state. */
export function App({ state, actions }: { state: AppState; actions: AppActions }) {
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
      return (
        <Shell state="error">
          <ErrorView error={state.error} onReload={actions.reload} />
        </Shell>
      );
    case 'ready':
    default:
      return (
        <Shell state="ready">
          <ReadyPanel data={state.data} retrying={state.retrying} actions={actions} />
        </Shell>
      );
  }
}
