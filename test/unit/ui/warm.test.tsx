// @vitest-environment jsdom
/**
 * Warm-up while the searches are in flight (src/app/warm.tsx, issue 4) and the preconnect to the EHR
 * (src/app/preconnect.ts): both must leave no trace — nothing in the document, nothing stored, no
 * state change — and the controller must call the warm-up once, after the searches were issued, in
 * a task of its own, and survive it throwing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOG, evaluate } from '../../../src/clinical/index';
import { warmUp, warmUpInput } from '../../../src/app/warm';
import { preconnectToEhr } from '../../../src/app/preconnect';
import { AppController } from '../../../src/app/controller';
import { SMART_KEY } from '../../../src/smart/session';
import type { LoadedRecord } from '../../../src/smart/types';
import { PATIENT, readyEvaluation } from './fixtures';

afterEach(() => {
  document.head.innerHTML = '';
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

describe('warmUp', () => {
  it('the synthetic record: one dated Observation per catalog item that has a LOINC code, for a synthetic patient', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const input = warmUpInput(CATALOG, now);
    const withLoinc = CATALOG.filter((i) => i.codes.some((c) => c.system === 'loinc'));
    expect(input.resources).toHaveLength(withLoinc.length);
    expect(input.patient.id).toBe('warm-up');
    for (const r of input.resources) {
      expect(r.resourceType).toBe('Observation');
      expect(r).toMatchObject({ status: 'final', subject: { reference: 'Patient/warm-up' }, effectiveDateTime: now.toISOString() });
    }
  });

  it('evaluates every catalog item and renders the panel off-document: the page is left as it was', async () => {
    document.body.innerHTML = '<div id="app">panel</div>';
    const before = document.documentElement.outerHTML;
    const engine = vi.fn(evaluate);
    const evaluation = await warmUp(engine, CATALOG, new Date('2026-06-01T12:00:00Z'));
    expect(engine).toHaveBeenCalledTimes(1);
    expect(evaluation.items).toHaveLength(CATALOG.length);
    expect(document.documentElement.outerHTML).toBe(before);
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });
});

describe('controller and warm-up', () => {
  const record = (): LoadedRecord => ({ patient: PATIENT, resources: [], failures: [], statuses: [{ resourceType: 'Patient', state: 'loaded', count: 1 }] });

  it('warms up once per page, in a task after the searches were issued; a failing warm-up changes nothing', async () => {
    const order: string[] = [];
    let finish: (r: LoadedRecord) => void = () => undefined;
    const warm = vi.fn(() => {
      order.push('warm-up');
      throw new Error('no DOM');
    });
    const c = new AppController({
      completeLaunch: async () => ({}),
      launchContext: () => ({ needPatientBanner: false }),
      loadRecord: vi.fn(() => {
        order.push('searches issued');
        // warmed up in a later task: after anything the current task queued
        queueMicrotask(() => order.push('end of the task that issued them'));
        return new Promise<LoadedRecord>((resolve) => (finish = resolve));
      }),
      mergeRecords: (a) => a,
      evaluate: () => readyEvaluation(),
      observationCodes: [],
      warmUp: warm,
    });
    const started = c.start();
    await vi.waitFor(() => expect(order).toEqual(['searches issued', 'end of the task that issued them', 'warm-up']));
    expect(c.getState().phase).toBe('loading');
    finish(record());
    await started;
    expect(c.getState().phase).toBe('ready');
    c.reload();
    await vi.waitFor(() => expect(c.getState().phase).toBe('loading'));
    finish(record());
    await vi.waitFor(() => expect(c.getState().phase).toBe('ready'));
    await new Promise((r) => setTimeout(r, 5));
    expect(warm).toHaveBeenCalledTimes(1);
  });
});

describe('preconnectToEhr', () => {
  const store = (key: string, state: unknown) => {
    sessionStorage.setItem(SMART_KEY, JSON.stringify(key));
    sessionStorage.setItem(key, JSON.stringify(state));
  };
  const links = () => [...document.head.querySelectorAll('link[rel="preconnect"]')] as HTMLLinkElement[];

  it('hints the FHIR server\u2019s origin (only the origin, anonymous pool) from the launch state of this tab', () => {
    store('k1', { serverUrl: 'https://fhir.example.org/r4/tenant-1/', tokenUri: 'https://auth.example.org/token' });
    expect(preconnectToEhr(document, 'https://app.example.org/')).toBe('https://fhir.example.org');
    expect(links()).toHaveLength(1);
    expect(links()[0]!.href).toBe('https://fhir.example.org/');
    expect(links()[0]!.crossOrigin).toBe('anonymous');
  });

  it('reads the state named by the redirect\u2019s state parameter first', () => {
    sessionStorage.setItem('k2', JSON.stringify({ serverUrl: 'https://ehr.example.com/fhir' }));
    expect(preconnectToEhr(document, 'https://app.example.org/?code=c&state=k2')).toBe('https://ehr.example.com');
  });

  it('no hint, and no error, without a usable launch state', () => {
    expect(preconnectToEhr(document, 'https://app.example.org/')).toBeUndefined();
    store('k3', { serverUrl: 'javascript:alert(1)' });
    expect(preconnectToEhr(document, 'https://app.example.org/')).toBeUndefined();
    store('k4', { serverUrl: 42 });
    expect(preconnectToEhr(document, 'https://app.example.org/')).toBeUndefined();
    sessionStorage.setItem(SMART_KEY, '{not json');
    expect(preconnectToEhr(document, 'https://app.example.org/')).toBeUndefined();
    expect(preconnectToEhr(document, 'https://app.example.org/?state=unknown')).toBeUndefined();
    expect(links()).toHaveLength(0);
  });
});
