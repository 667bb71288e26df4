/**
 * Checking a site's terminology map (sitecodes.ts describes the file): every problem is named, as a
 * typed value worded by siteCodeProblemText, and a map with any problem is not returned. Used where a
 * map enters: the build (src/build/site-codes-plugin.ts), the evaluator (`--site-codes`) and the app
 * page at start, which loads this only when the deployment serves a map.
 */
import { DEFAULT_RULES, type CompiledRules, type QualRole } from './catalog';
import { indexKey, type SiteCode, type SiteCodeMap } from './sitecodes';

export type SiteCodeProblem =
  | { kind: 'not-an-object' }
  | { kind: 'no-codes' }
  | { kind: 'malformed-code'; key: string }
  | { kind: 'malformed-entry'; key: string }
  | { kind: 'unknown-item'; key: string; item: string }
  | { kind: 'unknown-analyte'; key: string; analyte: string }
  | { kind: 'unknown-role'; key: string; role: string }
  /** A catalog code mapped to another item than the catalog's. */
  | { kind: 'catalog-conflict'; key: string; item: string; catalogItem: string };

export type SiteCodeResult = { ok: true; map: SiteCodeMap } | { ok: false; problems: SiteCodeProblem[] };

const SYSTEM = /^(https?:\/\/[^\s|]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s|]+)$/i;
const CODE = /^[^\s|](?:[^|]*[^\s|])?$/;

/** The roles the rules' own codes and text rules use (the only ones a reading understands). */
function knownRoles(rules: CompiledRules): Set<string> {
  const roles = new Set<string>();
  for (const item of rules.items) for (const r of [...item.codes, ...(item.text ?? [])]) if (r.role) roles.add(r.role);
  return roles;
}

/** `system|code` split at the last `|` (a system URI may not hold one, a code may not either). */
function splitKey(key: string): { system: string; code: string } | undefined {
  const i = key.lastIndexOf('|');
  const system = key.slice(0, i);
  const code = key.slice(i + 1);
  return i > 0 && SYSTEM.test(system) && CODE.test(code) ? { system, code } : undefined;
}

function readEntry(key: string, value: unknown, rules: CompiledRules, roles: Set<string>, problems: SiteCodeProblem[]): SiteCode | undefined {
  const parts = splitKey(key);
  if (!parts) return void problems.push({ kind: 'malformed-code', key });
  const v = typeof value === 'string' ? { item: value } : value;
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof (v as { item?: unknown }).item !== 'string') {
    return void problems.push({ kind: 'malformed-entry', key });
  }
  const { item, analyte, role } = v as { item: string; analyte?: unknown; role?: unknown };
  const before = problems.length;
  if (!rules.itemById.has(item)) problems.push({ kind: 'unknown-item', key, item });
  if (analyte !== undefined && !(typeof analyte === 'string' && analyte in rules.analytes)) problems.push({ kind: 'unknown-analyte', key, analyte: String(analyte) });
  if (role !== undefined && !(typeof role === 'string' && roles.has(role))) problems.push({ kind: 'unknown-role', key, role: String(role) });
  const catalog = rules.codes.get(indexKey(parts.system, parts.code));
  if (catalog && catalog.item.id !== item) problems.push({ kind: 'catalog-conflict', key, item, catalogItem: catalog.item.id });
  if (problems.length > before) return undefined;
  return { ...parts, item, ...(typeof analyte === 'string' ? { analyte } : {}), ...(role ? { role: role as QualRole } : {}) };
}

/** Checks a site map's JSON against the rules; every problem is reported, and a map with any is not returned. */
export function parseSiteCodes(json: unknown, rules: CompiledRules = DEFAULT_RULES): SiteCodeResult {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, problems: [{ kind: 'not-an-object' }] };
  const codes = (json as { codes?: unknown }).codes;
  if (!codes || typeof codes !== 'object' || Array.isArray(codes) || Object.keys(codes).length === 0) {
    return { ok: false, problems: [{ kind: 'no-codes' }] };
  }
  const roles = knownRoles(rules);
  const problems: SiteCodeProblem[] = [];
  const out: SiteCode[] = [];
  for (const [key, value] of Object.entries(codes)) {
    const entry = readEntry(key, value, rules, roles, problems);
    if (entry) out.push(entry);
  }
  return problems.length ? { ok: false, problems } : { ok: true, map: { codes: out } };
}

/** One line per problem, for the build, the evaluator and the panel (no patient data in a map). */
export function siteCodeProblemText(p: SiteCodeProblem): string {
  switch (p.kind) {
    case 'not-an-object':
      return 'the site code map is not a JSON object';
    case 'no-codes':
      return 'the site code map has no "codes" object, or it is empty';
    case 'malformed-code':
      return `"${p.key}" is not <system URI>|<code>`;
    case 'malformed-entry':
      return `"${p.key}" maps to neither an item id nor {"item": ...}`;
    case 'unknown-item':
      return `"${p.key}" maps to "${p.item}", which is not an item of the catalog`;
    case 'unknown-analyte':
      return `"${p.key}" names the analyte "${p.analyte}", which the catalog does not know`;
    case 'unknown-role':
      return `"${p.key}" names the role "${p.role}", which the catalog does not know`;
    case 'catalog-conflict':
      return `"${p.key}" is a catalog code of "${p.catalogItem}", not of "${p.item}"`;
  }
}

