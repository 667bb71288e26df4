/**
 * `npm run cds`, the standalone service: refuses to start without trusted issuers or a launch URL
 * (exit 2, one line naming the variable), and serves /cds-services and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCdsConfig } from '../../src/cds/config';
import { startCdsServer } from '../../src/cds/server';
import { makeKey, signJwt, TEST_ISS } from './helpers';

const ROOT = resolve(__dirname, '../..');
const SHARED = readFileSync(resolve(ROOT, '../shared/cds-sandbox/sandbox-trusted-issuers.json'), 'utf8');

function run(env: Record<string, string>): { status: number | null; stderr: string } {
  const clean: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', ...env };
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cds/server.ts'], { cwd: ROOT, env: clean, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('npm run cds', () => {
  it('exits 2 with one line when the configuration is unusable', () => {
    const noIssuers = run({ CDS_APP_LAUNCH_URL: 'https://app.example.org/launch/' });
    expect(noIssuers.status).toBe(2);
    expect(noIssuers.stderr.trim()).toBe('cds: CDS_TRUSTED_ISSUERS is empty: no CDS client could be verified, so every call would be refused.');
    const noLaunch = run({ CDS_TRUSTED_ISSUERS: SHARED });
    expect(noLaunch.status).toBe(2);
    expect(noLaunch.stderr).toMatch(/^cds: CDS_APP_LAUNCH_URL is not set/);
    const badJson = run({ CDS_TRUSTED_ISSUERS: '{', CDS_APP_LAUNCH_URL: 'https://app.example.org/launch/' });
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toMatch(/^cds: CDS_TRUSTED_ISSUERS is not valid JSON/);
  }, 60_000);

  it('serves discovery and verified calls at /cds-services, with CDS_BASE_URL as the JWT audience', async () => {
    const key = makeKey();
    const config = readCdsConfig({
      PORT: '1',
      CDS_TRUSTED_ISSUERS: JSON.stringify({ [TEST_ISS]: { jwks: key.jwks } }),
      CDS_APP_LAUNCH_URL: 'https://app.example.org/launch/',
      CDS_BASE_URL: 'https://cds.example.org',
    });
    const logs: string[] = [];
    const running = await startCdsServer({ ...config, port: 0, launchUrl: config.launchUrl! }, (l) => logs.push(l));
    try {
      expect((await fetch(`${running.origin}/cds-services`)).status).toBe(200);
      expect((await fetch(`${running.origin}/`)).status).toBe(404);
      const call = (aud: string) =>
        signJwt(key, aud).then((jwt) =>
          fetch(`${running.origin}/cds-services/nephrocalcinosis-workup`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
            body: JSON.stringify({ hook: 'patient-view', hookInstance: 'x', context: { patientId: 'p1' }, prefetch: { patient: null } }),
          }),
        );
      // The public URL is the audience, not the address it listens on.
      expect((await call(`${running.origin}/cds-services/nephrocalcinosis-workup`)).status).toBe(401);
      expect((await call('https://cds.example.org/cds-services/nephrocalcinosis-workup')).status).toBe(412);
      expect(logs).toEqual(['cds: POST nephrocalcinosis-workup 401 (wrong-audience)', 'cds: POST nephrocalcinosis-workup 412 (precondition-failed)']);
    } finally {
      await running.close();
    }
  });
});
