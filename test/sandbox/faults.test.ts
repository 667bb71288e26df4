/**
 * Fault injection per launch: each fault applies only to the requests made with that launch's token.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authorize, CLIENT_ID, launchSession, pkce, startLaunch, startSandbox, token, type Running } from './helpers';

const P = 'scn-hyperpara';
let r: Running;

beforeAll(async () => {
  r = await startSandbox();
});
afterAll(async () => {
  await r.close();
});

const OBS = `Observation?patient=${P}&category=laboratory`;

describe('fault injection', () => {
  it('a type answering 500 or 403 with an OperationOutcome; other types and other launches unaffected', async () => {
    const s = await launchSession(r, P, { fault: ['Observation:500', 'Condition:403'] });
    const obs = await s.get(OBS);
    expect(obs.status).toBe(500);
    expect(obs.json.resourceType).toBe('OperationOutcome');
    expect(obs.json.issue[0].severity).toBe('error');
    const cond = await s.get(`Condition?patient=${P}`);
    expect(cond.status).toBe(403);
    expect(cond.json.resourceType).toBe('OperationOutcome');
    expect(cond.json.issue[0].code).toBe('forbidden');
    expect((await s.get(`DiagnosticReport?patient=${P}`)).status).toBe(200);
    const clean = await launchSession(r, P);
    expect((await clean.get(OBS)).status).toBe(200);
  });

  it('401 and 404 faults', async () => {
    const s = await launchSession(r, P, { fault: ['MedicationRequest:401', 'ServiceRequest:404'] });
    expect((await s.get(`MedicationRequest?patient=${P}`)).status).toBe(401);
    expect((await s.get(`ServiceRequest?patient=${P}`)).status).toBe(404);
  });

  it('malformed JSON for a type', async () => {
    const s = await launchSession(r, P, { fault: 'Observation:malformed' });
    const res = await fetch(`${r.fhir}/${OBS}`, { headers: { Authorization: `Bearer ${s.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/fhir\+json/);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
  });

  it('a next link that loops back to the first page', async () => {
    const s = await launchSession(r, P, { fault: 'Observation:loop' });
    const seen: string[] = [];
    let url: string | undefined = `${OBS}&_count=5`;
    for (let i = 0; i < 6 && url; i++) {
      const page = await s.get(url);
      expect(page.status).toBe(200);
      seen.push(page.json.entry.map((e: any) => e.resource.id).join(','));
      url = page.json.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(url).toBeDefined(); // never ends
    expect(new Set(seen).size).toBe(1); // always the same page
  });

  it('a slow type answers after the delay; the others do not wait', async () => {
    const s = await launchSession(r, P, { slow: 'Observation:800' });
    const t = performance.now();
    const done: string[] = [];
    const slow = s.get(OBS).then((x) => (done.push('Observation'), x));
    const fast = s.get(`Condition?patient=${P}`).then((x) => (done.push('Condition'), x));
    const [a, b] = await Promise.all([slow, fast]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(790);
    expect(done).toEqual(['Condition', 'Observation']);
  });

  it('a global per-request latency for the launch (and the home page form fields slow_type/slow_ms)', async () => {
    const s = await launchSession(r, P, { latency: '250' });
    const t = performance.now();
    await s.get(`Condition?patient=${P}`);
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
    const f = await launchSession(r, P, { slow_type: 'Condition', slow_ms: '300' });
    const t2 = performance.now();
    await f.get(`Condition?patient=${P}`);
    expect(performance.now() - t2).toBeGreaterThanOrEqual(295);
  });

  it('the launch latency applies to its token requests too (code exchange and refresh), failed ones included', async () => {
    const launch = await startLaunch(r, P, { latency: '250' });
    const p = pkce();
    const q = await authorize(r, p, { launch });
    const exchange = { grant_type: 'authorization_code', code: q.get('code')!, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: p.verifier };
    let t = performance.now();
    const ok = await token(r, exchange);
    expect(ok.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
    t = performance.now();
    const refreshed = await token(r, { grant_type: 'refresh_token', refresh_token: String(ok.body.refresh_token), client_id: CLIENT_ID });
    expect(refreshed.status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
    t = performance.now();
    expect((await token(r, exchange)).status).toBe(400); // the replayed code: refused, after the same wait
    expect(performance.now() - t).toBeGreaterThanOrEqual(245);
    // A launch without latency answers at once.
    const plain = await startLaunch(r, P);
    const p2 = pkce();
    const q2 = await authorize(r, p2, { launch: plain });
    t = performance.now();
    expect((await token(r, { ...exchange, code: q2.get('code')!, code_verifier: p2.verifier })).status).toBe(200);
    expect(performance.now() - t).toBeLessThan(245);
  });

  it('SANDBOX_LATENCY_MS-style server latency applies to every request', async () => {
    const slow = await startSandbox({ latencyMs: 200, syntheaDir: false });
    try {
      const s = await launchSession(slow, P);
      const t = performance.now();
      expect((await s.get(`Patient/${P}`)).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(195);
      expect(slow.logs.join('\n')).toMatch(/latency 200 ms/);
    } finally {
      await slow.close();
    }
  });

  it('a token that expires after N seconds: 401, then a refresh gives a working token', async () => {
    const s = await launchSession(r, P, { expires: '5' });
    expect(s.body.expires_in).toBe(5);
    expect((await s.get(`Patient/${P}`)).status).toBe(200);
    // Move the clock (Date only: timers and I/O stay real) past the expiry instead of sleeping, so
    // the test does not depend on machine load.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 6000);
      const expired = await s.get(`Patient/${P}`);
      expect(expired.status).toBe(401);
      expect(expired.json.issue[0].diagnostics).toMatch(/expired/);
      const t = await token(r, { grant_type: 'refresh_token', refresh_token: String(s.body.refresh_token), client_id: CLIENT_ID });
      expect(t.status).toBe(200);
      expect(t.body.expires_in).toBe(5);
      expect((await s.get(`Patient/${P}`)).status).toBe(401);
      const fresh = await fetch(`${r.fhir}/Patient/${P}`, { headers: { Authorization: `Bearer ${String(t.body.access_token)}` } });
      expect(fresh.status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refresh=false: no refresh token even when offline_access is asked', async () => {
    const s = await launchSession(r, P, { refresh: 'false' });
    expect(s.body.refresh_token).toBeUndefined();
  });

  it('need_patient_banner=false is passed in the launch context', async () => {
    const s = await launchSession(r, P, { need_patient_banner: 'false' });
    expect(s.body.need_patient_banner).toBe(false);
  });

  it('refuses a launch with malformed options or an unknown patient', async () => {
    for (const q of ['fault=Observation:418', 'fault=observation:500', 'slow=Observation:soon', 'latency=-1', 'expires=0', 'need_patient_banner=yes']) {
      const res = await fetch(`${r.origin}/sandbox/launch?patient=${P}&${q}`, { redirect: 'manual' });
      expect(res.status, q).toBe(400);
    }
    const unknown = await fetch(`${r.origin}/sandbox/launch?patient=nobody`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    // An empty fault (the home page's "normal" option) is no fault.
    expect(await startLaunch(r, P, { fault: ['', 'Condition:403'] })).toBeTruthy();
  });
});
