// @vitest-environment jsdom
/**
 * The view on the real engine's output: a scenario patient evaluated by `evaluate()` renders one
 * row per item with the engine's status, direction and applicability, its findings first, and no
 * axe violations; with a failed Observation load, the lab rows read "Could not check".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanup, fireEvent } from '@testing-library/preact';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/clinical/index';
import type { Evaluation, LoadFailure } from '../../../src/clinical/model';
import { summaryText } from '../../../src/ui/components/Summary';
import { formatDate, formatRange } from '../../../src/clinical/display';
import { axeViolations, renderApp } from './render';

afterEach(cleanup);

// test/scenarios/index.ts cannot be imported under jsdom (its fileURLToPath(import.meta.url) meets
// jsdom's URL): read its bundles from the folder and its reference date from its source.
const SCENARIO_DIR = resolve(process.cwd(), 'test/scenarios');
const refMatch = /SCENARIO_REFERENCE_DATE = '(\d{4}-\d{2}-\d{2})'/.exec(readFileSync(join(SCENARIO_DIR, 'index.ts'), 'utf8'));
if (!refMatch) throw new Error('SCENARIO_REFERENCE_DATE not found in test/scenarios/index.ts');
const SCENARIO_REFERENCE_DATE = refMatch[1]!;
const SCENARIOS = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((file) => {
    const bundle = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as Bundle;
    const p = (bundle.entry ?? []).find((e) => e.resource?.resourceType === 'Patient')?.resource;
    return { id: file.replace(/\.json$/, ''), file, patientId: p?.id ?? '' };
  });

function load(file: string, patientId: string): { patient: Patient; resources: FhirResource[] } {
  const bundle = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8')) as Bundle;
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => !!r);
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient' && r.id === patientId);
  if (!patient) throw new Error(`no patient ${patientId} in ${file}`);
  return { patient, resources: resources.filter((r) => r !== patient) };
}

function show(evaluation: Evaluation, patient: Patient, failures: LoadFailure[] = []) {
  return renderApp({
    phase: 'ready',
    data: { evaluation, patient, statuses: [], failures, needPatientBanner: true },
  });
}

describe.each(SCENARIOS.map((s) => [s.id, s] as const))('scenario %s through evaluate()', (_id, scenario) => {
  const { patient, resources } = load(scenario.file, scenario.patientId);
  const evaluation = evaluate({ patient, resources, now: SCENARIO_REFERENCE_DATE });

  it('renders every item with the engine status, direction and applicability; findings first', async () => {
    const { container } = show(evaluation, patient);
    // every row in full: each range shown
    fireEvent.click(container.querySelector('[data-action="show-all"]')!);
    const rows = [...container.querySelectorAll<HTMLElement>('[data-item]')];
    expect(rows.map((r) => r.dataset.item).sort()).toEqual(evaluation.items.map((i) => i.id).sort());
    for (const item of evaluation.items) {
      const r = container.querySelector<HTMLElement>(`[data-item="${item.id}"]`)!;
      expect(r.dataset.status, item.id).toBe(item.status);
      expect(r.dataset.direction, item.id).toBe(item.direction);
      expect(r.dataset.applies, item.id).toBe(String(item.applies));
      // every shown result carries its date, and every range its source
      if (item.latest) expect(r.querySelector('.c-date')!.textContent, item.id).toContain(formatDate(item.latest.date));
      if (item.range) {
        // the range once, in the unit of the value, with words naming its source
        const cell = r.querySelector('.c-range')!.textContent!;
        expect(cell, item.id).toBe(formatRange(item.range, item.latest?.analyte, 'si', item.latest?.unit));
        expect(cell, item.id).toMatch(/built-in|\blab/i);
      }
      expect(r.querySelector('.chip')!.textContent!.length, item.id).toBeGreaterThan(2);
    }
    expect([...container.querySelectorAll('[data-finding]')].map((f) => f.getAttribute('data-finding'))).toEqual(
      evaluation.findings.map((f) => f.id),
    );
    expect(container.querySelector('[data-summary]')!.textContent).toBe(summaryText(evaluation.summary));
    const firstFinding = container.querySelector('[data-finding]');
    if (firstFinding) expect(firstFinding.compareDocumentPosition(rows[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('with Observations failed, lab rows read "Could not check" and the banner names the failure', () => {
    const failures: LoadFailure[] = [{ resourceType: 'Observation', kind: 'failed', httpStatus: 500, message: 'Internal server error' }];
    const failed = evaluate({ patient, resources: resources.filter((r) => r.resourceType !== 'Observation'), failures, now: SCENARIO_REFERENCE_DATE });
    const { container } = show(failed, patient, failures);
    expect(container.querySelector('[data-failures]')!.textContent).toContain('Observations (lab results) (HTTP 500)');
    for (const item of failed.items.filter((i) => i.group === 'blood')) {
      const r = container.querySelector<HTMLElement>(`[data-item="${item.id}"]`)!;
      expect(r.dataset.status, item.id).not.toBe('missing');
      expect(r.dataset.status, item.id).not.toBe('normal');
      if (r.dataset.status === 'unknown') expect(r.querySelector('.chip')!.textContent).toContain('Could not check');
    }
  });
});
