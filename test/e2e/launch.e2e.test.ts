/**
 * The SMART launch itself in Chromium (issues 3 and 5):
 * - a replayed authorization code (the redirect URL opened again) is refused with a clear message
 *   and never yields a second token;
 * - a redirect whose state does not belong to this tab (another tab, or forged) is refused;
 * - need_patient_banner is honoured: the banner appears only when the EHR asks for it;
 * - a token that expires: refreshed when a refresh token exists, otherwise a "session expired,
 *   relaunch" screen.
 * The error screens are also checked with axe.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCENARIOS } from '../scenarios/index';
import { describeViolations, launchBrowser, launchUrl, runAxe, waitForSettled } from './browser';

const baseURL = inject('baseURL');
const patientId = SCENARIOS[0]?.patientId ?? '';
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Launched {
  context: BrowserContext;
  page: Page;
  /** The redirect back to the app, with code and state. */
  redirectUrl: string;
  tokenResponses: number[];
  /** grant_type of every token request (authorization_code, refresh_token). */
  grants: string[];
}

async function launched(params: Record<string, string | string[]> = {}): Promise<Launched> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let redirectUrl = '';
  const tokenResponses: number[] = [];
  const grants: string[] = [];
  context.on('request', (r) => {
    if (r.isNavigationRequest() && /[?&]code=/.test(r.url())) redirectUrl = r.url();
    if (/\/token$/.test(new URL(r.url()).pathname)) grants.push(new URLSearchParams(r.postData() ?? '').get('grant_type') ?? '?');
  });
  context.on('response', (r) => {
    if (/\/token$/.test(new URL(r.url()).pathname)) tokenResponses.push(r.status());
  });
  await page.goto(launchUrl(baseURL, patientId, params));
  expect(await waitForSettled(page, 60_000)).toBe('ready');
  expect(redirectUrl, 'the EHR redirected back to the app').not.toBe('');
  const q = new URL(redirectUrl).searchParams;
  expect(q.has('code') && q.has('state'), 'the redirect carries code and state').toBe(true);
  return { context, page, redirectUrl, tokenResponses, grants };
}

async function expectRefused(p: Page, what: RegExp): Promise<void> {
  expect(await waitForSettled(p, 30_000)).toBe('error');
  const text = await p.innerText('main');
  expect(text).toMatch(what);
  expect(text).toMatch(/open the app again|relaunch|from the patient/i);
  const v = await runAxe(p);
  expect(v, describeViolations(v)).toEqual([]);
}

describe('SMART launch in Chromium', () => {
  it('a replayed authorization code is refused, and no second token is issued', async () => {
    const l = await launched();
    try {
      expect(l.tokenResponses).toEqual([200]);
      await l.page.goto(l.redirectUrl);
      await expectRefused(l.page, /already used|refused|not accepted/i);
      // If the app tried the code again, the EHR must have refused it; either way one token only.
      expect(l.tokenResponses.filter((s) => s === 200)).toHaveLength(1);
      expect(new URL(l.page.url()).searchParams.has('code')).toBe(false);
    } finally {
      await l.context.close();
    }
  });

  it('a redirect that belongs to another tab, or a forged state, is refused', async () => {
    const l = await launched();
    try {
      const other = await l.context.newPage();
      await other.goto(l.redirectUrl);
      await expectRefused(other, /refused|does not belong|not accept/i);
      const forged = await l.context.newPage();
      await forged.goto(l.redirectUrl.replace(/([?&]state=)[^&]+/, '$1forged-state'));
      await expectRefused(forged, /refused|does not belong|not accept/i);
      expect(l.tokenResponses.filter((s) => s === 200)).toHaveLength(1);
    } finally {
      await l.context.close();
    }
  });

  it('need_patient_banner: a banner when the EHR asks for it, none when it does not', async () => {
    const withBanner = await launched({ need_patient_banner: 'true' });
    try {
      expect(await withBanner.page.locator('[data-patient-banner]').count()).toBe(1);
    } finally {
      await withBanner.context.close();
    }
    const without = await launched({ need_patient_banner: 'false' });
    try {
      expect(await without.page.locator('[data-patient-banner]').count()).toBe(0);
    } finally {
      await without.context.close();
    }
  });

  it('a token that expired, with no refresh token: a clear "session expired" screen on the next request', async () => {
    // Observation fails so that the panel offers Retry; the token lives 1 s and cannot be refreshed.
    const l = await launched({ fault: 'Observation:500', expires: '1', refresh: 'false' });
    try {
      await l.page.waitForTimeout(1_600);
      await l.page.locator('button[data-action="retry"]').click();
      expect(await waitForSettled(l.page, 30_000)).toBe('error');
      await l.page.waitForSelector('[data-error="session-expired"]', { timeout: 10_000 });
      expect(await l.page.innerText('main')).toMatch(/session has expired.*relaunch/is);
      const v = await runAxe(l.page);
      expect(v, describeViolations(v)).toEqual([]);
    } finally {
      await l.context.close();
    }
  });

  it('a token that expired, with a refresh token: refreshed silently, the panel stays', async () => {
    const l = await launched({ fault: 'Observation:500', expires: '1', refresh: 'true' });
    try {
      await l.page.waitForTimeout(1_600);
      await l.page.locator('button[data-action="retry"]').click();
      await expect.poll(() => l.grants.includes('refresh_token'), { timeout: 20_000 }).toBe(true);
      expect(await waitForSettled(l.page, 30_000)).toBe('ready');
      await l.page.waitForSelector('[data-failures]', { timeout: 20_000 });
      expect(await l.page.locator('[data-error="session-expired"]').count()).toBe(0);
    } finally {
      await l.context.close();
    }
  });
});
