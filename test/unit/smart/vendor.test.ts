// @vitest-environment jsdom
/**
 * The vendor captures (../shared/fhir-data/vendor) replayed through msw as the EHR's answers: what
 * the data layer loads from real Epic and Oracle Health (Cerner) responses.
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { RequestLog } from '../../msw/fhir-server';
import { VENDOR_BASE, vendorEhr } from '../../msw/vendor';
import { makeSession } from '../../msw/client';
import { loadRecord } from '../../../src/smart/load';
import type { ResourceLoadStatus } from '../../../src/smart/types';

// The codes a caller passes (a slice of the catalog in the clinical reference, section 1: calcium,
// albumin, phosphate, sodium, potassium, chloride, bicarbonate, urea, creatinine, eGFR, PTH, TSH).
const CODES = [
  '17861-6', '2000-8', '49765-1', '1996-8', '1751-7', '61151-7', '2777-1', '14879-1', '2951-2', '2947-0',
  '2823-3', '6298-4', '2075-0', '2069-3', '1963-8', '2028-9', '20565-8', '22664-7', '3091-6', '3094-0',
  '6299-2', '2160-0', '14682-9', '38483-4', '59826-8', '98979-8', '62238-1', '33914-3', '2731-8', '3016-3',
];

const log = new RequestLog();
const state = (statuses: ResourceLoadStatus[], type: string) => statuses.find((s) => s.resourceType === type)!;

beforeEach(() => log.clear());
afterAll(() => server.close());

describe('Epic (fhir.epic.com sandbox captures)', () => {
  const base = VENDOR_BASE.epic;

  it('patient erXu…: OperationOutcome entries skipped but reported, total ignored, labs by category loaded', async () => {
    server.resetHandlers(...vendorEhr('epic', { log }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: 'erXuFYUfucBZaryVksYEcMg3' }), {
      observationCodes: CODES,
      observationCategories: ['laboratory'],
    });
    expect(state(result.statuses, 'Patient').state).toBe('loaded');
    expect(result.patient.id).toBe('erXuFYUfucBZaryVksYEcMg3');
    const obs = state(result.statuses, 'Observation');
    expect(obs).toMatchObject({ state: 'loaded', count: 5 });
    expect(obs.message).toContain('Outside Record Results');
    const dr = state(result.statuses, 'DiagnosticReport');
    expect(dr).toMatchObject({ state: 'loaded', count: 4 });
    expect(dr.message).toBe('The EHR noted: Client not authorized for DiagnosticReport - Outside Record Results. Search results of this type have not been included.');
    expect(result.resources.some((r) => r.resourceType === 'OperationOutcome')).toBe(false);
    // A result with only Epic's local code (no LOINC) is kept as sent, for the engine's text match.
    const genotype = result.resources.find((r) => r.resourceType === 'Observation' && !(r as Observation).code.coding?.some((c) => c.system === 'http://loinc.org'));
    expect((genotype as Observation).code.text).toBe('Genotype:');
    expect(result.failures).toEqual([]);
    // Epic needs code or category on Observation: every Observation search carried one.
    for (const r of log.of('Observation')) expect(r.search.has('code') || r.search.has('category')).toBe(true);
  });

  it('patient e0w0…: the Patient read answers 404 (Epic OperationOutcome); the searches still load', async () => {
    server.resetHandlers(...vendorEhr('epic', { log, unsupported: ['ImagingStudy'] }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: 'e0w0LEDCYtfckT6N.CkJKCw3' }), {
      observationCodes: CODES,
      observationCategories: ['laboratory'],
    });
    // No Patient capture for this id: the vendor's captured 404 answer.
    expect(state(result.statuses, 'Patient')).toMatchObject({ state: 'failed', httpStatus: 404, message: 'The EHR did not find this record (404): Invalid FHIR ID provided' });
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 1 });
    expect(state(result.statuses, 'DiagnosticReport')).toMatchObject({ state: 'loaded', count: 1 });
    // Epic's HTML 404 page for an unsupported type: failed with the status, no HTML in the message.
    expect(state(result.statuses, 'ImagingStudy')).toMatchObject({ state: 'failed', httpStatus: 404, message: 'The EHR does not offer this search (404)' });
    expect(result.failures).toEqual([{ resourceType: 'ImagingStudy', kind: 'failed', httpStatus: 404, message: 'The EHR does not offer this search (404)' }]);
  });

  it('patient eq081…: an empty lab searchset with Epic\u2019s "no results" outcome is loaded with 0', async () => {
    server.resetHandlers(...vendorEhr('epic', { log }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: 'eq081-VQEgP8drUUqCWzHfw3' }), { observationCategories: ['laboratory'] });
    expect(state(result.statuses, 'Patient').state).toBe('loaded');
    const obs = state(result.statuses, 'Observation');
    expect(obs).toMatchObject({ state: 'loaded', count: 0 });
    expect(obs.message).toContain('Resource request returns no results.');
  });
});

describe('Oracle Health / Cerner (fhir-open.cerner.com sandbox captures)', () => {
  const base = VENDOR_BASE.cerner;

  it('patient 12724066: LOINC search matches results that carry a local code first; -pageContext next link followed as given', async () => {
    server.resetHandlers(...vendorEhr('cerner', { log, unsupported: ['MedicationStatement'] }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: '12724066' }), { observationCodes: CODES });
    const obs = state(result.statuses, 'Observation');
    // 42 potassium (2823-3) + 1 creatinine (2160-0); creatinine clearance and haemoglobin are not asked for.
    expect(obs).toMatchObject({ state: 'loaded', count: 43 });
    const loaded = result.resources.filter((r): r is Observation => r.resourceType === 'Observation');
    expect(loaded.every((o) => o.code.coding?.[0]?.system?.includes('codeSet/72'))).toBe(true);
    expect(new Set(loaded.map((o) => o.code.coding?.find((c) => c.system === 'http://loinc.org')?.code))).toEqual(new Set(['2823-3', '2160-0']));
    // The -pageContext link was requested exactly as Oracle Health wrote it.
    const followed = log.of('Observation').filter((r) => r.search.has('-pageContext'));
    expect(followed.length).toBeGreaterThan(0);
    expect(followed[0]!.url).toContain('&-pageContext=eJxljc0KgkAURt_lbp2BRsdfaFNtXNSmB5CrzlVkGGN-KBLfPWsltPw-zuEs0M3BeKjSA4NeEQa9jQW6YN1soYLzNZvecX0_PadBRNHNXOojMBjRNUa9NtbboBg8cFBNNxv_-6BNyyQhJJ7lRFwKoXhBWPCSpBJ5KWNMe1gZOL95faOx3UdN0HqfINTur_GF1vUDOEQ_XQ%3D%3D&-pageDirection=NEXT');
    // No Patient capture for this id: Oracle Health's captured 404.
    expect(state(result.statuses, 'Patient')).toMatchObject({ state: 'failed', httpStatus: 404, message: 'The EHR did not find this record (404): Not Found' });
    // Oracle Health's 404 OperationOutcome for an unsupported type.
    expect(state(result.statuses, 'MedicationStatement')).toMatchObject({ state: 'failed', httpStatus: 404, message: 'The EHR does not offer this search (404): Not Found' });
    // _count never above Oracle Health's cap of 200.
    for (const r of log.requests) if (r.search.has('_count')) expect(Number(r.search.get('_count'))).toBeLessThanOrEqual(200);
  });

  it('patient 12742399: no Bundle.total, category search of 50 local-coded labs plus the next page', async () => {
    server.resetHandlers(...vendorEhr('cerner', { log }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: '12742399' }), { observationCodes: CODES, observationCategories: ['laboratory'] });
    expect(state(result.statuses, 'Patient').state).toBe('loaded');
    expect(state(result.statuses, 'Observation')).toMatchObject({ state: 'loaded', count: 50 });
    expect(state(result.statuses, 'DiagnosticReport')).toMatchObject({ state: 'loaded', count: 2 });
    const followed = log.of('Observation').filter((r) => r.search.has('-pageContext'));
    expect(followed.length).toBeGreaterThanOrEqual(1);
    for (const r of followed) expect(r.search.get('-pageDirection')).toBe('NEXT');
  });

  it('patient 12744580: problem-list Condition loaded', async () => {
    server.resetHandlers(...vendorEhr('cerner', { log }));
    const result = await loadRecord(makeSession({ serverUrl: base, patient: '12744580' }), { observationCodes: CODES });
    expect(state(result.statuses, 'Patient').state).toBe('loaded');
    expect(state(result.statuses, 'Condition')).toMatchObject({ state: 'loaded', count: 1 });
    expect(result.resources.find((r) => r.resourceType === 'Condition')?.id).toBe('p76761047');
  });
});
