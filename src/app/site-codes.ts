/**
 * The site's terminology map on the app page (reference section 1d; the file is described in
 * src/clinical/sitecodes.ts and docs/site-codes.md): `site-codes.json` served beside the app's
 * index.html by the deployment, read once when the page starts (it is on the app's own origin, so
 * it is in long before the token exchange ends), checked, and then
 * - its codes join the Observation search (src/app/codes.ts searchObservationCodes),
 * - the map goes to the engine with every evaluation (EvaluationInput.siteCodes),
 * - the evaluation says which code systems were searched (EvaluationInput.coverage).
 * No file (404) is the usual case: no map, nothing else changes. A map that cannot be read or has
 * any problem is not used at all, and the panel says why (a half-used map would make results
 * silently `missing`). The checking code is loaded only when a file is there.
 */
import type { CoverageInput } from '../clinical/model';
import type { SiteCodeMap } from '../clinical/sitecodes';
import { searchObservationCodes } from './codes';

export type SiteCodes = { map?: SiteCodeMap; problem?: string };

export const SITE_CODES_FILE = 'site-codes.json';

/** Bound for reading the map: the page does not wait longer for it than for an EHR request. */
export const SITE_CODES_TIMEOUT_MS = 10_000;

/** Reads and checks the deployment's map. Never rejects. */
export async function loadSiteCodes(url: string, fetchImpl: typeof fetch = fetch, timeoutMs = SITE_CODES_TIMEOUT_MS): Promise<SiteCodes> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-cache', credentials: 'same-origin', signal: controller.signal });
  } catch {
    clearTimeout(timer);
    return { problem: `${SITE_CODES_FILE} could not be read (${controller.signal.aborted ? 'no answer in time' : 'network error'})` };
  }
  clearTimeout(timer);
  if (response.status === 404) return {};
  if (!response.ok) return { problem: `${SITE_CODES_FILE} could not be read (HTTP ${response.status})` };
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    return { problem: `${SITE_CODES_FILE} is not valid JSON` };
  }
  try {
    const { parseSiteCodes, siteCodeProblemText } = await import('../clinical/sitecodes-check');
    const r = parseSiteCodes(json);
    if (r.ok) return { map: r.map };
    const more = r.problems.length > 2 ? `; and ${r.problems.length - 2} more` : '';
    return { problem: `${r.problems.slice(0, 2).map(siteCodeProblemText).join('; ')}${more}` };
  } catch {
    return { problem: `${SITE_CODES_FILE} could not be checked` };
  }
}

/** What the searches ask for and what the evaluation is told, for a site's codes (or none). */
export interface SearchPlan {
  observationCodes: string[];
  coverage: CoverageInput;
  siteCodes?: SiteCodeMap;
}

export function searchPlan(site: SiteCodes): SearchPlan {
  const keys = (site.map?.codes ?? []).map((c) => `${c.system}|${c.code}`);
  const observationCodes = searchObservationCodes(keys);
  const codeSystems = [...new Set(observationCodes.map((t) => t.slice(0, t.lastIndexOf('|'))))];
  const coverage: CoverageInput = { gathered: 'code-search', codeSystems, ...(site.problem ? { siteMapProblem: site.problem } : {}) };
  return { observationCodes, coverage, ...(site.map ? { siteCodes: site.map } : {}) };
}
