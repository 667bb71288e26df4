/**
 * End-to-end suite: real Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the
 * production build served by `vite preview` with the local SMART sandbox (see test/e2e/global-setup.ts).
 * Run with `npm run test:e2e`. Files run one after another (one server, one port); long timeouts
 * because each test performs a whole SMART launch in a browser.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 240_000,
    // A flaky browser test is a bug to fix, not to retry away.
    retry: 0,
  },
});
