/**
 * Golden outputs: the evaluator's full output (JSON and text) for every scenario patient and every
 * Synthea patient, kept as files beside this test. A change to the clinical core that changes any of
 * them shows up as a diff of these files: each difference must be an intended one, named in the
 * commit that makes it (`npx vitest run test/golden -u` rewrites them).
 *
 * Evaluation dates: scenarios on SCENARIO_REFERENCE_DATE; a Synthea patient on the day of its newest
 * Observation (its record ends in 2021: a fixed date keeps recency windows meaningful).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundleText } from '../../src/cli/read-input';
import { evaluateGroup } from '../../src/cli/evaluate';
import { formatText } from '../../src/cli/format-text';
import { parseSiteCodes } from '../../src/clinical/sitecodes-check';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE, SCENARIOS } from '../scenarios/index';

const SYNTHEA = new URL('../../../shared/fhir-data/synthea/', import.meta.url);

interface Case {
  name: string;
  text: string;
  now: string;
  /** The site's terminology map the scenario's laboratory needs (its JSON text). */
  siteCodes?: string;
}

function newestObservationDay(bundleText: string): string {
  const days = [...bundleText.matchAll(/"effectiveDateTime"\s*:\s*"(\d{4}-\d{2}-\d{2})/g)].map((m) => m[1]!);
  return days.sort().at(-1)!;
}

const cases: Case[] = [
  ...SCENARIOS.map((s) => ({
    name: `scenario-${s.id}`,
    text: readFileSync(`${SCENARIO_DIR}/${s.file}`, 'utf8'),
    now: SCENARIO_REFERENCE_DATE,
    ...(s.siteCodes ? { siteCodes: readFileSync(`${SCENARIO_DIR}/${s.siteCodes}`, 'utf8') } : {}),
  })),
  ...readdirSync(SYNTHEA)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const text = readFileSync(new URL(f, SYNTHEA), 'utf8');
      return { name: `synthea-${f.replace(/\.json$/, '')}`, text, now: newestObservationDay(text) };
    }),
];

describe('golden evaluator output', () => {
  it.each(cases)('$name', async ({ name, text, now, siteCodes }) => {
    const input = readBundleText(text);
    expect(input.patients).toHaveLength(1);
    const site = siteCodes ? parseSiteCodes(JSON.parse(siteCodes)) : undefined;
    if (site && !site.ok) throw new Error('the scenario site map has problems');
    const ev = evaluateGroup(input.patients[0]!, now, undefined, site?.map);
    await expect(`${JSON.stringify(ev, null, 2)}\n`).toMatchFileSnapshot(`./outputs/${name}.json`);
    await expect(formatText(ev)).toMatchFileSnapshot(`./outputs/${name}.txt`);
  });
});
