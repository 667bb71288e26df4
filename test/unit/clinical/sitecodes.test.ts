/**
 * A site's terminology map (reference section 1d): checked (every problem named, a map with any is
 * not used), merged into the code index for one evaluation, and said in the evaluation's coverage;
 * a record fetched by code says what a `missing` lab item can mean.
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { DEFAULT_RULES } from '../../../src/clinical/catalog';
import { withSiteCodes, type SiteCodeMap } from '../../../src/clinical/sitecodes';
import { parseSiteCodes, siteCodeProblemText } from '../../../src/clinical/sitecodes-check';
import { item, obs, run } from './fixtures';

const LAB = 'https://pathology.riverside.example/codes';

const local = (code: string, value: number, unit: string, text?: string): Observation => ({
  ...obs('0-0', value, unit),
  code: { coding: [{ system: LAB, code, ...(text ? { display: text } : {}) }], ...(text ? { text } : {}) },
});

function mapOf(codes: Record<string, unknown>): SiteCodeMap {
  const r = parseSiteCodes({ codes });
  if (!r.ok) throw new Error(r.problems.map(siteCodeProblemText).join('; '));
  return r.map;
}

describe('parseSiteCodes', () => {
  it('reads item ids and {item, analyte, role} entries', () => {
    const r = parseSiteCodes({
      codes: {
        [`${LAB}|CA`]: 'calcium',
        [`${LAB}|BUN`]: { item: 'urea', analyte: 'bun' },
        [`${LAB}|NIT`]: { item: 'urinalysis', role: 'nitrite' },
        'urn:oid:1.2.3.4|K+': 'potassium',
      },
    });
    expect(r).toEqual({
      ok: true,
      map: {
        codes: [
          { system: LAB, code: 'CA', item: 'calcium' },
          { system: LAB, code: 'BUN', item: 'urea', analyte: 'bun' },
          { system: LAB, code: 'NIT', item: 'urinalysis', role: 'nitrite' },
          { system: 'urn:oid:1.2.3.4', code: 'K+', item: 'potassium' },
        ],
      },
    });
  });

  it('names every problem, in words, and returns no map', () => {
    const r = parseSiteCodes({
      codes: {
        'CA': 'calcium',
        'not a uri|CA': 'calcium',
        [`${LAB}| padded `]: 'calcium',
        [`${LAB}|X1`]: 'serum-unicorn',
        [`${LAB}|X2`]: { item: 'urea', analyte: 'urea-nitrogen-ish' },
        [`${LAB}|X3`]: { item: 'urinalysis', role: 'sparkle' },
        [`${LAB}|X4`]: 42,
        'http://loinc.org|2951-2': 'potassium',
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.kind)).toEqual([
      'malformed-code',
      'malformed-code',
      'malformed-code',
      'unknown-item',
      'unknown-analyte',
      'unknown-role',
      'malformed-entry',
      'catalog-conflict',
    ]);
    const text = r.problems.map(siteCodeProblemText);
    expect(text[3]).toBe(`"${LAB}|X1" maps to "serum-unicorn", which is not an item of the catalog`);
    expect(text[7]).toBe('"http://loinc.org|2951-2" is a catalog code of "sodium", not of "potassium"');
    for (const t of text) expect(t.length).toBeGreaterThan(10);
  });

  it('refuses what is not a map at all', () => {
    for (const junk of [null, 'x', [], {}, { codes: [] }, { codes: {} }]) {
      const r = parseSiteCodes(junk);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(siteCodeProblemText(r.problems[0]!)).toMatch(/site code map/);
    }
  });
});

describe('site codes in the evaluation', () => {
  const map = mapOf({ [`${LAB}|CA`]: 'calcium', [`${LAB}|BUN`]: { item: 'urea', analyte: 'bun' }, [`${LAB}|PTHI`]: 'pth' });

  it('a result under a mapped local code is found by its code, converted by its analyte', () => {
    const ev = run([local('CA', 2.4, 'mmol/L'), local('BUN', 14, 'mg/dL'), local('PTHI', 4.2, 'pmol/L')], { siteCodes: map });
    expect(item(ev, 'calcium')).toMatchObject({ status: 'normal', latest: { value: 2.4 } });
    expect(item(ev, 'calcium').latest!.matchedByText).toBeUndefined();
    // BUN 14 mg/dL x 0.357 = 5.0 mmol/L urea
    expect(item(ev, 'urea').latest!.value).toBeCloseTo(5.0, 1);
    expect(item(ev, 'pth').status).toBe('normal');
    expect(ev.coverage).toEqual({ gathered: 'record', codeSystems: ['http://loinc.org', 'http://snomed.info/sct', LAB], siteCodes: 3, textMatch: true });
  });

  it('without the map, a local code with no name is not found; with a name, it is found by text', () => {
    expect(item(run([local('CA', 2.4, 'mmol/L')]), 'calcium').status).toBe('missing');
    expect(item(run([local('CA', 2.4, 'mmol/L', 'Calcium')]), 'calcium')).toMatchObject({ status: 'normal', latest: { matchedByText: true } });
  });

  it('a catalog code the EHR sends beside a local one keeps the catalog item (the local code comes first, Oracle Health style)', () => {
    const both = mapOf({ [`${LAB}|CA`]: 'ionised-calcium' });
    const o: Observation = { ...obs('0-0', 2.4, 'mmol/L'), code: { coding: [{ system: LAB, code: 'CA' }, { system: 'http://loinc.org', code: '17861-6' }] } };
    const ev = run([o], { siteCodes: both });
    expect(item(ev, 'calcium').status).toBe('normal');
    expect(item(ev, 'ionised-calcium').status).toBe('missing');
  });

  it('is merged once per rule set and map, and changes nothing else', () => {
    expect(withSiteCodes(DEFAULT_RULES, map)).toBe(withSiteCodes(DEFAULT_RULES, map));
    expect(withSiteCodes(DEFAULT_RULES, undefined)).toBe(DEFAULT_RULES);
    expect(withSiteCodes(DEFAULT_RULES, map).codes.size).toBe(DEFAULT_RULES.codes.size + 3);
    expect(DEFAULT_RULES.codes.has(`${LAB}|CA`)).toBe(false);
    // A hand-made map naming no item cannot break an evaluation.
    const broken = { codes: [{ system: LAB, code: 'ZZ', item: 'nothing' }] } as SiteCodeMap;
    expect(() => run([local('ZZ', 1, 'mmol/L')], { siteCodes: broken })).not.toThrow();
  });
});

describe('coverage of a record fetched by code (the app)', () => {
  const coverage = { gathered: 'code-search' as const, codeSystems: ['http://loinc.org', 'http://snomed.info/sct'] };

  it('missing lab items say which codes were searched; other items and statuses keep their words', () => {
    const ev = run([obs('17861-6', 2.4, 'mmol/L')], { coverage });
    expect(ev.coverage).toEqual({ ...coverage, siteCodes: 0, textMatch: false });
    const phosphate = item(ev, 'phosphate');
    expect(phosphate.status).toBe('missing');
    expect(phosphate.reason).toBe('none found among results coded in LOINC and SNOMED CT; a result sent under another code is not searched for');
    expect(item(ev, 'calcium').reason).toBeUndefined();
    // imaging is searched by patient, not by code: its gap is not qualified
    expect(item(ev, 'renal-ultrasound').reason).toBeUndefined();
  });

  it('names the site codes searched, and why a site map is not in use', () => {
    const map = mapOf({ [`${LAB}|CA`]: 'calcium' });
    const ev = run([], { siteCodes: map, coverage: { ...coverage, codeSystems: [...coverage.codeSystems, LAB] } });
    expect(item(ev, 'phosphate').reason).toMatch(/^none found among results coded in LOINC, SNOMED CT and the site's 1 local code;/);
    const off = run([], { coverage: { ...coverage, siteMapProblem: 'the site code map is not a JSON object' } });
    expect(off.coverage!.siteMapProblem).toBe('the site code map is not a JSON object');
  });

  it('a record read whole (no coverage given) is matched by code and text, and its gaps keep their words', () => {
    const ev = run([]);
    expect(ev.coverage).toEqual({ gathered: 'record', codeSystems: ['http://loinc.org', 'http://snomed.info/sct'], siteCodes: 0, textMatch: true });
    expect(item(ev, 'phosphate').reason).toBeUndefined();
  });
});
