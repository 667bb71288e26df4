/**
 * The SMART App Launcher path (issue 12), in Chromium, with no network: the launcher's origin
 * (https://launch.smarthealthit.org) is answered by route interception — a stand-in of its
 * discovery document, authorize endpoint, token endpoint and FHIR server. Interception happens
 * after the page's Content-Security-Policy has let a request go, so these tests see what the CSP of
 * each server allows.
 * - `npm start` (the development server, shipped configuration): the launch goes through and the app
 *   reaches the ready panel on the launcher's FHIR server.
 * - The production build without the launcher in VITE_CSP_CONNECT_SRC (the e2e build): the launch
 *   page says it is a configuration problem and names the setting, and nothing is sent to the
 *   launcher.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../budget/build';
import { launchBrowser, waitForSettled } from './browser';
import { freePort, startPreview, type PreviewServer } from './server';

const baseURL = inject('baseURL');
const LAUNCHER = 'https://launch.smarthealthit.org';
const SIM = `${LAUNCHER}/v/r4/sim/eyJrIjoiMSIsImIiOiJwMSJ9`;
const ISS = `${SIM}/fhir`;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A stand-in for the launcher: discovery, authorize (approves at once), token, a small FHIR server. */
async function standInLauncher(context: BrowserContext, seen: string[]): Promise<void> {
  const json = (route: Route, body: unknown) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify(body) });
  await context.route(`${LAUNCHER}/**`, async (route) => {
    const url = new URL(route.request().url());
    seen.push(url.pathname.replace(SIM.slice(LAUNCHER.length), '<sim>'));
    if (route.request().method() === 'OPTIONS') {
      return route.fulfill({ status: 204, headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET, POST' } });
    }
    if (url.pathname.endsWith('/.well-known/smart-configuration')) {
      return json(route, {
        authorization_endpoint: `${SIM}/auth/authorize`,
        token_endpoint: `${SIM}/auth/token`,
        code_challenge_methods_supported: ['S256'],
        capabilities: ['launch-ehr', 'client-public', 'context-ehr-patient'],
      });
    }
    if (url.pathname.endsWith('/auth/authorize')) {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'stand-in-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      return route.fulfill({ status: 302, headers: { location: back.href } });
    }
    if (url.pathname.endsWith('/auth/token')) {
      return json(route, { access_token: 'stand-in-token', token_type: 'Bearer', expires_in: 3600, scope: 'launch patient/*.read', patient: 'p1', need_patient_banner: true });
    }
    if (url.pathname.endsWith('/fhir/Patient/p1')) return json(route, { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1970-01-01', name: [{ family: 'Launcher', given: ['Pat'] }] });
    return json(route, { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] });
  });
}

describe('npm start and the SMART App Launcher', () => {
  let dev: PreviewServer | undefined;
  beforeAll(async () => {
    const resultsDir = join(REPO_ROOT, 'test-results');
    mkdirSync(resultsDir, { recursive: true });
    dev = await startPreview({ dev: true, port: await freePort(5187, 5189), outDir: '', logFile: join(resultsDir, 'e2e-dev-server.log'), env: { VITE_CSP_CONNECT_SRC: '' } });
  }, 120_000);
  afterAll(async () => {
    await dev?.stop();
  });

  it('the shipped configuration lets a launcher launch through to the ready panel', async () => {
    const context = await browser.newContext();
    const seen: string[] = [];
    await standInLauncher(context, seen);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    try {
      await page.goto(`${dev!.url}/launch/?iss=${encodeURIComponent(ISS)}&launch=stand-in-launch`);
      expect(await waitForSettled(page, 90_000)).toBe('ready');
      expect(violations).toEqual([]);
      expect(seen).toEqual(expect.arrayContaining(['<sim>/fhir/.well-known/smart-configuration', '<sim>/auth/authorize', '<sim>/auth/token', '<sim>/fhir/Patient/p1']));
    } finally {
      await context.close();
    }
  });
});

describe('a production build without the EHR in VITE_CSP_CONNECT_SRC', () => {
  it('the launch page names the setting as a configuration problem, and sends nothing to the EHR', async () => {
    const context = await browser.newContext();
    const seen: string[] = [];
    await standInLauncher(context, seen);
    const page = await context.newPage();
    try {
      await page.goto(`${baseURL}/launch/?iss=${encodeURIComponent(ISS)}&launch=stand-in-launch`);
      await page.waitForSelector('#launch[data-state="error"]');
      const text = await page.innerText('#launch');
      expect(text).toMatch(/The app is not set up to connect to this EHR/);
      expect(text).toMatch(/add https:\/\/launch\.smarthealthit\.org to VITE_CSP_CONNECT_SRC/);
      expect(text).toMatch(/not a network failure/);
      expect(text).not.toMatch(/could not be reached|check the network/i);
      expect(seen).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
