// @vitest-environment jsdom
/**
 * The panel a clinician acts on: the to-do list under the summary, compact rows with a control that
 * shows every row in full, the unit system (site default, the user's choice remembered), focus and
 * the announcement when the panel becomes ready.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppRoot } from '../../../src/app/AppRoot';
import { saveUnits, storedUnits, UNITS_KEY } from '../../../src/app/preferences';
import { siteUnits } from '../../../src/app/settings';
import type { AppState } from '../../../src/ui/types';
import type { ItemResult } from '../../../src/clinical/model';
import { buildTodo } from '../../../src/clinical/todo';
import { readyData, readyEvaluation, summarise } from './fixtures';
import { axeViolations, renderApp } from './render';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

function row(container: Element, id: string): HTMLElement {
  const el = container.querySelector<HTMLElement>(`[data-item="${id}"]`);
  if (!el) throw new Error(`no row ${id}`);
  return el;
}

/** The fixture with a pending order and an outdated result, as the engine builds its to-do list. */
function todoData() {
  const evaluation = readyEvaluation();
  const items = evaluation.items.map((i): ItemResult => {
    if (i.id === 'urine-culture') return { ...i, pending: { kind: 'ordered', date: '2026-06-12T10:00:00Z', source: 'ServiceRequest/sr1' } };
    return i;
  });
  return readyData({ evaluation: { ...evaluation, items, summary: summarise(items), todo: buildTodo(items) } });
}

describe('To complete the workup', () => {
  it('lists the model\'s to-do entries right under the summary, in its order, with why and the article section', () => {
    const data = todoData();
    const { container } = renderApp({ phase: 'ready', data });
    const list = container.querySelector('[data-todo-list]')!;
    expect(container.querySelector('.summary-wrap')!.nextElementSibling).toBe(list);
    expect(within(list as HTMLElement).getByRole('heading', { level: 2 }).textContent).toBe('To complete the workup');
    const entries = [...list.querySelectorAll<HTMLElement>('[data-todo]')];
    expect(entries.map((e) => [e.dataset.todo, e.dataset.todoStatus])).toEqual(data.evaluation.todo.map((t) => [t.id, t.status]));
    expect(entries.map((e) => e.dataset.todo)).toEqual(['pth', 'tsh', 'urine-culture', 'urine-calcium-24h']);
    const byId = (id: string) => entries.find((e) => e.dataset.todo === id)!;
    // pending: ordered on its date; outdated: its date; both in the panel's one date format
    expect(byId('urine-culture').textContent).toContain('ordered on 12 Jun 2026');
    expect(byId('tsh').textContent).toContain('last done 1 Dec 2024');
    expect(byId('pth').textContent).toContain('Missing');
    // the why and the section are the catalog's words
    const why = data.evaluation.todo.find((t) => t.id === 'pth')!;
    expect(why.why && why.section).toBeTruthy();
    expect(byId('pth').querySelector('.todo-why')!.textContent).toBe(`${why.why} (${why.section})`);
  });

  it('says so when nothing is missing, outdated or pending', () => {
    const evaluation = { ...readyEvaluation(), todo: [] };
    const { container } = renderApp({ phase: 'ready', data: readyData({ evaluation }) });
    expect(container.querySelector('[data-todo-list]')!.textContent).toContain('Nothing missing, outdated or pending.');
    expect(container.querySelector('[data-todo]')).toBeNull();
  });
});

describe('compact rows and show all', () => {
  it('shows normal and missing rows as one line, and the rows to act on with their detail', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const albumin = row(container, 'albumin');
    expect(albumin.classList.contains('row-brief')).toBe(true);
    // name, value and date only
    expect(albumin.querySelector('.c-result')!.textContent).toBe('38 g/L');
    expect(albumin.querySelector('.c-date')!.textContent).toBe('1 Jun 2026');
    expect(albumin.querySelector('.c-range')!.textContent).toBe('');
    expect(row(container, 'pth').classList.contains('row-brief')).toBe(true);
    // abnormal, unknown, outdated and pending rows keep their detail, the range once
    for (const id of ['calcium', 'vitamin-d', 'tsh', 'urine-culture']) expect(row(container, id).classList.contains('row-brief'), id).toBe(false);
    const ca = row(container, 'calcium');
    expect(ca.textContent!.split('2.20–2.60').length - 1).toBe(1);
    expect(ca.querySelector('.c-date')!.textContent).toContain('14 days ago');
    expect(row(container, 'tsh').querySelector('.reason')!.textContent).toBe('Newest result is older than 12 months');
  });

  it('show-all toggles every row in full (aria-expanded), and back', () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const button = container.querySelector<HTMLButtonElement>('[data-action="show-all"]')!;
    expect(button.tagName).toBe('BUTTON');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(container.querySelectorAll('.row-brief')).toHaveLength(0);
    expect(row(container, 'albumin').querySelector('.c-range')!.textContent).toBe('35–50 g/L · lab range');
    expect(row(container, 'albumin').querySelector('.c-date')!.textContent).toContain('14 days ago');
    expect(row(container, 'ct-abdomen').querySelector('.condition')!.textContent).toContain('to characterise calcification');
    // every earlier result listed without a further click
    const history = row(container, 'calcium').querySelector<HTMLDetailsElement>('details.history')!;
    expect(history.open).toBe(true);
    expect(history.querySelectorAll('li')).toHaveLength(2);
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(row(container, 'albumin').classList.contains('row-brief')).toBe(true);
  });

  it('has no wcag2a/wcag2aa violations, compact and in full (axe)', async () => {
    const { container } = renderApp({ phase: 'ready', data: todoData() });
    expect(await axeViolations(container)).toEqual([]);
    fireEvent.click(container.querySelector('[data-action="show-all"]')!);
    expect(await axeViolations(container)).toEqual([]);
  });
});

/** The page's root with a controller that is ready at once (as src/main.tsx renders it). */
function renderRoot(units = storedUnits(siteUnits({}))) {
  const state: AppState = { phase: 'ready', data: readyData() };
  const controller = { getState: () => state, subscribe: () => () => undefined, retryFailed: vi.fn(), reload: vi.fn(), stopWaiting: vi.fn() };
  return render(<AppRoot controller={controller} units={units} onUnits={saveUnits} />);
}

describe('unit system', () => {
  it('the site default comes from VITE_UNITS (si unless conventional)', () => {
    expect(siteUnits({})).toBe('si');
    expect(siteUnits({ VITE_UNITS: ' Conventional ' })).toBe('conventional');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(siteUnits({ VITE_UNITS: 'metric' })).toBe('si');
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('switches values and ranges together, and remembers only the choice', () => {
    const { container } = renderRoot();
    const ca = () => row(container, 'calcium');
    expect(ca().querySelector('.value')!.textContent).toBe('2.69 mmol/L');
    expect(ca().querySelector('.c-range')!.textContent).toBe('2.20–2.60 mmol/L · built-in range');
    const conventional = screen.getByRole('button', { name: 'Conventional' });
    expect(conventional.getAttribute('aria-pressed')).toBe('false');
    expect(within(screen.getByRole('group', { name: 'Units' })).getAllByRole('button')).toHaveLength(2);
    fireEvent.click(conventional);
    expect(conventional.getAttribute('aria-pressed')).toBe('true');
    expect(ca().querySelector('.value')!.textContent).toBe('10.8 mg/dL');
    // the range in the unit of the value; the reported value no longer differs, so it is not repeated
    expect(ca().querySelector('.c-range')!.textContent).toBe('8.8–10.4 mg/dL · built-in range');
    expect(ca().textContent).not.toContain('reported');
    expect({ ...localStorage }).toEqual({ [UNITS_KEY]: 'conventional' });
    cleanup();
    // a new page starts with the stored choice
    const again = renderRoot();
    expect(row(again.container, 'calcium').querySelector('.value')!.textContent).toBe('10.8 mg/dL');
  });

  it('findings follow the choice: their conventional words when the core wrote them', () => {
    const data = readyData();
    data.evaluation.findings = [{ id: 'hypercalcaemia', text: 'Calcium is high (2.69 mmol/L).', conventionalText: 'Calcium is high (10.8 mg/dL).', evidence: [] }];
    const state: AppState = { phase: 'ready', data };
    const controller = { getState: () => state, subscribe: () => () => undefined, retryFailed: vi.fn(), reload: vi.fn(), stopWaiting: vi.fn() };
    const { container } = render(<AppRoot controller={controller} units="si" onUnits={saveUnits} />);
    const text = () => container.querySelector('[data-finding="hypercalcaemia"] .finding-text')!.textContent;
    expect(text()).toBe('Calcium is high (2.69 mmol/L).');
    fireEvent.click(screen.getByRole('button', { name: 'Conventional' }));
    expect(text()).toBe('Calcium is high (10.8 mg/dL).');
  });

  it('keeps working when storage is refused', () => {
    const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } as unknown as Storage;
    expect(storedUnits('conventional', refusing)).toBe('conventional');
    expect(() => saveUnits('si', refusing)).not.toThrow();
    localStorage.setItem(UNITS_KEY, 'imperial');
    expect(storedUnits('si')).toBe('si');
  });
});

describe('when the panel becomes ready', () => {
  it('moves focus to the heading and announces the summary in a live region', async () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    expect(document.activeElement).toBe(container.querySelector('h1'));
    expect(container.querySelector('h1')!.getAttribute('tabindex')).toBe('-1');
    // the live region is in the page (empty) before the summary is put into it
    const live = container.querySelector('p[role="status"]')!;
    await waitFor(() => expect(live.textContent).toBe('Workup ready: 2 of 13 recommended investigations missing, 4 abnormal, 1 outdated, 1 pending, 1 could not be checked.'));
  });

  it('every control is a labelled button or summary, none taken out of the tab order', () => {
    const { container } = renderApp({ phase: 'ready', data: todoData() });
    for (const b of container.querySelectorAll('button, summary')) {
      expect(b.textContent!.trim().length, b.outerHTML).toBeGreaterThan(1);
      expect(b.getAttribute('tabindex'), b.outerHTML).not.toBe('-1');
    }
  });
});
