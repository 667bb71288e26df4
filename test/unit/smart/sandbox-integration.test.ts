// @vitest-environment jsdom
/**
 * The SMART layer against the real local sandbox (src/sandbox, on 127.0.0.1 with an OS-chosen port),
 * no mocks: the sandbox's /sandbox/launch → the launch page's authorize (real fhirclient, PKCE) →
 * the sandbox's authorize endpoint → completeLaunch() (the app page's session: token exchange) →
 * loadRecord() with the catalog's codes, then the sandbox's fault injection seen through the data layer.
 *
 * jsdom's URL is moved to the sandbox's origin (the sandbox only redirects to its own origin), with
 * vitest's `jsdom.reconfigure`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from '../../sandbox/helpers';
import { freshBrowserApi } from '../../msw/client';
import { authorizeOptions, isLaunchParams, readLaunchParams, sanitisedLaunchUrl } from '../../../src/smart/authorize';
import { readSmartConfig } from '../../../src/smart/config';
import { completeLaunch, launchContext } from '../../../src/smart/launch';
import { loadRecord } from '../../../src/smart/load';
import { searchObservationCodes } from '../../../src/app/codes';
import type { ResourceLoadStatus } from '../../../src/smart/types';

/** Vitest's jsdom instance (no @types/jsdom in the project: just the one method used). */
const dom = (globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } }).jsdom;
const PATIENT = 'scn-hyperpara';
const CODES = searchObservationCodes();
let r: Running;

beforeAll(async () => {
  r = await startSandbox();
}, 60_000);
afterAll(async () => {
  await r?.close();
});
beforeEach(() => sessionStorage.clear());

const state = (statuses: ResourceLoadStatus[], type: string) => statuses.find((s) => s.resourceType === type)!;

/** The whole launch as a browser would run it; returns the session. */
async function launch(query: Record<string, string> = {}) {
  const q = new URLSearchParams({ patient: PATIENT, ...query });
  const res = await fetch(`${r.origin}/sandbox/launch?${q}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  dom.reconfigure({ url: new URL(res.headers.get('location')!, r.origin).href });
  const params = readLaunchParams(location.search, readSmartConfig({}));
  if (!isLaunchParams(params)) throw new Error(params.title);
  history.replaceState(null, '', sanitisedLaunchUrl(location.href, params));
  const authorizeUrl = String(await freshBrowserApi().oauth2.authorize({ ...authorizeOptions(params, readSmartConfig({})), noRedirect: true }));
  expect(new URL(authorizeUrl).origin).toBe(r.origin);
  const approved = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(approved.status).toBe(302);
  dom.reconfigure({ url: new URL(approved.headers.get('location')!, r.origin).href });
  expect(location.pathname).toBe('/');
  return completeLaunch();
}

describe('against the local sandbox', () => {
  it('launches, loads every type in one wave, URL clean, tokens in sessionStorage only', async () => {
    const client = await launch();
    expect(client.patientId).toBe(PATIENT);
    expect(location.search).toBe('');
    expect(localStorage.length).toBe(0);
    expect(launchContext(client).needPatientBanner).toBe(true);
    const t0 = performance.now();
    const result = await loadRecord(client, { observationCodes: CODES });
    if (process.env.SMART_TIMING) process.stdout.write(`load: ${Math.round(performance.now() - t0)} ms, ${result.resources.length} resources, ${CODES.length} codes\n`);
    expect(result.statuses.filter((s) => s.state !== 'loaded')).toEqual([]);
    expect(result.patient.id).toBe(PATIENT);
    expect(state(result.statuses, 'Observation').count).toBeGreaterThan(0);
    expect(result.failures).toEqual([]);
    expect(result.sessionExpired).toBeUndefined();
  });

  it('fault injection: Observation 500 and Condition 403 reported per type, the rest loaded', async () => {
    const client = await launch({ fault: 'Observation:500' });
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'failed', httpStatus: 500 });
    expect(state(result.statuses, 'Patient').state).toBe('loaded');
    expect(result.failures.map((f) => f.resourceType)).toEqual(['Observation']);

    const client2 = await launch({ fault: 'Condition:403' });
    const result2 = await loadRecord(client2, { observationCodes: CODES });
    expect(state(result2.statuses, 'Condition')).toMatchObject({ state: 'forbidden', httpStatus: 403 });
  });

  it('fault injection: a slow type times out on its own', async () => {
    const client = await launch({ slow: 'Procedure:3000' });
    const result = await loadRecord(client, { observationCodes: CODES, timeoutMs: 500 });
    expect(state(result.statuses, 'Procedure').state).toBe('timeout');
    expect(result.statuses.filter((s) => s.state !== 'loaded').map((s) => s.resourceType)).toEqual(['Procedure']);
  });

  it('an access token that expires is refreshed (online_access) and the load completes', async () => {
    const client = await launch({ expires: '1' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(result.statuses.filter((s) => s.state !== 'loaded')).toEqual([]);
  });

  it('no refresh token and an expired token: sessionExpired', async () => {
    const client = await launch({ expires: '1', refresh: 'false' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(result.sessionExpired).toBe(true);
  });
});
