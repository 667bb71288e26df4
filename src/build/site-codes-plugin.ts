/**
 * Checks the site's terminology map when the app is built (docs/site-codes.md): a
 * `public/site-codes.json` (copied beside index.html by the build) with any problem — not JSON, a
 * malformed `system|code`, an unknown item, analyte or role, a catalog code mapped to another item —
 * fails the build with one line per problem. No file: nothing to check (a deployment may also put
 * one beside the built app later; the app checks it again when it starts).
 * Build configuration only: never in the bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { parseSiteCodes, siteCodeProblemText } from '../clinical/sitecodes-check';

/** The problems of a site map file, in words; empty when it is fine or absent. */
export function siteCodeFileProblems(file: string): string[] {
  if (!existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return ['the file is not valid JSON'];
  }
  const r = parseSiteCodes(json);
  return r.ok ? [] : r.problems.map(siteCodeProblemText);
}

export function siteCodesPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'app:site-codes-check',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    buildStart() {
      if (!publicDir) return;
      const file = join(publicDir, 'site-codes.json');
      const problems = siteCodeFileProblems(file);
      if (problems.length) this.error(`site-codes.json (the site's terminology map) cannot be used:\n  ${problems.join('\n  ')}`);
    },
  };
}
