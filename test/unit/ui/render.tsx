/** Test helpers: render the App with a state and spy actions; run axe on the result. */
import { render } from '@testing-library/preact';
import axe from 'axe-core';
import { vi } from 'vitest';
import { App } from '../../../src/ui/App';
import type { AppActions, AppState } from '../../../src/ui/types';

export function renderApp(state: AppState) {
  const actions: AppActions = { retryFailed: vi.fn(), reload: vi.fn(), stopWaiting: vi.fn() };
  document.documentElement.lang = 'en-GB';
  document.title = 'Nephrocalcinosis workup';
  const result = render(<App state={state} actions={actions} />);
  return { ...result, actions };
}

/** wcag2a + wcag2aa violations (colour contrast cannot be computed in jsdom: the e2e run checks it). */
export async function axeViolations(container: Element) {
  const results = await axe.run(container, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
    rules: { 'color-contrast': { enabled: false } },
  });
  return results.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.html) }));
}
