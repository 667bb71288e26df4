/**
 * What a `missing` can mean (model.ts Coverage): which codes could find a result, from what the
 * input says of how it was gathered, and the words the panel, the item reasons and the evaluator's
 * text use for it.
 */
import type { Coverage, EvaluationInput } from './model';
import { siteSystems } from './sitecodes';
import { SYSTEM } from './vocabulary';

const SYSTEM_NAMES: Record<string, string> = { [SYSTEM.loinc]: 'LOINC', [SYSTEM.snomed]: 'SNOMED CT' };

/** A code system as a clinician reads it: LOINC, SNOMED CT, or its URI (a site's own codes). */
export function systemName(uri: string): string {
  return SYSTEM_NAMES[uri] ?? uri;
}

/**
 * The codes that find results, in words: "LOINC, SNOMED CT and the site's 12 local codes" (the
 * panel, the item reasons and the evaluator's text say it the same way).
 */
export function searchedWords(c: { codeSystems: readonly string[]; siteCodes: number }): string {
  const named = c.codeSystems.filter((u) => SYSTEM_NAMES[u]).map(systemName);
  const site = c.siteCodes > 0 ? [`the site's ${c.siteCodes} local code${c.siteCodes === 1 ? '' : 's'}`] : [];
  const other = c.siteCodes > 0 ? [] : c.codeSystems.filter((u) => !SYSTEM_NAMES[u]);
  const parts = [...named, ...other, ...site];
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? 'no code system');
}

/**
 * What the input says of how it was gathered: by code search (the app says which systems it asked
 * for), else a whole record, matched by the rules' code systems, the site's, and text.
 */
export function coverageOf(input: Partial<EvaluationInput>): Coverage {
  const site = Array.isArray(input.siteCodes?.codes) ? input.siteCodes : undefined;
  const siteCodes = site?.codes.length ?? 0;
  const c = input.coverage;
  if (c && typeof c === 'object' && c.gathered === 'code-search' && Array.isArray(c.codeSystems)) {
    const out: Coverage = { gathered: 'code-search', codeSystems: c.codeSystems.filter((x) => typeof x === 'string'), siteCodes, textMatch: false };
    if (typeof c.siteMapProblem === 'string' && c.siteMapProblem) out.siteMapProblem = c.siteMapProblem;
    return out;
  }
  return { gathered: 'record', codeSystems: [...new Set([SYSTEM.loinc, SYSTEM.snomed, ...siteSystems(site)])], siteCodes, textMatch: true };
}

