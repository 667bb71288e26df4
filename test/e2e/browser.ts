/**
 * Headless Chromium (Debian's package at /usr/bin/chromium) driven by playwright-core, and helpers the
 * e2e tests and the benchmark share: a launch through the sandbox, the panel's state, axe-core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium tries to reach Google's hosts at every start,
// which this machine's closed network refuses (and which would pollute the request list).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export type PanelState = 'loading' | 'ready' | 'error';

/** The sandbox launch URL for a patient, with optional fault-injection parameters. */
export function launchUrl(baseURL: string, patientId: string, params: Record<string, string | string[]> = {}): string {
  const q = new URLSearchParams({ patient: patientId });
  for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, x);
  return `${baseURL}/sandbox/launch?${q.toString()}`;
}

/** Wait until the panel root reports `state` (attribute data-state on the app's root). */
export async function waitForState(page: Page, state: PanelState, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector(`[data-state="${state}"]`, { timeout: timeoutMs, state: 'attached' });
}

/** Current panel state, or null when no panel root is on the page. */
export async function currentState(page: Page): Promise<string | null> {
  return page.evaluate(() => document.querySelector('[data-state]')?.getAttribute('data-state') ?? null);
}

/** Wait until the panel leaves `loading` (ready or error) and return the final state. */
export async function waitForSettled(page: Page, timeoutMs = 30_000): Promise<string> {
  await page.waitForSelector('[data-state="ready"], [data-state="error"]', { timeout: timeoutMs, state: 'attached' });
  return (await currentState(page)) ?? 'none';
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Run axe-core (WCAG 2 A and AA rules) on the page as it is now; returns the violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const has = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!has) {
    // addScriptTag inserts an inline <script>, which the app's Content-Security-Policy rightly
    // blocks; evaluating the source through the DevTools protocol is not subject to the page's CSP.
    await page.addScriptTag({ content: axeSource }).catch(() => undefined);
    const injected = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
    if (!injected) await page.evaluate(`${axeSource}\n;void 0`);
  }
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
}

/** A readable one-line-per-violation summary for assertion messages. */
export function describeViolations(vs: AxeViolation[]): string {
  return vs.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).join(' ')}`).join('\n');
}
