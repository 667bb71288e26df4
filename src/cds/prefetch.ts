/**
 * The prefetch templates: the app's own searches (src/smart/queries.ts `buildQueries`, with the
 * Observation codes of src/app/codes.ts `searchObservationCodes`), written as relative FHIR URLs with the
 * `{{context.patientId}}` token, plus a read of the Patient. The service asks the EHR for exactly
 * what the app would search, so a card and the panel it opens are judged on the same data.
 *
 * Decisions:
 * - The code groups are cut for URLs 200 characters shorter than the app's (1,600 instead of
 *   1,800): a template is relative, and the EHR puts its own base URL and the real patient id in
 *   front of it.
 * - Keys name the resource type (`Observation-1`, `Condition`, …) so the service knows which type a
 *   missing or failed key leaves unknown.
 */
import type { ClinicalResourceType } from '../clinical/model';
import { searchObservationCodes } from '../app/codes';
import { buildQueries, DEFAULT_MAX_URL_LENGTH } from '../smart/queries';

export const PATIENT_TOKEN = '{{context.patientId}}';
const ENCODED_TOKEN = encodeURIComponent(PATIENT_TOKEN);
/** Room left in each URL for the EHR's base URL and a patient id longer than the token. */
const BASE_URL_ROOM = 200;

export interface PrefetchTemplate {
  key: string;
  /** Patient for the read, else the searched type. */
  resourceType: 'Patient' | ClinicalResourceType;
  /** Relative URL with the `{{context.patientId}}` token. */
  template: string;
  kind: 'read' | 'search';
}

function buildTemplates(): PrefetchTemplate[] {
  const queries = buildQueries({
    serverUrl: '',
    patientId: PATIENT_TOKEN,
    observationCodes: searchObservationCodes(),
    maxUrlLength: DEFAULT_MAX_URL_LENGTH - BASE_URL_ROOM,
  });
  const perType = new Map<string, number>();
  const countOf = (type: string) => queries.filter((q) => q.resourceType === type).length;
  const templates: PrefetchTemplate[] = [{ key: 'patient', resourceType: 'Patient', template: `Patient/${PATIENT_TOKEN}`, kind: 'read' }];
  for (const q of queries) {
    const n = (perType.get(q.resourceType) ?? 0) + 1;
    perType.set(q.resourceType, n);
    const key = countOf(q.resourceType) > 1 ? `${q.resourceType}-${n}` : q.resourceType;
    const template = q.url.replace(/^\//, '').split(ENCODED_TOKEN).join(PATIENT_TOKEN);
    templates.push({ key, resourceType: q.resourceType, template, kind: 'search' });
  }
  return templates;
}

/** Every template, the Patient read first, then the searches in the app's order. */
export const PREFETCH_TEMPLATES: readonly PrefetchTemplate[] = buildTemplates();

/** The discovery document's `prefetch` object. */
export function prefetchObject(templates: readonly PrefetchTemplate[] = PREFETCH_TEMPLATES): Record<string, string> {
  return Object.fromEntries(templates.map((t) => [t.key, t.template]));
}

/** A template with its token replaced by the patient id (percent-encoded, as a query value). */
export function fillTemplate(template: string, patientId: string): string {
  return template.split(PATIENT_TOKEN).join(encodeURIComponent(patientId));
}
