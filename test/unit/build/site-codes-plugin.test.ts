/**
 * The site's terminology map is checked when the app is built: a map with any problem fails the
 * build with one line per problem; a good map, or none, builds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { siteCodeFileProblems, siteCodesPlugin } from '../../../src/build/site-codes-plugin';

const dirs: string[] = [];
function publicDirWith(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'site-codes-'));
  dirs.push(dir);
  if (content !== undefined) writeFileSync(join(dir, 'site-codes.json'), content);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Runs the plugin's hooks as Vite would for a build; returns the error it raised, if any. */
function build(publicDir: string): string | undefined {
  const plugin = siteCodesPlugin() as unknown as { configResolved: (c: { publicDir: string }) => void; buildStart: (this: { error: (m: string) => never }) => void };
  plugin.configResolved({ publicDir });
  try {
    plugin.buildStart.call({
      error: (m: string) => {
        throw new Error(m);
      },
    });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('site code map checked at build', () => {
  it('no map, or a good one: the build goes on', () => {
    expect(build(publicDirWith())).toBeUndefined();
    expect(build(publicDirWith(JSON.stringify({ codes: { 'https://lab.example/codes|CA': 'calcium' } })))).toBeUndefined();
  });

  it('a map with problems fails the build, naming each', () => {
    const message = build(publicDirWith(JSON.stringify({ codes: { 'https://lab.example/codes|CA': 'calcim', 'CA only': 'calcium' } })));
    expect(message).toContain("site-codes.json (the site's terminology map) cannot be used");
    expect(message).toContain('"https://lab.example/codes|CA" maps to "calcim", which is not an item of the catalog');
    expect(message).toContain('"CA only" is not <system URI>|<code>');
    expect(build(publicDirWith('{ not json'))).toContain('the file is not valid JSON');
  });

  it('the scenario laboratory\u2019s map, served by the sandbox, is a good one', () => {
    expect(siteCodeFileProblems(join(__dirname, '../../scenarios/site/site-codes.json'))).toEqual([]);
  });
});
