// @vitest-environment jsdom
/**
 * The controller and the view together (as src/main.tsx wires them): the page goes from loading
 * (per-type progress) to ready, and Retry in the banner re-loads only the failed type.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, expect, it, vi } from 'vitest';
import { AppController } from '../../../src/app/controller';
import { AppRoot } from '../../../src/app/AppRoot';
import { mergeRecords } from '../../../src/smart/load';
import type { LoadedRecord, LoadOptions } from '../../../src/smart/types';
import { PATIENT, partialEvaluation, readyEvaluation } from './fixtures';

afterEach(cleanup);

// The page's own root (src/main.tsx renders exactly this).
const Root = AppRoot;

it('loading → ready with a partial failure → Retry re-loads the failed type → ready without banner', async () => {
  let release: (r: LoadedRecord) => void = () => undefined;
  const loadRecord = vi.fn(
    (_c: object, o: LoadOptions) =>
      new Promise<LoadedRecord>((resolve) => {
        o.onProgress?.([
          { resourceType: 'Patient', state: 'loaded', count: 1 },
          { resourceType: 'Observation', state: 'pending', count: 0 },
        ]);
        release = resolve;
      }),
  );
  const evaluate = vi.fn((input: { failures?: readonly unknown[] }) => (input.failures?.length ? partialEvaluation() : readyEvaluation()));
  const controller = new AppController<object>({
    completeLaunch: async () => ({}),
    launchContext: () => ({ needPatientBanner: false }),
    loadRecord,
    mergeRecords,
    evaluate,
    observationCodes: [],
  });
  const { container } = render(<Root controller={controller} />);
  const started = controller.start();
  await vi.waitFor(() => expect(container.querySelector('[data-resource="Observation"]')).not.toBeNull());
  expect(container.querySelector('main')!.dataset.state).toBe('loading');
  expect(container.querySelector('[data-resource="Observation"]')!.getAttribute('data-load-state')).toBe('pending');

  await act(async () => {
    release({
      patient: PATIENT,
      resources: [],
      failures: [{ resourceType: 'Observation', kind: 'failed', httpStatus: 500, message: 'Internal server error' }],
      statuses: [
        { resourceType: 'Patient', state: 'loaded', count: 1 },
        { resourceType: 'Observation', state: 'failed', count: 0, httpStatus: 500 },
      ],
    });
    await started;
  });
  expect(container.querySelector('main')!.dataset.state).toBe('ready');
  expect(container.querySelector('[data-failures]')).not.toBeNull();

  // the panel became ready: focus on its heading
  expect(document.activeElement?.id).toBe('app-title');
  // a browser focuses the button it clicks; the retry's end removes it with the banner
  const retry = screen.getByRole('button', { name: 'Retry' });
  retry.focus();
  fireEvent.click(retry);
  await vi.waitFor(() => expect(loadRecord).toHaveBeenCalledTimes(2));
  expect(loadRecord.mock.calls[1]![1].only).toEqual(['Observation']);
  await act(async () => {
    release({
      patient: PATIENT,
      resources: [],
      failures: [],
      statuses: [
        { resourceType: 'Patient', state: 'loaded', count: 1 },
        { resourceType: 'Observation', state: 'loaded', count: 0 },
      ],
    });
  });
  await vi.waitFor(() => expect(container.querySelector('[data-failures]')).toBeNull());
  expect(evaluate).toHaveBeenCalledTimes(2);
  expect(container.textContent).toContain('Retry finished: the whole record loaded.');
  expect(document.activeElement?.classList.contains('summary-wrap')).toBe(true);
  expect(container.querySelector('[data-item="calcium"]')!.getAttribute('data-status')).toBe('abnormal');
});
