// @vitest-environment jsdom
/**
 * The data layer against msw: the parallel wave, paging, and every fault per resource type.
 * The app page's SMART session (src/smart/session.ts, on a fhirclient-shaped state) talks to the
 * fake EHR in test/msw.
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded (see the module)
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from 'msw';
import type { FhirResource, Observation, Patient } from 'fhir/r4';
import { fakeEhr, fhirJson, outcome, RequestLog, searchset } from '../../msw/fhir-server';
import {
  emptySearchset,
  endlessNext,
  foreignNext,
  loopingNext,
  malformedJson,
  networkError,
  neverAnswers,
  slow,
  statusFor,
  withOutcomeEntries,
} from '../../msw/faults';
import { AuthServer } from '../../msw/smart-auth';
import { makeSession } from '../../msw/client';
import { loadRecord, mergeRecords } from '../../../src/smart/load';
import type { ResourceLoadStatus } from '../../../src/smart/types';
import { CLINICAL_RESOURCE_TYPES, type ClinicalResourceType } from '../../../src/clinical/model';

const base = 'https://ehr.test/fhir';
const PID = 'p1';
const patient: Patient = { resourceType: 'Patient', id: PID, birthDate: '1970-01-01', gender: 'female' };

const obs = (id: string, code: string, pid = PID): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  subject: { reference: `Patient/${pid}` },
  effectiveDateTime: '2025-01-01',
  valueQuantity: { value: 2.4, unit: 'mmol/L' },
});
const ofType = (type: ClinicalResourceType, id: string, pid = PID) =>
  ({ resourceType: type, id, subject: { reference: `Patient/${pid}` } }) as unknown as FhirResource;

const CODES = ['17861-6', '2951-2', '2823-3', '2160-0', '1751-7'];
const record: FhirResource[] = [
  obs('o1', '17861-6'),
  obs('o2', '2951-2'),
  obs('o3', '2823-3'),
  obs('other-patient', '2951-2', 'p2'),
  ofType('Condition', 'c1'),
  ofType('MedicationRequest', 'm1'),
  ofType('MedicationStatement', 'ms1'),
  ofType('DiagnosticReport', 'd1'),
  ofType('ImagingStudy', 'i1'),
  ofType('Procedure', 'pr1'),
  ofType('ServiceRequest', 's1'),
];

const log = new RequestLog();
const state = (statuses: ResourceLoadStatus[], type: string) => statuses.find((s) => s.resourceType === type)!;

beforeEach(() => {
  log.clear();
  sessionStorage.clear();
  server.resetHandlers(...fakeEhr({ base, patient, resources: record, log }));
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => server.close());

describe('a healthy load', () => {
  it('loads the patient and every type, with counts, and sends the token to the EHR only', async () => {
    const progress: ResourceLoadStatus[][] = [];
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES, onProgress: (s) => progress.push(s) });
    expect(result.patient).toEqual(patient);
    expect(result.statuses.map((s) => s.resourceType)).toEqual(['Patient', ...CLINICAL_RESOURCE_TYPES]);
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
    expect(state(result.statuses, 'Observation').count).toBe(3);
    expect(state(result.statuses, 'Condition').count).toBe(1);
    expect(result.failures).toEqual([]);
    expect(result.sessionExpired).toBeUndefined();
    expect(result.resources.map((r) => `${r.resourceType}/${r.id}`).sort()).toEqual(
      record.filter((r) => r.id !== 'other-patient').map((r) => `${r.resourceType}/${r.id}`).sort(),
    );
    // Progress: first everything pending, last the final statuses.
    expect(progress[0]!.every((s) => s.state === 'pending')).toBe(true);
    expect(progress.at(-1)).toEqual(result.statuses);
    for (const r of log.requests) {
      expect(new URL(r.url).origin).toBe('https://ehr.test');
      expect(r.authorization).toBe('Bearer test-token');
    }
  });

  it('starts ALL first requests before any is answered (one parallel wave)', async () => {
    const expected = 1 + 3 + 7; // Patient, three Observation code groups, seven other types
    const arrived: string[] = [];
    let release!: (why: string) => void;
    const gate = new Promise<string>((resolve) => (release = resolve));
    const fallback = setTimeout(() => release('timed out: requests were not all in flight together'), 3000);
    server.use(
      http.get(`${base}/*`, async ({ request }) => {
        arrived.push(new URL(request.url).pathname);
        if (arrived.length === expected) release('all arrived');
        await gate; // hold every answer until the whole wave is in flight
        return undefined; // then fall through to the fake EHR
      }),
    );
    const many = Array.from({ length: 120 }, (_, i) => `${20000 + i}-${i % 10}`);
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: [...CODES, ...many], maxUrlLength: 1800 });
    clearTimeout(fallback);
    await expect(gate).resolves.toBe('all arrived');
    expect(arrived).toHaveLength(expected);
    expect(log.of('Observation')).toHaveLength(3);
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
  });

  it('issues every first request synchronously, in the calling task, when no refresh is needed', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    let microtaskRan = false;
    queueMicrotask(() => (microtaskRan = true)); // stands for Preact's render of the loading screen
    const pending = loadRecord(makeSession({ serverUrl: base, expiresAt: Math.floor(Date.now() / 1000) + 3600 }), { observationCodes: CODES });
    // Before any microtask (the render) could run: the whole wave has been handed to fetch().
    expect(microtaskRan).toBe(false);
    expect(fetchSpy).toHaveBeenCalledTimes(1 + 1 + 7); // Patient, one Observation code group, seven other types
    const result = await pending;
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
    expect(fetchSpy).toHaveBeenCalledTimes(9);
  });

  it('with a token about to expire, the refresh goes first and the wave follows with the new token', async () => {
    const auth = new AuthServer({ iss: base });
    auth.refreshTokens.add('rt-sync');
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log, token: null }), ...auth.handlers);
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const session = makeSession({ serverUrl: base, refreshToken: 'rt-sync', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: Math.floor(Date.now() / 1000) + 5 });
    const pending = loadRecord(session, { observationCodes: CODES });
    // Only the (shared) refresh has been requested so far.
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(String(fetchSpy.mock.calls[0]![0])).toBe(auth.tokenEndpoint);
    const result = await pending;
    expect(fetchSpy).toHaveBeenCalledTimes(1 + 9);
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
    for (const r of log.requests) expect(r.authorization).toBe(`Bearer ${auth.accessTokens.at(-1)}`);
  });

  it('follows every next link across several pages (server caps pages at 200) and dedupes', async () => {
    const conditions = Array.from({ length: 450 }, (_, i) => ofType('Condition', `c${i}`));
    const observations = Array.from({ length: 230 }, (_, i) => obs(`o${i}`, CODES[i % CODES.length]!));
    server.resetHandlers(...fakeEhr({ base, patient, resources: [...conditions, ...observations], log, maxPageSize: 200, total: 'none' }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'loaded', count: 450 });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 230 });
    expect(log.of('Condition')).toHaveLength(3);
    expect(log.of('Condition').map((r) => r.search.get('_page'))).toEqual([null, '1', '2']);
    expect(new Set(result.resources.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(result.resources.length);
  });

  it('does not stop at Bundle.total when it is only the page size (Epic)', async () => {
    const observations = Array.from({ length: 12 }, (_, i) => obs(`o${i}`, '2951-2'));
    server.resetHandlers(...fakeEhr({ base, patient, resources: observations, log, maxPageSize: 5, total: 'page' }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 12 });
    // The first page (5, total 5), then, split by code (issue 4): 2951-2 alone (5 + 5 + 2) and
    // the group's other codes (none): the paging went past every total.
    expect(log.of('Observation')).toHaveLength(5);
  });

  it('counts a resource once when two code groups or two pages return it', async () => {
    const both: Observation = { ...obs('dup', '2951-2'), code: { coding: [{ system: 'http://loinc.org', code: '2951-2' }, { system: 'http://loinc.org', code: '99999-9' }] } };
    server.use(
      http.get(`${base}/Observation`, ({ request }) => {
        log.record(request);
        const url = new URL(request.url);
        if (!url.searchParams.get('page')) {
          const next = new URL(url);
          next.searchParams.set('page', '2');
          return fhirJson(searchset([both, obs('o1', '2951-2')], { next: next.href }));
        }
        return fhirJson(searchset([both]));
      }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: ['2951-2', '99999-9'], maxUrlLength: 110 });
    expect(log.of('Observation').length).toBe(4); // two groups, two pages each
    expect(state(result.statuses, 'Observation').count).toBe(2);
    expect(result.resources.filter((r) => r.id === 'dup')).toHaveLength(1);
  });
});

describe('a large code search is read in parallel parts', () => {
  const big = [
    ...Array.from({ length: 12 }, (_, i) => obs(`ca${i}`, '17861-6')),
    ...Array.from({ length: 12 }, (_, i) => obs(`cr${i}`, '2160-0')),
    ...Array.from({ length: 12 }, (_, i) => obs(`po${i}`, '2823-3')),
  ].sort((a, b) => a.id!.localeCompare(b.id!)); // codes interleaved on the server's pages
  const pagesOf = (type: string) => log.of(type).map((r) => Number(r.search.get('_page') ?? 0));

  it('splits by code after the first page: every result once, the chain of pages as long as one code’s, not the group’s', async () => {
    server.resetHandlers(...fakeEhr({ base, patient, resources: [...big, ...record.slice(4)], log, maxPageSize: 5 }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 36 });
    expect(new Set(result.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id)).size).toBe(36);
    expect(result.resources.filter((r) => r.resourceType === 'Observation')).toHaveLength(36);
    // Without the split: 8 pages in a row (36 / 5). With it: the first page, then each code's 3 pages.
    expect(Math.max(...pagesOf('Observation'))).toBe(2);
    const parts = log.of('Observation').filter((r) => !r.search.get('_page') && r.search.get('code')!.split(',').length === 1);
    expect(parts.map((r) => r.search.get('code')).sort()).toEqual(['http://loinc.org|17861-6', 'http://loinc.org|2160-0', 'http://loinc.org|2823-3']);
  });

  it('a part that fails fails the type (never a partial record shown as complete)', async () => {
    server.resetHandlers(
      http.get(`${base}/Observation`, ({ request }) => {
        const code = new URL(request.url).searchParams.get('code');
        if (code === 'http://loinc.org|2160-0') {
          log.record(request);
          return fhirJson(outcome('Internal error'), 500);
        }
        return undefined;
      }),
      ...fakeEhr({ base, patient, resources: [...big, ...record.slice(4)], log, maxPageSize: 5 }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    const s = state(result.statuses, 'Observation');
    expect(s.state).toBe('failed');
    expect(s.httpStatus).toBe(500);
    expect(result.failures.some((f) => f.resourceType === 'Observation')).toBe(true);
  });

  it('no split when the first page shows none of the group’s codes: the next links are followed', async () => {
    const odd = Array.from({ length: 7 }, (_, i) => ({ ...obs(`x${i}`, '17861-6'), code: { coding: [{ system: 'http://loinc.org', code: '17861-6' }] } }));
    let served = 0;
    server.resetHandlers(
      http.get(`${base}/Observation`, ({ request }) => {
        log.record(request);
        const url = new URL(request.url);
        const page = Number(url.searchParams.get('_page') ?? 0);
        served++;
        // An EHR that answers with the codes re-written (a local code only): nothing to split by.
        const strip = (o: Observation): Observation => ({ ...o, code: { coding: [{ system: 'urn:local', code: 'CA' }] } });
        if (page === 0) {
          const next = new URL(url);
          next.searchParams.set('_page', '1');
          return fhirJson(searchset(odd.slice(0, 5).map(strip), { next: next.href }));
        }
        return fhirJson(searchset(odd.slice(5).map(strip)));
      }),
      ...fakeEhr({ base, patient, resources: record.slice(4), log, maxPageSize: 5 }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 7 });
    expect(served).toBe(2);
  });
});

describe('fewer searches, nothing read twice', () => {
  const many = Array.from({ length: 23 }, (_, i) => obs(`m${String(i).padStart(2, '0')}`, CODES[i % CODES.length]!));
  const observationRequests = () => log.requests.filter((r) => r.path.endsWith('/Observation') || r.path.endsWith('/Observation/_search'));

  it('POST where the server declares it: one Observation search with every code in its body, one search per type', async () => {
    const codes = [...CODES, ...Array.from({ length: 300 }, (_, i) => `http://snomed.info/sct|${1000000000000000 + i}`)];
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: codes, capabilities: { post: true, comboCode: false } });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 3 });
    const obsRequests = observationRequests();
    expect(obsRequests).toHaveLength(1);
    expect(obsRequests[0]).toMatchObject({ method: 'POST', path: '/fhir/Observation/_search' });
    expect(obsRequests[0]!.search.get('code')!.split(',')).toHaveLength(codes.length);
    expect(new URL(obsRequests[0]!.url).search).toBe('');
    // The Patient read and one search per clinical type.
    expect(log.requests).toHaveLength(1 + CLINICAL_RESOURCE_TYPES.length);
  });

  it('combo-code finds an analyte reported only as a component of a panel', async () => {
    const cmp: Observation = {
      ...obs('cmp', '24323-8'),
      valueQuantity: undefined,
      component: [{ code: { coding: [{ system: 'http://loinc.org', code: '2075-0' }] }, valueQuantity: { value: 101, unit: 'mmol/L' } }],
    };
    server.resetHandlers(...fakeEhr({ base, patient, resources: [cmp, ...record], log }));
    const byCode = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: ['2075-0'] });
    expect(byCode.resources.some((r) => r.id === 'cmp')).toBe(false);
    const byCombo = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: ['2075-0'], capabilities: { post: true, comboCode: true } });
    expect(byCombo.resources.some((r) => r.id === 'cmp')).toBe(true);
  });

  it('offset links and a total: every later page read at once, each once', async () => {
    // The server holds back each later page until all four have been asked for: a client reading
    // them one after another would get a 503 for the first and fail.
    let arrived = 0;
    let release!: () => void;
    const together = new Promise<void>((resolve) => (release = resolve));
    server.resetHandlers(
      http.get(`${base}/Observation`, async ({ request }) => {
        if (!new URL(request.url).searchParams.has('_offset')) return undefined;
        if (++arrived === 4) release();
        const timedOut = await Promise.race([together.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 2000))]);
        return timedOut ? fhirJson(outcome('pages were not asked for together'), 503) : undefined;
      }),
      ...fakeEhr({ base, patient, resources: [...many, ...record.slice(4)], log, maxPageSize: 5, paging: 'offset' }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES, capabilities: { post: true, comboCode: false } });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 23 });
    const requests = observationRequests();
    // The POST, then the pages at offsets 5, 10, 15, 20: five requests for five pages.
    expect(requests).toHaveLength(5);
    expect(requests.slice(1).map((r) => r.search.get('_offset')).sort()).toEqual(['10', '15', '20', '5']);
    expect(requests.slice(1).every((r) => r.method === 'GET')).toBe(true);
  });

  it('pages that do not line up with their links fail the search (never a silently partial record)', async () => {
    server.resetHandlers(
      http.get(`${base}/Observation`, ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('_offset') !== '10') return undefined;
        log.record(request);
        // The page at offset 10 names offset 12 as the next one: the server does not page by offsets of 5.
        const next = new URL(url);
        next.searchParams.set('_offset', '12');
        return fhirJson(searchset(many.slice(10, 15), { next: next.href, total: 23 }));
      }),
      ...fakeEhr({ base, patient, resources: [...many, ...record.slice(4)], log, maxPageSize: 5, paging: 'offset' }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation').state).toBe('failed');
    expect(state(result.statuses, 'Observation').message).toMatch(/did not line up/);
  });

  it('a first page whose total shows one more page: that page is read, no split', async () => {
    const nine = many.slice(0, 9);
    server.resetHandlers(...fakeEhr({ base, patient, resources: [...nine, ...record.slice(4)], log, maxPageSize: 5 }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 9 });
    expect(observationRequests().map((r) => r.search.get('_page'))).toEqual([null, '1']);
  });

  it('a split keeps the first page: its results count once, and nothing is lost', async () => {
    server.resetHandlers(...fakeEhr({ base, patient, resources: [...many, ...record.slice(4)], log, maxPageSize: 5, total: 'none' }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 23 });
    expect(result.resources.filter((r) => r.resourceType === 'Observation')).toHaveLength(23);
  });
});

describe('HTTP errors per resource type', () => {
  const types: ('Patient' | ClinicalResourceType)[] = ['Patient', ...CLINICAL_RESOURCE_TYPES];
  const cases = types.flatMap((type) => [401, 403, 404, 500].map((status) => [type, status] as const));

  it.each(cases)('%s answering %i', async (type, status) => {
    server.use(statusFor(base, type, status, outcome(`Simulated ${status} for this search`)));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    const s = state(result.statuses, type);
    expect(s.state).toBe(status === 401 || status === 403 ? 'forbidden' : 'failed');
    expect(s.httpStatus).toBe(status);
    expect(s.message).toContain(`(${status})`);
    expect(s.message).toContain(`Simulated ${status} for this search`);
    expect(s.message).not.toContain(PID);
    // Every other type still loaded.
    for (const other of result.statuses.filter((x) => x.resourceType !== type)) expect(other.state).toBe('loaded');
    if (type === 'Patient') {
      expect(result.failures).toEqual([]);
      expect(result.patient).toEqual({ resourceType: 'Patient', id: PID });
    } else {
      expect(result.failures).toEqual([{ resourceType: type, kind: s.state, httpStatus: status, message: s.message }]);
      expect(result.resources.some((r) => r.resourceType === type)).toBe(false);
    }
    expect(Boolean(result.sessionExpired)).toBe(status === 401);
  });

  it('an error page that is not JSON (Epic 404 HTML) still gives a clear message', async () => {
    server.use(
      http.get(`${base}/ImagingStudy`, () => new Response('<!DOCTYPE html><html><body>404 - File or directory not found.</body></html>', { status: 404, headers: { 'content-type': 'text/html' } })),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'ImagingStudy')).toEqual({ resourceType: 'ImagingStudy', state: 'failed', count: 0, httpStatus: 404, message: 'The EHR does not offer this search (404)' });
  });
});

describe('faults', () => {
  it('a type that never answers times out on its own; the others are reported meanwhile', async () => {
    server.use(neverAnswers(base, 'Procedure', log), slow(base, 'DiagnosticReport', 150, [ofType('DiagnosticReport', 'd1')]));
    const progress: ResourceLoadStatus[][] = [];
    const started = performance.now();
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES, timeoutMs: 400, onProgress: (s) => progress.push(s) });
    const elapsed = performance.now() - started;
    expect(state(result.statuses, 'Procedure')).toMatchObject({ state: 'timeout', count: 0, message: 'No answer from the EHR within 0.4 s' });
    expect(result.failures).toEqual([{ resourceType: 'Procedure', kind: 'timeout', message: 'No answer from the EHR within 0.4 s' }]);
    expect(state(result.statuses, 'DiagnosticReport').state).toBe('loaded');
    expect(elapsed).toBeLessThan(2000);
    // Condition was reported loaded while Procedure (and the slow DiagnosticReport) were pending.
    const early = progress.find((p) => state(p, 'Condition').state === 'loaded');
    expect(state(early!, 'Procedure').state).toBe('pending');
    expect(state(early!, 'DiagnosticReport').state).toBe('pending');
  });

  it('malformed JSON fails the type', async () => {
    server.use(malformedJson(base, 'Condition'));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'failed', httpStatus: 200, message: 'The EHR sent an answer that is not valid JSON' });
  });

  it('a network error fails the type', async () => {
    server.use(networkError(base, 'MedicationRequest'));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'MedicationRequest')).toMatchObject({ state: 'failed', message: 'The EHR could not be reached (network error)' });
  });

  it('an answer that is not a Bundle fails the type', async () => {
    server.use(http.get(`${base}/ServiceRequest`, () => fhirJson(outcome('weird', 'warning'))));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'ServiceRequest')).toMatchObject({ state: 'failed', message: 'The EHR answered with something other than search results: weird' });
  });

  it('an empty searchset (no entry, no total) is loaded with 0', async () => {
    server.use(emptySearchset(base, 'Observation'));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Observation')).toEqual({ resourceType: 'Observation', state: 'loaded', count: 0 });
    expect(result.failures).toEqual([]);
  });

  it('a next link that loops fails the type after reading each page once', async () => {
    server.use(loopingNext(base, 'Condition', [[ofType('Condition', 'a')], [ofType('Condition', 'b')]], log));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(log.of('Condition')).toHaveLength(3); // first URL, page=2, page=1 (new URL), then page=2 again is refused
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'failed', count: 2 });
    expect(state(result.statuses, 'Condition').message).toMatch(/loop/);
    expect(result.failures[0]).toMatchObject({ resourceType: 'Condition', kind: 'failed' });
  });

  it('a next chain that never ends fails the type at maxPages', async () => {
    server.use(endlessNext(base, 'DiagnosticReport', (page) => ofType('DiagnosticReport', `d${page}`), log));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES, maxPages: 7 });
    expect(log.of('DiagnosticReport')).toHaveLength(7);
    expect(state(result.statuses, 'DiagnosticReport')).toMatchObject({ state: 'failed', count: 7 });
    expect(state(result.statuses, 'DiagnosticReport').message).toContain('over 7');
  });

  it('never follows a next link to another server (the token would leak)', async () => {
    server.use(foreignNext(base, 'Procedure', [ofType('Procedure', 'x')], 'https://evil.test/fhir/Procedure?page=2', log));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Procedure')).toMatchObject({ state: 'failed', count: 1 });
    expect(state(result.statuses, 'Procedure').message).toMatch(/another server/);
    expect(log.requests.some((r) => r.url.includes('evil.test'))).toBe(false);
  });

  it('relative next links are resolved against the page and followed', async () => {
    server.use(
      http.get(`${base}/Condition`, ({ request }) => {
        log.record(request);
        const url = new URL(request.url);
        if (url.searchParams.get('-pageContext')) return fhirJson(searchset([ofType('Condition', 'c2')]));
        return fhirJson(searchset([ofType('Condition', 'c1')], { next: 'Condition?patient=p1&-pageContext=abc%3D%3D&-pageDirection=NEXT' }));
      }),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'loaded', count: 2 });
    expect(log.of('Condition')[1]!.search.get('-pageContext')).toBe('abc==');
  });

  it('OperationOutcome entries are not results; their text becomes a note; an error entry fails the type', async () => {
    server.use(
      withOutcomeEntries(base, 'DiagnosticReport', [ofType('DiagnosticReport', 'd1')], [outcome('Outside Record Results not included', 'warning', 'suppressed'), outcome('just info', 'information')]),
      withOutcomeEntries(base, 'Procedure', [ofType('Procedure', 'x')], [outcome('Search failed half way', 'error')]),
    );
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'DiagnosticReport')).toEqual({
      resourceType: 'DiagnosticReport',
      state: 'loaded',
      count: 1,
      message: 'The EHR noted: Outside Record Results not included',
    });
    expect(result.resources.some((r) => r.resourceType === 'OperationOutcome')).toBe(false);
    expect(state(result.statuses, 'Procedure')).toMatchObject({ state: 'failed', message: 'The EHR reported an error in the search: Search failed half way' });
  });

  it('one failing Observation group fails Observation, keeps the other groups\u2019 results', async () => {
    server.use(
      http.get(`${base}/Observation`, ({ request }) => {
        if (new URL(request.url).searchParams.get('code')?.includes('2823-3')) return fhirJson(outcome('Group exploded'), 500);
        return undefined;
      }),
    );
    // A tight URL budget: one code per group.
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES, maxUrlLength: 110 });
    const s = state(result.statuses, 'Observation');
    expect(s).toMatchObject({ state: 'failed', httpStatus: 500, count: 2 });
    expect(s.message).toContain('1 of 5 searches');
    expect(s.message).toContain('Group exploded');
    expect(result.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id).sort()).toEqual(['o1', 'o2']);
    expect(result.failures).toEqual([{ resourceType: 'Observation', kind: 'failed', httpStatus: 500, message: s.message }]);
  });

  it('a Patient answer for another patient is refused', async () => {
    server.use(http.get(`${base}/Patient/:id`, () => fhirJson({ ...patient, id: 'someone-else' })));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(state(result.statuses, 'Patient')).toMatchObject({ state: 'failed', message: 'The EHR answered with a different patient than the one launched' });
    expect(result.patient).toEqual({ resourceType: 'Patient', id: PID });
  });

  it('no patient in context: nothing is requested, everything failed', async () => {
    const result = await loadRecord(makeSession({ serverUrl: base, patient: '' }), { observationCodes: CODES });
    expect(log.requests).toHaveLength(0);
    expect(result.statuses.every((s) => s.state === 'failed')).toBe(true);
    expect(result.failures).toHaveLength(8);
  });

  it('writes nothing to the console, whatever happens', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    server.use(statusFor(base, 'Condition', 500), malformedJson(base, 'Procedure'), statusFor(base, 'Patient', 404));
    await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('retry and stop waiting', () => {
  it('only: reloads just the failed types; mergeRecords folds them in', async () => {
    server.use(statusFor(base, 'Procedure', 500));
    const client = makeSession({ serverUrl: base });
    const first = await loadRecord(client, { observationCodes: CODES });
    expect(first.failures.map((f) => f.resourceType)).toEqual(['Procedure']);
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log }));
    log.clear();
    const retry = await loadRecord(client, { only: ['Procedure'], observationCodes: CODES });
    expect(retry.statuses.map((s) => s.resourceType)).toEqual(['Patient', 'Procedure']);
    expect(log.requests.map((r) => r.path)).toEqual(['/fhir/Patient/p1', '/fhir/Procedure']);
    const merged = mergeRecords(first, retry);
    expect(merged.failures).toEqual([]);
    expect(merged.statuses.map((s) => s.resourceType)).toEqual(['Patient', ...CLINICAL_RESOURCE_TYPES]);
    expect(merged.statuses.every((s) => s.state === 'loaded')).toBe(true);
    expect(merged.resources).toHaveLength(first.resources.length + 1);
  });

  it('mergeRecords: the retried type’s partial resources are replaced, not doubled; a failed Patient re-read keeps the first', async () => {
    server.use(
      http.get(`${base}/Observation`, ({ request }) => {
        if (new URL(request.url).searchParams.get('code')?.includes('2823-3')) return fhirJson(outcome('Group exploded'), 500);
        return undefined;
      }),
    );
    const client = makeSession({ serverUrl: base });
    const first = await loadRecord(client, { observationCodes: CODES, maxUrlLength: 110 });
    expect(first.resources.filter((r) => r.resourceType === 'Observation')).toHaveLength(2);
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log }), statusFor(base, 'Patient', 503));
    const retry = await loadRecord(client, { only: ['Observation'], observationCodes: CODES, maxUrlLength: 110 });
    const merged = mergeRecords(first, retry);
    expect(merged.resources.filter((r) => r.resourceType === 'Observation').map((r) => r.id).sort()).toEqual(['o1', 'o2', 'o3']);
    expect(merged.patient).toEqual(patient);
    expect(state(merged.statuses, 'Patient').state).toBe('loaded');
    expect(state(merged.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 3 });
    expect(merged.failures).toEqual([]);
  });

  it('stop waiting (signal) resolves with what loaded; the rest is reported timeout', async () => {
    server.use(neverAnswers(base, 'ImagingStudy'), neverAnswers(base, 'Observation'));
    const controller = new AbortController();
    const promise = loadRecord(makeSession({ serverUrl: base }), {
      observationCodes: CODES,
      signal: controller.signal,
      onProgress: (s) => {
        if (s.filter((x) => x.state === 'loaded').length === 7) controller.abort();
      },
    });
    const result = await promise;
    expect(state(result.statuses, 'ImagingStudy')).toMatchObject({ state: 'timeout', message: 'Stopped waiting before the EHR answered' });
    expect(state(result.statuses, 'Observation').state).toBe('timeout');
    expect(result.failures.map((f) => f.kind)).toEqual(['timeout', 'timeout']);
    expect(state(result.statuses, 'Condition').state).toBe('loaded');
  });
});

describe('session expiry', () => {
  const auth = new AuthServer({ iss: base });

  it('an expired token with a refresh token is refreshed once (the session, as fhirclient would) before the wave', async () => {
    auth.refreshTokens.add('rt-1');
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log, token: null }), ...auth.handlers);
    const before = auth.tokenRequests.length;
    const client = makeSession({ serverUrl: base, refreshToken: 'rt-1', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: Math.floor(Date.now() / 1000) - 60, key: 'k1' });
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(auth.tokenRequests.length - before).toBe(1);
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
    const fresh = auth.accessTokens.at(-1);
    for (const r of log.requests) expect(r.authorization).toBe(`Bearer ${fresh}`);
    // The refreshed state is persisted where fhirclient keeps it: sessionStorage, never localStorage.
    expect(JSON.parse(sessionStorage.getItem('k1')!).tokenResponse.access_token).toBe(fresh);
    expect(localStorage.length).toBe(0);
  });

  it('a 401 mid-session with a refresh token: one refresh, the request is retried and succeeds', async () => {
    auth.refreshTokens.add('rt-2');
    // The EHR accepts only tokens its authorization server issued (the client starts with a revoked one).
    server.resetHandlers(
      ...auth.handlers,
      http.get(`${base}/*`, ({ request }) => {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
        return auth.accessTokens.includes(token) ? undefined : fhirJson(outcome('expired', 'error', 'login'), 401);
      }),
      ...fakeEhr({ base, patient, resources: record, log, token: null }),
    );
    const client = makeSession({ serverUrl: base, accessToken: 'revoked', refreshToken: 'rt-2', tokenUri: auth.tokenEndpoint, scope: 'launch online_access' });
    const before = auth.tokenRequests.length;
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(auth.tokenRequests.length - before).toBe(1);
    expect(auth.tokenRequests.at(-1)!.get('grant_type')).toBe('refresh_token');
    expect(result.statuses.every((s) => s.state === 'loaded')).toBe(true);
    expect(result.sessionExpired).toBeUndefined();
  });

  it('a token that expires while loading is refreshed before the next page (proactive, as fhirclient does)', async () => {
    auth.refreshTokens.add('rt-3');
    const conditions = Array.from({ length: 5 }, (_, i) => ofType('Condition', `late${i}`));
    const client = makeSession({ serverUrl: base, refreshToken: 'rt-3', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    const seen: string[] = [];
    server.resetHandlers(
      ...auth.handlers,
      http.get(`${base}/Condition`, ({ request }) => {
        seen.push(request.headers.get('authorization') ?? '');
        // The first page is answered; then the token runs out.
        if (seen.length === 1) client.state.expiresAt = Math.floor(Date.now() / 1000) - 1;
        return undefined;
      }),
      ...fakeEhr({ base, patient, resources: [...record, ...conditions], log, token: null, maxPageSize: 2 }),
    );
    const before = auth.tokenRequests.length;
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(auth.tokenRequests.length - before).toBe(1);
    expect(seen[0]).toBe('Bearer test-token');
    expect(seen.at(-1)).toBe(`Bearer ${auth.accessTokens.at(-1)}`);
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'loaded', count: 6 });
  });

  it('a token endpoint that never answers does not hang the load', async () => {
    server.resetHandlers(
      http.post(auth.tokenEndpoint, async ({ request }) => {
        await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve(), { once: true }));
        return new Response(null, { status: 504 });
      }),
      ...fakeEhr({ base, patient, resources: record, log, token: 'never' }),
    );
    const client = makeSession({ serverUrl: base, accessToken: 'stale', refreshToken: 'rt-x', tokenUri: auth.tokenEndpoint, scope: 'launch online_access' });
    const started = performance.now();
    const result = await loadRecord(client, { observationCodes: CODES, timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.sessionExpired).toBe(true);
  });

  it('a 401 with no refresh possible: sessionExpired, every type forbidden with 401', async () => {
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log, token: 'some-other-token' }));
    const result = await loadRecord(makeSession({ serverUrl: base }), { observationCodes: CODES });
    expect(result.sessionExpired).toBe(true);
    expect(result.statuses.every((s) => s.state === 'forbidden' && s.httpStatus === 401)).toBe(true);
    expect(result.failures).toHaveLength(8);
  });

  it('a refused refresh: sessionExpired', async () => {
    server.resetHandlers(...fakeEhr({ base, patient, resources: record, log, token: 'never' }), ...auth.handlers);
    const client = makeSession({ serverUrl: base, refreshToken: 'unknown-rt', tokenUri: auth.tokenEndpoint, scope: 'launch online_access', expiresAt: 1 });
    const result = await loadRecord(client, { observationCodes: CODES });
    expect(result.sessionExpired).toBe(true);
    expect(state(result.statuses, 'Patient')).toMatchObject({ state: 'forbidden', httpStatus: 401 });
  });
});
