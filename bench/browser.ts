/**
 * Time to panel and rendering, measured in headless Chromium on the production build.
 *
 * All times come from the app page's own clock (performance.now()), so they share one timeline:
 * - the token response: the Resource Timing entry of the token endpoint's fetch (responseEnd), also
 *   checked against Playwright's network event for its HTTP status;
 * - ready: a MutationObserver, installed before any page script (addInitScript), notes when an
 *   element gets data-state="ready";
 * - each FHIR request: its Resource Timing entry (startTime = the app's fetch() call, requestStart =
 *   sent on the wire, responseEnd) and bytes (transferSize: headers + body as transferred);
 * - long tasks: a PerformanceObserver for 'longtask' (Chromium's main-thread tasks over 50 ms),
 *   also installed before any page script.
 */
import type { Browser } from 'playwright-core';
import { launchUrl } from '../test/e2e/browser';
import { countWaves, criticalChain, maxInFlight } from './waves';

export interface LaunchMeasurement {
  patientId: string;
  /** Protocol of the FHIR responses (Resource Timing nextHopProtocol: 'http/1.1', 'h2'). */
  protocol: string;
  state: string;
  /** Token response end → data-state="ready" (ms). */
  timeToPanelMs: number;
  /** Slowest FHIR request on the wire: responseEnd − requestStart (ms). */
  slowestRttMs: number;
  /** Same request, from the app's fetch() call (includes waiting for a free connection). */
  slowestFromIssueMs: number;
  slowestPath: string;
  /** timeToPanel / slowestRtt. */
  ratio: number;
  waves: number;
  requests: number;
  /** Most requests issued and not yet answered at once (the app's parallelism). */
  maxInFlight: number;
  /** Most requests on the wire at once (requestStart → responseEnd): capped by the browser's connections. */
  maxOnWire: number;
  /** Span of the chain of dependent requests behind `waves` (first issue → last end), ms. */
  chainMs: number;
  /** Token response end → first FHIR request issued (ms): work before the wave starts. */
  beforeFirstMs: number;
  /** Last FHIR response end → ready (ms): evaluation and rendering after the data is in. */
  afterLastMs: number;
  /**
   * The app's User Timing marks (src/app/controller.ts), ms after the token response:
   * `launched` (launch completed), `loaded` (every search settled and parsed), `evaluated`
   * (panel model built). Absent when the app did not set one.
   */
  marks: Partial<Record<'launched' | 'loaded' | 'evaluated', number>>;
  /** Bytes of the FHIR responses as transferred (headers + body). */
  fhirBytes: number;
  /** Every byte the app page loaded (HTML excluded; its JS, CSS and FHIR). */
  pageBytes: number;
  /** Longest main-thread task between the token response and ready + 500 ms (ms). */
  longestTaskMs: number;
  longTasks: number;
  /** Sum of (duration − 50 ms) over those long tasks. */
  blockingMs: number;
}

interface PageData {
  readyAt: number | null;
  marks: Array<{ name: string; startTime: number }>;
  longtasks: Array<{ start: number; duration: number }>;
  resources: Array<{ name: string; initiatorType: string; startTime: number; requestStart: number; responseEnd: number; transferSize: number; nextHopProtocol: string }>;
}

const INIT = `(() => {
  try { performance.setResourceTimingBufferSize(100000); } catch (e) {}
  const b = (window.__bench = { readyAt: null, longtasks: [] });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {}
  const check = () => {
    if (b.readyAt === null && document.querySelector('[data-state="ready"]')) b.readyAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state'] });
})();`;

const TOKEN_PATH = /\/token$/;

export async function measureLaunch(
  browser: Browser,
  baseURL: string,
  patientId: string,
  latencyMs: number,
  /** More launch options of the sandbox (`serial: 'true'`...). */
  launchOptions: Record<string, string> = {},
): Promise<LaunchMeasurement> {
  // Loopback HTTPS uses a throw-away self-signed certificate (bench/vite.h2.config.ts).
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ignoreHTTPSErrors: baseURL.startsWith('https:') });
  try {
    await context.addInitScript({ content: INIT });
    const page = await context.newPage();
    let tokenStatus: number | undefined;
    page.on('response', (r) => {
      if (TOKEN_PATH.test(new URL(r.url()).pathname)) tokenStatus = r.status();
    });
    await page.goto(launchUrl(baseURL, patientId, { ...(latencyMs > 0 ? { latency: String(latencyMs) } : {}), ...launchOptions }));
    await page.waitForSelector('[data-state="ready"], [data-state="error"]', { timeout: 300_000, state: 'attached' });
    const state = (await page.getAttribute('[data-state]', 'data-state')) ?? 'none';
    if (state !== 'ready') throw new Error(`launch of ${patientId} ended in state ${state}`);
    await page.waitForTimeout(500);
    const data = (await page.evaluate(() => {
      const w = window as unknown as { __bench: { readyAt: number | null; longtasks: Array<{ start: number; duration: number }> } };
      const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({
        name: e.name,
        initiatorType: e.initiatorType,
        startTime: e.startTime,
        requestStart: e.requestStart,
        responseEnd: e.responseEnd,
        transferSize: e.transferSize,
        nextHopProtocol: e.nextHopProtocol,
      }));
      const marks = performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('nephro:'))
        .map((m) => ({ name: m.name.slice('nephro:'.length), startTime: m.startTime }));
      return { readyAt: w.__bench.readyAt, longtasks: w.__bench.longtasks, resources, marks };
    })) as PageData;
    if (tokenStatus !== 200) throw new Error(`token response for ${patientId}: ${tokenStatus ?? 'not seen'}`);
    const token = data.resources.find((r) => TOKEN_PATH.test(new URL(r.name).pathname));
    if (!token) throw new Error('no Resource Timing entry for the token request');
    if (data.readyAt === null) throw new Error('ready time not recorded');
    const fhir = data.resources.filter(
      (r) => r !== token && (r.initiatorType === 'fetch' || r.initiatorType === 'xmlhttprequest') && r.startTime >= token.responseEnd - 0.5,
    );
    let slowest = { rtt: 0, fromIssue: 0, path: '' };
    for (const r of fhir) {
      const rtt = r.responseEnd - (r.requestStart > 0 ? r.requestStart : r.startTime);
      if (rtt > slowest.rtt) {
        const u = new URL(r.name);
        slowest = { rtt, fromIssue: r.responseEnd - r.startTime, path: `${u.pathname}${u.search.length > 60 ? `${u.search.slice(0, 60)}…` : u.search}` };
      }
    }
    const timeToPanelMs = data.readyAt - token.responseEnd;
    const marks: LaunchMeasurement['marks'] = {};
    for (const m of data.marks) {
      // The last of each name: a launch sets each once; a retry would set them again.
      if (m.name === 'launched' || m.name === 'loaded' || m.name === 'evaluated') marks[m.name] = m.startTime - token.responseEnd;
    }
    const tasks = data.longtasks.filter((t) => t.start + t.duration >= token.responseEnd && t.start <= data.readyAt! + 500);
    const timed = fhir.map((r) => ({ start: r.startTime, end: r.responseEnd }));
    const onWire = fhir.map((r) => ({ start: r.requestStart > 0 ? r.requestStart : r.startTime, end: r.responseEnd }));
    return {
      patientId,
      protocol: [...new Set(fhir.map((r) => r.nextHopProtocol || '?'))].join(','),
      state,
      timeToPanelMs,
      slowestRttMs: slowest.rtt,
      slowestFromIssueMs: slowest.fromIssue,
      slowestPath: slowest.path,
      ratio: slowest.rtt > 0 ? timeToPanelMs / slowest.rtt : Number.NaN,
      waves: countWaves(timed),
      requests: fhir.length,
      maxInFlight: maxInFlight(timed),
      maxOnWire: maxInFlight(onWire),
      chainMs: criticalChain(timed).spanMs,
      beforeFirstMs: fhir.length ? Math.min(...fhir.map((r) => r.startTime)) - token.responseEnd : Number.NaN,
      afterLastMs: fhir.length ? data.readyAt - Math.max(...fhir.map((r) => r.responseEnd)) : Number.NaN,
      marks,
      fhirBytes: fhir.reduce((a, r) => a + r.transferSize, 0),
      pageBytes: data.resources.reduce((a, r) => a + r.transferSize, 0),
      longestTaskMs: tasks.reduce((a, t) => Math.max(a, t.duration), 0),
      longTasks: tasks.length,
      blockingMs: tasks.reduce((a, t) => a + Math.max(0, t.duration - 50), 0),
    };
  } finally {
    await context.close();
  }
}
