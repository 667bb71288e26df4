/**
 * A site's terminology map (reference section 1d): the codes its laboratories and systems send that
 * the catalog does not list (a local code alone, or before LOINC), each mapped to a catalog item.
 * Deployment data, not clinical rules: the integration engineers of a site write it; the build, the
 * evaluator (`--site-codes`) and the app at start check it (sitecodes-check.ts parseSiteCodes), and
 * a map with any problem is not used at all (half a map would make some results silently `missing`).
 *
 * The file (JSON):
 *   { "codes": { "<system>|<code>": "<item id>",
 *                "<system>|<code>": { "item": "<item id>", "analyte": "<analyte>", "role": "<role>" } } }
 * `system` is the coding's system URI exactly as the site sends it (http(s): or urn:); `code` has
 * no `|` and no surrounding spaces. `analyte` (how the value is read: `bun` for a BUN code under
 * `urea`, `u-acr` for an albumin:creatinine ratio under `urine-protein`...) and `role` (which part of
 * a urinalysis or microscopy it is) are optional, as for the catalog's own codes.
 *
 * This module is what an evaluation needs (the checking is apart, so that the app page and the worker
 * do not carry it): withSiteCodes merges a checked map into the rules' code index for an evaluation
 * (EvaluationInput.siteCodes); values.ts looks a site's codes up after the LOINC and SNOMED CT ones,
 * so a catalog code the EHR sends beside a local one keeps the catalog's item.
 */
import type { CodeTarget, CompiledRules, QualRole } from './catalog';
import { SYSTEM_ALIASES } from './vocabulary';

export interface SiteCode {
  system: string;
  code: string;
  item: string;
  analyte?: string;
  role?: QualRole;
}

export interface SiteCodeMap {
  codes: readonly SiteCode[];
}

/** The key a coding of this system and code has in the rules' code index (values.ts codeKeys). */
export function indexKey(system: string, code: string): string {
  return `${SYSTEM_ALIASES[system] ?? system}|${code}`;
}

const merged = new WeakMap<CompiledRules, WeakMap<SiteCodeMap, CompiledRules>>();

/**
 * The rules with the site's codes in their code index (a catalog code keeps its own target), built
 * once per rule set and map. A map that skipped parseSiteCodes cannot break an evaluation: an entry
 * naming no item of the rules is left out.
 */
export function withSiteCodes(rules: CompiledRules, map: SiteCodeMap | undefined): CompiledRules {
  if (!map || !Array.isArray(map.codes) || map.codes.length === 0) return rules;
  let perRules = merged.get(rules);
  if (!perRules) merged.set(rules, (perRules = new WeakMap()));
  let out = perRules.get(map);
  if (!out) {
    const codes = new Map<string, CodeTarget>(rules.codes);
    for (const c of map.codes) {
      const item = c && typeof c.system === 'string' && typeof c.code === 'string' ? rules.itemById.get(c.item) : undefined;
      const key = item ? indexKey(c.system.trim(), c.code.trim()) : '';
      if (!item || codes.has(key)) continue;
      const t: CodeTarget = { item };
      const analyte = c.analyte ?? item.analyte;
      if (analyte !== undefined) t.analyte = analyte;
      if (c.role) t.role = c.role;
      codes.set(key, t);
    }
    out = { ...rules, codes };
    perRules.set(map, out);
  }
  return out;
}

/** The code systems of a site map (its URIs, LOINC and SNOMED CT included when it maps codes of theirs). */
export function siteSystems(map: SiteCodeMap | undefined): string[] {
  return [...new Set((map?.codes ?? []).map((c) => c.system))];
}
