/**
 * Printing shows every row in full: the browser says when it is about to print and when it has
 * printed (beforeprint/afterprint: the print dialog, Ctrl+P, window.print(), a PDF export), and the
 * panel renders its full rows in between. Preact renders a state change in a microtask, which runs
 * before the browser lays the page out for print.
 */
export function whilePrinting(onChange: (printing: boolean) => void, target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): () => void {
  const before = (): void => onChange(true);
  const after = (): void => onChange(false);
  target.addEventListener('beforeprint', before);
  target.addEventListener('afterprint', after);
  return () => {
    target.removeEventListener('beforeprint', before);
    target.removeEventListener('afterprint', after);
  };
}
