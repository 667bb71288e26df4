/**
 * The searches of one load, built as absolute URLs (pure, no network).
 *
 * - Observation by code: Epic and Oracle Health refuse an Observation search without `code` or
 *   `category`, so Observations are searched by the caller's codes, `code=sys|a,sys|b,...` (one
 *   parameter with a comma list = OR), split into groups so each URL stays under `maxUrlLength`
 *   (default 1800 characters: below the 2,048 that some proxies and IIS front ends allow).
 * - Where the server's CapabilityStatement declares it (src/smart/capabilities.ts): one
 *   `POST Observation/_search` with every code in the form body, whatever their number (a URL group
 *   per 1,800 characters made the search plan grow with every code added: UK SNOMED CT, panels, a
 *   site's codes), and `combo-code` in place of `code` (it also finds analytes reported only as a
 *   component of a panel whose code the app does not list).
 * - Every other type by `patient=<id>` alone: none of them needs more on Epic or Oracle Health, and a
 *   narrower search (category, date) would hide evidence the engine looks for.
 * - `_count=200` on every search: Oracle Health's cap, and enough that a typical record needs one
 *   or two round trips per type. No `_include`/`_sort`: not every EHR supports them and an
 *   unsupported one can turn a whole search into a 400.
 */
import type { ClinicalResourceType } from '../clinical/model';
import { CLINICAL_RESOURCE_TYPES } from '../clinical/model';
import { SYSTEM } from '../clinical/vocabulary';

export const LOINC = SYSTEM.loinc;
export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_MAX_URL_LENGTH = 1800;

/** One search as sent: a GET of `url`, or with `body` a POST of that form body to `url` (`<Type>/_search`). */
export interface SearchRequest {
  url: string;
  body?: string;
}

export interface SearchQuery extends SearchRequest {
  resourceType: ClinicalResourceType;
  /** Which part of the type's searches this is, for messages ("Observation codes, group 2 of 3"). */
  label: string;
}

/** What the server declares for the Observation search (src/smart/capabilities.ts). */
export interface SearchPlanCapabilities {
  post: boolean;
  comboCode: boolean;
}

/** `2951-2` → `http://loinc.org|2951-2`; `system|code` kept; blanks dropped; duplicates removed. */
export function normaliseCodes(codes: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of codes) {
    const code = raw.trim();
    if (!code) continue;
    out.add(code.includes('|') ? code : `${LOINC}|${code}`);
  }
  return [...out];
}

const encodeToken = (token: string) => encodeURIComponent(token);

/**
 * Splits tokens so that `prefix + tokens.join(',') + suffix` stays within `maxLength` characters.
 * A single token longer than the budget still gets its own group (the server decides).
 */
export function groupCodes(tokens: readonly string[], fixedLength: number, maxLength: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = fixedLength;
  for (const token of tokens) {
    const add = encodeToken(token).length + (current.length ? 1 : 0);
    if (current.length && length + add > maxLength) {
      groups.push(current);
      current = [];
      length = fixedLength;
    }
    length += encodeToken(token).length + (current.length ? 1 : 0);
    current.push(token);
  }
  if (current.length) groups.push(current);
  return groups;
}

export interface QueryPlanInput {
  serverUrl: string;
  patientId: string;
  types?: readonly ClinicalResourceType[];
  observationCodes?: readonly string[];
  observationCategories?: readonly string[];
  pageSize?: number;
  maxUrlLength?: number;
  capabilities?: SearchPlanCapabilities;
}

export function baseUrl(serverUrl: string): string {
  return serverUrl.replace(/\/+$/, '');
}

/** All searches of one wave, Observation groups first. */
export function buildQueries(input: QueryPlanInput): SearchQuery[] {
  const base = baseUrl(input.serverUrl);
  const patient = `patient=${encodeURIComponent(input.patientId)}`;
  const count = `_count=${input.pageSize ?? DEFAULT_PAGE_SIZE}`;
  const maxLength = input.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH;
  const types = input.types ?? CLINICAL_RESOURCE_TYPES;
  const queries: SearchQuery[] = [];
  for (const type of CLINICAL_RESOURCE_TYPES) {
    if (!types.includes(type)) continue;
    if (type !== 'Observation') {
      queries.push({ resourceType: type, url: `${base}/${type}?${patient}&${count}`, label: type });
      continue;
    }
    const codes = normaliseCodes(input.observationCodes ?? []);
    const categories = [...new Set((input.observationCategories ?? []).map((c) => c.trim()).filter(Boolean))];
    // Decision: with no codes at all, fall back to the laboratory category rather than an
    // Observation search without code/category, which Epic and Oracle Health answer with 400.
    if (!codes.length && !categories.length) categories.push('laboratory');
    const param = input.capabilities?.comboCode ? 'combo-code' : 'code';
    if (input.capabilities?.post && codes.length) {
      const body = new URLSearchParams({ patient: input.patientId, [param]: codes.join(','), _count: String(input.pageSize ?? DEFAULT_PAGE_SIZE) });
      queries.push({ resourceType: 'Observation', url: `${base}/Observation/_search`, body: body.toString(), label: 'Observation codes' });
    } else {
      const prefix = `${base}/Observation?${patient}&${param}=`;
      const suffix = `&${count}`;
      const groups = groupCodes(codes, prefix.length + suffix.length, maxLength);
      groups.forEach((group, i) => {
        queries.push({
          resourceType: 'Observation',
          url: `${prefix}${group.map(encodeToken).join(',')}${suffix}`,
          label: groups.length > 1 ? `Observation codes, group ${i + 1} of ${groups.length}` : 'Observation codes',
        });
      });
    }
    for (const category of categories) {
      queries.push({
        resourceType: 'Observation',
        url: `${base}/Observation?${patient}&category=${encodeURIComponent(category)}&${count}`,
        label: `Observation category ${category}`,
      });
    }
  }
  return queries;
}
