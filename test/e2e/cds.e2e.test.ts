/**
 * The sandbox as a CDS client, in Chromium (issue 12): the home page shows each patient's
 * patient-view card; the card's link launches the app through a real EHR launch to the ready panel
 * for that patient; the Order-select button lists the suggested orders; the home page fits 360 px
 * without horizontal scrolling and passes axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeViolations, launchBrowser, runAxe, waitForSettled } from './browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function home(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${baseURL}/sandbox/`, { timeout: 60_000 });
  return { context, page };
}

describe('the sandbox as a CDS client', () => {
  it('shows the card the service returns for a patient the workup concerns, "no card" for the others', async () => {
    const { context, page } = await home();
    try {
      const card = page.locator('[data-cds-card="scn-hyperpara"]');
      await expect(card.locator('.cds-summary').innerText()).resolves.toMatch(/Warning\s+Nephrocalcinosis workup: 1 of 24 investigations missing, 6 abnormal results, 3 findings to consider/);
      await expect(page.locator('[data-cds-card="scn-msk"] .cds-summary').innerText()).resolves.toMatch(/^Warning\s+Nephrocalcinosis workup: \d+ of \d+ investigations missing/);
      // The heavy patient's imaging names nephrocalcinosis: a card, from a full prefetch of 14,548 Observations.
      await expect(page.locator('[data-cds-card="heavy-patient"] .cds-summary').count()).resolves.toBe(1);
      expect(await page.locator('[data-cds-card="none"]').count()).toBeGreaterThanOrEqual(3);
      expect(await page.locator('.cds-error').count()).toBe(0);
      await card.locator('summary').click();
      await expect(card.locator('.cds-detail').innerText()).resolves.toMatch(/Findings to consider[\s\S]*To complete/);
    } finally {
      await context.close();
    }
  });

  it("the card's link launches the app for that patient, to the ready panel", async () => {
    const { context, page } = await home();
    try {
      const launches: string[] = [];
      context.on('request', (r) => {
        if (r.isNavigationRequest()) launches.push(new URL(r.url()).pathname);
      });
      await page.locator('[data-cds-card="scn-hyperpara"] a.cds-link').click();
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      expect(launches).toEqual(expect.arrayContaining(['/sandbox/cds/launch', '/launch/', '/sandbox/auth/authorize', '/']));
      // The panel is this patient's: the same counts as the card.
      await expect(page.locator('main').innerText()).resolves.toMatch(/PTH|Parathyroid/);
    } finally {
      await context.close();
    }
  });

  it('Order-select runs order-select with an empty draft and lists the suggestions', async () => {
    const { context, page } = await home();
    try {
      await page.locator('button[formaction="/sandbox/cds/orders"][value="scn-drta-child"]').click();
      await page.waitForSelector('.cds-suggestions');
      const items = await page.locator('.cds-suggestions li').allInnerTexts();
      expect(items).toHaveLength(6);
      expect(items[0]).toMatch(/^Add draft order: Urine microscopy \(http:\/\/loinc\.org /);
      await expect(page.locator('h2').first().innerText()).resolves.toBe('Suggestions (any)');
    } finally {
      await context.close();
    }
  });

  it('the home page: no horizontal scrolling at 360 px, and no axe violation', async () => {
    const { context, page } = await home(360);
    try {
      await page.locator('[data-cds-card="scn-hyperpara"] summary').click();
      const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
      expect(m.scroll).toBeLessThanOrEqual(360);
      expect(m.body).toBeLessThanOrEqual(360);
      await page.screenshot({ path: 'test-results/e2e/sandbox-home-360.png', fullPage: false });
      const v = await runAxe(page);
      expect(v, describeViolations(v)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
