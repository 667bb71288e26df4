/**
 * Trends in Chromium, on the production build through a real SMART launch: the Synthea patient
 * whose eGFR falls from 82 to 22 mL/min/1.73 m² in two months. Each numeric item with two or more
 * results shows an SVG sparkline (data-trend) named by the core's text alternative; its button
 * fetches the larger chart's chunk on first use (not before) and shows the table of values; at
 * 360 px nothing overflows sideways, chart open.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluate, type UnitSystem } from '../../src/clinical/index';
import { trendSeries } from '../../src/clinical/series';
import { launchBrowser, launchUrl, runAxe, waitForSettled } from './browser';
import { readBundleFile, sourcePatient, SYNTHEA_DIR } from './panel';

const baseURL = inject('baseURL');
const PATIENT = 'd5525459-8f3e-4e60-8ed2-5140d165db75';
let browser: Browser;

/** What the core says of this patient today (Synthea files are served as published, evaluated on today's date). */
function expected(units: UnitSystem = 'si') {
  const src = sourcePatient(readBundleFile(join(SYNTHEA_DIR, 'truman-wiegand.json')), PATIENT);
  const ev = evaluate({ patient: src.patient, resources: src.resources, now: new Date() });
  const series = ev.items.map((i) => trendSeries(i, units)).filter((s) => s !== undefined);
  return { ids: series.map((s) => s.itemId).sort(), egfr: series.find((s) => s.itemId === 'egfr')!, calcium: series.find((s) => s.itemId === 'calcium')!.text };
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(width: number): Promise<{ context: BrowserContext; page: Page; scripts: string[]; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(launchUrl(baseURL, PATIENT));
  expect(await waitForSettled(page, 60_000)).toBe('ready');
  return { context, page, scripts, errors };
}

describe('trends in Chromium (Synthea: eGFR 82 → 22 in two months)', () => {
  it('a sparkline for every numeric item with two or more results, named by the core’s words; the chart and its table open on demand', async () => {
    const want = expected();
    const { context, page, scripts, errors } = await open(1280);
    try {
      const ids = await page.$$eval('svg[data-trend]', (els) => els.map((e) => e.getAttribute('data-trend') ?? '').sort());
      expect(ids).toEqual(want.ids);
      const spark = page.locator('svg[data-trend="egfr"]');
      expect(await spark.getAttribute('role')).toBe('img');
      expect(await spark.getAttribute('aria-label')).toBe(want.egfr.text);
      expect(want.egfr.text).toMatch(/^eGFR 130 to 22 mL\/min\/1\.73 m² over \d+ years, falling; 30 results, the previous 82, 2 months before; range ≥ 60/);
      // the accessibility tree names the image with the words
      expect(await page.getByRole('img', { name: want.egfr.text, exact: true }).count()).toBe(1);

      const before = scripts.length;
      await page.getByRole('button', { name: 'Chart and values: eGFR' }).click();
      const table = page.getByRole('table', { name: 'eGFR: every result' });
      await table.waitFor();
      expect(await table.locator('tbody tr').count()).toBe(30);
      expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual([expect.stringMatching(/^25 Jan 2018$/), '22 ▼ low', 'mL/min/1.73 m²', 'reported']);
      expect(await table.locator('tbody td', { hasText: 'calculated (CKD-EPI 2009)' }).count()).toBe(1);
      // the chart's code came after the click, in a chunk of its own
      const lazy = scripts.slice(before);
      expect(lazy.some((p) => /\/assets\/TrendChart-[\w-]+\.js$/.test(p)), `scripts after the click: ${lazy.join(', ')}`).toBe(true);
      expect(scripts.slice(0, before).some((p) => p.includes('TrendChart'))).toBe(false);
      await page.locator('[data-item="egfr"]').screenshot({ path: join('test-results', 'e2e', 'trends-egfr-1280.png') });
      const violations = (await runAxe(page)).filter((v) => v.nodes.some((n) => n.includes('trend')));
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.screenshot({ path: join('test-results', 'e2e', 'trends-1280.png'), fullPage: true }).catch(() => undefined);
      await context.close();
    }
  });

  it('at 360 px: the sparkline and the open chart with its table fit without horizontal scrolling', async () => {
    const { context, page } = await open(360);
    try {
      await page.getByRole('button', { name: 'Chart and values: eGFR' }).click();
      await page.getByRole('table', { name: 'eGFR: every result' }).waitFor();
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);
      await page.locator('[data-item="egfr"]').screenshot({ path: join('test-results', 'e2e', 'trends-egfr-360.png') });
      const box = await page.locator('.trend-chart').boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    } finally {
      await page.screenshot({ path: join('test-results', 'e2e', 'trends-360.png'), fullPage: true }).catch(() => undefined);
      await context.close();
    }
  });

  it('follows the unit system chosen, and prints the words without the button', async () => {
    const { context, page } = await open(1280);
    try {
      const spark = page.locator('svg[data-trend="calcium"]');
      expect(await spark.getAttribute('aria-label')).toBe(expected('si').calcium);
      await page.locator('[data-action="units"][data-units="conventional"]').click();
      await page.waitForFunction((t) => document.querySelector('svg[data-trend="calcium"]')?.getAttribute('aria-label') === t, expected('conventional').calcium);
      expect(expected('conventional').calcium).toMatch(/^Calcium \(total\) [\d.]+ to 8\.6 mg\/dL over \d+ years, /);
      await page.emulateMedia({ media: 'print' });
      const shown = await page.evaluate(() => {
        const trend = document.querySelector('[data-item="egfr"] .trend')!;
        const visible = (el: Element | null) => !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
        return { text: visible(trend.querySelector('.trend-text')) ? trend.querySelector('.trend-text')!.textContent : null, button: visible(trend.querySelector('button')), svg: visible(trend.querySelector('svg')) };
      });
      expect(shown).toEqual({ text: expected('conventional').egfr.text, button: false, svg: true });
    } finally {
      await context.close();
    }
  });
});
