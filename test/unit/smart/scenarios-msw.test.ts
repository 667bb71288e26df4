// @vitest-environment jsdom
/**
 * The scenario patients of the UK codes, panels and site codes through the data layer against msw,
 * as the app page runs it:
 * the search plan with the site's codes (src/app/site-codes.ts), loadRecord, and the engine told
 * what was searched. Against a server that declares POST searches and combo-code and against a plain
 * one (GET, `code`), every search is what the plan says, and the panel is the one a clinician expects
 * (test/scenarios/index.ts) and the one the evaluator gives for the whole record.
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded (see the module)
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { FhirResource, Patient } from 'fhir/r4';
import { fakeEhr, RequestLog } from '../../msw/fhir-server';
import { makeSession } from '../../msw/client';
import { loadRecord } from '../../../src/smart/load';
import { searchPlan, type SiteCodes } from '../../../src/app/site-codes';
import { evaluate } from '../../../src/clinical/index';
import type { Evaluation } from '../../../src/clinical/model';
import { parseSiteCodes } from '../../../src/clinical/sitecodes-check';
import { readBundleText } from '../../../src/cli/read-input';
import type { SearchPlanCapabilities } from '../../../src/smart/queries';

// test/scenarios/index.ts cannot be imported under jsdom (its fileURLToPath(import.meta.url) meets
// jsdom's URL): its folder and reference date are read here; its hand-written expectations are
// checked against the engine in test/scenarios/scenarios.test.ts, and the panel here must equal the
// engine's on the whole record.
const SCENARIO_DIR = resolve(process.cwd(), 'test/scenarios');
const REFERENCE = /SCENARIO_REFERENCE_DATE = '(\d{4}-\d{2}-\d{2})'/.exec(readFileSync(join(SCENARIO_DIR, 'index.ts'), 'utf8'))![1]!;

const base = 'https://ehr.test/fhir';
const log = new RequestLog();

function record(file: string): { patient: Patient; resources: FhirResource[] } {
  const [group] = readBundleText(readFileSync(join(SCENARIO_DIR, file), 'utf8')).patients;
  return { patient: group!.patient, resources: group!.resources };
}

function siteOf(file?: string): SiteCodes {
  if (!file) return {};
  const r = parseSiteCodes(JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')));
  if (!r.ok) throw new Error('scenario site map has problems');
  return { map: r.map };
}

const view = (ev: Evaluation) => Object.fromEntries(ev.items.map((i) => [i.id, `${i.status}${i.direction ? ` ${i.direction}` : ''}${i.applies ? '' : ' (n/a)'}`]));

async function throughTheApp(file: string, site: SiteCodes, capabilities?: SearchPlanCapabilities): Promise<Evaluation> {
  const { patient, resources } = record(file);
  server.resetHandlers(...fakeEhr({ base, patient, resources, log, token: null, post: capabilities?.post ?? false }));
  const plan = searchPlan(site);
  const loaded = await loadRecord(makeSession({ serverUrl: base, patient: patient.id! }), {
    observationCodes: plan.observationCodes,
    ...(capabilities ? { capabilities } : {}),
  });
  expect(loaded.statuses.filter((s) => s.state !== 'loaded')).toEqual([]);
  return evaluate({
    patient: loaded.patient,
    resources: loaded.resources,
    failures: loaded.failures,
    now: REFERENCE,
    coverage: plan.coverage,
    ...(plan.siteCodes ? { siteCodes: plan.siteCodes } : {}),
  });
}

function wholeRecord(file: string, site: SiteCodes): Evaluation {
  const { patient, resources } = record(file);
  return evaluate({ patient, resources, now: REFERENCE, ...(site.map ? { siteCodes: site.map } : {}) });
}

const SERVERS: Array<[string, SearchPlanCapabilities | undefined]> = [
  ['a plain server (GET, code)', undefined],
  ['a server declaring POST and combo-code', { post: true, comboCode: true }],
];

beforeEach(() => log.clear());
afterAll(() => server.close());

describe.each(SERVERS)('through the data layer, %s', (_name, capabilities) => {
  it('UK record (SNOMED CT only, an NHS message): found and judged as its LOINC twin is', async () => {
    const ev = await throughTheApp('uk-snomed.json', {}, capabilities);
    expect(view(ev)).toEqual(view(wholeRecord('uk-snomed.json', {})));
    expect(view(ev)).toEqual(view(wholeRecord('twins/uk-snomed.loinc-twin.json', {})));
    expect(ev.items.find((i) => i.id === 'pth')).toMatchObject({ status: 'abnormal', direction: 'high', latest: { value: 10.4, reported: { value: 98, unit: 'ng/L' } } });
    expect(ev.findings.map((f) => f.id).sort()).toEqual(['hypercalcaemia', 'primary-hyperparathyroidism-pattern']);
    // The searches asked for SNOMED CT codes (the catalog's UK observables among them).
    const asked = log.requests.filter((r) => r.path.includes('/Observation')).flatMap((r) => (r.search.get('code') ?? r.search.get('combo-code') ?? '').split(','));
    expect(asked).toContain('http://snomed.info/sct|1107001000000108');
  });

  it('chemistry and dipstick as components of panels: fetched by the panel codes (or combo-code), read as results', async () => {
    const ev = await throughTheApp('panels-as-components.json', {}, capabilities);
    expect(view(ev)).toEqual(view(wholeRecord('panels-as-components.json', {})));
    expect(ev.items.find((i) => i.id === 'chloride')).toMatchObject({ status: 'normal', latest: { value: 104, source: 'Observation/scn-panels-cmp' } });
    expect(ev.items.find((i) => i.id === 'urinalysis')!.status).toBe('abnormal');
  });

  it('local codes: found with the site map; without it, the missing items say what was searched', async () => {
    const site = siteOf('site/site-codes.json');
    const ev = await throughTheApp('local-codes.json', site, capabilities);
    expect(view(ev)).toEqual(view(wholeRecord('local-codes.json', site)));
    expect(ev.items.find((i) => i.id === 'potassium')).toMatchObject({ status: 'abnormal', direction: 'low' });
    expect(ev.coverage).toMatchObject({ gathered: 'code-search', siteCodes: 14 });
    // The magnesium came under a code the map does not hold: not fetched, and its row says why.
    expect(ev.items.find((i) => i.id === 'magnesium')!.reason).toMatch(/^none found among results coded in LOINC, SNOMED CT and the site's 14 local codes;/);

    log.clear();
    const without = await throughTheApp('local-codes.json', {}, capabilities);
    const calcium = without.items.find((i) => i.id === 'calcium')!;
    expect(calcium.status).toBe('missing');
    expect(calcium.reason).toBe('none found among results coded in LOINC and SNOMED CT; a result sent under another code is not searched for');
    expect(without.coverage).toMatchObject({ gathered: 'code-search', codeSystems: ['http://loinc.org', 'http://snomed.info/sct'], siteCodes: 0 });
  });
});

describe('searches', () => {
  it('a POST-declaring server: one Observation search for the catalog, panel, UK and site codes, nothing twice', async () => {
    await throughTheApp('local-codes.json', siteOf('site/site-codes.json'), { post: true, comboCode: true });
    const obs = log.requests.filter((r) => r.path.includes('/Observation'));
    expect(obs).toHaveLength(1);
    expect(obs[0]!.method).toBe('POST');
    const codes = obs[0]!.search.get('combo-code')!.split(',');
    expect(codes).toEqual(expect.arrayContaining(['http://loinc.org|24323-8', 'http://snomed.info/sct|1000691000000101', 'https://pathology.riverside.example/codes|CA']));
    expect(new Set(log.requests.map((r) => r.url + (r.method === 'POST' ? r.search.toString() : ''))).size).toBe(log.requests.length);
  });
});
