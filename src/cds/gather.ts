/**
 * The record for one hook call, from the request's prefetch and, for what it lacks, from the EHR's
 * FHIR server (`fhirServer` with `fhirAuthorization.access_token`).
 *
 * Per prefetch key (CDS Hooks 2.0, "Prefetch Template"):
 * - absent: the client did not satisfy it → fetched (fetch.ts);
 * - `null`: the client has no data for it → an empty search (for the Patient read: 412);
 * - an OperationOutcome: the client could not get it → that type could not be loaded (not fetched
 *   again: that is what the spec asks the OperationOutcome for); the items it holds read unknown;
 * - a searchset Bundle: its entries; a `next` link (the client paginated) → the rest is fetched;
 * - the Patient for `patient`.
 * When something must be fetched and the request gives no way to (no fhirServer or no access
 * token), the answer is 412 naming the keys: the service never judges a partial record as whole.
 * A fetch that fails (403, 500, timeout) makes its type a load failure, as in the app: the engine
 * reads the items whose evidence lives there as "could not be checked", never "missing"; a Patient
 * that cannot be read is a 412.
 */
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import type { ClinicalResourceType, LoadFailure } from '../clinical/model';
import { outcomeTexts } from '../smart/fetch-all';
import { CdsError } from './errors';
import { fetchPatient, fetchSearch, type FhirAccess, type SearchOutcome } from './fetch';
import { fillTemplate, PREFETCH_TEMPLATES, type PrefetchTemplate } from './prefetch';
import type { HookRequest } from './types';

export interface Gathered {
  patient: Patient;
  resources: FhirResource[];
  failures: LoadFailure[];
  /** Keys answered by the prefetch, and keys (or next pages) fetched from fhirServer. */
  prefetched: string[];
  fetched: string[];
}

type KeyPlan =
  | { kind: 'done'; template: PrefetchTemplate; outcome: SearchOutcome }
  | { kind: 'fetch'; template: PrefetchTemplate; url: string; from: 'template' | 'next-page'; sofar: FhirResource[] };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function failed(message: string): SearchOutcome {
  return { resources: [], error: { kind: 'failed', message } };
}

/** What a prefetched search value gives, and whether its next page must be fetched. */
function planSearch(template: PrefetchTemplate, value: unknown, fhirServer: string | undefined): KeyPlan {
  if (value === null) return { kind: 'done', template, outcome: { resources: [] } };
  if (!isObject(value)) throw new CdsError('bad-request', `prefetch "${template.key}" is neither a Bundle, an OperationOutcome nor null.`);
  if (value.resourceType === 'OperationOutcome') {
    const texts = outcomeTexts(value);
    return { kind: 'done', template, outcome: failed(`The EHR could not prefetch it${texts.length ? `: ${texts.slice(0, 3).join('; ')}` : ''}`) };
  }
  if (value.resourceType !== 'Bundle') throw new CdsError('bad-request', `prefetch "${template.key}" is not a Bundle.`);
  const bundle = value as unknown as Bundle;
  const resources: FhirResource[] = [];
  const notes: string[] = [];
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const r = entry?.resource as FhirResource | undefined;
    if (!isObject(r) || typeof r.resourceType !== 'string') continue;
    if (entry.search?.mode === 'outcome' || r.resourceType === 'OperationOutcome') {
      const severe = Array.isArray((r as { issue?: unknown[] }).issue) && (r as { issue: Array<{ severity?: string }> }).issue.some((i) => i?.severity === 'error' || i?.severity === 'fatal');
      if (severe) return { kind: 'done', template, outcome: failed(`The EHR reported an error in the prefetched search: ${outcomeTexts(r, false).slice(0, 3).join('; ')}`) };
      notes.push(...outcomeTexts(r, false));
      continue;
    }
    resources.push(r);
  }
  const next = (Array.isArray(bundle.link) ? bundle.link : []).find((l) => l?.relation === 'next')?.url;
  if (!next) return { kind: 'done', template, outcome: { resources } };
  let url: string;
  try {
    url = new URL(next, fhirServer ? `${fhirServer.replace(/\/+$/, '')}/` : undefined).href;
  } catch {
    return { kind: 'done', template, outcome: { resources, error: { kind: 'failed', message: 'The prefetched search has a paging link that is not a valid address; results may be incomplete' } } };
  }
  return { kind: 'fetch', template, url, from: 'next-page', sofar: resources };
}

function planKey(template: PrefetchTemplate, request: HookRequest, patientId: string): KeyPlan {
  const prefetch = request.prefetch ?? {};
  const base = request.fhirServer?.replace(/\/+$/, '') ?? '';
  const url = `${base}/${fillTemplate(template.template, patientId)}`;
  if (!Object.prototype.hasOwnProperty.call(prefetch, template.key)) return { kind: 'fetch', template, url, from: 'template', sofar: [] };
  return planSearch(template, prefetch[template.key], request.fhirServer);
}

function checkPatient(value: unknown, patientId: string): Patient {
  if (value === null) throw new CdsError('precondition-failed', 'prefetch "patient" is null: the EHR has no Patient for context.patientId.');
  if (!isObject(value) || value.resourceType !== 'Patient') {
    if (isObject(value) && value.resourceType === 'OperationOutcome') {
      throw new CdsError('precondition-failed', 'prefetch "patient" is an OperationOutcome: the EHR could not read the patient.');
    }
    throw new CdsError('bad-request', 'prefetch "patient" is not a Patient resource.');
  }
  if (value.id !== undefined && value.id !== patientId) throw new CdsError('bad-request', 'prefetch "patient" is not the patient named by context.patientId.');
  return { ...(value as unknown as Patient), id: patientId };
}

function toFailure(type: ClinicalResourceType, outcome: SearchOutcome): LoadFailure | undefined {
  const e = outcome.error;
  if (!e) return undefined;
  return { resourceType: type, kind: e.kind, message: e.message, ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}) };
}

const SEVERITY: Record<LoadFailure['kind'], number> = { forbidden: 3, failed: 2, timeout: 1 };

/** One failure per type: the most telling one (forbidden, then failed, then timeout). */
function worstPerType(failures: readonly LoadFailure[]): LoadFailure[] {
  const byType = new Map<ClinicalResourceType, LoadFailure>();
  for (const f of failures) {
    const prev = byType.get(f.resourceType);
    if (!prev || SEVERITY[f.kind] > SEVERITY[prev.kind]) byType.set(f.resourceType, f);
  }
  return [...byType.values()];
}

function dedupe(resources: readonly FhirResource[]): FhirResource[] {
  const seen = new Map<string, FhirResource>();
  let n = 0;
  for (const r of resources) {
    const key = typeof r.id === 'string' && r.id ? `${r.resourceType}/${r.id}` : `#${n++}`;
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()];
}

export async function gather(request: HookRequest, access: Omit<FhirAccess, 'fhirServer' | 'accessToken'>, templates = PREFETCH_TEMPLATES): Promise<Gathered> {
  const patientId = request.context.patientId;
  const prefetch = request.prefetch ?? {};
  const patientTemplate = templates.find((t) => t.kind === 'read');
  const searches = templates.filter((t) => t.kind === 'search');
  const plans = searches.map((t) => planKey(t, request, patientId));
  const needPatient = !!patientTemplate && !Object.prototype.hasOwnProperty.call(prefetch, patientTemplate.key);
  const toFetch = plans.filter((p): p is Extract<KeyPlan, { kind: 'fetch' }> => p.kind === 'fetch');
  const token = request.fhirAuthorization?.access_token;
  if ((toFetch.length > 0 || needPatient) && (!request.fhirServer || !token)) {
    const keys = [...(needPatient && patientTemplate ? [patientTemplate.key] : []), ...toFetch.map((p) => (p.from === 'next-page' ? `${p.template.key} (next page)` : p.template.key))];
    throw new CdsError(
      'precondition-failed',
      `The request lacks prefetch data (${keys.join(', ')}) and gives no fhirServer with fhirAuthorization.access_token to fetch it: send every prefetch key of the discovery document, or FHIR access.`,
    );
  }
  const fhir: FhirAccess | undefined = request.fhirServer && token ? { ...access, fhirServer: request.fhirServer, accessToken: token } : undefined;
  const [patient, fetchedOutcomes] = await Promise.all([
    needPatient ? fetchPatient(fhir!, patientId) : Promise.resolve(checkPatient(patientTemplate ? prefetch[patientTemplate.key] : null, patientId)),
    Promise.all(toFetch.map(async (p) => ({ plan: p, outcome: await fetchSearch(fhir!, p.url) }))),
  ]);
  const outcomes: Array<{ template: PrefetchTemplate; outcome: SearchOutcome }> = plans
    .filter((p): p is Extract<KeyPlan, { kind: 'done' }> => p.kind === 'done')
    .map((p) => ({ template: p.template, outcome: p.outcome }));
  for (const { plan, outcome } of fetchedOutcomes) outcomes.push({ template: plan.template, outcome: { ...outcome, resources: [...plan.sofar, ...outcome.resources] } });
  const failures = outcomes.flatMap(({ template, outcome }) => {
    const f = template.resourceType === 'Patient' ? undefined : toFailure(template.resourceType, outcome);
    return f ? [f] : [];
  });
  return {
    patient,
    resources: dedupe(outcomes.flatMap((o) => o.outcome.resources)),
    failures: worstPerType(failures),
    prefetched: Object.keys(prefetch).filter((k) => templates.some((t) => t.key === k)),
    fetched: [...(needPatient && patientTemplate ? [patientTemplate.key] : []), ...toFetch.map((p) => p.template.key)],
  };
}
