// @vitest-environment jsdom
/**
 * Copy to note (CopyNote.tsx) and the print header (PrintHeader.tsx) in the ready panel: the
 * control copies the core's note (src/clinical/note.ts), says "Copied" in a live region, and where
 * the clipboard is missing or refuses, shows the same text selected in a read-only box to copy by
 * hand; the print header names the patient even when the EHR hides the banner.
 */
import { cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatNote } from '../../../src/clinical/note';
import { PATIENT, readyData, readyEvaluation } from './fixtures';
import { axeViolations, renderApp } from './render';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function clipboard(writeText: (text: string) => Promise<void>) {
  const written: string[] = [];
  vi.stubGlobal('navigator', {
    ...navigator,
    clipboard: {
      writeText: (t: string) => {
        written.push(t);
        return writeText(t);
      },
    },
  });
  return written;
}

describe('Copy to note', () => {
  it('copies the core note and says so in a live region', async () => {
    const written = clipboard(async () => undefined);
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const button = container.querySelector<HTMLButtonElement>('[data-action="copy-note"]')!;
    expect(button.textContent).toBe('Copy to note');
    const status = container.querySelector('[data-copy-status]')!;
    expect(status.getAttribute('role')).toBe('status');
    expect(status.textContent).toBe('');
    fireEvent.click(button);
    await waitFor(() => expect(status.textContent).toBe('Copied'));
    expect(written).toEqual([formatNote(readyEvaluation(), 'si')]);
    expect(written[0]).toContain('To complete the workup:');
    expect(container.querySelector('[data-copy-text]')).toBeNull();
  });

  it.each([
    ['the clipboard refuses (no clipboard-write in the EHR frame)', () => clipboard(() => Promise.reject(new DOMException('denied', 'NotAllowedError')))],
    ['there is no clipboard API', () => vi.stubGlobal('navigator', { ...navigator, clipboard: undefined })],
  ])('shows the text selected in a read-only box when %s', async (_, setup) => {
    setup();
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    fireEvent.click(container.querySelector('[data-action="copy-note"]')!);
    const box = await waitFor(() => {
      const el = container.querySelector<HTMLTextAreaElement>('[data-copy-text]');
      if (!el) throw new Error('no box yet');
      return el;
    });
    expect(box.readOnly).toBe(true);
    expect(box.value).toBe(formatNote(readyEvaluation(), 'si'));
    expect(document.activeElement).toBe(box);
    expect(box.selectionStart).toBe(0);
    expect(box.selectionEnd).toBe(box.value.length);
    expect(box.closest('label')?.textContent).toMatch(/copy \(Ctrl\+C/i);
    expect(container.querySelector('[data-copy-status]')!.textContent).toMatch(/copy the text below by hand/);
    expect(await axeViolations(container)).toEqual([]);
  });
});

describe('printing', () => {
  it('renders every row in full between beforeprint and afterprint', async () => {
    const { container } = renderApp({ phase: 'ready', data: readyData() });
    const brief = (): number => container.querySelectorAll('.row-brief').length;
    expect(brief()).toBeGreaterThan(0);
    window.dispatchEvent(new Event('beforeprint'));
    await waitFor(() => expect(brief()).toBe(0));
    // the show-all control itself is not switched: the screen comes back as it was
    expect(container.querySelector('[data-action="show-all"]')?.getAttribute('aria-expanded')).toBe('false');
    window.dispatchEvent(new Event('afterprint'));
    await waitFor(() => expect(brief()).toBeGreaterThan(0));
  });
});

describe('print header', () => {
  it('names the patient, the birth date and the evaluation date, banner or not', () => {
    for (const needPatientBanner of [false, true]) {
      const { container } = renderApp({ phase: 'ready', data: readyData({ needPatientBanner }) });
      const header = container.querySelector('[data-print-header]')!;
      expect(header.textContent).toContain(PATIENT.name![0]!.family!);
      expect(header.textContent).toMatch(/Born \d{1,2} [A-Z][a-z]{2} \d{4}/);
      expect(header.textContent).toContain('Evaluated on 15 Jun 2026');
      cleanup();
    }
  });
});
