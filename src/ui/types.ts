/**
 * What the view renders besides the Evaluation model: the load statuses reported by the data layer
 * and the app's phase (launching, loading, ready, error). The view holds no clinical knowledge: every
 * label, reason, range and condition it shows comes from the Evaluation model.
 */
import type { Patient } from 'fhir/r4';
import type { Evaluation, LoadFailure } from '../clinical/model';

/** The data layer's per-type load status (src/smart/types.ts). */
export type { ResourceLoadStatus } from '../smart/types';
import type { ResourceLoadStatus } from '../smart/types';

/** What an error screen says. `kind` picks the wording and the controls. */
export type AppError =
  /** The SMART launch could not be completed (title/message/hint come from the smart layer's LaunchError). */
  | { kind: 'launch'; title: string; message: string; hint?: string }
  /** The page was opened without a launch (no state): explain, and point to the local sandbox. */
  | { kind: 'no-context'; message?: string }
  /** The access token expired (and could not be refreshed). */
  | { kind: 'session-expired' }
  /** The Patient resource could not be read: nothing to evaluate. Retry re-runs the whole load. */
  | { kind: 'patient'; message?: string }
  /** The load did not finish within the app's overall time bound and nothing usable came back. */
  | { kind: 'timeout'; message?: string }
  /** The panel could not be computed from what loaded (a defect): say so rather than show a blank page. */
  | { kind: 'internal' };

export interface ReadyData {
  evaluation: Evaluation;
  patient: Patient;
  statuses: ResourceLoadStatus[];
  failures: LoadFailure[];
  needPatientBanner: boolean;
}

export type AppState =
  | { phase: 'launching'; startedAt: number }
  | { phase: 'loading'; startedAt: number; statuses: ResourceLoadStatus[] }
  | {
      phase: 'ready';
      data: ReadyData;
      /** A retry of the failed resource types is running (the panel stays visible). */
      retrying?: { startedAt: number; statuses: ResourceLoadStatus[] };
    }
  | { phase: 'error'; error: AppError };

/** The controls the view offers; the controller implements them. */
export interface AppActions {
  /** Re-load the resource types that failed, then merge and re-evaluate. */
  retryFailed(): void;
  /** Re-run the whole load (after a patient or timeout error). */
  reload(): void;
  /** Stop waiting for slow resource types and show what has loaded. */
  stopWaiting(): void;
}
