/**
 * The app page's side of what the FHIR server declares for the app's searches: the launch page
 * reads the CapabilityStatement and keeps the result in the tab's session storage
 * (src/smart/capabilities.ts storeCapabilities, under the same key); the app page takes it from
 * there, for the FHIR server it was read from. Its own module, sharing nothing with the launch
 * page's, so that neither page loads the other's code.
 */
import { readStored } from './session';

export interface SearchCapabilities {
  /** The FHIR base URL the statement was read from (compared without trailing slashes). */
  serverUrl: string;
  /** Observation may be searched by `POST Observation/_search`. */
  post: boolean;
  /** Observation declares `combo-code`. */
  comboCode: boolean;
}

/** The session storage key (src/smart/capabilities.ts writes the same one; a test holds them equal). */
export const CAPABILITIES_KEY = 'nephro:search-capabilities';

/** What the launch page stored for this FHIR server, or undefined (another server, nothing, unreadable). */
export function storedCapabilities(serverUrl: string): SearchCapabilities | undefined {
  const value = readStored(CAPABILITIES_KEY) as Partial<SearchCapabilities> | null;
  if (!value || typeof value !== 'object' || value.serverUrl !== serverUrl.trim().replace(/\/+$/, '')) return undefined;
  return { serverUrl: value.serverUrl, post: value.post === true, comboCode: value.comboCode === true };
}
