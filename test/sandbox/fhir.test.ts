/**
 * The sandbox FHIR API: search semantics of the engine (code lists, patient=/subject=, date, _sort,
 * category, status), paging with next links, the patient compartment, and error answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, launchSession, startSandbox, type Running, type Session } from './helpers';

const TRUMAN = 'd5525459-8f3e-4e60-8ed2-5140d165db75'; // Synthea truman-wiegand: 659 Observations
const LOINC = 'http://loinc.org';
let r: Running;
let s: Session;

beforeAll(async () => {
  r = await startSandbox();
  s = await launchSession(r, TRUMAN);
});
afterAll(async () => {
  await r.close();
});

const codesOf = (o: any): string[] => (o.code?.coding ?? []).map((c: any) => `${c.system}|${c.code}`);

describe('search', () => {
  it('matches code=system|code and comma lists (OR)', async () => {
    const sodium = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|2947-0`);
    expect(sodium.total).toBe(31);
    expect(sodium.resources.every((o) => codesOf(o).includes(`${LOINC}|2947-0`))).toBe(true);
    const both = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|2947-0,${LOINC}|6298-4&_count=200`);
    expect(both.total).toBe(62);
    expect(new Set(both.resources.flatMap(codesOf))).toEqual(new Set([`${LOINC}|2947-0`, `${LOINC}|6298-4`]));
    const wrongSystem = await s.get(`Observation?patient=${TRUMAN}&code=http://snomed.info/sct|2947-0`);
    expect(wrongSystem.json.total).toBe(0);
    // A code absent from the record: an empty searchset, not an error.
    const none = await s.get(`Observation?patient=${TRUMAN}&code=${LOINC}|2731-8`);
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 0 });
    expect(none.json.entry).toBeUndefined();
  });

  it('patient=<id>, patient=Patient/<id>, subject=<id> and subject=Patient/<id> give the same results', async () => {
    const q = `code=${LOINC}|2947-0&_count=200`;
    const ids = async (p: string): Promise<string[]> =>
      ((await s.get(`Observation?${p}&${q}`)).json.entry ?? []).map((e: any) => e.resource.id).sort();
    const a = await ids(`patient=${TRUMAN}`);
    expect(a).toHaveLength(31);
    expect(await ids(`patient=Patient/${TRUMAN}`)).toEqual(a);
    expect(await ids(`subject=${TRUMAN}`)).toEqual(a);
    expect(await ids(`subject=Patient/${TRUMAN}`)).toEqual(a);
    expect(await ids(`subject=${encodeURIComponent(`${r.fhir}/Patient/${TRUMAN}`)}`)).toEqual(a);
    const conditions = await s.get(`Condition?patient=${TRUMAN}`);
    expect(conditions.json.total).toBe(12);
  });

  it('date=ge / le filter on the effective date', async () => {
    const all = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|2947-0`);
    const after = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|2947-0&date=ge2015-01-01`);
    const expected = all.resources.filter((o) => new Date(o.effectiveDateTime) >= new Date('2015-01-01T00:00:00Z'));
    expect(after.total).toBe(expected.length);
    expect(after.total).toBeGreaterThan(0);
    expect(after.total).toBeLessThan(all.total);
    const range = await allPages(s, `Observation?patient=${TRUMAN}&code=${LOINC}|2947-0&date=ge2015-01-01&date=lt2016-01-01`);
    expect(range.resources.every((o) => o.effectiveDateTime >= '2015' && o.effectiveDateTime < '2016')).toBe(true);
  });

  it('_sort=-date returns newest first, _sort=date oldest first', async () => {
    const desc = (await s.get(`Observation?patient=${TRUMAN}&code=${LOINC}|2947-0&_sort=-date&_count=200`)).json.entry.map(
      (e: any) => Date.parse(e.resource.effectiveDateTime),
    );
    expect(desc).toHaveLength(31);
    expect(desc).toEqual([...desc].sort((a: number, b: number) => b - a));
    const asc = (await s.get(`Observation?patient=${TRUMAN}&code=${LOINC}|2947-0&_sort=date&_count=200`)).json.entry.map((e: any) =>
      Date.parse(e.resource.effectiveDateTime),
    );
    expect(asc).toEqual([...asc].sort((a: number, b: number) => a - b));
  });

  it('category and status are searchable', async () => {
    const lab = await allPages(s, `Observation?patient=${TRUMAN}&category=laboratory&_count=200`);
    expect(lab.total).toBeGreaterThan(400);
    expect(lab.resources.every((o) => JSON.stringify(o.category).includes('laboratory'))).toBe(true);
    const vital = await s.get(`Observation?patient=${TRUMAN}&category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs&_count=1`);
    expect(vital.json.total).toBeGreaterThan(0);
    const final = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&status=final&_count=1`);
    expect(final.json.total).toBe(lab.total);
    const amended = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&status=amended`);
    expect(amended.json.total).toBe(0);
  });

  it('_count pages with absolute next links, followed to the end, without loss or duplicates', async () => {
    const first = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=50`);
    expect(first.json.entry).toHaveLength(50);
    const self = first.json.link.find((l: any) => l.relation === 'self').url;
    expect(self).toBe(`${r.fhir}/Observation?patient=${TRUMAN}&category=laboratory&_count=50`);
    const next = first.json.link.find((l: any) => l.relation === 'next').url;
    expect(next.startsWith(`${r.fhir}/Observation?`)).toBe(true);
    const paged = await allPages(s, `Observation?patient=${TRUMAN}&category=laboratory&_count=50`);
    const ids = paged.resources.map((o) => o.id);
    expect(paged.pages).toBe(Math.ceil(paged.total / 50));
    expect(ids).toHaveLength(paged.total);
    expect(new Set(ids).size).toBe(paged.total);
    // Same set as one big page.
    const big = await allPages(s, `Observation?patient=${TRUMAN}&category=laboratory&_count=200`);
    expect(new Set(big.resources.map((o) => o.id))).toEqual(new Set(ids));
    // After its last page a search's kept result is released; its old next links still work (the
    // query is re-run from the link).
    const links: string[] = [];
    let url: string | undefined = `Observation?patient=${TRUMAN}&category=laboratory&_count=100`;
    const pages: string[][] = [];
    while (url) {
      const page = await s.get(url);
      pages.push(page.json.entry.map((e: any) => e.resource.id));
      url = page.json.link.find((l: any) => l.relation === 'next')?.url;
      if (url) links.push(url);
    }
    const again = await s.get(links[0]!);
    expect(again.status).toBe(200);
    expect(again.json.entry.map((e: any) => e.resource.id)).toEqual(pages[1]);
    // fullUrl on every entry.
    expect(first.json.entry[0].fullUrl).toBe(`${r.fhir}/Observation/${first.json.entry[0].resource.id}`);
  });

  it('defaults _count to 50 and caps it at 200', async () => {
    const d = await s.get(`Observation?patient=${TRUMAN}&category=laboratory`);
    expect(d.json.entry).toHaveLength(50);
    const capped = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=1000`);
    expect(capped.json.entry).toHaveLength(200);
    expect((await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=abc`)).status).toBe(400);
  });

  it('requires code or category on Observation searches, like Epic (400 with an OperationOutcome)', async () => {
    const res = await s.get(`Observation?patient=${TRUMAN}`);
    expect(res.status).toBe(400);
    expect(res.json.resourceType).toBe('OperationOutcome');
    expect(res.json.issue[0].diagnostics).toMatch(/code or category/);
    const off = await launchSession(r, TRUMAN, { observation_rule: 'off' });
    const ok = await off.get(`Observation?patient=${TRUMAN}&_count=1`);
    expect(ok.status).toBe(200);
    expect(ok.json.total).toBe(659);
  });

  it('answers 404 with an OperationOutcome for unknown types and ids, 405 for writes', async () => {
    const unknown = await s.get('Foo?patient=x');
    expect(unknown.status).toBe(404);
    expect(unknown.json.resourceType).toBe('OperationOutcome');
    const missing = await s.get('Observation/does-not-exist');
    expect(missing.status).toBe(404);
    expect(missing.json.resourceType).toBe('OperationOutcome');
    const post = await fetch(`${r.fhir}/Observation`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s.accessToken}`, 'Content-Type': 'application/fhir+json' },
      body: '{}',
    });
    expect(post.status).toBe(405);
  });
});

describe('patient compartment', () => {
  it("a token reads only its own patient's data", async () => {
    const other = await launchSession(r, 'scn-hyperpara');
    // Another patient named in the query: refused.
    for (const q of [`Observation?patient=${TRUMAN}&category=laboratory`, `Condition?subject=Patient/${TRUMAN}`, `Patient/${TRUMAN}`]) {
      const res = await other.get(q);
      expect(res.status, q).toBe(403);
      expect(res.json.resourceType).toBe('OperationOutcome');
    }
    // Another patient's resource by id: does not exist for this token.
    const trumanObs = (await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=1`)).json.entry[0].resource.id;
    expect((await other.get(`Observation/${trumanObs}`)).status).toBe(404);
    expect((await s.get(`Observation/${trumanObs}`)).status).toBe(200);
    // No patient parameter at all: still only the token's own patient.
    const own = await other.get('Observation?category=laboratory&_count=200');
    expect(own.json.total).toBeGreaterThan(0);
    expect(own.json.entry.every((e: any) => e.resource.subject.reference === 'Patient/scn-hyperpara')).toBe(true);
  });

  it("next links of one token's search do not serve another token's pages", async () => {
    const first = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=10`);
    const next = first.json.link.find((l: any) => l.relation === 'next').url as string;
    const other = await launchSession(r, 'scn-hyperpara');
    const res = await other.get(next);
    expect(res.status).toBe(403);
  });
});

describe('Synthea transaction bundles', () => {
  it('resolves urn:uuid references to Type/id when loading', async () => {
    const obs = (await s.get(`Observation?patient=${TRUMAN}&category=laboratory&_count=200`)).json.entry.map((e: any) => e.resource);
    expect(obs.every((o: any) => o.subject.reference === `Patient/${TRUMAN}`)).toBe(true);
    expect(obs.every((o: any) => /^Encounter\/[0-9a-f-]+$/.test(o.encounter.reference))).toBe(true);
    const enc = await s.get(obs[0].encounter.reference);
    expect(enc.status).toBe(200);
    const reports = await allPages(s, `DiagnosticReport?patient=${TRUMAN}`);
    expect(reports.total).toBe(63);
    expect(JSON.stringify(reports.resources)).not.toContain('urn:uuid:');
    // A result referenced by a report can be read by the reference as written.
    const withResult = reports.resources.find((d) => d.result?.length);
    expect((await s.get(withResult.result[0].reference)).status).toBe(200);
  });
});

describe('parameters', () => {
  it('answers 400 for an unknown search parameter instead of an empty (falsely "missing") searchset', async () => {
    const res = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&foo=bar`);
    expect(res.status).toBe(400);
    expect(res.json.issue[0].diagnostics).toMatch(/foo/);
    expect((await s.get(`Condition?patient=${TRUMAN}&bogus:missing=true`)).status).toBe(400);
    const text = await s.get(`Observation?patient=${TRUMAN}&code:text=sodium`);
    expect(text.status).toBe(400);
    expect(text.json.issue[0].diagnostics).toMatch(/:text/);
    // Supported modifiers work: :missing, and a type modifier on patient.
    const missing = await s.get(`Observation?patient:Patient=${TRUMAN}&code=${LOINC}|2947-0&value-quantity:missing=false&_count=0`);
    expect(missing.status).toBe(200);
    expect(missing.json.total).toBe(31);
  });

  it('_summary=count and _count=0 give the total without entries', async () => {
    for (const q of ['_summary=count', '_count=0']) {
      const res = await s.get(`Observation?patient=${TRUMAN}&code=${LOINC}|2947-0&${q}`);
      expect(res.status).toBe(200);
      expect(res.json.total).toBe(31);
      expect(res.json.entry).toBeUndefined();
      expect(res.json.link.find((l: any) => l.relation === 'next')).toBeUndefined();
    }
  });

  it('answers 400 for an unparsable date', async () => {
    const res = await s.get(`Observation?patient=${TRUMAN}&category=laboratory&date=ge-not-a-date`);
    expect(res.status).toBe(400);
    expect(res.json.resourceType).toBe('OperationOutcome');
  });
});
