/**
 * The Observation codes the data layer searches by, read from the engine's catalog (the app knows
 * no codes itself): every code of the items whose results can be Observations, the auxiliary codes
 * the engine uses for derived values (height, weight), the panel codes under which analytes arrive
 * only as components (reference section 1c), and a site's own codes (its terminology map), as
 * `system|code`.
 */
import { AUX_CODES, CATALOG, PANEL_ORDERS, type CatalogItem } from '../clinical/catalog';
import { SYSTEM } from '../clinical/vocabulary';

/** A rule's system alias as its URL; a site's system URL as it is. */
function token(system: string, code: string): string {
  return `${system === 'loinc' || system === 'snomed' ? SYSTEM[system] : system}|${code}`;
}

/** `system|code` keys (a catalog alias or a system URL before the last `|`). */
function split(key: string): [string, string] | undefined {
  const i = key.lastIndexOf('|');
  return i > 0 && i < key.length - 1 ? [key.slice(0, i), key.slice(i + 1)] : undefined;
}

export function observationCodes(
  catalog: readonly CatalogItem[],
  auxCodes: Record<string, unknown> = {},
  /** More `system|code` keys: panel codes, site codes. */
  extra: Iterable<string> = [],
): string[] {
  const out = new Set<string>();
  for (const item of catalog) {
    if (!item.resultTypes.includes('Observation')) continue;
    for (const c of item.codes) out.add(token(c.system, c.code));
  }
  for (const key of [...Object.keys(auxCodes), ...extra]) {
    const parts = split(key);
    if (parts) out.add(token(parts[0], parts[1]));
  }
  return [...out];
}

/**
 * The codes the app searches by: one definition for every shell that searches as the app does (the
 * app page, and the CDS service's prefetch templates, src/cds/prefetch.ts): the catalog's codes, its
 * auxiliary and panel codes, and the site's codes (`system|code`).
 */
export function searchObservationCodes(siteKeys: Iterable<string> = []): string[] {
  return observationCodes(CATALOG, AUX_CODES, [...Object.keys(PANEL_ORDERS), ...siteKeys]);
}
