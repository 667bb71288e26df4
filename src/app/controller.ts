/**
 * The app controller: launch → load → evaluate, retry, and the time bound. It owns the state the
 * view renders (src/ui/types.ts AppState) and keeps clinical logic out: the engine's `evaluate` is
 * called once per completed load (and once per completed retry), never on render.
 *
 * Dependencies are injected (the smart layer, the engine, the catalog's codes) so the controller
 * runs in tests with fakes and in the app with the real modules (see src/main.tsx).
 */
import type { Evaluation, EvaluationInput, EvaluationSettings } from '../clinical/model';
import type { LoadedRecord, LoadOptions } from '../smart/types';
import type { SearchPlan } from './site-codes';
import type { AppActions, AppError, AppState, ReadyData, ResourceLoadStatus } from '../ui/types';
import { nextTask } from './offthread';

/**
 * User Timing marks of one launch (`nephro:launched`, `nephro:loaded`, `nephro:evaluated`; the
 * panel's commit is `data-state="ready"`): where the time to panel goes, for the benchmark and for
 * an integration engineer in the browser's performance panel. Names only: no patient data, nothing
 * leaves the page.
 */
function mark(name: 'launched' | 'loaded' | 'evaluated'): void {
  try {
    performance.mark(`nephro:${name}`);
  } catch {
    // No User Timing (an old runtime): the marks are diagnostics only.
  }
}

export interface ControllerDeps<C> {
  completeLaunch(): Promise<C>;
  launchContext(client: C): { needPatientBanner: boolean; smartStyleUrl?: string };
  /** Resolves with what loaded, also when stopped or timed out (src/smart/load.ts). */
  loadRecord(client: C, options: LoadOptions): Promise<LoadedRecord>;
  /** Folds a retry (`only`) into the previous record (src/smart/load.ts). */
  mergeRecords(previous: LoadedRecord, retry: LoadedRecord): LoadedRecord;
  /** The engine, or the engine behind a worker (src/app/offthread.ts evaluateOffThread). */
  evaluate(input: EvaluationInput): Evaluation | Promise<Evaluation>;
  /** The catalog's codes for the Observation search (used when there is no `searchPlan`). */
  observationCodes: string[];
  /**
   * What the searches ask for and what each evaluation is told, with the site's terminology map
   * (src/app/site-codes.ts searchPlan): awaited once, after the launch and before the first search
   * (it is read from the app's own origin while the token is exchanged, so it is there by then).
   */
  searchPlan?: () => Promise<SearchPlan>;
  /**
   * Compiles the engine and the view while the first searches are in flight (src/app/warm.tsx).
   * Called once per page, in a task of its own; a failure is ignored (it only costs speed).
   */
  warmUp?: () => void;
  /** Bound per request, handed to the data layer. */
  requestTimeoutMs?: number;
  /**
   * Bound for a whole load. Decision: 45 s. A full wave against a real EHR takes a few seconds; a
   * clinician will not wait a minute. At the bound the controller aborts the load, the data layer
   * reports the unfinished types as timed out, and the panel shows what loaded with a Retry.
   */
  overallTimeoutMs?: number;
  /** Evaluation date; default: today. */
  now?: () => Date;
  /** The engine's site settings (section 3: the eGFR equation), passed with every evaluation. */
  settings?: EvaluationSettings;
}

type Listener = (state: AppState) => void;

interface LaunchErrorLike {
  kind: string;
  title?: string;
  message?: string;
  hint?: string;
}

function isLaunchErrorLike(e: unknown): e is LaunchErrorLike {
  return typeof e === 'object' && e !== null && typeof (e as { kind?: unknown }).kind === 'string';
}

function isAbort(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError';
}

function launchErrorToAppError(e: unknown): AppError {
  if (isLaunchErrorLike(e)) {
    // No state at all: the page was opened directly (or the launch expired). Explain and point to
    // the sandbox rather than showing a bare technical error.
    if (e.kind === 'no-state') return { kind: 'no-context' };
    if (e.kind === 'session-expired') return { kind: 'session-expired' };
    return {
      kind: 'launch',
      title: e.title ?? 'The app could not be launched',
      message: e.message ?? 'The launch from the EHR could not be completed.',
      hint: e.hint ?? 'Relaunch the app from the patient’s chart.',
    };
  }
  // Unknown errors: their messages may carry URLs or identifiers; show plain words instead.
  return {
    kind: 'launch',
    title: 'The app could not be launched',
    message: 'The launch from the EHR could not be completed.',
    hint: 'Relaunch the app from the patient’s chart. If it happens again, contact your EHR support.',
  };
}

/** A short, identifier-free description of a load error (HTTP status when the error carries one). */
function loadErrorDetail(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const status = (e as { status?: unknown; statusCode?: unknown }).status ?? (e as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? `The EHR answered HTTP ${status}.` : undefined;
}

/**
 * Decision: a record of fewer than SPLIT_FROM resources is evaluated and
 * rendered in the task that received its last response. Its evaluation takes a few milliseconds and
 * its render about ten, far from a long task (50 ms); a yield there bought nothing but a rendering
 * step of the browser (style, layout and paint of the progress list) between the data and the panel:
 * 5–15 ms of the 25–30 ms from the last response to the panel measured on the normal patient
 * (bench, HTTP/2). From SPLIT_FROM up the work is split as described at ready(): a Synthea record of
 * 954 resources evaluates in 5–10 ms but renders in 30+ ms on a slow machine.
 */
export const SPLIT_FROM = 500;

/** Shortest interval between two renders of the load progress (see progressShower). */
export const PROGRESS_MS = 100;

export class AppController<C> implements AppActions {
  private state: AppState;
  private listeners = new Set<Listener>();
  private client: C | undefined;
  private needPatientBanner = false;
  private record: LoadedRecord | undefined;
  private abort: AbortController | undefined;
  /** Incremented per load/retry: answers of superseded runs are ignored. */
  private generation = 0;
  private warmedUp = false;
  private plan: SearchPlan | undefined;

  constructor(private readonly deps: ControllerDeps<C>) {
    this.state = { phase: 'launching', startedAt: Date.now() };
    this.retryFailed = this.retryFailed.bind(this);
    this.reload = this.reload.bind(this);
    this.stopWaiting = this.stopWaiting.bind(this);
  }

  getState(): AppState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: AppState): void {
    this.state = state;
    for (const l of this.listeners) l(state);
  }

  /** Complete the SMART launch, then load and evaluate. */
  async start(): Promise<void> {
    this.set({ phase: 'launching', startedAt: Date.now() });
    let client: C;
    try {
      client = await this.deps.completeLaunch();
      mark('launched');
    } catch (e) {
      this.set({ phase: 'error', error: launchErrorToAppError(e) });
      return;
    }
    this.client = client;
    try {
      this.needPatientBanner = this.deps.launchContext(client).needPatientBanner;
    } catch {
      // Decision: if the context cannot be read, show the banner: an unnecessary banner is noise,
      // a missing one when the EHR needs it is a patient-identification risk.
      this.needPatientBanner = true;
    }
    try {
      this.plan = await this.deps.searchPlan?.();
    } catch {
      // No plan: the catalog's codes, and the evaluation says nothing of a site map.
    }
    await this.load();
  }

  private get observationCodes(): string[] {
    return this.plan?.observationCodes ?? this.deps.observationCodes;
  }

  private evaluate(record: LoadedRecord): Evaluation | Promise<Evaluation> {
    const plan = this.plan;
    return this.deps.evaluate({
      patient: record.patient,
      resources: record.resources,
      failures: record.failures,
      now: this.deps.now?.(),
      ...(this.deps.settings ? { settings: this.deps.settings } : {}),
      ...(plan ? { coverage: plan.coverage } : {}),
      ...(plan?.siteCodes ? { siteCodes: plan.siteCodes } : {}),
    });
  }

  /**
   * Evaluate and show the panel, each in its own task. Performance: on a heavy record
   * (≈ 15,000 resources) the evaluation and the render each take tens of milliseconds; done in the
   * task that received the last response they made one main-thread task of ≈ 200 ms. Yielding
   * before the evaluation and again before the render splits that work into tasks the browser can
   * interleave with input and paint. Evaluated once per completed load or retry, never on render.
   * A newer load or retry started meanwhile (generation) supersedes this one.
   */
  private async ready(record: LoadedRecord, gen: number): Promise<void> {
    mark('loaded');
    const split = record.resources.length >= SPLIT_FROM;
    if (split) await nextTask();
    if (gen !== this.generation) return;
    let evaluation: Evaluation;
    try {
      evaluation = await this.evaluate(record);
    } catch {
      if (gen !== this.generation) return;
      // Never a blank screen: an engine defect becomes a clear error (no details: they could carry
      // patient data).
      this.set({ phase: 'error', error: { kind: 'internal' } });
      return;
    }
    mark('evaluated');
    if (split) await nextTask();
    if (gen !== this.generation) return;
    const data: ReadyData = {
      evaluation,
      patient: record.patient,
      statuses: record.statuses,
      failures: record.failures,
      needPatientBanner: this.needPatientBanner,
    };
    this.record = record;
    this.set({ phase: 'ready', data });
  }

  /**
   * Load progress reaches the view at most once per PROGRESS_MS (the first snapshot in the next
   * task, after the searches have been issued). Decision: every answer used to re-render
   * the progress list at once; eleven answers arriving within a few milliseconds meant eleven
   * renders on the main thread, and the last answer waited behind them (up to 35–85 ms between the
   * last response and the end of loading, measured over HTTP/2). A list that refreshes ten times a
   * second tells the clinician as much. `stop()` drops a pending snapshot: the load's outcome
   * (ready or error) replaces the progress list anyway.
   */
  private progressShower(show: (statuses: ResourceLoadStatus[]) => void): { update: (s: readonly ResourceLoadStatus[]) => void; stop: () => void } {
    let pending: ResourceLoadStatus[] | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let shownAt = -Infinity;
    return {
      update: (statuses) => {
        pending = [...statuses];
        if (timer !== undefined) return;
        timer = setTimeout(
          () => {
            timer = undefined;
            shownAt = Date.now();
            const next = pending;
            pending = undefined;
            if (next) show(next);
          },
          Math.max(0, shownAt + PROGRESS_MS - Date.now()),
        );
      },
      stop: () => {
        clearTimeout(timer);
        timer = undefined;
        pending = undefined;
      },
    };
  }

  /** The searches have been issued: warm the engine and the view up in the next task (once). */
  private warmUpOnce(): void {
    const warmUp = this.deps.warmUp;
    if (!warmUp || this.warmedUp) return;
    this.warmedUp = true;
    setTimeout(() => {
      try {
        warmUp();
      } catch {
        // Only speed is lost; the real evaluation does not depend on it.
      }
    }, 0);
  }

  /** Arms the overall time bound; returns the signal and a disarm function. */
  private arm(): { signal: AbortSignal; disarm: () => void } {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const timer = setTimeout(() => abort.abort(), this.deps.overallTimeoutMs ?? 45_000);
    return { signal: abort.signal, disarm: () => clearTimeout(timer) };
  }

  /** The full load (first load, or after a patient/timeout error). */
  private async load(): Promise<void> {
    const client = this.client;
    if (client === undefined) return;
    const gen = ++this.generation;
    const startedAt = Date.now();
    this.set({ phase: 'loading', startedAt, statuses: [] });
    const { signal, disarm } = this.arm();
    const progress = this.progressShower((statuses) => {
      if (gen === this.generation && this.state.phase === 'loading') this.set({ phase: 'loading', startedAt, statuses });
    });
    let record: LoadedRecord;
    try {
      const loading = this.deps.loadRecord(client, {
        observationCodes: this.observationCodes,
        timeoutMs: this.deps.requestTimeoutMs,
        signal,
        onProgress: progress.update,
      });
      this.warmUpOnce();
      record = await loading;
    } catch (e) {
      if (gen !== this.generation) return;
      if (isLaunchErrorLike(e)) this.set({ phase: 'error', error: launchErrorToAppError(e) });
      else if (isAbort(e) || signal.aborted) this.set({ phase: 'error', error: { kind: 'timeout' } });
      else this.set({ phase: 'error', error: { kind: 'patient', message: loadErrorDetail(e) } });
      return;
    } finally {
      disarm();
      progress.stop();
    }
    if (gen !== this.generation) return;
    if (record.sessionExpired) {
      this.set({ phase: 'error', error: { kind: 'session-expired' } });
      return;
    }
    // The data layer hands a stand-in Patient when the read failed: never evaluate a stand-in.
    const patientStatus = record.statuses.find((x) => x.resourceType === 'Patient');
    if (!record.patient || (patientStatus && patientStatus.state !== 'loaded')) {
      const detail = patientStatus?.httpStatus ? `The EHR answered HTTP ${patientStatus.httpStatus}.` : patientStatus?.message;
      this.set({ phase: 'error', error: patientStatus?.state === 'timeout' ? { kind: 'timeout' } : { kind: 'patient', message: detail } });
      return;
    }
    await this.ready(record, gen);
  }

  reload(): void {
    void this.load();
  }

  stopWaiting(): void {
    this.abort?.abort();
  }

  /** Re-load only the failed resource types, merge them into the record and re-evaluate. */
  retryFailed(): void {
    void this.retry();
  }

  private async retry(): Promise<void> {
    const state = this.state;
    const prev = this.record;
    const client = this.client;
    if (state.phase !== 'ready' || state.retrying || !prev || client === undefined) return;
    const only = [...new Set(prev.failures.map((f) => f.resourceType))];
    if (only.length === 0) return;
    const gen = ++this.generation;
    const startedAt = Date.now();
    const pendingStatuses: ResourceLoadStatus[] = only.map((t) => ({ resourceType: t, state: 'pending', count: 0 }));
    this.set({ ...state, retrying: { startedAt, statuses: pendingStatuses } });
    const { signal, disarm } = this.arm();
    let again: LoadedRecord;
    try {
      again = await this.deps.loadRecord(client, {
        only,
        observationCodes: this.observationCodes,
        timeoutMs: this.deps.requestTimeoutMs,
        signal,
        onProgress: (statuses) => {
          const s = this.state;
          if (gen === this.generation && s.phase === 'ready' && s.retrying) {
            this.set({ ...s, retrying: { startedAt, statuses: statuses.filter((x) => x.resourceType !== 'Patient') } });
          }
        },
      });
    } catch (e) {
      if (gen !== this.generation) return;
      if (isLaunchErrorLike(e) && e.kind === 'session-expired') {
        this.set({ phase: 'error', error: { kind: 'session-expired' } });
        return;
      }
      // The retry failed as a whole: keep the panel as it was (its failures still stand).
      const s = this.state;
      if (s.phase === 'ready') this.set({ phase: 'ready', data: s.data });
      return;
    } finally {
      disarm();
    }
    if (gen !== this.generation) return;
    if (again.sessionExpired) {
      this.set({ phase: 'error', error: { kind: 'session-expired' } });
      return;
    }
    await this.ready(this.deps.mergeRecords(prev, again), gen);
  }
}

export function createController<C>(deps: ControllerDeps<C>): AppController<C> {
  return new AppController(deps);
}
