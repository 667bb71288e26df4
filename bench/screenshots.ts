/**
 * The README's screenshots: the primary hyperparathyroidism scenario's ready panel at 360 px (a
 * narrow EHR iframe) and at 1280 px, from the production build on the local sandbox, as a clinician
 * first sees it (the viewport, not the whole page). `npm run screenshots` writes
 * docs/screenshot-360.png and docs/screenshot-1280.png.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildProduction, REPO_ROOT } from '../test/budget/build';
import { launchBrowser, launchUrl, waitForState } from '../test/e2e/browser';
import { freePort, startPreview } from '../test/e2e/server';

const PATIENT = 'scn-hyperpara';
const VIEWS = [
  { width: 360, height: 900, file: 'docs/screenshot-360.png' },
  { width: 1280, height: 900, file: 'docs/screenshot-1280.png' },
];

async function main(): Promise<void> {
  const outDir = mkdtempSync(join(tmpdir(), 'shots-dist-'));
  buildProduction(outDir);
  const server = await startPreview({ port: await freePort(5195, 5199), outDir, logFile: join(outDir, 'server.log') });
  const browser = await launchBrowser();
  try {
    for (const v of VIEWS) {
      const context = await browser.newContext({ viewport: { width: v.width, height: v.height } });
      const page = await context.newPage();
      await page.goto(launchUrl(server.url, PATIENT));
      await waitForState(page, 'ready');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: join(REPO_ROOT, v.file) });
      console.info(`${v.file}: ${v.width} x ${v.height}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.stop();
    rmSync(outDir, { recursive: true, force: true });
  }
}

await main();
