import type { AppError } from '../types';

/** The one control of the recoverable error screens: load the record again. */
function TryAgain({ onReload }: { onReload: () => void }) {
  return (
    <p>
      <button type="button" class="button" onClick={onReload} data-action="reload">
        Try again
      </button>
    </p>
  );
}

/** What went wrong, what it means, what to do: never a blank screen. */
export function ErrorView({ error, onReload }: { error: AppError; onReload: () => void }) {
  switch (error.kind) {
    case 'launch':
      return (
        <section class="error" aria-labelledby="error-title" data-error="launch">
          <h2 id="error-title">{error.title}</h2>
          <p>{error.message}</p>
          {error.hint && <p class="hint">{error.hint}</p>}
        </section>
      );
    case 'no-context':
      return (
        <section class="error" aria-labelledby="error-title" data-error="no-context">
          <h2 id="error-title">Open this app from a patient’s chart</h2>
          <p>
            This page was opened without a SMART launch from an EHR (or the launch has expired), so there is no
            patient to show.
          </p>
          {error.message && <p class="detail">{error.message}</p>}
          <p class="hint">
            In the EHR, open the patient’s chart and start the app from there. To try it locally, use the{' '}
            <a href="/sandbox/">local SMART sandbox</a> (available when the app runs with <code>npm start</code>).
          </p>
        </section>
      );
    case 'session-expired':
      return (
        <section class="error" aria-labelledby="error-title" data-error="session-expired">
          <h2 id="error-title">Session expired</h2>
          <p>Your session has expired. Relaunch the app from the patient’s chart.</p>
        </section>
      );
    case 'patient':
      return (
        <section class="error" aria-labelledby="error-title" data-error="patient">
          <h2 id="error-title">The patient’s record could not be loaded</h2>
          <p>The EHR did not return the patient, so the panel cannot be shown.</p>
          {error.message && <p class="detail">{error.message}</p>}
          <TryAgain onReload={onReload} />
        </section>
      );
    case 'internal':
      return (
        <section class="error" aria-labelledby="error-title" data-error="internal">
          <h2 id="error-title">The panel could not be shown</h2>
          <p>The record loaded, but the app could not compute the panel from it. This is a fault in the app.</p>
          <p class="hint">Use the results in the EHR directly, and report the problem to your EHR support.</p>
          <TryAgain onReload={onReload} />
        </section>
      );
    case 'timeout':
    default:
      return (
        <section class="error" aria-labelledby="error-title" data-error="timeout">
          <h2 id="error-title">The record took too long to load</h2>
          <p>The EHR did not answer in time, so nothing can be shown yet.</p>
          {error.message && <p class="detail">{error.message}</p>}
          <TryAgain onReload={onReload} />
        </section>
      );
  }
}
