/**
 * The sandbox answers `<type>?code=system|code,...` from an index (FhirStore.searchByCodes, issue 4).
 * It must give exactly medplum's answer: the same resources in the same order, for every patient the
 * sandbox serves (re-dated scenarios, Synthea, the heavy patient) and for code lists drawn from the
 * codes each record holds, codes it does not hold, and the app's own code groups; the same for
 * Observation's `combo-code` (code or component code).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FhirResource } from 'fhir/r4';
import type { MemoryRepository } from '@medplum/fhir-router';
import { codeIndexable, FhirStore, type CodeParam, initEngine, isCompartmentType, isKnownResourceType } from '../../src/sandbox/engine';
import { loadSandboxData } from '../../src/sandbox/data';
import { generateHeavyBundle, mulberry32 } from '../heavy/generate';
import { buildQueries } from '../../src/smart/queries';
import { searchObservationCodes } from '../../src/app/codes';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = ['Observation', 'Condition', 'DiagnosticReport', 'Procedure', 'ServiceRequest'];

let store: FhirStore;
let patients: string[];

async function medplum(repo: MemoryRepository, type: string, tokens: string[], param: CodeParam = 'code'): Promise<string[]> {
  const [, bundle] = await store.router.handleRequest(
    { method: 'GET', url: type, pathname: '', body: undefined, params: {}, query: { [param]: tokens.join(',') } },
    repo,
  );
  return ((bundle as { entry?: Array<{ resource: FhirResource }> }).entry ?? []).map((e) => e.resource.id!);
}

type Codings = { coding?: Array<{ system?: string; code?: string }> };

/** The `system|code` tokens of the resources' codes (and, with `components`, of their components' codes). */
function tokensOf(resources: FhirResource[], components = false): string[] {
  const out = new Set<string>();
  for (const r of resources) {
    const x = r as { code?: Codings; component?: Array<{ code?: Codings }> };
    const concepts = [x.code, ...(components ? (x.component ?? []).map((c) => c.code) : [])];
    for (const cc of concepts) for (const c of cc?.coding ?? []) if (c.system && c.code) out.add(`${c.system}|${c.code}`);
  }
  return [...out];
}

beforeAll(async () => {
  initEngine();
  const data = loadSandboxData({ root, isKnownType: isKnownResourceType, isCompartmentType, extraDir: undefined });
  const heavy = generateHeavyBundle({ visits: 250 });
  const heavyResources = (heavy.entry ?? []).map((e) => e.resource as FhirResource);
  data.byPatient.set('heavy-patient', heavyResources);
  store = new FhirStore();
  await store.load(data.byPatient, data.shared);
  patients = [...data.byPatient.keys()];
}, 120_000);

describe('sandbox code index (FhirStore.searchByCodes)', () => {
  it('only answers the type\u2019s own code element with system|code tokens', () => {
    expect(codeIndexable('Observation', ['http://loinc.org|2951-2'])).toBe(true);
    expect(codeIndexable('Condition', ['http://snomed.info/sct|1'])).toBe(true);
    expect(codeIndexable('MedicationRequest', ['http://www.nlm.nih.gov/research/umls/rxnorm|1'])).toBe(false);
    expect(codeIndexable('Observation', ['2951-2'])).toBe(false);
    expect(codeIndexable('Observation', ['|2951-2'])).toBe(false);
    expect(codeIndexable('Observation', ['http://loinc.org|'])).toBe(false);
    expect(codeIndexable('Observation', [])).toBe(false);
    expect(codeIndexable('Observation', ['http://loinc.org|2951-2'], 'combo-code')).toBe(true);
    expect(codeIndexable('Condition', ['http://snomed.info/sct|1'], 'combo-code')).toBe(false);
  });

  it('gives medplum\u2019s answer, same resources in the same order, for every patient and many code lists', async () => {
    const appCodes = searchObservationCodes();
    const appGroups = buildQueries({ serverUrl: 'http://x/fhir', patientId: 'p', observationCodes: appCodes })
      .filter((q) => q.resourceType === 'Observation')
      .map((q) => new URL(q.url).searchParams.get('code')!.split(','));
    const random = mulberry32(20261124);
    let compared = 0;
    let nonEmpty = 0;
    expect(patients.length).toBeGreaterThan(5);
    for (const pid of patients) {
      const repo = store.repoFor(pid);
      for (const [type, param] of [...TYPES.map((t) => [t, 'code'] as const), ['Observation', 'combo-code'] as const]) {
        const [, bundle] = await store.router.handleRequest({ method: 'GET', url: type, pathname: '', body: undefined, params: {}, query: {} }, repo);
        const present = tokensOf(((bundle as { entry?: Array<{ resource: FhirResource }> }).entry ?? []).map((e) => e.resource), param === 'combo-code');
        const lists: string[][] = [...(type === 'Observation' ? appGroups : []), ['http://loinc.org|0000-0'], present];
        for (let k = 0; k < 6 && present.length; k++) {
          const pick = present.filter(() => random() < 0.3);
          lists.push([...pick, ...(random() < 0.5 ? ['http://example.org/absent|x'] : [])]);
        }
        for (const list of lists) {
          if (!list.length) continue;
          const fast = (await store.searchByCodes(repo, type, list, param)).map((r) => r.id);
          expect(fast, `${pid} ${type} ${param} ${list.length} codes`).toEqual(await medplum(repo, type, list, param));
          compared++;
          if (fast.length) nonEmpty++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    expect(nonEmpty).toBeGreaterThan(30);
  }, 120_000);
});
