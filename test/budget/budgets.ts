/**
 * Byte budgets of the production bundle, gzip level 9, 1 kB = 1000 bytes. Asserted by
 * test/budget/bundle-size.test.ts and printed by `npm run bench`. The reasoning for each number is
 * in bundle-size.test.ts.
 */
export const BUDGETS = {
  /** The goal of issue 4. NOT MET today (about 57.0 kB): printed by `npm run bench` as missed. */
  appJsGzip: 40_000,
  /**
   * What the test asserts for the app page JS until the goal is met: the measured weight
   * (57.0 kB gz on 2026-11-24, 1 kB = 1000 B) plus ~2.5 % headroom, so no change can make the page heavier
   * unnoticed. It is a ratchet, not the goal: lower it as bytes come off, never raise it without a
   * reason in the commit. Why 40 kB is not reachable by trimming: the clinical core is ~25 kB gz of
   * unique content (codes, unit spellings, ranges, rules, clinician-facing wording) and fhirclient
   * ~13 kB (its CommonJS build cannot be tree-shaken); bench/README.md has the breakdown and the
   * structural options (a slimmer SMART client on the app page, a smaller core).
   */
  appJsCeilingGzip: 58_500,
  /**
   * The heavy-record evaluation worker (src/app/evaluate.worker.ts: the clinical core again, in a
   * module worker), fetched only for records of 2,000 resources or more so that evaluating them
   * never blocks the main thread. Measured 26.8 kB gz on 2026-11-24; the ceiling catches growth.
   */
  workerJsGzip: 28_500,
  appCssGzip: 8_000,
  launchJsGzip: 20_000,
} as const;
