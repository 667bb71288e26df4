/**
 * Accessibility and layout in real Chromium (issue 5): axe-core (WCAG 2 A and AA rules) finds no
 * violation in the ready, partial-failure, loading and error states, nor on the launch page's error;
 * the panel fits a 360 px iframe without horizontal scrolling, and at 1280 px; the Retry control is
 * reachable with the keyboard.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../scenarios/index';
import { describeViolations, launchBrowser, launchUrl, runAxe, waitForSettled, waitForState } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;
const patientId = SCENARIOS[0]?.patientId ?? '';

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function page(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  return { context, page: await context.newPage() };
}

async function expectNoViolations(p: Page, what: string): Promise<void> {
  const v = await runAxe(p);
  expect(v, `${what}:\n${describeViolations(v)}`).toEqual([]);
}

/** Open every <details> so that axe also checks the rows that start collapsed. */
async function expandAll(p: Page): Promise<number> {
  return p.evaluate(() => {
    const ds = Array.from(document.querySelectorAll('details'));
    for (const d of ds) d.open = true;
    return ds.length;
  });
}

describe('axe-core (wcag2a, wcag2aa)', () => {
  it('ready state, with collapsed sections opened too', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(launchUrl(baseURL, patientId));
      expect(await waitForSettled(p, 60_000)).toBe('ready');
      await expectNoViolations(p, 'ready');
      if ((await expandAll(p)) > 0) await expectNoViolations(p, 'ready, details open');
    } finally {
      await context.close();
    }
  });

  it('ready state with a partial failure (banner and Retry)', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(launchUrl(baseURL, patientId, { fault: 'Observation:500' }));
      expect(await waitForSettled(p, 60_000)).toBe('ready');
      await p.waitForSelector('[data-failures]');
      await expectNoViolations(p, 'partial failure');
    } finally {
      await context.close();
    }
  });

  it('loading state (one slow resource type)', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(launchUrl(baseURL, patientId, { slow: 'Observation:6000' }));
      await waitForState(p, 'loading', 20_000);
      await p.waitForSelector('[data-load-state="loaded"]', { timeout: 15_000 });
      expect(await p.getAttribute('[data-state]', 'data-state')).toBe('loading');
      await expectNoViolations(p, 'loading');
      expect(await waitForSettled(p, 60_000)).toBe('ready');
    } finally {
      await context.close();
    }
  });

  it('error state: the app opened without a launch', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(`${baseURL}/`);
      await waitForState(p, 'error', 20_000);
      expect((await p.innerText('body')).length).toBeGreaterThan(40);
      await expectNoViolations(p, 'app error');
    } finally {
      await context.close();
    }
  });

  it('error state: the launch page without iss', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(`${baseURL}/launch/`);
      await waitForState(p, 'error', 20_000);
      expect(await p.innerText('h1')).not.toMatch(/connecting/i);
      await expectNoViolations(p, 'launch error');
    } finally {
      await context.close();
    }
  });
});

describe('layout and keyboard', () => {
  for (const width of [360, 1280]) {
    it(`no horizontal scrolling at ${width} px (ready, details open)`, async () => {
      const { context, page: p } = await page(width);
      try {
        await p.goto(launchUrl(baseURL, patientId, { fault: 'Condition:500' }));
        expect(await waitForSettled(p, 60_000)).toBe('ready');
        await expandAll(p);
        const m = await p.evaluate(() => ({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
        expect(m.scroll, `documentElement.scrollWidth at ${width}`).toBeLessThanOrEqual(width);
        expect(m.body, `body.scrollWidth at ${width}`).toBeLessThanOrEqual(width);
        if (width === 360) await expectNoViolations(p, '360 px');
      } finally {
        await context.close();
      }
    });
  }

  it('Retry is reachable and operable with the keyboard', async () => {
    const { context, page: p } = await page();
    try {
      await p.goto(launchUrl(baseURL, patientId, { fault: 'Observation:500' }));
      expect(await waitForSettled(p, 60_000)).toBe('ready');
      let reached = false;
      for (let i = 0; i < 60 && !reached; i += 1) {
        await p.keyboard.press('Tab');
        reached = await p.evaluate(() => document.activeElement?.getAttribute('data-action') === 'retry');
      }
      expect(reached, 'Tab reaches the Retry button').toBe(true);
      const fhirAgain = p.waitForRequest((r) => new URL(r.url()).pathname.startsWith('/fhir/Observation'), { timeout: 20_000 });
      await p.keyboard.press('Enter');
      await fhirAgain;
    } finally {
      await context.close();
    }
  });
});
