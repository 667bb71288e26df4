// @vitest-environment jsdom
/**
 * The site code map on the app page (src/app/site-codes.ts): read from beside the app, checked, and
 * turned into the search plan; and the panel's line saying what was searched (SearchCoverage).
 */
import { cleanup } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSiteCodes, searchPlan } from '../../../src/app/site-codes';
import { searchObservationCodes } from '../../../src/app/codes';
import { axeViolations, renderApp } from './render';
import { readyData } from './fixtures';

afterEach(cleanup);

const URL_ = 'https://app.example/site-codes.json';
const answer = (status: number, body: unknown) =>
  (async (url: string) => {
    expect(url).toBe(URL_);
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof fetch;

describe('loadSiteCodes', () => {
  it('no file (404): no map and nothing to say', async () => {
    expect(await loadSiteCodes(URL_, answer(404, 'not here'))).toEqual({});
  });

  it('a good map', async () => {
    const r = await loadSiteCodes(URL_, answer(200, { codes: { 'https://lab.example/codes|CA': 'calcium' } }));
    expect(r).toEqual({ map: { codes: [{ system: 'https://lab.example/codes', code: 'CA', item: 'calcium' }] } });
  });

  it('a map with problems, not JSON, an error answer, no answer: not used, and why', async () => {
    const bad = await loadSiteCodes(URL_, answer(200, { codes: { a: 'calcium', 'https://l/c|X': 'nope', 'https://l/c|Y': 'nope', 'https://l/c|Z': 'nope' } }));
    expect(bad).toEqual({ problem: '"a" is not <system URI>|<code>; "https://l/c|X" maps to "nope", which is not an item of the catalog; and 2 more' });
    expect(await loadSiteCodes(URL_, answer(200, '{oops'))).toEqual({ problem: 'site-codes.json is not valid JSON' });
    expect(await loadSiteCodes(URL_, answer(500, ''))).toEqual({ problem: 'site-codes.json could not be read (HTTP 500)' });
    const hangs = ((_: string, init: RequestInit) => new Promise((_r, reject) => init.signal!.addEventListener('abort', () => reject(new Error('x'))))) as unknown as typeof fetch;
    expect(await loadSiteCodes(URL_, hangs, 20)).toEqual({ problem: 'site-codes.json could not be read (no answer in time)' });
  });
});

describe('searchPlan', () => {
  it('without a map: the catalog, auxiliary and panel codes, LOINC and SNOMED CT searched', () => {
    const plan = searchPlan({});
    expect(plan.observationCodes).toEqual(searchObservationCodes());
    expect(plan.coverage).toEqual({ gathered: 'code-search', codeSystems: ['http://loinc.org', 'http://snomed.info/sct'] });
    expect(plan.siteCodes).toBeUndefined();
  });

  it('with a map: its codes join the search, its system the coverage; a problem is passed on', () => {
    const map = { codes: [{ system: 'https://lab.example/codes', code: 'CA', item: 'calcium' }] };
    const plan = searchPlan({ map });
    expect(plan.observationCodes).toContain('https://lab.example/codes|CA');
    expect(plan.coverage.codeSystems).toEqual(['http://loinc.org', 'http://snomed.info/sct', 'https://lab.example/codes']);
    expect(plan.siteCodes).toBe(map);
    expect(searchPlan({ problem: 'site-codes.json is not valid JSON' }).coverage.siteMapProblem).toBe('site-codes.json is not valid JSON');
  });
});

describe('the panel says what was searched', () => {
  it('a record fetched by code: which codes, what "Missing" means, why a site map is not in use; no axe violation', async () => {
    const data = readyData();
    data.evaluation = {
      ...data.evaluation,
      coverage: { gathered: 'code-search', codeSystems: ['http://loinc.org', 'http://snomed.info/sct'], siteCodes: 0, textMatch: false, siteMapProblem: 'site-codes.json is not valid JSON' },
    };
    const { container } = renderApp({ phase: 'ready', data });
    const line = container.querySelector('[data-coverage]')!;
    expect(line.textContent).toBe(
      'Lab results were searched for by code (LOINC and SNOMED CT): a result sent under another code is not fetched, so “Missing” means not found under these codes. The site’s code map is not in use: site-codes.json is not valid JSON.',
    );
    expect(await axeViolations(container)).toEqual([]);
  });

  it('a record read whole (or an evaluation that does not say): no line', () => {
    const data = readyData();
    data.evaluation = { ...data.evaluation, coverage: { gathered: 'record', codeSystems: ['http://loinc.org'], siteCodes: 0, textMatch: true } };
    expect(renderApp({ phase: 'ready', data }).container.querySelector('[data-coverage]')).toBeNull();
  });
});
