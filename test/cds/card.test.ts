/**
 * The patient-view card, built from the clinical core's evaluation of the scenario patients: when a
 * card is shown at all (relevance), its summary, indicator, detail and link; and the to-do list's
 * switch to the engine's own list.
 */
import type { DiagnosticReport, FhirResource, ImagingStudy } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import type { Evaluation } from '../../src/clinical/model';
import { cardDetail, cardSummary, LINK_LABEL, MAX_SUMMARY, SOURCE_LABEL, workupCard } from '../../src/cds/card';
import { mdText } from '../../src/cds/markdown';
import { workupRelevance } from '../../src/cds/relevance';
import { namesPlainly } from '../../src/clinical';
import { todoList, todoState } from '../../src/cds/todo';
import { evaluated, gathered, uuid } from './fixtures';

const LAUNCH = 'https://app.example.org/launch/';

function report(conclusion: string, extra: Partial<DiagnosticReport> = {}): DiagnosticReport {
  return { resourceType: 'DiagnosticReport', id: `r-${conclusion.length}`, status: 'final', code: { text: 'US kidneys' }, conclusion, ...extra };
}

describe('relevance: a card only when the workup concerns the patient', () => {
  it('medullary sponge kidney recorded as a Condition (the engine risk factor)', () => {
    const g = gathered('medullary-sponge-partial.json');
    const reasons = workupRelevance(evaluated(g), g.resources);
    expect(reasons).toContainEqual({ condition: 'medullary-sponge-kidney', kind: 'condition', source: 'Condition/scn-msk-msk' });
  });

  it('nephrocalcinosis named by an imaging report text', () => {
    const g = gathered('primary-hyperparathyroidism.json');
    expect(workupRelevance(evaluated(g), g.resources)).toEqual([{ condition: 'nephrocalcinosis', kind: 'imaging-report', source: 'DiagnosticReport/scn-hyperpara-us' }]);
  });

  it('no card for patients whose record names neither condition', () => {
    for (const file of ['complete-normal.json', 'stale-workup.json', 'pending-orders.json']) {
      const g = gathered(file);
      expect(workupRelevance(evaluated(g), g.resources), file).toEqual([]);
    }
  });

  it('a coded conclusion counts (medullary sponge kidney, SNOMED 236443009)', () => {
    const g = gathered('complete-normal.json');
    const coded = report('See images', { conclusionCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '236443009' }] }] });
    expect(workupRelevance(evaluated(g), [...g.resources, coded]).map((r) => r.condition)).toEqual(['medullary-sponge-kidney']);
  });

  it('an imaging study naming it counts; entered-in-error reports and studies do not', () => {
    const g = gathered('complete-normal.json');
    const study: ImagingStudy = { resourceType: 'ImagingStudy', id: 's1', status: 'available', subject: { reference: 'Patient/x' }, description: 'CT KUB: medullary nephrocalcinosis' };
    expect(workupRelevance(evaluated(g), [...g.resources, study]).map((r) => r.kind)).toEqual(['imaging-study']);
    const wrong: FhirResource[] = [{ ...study, status: 'entered-in-error' }, report('Medullary nephrocalcinosis.', { status: 'entered-in-error' })];
    expect(workupRelevance(evaluated(g), [...g.resources, ...wrong])).toEqual([]);
  });

  it('a negated or uncertain mention is no reason to show a card', () => {
    const rx = /nephrocalcinosis/i;
    for (const text of [
      'No nephrocalcinosis.',
      'No hydronephrosis or nephrocalcinosis',
      'Nephrocalcinosis excluded',
      '?nephrocalcinosis',
      'Query nephrocalcinosis',
      'Possible early nephrocalcinosis',
      'Kidneys normal; no evidence of nephrocalcinosis',
      'Previously reported nephrocalcinosis has resolved',
    ]) {
      expect(namesPlainly(text, rx), text).toBe(false);
    }
    for (const text of ['Bilateral medullary nephrocalcinosis. No hydronephrosis.', 'Echogenic pyramids, in keeping with nephrocalcinosis', 'Nephrocalcinosis, no calculi']) {
      expect(namesPlainly(text, rx), text).toBe(true);
    }
  });
});

describe('the card', () => {
  const g = gathered('primary-hyperparathyroidism.json');
  const e = evaluated(g);
  const reasons = workupRelevance(e, g.resources);
  const card = workupCard(e, reasons, { launchUrl: LAUNCH, uuid });

  it('summary under 140 characters, with the counts', () => {
    expect(card.summary).toBe('Nephrocalcinosis workup: 1 of 24 investigations missing, 6 abnormal results, 3 findings to consider');
    expect(card.summary.length).toBeLessThan(140);
  });

  it('summary stays under 140 characters whatever the counts', () => {
    const big: Evaluation = { ...e, summary: { missing: 222, outdated: 222, pending: 222, abnormal: 222, unknown: 222, normal: 0, total: 1110, outdatedAbnormal: 0 }, findings: Array(120).fill(e.findings[0]) };
    const s = cardSummary(big);
    expect(s.length).toBeLessThanOrEqual(MAX_SUMMARY);
    expect(s).toMatch(/^Nephrocalcinosis workup: 222 of 1110 investigations missing, 222 outdated/);
  });

  it('warning when there are findings or abnormal results, info otherwise', () => {
    expect(card.indicator).toBe('warning');
    const quiet: Evaluation = { ...e, findings: [], summary: { ...e.summary, abnormal: 0 } };
    expect(workupCard(quiet, reasons, { launchUrl: LAUNCH, uuid }).indicator).toBe('info');
    const findingsOnly: Evaluation = { ...quiet, findings: e.findings.slice(0, 1) };
    expect(workupCard(findingsOnly, reasons, { launchUrl: LAUNCH, uuid }).indicator).toBe('warning');
  });

  it('source label, uuid, and one smart link to the app launch URL', () => {
    expect(card.source).toEqual({ label: SOURCE_LABEL });
    expect(card.uuid).toMatch(/^uuid-\d+$/);
    expect(card.links).toEqual([{ label: LINK_LABEL, url: LAUNCH, type: 'smart' }]);
  });

  it('detail: why shown, findings, abnormal results, then what to complete, in that order', () => {
    const d = card.detail!;
    const order = ['Shown because: Nephrocalcinosis named in an imaging report.', '**Findings to consider**', '**Abnormal results**', '**To complete**'].map((s) => d.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(d).toContain('- Calcium is high with a PTH of the same day (14.2 pmol/L) that is high. Consider primary hyperparathyroidism, the commonest associated cause');
    expect(d).toContain('- Parathyroid hormone (intact): 14.2 pmol/L (high), 2026-05-12');
    expect(d).toMatch(/- Missing: CT abdomen \/ kidneys/);
    expect(d).not.toContain('**Could not be checked**');
  });

  it('items that could not be checked are listed, never hidden', () => {
    const failed = evaluated({ ...g, resources: g.resources.filter((r) => r.resourceType !== 'Observation'), failures: [{ resourceType: 'Observation', kind: 'forbidden', httpStatus: 403, message: 'Not allowed' }] });
    const d = cardDetail(failed, reasons);
    expect(d).toContain('**Not everything could be loaded**: Observations (lab results) could not be loaded (HTTP 403, access refused).');
    expect(d).toContain('**Could not be checked**');
    expect(d).toMatch(/- Calcium \(total\): Observations \(lab results\) could not be loaded \(HTTP 403, access refused\)/);
    expect(cardSummary(failed)).toMatch(/not checked/);
  });

  it('record text cannot add markup to the detail', () => {
    expect(mdText('<img src=x onerror=alert(1)> [link](javascript:x) **b** `c`\nline')).toBe(
      '\\<img src=x onerror=alert(1)\\> \\[link\\](javascript:x) \\*\\*b\\*\\* \\`c\\` line',
    );
    const hostile = report('Medullary nephrocalcinosis <script>alert(1)</script> [x](http://evil)');
    const h = gathered('complete-normal.json');
    const withReport = { ...h, resources: [...h.resources, hostile] };
    const ev = evaluated(withReport);
    const d = workupCard(ev, workupRelevance(ev, withReport.resources), { launchUrl: LAUNCH, uuid }).detail!;
    expect(d).not.toMatch(/<script|\]\(http/);
  });
});

describe('what to complete: the engine\'s own to-do list', () => {
  const e = evaluated(gathered('distal-rta-child.json'));

  it('the card lists Evaluation.todo, in its order, with each entry\'s state and reason', () => {
    expect(todoList(e)).toBe(e.todo);
    expect(e.todo.length).toBeGreaterThan(0);
    const withWhy: Evaluation = { ...e, todo: [{ id: 'pth', label: 'PTH', status: 'missing', why: 'recommended for every patient' }, ...e.todo] };
    const d = cardDetail(withWhy, []);
    const lines = d.split('\n').filter((l) => /^- (Missing|Outdated|Pending)/.test(l));
    expect(lines[0]).toBe('- Missing: PTH: recommended for every patient');
    expect(lines.slice(1)).toEqual(e.todo.map((t) => `- Missing: ${mdText(t.label)}${t.why ? `: ${mdText(t.why)}` : ''}`));
  });

  it('says when an outdated result was taken and when a pending one was ordered', () => {
    expect(todoState({ id: 'a', label: 'A', status: 'outdated', date: '2025-01-02T10:00:00Z' })).toBe('Outdated (last result 2 Jan 2025)');
    expect(todoState({ id: 'a', label: 'A', status: 'pending', pendingKind: 'ordered', date: '2026-05-01' })).toBe('Pending (ordered 1 May 2026)');
    expect(todoState({ id: 'a', label: 'A', status: 'pending', pendingKind: 'registered' })).toBe('Pending');
    expect(todoState({ id: 'a', label: 'A', status: 'missing' })).toBe('Missing');
  });
});
