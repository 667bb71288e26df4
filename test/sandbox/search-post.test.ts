/**
 * What the sandbox offers beyond GET searches, and says so in its CapabilityStatement: POST
 * `<Type>/_search` with a form body, `combo-code` on Observation, and, per launch, answering one
 * request at a time (`serial`). With capabilities `basic` it offers neither POST nor `combo-code`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, fhirGet, launchSession, startSandbox, type Running, type Session } from './helpers';
import { SEARCH_MODE_EXTENSION } from '../../src/sandbox/fhir';

const TRUMAN = 'd5525459-8f3e-4e60-8ed2-5140d165db75'; // Synthea truman-wiegand: 659 Observations
const LOINC = 'http://loinc.org';
// Sodium, potassium, chloride (Synthea's whole-blood codes) and a code absent from the record.
const CODES = [`${LOINC}|2947-0`, `${LOINC}|6298-4`, `${LOINC}|2069-3`, `${LOINC}|2731-8`].join(',');
let r: Running;
let s: Session;

beforeAll(async () => {
  r = await startSandbox();
  s = await launchSession(r, TRUMAN);
}, 60_000);
afterAll(async () => {
  await r?.close();
});


describe('POST <Type>/_search', () => {
  it('gives what the same GET search gives, page for page', async () => {
    const get = await allPages(s, `Observation?patient=${TRUMAN}&code=${CODES}&_count=40`);
    const first = await s.search('Observation', { patient: TRUMAN, code: CODES, _count: '40' });
    expect(first.status).toBe(200);
    expect(first.json.total).toBe(get.total);
    const resources = [...(first.json.entry ?? []).map((e: any) => e.resource)];
    let next: string | undefined = first.json.link.find((l: any) => l.relation === 'next')?.url;
    expect(next).toBeDefined();
    while (next) {
      // The links of a POST search name the kept result, not the codes searched.
      expect(new URL(next).searchParams.has('code')).toBe(false);
      expect(next).not.toContain(TRUMAN);
      const page = await s.get(next);
      expect(page.status).toBe(200);
      resources.push(...(page.json.entry ?? []).map((e: any) => e.resource));
      next = page.json.link.find((l: any) => l.relation === 'next')?.url;
    }
    expect(resources.map((x: any) => x.id)).toEqual(get.resources.map((x: any) => x.id));
  });

  it('takes parameters from the URL and the body together', async () => {
    const res = await fetch(`${r.fhir}/Observation/_search?patient=${TRUMAN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${s.accessToken}` },
      body: new URLSearchParams({ code: `${LOINC}|2947-0`, _count: '200' }).toString(),
    });
    const json = await res.json();
    expect(res.status).toBe(200);
    expect(json.total).toBe(31);
  });

  it('refuses another body type, a POST that is not a search, and an expired page', async () => {
    const json = await fetch(`${r.fhir}/Observation/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${s.accessToken}` },
      body: JSON.stringify({ code: CODES }),
    });
    expect(json.status).toBe(415);
    const create = await fetch(`${r.fhir}/Observation`, { method: 'POST', headers: { authorization: `Bearer ${s.accessToken}` }, body: '{}' });
    expect(create.status).toBe(405);
    const gone = await s.get(`Observation?_getpages=no-such-snapshot&_offset=40&_count=40`);
    expect(gone.status).toBe(410);
    expect(gone.json.resourceType).toBe('OperationOutcome');
  });

  it('keeps the access rules: no token, another patient', async () => {
    const anon = await fetch(`${r.fhir}/Observation/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `patient=${TRUMAN}&code=${encodeURIComponent(CODES)}`,
    });
    expect(anon.status).toBe(401);
    const other = await s.search('Observation', { patient: 'someone-else', code: CODES });
    expect(other.status).toBe(403);
  });
});

describe('combo-code (Observation)', () => {
  it('matches the code or a component code, and the code index gives the engine its answer', async () => {
    // Systolic blood pressure (8480-6) is a component of Synthea's blood pressure panels (85354-9).
    const byCode = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|8480-6&_count=200`);
    const byCombo = await allPages(s, `Observation?patient=${TRUMAN}&combo-code=${LOINC}|8480-6&_count=200`);
    expect(byCode.total).toBe(0);
    expect(byCombo.total).toBeGreaterThan(0);
    expect(byCombo.resources.every((o: any) => o.component.some((c: any) => c.code.coding.some((x: any) => x.code === '8480-6')))).toBe(true);
    const sodium = await allPages(s, `Observation?patient=${TRUMAN}&combo-code=${LOINC}|2947-0&_count=200`);
    expect(sodium.total).toBe(31);
  });
});

describe('the CapabilityStatement says what is offered', () => {
  it('full: search mode both on every type, combo-code on Observation', async () => {
    const cs = (await fhirGet(r, undefined, 'metadata')).json;
    const obs = cs.rest[0].resource.find((x: any) => x.type === 'Observation');
    expect(obs.extension).toContainEqual({ url: SEARCH_MODE_EXTENSION, valueCode: 'both' });
    expect(obs.searchParam.map((p: any) => p.name)).toEqual(expect.arrayContaining(['code', 'combo-code', 'patient', 'category', 'date']));
  });
});

describe('launch option serial', () => {
  it('answers one request at a time, in the order they came', async () => {
    // The first request is slow (300 ms); the second is a quick read. Answered in parallel, the read
    // comes back first; one at a time, it waits for the slow one.
    const order = async (params: Record<string, string>): Promise<string[]> => {
      const session = await launchSession(r, TRUMAN, { slow: 'Condition:300', ...params });
      const done: string[] = [];
      const slow = session.get(`Condition?patient=${TRUMAN}`).then((a) => done.push(`Condition ${a.status}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const quick = session.get(`Patient/${TRUMAN}`).then((a) => done.push(`Patient ${a.status}`));
      await Promise.all([slow, quick]);
      return done;
    };
    expect(await order({ serial: 'true' })).toEqual(['Condition 200', 'Patient 200']);
    expect(await order({})).toEqual(['Patient 200', 'Condition 200']);
  });

  it('is refused when malformed', async () => {
    const res = await fetch(`${r.origin}/sandbox/launch?patient=${TRUMAN}&serial=yes`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });
});

describe('capabilities basic', () => {
  let basic: Running;
  let b: Session;
  beforeAll(async () => {
    basic = await startSandbox({ capabilities: 'basic', syntheaDir: undefined });
    b = await launchSession(basic, TRUMAN);
  }, 60_000);
  afterAll(async () => {
    await basic?.close();
  });

  it('declares neither POST nor combo-code, and refuses both', async () => {
    const cs = (await fhirGet(basic, undefined, 'metadata')).json;
    const obs = cs.rest[0].resource.find((x: any) => x.type === 'Observation');
    expect(obs.extension).toBeUndefined();
    expect(obs.searchParam.map((p: any) => p.name)).not.toContain('combo-code');
    expect((await b.search('Observation', { patient: TRUMAN, code: CODES })).status).toBe(405);
    expect((await b.get(`Observation?patient=${TRUMAN}&combo-code=${LOINC}|2947-0`)).status).toBe(400);
    expect((await b.get(`Observation?patient=${TRUMAN}&code=${LOINC}|2947-0`)).json.total).toBe(31);
  });

  it('pages with opaque links (one token, no offset, no query), every result once', async () => {
    const get = await allPages(s, `Observation?patient=${TRUMAN}&code=${CODES}&_count=200`);
    const paged = await allPages(b, `Observation?patient=${TRUMAN}&code=${CODES}&_count=7`);
    expect(paged.pages).toBeGreaterThan(2);
    expect(paged.resources.map((x: any) => x.id)).toEqual(get.resources.map((x: any) => x.id));
    const first = await b.get(`Observation?patient=${TRUMAN}&code=${CODES}&_count=7`);
    const next = new URL(first.json.link.find((l: any) => l.relation === 'next').url);
    expect([...next.searchParams.keys()]).toEqual(['_getpages']);
  });
});
