import { describe, expect, it } from 'vitest';
import { buildQueries, groupCodes, normaliseCodes, type SearchRequest } from '../../../src/smart/queries';
import { linkOffset, pagedWhenSmall, pageUrls, splitCodeSearch } from '../../../src/smart/paging';
import { CLINICAL_RESOURCE_TYPES } from '../../../src/clinical/model';

const base = 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4/';
/** 160 LOINC-like codes: more than the catalog holds. */
const manyCodes = Array.from({ length: 160 }, (_, i) => `${10000 + i * 7}-${i % 10}`);

describe('normaliseCodes', () => {
  it('prefixes bare codes with LOINC, keeps system|code, drops blanks and duplicates', () => {
    expect(normaliseCodes(['2951-2', ' http://loinc.org|2951-2 ', '', 'http://snomed.info/sct|306005', '2951-2'])).toEqual([
      'http://loinc.org|2951-2',
      'http://snomed.info/sct|306005',
    ]);
  });
});

describe('groupCodes', () => {
  it('never exceeds the budget and keeps every code once, in order', () => {
    const tokens = normaliseCodes(manyCodes);
    const groups = groupCodes(tokens, 100, 600);
    expect(groups.flat()).toEqual(tokens);
    for (const g of groups) expect(100 + g.map(encodeURIComponent).join(',').length).toBeLessThanOrEqual(600);
    expect(groups.length).toBeGreaterThan(1);
  });
  it('a token longer than the budget gets a group of its own', () => {
    expect(groupCodes(['x'.repeat(50), 'a', 'b'], 10, 20)).toEqual([['x'.repeat(50)], ['a', 'b']]);
  });
});

describe('buildQueries', () => {
  const queries = buildQueries({ serverUrl: base, patientId: 'erXuFYUfucBZaryVksYEcMg3', observationCodes: manyCodes });

  it('one search per clinical type, Observation split into code groups, all with _count=200 and patient=', () => {
    for (const type of CLINICAL_RESOURCE_TYPES) expect(queries.some((q) => q.resourceType === type)).toBe(true);
    const obs = queries.filter((q) => q.resourceType === 'Observation');
    expect(obs.length).toBeGreaterThan(1);
    for (const q of queries) {
      const url = new URL(q.url);
      expect(url.origin + url.pathname).toBe(`${base}${q.resourceType}`);
      expect(url.searchParams.get('patient')).toBe('erXuFYUfucBZaryVksYEcMg3');
      expect(url.searchParams.get('_count')).toBe('200');
    }
  });

  it('keeps every search URL under 1,800 characters and loses no code', () => {
    for (const q of queries) expect(q.url.length).toBeLessThanOrEqual(1800);
    const codes = queries
      .filter((q) => q.resourceType === 'Observation')
      .flatMap((q) => new URL(q.url).searchParams.get('code')!.split(','));
    expect(codes).toEqual(manyCodes.map((c) => `http://loinc.org|${c}`));
  });

  it('Observation searches always carry code or category (Epic and Oracle Health require one)', () => {
    const none = buildQueries({ serverUrl: base, patientId: 'p' });
    const obs = none.filter((q) => q.resourceType === 'Observation');
    expect(obs).toHaveLength(1);
    expect(new URL(obs[0]!.url).searchParams.get('category')).toBe('laboratory');
    const both = buildQueries({ serverUrl: base, patientId: 'p', observationCodes: ['2951-2'], observationCategories: ['laboratory'] });
    expect(both.filter((q) => q.resourceType === 'Observation').map((q) => [...new URL(q.url).searchParams.keys()].sort().join())).toEqual([
      '_count,code,patient',
      '_count,category,patient',
    ]);
  });

  it('honours a custom URL budget, a page size and a subset of types', () => {
    const small = buildQueries({ serverUrl: base, patientId: 'p', observationCodes: manyCodes, maxUrlLength: 400, pageSize: 50, types: ['Observation', 'Condition'] });
    expect(new Set(small.map((q) => q.resourceType))).toEqual(new Set(['Observation', 'Condition']));
    for (const q of small) {
      expect(q.url.length).toBeLessThanOrEqual(400);
      expect(new URL(q.url).searchParams.get('_count')).toBe('50');
    }
  });

  it('encodes the patient id', () => {
    const [q] = buildQueries({ serverUrl: base, patientId: 'a&b=c', types: ['Condition'] });
    expect(new URL(q!.url).searchParams.get('patient')).toBe('a&b=c');
  });
});

describe('splitCodeSearch: a large code search is read in parallel parts', () => {
  const L = 'http://loinc.org';
  const group = [`${L}|2951-2`, `${L}|2823-3`, `${L}|17861-6`, `${L}|2160-0`, `${L}|3094-0`];
  const url: SearchRequest = { url: buildQueries({ serverUrl: base, patientId: 'p.1', observationCodes: group }).find((q) => q.resourceType === 'Observation')!.url };
  const obs = (...tokens: string[]) =>
    ({ resourceType: 'Observation', code: { coding: tokens.map((t) => ({ system: t.split('|')[0], code: t.split('|')[1] })) } }) as never;
  const codesOf = (r: SearchRequest) => new URL(r.url).searchParams.get('code')!.split(',');

  it('one part per code the first page shows (most frequent first), one for all the others; together exactly the group', () => {
    const page = [obs(group[2]!), obs(group[0]!), obs(group[2]!), obs(group[2]!), obs(group[0]!), obs(group[3]!)];
    const parts = splitCodeSearch(url, page)!;
    expect(parts.map(codesOf)).toEqual([[group[2]], [group[0]], [group[3]], [group[1], group[4]]]);
    expect(new Set(parts.flatMap(codesOf))).toEqual(new Set(group));
    for (const p of parts) {
      expect(p.body).toBeUndefined();
      const u = new URL(p.url);
      expect(u.origin + u.pathname).toBe(`${base}Observation`);
      expect(u.searchParams.get('patient')).toBe('p.1');
      expect(u.searchParams.get('_count')).toBe('200');
      expect(u.searchParams.getAll('code')).toHaveLength(1);
    }
  });

  it('no "others" part when the first page shows every code', () => {
    const parts = splitCodeSearch(url, group.map((t) => obs(t)))!;
    expect(parts).toHaveLength(group.length);
    expect(new Set(parts.flatMap(codesOf))).toEqual(new Set(group));
  });

  it('at most maxParts searches: the less frequent codes join the "others" part', () => {
    const page = [obs(group[0]!), obs(group[0]!), obs(group[1]!), obs(group[2]!), obs(group[3]!)];
    const parts = splitCodeSearch(url, page, 3)!;
    expect(parts).toHaveLength(3);
    expect(parts.map(codesOf)).toEqual([[group[0]], [group[1]], [group[2], group[3], group[4]]]);
  });

  it('an Observation coded twice in the group counts for both codes; codes outside the group and non-codings are ignored', () => {
    const page = [
      obs(group[0]!, group[1]!),
      obs('http://loinc.org|9999-9'),
      { resourceType: 'Observation', code: { coding: [null, { system: L }, 'x'] } } as never,
    ];
    expect(splitCodeSearch(url, page)!.map(codesOf)).toEqual([[group[0]], [group[1]], [group[2], group[3], group[4]]]);
  });

  it('no split when there is nothing to divide: one code, no code parameter, or a first page that shows none of the codes', () => {
    const one = buildQueries({ serverUrl: base, patientId: 'p', observationCodes: [group[0]!] })[0]!;
    expect(splitCodeSearch(one, [obs(group[0]!)])).toBeUndefined();
    expect(splitCodeSearch({ url: `${base}Observation?patient=p&category=laboratory&_count=200` }, [obs(group[0]!)])).toBeUndefined();
    expect(splitCodeSearch(url, [obs('http://loinc.org|9999-9')])).toBeUndefined();
    expect(splitCodeSearch(url, [])).toBeUndefined();
    expect(splitCodeSearch({ url: 'not a url' }, [obs(group[0]!)])).toBeUndefined();
  });

  it('splits a POST search in POST parts (codes in the body), and a combo-code search by code or component code', () => {
    const [post] = buildQueries({ serverUrl: base, patientId: 'p.1', observationCodes: group, types: ['Observation'], capabilities: { post: true, comboCode: true } });
    expect(post).toMatchObject({ url: `${base}Observation/_search` });
    const body = new URLSearchParams(post!.body);
    expect(body.get('combo-code')!.split(',')).toEqual(group);
    expect(body.get('patient')).toBe('p.1');
    expect(body.get('_count')).toBe('200');
    const panel = { resourceType: 'Observation', code: { coding: [{ system: L, code: '24323-8' }] }, component: [{ code: { coding: [{ system: L, code: '2951-2' }] } }, { code: { coding: [{ system: L, code: '2823-3' }] } }] } as never;
    const parts = splitCodeSearch(post!, [panel, obs(group[2]!)])!;
    expect(parts.every((p) => p.url === `${base}Observation/_search` && p.body !== undefined)).toBe(true);
    const partCodes = parts.map((p) => new URLSearchParams(p.body).get('combo-code')!.split(','));
    expect(partCodes.slice(0, 3).map((c) => c[0])).toEqual(expect.arrayContaining([group[0], group[1], group[2]]));
    expect(new Set(partCodes.flat())).toEqual(new Set(group));
    for (const p of parts) expect(new URLSearchParams(p.body).get('patient')).toBe('p.1');
  });
});

describe('buildQueries with what the server declares', () => {
  const codes = Array.from({ length: 400 }, (_, i) => `http://snomed.info/sct|${1000000000000000 + i}`);
  it('POST: one Observation search, every code in its body, the other types unchanged', () => {
    const qs = buildQueries({ serverUrl: base, patientId: 'p', observationCodes: codes, capabilities: { post: true, comboCode: false } });
    const obs = qs.filter((q) => q.resourceType === 'Observation');
    expect(obs).toHaveLength(1);
    expect(new URLSearchParams(obs[0]!.body).get('code')!.split(',')).toEqual(codes);
    expect(qs.filter((q) => q.body !== undefined)).toHaveLength(1);
    expect(qs).toHaveLength(CLINICAL_RESOURCE_TYPES.length);
  });
  it('combo-code without POST: URL groups of combo-code', () => {
    const qs = buildQueries({ serverUrl: base, patientId: 'p', observationCodes: codes, capabilities: { post: false, comboCode: true } });
    const obs = qs.filter((q) => q.resourceType === 'Observation');
    expect(obs.length).toBeGreaterThan(1);
    for (const q of obs) {
      expect(q.url.length).toBeLessThanOrEqual(1800);
      expect(new URL(q.url).searchParams.has('code')).toBe(false);
    }
    expect(obs.flatMap((q) => new URL(q.url).searchParams.get('combo-code')!.split(','))).toEqual(codes);
  });
});

describe('reading the rest of a search: by offset, paged when small', () => {
  const next = 'https://ehr.test/fhir/Observation?_getpages=abc&_offset=200&_count=200';
  it('derives the link of every later page from an offset link and a credible total', () => {
    expect(pageUrls(next, 200, 730, 100)).toEqual([200, 400, 600].map((o) => `https://ehr.test/fhir/Observation?_getpages=abc&_offset=${o}&_count=200`));
    const hapi = 'https://hapi.test/fhir?_getpages=9f1&_getpagesoffset=50&_count=50&_bundletype=searchset';
    expect(pageUrls(hapi, 50, 120, 100)).toHaveLength(2);
  });
  it('not from an opaque link, an offset that is not the page size, no total, a page-size total (Epic), or too many pages', () => {
    expect(pageUrls('https://fhir.epic.com/api/FHIR/R4/Observation?sessionID=17-677B', 200, 730, 100)).toBeUndefined();
    expect(pageUrls('https://ehr.test/fhir/Observation?_getpages=abc&_offset=150', 200, 730, 100)).toBeUndefined();
    expect(pageUrls(next, 200, undefined, 100)).toBeUndefined();
    expect(pageUrls(next, 200, 200, 100)).toBeUndefined();
    expect(pageUrls(next, 200, 730, 3)).toBeUndefined();
    expect(pageUrls(next, 0, 730, 100)).toBeUndefined();
  });
  it('linkOffset compares two links of one search whatever the order of their parameters', () => {
    const a = linkOffset('https://ehr.test/fhir/Observation?_getpages=abc&_offset=400&_count=200')!;
    const b = linkOffset('https://ehr.test/fhir/Observation?_count=200&_offset=400&_getpages=abc')!;
    expect(a).toEqual(b);
    expect(a.offset).toBe(400);
    expect(linkOffset('https://fhir.epic.com/api/FHIR/R4/Observation?sessionID=1')).toBeUndefined();
  });
  it('a first page whose total shows one more page at most is paged', () => {
    expect(pagedWhenSmall(200, 400)).toBe(true);
    expect(pagedWhenSmall(200, 401)).toBe(false);
    expect(pagedWhenSmall(200, 200)).toBe(false);
    expect(pagedWhenSmall(200, undefined)).toBe(false);
  });
});
