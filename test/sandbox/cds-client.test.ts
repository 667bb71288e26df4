/**
 * The sandbox as a CDS client: its home page shows, under each patient, the card the CDS service
 * answered (called over HTTP with a signed JWT and full prefetch); a card's SMART link becomes an EHR
 * launch of the app; the order-select page lists the suggestions for an empty draft.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, CLIENT_ID, pkce, startSandbox, token, type Running } from './helpers';

let r: Running;
let home = '';

beforeAll(async () => {
  r = await startSandbox();
  const res = await fetch(`${r.origin}/sandbox/`);
  expect(res.status).toBe(200);
  home = await res.text();
}, 60_000);
afterAll(async () => {
  await r?.close();
});

function cardOf(patientId: string): string {
  const m = new RegExp(`<section class="cds-card[^"]*"[^>]*data-cds-card="${patientId}">([\\s\\S]*?)</section>`).exec(home);
  return m?.[1] ?? '';
}

describe('the home page as a CDS client', () => {
  it('shows the patient-view card of a patient the workup concerns, and "no card" for the others', () => {
    expect(cardOf('scn-hyperpara')).toMatch(/Nephrocalcinosis workup: 1 of 24 investigations missing, 6 abnormal results, 3 findings to consider/);
    expect(cardOf('scn-hyperpara')).toMatch(/<span class="cds-indicator">Warning<\/span>/);
    expect(cardOf('scn-msk')).toMatch(/Medullary sponge kidney recorded as a condition/);
    expect(cardOf('scn-complete-normal')).toBe('');
    expect(home.match(/data-cds-card="none"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(home).not.toMatch(/class="cds-error"/);
  });

  it('renders the card detail as text (escaped), lists and titles only', () => {
    const card = cardOf('scn-hyperpara');
    expect(card).toMatch(/<details><summary>Details<\/summary><div class="cds-detail"><p>Shown because: Nephrocalcinosis named in an imaging report\.<\/p>/);
    expect(card).toMatch(/<p class="md-title"><strong>Findings to consider<\/strong><\/p><ul><li>Calcium is high/);
    expect(home).not.toMatch(/<script/i);
    expect(home).toMatch(/Order-select/);
  });

  it('calls the service as an EHR: every call verified (no refusal in the log)', () => {
    expect(r.logs.filter((l) => l.startsWith('cds:'))).toEqual([]);
  });

  it("the card's SMART link starts an EHR launch of the app for that patient", async () => {
    const href = /<a class="cds-link" href="([^"]+)">Open the nephrocalcinosis workup panel<\/a>/.exec(cardOf('scn-hyperpara'))?.[1];
    expect(href).toBeDefined();
    const res = await fetch(`${r.origin}${href!.replace(/&amp;/g, '&')}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!, r.origin);
    expect(location.pathname).toBe('/launch/');
    expect(location.searchParams.get('iss')).toBe(`${r.origin}/fhir`);
    const launchId = location.searchParams.get('launch')!;
    // The launch id is a real EHR launch of that patient: the token names the patient.
    const p = pkce();
    const code = (await authorize(r, p, { launch: launchId })).get('code');
    expect(code).toBeTruthy();
    const t = await token(r, { grant_type: 'authorization_code', code: code!, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: p.verifier });
    expect(t.status).toBe(200);
    expect(t.body.patient).toBe('scn-hyperpara');
  });

  it('refuses a link to another origin or an unknown patient (no open redirect)', async () => {
    const foreign = await fetch(`${r.origin}/sandbox/cds/launch?patient=scn-hyperpara&url=${encodeURIComponent('https://evil.example/launch/')}`, { redirect: 'manual' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toMatch(/not on this sandbox&#39;s origin/);
    const unknown = await fetch(`${r.origin}/sandbox/cds/launch?patient=nobody&url=${encodeURIComponent(`${r.origin}/launch/`)}`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
  });
});

describe('order-select from the sandbox', () => {
  it('lists the suggestions for an empty draft', async () => {
    const res = await fetch(`${r.origin}/sandbox/cds/orders?patient=scn-drta-child`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const items = [...html.matchAll(/<li data-suggestion>([^<]+)/g)].map((m) => m[1]!.trim());
    expect(items).toHaveLength(6) // CT is not a gap under 18 (ultrasound first);
    expect(items[0]).toBe('Add draft order: Urine microscopy');
    expect(html).toMatch(/Suggestions \(any\)/);
  });

  it('says so when there is nothing to suggest', async () => {
    const html = await (await fetch(`${r.origin}/sandbox/cds/orders?patient=scn-complete-normal`)).text();
    expect(html).toMatch(/No suggestion/);
  });
});
