/**
 * The searches of one load, built as absolute URLs (pure, no network).
 *
 * - Observation by code: Epic and Oracle Health refuse an Observation search without `code` or
 *   `category`, so Observations are searched by the caller's codes, `code=sys|a,sys|b,...` (one
 *   parameter with a comma list = OR), split into groups so each URL stays under `maxUrlLength`
 *   (default 1800 characters: below the 2,048 that some proxies and IIS front ends allow).
 * - Every other type by `patient=<id>` alone: none of them needs more on Epic or Oracle Health, and a
 *   narrower search (category, date) would hide evidence the engine looks for.
 * - `_count=200` on every search: Oracle Health's cap, and enough that a typical record needs one
 *   or two round trips per type. No `_include`/`_sort`: not every EHR supports them and an
 *   unsupported one can turn a whole search into a 400.
 */
import type { FhirResource } from 'fhir/r4';
import type { ClinicalResourceType } from '../clinical/model';
import { CLINICAL_RESOURCE_TYPES } from '../clinical/model';

export const LOINC = 'http://loinc.org';
export const DEFAULT_PAGE_SIZE = 200;
export const DEFAULT_MAX_URL_LENGTH = 1800;

export interface SearchQuery {
  resourceType: ClinicalResourceType;
  url: string;
  /** Which part of the type's searches this is, for messages ("Observation codes, group 2 of 3"). */
  label: string;
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
    const prefix = `${base}/Observation?${patient}&code=`;
    const suffix = `&${count}`;
    const groups = groupCodes(codes, prefix.length + suffix.length, maxLength);
    groups.forEach((group, i) => {
      queries.push({
        resourceType: 'Observation',
        url: `${prefix}${group.map(encodeToken).join(',')}${suffix}`,
        label: groups.length > 1 ? `Observation codes, group ${i + 1} of ${groups.length}` : 'Observation codes',
      });
    });
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

/**
 * Splitting a large code search (issue 4, heavy records). The pages of one search can only be read
 * one after another: each `next` link arrives with the page before it. The heavy patient's first
 * Observation code group holds 9,669 results (six years of chemistry), 49 pages, so 49 round trips
 * in a row, where a real dialysis patient's record would keep a clinician waiting for seconds.
 *
 * When a code search's first page has a `next` link, the caller searches the same codes again in
 * parts, all at once: one search for each code the first page shows (the frequent ones, most frequent
 * first, at most MAX_SPLIT_PARTS − 1 of them) and one for every other code of the group. The parts
 * ask for exactly the codes of the original search, so together they return all of its results (an
 * Observation carrying two of the codes comes back twice and is de-duplicated by id); the caller
 * drops the first page rather than merging it. Each part pages on its own; the chain becomes as long
 * as the largest single code's pages (6 for the heavy patient) instead of the whole group's.
 *
 * Decisions:
 * - `Bundle.total` is not used to decide (Oracle Health omits it; Epic sets it to the page size), so
 *   any first page with a `next` link splits. A group of 201 results then costs a few more requests
 *   in the same number of round trips (2): requests are cheap over HTTP/2, round trips are not.
 * - Only searches with a single `code` parameter (the comma list buildQueries writes) are split;
 *   anything else (a category search, one code) pages as before.
 * - Returns undefined when no useful split exists (one code; a first page that shows none of the
 *   codes: then nothing says how to divide them).
 */
/**
 * Decision: at most 6 parts per split (5 single codes and the rest). Each part is a search the EHR
 * runs, so a record whose code group just spills onto a second page costs up to 5 more searches in
 * the same number of round trips; the rest can split again (MAX_SPLIT_DEPTH). Measured on the heavy
 * patient (HTTP/2): 12 parts, 91 requests, 1.1–1.3 s; 6 parts, 85 requests, 1.2–1.4 s. The fewer
 * searches are worth the 0.1 s to an EHR that serves many clinicians at once.
 */
export const MAX_SPLIT_PARTS = 6;

export function splitCodeSearch(url: string, firstPage: readonly FhirResource[], maxParts = MAX_SPLIT_PARTS): string[] | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const values = u.searchParams.getAll('code');
  if (values.length !== 1) return undefined;
  const tokens = [...new Set(values[0]!.split(',').filter(Boolean))];
  if (tokens.length < 2) return undefined;
  const wanted = new Set(tokens);
  const counts = new Map<string, number>();
  for (const r of firstPage) {
    const codings = (r as { code?: { coding?: unknown } }).code?.coding;
    if (!Array.isArray(codings)) continue;
    const mine = new Set<string>();
    for (const c of codings) {
      if (!c || typeof c !== 'object') continue;
      const { system, code } = c as { system?: unknown; code?: unknown };
      if (typeof code !== 'string') continue;
      const token = `${typeof system === 'string' ? system : ''}|${code}`;
      if (wanted.has(token)) mine.add(token);
    }
    for (const t of mine) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (!counts.size) return undefined;
  const seen = tokens.filter((t) => counts.has(t)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const own = seen.slice(0, Math.max(1, maxParts - 1));
  const ownSet = new Set(own);
  const rest = tokens.filter((t) => !ownSet.has(t));
  const parts = [...own.map((t) => [t]), ...(rest.length ? [rest] : [])];
  if (parts.length < 2) return undefined;
  return parts.map((part) => {
    const p = new URL(u.href);
    p.searchParams.set('code', part.join(','));
    return p.href;
  });
}
