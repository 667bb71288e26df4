/**
 * Security as tests (issue 3), in real Chromium over a whole SMART launch:
 * - every request the browser makes goes to the app's own origin (which is also the sandbox EHR
 *   here): no CDN, font, analytics or any other host;
 * - after the launch the URL carries no `code`, no `state` and no patient id;
 * - localStorage is empty; the tokens are only in sessionStorage (where fhirclient keeps them);
 * - console output contains no patient name or id, in a clean launch and in a failing one.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Browser, ConsoleMessage, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../scenarios/index';
import { REPO_ROOT } from '../budget/build';
import { launchBrowser, launchUrl, waitForSettled } from './browser';
import { patientNames, readBundleFile, SCENARIO_DIR, sourcePatient } from './panel';

const baseURL = inject('baseURL');
const origin = new URL(baseURL).origin;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Observed {
  requests: string[];
  console: string[];
  page: Page;
  close: () => Promise<void>;
}

async function observedLaunch(patientId: string, params: Record<string, string | string[]> = {}): Promise<Observed> {
  const context = await browser.newContext();
  const requests: string[] = [];
  const consoleLines: string[] = [];
  // Context-level: also catches requests of popups, workers and every navigation of the launch.
  context.on('request', (r: Request) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m: ConsoleMessage) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.goto(launchUrl(baseURL, patientId, params));
  expect(await waitForSettled(page, 60_000)).toBe('ready');
  // Let any late request (a lazy chunk, a beacon) happen before we judge.
  await page.waitForTimeout(1_000);
  return { requests, console: consoleLines, page, close: () => context.close() };
}

describe('security in the browser', () => {
  const scenario = SCENARIOS[0];
  if (!scenario) throw new Error('no scenario patients');
  const src = sourcePatient(readBundleFile(isAbsolute(scenario.file) ? scenario.file : join(SCENARIO_DIR, scenario.file)), scenario.patientId);
  const secrets = [scenario.patientId, ...patientNames(src.patient)];

  it('talks to no host but its own origin (= the EHR here), and keeps patient data out of URL, storage and console', async () => {
    const o = await observedLaunch(scenario.patientId);
    try {
      // The launch really happened: launch page, authorize, token, FHIR API.
      const paths = o.requests.map((u) => new URL(u).pathname);
      expect(paths.some((p) => p.startsWith('/launch'))).toBe(true);
      expect(paths.some((p) => p.startsWith('/fhir/Observation'))).toBe(true);
      expect(o.requests.length).toBeGreaterThan(5);
      const foreign = o.requests.filter((u) => {
        const url = new URL(u);
        if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
        return url.origin !== origin;
      });
      expect(foreign, `requests to other hosts:\n${foreign.join('\n')}`).toEqual([]);
      // The list itself, for review (paths only: the launch URL's query names the sandbox patient).
      const dir = join(REPO_ROOT, 'test-results', 'e2e');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'security-requests.txt'), `${o.requests.map((u) => { const x = new URL(u); return `${x.origin}${x.pathname}`; }).join('\n')}\n`);

      const url = new URL(o.page.url());
      expect(url.origin).toBe(origin);
      expect(url.searchParams.has('code')).toBe(false);
      expect(url.searchParams.has('state')).toBe(false);
      expect(o.page.url()).not.toContain(scenario.patientId);

      const storage = await o.page.evaluate(() => {
        const dump = (s: Storage) => Array.from({ length: s.length }, (_, i) => s.key(i) ?? '').map((k) => [k, s.getItem(k) ?? '']);
        return { local: dump(localStorage), session: dump(sessionStorage) };
      });
      expect(storage.local, 'localStorage').toEqual([]);
      const sessionText = storage.session.map(([k, v]) => `${k}=${v}`).join('\n');
      expect(sessionText, 'fhirclient keeps the token in sessionStorage').toContain('access_token');
      const cookies = await o.page.context().cookies();
      expect(cookies.filter((c) => /token|access/i.test(`${c.name}=${c.value}`)), 'no token in cookies').toEqual([]);
      expect(await o.page.evaluate(() => document.cookie), 'no cookie readable by the app').toBe('');

      const leaks = o.console.filter((line) => secrets.some((s) => line.includes(s)));
      expect(leaks, 'console lines naming the patient').toEqual([]);
    } finally {
      await o.close();
    }
  });

  it('a failing launch (Observation 500, Condition 403) logs no patient data either', async () => {
    const o = await observedLaunch(scenario.patientId, { fault: ['Observation:500', 'Condition:403'] });
    try {
      const leaks = o.console.filter((line) => secrets.some((s) => line.includes(s)));
      expect(leaks, 'console lines naming the patient').toEqual([]);
      const foreign = o.requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
      expect(foreign).toEqual([]);
      expect(await o.page.evaluate(() => localStorage.length)).toBe(0);
    } finally {
      await o.close();
    }
  });
});
