import { describe, expect, it } from 'vitest';
import { buildQueries, groupCodes, normaliseCodes } from '../../../src/smart/queries';
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
