/**
 * Byte budgets of the production bundle, gzip level 9, 1 kB = 1000 bytes. Asserted by
 * test/budget/bundle-size.test.ts and printed by `npm run bench`. The reasoning for each number is
 * in bundle-size.test.ts.
 */
export const BUDGETS = {
  appJsGzip: 40_000,
  appCssGzip: 8_000,
  launchJsGzip: 20_000,
} as const;
