/**
 * Fault launches through the sandbox's fault injection (per launch: the token carries the faults, so
 * other launches are unaffected). Issue 3: the panel shows what loaded, marks what could not be
 * checked as `unknown` with the reason, offers Retry, never spins forever and never turns a failure
 * into `missing` or `normal`. Each case is also compared with the engine's own answer for the same
 * data and the same failure, so the browser shows exactly what the engine decided.
 */
import { isAbsolute, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import type { Evaluation, LoadFailure } from '../../src/clinical/model';
import { SCENARIO_REFERENCE_DATE, SCENARIOS } from '../scenarios/index';
import { launchBrowser, launchUrl, waitForSettled, waitForState } from './browser';
import { readBundleFile, readPanel, SCENARIO_DIR, sourcePatient, viewOf, type SourcePatient } from './panel';

const baseURL = inject('baseURL');
let browser: Browser;

// The scenario with the most Observations: the one where losing them matters most.
const scenarioFiles = SCENARIOS.map((s) => {
  const resources = readBundleFile(isAbsolute(s.file) ? s.file : join(SCENARIO_DIR, s.file));
  return { s, src: sourcePatient(resources, s.patientId), obs: resources.filter((r) => r.resourceType === 'Observation').length };
}).sort((a, b) => b.obs - a.obs);
const subject = scenarioFiles[0];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * What the engine computes when the data layer got nothing of the failed types: those resources are
 * left out (the EHR never sent them) and the failures are passed on, as the app does.
 */
function engine(src: SourcePatient, failures: LoadFailure[]): Evaluation {
  const failed = new Set<string>(failures.map((f) => f.resourceType));
  const resources = src.resources.filter((r) => !failed.has(r.resourceType));
  return evaluate({ patient: src.patient, resources, now: SCENARIO_REFERENCE_DATE, failures });
}

async function open(params: Record<string, string | string[]>): Promise<{ context: BrowserContext; page: Page; fhir: string[] }> {
  if (!subject) throw new Error('no scenario patient');
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const fhir: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/fhir/')) fhir.push(u.pathname + u.search);
  });
  await page.goto(launchUrl(baseURL, subject.s.patientId, params));
  return { context, page, fhir };
}

describe('fault injection through the sandbox', () => {
  it('has a scenario patient with Observations', () => {
    expect(subject?.obs ?? 0).toBeGreaterThan(0);
  });

  it('Observation answering 500: lab rows are unknown (never missing or normal), banner and Retry shown', async () => {
    const { context, page, fhir } = await open({ fault: 'Observation:500' });
    try {
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      const view = await readPanel(page);
      const failure: LoadFailure = { resourceType: 'Observation', kind: 'failed', httpStatus: 500, message: 'Internal error' };
      const expected = engine(subject!.src, [failure]);
      expect(view).toEqual(viewOf(expected));
      // Every blood and urine item lives in Observations: none may read missing or normal.
      const labItems = expected.items.filter((i) => i.group === 'blood' || i.group === 'urine').map((i) => i.id);
      expect(labItems.length).toBeGreaterThan(5);
      for (const id of labItems) {
        expect(view.rows[id]?.status, id).not.toBe('missing');
        expect(view.rows[id]?.status, id).not.toBe('normal');
      }
      expect(labItems.filter((id) => view.rows[id]?.status === 'unknown').length).toBeGreaterThan(0);
      const banner = page.locator('[data-failures]');
      await expect.poll(() => banner.isVisible()).toBe(true);
      expect(await banner.innerText()).toMatch(/observation|test result|lab/i);
      const retry = page.locator('button[data-action="retry"]');
      expect(await retry.isVisible()).toBe(true);
      // Retry asks the EHR again (the fault is still injected, so the panel stays honest).
      const before = fhir.filter((u) => u.startsWith('/fhir/Observation')).length;
      await retry.click();
      await expect.poll(() => fhir.filter((u) => u.startsWith('/fhir/Observation')).length, { timeout: 20_000 }).toBeGreaterThan(before);
      await expect.poll(async () => (await readPanel(page)).rows[labItems[0]!]?.status, { timeout: 20_000 }).toBe('unknown');
      expect(await page.locator('[data-failures]').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('Condition answering 403: the panel is ready, says conditions were not permitted, labs unaffected', async () => {
    const { context, page } = await open({ fault: 'Condition:403' });
    try {
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      const view = await readPanel(page);
      const expected = engine(subject!.src, [{ resourceType: 'Condition', kind: 'forbidden', httpStatus: 403, message: 'Forbidden' }]);
      expect(view).toEqual(viewOf(expected));
      // The lab rows are what they are without the failure: a forbidden problem list does not blank them.
      const clean = viewOf(engine(subject!.src, []));
      for (const i of expected.items.filter((x) => x.group === 'blood')) expect(view.rows[i.id], i.id).toEqual(clean.rows[i.id]);
      const banner = page.locator('[data-failures]');
      expect(await banner.isVisible()).toBe(true);
      expect(await banner.innerText()).toMatch(/condition|problem/i);
      expect(await page.locator('button[data-action="retry"]').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('a slow resource type: progress per type while loading, then the full panel', async () => {
    const { context, page } = await open({ slow: 'Observation:4000' });
    try {
      await waitForState(page, 'loading', 20_000);
      // Progress is visible and names the type still pending while the others have loaded.
      await page.waitForSelector('[data-resource="Observation"][data-load-state="pending"]', { timeout: 15_000 });
      await page.waitForSelector('[data-load-state="loaded"]', { timeout: 15_000 });
      expect(await page.locator('progress').count()).toBeGreaterThan(0);
      expect(await page.locator('[role="status"]').first().innerText()).toMatch(/loaded|loading|connecting/i);
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      expect(await readPanel(page)).toEqual(viewOf(engine(subject!.src, [])));
      expect(await page.locator('[data-failures]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('a next link that loops never leaves the panel spinning: ready, banner, nothing missing', async () => {
    const { context, page } = await open({ fault: 'Observation:loop' });
    try {
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      const view = await readPanel(page);
      const labItems = engine(subject!.src, []).items.filter((x) => x.group === 'blood' || x.group === 'urine');
      for (const i of labItems) expect(view.rows[i.id]?.status, i.id).not.toBe('missing');
      expect(await page.locator('[data-failures]').isVisible()).toBe(true);
      expect(await page.locator('button[data-action="retry"]').isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });

  // When a type's load fails part-way (here: the first page arrived, then the next link looped),
  // src/smart/load.ts passes the resources that arrived together with the failure, and the engine
  // (src/clinical/status.ts, step 1) shows them without calling any of them normal (issue 3: a
  // newer abnormal result may sit on the page that was not read).
  it('a partly loaded type (next link loops) shows no row as normal', async () => {
    const { context, page } = await open({ fault: 'Observation:loop' });
    try {
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      const view = await readPanel(page);
      const labItems = engine(subject!.src, []).items.filter((x) => x.group === 'blood' || x.group === 'urine');
      for (const i of labItems) expect(view.rows[i.id]?.status, i.id).not.toBe('normal');
    } finally {
      await context.close();
    }
  });
});
