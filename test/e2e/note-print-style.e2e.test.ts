/**
 * Copy to note, print and the EHR's look in real Chromium, on the primary hyperparathyroidism
 * scenario launched through the sandbox:
 *  - the sandbox's smart_style_url is applied: the body's computed colours and font are the EHR's;
 *  - "Copy to note" puts the core's note on the clipboard (the permission granted, as an EHR that
 *    allows clipboard-write does): the findings and to-do lines, no patient name or birth date;
 *  - in a frame that does not allow clipboard-write, the text is shown selected
 *    in a box to copy by hand;
 *  - printed (page.pdf, A4), the panel fits on 2 pages, with the patient's name, birth date and the
 *    evaluation date on top even when the EHR hides the banner, and no control on paper.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import { formatNote } from '../../src/clinical/note';
import { REPO_ROOT } from '../budget/build';
import { SCENARIO_REFERENCE_DATE } from '../scenarios/index';
import { launchBrowser, launchUrl, waitForSettled } from './browser';
import { patientNames, readBundleFile, sandboxSiteCodes, SCENARIO_DIR, sourcePatient } from './panel';

const baseURL = inject('baseURL');
const PATIENT = 'scn-hyperpara';
const source = sourcePatient(readBundleFile(join(SCENARIO_DIR, 'primary-hyperparathyroidism.json')), PATIENT);
const SHOTS = join(REPO_ROOT, 'test-results', 'e2e');
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(options: Parameters<Browser['newContext']>[0] = {}, params: Record<string, string> = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  await page.goto(launchUrl(baseURL, PATIENT, params));
  expect(await waitForSettled(page, 60_000)).toBe('ready');
  return { context, page };
}

/** Dates as the panel writes them ("12 May 2026"): the sandbox re-dates the scenario to today. */
const undated = (s: string): string => s.replace(/\b\d{1,2} [A-Z][a-z]{2} \d{4}\b/g, '<date>');

describe('the EHR look (smart_style_url)', () => {
  it("applies the sandbox's style document: the body's colours and font are the EHR's", async () => {
    const { context, page } = await open();
    try {
      await page.waitForFunction(() => getComputedStyle(document.body).backgroundColor === 'rgb(246, 247, 249)', undefined, { timeout: 10_000 });
      const look = await page.evaluate(() => {
        const body = getComputedStyle(document.body);
        const root = document.documentElement.style;
        return {
          color: body.color,
          font: body.fontFamily,
          radius: getComputedStyle(document.querySelector('[data-action="copy-note"]')!).borderTopLeftRadius,
          props: Array.from({ length: root.length }, (_, i) => root.item(i)).sort(),
        };
      });
      expect(look.color).toBe('rgb(27, 31, 36)');
      expect(look.font).toBe('system-ui, -apple-system, "Segoe UI", Roboto, sans-serif');
      expect(look.radius).toBe('4px');
      expect(look.props).toContain('--ehr-color-background');
      expect(look.props).toContain('--ehr-font-family-heading');
      expect(look.props.every((p) => p.startsWith('--ehr-'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('copy to note', () => {
  it('puts the core note on the clipboard: findings and to-do lines, no patient name', async () => {
    const { context, page } = await open({ permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      await page.click('[data-action="copy-note"]');
      await page.waitForSelector('[data-copy-status="copied"]');
      expect(await page.textContent('[data-copy-status]')).toBe('Copied');
      const text = await page.evaluate(() => navigator.clipboard.readText());
      const expected = formatNote(evaluate({ ...source, now: SCENARIO_REFERENCE_DATE, siteCodes: sandboxSiteCodes() }));
      expect(undated(text)).toBe(undated(expected));
      expect(text).toContain('\nFindings to consider:\n- Calcium is high');
      expect(text).toContain('\nTo complete the workup:\n- CT abdomen / kidneys: missing.');
      for (const name of patientNames(source.patient)) expect(text).not.toContain(name);
      const born = /Born (\d{1,2} [A-Z][a-z]{2} \d{4})/.exec((await page.textContent('[data-patient-banner]')) ?? '')?.[1];
      expect(born).toBeDefined();
      expect(text).not.toContain(born!);
      expect(text).not.toContain(PATIENT);
      expect(await page.locator('[data-copy-text]').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('shows the text selected, to copy by hand, where the frame may not write the clipboard', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      // The EHR's frame does not allow clipboard-write (permissions policy). The frame is on the app's
      // origin here: a frame of another site gets no sessionStorage in a fresh headless context (third-
      // party storage blocked), so the launch itself could not run in it.
      const page = await context.newPage();
      await page.goto(`${baseURL}/sandbox/patients.json`);
      await page.setContent(`<iframe title="app" allow="clipboard-write 'none'" src="${launchUrl(baseURL, PATIENT)}" width="1200" height="850"></iframe>`);
      const frame = page.frameLocator('iframe');
      await frame.locator('[data-state="ready"]').waitFor({ state: 'attached', timeout: 60_000 });
      await frame.locator('[data-action="copy-note"]').click();
      const box = frame.locator('[data-copy-text]');
      await box.waitFor();
      expect(await frame.locator('[data-copy-status]').getAttribute('data-copy-status')).toBe('manual');
      expect(await frame.locator('.copy-manual').textContent()).toMatch(/copy \(Ctrl\+C/i);
      const state = await box.evaluate((el: HTMLTextAreaElement) => ({
        readOnly: el.readOnly,
        focused: document.activeElement === el,
        selected: el.value.slice(el.selectionStart, el.selectionEnd),
        value: el.value,
      }));
      expect(state.readOnly).toBe(true);
      expect(state.focused).toBe(true);
      expect(state.selected).toBe(state.value);
      expect(state.value).toContain('To complete the workup:');
      for (const name of patientNames(source.patient)) expect(state.value).not.toContain(name);
    } finally {
      await context.close();
    }
  });
});

/** Pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree nodes). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

describe('print', () => {
  it('fits the primary hyperparathyroidism scenario on 2 A4 pages, who and when on top, no controls', async () => {
    // The EHR hides the app's banner: the printed page still says whose it is.
    const { context, page } = await open({}, { need_patient_banner: 'false' });
    try {
      expect(await page.locator('[data-patient-banner]').count()).toBe(0);
      await page.emulateMedia({ media: 'print' });
      const header = page.locator('[data-print-header]');
      expect(await header.isVisible()).toBe(true);
      const names = patientNames(source.patient);
      const headerText = (await header.textContent()) ?? '';
      for (const n of names) expect(headerText).toContain(n);
      expect(headerText).toMatch(/Born \d{1,2} [A-Z][a-z]{2} \d{4}/);
      expect(headerText).toMatch(/Evaluated on \d{1,2} [A-Z][a-z]{2} \d{4}/);
      const visibleControls = await page.evaluate(
        () => Array.from(document.querySelectorAll('button, [data-action], textarea')).filter((el) => (el as HTMLElement).offsetParent !== null).length,
      );
      expect(visibleControls).toBe(0);
      // The findings and the rows are on paper.
      expect(await page.locator('[data-finding]').first().isVisible()).toBe(true);
      expect(await page.locator('[data-item="adjusted-calcium"]').isVisible()).toBe(true);
      // Every row in full on paper: a normal row's range is shown only in full rows.
      const range = page.locator('[data-item="albumin"] .c-range');
      expect(((await range.textContent()) ?? '').trim()).toBe('');
      await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
      await page.waitForFunction(() => (document.querySelector('[data-item="albumin"] .c-range')?.textContent ?? '').trim() !== '');
      await page.evaluate(() => dispatchEvent(new Event('afterprint')));
      await page.waitForFunction(() => (document.querySelector('[data-item="albumin"] .c-range')?.textContent ?? '').trim() === '');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      writeFileSync(join(SHOTS, 'print-primary-hyperparathyroidism.pdf'), pdf);
      const pages = pdfPages(pdf);
      console.info(`[print] primary hyperparathyroidism: ${pages} A4 pages`);
      expect(pages).toBeGreaterThan(0);
      expect(pages).toBeLessThanOrEqual(2);
    } finally {
      await context.close();
    }
  });
});
