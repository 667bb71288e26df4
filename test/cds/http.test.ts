/**
 * The CDS service over HTTP (node:http on 127.0.0.1, the sandbox's FHIR API behind it as the EHR):
 * discovery, every JWT refusal, each way of getting the record (full prefetch, partial prefetch,
 * none, a paginated prefetch), 412, the body limit, request checks, CORS, and the log.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_SELECT_SERVICE, PATIENT_VIEW_SERVICE, SERVICES } from '../../src/cds/discovery';
import { PREFETCH_TEMPLATES } from '../../src/cds/prefetch';
import type { CdsResponse } from '../../src/cds/types';
import { fhirAccess, makeKey, post, prefetchFor, signHs256, signJwt, startCds, TEST_ISS, type RunningCds } from './helpers';

const PATIENT = 'scn-hyperpara';
const TEMPLATES = SERVICES[0]!.prefetch;
let r: RunningCds;
let full: Record<string, unknown>;

function hook(prefetch?: Record<string, unknown>, extra: Record<string, unknown> = {}, patientId = PATIENT): Record<string, unknown> {
  return { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/p1', patientId }, ...(prefetch ? { prefetch } : {}), ...extra };
}

async function cards(res: Response): Promise<CdsResponse> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as CdsResponse;
}

beforeAll(async () => {
  r = await startCds();
  full = await prefetchFor(r, TEMPLATES, PATIENT);
}, 60_000);
afterAll(async () => {
  await r?.close();
});

describe('discovery', () => {
  it('GET /cds-services lists both services with the prefetch templates of the app’s searches', async () => {
    const res = await fetch(`${r.origin}/cds-services`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { services: Array<{ id: string; hook: string; prefetch: Record<string, string>; description: string }> };
    expect(body.services.map((s) => [s.id, s.hook])).toEqual([
      [PATIENT_VIEW_SERVICE, 'patient-view'],
      [ORDER_SELECT_SERVICE, 'order-select'],
    ]);
    for (const s of body.services) {
      expect(s.description.length).toBeGreaterThan(20);
      expect(s.prefetch.patient).toBe('Patient/{{context.patientId}}');
      expect(Object.keys(s.prefetch)).toEqual(PREFETCH_TEMPLATES.map((t) => t.key));
      expect(s.prefetch['Observation-1']).toMatch(/^Observation\?patient=\{\{context\.patientId\}\}&code=http%3A%2F%2Floinc\.org%7C/);
    }
  });
});

describe('JWT: every refusal is a 401 with no data', () => {
  const url = () => r.serviceUrl(PATIENT_VIEW_SERVICE);
  async function refused(headers: Record<string, string>, failure: string): Promise<void> {
    const before = r.logs.length;
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(hook(full)) });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'message']);
    expect(body.error).toBe('unauthorized');
    expect(r.logs.slice(before)).toEqual([`cds: POST ${PATIENT_VIEW_SERVICE} 401 (${failure})`]);
  }

  it('no token', async () => refused({}, 'missing'));
  it('not a bearer JWT', async () => refused({ authorization: 'Bearer not-a-jwt' }, 'malformed'));
  it('bad signature (another key claiming a trusted issuer)', async () => refused({ authorization: `Bearer ${await signJwt(makeKey(r.key.kid), url())}` }, 'bad-signature'));
  it('a shared-secret signature (HS256)', async () => refused({ authorization: `Bearer ${await signHs256(url())}` }, 'algorithm'));
  it('wrong aud (another service, or the discovery URL)', async () => {
    await refused({ authorization: `Bearer ${await signJwt(r.key, r.serviceUrl(ORDER_SELECT_SERVICE))}` }, 'wrong-audience');
    await refused({ authorization: `Bearer ${await signJwt(r.key, `${r.origin}/cds-services`)}` }, 'wrong-audience');
  });
  it('expired', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { expIn: -120, iatIn: -420 })}` }, 'expired'));
  it('issued too long ago, whatever its exp', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { expIn: 3600, iatIn: -1200 })}` }, 'expired'));
  it('issued in the future', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { iatIn: 600 })}` }, 'not-yet-valid'));
  it('no jti', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { jti: null })}` }, 'claims'));
  it('untrusted issuer', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { iss: 'https://other-ehr.example' })}` }, 'untrusted-issuer'));
  it('typ other than JWT', async () => refused({ authorization: `Bearer ${await signJwt(r.key, url(), { typ: 'at+jwt' })}` }, 'malformed'));

  it('replayed jti: the first call is answered, the same JWT again is refused', async () => {
    const jwt = await signJwt(r.key, url());
    const first = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body: JSON.stringify(hook(full)) });
    expect(first.status).toBe(200);
    await refused({ authorization: `Bearer ${jwt}` }, 'replayed');
  });

  it('aud may be an array holding the service URL', async () => {
    const jwt = await signJwt(r.key, url(), { aud: ['https://elsewhere.example/cds-services/x', url()] });
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` }, body: JSON.stringify(hook(full)) });
    expect(res.status).toBe(200);
  });

  it('the JWT is checked before the body is read: an unauthenticated bad body is still a 401', async () => {
    const res = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(res.status).toBe(401);
  });
});

describe('the record: prefetch, fetching, 412', () => {
  it('full prefetch: the card, without a single FHIR request', async () => {
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook(full)));
    expect(body.cards).toHaveLength(1);
    const card = body.cards[0]!;
    expect(card.summary).toBe('Nephrocalcinosis workup: 1 of 24 investigations missing, 6 abnormal results, 3 findings to consider');
    expect(card.indicator).toBe('warning');
    expect(card.links).toEqual([{ label: 'Open the nephrocalcinosis workup panel', url: `${r.origin}/launch/`, type: 'smart' }]);
  });

  it('no prefetch: everything fetched from fhirServer with the access token gives the same card', async () => {
    const viaFhir = await cards(await post(r, PATIENT_VIEW_SERVICE, hook(undefined, fhirAccess(r, PATIENT))));
    const viaPrefetch = await cards(await post(r, PATIENT_VIEW_SERVICE, hook(full)));
    expect(viaFhir.cards.map((c) => [c.summary, c.detail])).toEqual(viaPrefetch.cards.map((c) => [c.summary, c.detail]));
  });

  it('partial prefetch: the missing keys are fetched', async () => {
    const partial = Object.fromEntries(Object.entries(full).filter(([k]) => !k.startsWith('Observation') && k !== 'patient'));
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook(partial, fhirAccess(r, PATIENT))));
    expect(body.cards[0]?.summary).toMatch(/1 of 24 investigations missing, 6 abnormal results/);
  });

  it('a paginated prefetch Bundle: its next page is fetched', async () => {
    // The first page of Observation-1 as the sandbox's FHIR API pages it (2 results), next link included.
    const token = r.sb.serviceToken(PATIENT, 60).access_token;
    const template = TEMPLATES['Observation-1']!.replace('{{context.patientId}}', PATIENT).replace('_count=200', '_count=2');
    const firstPage = await (await fetch(`${r.origin}/fhir/${template}`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect((firstPage as { link: Array<{ relation: string }> }).link.some((l) => l.relation === 'next')).toBe(true);
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook({ ...full, 'Observation-1': firstPage }, fhirAccess(r, PATIENT))));
    expect(body.cards[0]?.summary).toMatch(/1 of 24 investigations missing, 6 abnormal results/);
  });

  it('412 when keys are missing and there is no FHIR access, naming the keys', async () => {
    const partial = Object.fromEntries(Object.entries(full).filter(([k]) => k !== 'Condition' && k !== 'Observation-2'));
    const res = await post(r, PATIENT_VIEW_SERVICE, hook(partial));
    expect(res.status).toBe(412);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('precondition-failed');
    expect(body.message).toMatch(/lacks prefetch data \(Observation-2, Condition\)/);
    expect(body.message).toMatch(/fhirServer with fhirAuthorization\.access_token/);
  });

  it('412 without prefetch and with fhirServer but no access token', async () => {
    const res = await post(r, PATIENT_VIEW_SERVICE, hook(undefined, { fhirServer: `${r.origin}/fhir` }));
    expect(res.status).toBe(412);
  });

  it('412 when a paginated prefetch cannot be completed', async () => {
    const bundle = { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: `${r.origin}/fhir/Condition?page=2` }], entry: [] };
    const res = await post(r, PATIENT_VIEW_SERVICE, hook({ ...full, Condition: bundle }));
    expect(res.status).toBe(412);
    expect(((await res.json()) as { message: string }).message).toMatch(/Condition \(next page\)/);
  });

  it('a type the EHR could not prefetch (OperationOutcome) reads as not checked, never missing', async () => {
    const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden', diagnostics: 'not allowed' }] };
    const observations = Object.fromEntries(Object.keys(full).filter((k) => k.startsWith('Observation')).map((k) => [k, oo]));
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook({ ...full, ...observations })));
    const card = body.cards[0]!;
    expect(card.summary).toMatch(/not checked/);
    expect(card.detail).toMatch(/\*\*Could not be checked\*\*/);
    expect(card.detail).toMatch(/Calcium \(total\): Observations \(lab results\) could not be loaded/);
  });

  it('a FHIR server that refuses a type: that type reads as not checked', async () => {
    const bad = { fhirServer: `${r.origin}/fhir`, fhirAuthorization: { access_token: 'not-a-token', token_type: 'Bearer', expires_in: 60, scope: 'x', subject: 'y' } };
    const noConditions = Object.fromEntries(Object.entries(full).filter(([k]) => k !== 'Condition'));
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook(noConditions, bad)));
    expect(body.cards).toHaveLength(1);
  });

  it('fetching is bounded in time: a FHIR server that never answers leaves its type not loaded, and the call is answered', async () => {
    const hanging = http.createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const quick = await startCds({ fetchTimeoutMs: 300 });
    try {
      const fhirServer = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/fhir`;
      const noConditions = Object.fromEntries(Object.entries(full).filter(([k]) => k !== 'Condition'));
      const res = await post(quick, PATIENT_VIEW_SERVICE, hook(noConditions, { fhirServer, fhirAuthorization: { access_token: 't', token_type: 'Bearer' } }));
      const body = await cards(res);
      expect(body.cards).toHaveLength(1);
      expect(body.cards[0]!.detail).toMatch(/\*\*Not everything could be loaded\*\*: Conditions could not be loaded \(timed out\)/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
      await quick.close();
    }
  });

  it('a paging link to another server is not followed (the token stays with fhirServer)', async () => {
    const bundle = { resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'next', url: 'http://127.0.0.2:9/fhir/Condition?page=2' }], entry: [] };
    const body = await cards(await post(r, PATIENT_VIEW_SERVICE, hook({ ...full, Condition: bundle }, fhirAccess(r, PATIENT))));
    expect(body.cards[0]!.detail).toMatch(/Conditions could not be loaded \(failed\)/);
  });

  it('412 when the patient cannot be read', async () => {
    const res = await post(r, PATIENT_VIEW_SERVICE, hook({ ...full, patient: null }));
    expect(res.status).toBe(412);
    const viaFhir = await post(r, PATIENT_VIEW_SERVICE, hook(undefined, { ...fhirAccess(r, PATIENT), fhirAuthorization: { access_token: 'bad', token_type: 'Bearer' } }));
    expect(viaFhir.status).toBe(412);
  });

  it('no card for a patient the workup does not concern', async () => {
    const normal = await prefetchFor(r, TEMPLATES, 'scn-complete-normal');
    expect(await cards(await post(r, PATIENT_VIEW_SERVICE, hook(normal, {}, 'scn-complete-normal')))).toEqual({ cards: [] });
  });

  it('order-select with an empty draft: the suggestions', async () => {
    const body = await cards(
      await post(r, ORDER_SELECT_SERVICE, { ...hook(full), hook: 'order-select', context: { userId: 'Practitioner/p1', patientId: PATIENT, selections: [], draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [] } } }),
    );
    expect(body.cards[0]?.suggestions?.map((s) => s.label)).toEqual(['Add draft order: CT abdomen / kidneys']);
    expect(body.cards[0]?.selectionBehavior).toBe('any');
  });
});

describe('request checks', () => {
  it('413 for a body over the limit, before it is parsed', async () => {
    const small = await startCds({ maxBodyBytes: 10_000 });
    try {
      const res = await post(small, PATIENT_VIEW_SERVICE, JSON.stringify(hook(full)));
      expect(res.status).toBe(413);
      expect(((await res.json()) as { message: string }).message).toMatch(/larger than 10000 bytes \(CDS_MAX_BODY_BYTES\)/);
      expect(small.logs).toEqual([`cds: POST ${PATIENT_VIEW_SERVICE} 413 (payload-too-large)`]);
    } finally {
      await small.close();
    }
  });

  it('400 for a body that is not a hook request, naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      ['{nope', /not valid JSON/],
      [[], /JSON object/],
      [{ ...hook(full), hook: 'order-select' }, /answers the "patient-view" hook/],
      [{ ...hook(full), hookInstance: 3 }, /hookInstance/],
      [{ ...hook(full), context: { patientId: '../Patient/x' } }, /context\.patientId must be a FHIR id/],
      [{ ...hook(full), fhirServer: 'http://ehr.example.org/fhir' }, /fhirServer must be https/],
      [{ ...hook(full), fhirAuthorization: { access_token: 't', token_type: 'Bearer' } }, /fhirAuthorization needs fhirServer/],
      [{ ...hook(full), prefetch: { ...full, patient: { resourceType: 'Patient', id: 'someone-else' } } }, /not the patient named by context\.patientId/],
      [{ ...hook(full), prefetch: { ...full, Condition: [1, 2] } }, /prefetch "Condition" is neither a Bundle/],
    ];
    for (const [body, message] of cases) {
      const res = await post(r, PATIENT_VIEW_SERVICE, typeof body === 'string' ? body : JSON.stringify(body));
      expect(res.status, String(message)).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
    }
    const orders = await post(r, ORDER_SELECT_SERVICE, { ...hook(full), hook: 'order-select' });
    expect(orders.status).toBe(400);
    expect(((await orders.json()) as { message: string }).message).toMatch(/draftOrders/);
  });

  it('404 for an unknown service, 405 for GET on a service, 415 for a body that is not JSON', async () => {
    expect((await post(r, 'no-such-service', hook(full))).status).toBe(404);
    expect((await fetch(r.serviceUrl(PATIENT_VIEW_SERVICE))).status).toBe(405);
    const res = await post(r, PATIENT_VIEW_SERVICE, JSON.stringify(hook(full)), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(r.logs).toContain('cds: POST unknown-service 404 (not-found)');
  });

  it('the log never holds a patient id, a token or a URL query', async () => {
    expect(r.logs.length).toBeGreaterThan(5);
    for (const line of r.logs) {
      expect(line).toMatch(/^cds: (GET|POST|OPTIONS) [a-z-]+ \d{3} \([a-zA-Z-]+\)$/);
      expect(line).not.toContain(PATIENT);
    }
  });
});

describe('CORS: configured origins only', () => {
  let c: RunningCds;
  beforeAll(async () => {
    c = await startCds({ allowedOrigins: ['https://cds-client.example'] });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('a preflight from an allowed origin is answered with its CORS headers', async () => {
    const res = await fetch(c.serviceUrl(PATIENT_VIEW_SERVICE), {
      method: 'OPTIONS',
      headers: { origin: 'https://cds-client.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://cds-client.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a preflight from another origin is refused, without CORS headers', async () => {
    const res = await fetch(c.serviceUrl(PATIENT_VIEW_SERVICE), { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers carry the header for an allowed origin only', async () => {
    const allowed = await fetch(`${c.origin}/cds-services`, { headers: { origin: 'https://cds-client.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://cds-client.example');
    const other = await fetch(`${c.origin}/cds-services`, { headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const refused = await post(c, PATIENT_VIEW_SERVICE, hook(full), { origin: 'https://cds-client.example', authorization: 'Bearer x.y.z' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://cds-client.example');
  });

  it('no origin configured: no CORS header at all (the default)', async () => {
    const res = await fetch(`${r.origin}/cds-services`, { headers: { origin: 'https://cds-client.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the sandbox EHR is trusted, with its own key', () => {
  it('a JWT of the sandbox’s issuer verifies; the same issuer with another key does not', async () => {
    const url = r.serviceUrl(PATIENT_VIEW_SERVICE);
    const own = await r.sb.cdsClient.sign(r.origin, url);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${own}` }, body: JSON.stringify(hook(full)) });
    expect(ok.status).toBe(200);
    const forged = await signJwt(makeKey(), url, { iss: `${r.origin}/sandbox` });
    const no = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${forged}` }, body: JSON.stringify(hook(full)) });
    expect(no.status).toBe(401);
    expect(TEST_ISS).not.toBe(`${r.origin}/sandbox`);
  });
});
