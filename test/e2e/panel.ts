/**
 * Reading the panel in the browser through its stable test hooks, and computing what it must show
 * with the clinical engine in this process, from the same source data the sandbox serves.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, FhirResource, Patient } from 'fhir/r4';
import type { Page } from 'playwright-core';
import { evaluate } from '../../src/clinical/index';
import type { Evaluation, LoadFailure } from '../../src/clinical/model';
import type { SiteCodeMap } from '../../src/clinical/sitecodes';
import { parseSiteCodes } from '../../src/clinical/sitecodes-check';
import { REPO_ROOT } from '../budget/build';

export interface Row {
  status: string | null;
  direction: string | null;
  applies: string | null;
}

export interface PanelView {
  rows: Record<string, Row>;
  findings: string[];
}

/** Rows and findings as the browser shows them (data-item / data-status / data-direction / data-applies, data-finding). */
export async function readPanel(page: Page): Promise<PanelView> {
  return page.evaluate(() => {
    const rows: Record<string, { status: string | null; direction: string | null; applies: string | null }> = {};
    for (const el of Array.from(document.querySelectorAll('[data-item]'))) {
      const id = el.getAttribute('data-item') ?? '';
      rows[id] = {
        status: el.getAttribute('data-status'),
        direction: el.getAttribute('data-direction'),
        applies: el.getAttribute('data-applies'),
      };
    }
    const findings = Array.from(document.querySelectorAll('[data-finding]')).map((el) => el.getAttribute('data-finding') ?? '');
    return { rows, findings: [...new Set(findings)].sort() };
  });
}

/** The engine's evaluation, in the same shape as readPanel. */
export function viewOf(e: Evaluation): PanelView {
  const rows: Record<string, Row> = {};
  for (const i of e.items) rows[i.id] = { status: i.status, direction: i.direction ?? null, applies: String(i.applies) };
  return { rows, findings: [...new Set(e.findings.map((f) => f.id))].sort() };
}

export interface SourcePatient {
  patient: Patient;
  resources: FhirResource[];
}

/**
 * Resources of a Bundle file, with urn:uuid references resolved to Type/id as the sandbox (and any
 * FHIR server receiving a transaction) does.
 */
export function readBundleFile(file: string): FhirResource[] {
  let text = readFileSync(file, 'utf8');
  const bundle = JSON.parse(text) as Bundle;
  const map = new Map<string, string>();
  for (const e of bundle.entry ?? []) {
    if (e.fullUrl?.startsWith('urn:uuid:') && e.resource?.id) map.set(e.fullUrl, `${e.resource.resourceType}/${e.resource.id}`);
  }
  if (map.size > 0) text = text.replace(/"urn:uuid:[0-9a-fA-F-]+"/g, (m) => JSON.stringify(map.get(m.slice(1, -1)) ?? m.slice(1, -1)));
  const resolved = JSON.parse(text) as Bundle;
  return (resolved.entry ?? []).map((e) => e.resource).filter((r): r is FhirResource => !!r);
}

export function sourcePatient(resources: FhirResource[], patientId: string): SourcePatient {
  const patient = resources.find((r): r is Patient => r.resourceType === 'Patient' && r.id === patientId);
  if (!patient) throw new Error(`no Patient/${patientId} in the source data`);
  return { patient, resources: resources.filter((r) => r !== patient) };
}

/** What the engine computes for this patient on `now`, with the given load failures (and the site's code map). */
export function engineView(src: SourcePatient, now: Date | string, failures: LoadFailure[] = [], siteCodes?: SiteCodeMap): PanelView {
  return viewOf(evaluate({ patient: src.patient, resources: src.resources, now, failures, ...(siteCodes ? { siteCodes } : {}) }));
}

/** The site code map the sandbox serves at /site-codes.json (test/scenarios/site/site-codes.json). */
export function sandboxSiteCodes(): SiteCodeMap {
  const r = parseSiteCodes(JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'scenarios', 'site', 'site-codes.json'), 'utf8')));
  if (!r.ok) throw new Error('the sandbox site map has problems');
  return r.map;
}

export const SCENARIO_DIR = join(REPO_ROOT, 'test', 'scenarios');
export const SYNTHEA_DIR = join(REPO_ROOT, '..', 'shared', 'fhir-data', 'synthea');

export function syntheaFiles(): string[] {
  try {
    return readdirSync(SYNTHEA_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(SYNTHEA_DIR, f));
  } catch {
    return [];
  }
}

/** Family and given names of a patient, as strings that must never appear in logs. */
export function patientNames(p: Patient): string[] {
  const out: string[] = [];
  for (const n of p.name ?? []) {
    if (n.family) out.push(n.family);
    for (const g of n.given ?? []) out.push(g);
  }
  return out.filter((s) => s.length >= 3);
}
