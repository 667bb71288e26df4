// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { summaryText } from '../../../src/ui/components/Summary';
import {
  ALL_LOADED,
  LOADING_STATUSES,
  OBSERVATION_500,
  PATIENT,
  XSS,
  partialEvaluation,
  readyData,
  readyEvaluation,
} from './fixtures';
import { axeViolations, renderApp } from './render';
import type { AppError } from '../../../src/ui/types';

afterEach(cleanup);

function row(container: Element, id: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(`[data-item="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el;
}

describe('ready state', () => {
  it('marks the root and renders the summary from the model counts', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    expect(container.querySelector('main')?.getAttribute('data-state')).toBe('ready');
    const s = readyEvaluation().summary;
    expect(container.querySelector('[data-summary]')?.textContent).toBe(summaryText(s));
    // 13 items apply, 3 missing (pth, urine calcium, + none other), 3 abnormal
    expect(summaryText(s)).toBe('2 of 13 recommended investigations missing, 4 abnormal, 1 outdated, 1 pending, 1 could not be checked');
  });

  it('says under the summary when pregnancy is recorded (the engine\'s words), and nothing otherwise', () => {
    const evaluation = readyEvaluation();
    evaluation.context = { pregnancy: { text: 'Pregnancy recorded (“Pregnancy”, 2026-03-01): the built-in creatinine and eGFR thresholds are not applied', source: 'Condition/p' } };
    const { container } = renderApp({ phase: 'ready', data: readyData({ evaluation }) });
    expect(container.querySelector('[data-pregnancy]')?.textContent).toBe(evaluation.context.pregnancy!.text);
    cleanup();
    expect(renderApp({ phase: 'ready', data: readyData() }).container.querySelector('[data-pregnancy]')).toBeNull();
  });

  it('renders findings before the investigation groups, with evidence as words when every row is shown in full', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    expect(container.querySelector('.evidence')).toBeNull();
    fireEvent.click(container.querySelector('[data-action="show-all"]')!);
    const findings = container.querySelectorAll('[data-finding]');
    expect([...findings].map((f) => f.getAttribute('data-finding'))).toEqual(['hypercalcaemia', 'hypokalaemia', 'paediatric']);
    const firstRow = container.querySelector('[data-item]')!;
    // DOCUMENT_POSITION_FOLLOWING: the first row comes after the first finding
    expect(findings[0]!.compareDocumentPosition(firstRow) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(findings[0]!.textContent).toContain('Based on: Adjusted calcium 2.73 mmol/L (1 Jun 2026)');
    // a reference resolves to the row that shows it; one the panel has no row for is not shown (no ids on screen)
    expect(findings[1]!.textContent).toContain('Based on: Potassium 3.1 mmol/L (10 Jun 2026)');
    expect(findings[1]!.textContent).not.toContain('Observation/');
    expect(findings[0]!.querySelector('a')).toBeNull();
    expect(findings[2]!.textContent).toContain('Based on: date of birth (age 56 years)');
  });

  it('groups rows in Blood, Urine, Imaging order with proper headers', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const headings = [...container.querySelectorAll('h3')].map((h) => h.textContent);
    expect(headings).toEqual(['Blood', 'Urine', 'Imaging']);
    const table = screen.getByRole('table', { name: 'Blood' });
    const cols = within(table).getAllByRole('columnheader').map((c) => c.textContent);
    expect(cols).toEqual(['Investigation', 'Status', 'Result', 'Date', 'Range']);
    expect(within(table).getByRole('rowheader', { name: /Calcium \(total\)/ })).toBeTruthy();
  });

  it('puts data-* hooks on every row', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const rows = container.querySelectorAll('[data-item]');
    expect(rows).toHaveLength(readyEvaluation().items.length);
    const ca = row(container, 'calcium');
    expect(ca.dataset.status).toBe('abnormal');
    expect(ca.dataset.direction).toBe('high');
    expect(ca.dataset.applies).toBe('true');
    expect(row(container, 'potassium').dataset.direction).toBe('low');
    expect(row(container, 'albumin').hasAttribute('data-direction')).toBe(false);
    expect(row(container, 'magnesium').dataset.applies).toBe('false');
  });

  it('shows chips as text with a shape, never colour alone', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const chip = (id: string) => row(container, id).querySelector('.chip')!.textContent;
    expect(chip('calcium')).toBe('▲High');
    expect(chip('potassium')).toBe('▼Low');
    expect(chip('albumin')).toBe('✓Normal');
    expect(chip('urinalysis')).toBe('✓Done');
    expect(chip('pth')).toBe('○Missing');
    expect(chip('tsh')).toBe('◐Outdated');
    expect(chip('urine-culture')).toBe('…Pending');
    expect(chip('vitamin-d')).toBe('?Could not check');
    expect(chip('renal-ultrasound')).toBe('◆Abnormal');
    // the shape is decoration for screen readers: the word carries the meaning
    expect(row(container, 'calcium').querySelector('.chip-icon')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('shows value with unit, the reported value when converted, dates and the range source', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    fireEvent.click(container.querySelector('[data-action="show-all"]')!);
    const ca = row(container, 'calcium');
    expect(ca.querySelector('.c-result')!.textContent).toContain('2.69 mmol/L (reported 10.8 mg/dL)');
    expect(ca.querySelector('.c-date time')!.textContent).toBe('1 Jun 2026');
    expect(ca.querySelector('.c-date time')!.getAttribute('datetime')).toBe('2026-06-01');
    expect(ca.querySelector('.c-date')!.textContent).toContain('14 days ago');
    expect(ca.querySelector('.c-range')!.textContent).toBe('2.20–2.60 mmol/L · built-in range');
    expect(row(container, 'albumin').querySelector('.c-range')!.textContent).toBe('35–50 g/L · lab range');
    expect(row(container, 'potassium').querySelector('.c-range')!.textContent).toBe('flagged by the laboratory');
    // units written for people, at the laboratory's precision
    expect(row(container, 'tsh').querySelector('.c-result')!.textContent).toContain('5.10 mIU/L');
    expect(row(container, 'urine-oxalate-24h').querySelector('.c-result')!.textContent).toContain('<0.05 mmol/24 h');
    expect(row(container, 'urine-oxalate-24h').querySelector('.c-range')!.textContent).toBe('≤ 0.45 mmol/24 h · built-in range');
    expect(row(container, 'tsh').querySelector('.c-date')!.textContent).toContain('1 year ago');
  });

  it('marks derived values with a visible derivation', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const adj = row(container, 'adjusted-calcium');
    const tag = adj.querySelector('.tag-derived')!;
    expect(tag.textContent).toBe('calculated');
    expect(tag.getAttribute('title')).toContain('Payne');
    expect(adj.querySelector('.derivation')!.textContent).toContain('Payne: calcium 2.69 mmol/L');
    expect(row(container, 'calcium').querySelector('.tag-derived')).toBeNull();
  });

  it('shows reasons, conditional items with their condition, result markers and the old flag of outdated results', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    expect(row(container, 'urine-culture').textContent).toContain('Ordered on 12 Jun 2026, no result yet');
    expect(row(container, 'vitamin-d').textContent).toContain('Unit “IU/mL” not recognised');
    expect(row(container, 'vitamin-d').querySelector('.conditional')!.textContent).toBe(
      'Conditional when calcium is high or vitamin D is prescribed',
    );
    expect(row(container, 'tsh').textContent).toContain('was ▲ high');
    const us = row(container, 'renal-ultrasound');
    expect(us.textContent).toContain('preliminary');
    expect(us.textContent).toContain('matched by name');
  });

  it('does not repeat what is already said: same-number "reported", text equal to the value', () => {
    const evaluation = readyEvaluation();
    const items = evaluation.items.map((i) => {
      if (i.id === 'albumin') return { ...i, latest: { ...i.latest!, reported: { value: 38, unit: 'g/l' } }, range: { low: 35, high: 50, source: 'result' as const, text: '35–50 g/L (lab range)' } };
      if (i.id === 'urinalysis') return { ...i, latest: { ...i.latest!, value: 'done (4 results)', text: 'done (4 results)' } };
      return i;
    });
    const { container } = renderApp({ phase: 'ready', data: readyData({ evaluation: { ...evaluation, items } }) });
    fireEvent.click(container.querySelector('[data-action="show-all"]')!);
    expect(row(container, 'albumin').querySelector('.c-result')!.textContent).not.toContain('reported');
    // the range once, from its bounds in the unit of the value (not the engine's text beside them)
    expect(row(container, 'albumin').querySelector('.c-range')!.textContent).toBe('35–50 g/L · lab range');
    expect(row(container, 'urinalysis').querySelector('.result-text')).toBeNull();
    // a real conversion keeps its reported value
    expect(row(container, 'calcium').textContent).toContain('(reported 10.8 mg/dL)');
  });

  it('collapses items that do not apply under "Not indicated for this patient"', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const details = container.querySelector('details.not-applicable-list')!;
    expect(details.hasAttribute('open')).toBe(false);
    expect(details.querySelector('summary')!.textContent).toBe('Not indicated for this patient (3)');
    const ids = [...details.querySelectorAll('[data-item]')].map((r) => r.getAttribute('data-item'));
    expect(ids).toEqual(['magnesium', 'ct-abdomen', 'genetic-testing']);
    expect(details.querySelectorAll('[data-applies="false"]')).toHaveLength(3);
  });

  it('shows history compactly, in a details element when there are several', async () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const ca = row(container, 'calcium').querySelector<HTMLDetailsElement>('details.history')!;
    expect(ca.querySelector('summary')!.textContent).toBe('Previous: 2.65 mmol/L (3 Mar 2026) · 1 earlier');
    // The list is rendered when the details is opened (performance: not hundreds of hidden rows up
    // front); opening it with the summary (click, Enter or Space) shows every earlier result.
    expect(ca.open).toBe(false);
    expect(ca.querySelectorAll('li')).toHaveLength(0);
    fireEvent.click(ca.querySelector('summary')!);
    await waitFor(() => expect(ca.querySelectorAll('li')).toHaveLength(2));
    expect(ca.open).toBe(true);
    expect(ca.querySelectorAll('li')[1]!.textContent).toContain('20 Nov 2025');
    expect(row(container, 'adjusted-calcium').querySelector('p.history')!.textContent).toBe('Previous: 2.65 mmol/L (3 Mar 2026)');
  });

  it('renders the history list when its details is opened by other means than the summary (toggle event)', async () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const ca = row(container, 'calcium').querySelector<HTMLDetailsElement>('details.history')!;
    ca.open = true;
    ca.dispatchEvent(new Event('toggle'));
    await waitFor(() => expect(ca.querySelectorAll('li')).toHaveLength(2));
    expect(ca.querySelectorAll('li')[0]!.textContent).toContain('2.65 mmol/L');
    // Closing keeps the rendered list (nothing to rebuild on the next opening).
    ca.open = false;
    ca.dispatchEvent(new Event('toggle'));
    await new Promise((r) => setTimeout(r, 0));
    expect(ca.querySelectorAll('li')).toHaveLength(2);
  });

  it('lists risk factors, thiazides as treatment context', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const risks = [...container.querySelectorAll('[data-risk]')];
    expect(risks.map((r) => r.getAttribute('data-risk'))).toEqual(['rf-furosemide', 'rf-hctz', 'rf-phpt']);
    expect(risks[1]!.textContent).toContain('treatment context, not a cause');
    expect(risks[0]!.textContent).not.toContain('treatment context');
    expect(risks[0]!.textContent).toContain('Medicine');
    expect(risks[2]!.textContent).toContain('Condition');
  });

  it('renders FHIR text as text: markup creates no element', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData({ needPatientBanner: true }) });
    expect(container.querySelector('img')).toBeNull();
    expect(row(container, 'renal-ultrasound').textContent).toContain(XSS);
    expect(container.querySelector('[data-risk="rf-phpt"]')!.textContent).toContain(XSS);
    expect(container.querySelector('[data-patient-banner]')!.textContent).toContain(XSS);
  });

  it('shows the patient banner only when the EHR asks for it', () => {
    const { container, unmount } = renderApp({ phase: 'ready', data: readyData({ needPatientBanner: false }) });
    expect(container.querySelector('[data-patient-banner]')).toBeNull();
    unmount();
    const r2 = renderApp({ phase: 'ready', data: readyData({ needPatientBanner: true }) });
    const banner = r2.container.querySelector('[data-patient-banner]')!;
    expect(banner.textContent).toContain(`Ada Lovelace ${XSS}`);
    expect(banner.textContent).toContain('Female');
    expect(banner.textContent).toContain('Born 2 Apr 1970 (56 years)');
  });

  it('has no wcag2a/wcag2aa violations (axe)', async () => {
    const { container } = renderApp({ phase: 'ready', data: readyData({ needPatientBanner: true }) });
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('partial failure', () => {
  const data = () =>
    readyData({
      evaluation: partialEvaluation(),
      failures: [OBSERVATION_500],
      statuses: [{ resourceType: 'Observation', state: 'failed', count: 0, httpStatus: 500 }, ...ALL_LOADED.slice(1)],
    });

  it('shows a banner naming what failed, unknown rows, and a Retry that calls back', () => {
    const { container, actions } = renderApp({ phase: 'ready', data: data() });
    expect(container.querySelector('main')!.dataset.state).toBe('ready');
    const banner = container.querySelector('[data-failures]')!;
    expect(banner.textContent).toContain('Some of the record could not be loaded');
    expect(banner.textContent).toContain('Observations (lab results) (HTTP 500). Affected items show “Could not check”.');
    expect(banner.textContent).toContain('Internal server error');
    expect(row(container, 'calcium').dataset.status).toBe('unknown');
    expect(row(container, 'calcium').textContent).toContain('Could not check');
    // what loaded is still shown
    expect(row(container, 'renal-ultrasound').dataset.status).toBe('abnormal');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(actions.retryFailed).toHaveBeenCalledTimes(1);
  });

  it('says risk factors could not be checked when their types failed (never "none found")', () => {
    const failures = [{ resourceType: 'Condition' as const, kind: 'forbidden' as const, httpStatus: 403, message: 'Forbidden' }];
    const evaluation = { ...readyEvaluation(), riskFactors: [] };
    const { container } = renderApp({ phase: 'ready', data: readyData({ evaluation, failures }) });
    const risks = container.querySelector('.risk-factors')!;
    expect(risks.textContent).not.toContain('None found');
    expect(risks.textContent).toContain('Could not check: Conditions could not be loaded.');
  });

  it('marks Retry unavailable and shows progress while a retry runs', () => {
    const { container, actions } = renderApp({
      phase: 'ready',
      data: data(),
      retrying: { startedAt: Date.now(), statuses: [{ resourceType: 'Observation', state: 'pending', count: 0 }] },
    });
    const button = screen.getByRole('button', { name: 'Retry' });
    // stays focusable (keyboard users keep their place) but does nothing while a retry runs
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    expect(actions.retryFailed).not.toHaveBeenCalled();
    expect(container.querySelector('.retry-status')!.textContent).toBe('Retrying…');
    expect(container.querySelector('[data-resource="Observation"]')!.getAttribute('data-load-state')).toBe('pending');
  });

  it('has no wcag2a/wcag2aa violations (axe)', async () => {
    const { container } = renderApp({ phase: 'ready', data: data() });
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('loading state', () => {
  it('shows per-type progress with counts and HTTP statuses, elapsed time, in a live region', () => {
    const { container } = renderApp({ phase: 'loading', startedAt: Date.now() - 3000, statuses: LOADING_STATUSES });
    expect(container.querySelector('main')!.dataset.state).toBe('loading');
    const line = (t: string) => container.querySelector(`[data-resource="${t}"]`)!;
    expect(line('Observation').textContent).toBe('…Observations (lab results): loading…');
    expect(line('Condition').textContent).toBe('✓Conditions: 3 loaded');
    expect(line('MedicationRequest').textContent).toBe('✕Medication requests: failed (HTTP 500)');
    expect(line('DiagnosticReport').textContent).toBe('✕Diagnostic reports: not permitted (HTTP 403)');
    expect(line('ImagingStudy').textContent).toBe('◷Imaging studies: timed out');
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('Loaded 5 of 6 parts of the record…');
    expect(container.querySelector('.elapsed')!.textContent).toMatch(/^[34] s elapsed$/);
    // not yet slow: no "show what has loaded"
    expect(container.querySelector('[data-action="stop-waiting"]')).toBeNull();
  });

  it('offers to stop waiting when loading is slow', () => {
    const { actions } = renderApp({ phase: 'loading', startedAt: Date.now() - 15_000, statuses: LOADING_STATUSES });
    fireEvent.click(screen.getByRole('button', { name: 'Show what has loaded' }));
    expect(actions.stopWaiting).toHaveBeenCalledTimes(1);
  });

  it('says it is connecting while the launch completes', () => {
    renderApp({ phase: 'launching', startedAt: Date.now() });
    expect(screen.getByRole('status').textContent).toBe('Connecting to the EHR…');
  });

  it('has no wcag2a/wcag2aa violations (axe)', async () => {
    const { container } = renderApp({ phase: 'loading', startedAt: Date.now() - 15_000, statuses: LOADING_STATUSES });
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('error states', () => {
  /** The error screens are a chunk of their own: wait until it has arrived and the page reads as an error. */
  async function renderError(error: AppError) {
    const r = renderApp({ phase: 'error', error });
    await waitFor(() => expect(r.container.querySelector('main')!.dataset.state).toBe('error'));
    return r;
  }

  it('reads as loading until the error screen has arrived, never blank or half-drawn', () => {
    const { container } = renderApp({ phase: 'error', error: { kind: 'session-expired' } });
    expect(container.querySelector('main')!.dataset.state).toBe('loading');
    expect(container.querySelector('h1')!.textContent).toBe('Nephrocalcinosis workup');
  });

  it('shows a launch error with its title, message and hint', async () => {
    const { container } = await renderError({ kind: 'launch', title: 'Access was denied', message: 'The EHR refused the authorization.', hint: 'Ask your administrator.' });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Access was denied');
    expect(container.textContent).toContain('The EHR refused the authorization.');
    expect(container.textContent).toContain('Ask your administrator.');
  });

  it('shows the session-expired screen', async () => {
    const { container } = await renderError({ kind: 'session-expired' });
    expect(container.querySelector('[data-error="session-expired"]')!.textContent).toContain(
      "Your session has expired. Relaunch the app from the patient’s chart.",
    );
  });

  it('explains a direct open and links the local sandbox', async () => {
    await renderError({ kind: 'no-context' });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Open this app from a patient’s chart');
    expect(screen.getByRole('link', { name: 'local SMART sandbox' }).getAttribute('href')).toBe('/sandbox/');
  });

  it('offers Try again when the patient could not be loaded', async () => {
    const { actions } = await renderError({ kind: 'patient', message: 'The EHR answered HTTP 404.' });
    expect(screen.getByText('The EHR answered HTTP 404.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(actions.reload).toHaveBeenCalledTimes(1);
  });

  it('says so when the panel could not be computed, with Try again', async () => {
    const { container, actions } = await renderError({ kind: 'internal' });
    expect(container.querySelector('[data-error="internal"]')!.textContent).toContain('Use the results in the EHR directly');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(actions.reload).toHaveBeenCalledTimes(1);
  });

  it('has no wcag2a/wcag2aa violations (axe) in each error screen', async () => {
    for (const error of [
      { kind: 'launch', title: 'T', message: 'M', hint: 'H' },
      { kind: 'no-context' },
      { kind: 'session-expired' },
      { kind: 'patient' },
      { kind: 'timeout' },
      { kind: 'internal' },
    ] as const) {
      const { container, unmount } = await renderError(error);
      expect(await axeViolations(container)).toEqual([]);
      unmount();
    }
  });
});

it('the patient fixture is a Patient (type guard for the banner tests)', () => {
  expect(PATIENT.resourceType).toBe('Patient');
});
