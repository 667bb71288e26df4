import { describe, expect, it, vi } from 'vitest';
import type { Evaluation, EvaluationInput } from '../../../src/clinical/model';
import { AppController, PROGRESS_MS, SPLIT_FROM, type ControllerDeps } from '../../../src/app/controller';
import { mergeRecords } from '../../../src/smart/load';
import type { LoadedRecord, LoadOptions, ResourceLoadStatus } from '../../../src/smart/types';
import type { AppState } from '../../../src/ui/types';
import { PATIENT, readyEvaluation } from './fixtures';

type Client = { name: string };
const CLIENT: Client = { name: 'fake' };

function loaded(type: ResourceLoadStatus['resourceType'], count = 1): ResourceLoadStatus {
  return { resourceType: type, state: 'loaded', count };
}

function record(over: Partial<LoadedRecord> = {}): LoadedRecord {
  return {
    patient: PATIENT,
    resources: [
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } } as never,
    ],
    failures: [],
    statuses: [loaded('Patient'), loaded('Observation', 0), loaded('Condition')],
    ...over,
  };
}

const FAILED_OBS: Partial<LoadedRecord> = {
  failures: [{ resourceType: 'Observation', kind: 'failed', httpStatus: 500, message: 'Internal server error' }],
  statuses: [loaded('Patient'), { resourceType: 'Observation', state: 'failed', count: 0, httpStatus: 500 }, loaded('Condition')],
};

function setup(over: Partial<ControllerDeps<Client>> = {}) {
  const evaluate = vi.fn((input: EvaluationInput): Evaluation => ({ ...readyEvaluation(), failures: [...(input.failures ?? [])] }));
  const deps: ControllerDeps<Client> = {
    completeLaunch: vi.fn(async () => CLIENT),
    launchContext: vi.fn(() => ({ needPatientBanner: false })),
    loadRecord: vi.fn(async () => record()),
    mergeRecords,
    evaluate,
    observationCodes: ['http://loinc.org|17861-6'],
    ...over,
  };
  const c = new AppController(deps);
  const seen: AppState['phase'][] = [];
  c.subscribe((s) => seen.push(s.phase));
  return { c, deps, evaluate, seen };
}

describe('app controller', () => {
  it('launches, loads with the catalog codes and evaluates once', async () => {
    const { c, deps, evaluate, seen } = setup();
    await c.start();
    expect(seen).toEqual(['launching', 'loading', 'ready']);
    const opts = vi.mocked(deps.loadRecord).mock.calls[0]![1];
    expect(vi.mocked(deps.loadRecord).mock.calls[0]![0]).toBe(CLIENT);
    expect(opts.observationCodes).toEqual(['http://loinc.org|17861-6']);
    expect(opts.signal).toBeInstanceOf(AbortSignal);
    expect(evaluate).toHaveBeenCalledTimes(1);
    expect(evaluate.mock.calls[0]![0].patient).toBe(PATIENT);
    const s = c.getState();
    expect(s.phase === 'ready' && s.data.needPatientBanner).toBe(false);
    // reading the state again never re-evaluates
    c.getState();
    expect(evaluate).toHaveBeenCalledTimes(1);
  });

  it('passes the site settings (the eGFR equation) to every evaluation', async () => {
    const { c, evaluate } = setup({ settings: { egfrEquation: 'ckd-epi-2021' } });
    await c.start();
    expect(evaluate.mock.calls[0]![0].settings).toEqual({ egfrEquation: 'ckd-epi-2021' });
  });

  it('with a search plan (the site code map): its codes are searched, load and retry, and every evaluation is told what was searched', async () => {
    const siteCodes = { codes: [{ system: 'https://lab.example/codes', code: 'CA', item: 'calcium' }] };
    const coverage = { gathered: 'code-search' as const, codeSystems: ['http://loinc.org', 'https://lab.example/codes'] };
    const plan = { observationCodes: ['http://loinc.org|17861-6', 'https://lab.example/codes|CA'], coverage, siteCodes };
    const loadRecord = vi.fn(async (_c: Client, _o: LoadOptions) => record(FAILED_OBS));
    const { c, evaluate } = setup({ loadRecord, searchPlan: vi.fn(async () => plan) });
    await c.start();
    expect(loadRecord.mock.calls[0]![1].observationCodes).toEqual(plan.observationCodes);
    expect(evaluate.mock.calls[0]![0]).toMatchObject({ coverage, siteCodes });
    c.retryFailed();
    await vi.waitFor(() => expect(loadRecord).toHaveBeenCalledTimes(2));
    expect(loadRecord.mock.calls[1]![1].observationCodes).toEqual(plan.observationCodes);
  });

  it('a search plan that fails: the catalog codes, and the evaluation says nothing of a site', async () => {
    const { c, deps, evaluate } = setup({ searchPlan: vi.fn(async () => Promise.reject(new Error('no'))) });
    await c.start();
    expect(vi.mocked(deps.loadRecord).mock.calls[0]![1].observationCodes).toEqual(['http://loinc.org|17861-6']);
    expect(evaluate.mock.calls[0]![0].coverage).toBeUndefined();
  });

  it('passes progress snapshots to the loading state: the first in the next task, then at most one per PROGRESS_MS, the latest one', async () => {
    vi.useFakeTimers();
    try {
      const first: ResourceLoadStatus[] = [{ resourceType: 'Patient', state: 'pending', count: 0 }];
      const second: ResourceLoadStatus[] = [loaded('Patient'), { resourceType: 'Observation', state: 'pending', count: 3 }];
      const third: ResourceLoadStatus[] = [loaded('Patient'), { resourceType: 'Observation', state: 'pending', count: 7 }];
      let finish: (r: LoadedRecord) => void = () => undefined;
      let report: LoadOptions['onProgress'];
      const { c } = setup({
        loadRecord: vi.fn(
          (_c: Client, o: LoadOptions) =>
            new Promise<LoadedRecord>((resolve) => {
              report = o.onProgress;
              finish = resolve;
            }),
        ),
      });
      const renders: ResourceLoadStatus[][] = [];
      c.subscribe((s) => {
        if (s.phase === 'loading' && s.statuses.length) renders.push(s.statuses);
      });
      const started = c.start();
      await vi.waitFor(() => expect(report).toBeDefined());
      report!(first);
      expect(renders).toEqual([]); // not in the task that issued the searches
      await vi.advanceTimersByTimeAsync(0);
      expect(renders).toEqual([first]);
      report!(second);
      report!(third);
      await vi.advanceTimersByTimeAsync(PROGRESS_MS - 1);
      expect(renders).toEqual([first]);
      await vi.advanceTimersByTimeAsync(1);
      expect(renders).toEqual([first, third]);
      report!(second);
      finish(record());
      await started;
      await vi.runAllTimersAsync();
      // the load ended: the pending snapshot is dropped, the panel replaces the progress list
      expect(renders).toEqual([first, third]);
      expect(c.getState().phase).toBe('ready');
    } finally {
      vi.useRealTimers();
    }
  });

  it('maps launch errors: no state → no-context, others keep their words', async () => {
    const noState = setup({ completeLaunch: vi.fn(async () => Promise.reject(Object.assign(new Error('x'), { kind: 'no-state', title: 't', hint: 'h' }))) });
    await noState.c.start();
    expect(noState.c.getState()).toEqual({ phase: 'error', error: { kind: 'no-context' } });

    const denied = setup({
      completeLaunch: vi.fn(async () =>
        Promise.reject(Object.assign(new Error('The EHR answered “access_denied”.'), { kind: 'denied', title: 'Access was not granted', hint: 'Ask.' })),
      ),
    });
    await denied.c.start();
    expect(denied.c.getState()).toEqual({
      phase: 'error',
      error: { kind: 'launch', title: 'Access was not granted', message: 'The EHR answered “access_denied”.', hint: 'Ask.' },
    });
    expect(denied.deps.loadRecord).not.toHaveBeenCalled();
  });

  it('shows session expired when the token was refused', async () => {
    const { c, evaluate } = setup({ loadRecord: vi.fn(async () => record({ sessionExpired: true })) });
    await c.start();
    expect(c.getState()).toEqual({ phase: 'error', error: { kind: 'session-expired' } });
    expect(evaluate).not.toHaveBeenCalled();
  });

  it('never evaluates a stand-in patient: a failed Patient read is an error with Try again', async () => {
    const { c, evaluate, deps } = setup({
      loadRecord: vi.fn(async () =>
        record({ patient: { resourceType: 'Patient', id: 'p1' }, statuses: [{ resourceType: 'Patient', state: 'failed', count: 0, httpStatus: 404 }] }),
      ),
    });
    await c.start();
    expect(c.getState()).toEqual({ phase: 'error', error: { kind: 'patient', message: 'The EHR answered HTTP 404.' } });
    expect(evaluate).not.toHaveBeenCalled();
    vi.mocked(deps.loadRecord).mockResolvedValueOnce(record());
    c.reload();
    await vi.waitFor(() => expect(c.getState().phase).toBe('ready'));
    expect(deps.loadRecord).toHaveBeenCalledTimes(2);
  });

  it('an engine defect becomes an error screen, not a blank page', async () => {
    const { c } = setup({
      evaluate: vi.fn(() => {
        throw new Error('boom');
      }),
    });
    await c.start();
    expect(c.getState()).toEqual({ phase: 'error', error: { kind: 'internal' } });
  });

  it('retries only the failed types, merges and re-evaluates', async () => {
    const { c, deps, evaluate } = setup({ loadRecord: vi.fn(async () => record(FAILED_OBS)) });
    await c.start();
    let s = c.getState();
    expect(s.phase === 'ready' && s.data.failures.map((f) => f.resourceType)).toEqual(['Observation']);

    const obs = { resourceType: 'Observation', id: 'o1', status: 'final', code: {}, subject: { reference: 'Patient/p1' } } as never;
    let duringRetry: AppState | undefined;
    vi.mocked(deps.loadRecord).mockImplementationOnce(async (_c, o) => {
      duringRetry = c.getState();
      return { patient: PATIENT, resources: [obs], failures: [], statuses: [loaded('Patient'), loaded('Observation')] };
    });
    c.retryFailed();
    // Evaluation and render run in their own tasks (issue 4): wait for the re-evaluated panel.
    await vi.waitFor(() => {
      const st = c.getState();
      expect(st.phase === 'ready' && !st.retrying).toBe(true);
    });
    expect(evaluate).toHaveBeenCalledTimes(2);
    expect(vi.mocked(deps.loadRecord).mock.calls[1]![1].only).toEqual(['Observation']);
    expect(duringRetry?.phase === 'ready' && duringRetry.retrying?.statuses).toEqual([{ resourceType: 'Observation', state: 'pending', count: 0 }]);
    s = c.getState();
    expect(s.phase === 'ready' && s.retrying).toBeFalsy();
    expect(s.phase === 'ready' && s.data.failures).toEqual([]);
    const input = evaluate.mock.calls[1]![0];
    expect(input.resources.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(['Condition/c1', 'Observation/o1']);
    expect(input.failures).toEqual([]);
  });

  it('keeps the panel when a retry still fails, and a second click while retrying is ignored', async () => {
    const { c, deps } = setup({ loadRecord: vi.fn(async () => record(FAILED_OBS)) });
    await c.start();
    c.retryFailed();
    c.retryFailed();
    await vi.waitFor(() => {
      const s = c.getState();
      expect(s.phase === 'ready' && !s.retrying).toBe(true);
    });
    expect(deps.loadRecord).toHaveBeenCalledTimes(2);
    const s = c.getState();
    expect(s.phase === 'ready' && s.data.failures.map((f) => f.kind)).toEqual(['failed']);
  });

  it('bounds the whole load: at the time limit it aborts, and the data layer answers with what loaded', async () => {
    const { c } = setup({
      overallTimeoutMs: 50,
      loadRecord: vi.fn(
        (_c: Client, o: LoadOptions) =>
          new Promise<LoadedRecord>((resolve) => {
            o.signal!.addEventListener('abort', () =>
              resolve(
                record({
                  failures: [{ resourceType: 'Observation', kind: 'timeout', message: 'Stopped waiting' }],
                  statuses: [loaded('Patient'), { resourceType: 'Observation', state: 'timeout', count: 0 }],
                }),
              ),
            );
          }),
      ),
    });
    await c.start();
    const s = c.getState();
    expect(s.phase).toBe('ready');
    expect(s.phase === 'ready' && s.data.failures[0]!.kind).toBe('timeout');
  });

  it('stop waiting aborts the running load', async () => {
    let signal: AbortSignal | undefined;
    const { c } = setup({
      loadRecord: vi.fn(
        (_c: Client, o: LoadOptions) =>
          new Promise<LoadedRecord>((resolve) => {
            signal = o.signal;
            o.signal!.addEventListener('abort', () => resolve(record()));
          }),
      ),
    });
    const started = c.start();
    await vi.waitFor(() => expect(signal).toBeDefined());
    expect(c.getState().phase).toBe('loading');
    c.stopWaiting();
    await started;
    expect(signal!.aborted).toBe(true);
    expect(c.getState().phase).toBe('ready');
  });

  /** A record of `n` resources (the controller only counts them). */
  const sized = (n: number): LoadedRecord =>
    record({
      resources: Array.from({ length: n }, (_, i) => ({ resourceType: 'Condition', id: `c${i}`, subject: { reference: 'Patient/p1' } }) as never),
    });

  /**
   * Loads a record of `n` resources and says, at the evaluation and at the ready state, whether a
   * 0 ms timer set by the step before has fired: it has only if a task boundary (the controller's
   * yield) lies between the two steps.
   */
  async function stepsFor(n: number): Promise<string[]> {
    const order: string[] = [];
    let afterLoad = false;
    let afterEvaluate = false;
    const { c } = setup({
      loadRecord: vi.fn(async () => {
        setTimeout(() => (afterLoad = true), 0);
        return sized(n);
      }),
      evaluate: vi.fn((): Evaluation => {
        order.push(`evaluate (timer after load fired: ${afterLoad})`);
        setTimeout(() => (afterEvaluate = true), 0);
        return readyEvaluation();
      }),
    });
    c.subscribe((s) => {
      if (s.phase === 'ready') order.push(`ready (timer after evaluate fired: ${afterEvaluate})`);
    });
    await c.start();
    return order;
  }

  it('evaluates and renders a large record in tasks of their own, not in the task that received the data (issue 4)', async () => {
    expect(await stepsFor(SPLIT_FROM)).toEqual(['evaluate (timer after load fired: true)', 'ready (timer after evaluate fired: true)']);
  });

  it('evaluates and renders a small record in the task that received the data: no yield to wait on (issue 4)', async () => {
    expect(await stepsFor(SPLIT_FROM - 1)).toEqual(['evaluate (timer after load fired: false)', 'ready (timer after evaluate fired: false)']);
  });

  it('a newer load supersedes one whose evaluation is still pending: one evaluation, the newer record', async () => {
    const { c, deps, evaluate } = setup();
    await c.start();
    expect(evaluate).toHaveBeenCalledTimes(1);
    vi.mocked(deps.loadRecord).mockClear();
    c.reload();
    c.reload();
    await vi.waitFor(() => expect(c.getState().phase).toBe('ready'));
    await new Promise((r) => setTimeout(r, 10));
    expect(deps.loadRecord).toHaveBeenCalledTimes(2);
    // The first reload's record arrived after the second reload began: it is never evaluated.
    expect(evaluate).toHaveBeenCalledTimes(2);
  });

  it('a load that rejects (a defect in the data layer) ends in an error, never an endless spinner', async () => {
    const { c } = setup({ loadRecord: vi.fn(async () => Promise.reject(new Error('bug'))) });
    await c.start();
    expect(c.getState().phase).toBe('error');
  });
});
