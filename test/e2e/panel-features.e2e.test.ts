/**
 * The panel a clinician acts on, in real Chromium through the sandbox:
 *  - the to-do list of the primary hyperparathyroidism scenario is the engine's, entry for entry;
 *  - at 360 px that panel is at most 2,500 px tall, and neither the panel (compact, or every row in
 *    full) nor the sandbox home page scrolls sideways;
 *  - no scenario's ready panel shows a resource reference, a UCUM bracket, a long float or an ISO
 *    date in its visible text, compact or with every row in full;
 *  - focus is on the panel's heading once it is ready, and the live region says the summary;
 *  - the units toggle shows calcium in mg/dL and is remembered across a reload;
 *  - the colour contrast axe cannot decide ("incomplete") is computed here and meets WCAG AA;
 *  - what a one-line row leaves out on screen is on paper (the panel renders every row in full
 *    when the browser is about to print).
 */
import { isAbsolute, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { evaluate } from '../../src/clinical/index';
import { SCENARIO_REFERENCE_DATE, SCENARIOS } from '../scenarios/index';
import { launchBrowser, launchUrl, waitForSettled } from './browser';
import { readBundleFile, sandboxSiteCodes, SCENARIO_DIR, sourcePatient } from './panel';

const baseURL = inject('baseURL');
const HYPERPARA = SCENARIOS.find((s) => s.id === 'primary-hyperparathyroidism')!;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(patientId: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  await page.goto(launchUrl(baseURL, patientId));
  expect(await waitForSettled(page, 60_000)).toBe('ready');
  return { context, page };
}

function engineOf(s: (typeof SCENARIOS)[number]) {
  const src = sourcePatient(readBundleFile(isAbsolute(s.file) ? s.file : join(SCENARIO_DIR, s.file)), s.patientId);
  return evaluate({ patient: src.patient, resources: src.resources, now: SCENARIO_REFERENCE_DATE, siteCodes: sandboxSiteCodes() });
}

async function showAll(page: Page): Promise<void> {
  await page.click('[data-action="show-all"]');
  await page.waitForSelector('[data-action="show-all"][aria-expanded="true"]');
}

const sideways = (page: Page) => page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: innerWidth }));

describe('To complete the workup', () => {
  it('hyperparathyroidism: the entries are the engine\'s, in its order, with their status', async () => {
    const expected = engineOf(HYPERPARA).todo;
    expect(expected.length).toBeGreaterThan(0);
    const { context, page } = await open(HYPERPARA.patientId);
    try {
      const entries = await page.$$eval('[data-todo]', (els) => els.map((e) => [e.getAttribute('data-todo'), e.getAttribute('data-todo-status'), (e as HTMLElement).innerText]));
      expect(entries.map(([id, status]) => [id, status])).toEqual(expected.map((t) => [t.id, t.status]));
      for (const [i, t] of expected.entries()) {
        expect(entries[i]![2]).toContain(t.label);
        if (t.why) expect(entries[i]![2]).toContain(t.why);
      }
      // right under the summary line
      expect(await page.evaluate(() => document.querySelector('.summary-wrap')!.nextElementSibling!.hasAttribute('data-todo-list'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('360 px', () => {
  it('hyperparathyroidism: at most 2,500 px tall, no sideways scrolling, compact or in full', async () => {
    const { context, page } = await open(HYPERPARA.patientId, 360);
    try {
      const height = await page.evaluate(() => document.scrollingElement!.scrollHeight);
      console.info(`[panel] hyperparathyroidism scenario at 360 px: ${height} px tall`);
      expect(height).toBeLessThanOrEqual(2500);
      let m = await sideways(page);
      expect(m.scroll).toBeLessThanOrEqual(m.inner);
      await showAll(page);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      m = await sideways(page);
      expect(m.scroll, 'every row in full').toBeLessThanOrEqual(m.inner);
    } finally {
      await context.close();
    }
  });

  it('the sandbox home page does not scroll sideways', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(`${baseURL}/sandbox/`);
      await page.waitForSelector('table');
      const m = await sideways(page);
      expect(m.scroll).toBeLessThanOrEqual(m.inner);
    } finally {
      await context.close();
    }
  });
});

/** What a person reads must not carry the record's machinery. */
const TECHNICAL: [string, RegExp][] = [
  ['a resource reference', /\b(?:Observation|ServiceRequest|DiagnosticReport|Condition|MedicationRequest|MedicationStatement|ImagingStudy|Procedure|Patient)\/[A-Za-z0-9.-]+/],
  ['a UCUM bracket', /[[\]{}]|\/\(/],
  ['a long float', /\d+\.\d{4,}/],
  ['an ISO date', /\b\d{4}-\d{2}-\d{2}/],
];

function technical(text: string): string[] {
  return TECHNICAL.flatMap(([what, re]) => {
    const m = re.exec(text);
    return m ? [`${what}: …${text.slice(Math.max(0, m.index - 40), m.index + 40)}…`] : [];
  });
}

describe('clean clinical text in every scenario', () => {
  for (const s of SCENARIOS) {
    it(`${s.id}: no ids, UCUM brackets, long floats or ISO dates, compact or in full`, async () => {
      const { context, page } = await open(s.patientId);
      try {
        expect(technical(await page.innerText('main')), 'compact').toEqual([]);
        await showAll(page);
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        await page.waitForTimeout(50);
        expect(technical(await page.innerText('main')), 'every row in full').toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

describe('paper', () => {
  it('a one-line row on screen is printed in full: its range and derivation are on paper', async () => {
    const { context, page } = await open(HYPERPARA.patientId);
    try {
      const range = page.locator('[data-item="albumin"] .range');
      const derivation = page.locator('[data-item="egfr"] .derivation');
      expect(await range.isVisible()).toBe(false);
      expect(await derivation.isVisible()).toBe(false);
      // as the browser does before it prints (the print dialog, Ctrl+P, a PDF export)
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      await page.emulateMedia({ media: 'print' });
      expect(await range.isVisible()).toBe(true);
      expect(await derivation.isVisible()).toBe(true);
      expect(await page.locator('[data-controls]').isVisible()).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe('keyboard and screen readers', () => {
  it('focus is on the heading once the panel is ready; the live region says the summary', async () => {
    const { context, page } = await open(HYPERPARA.patientId);
    try {
      await page.waitForFunction(() => document.activeElement?.id === 'app-title');
      const summary = await page.innerText('[data-summary]');
      await page.waitForFunction((text) => Array.from(document.querySelectorAll('[role="status"]')).some((s) => s.textContent?.includes(text)), summary);
      // Tab from the heading reaches the panel's controls, each with a name
      const names: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        await page.keyboard.press('Tab');
        names.push(await page.evaluate(() => `${document.activeElement?.getAttribute('data-action') ?? ''}:${(document.activeElement as HTMLElement | null)?.innerText.trim() ?? ''}`));
      }
      for (const action of ['copy-note', 'show-all', 'units']) expect(names.some((n) => n.startsWith(`${action}:`) && n.length > action.length + 2), action).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('the colour contrast axe leaves incomplete meets WCAG AA when computed', async () => {
    const { context, page } = await open(HYPERPARA.patientId, 360);
    try {
      await showAll(page);
      const { runAxe } = await import('./browser');
      await runAxe(page); // injects axe
      const incomplete = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ incomplete: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
        const r = await axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] }, resultTypes: ['incomplete'] });
        return r.incomplete.flatMap((v) => v.nodes.map((n) => n.target.join(' ')));
      });
      console.info(`[panel] colour contrast axe could not decide: ${incomplete.length} element(s)`);
      const ratios = await page.evaluate((selectors) => {
        const rgb = (c: string): number[] | undefined => {
          const m = /rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)/.exec(c);
          return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : undefined;
        };
        const lum = ([r, g, b]: number[]) =>
          [r!, g!, b!].map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; }).reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i]!, 0);
        /** The first opaque background at or above the element (the page's own when none). */
        const background = (el: Element | null): number[] => {
          for (let e = el; e; e = e.parentElement) {
            const c = rgb(getComputedStyle(e).backgroundColor);
            if (c && c[3]! >= 1) return c;
          }
          return [255, 255, 255, 1];
        };
        return selectors.map((sel) => {
          const el = document.querySelector(sel)!;
          const fg = rgb(getComputedStyle(el).color)!;
          const bg = background(el);
          const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
          const size = parseFloat(getComputedStyle(el).fontSize);
          const bold = Number(getComputedStyle(el).fontWeight) >= 700;
          return { sel, ratio: (a! + 0.05) / (b! + 0.05), large: size >= 24 || (bold && size >= 18.66) };
        });
      }, incomplete);
      for (const r of ratios) expect(r.ratio, r.sel).toBeGreaterThanOrEqual(r.large ? 3 : 4.5);
    } finally {
      await context.close();
    }
  });
});

describe('units', () => {
  it('the toggle shows calcium in mg/dL and is remembered across a reload', async () => {
    const { context, page } = await open(HYPERPARA.patientId);
    try {
      const calcium = () => page.innerText('[data-item="calcium"] .value');
      expect(await calcium()).toMatch(/^\d\.\d{2} mmol\/L$/);
      await page.click('[data-action="units"][data-units="conventional"]');
      expect(await page.getAttribute('[data-units="conventional"]', 'aria-pressed')).toBe('true');
      expect(await calcium()).toMatch(/^\d{1,2}\.\d mg\/dL$/);
      expect(await page.innerText('[data-item="calcium"] .c-range')).toMatch(/^\d+\.\d–\d+\.\d mg\/dL · /);
      // only the choice is stored
      expect(await page.evaluate(() => ({ ...localStorage }))).toEqual({ 'nephrocalcinosis-workup.units': 'conventional' });
      await page.reload();
      expect(await waitForSettled(page, 60_000)).toBe('ready');
      await page.waitForSelector('[data-item="calcium"] .value');
      expect(await calcium()).toMatch(/mg\/dL$/);
      expect(await page.getAttribute('[data-units="conventional"]', 'aria-pressed')).toBe('true');
    } finally {
      await context.close();
    }
  });
});
