/**
 * The Observation codes the data layer searches by, read from the engine's catalog (the app knows
 * no codes itself): every code of the items whose results can be Observations, plus the auxiliary
 * codes the engine uses for derived values (height, weight), as `system|code`.
 */
import { AUX_CODES, CATALOG, type CatalogItem } from '../clinical/catalog';

const SYSTEM_URL: Record<string, string> = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
};

function token(system: string, code: string): string {
  return `${SYSTEM_URL[system] ?? system}|${code}`;
}

export function observationCodes(catalog: readonly CatalogItem[], auxCodes: Record<string, unknown> = {}): string[] {
  const out = new Set<string>();
  for (const item of catalog) {
    if (!item.resultTypes.includes('Observation')) continue;
    for (const c of item.codes) out.add(token(c.system, c.code));
  }
  for (const key of Object.keys(auxCodes)) {
    const [system, code] = key.split('|');
    if (system && code) out.add(token(system, code));
  }
  return [...out];
}

/**
 * The codes the app searches by: one definition for every shell that searches as the app does (the
 * app page, and the CDS service's prefetch templates, src/cds/prefetch.ts).
 */
export function searchObservationCodes(): string[] {
  return observationCodes(CATALOG, AUX_CODES);
}
