/**
 * What the EHR's FHIR server offers for the app's Observation search, from its CapabilityStatement
 * (`GET [base]/metadata`, public: no token needed):
 * - `post`: Observation search by `POST Observation/_search` with the parameters in a form body,
 *   declared by the FHIR extensions pack's `capabilitystatement-search-mode` extension (`POST` or
 *   `both`) on the Observation entry. Without a URL length limit every code goes in one search.
 * - `comboCode`: Observation declares the `combo-code` search parameter (the code of the
 *   Observation or of one of its components), which also finds analytes reported only as components
 *   of a panel under a panel code the app does not know.
 * Only what is declared is used: an EHR that does not say it offers something is searched the
 * plain way (GET, `code`, URL groups), which every EHR answers.
 *
 * Read once, on the launch page, while fhirclient discovers the authorization endpoints (both
 * requests go out together; the redirect to the EHR waits for this one only briefly), and kept in
 * the tab's session storage beside fhirclient's launch state, for the FHIR server it was read from
 * (the app page reads it with src/smart/capabilities-store.ts). Nothing about the patient is in it.
 */
import type { SearchCapabilities } from './capabilities-store';

export type { SearchCapabilities } from './capabilities-store';

export const SEARCH_MODE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-mode';
/** Where the app page looks for it (src/smart/capabilities-store.ts CAPABILITIES_KEY). */
const KEY = 'nephro:search-capabilities';

const bare = (url: string): string => url.trim().replace(/\/+$/, '');

type Entry = { type?: unknown; extension?: Array<{ url?: unknown; valueCode?: unknown }>; searchParam?: Array<{ name?: unknown }> };

/** The Observation entry of the statement's server `rest` part, if any. */
function observationEntry(statement: unknown): Entry | undefined {
  const rest = (statement as { resourceType?: unknown; rest?: unknown } | null)?.rest;
  if ((statement as { resourceType?: unknown }).resourceType !== 'CapabilityStatement' || !Array.isArray(rest)) return undefined;
  for (const part of rest as Array<{ mode?: unknown; resource?: unknown }>) {
    if (!part || (part.mode !== undefined && part.mode !== 'server') || !Array.isArray(part.resource)) continue;
    const entry = (part.resource as Entry[]).find((r) => r && r.type === 'Observation');
    if (entry) return entry;
  }
  return undefined;
}

/** Pure: what a CapabilityStatement declares for Observation searches (nothing, for anything else). */
export function parseCapabilities(serverUrl: string, statement: unknown): SearchCapabilities {
  const entry = statement && typeof statement === 'object' ? observationEntry(statement) : undefined;
  const modes = (Array.isArray(entry?.extension) ? entry.extension : []).filter((e) => e?.url === SEARCH_MODE_EXTENSION).map((e) => e.valueCode);
  const params = (Array.isArray(entry?.searchParam) ? entry.searchParam : []).map((p) => p?.name);
  return { serverUrl: bare(serverUrl), post: modes.includes('POST') || modes.includes('both'), comboCode: params.includes('combo-code') };
}

/**
 * Reads `[base]/metadata`, bounded by `timeoutMs`. Undefined when it cannot be read (the app then
 * searches the plain way): a missing statement never stops a launch.
 */
export async function fetchCapabilities(serverUrl: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<SearchCapabilities | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(`${bare(serverUrl)}/metadata`, { headers: { accept: 'application/fhir+json' }, signal: controller.signal });
    if (!response.ok) return undefined;
    return parseCapabilities(serverUrl, (await response.json()) as unknown);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

export function storeCapabilities(capabilities: SearchCapabilities): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(capabilities));
  } catch {
    // Storage unavailable: the app page searches the plain way.
  }
}
