/**
 * House rule for the clinical core: evaluation as small pure functions, none longer than 60 lines
 * (counted from the function's first line to its last, comments inside included).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../src/clinical/', import.meta.url).pathname;
const MAX_LINES = 60;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function longFunctions(path: string): string[] {
  const sf = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) {
      const first = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line;
      const last = sf.getLineAndCharacterOfPosition(n.getEnd()).line;
      if (last - first + 1 > MAX_LINES) out.push(`${path.slice(ROOT.length)}:${first + 1} (${last - first + 1} lines)`);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('src/clinical', () => {
  it(`has no function longer than ${MAX_LINES} lines`, () => {
    expect(files(ROOT).flatMap(longFunctions)).toEqual([]);
  });
});
