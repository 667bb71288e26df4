/**
 * Visual harness (dev server only, not part of the build): renders the panel from the hand-built
 * fixtures, chosen by ?state=ready|banner|partial|loading|launch-error|expired|no-context|patient.
 * Used to look at the layout at 360 px and 1280 px before the sandbox launch is available.
 */
import { render } from 'preact';
import { App } from '../../../src/ui/App';
import type { AppActions, AppState } from '../../../src/ui/types';
import { LOADING_STATUSES, OBSERVATION_500, partialEvaluation, readyData } from './fixtures';

const which = new URLSearchParams(location.search).get('state') ?? 'ready';
const states: Record<string, AppState> = {
  ready: { phase: 'ready', data: readyData() },
  banner: { phase: 'ready', data: readyData({ needPatientBanner: true }) },
  partial: {
    phase: 'ready',
    data: readyData({ evaluation: partialEvaluation(), failures: [OBSERVATION_500], needPatientBanner: true }),
  },
  loading: { phase: 'loading', startedAt: Date.now() - 12_000, statuses: LOADING_STATUSES },
  'launch-error': {
    phase: 'error',
    error: {
      kind: 'launch',
      title: 'The EHR did not issue an access token',
      message: 'The sign-in could not be completed: invalid_grant.',
      hint: 'Open the app again from the patient’s chart in the EHR.',
    },
  },
  expired: { phase: 'error', error: { kind: 'session-expired' } },
  'no-context': { phase: 'error', error: { kind: 'no-context' } },
  patient: { phase: 'error', error: { kind: 'patient', message: 'The EHR answered HTTP 404.' } },
};
const noop = () => undefined;
const actions: AppActions = { retryFailed: noop, reload: noop, stopWaiting: noop };
render(<App state={states[which] ?? states.ready!} actions={actions} />, document.getElementById('app')!);
