// @vitest-environment jsdom
/**
 * Trends in the panel (src/ui/components/Trend.tsx, Sparkline.tsx, TrendChart.tsx): the sparkline
 * draws the core's series (points over time, the range shaded, the newest marked) as one image named
 * by the core's text alternative; the button opens the larger chart and the table of values, loaded
 * on first use.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ItemResult, ResultValue } from '../../../src/clinical/model';
import { trendSeries } from '../../../src/clinical/series';
import { Sparkline } from '../../../src/ui/components/Sparkline';
import { Trend } from '../../../src/ui/components/Trend';
import { TrendChart } from '../../../src/ui/components/TrendChart';
import { axeViolations } from './render';

afterEach(cleanup);

const egfr = (date: string, value: number, method?: string): ResultValue => ({
  date, value, unit: 'mL/min/{1.73_m2}', analyte: 'egfr', source: `Observation/${date}`, flag: value < 60 ? 'low' : 'normal',
  ...(method ? { derived: true, method } : {}),
});

/** eGFR 82 → 50 (calculated) → 22 over two months, range ≥ 60. */
const ITEM: ItemResult = {
  id: 'egfr', label: 'eGFR', group: 'blood', tier: 'core', applies: true, status: 'abnormal', direction: 'low',
  range: { low: 60, source: 'built-in' },
  latest: egfr('2026-03-01', 22),
  history: [egfr('2026-02-01', 50, 'CKD-EPI 2009'), egfr('2026-01-01', 82)],
};
const SERIES = trendSeries(ITEM, 'si')!;
const TEXT = 'eGFR 82 to 22 mL/min/1.73 m² over 2 months, falling; 3 results, the previous 50, 4 weeks before; range ≥ 60 mL/min/1.73 m²; methods differ: reported and calculated (CKD-EPI 2009)';

const coords = (s: string | null): number[][] => (s ?? '').trim().split(/\s+/).map((xy) => xy.split(',').map(Number));

describe('Sparkline', () => {
  it('is one image named by the core’s text alternative, with data-trend', () => {
    const { container } = render(<Sparkline series={SERIES} />);
    const svg = screen.getByRole('img');
    expect(svg.getAttribute('aria-label')).toBe(TEXT);
    expect(SERIES.text).toBe(TEXT);
    expect(svg.getAttribute('data-trend')).toBe('egfr');
    expect(container.querySelectorAll('svg')).toHaveLength(1);
  });

  it('draws every point, oldest to newest left to right, a lower value lower, and marks the newest', () => {
    const { container } = render(<Sparkline series={SERIES} />);
    const pts = coords(container.querySelector('.trend-line')!.getAttribute('points'));
    expect(pts).toHaveLength(3);
    expect(pts[0]![0]).toBeLessThan(pts[1]![0]!);
    expect(pts[1]![0]).toBeLessThan(pts[2]![0]!);
    // 82 → 50 → 22: y grows downwards
    expect(pts[0]![1]).toBeLessThan(pts[1]![1]!);
    expect(pts[1]![1]).toBeLessThan(pts[2]![1]!);
    const newest = container.querySelector('.trend-newest')!;
    expect([Number(newest.getAttribute('cx')), Number(newest.getAttribute('cy'))]).toEqual(pts[2]);
  });

  it('shades the range: ≥ 60 runs from its bound up to the top, between 50 and 82', () => {
    const { container } = render(<Sparkline series={SERIES} />);
    const pts = coords(container.querySelector('.trend-line')!.getAttribute('points'));
    const band = container.querySelector('.trend-band')!;
    const top = Number(band.getAttribute('y'));
    const bottom = top + Number(band.getAttribute('height'));
    expect(top).toBeLessThanOrEqual(pts[0]![1]!); // up to the top of the drawing
    expect(bottom).toBeGreaterThan(pts[0]![1]!); // 82 is inside the band
    expect(bottom).toBeLessThan(pts[1]![1]!); // 50 is below it
    // its bound is a line (the lower one only: no upper limit)
    expect(container.querySelectorAll('.trend-bound')).toHaveLength(1);
  });

  it('has no band without a range with bounds', () => {
    const series = trendSeries({ ...ITEM, range: { source: 'interpretation', basis: 'flagged low by the laboratory' } }, 'si')!;
    const { container } = render(<Sparkline series={series} />);
    expect(container.querySelector('.trend-band')).toBeNull();
    expect(container.querySelector('.trend-line')).not.toBeNull();
  });
});

describe('Trend in a row', () => {
  it('renders nothing for an item with one result', () => {
    const { container } = render(<Trend item={{ ...ITEM, history: [] }} units="si" />);
    expect(container.innerHTML).toBe('');
  });

  it('writes the text in the unit system it is given', () => {
    const { container } = render(<Trend item={{ ...ITEM, id: 'calcium', label: 'Calcium', range: { low: 2.2, high: 2.6, source: 'built-in' }, latest: { ...ITEM.latest!, analyte: 'calcium', value: 2.7, unit: 'mmol/L' }, history: [{ ...ITEM.history[1]!, analyte: 'calcium', value: 2.4, unit: 'mmol/L' }] }} units="conventional" />);
    expect(container.querySelector('[data-trend="calcium"]')!.getAttribute('aria-label')).toBe('Calcium 9.6 to 10.8 mg/dL over 2 months, rising; range 8.8–10.4 mg/dL');
  });

  it('a labelled button opens the larger chart and the table of values (loaded on first use), and closes it', async () => {
    const { container } = render(<Trend item={ITEM} units="si" />);
    const button = screen.getByRole('button', { name: 'Chart and values: eGFR' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(container.querySelector('table')).toBeNull();
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const table = await screen.findByRole('table', { name: 'eGFR: every result' });
    expect(container.querySelector(`#${button.getAttribute('aria-controls')}`)!.contains(table)).toBe(true);
    expect(await axeViolations(container)).toEqual([]);
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(container.querySelector('table')).toBeNull());
  });

  it('keeps the words for print (hidden on screen by the stylesheet)', () => {
    const { container } = render(<Trend item={ITEM} units="si" />);
    expect(container.querySelector('.trend-text')!.textContent).toBe(TEXT);
  });
});

describe('TrendChart', () => {
  it('tables every result newest first: date, value, unit, method', () => {
    render(<TrendChart series={SERIES} />);
    const table = screen.getByRole('table', { name: 'eGFR: every result' });
    const rows = within(table).getAllByRole('row').map((r) => within(r).queryAllByRole(/cell|columnheader/).map((c) => c.textContent));
    expect(rows).toEqual([
      ['Date', 'Value', 'Unit', 'Method'],
      ['1 Mar 2026', '22 ▼ low', 'mL/min/1.73 m²', 'reported'],
      ['1 Feb 2026', '50 ▼ low', 'mL/min/1.73 m²', 'calculated (CKD-EPI 2009)'],
      ['1 Jan 2026', '82', 'mL/min/1.73 m²', 'reported'],
    ]);
  });

  it('draws axes with labels: the values at the top and bottom, the range’s bound, the first and last dates', () => {
    const { container } = render(<TrendChart series={SERIES} />);
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe(TEXT);
    expect(container.querySelector('.trend-axis')).not.toBeNull();
    expect([...svg.querySelectorAll('text')].map((t) => t.textContent)).toEqual(['82', '60', '22', '1 Jan 2026', '1 Mar 2026']);
  });

  it('marks each point’s method (dots reported, squares calculated), the newest ringed, and says so', () => {
    const { container } = render(<TrendChart series={SERIES} />);
    expect(container.querySelectorAll('circle.trend-point')).toHaveLength(2);
    expect(container.querySelectorAll('rect.trend-point-derived')).toHaveLength(1);
    expect(container.querySelectorAll('.trend-newest')).toHaveLength(1);
    expect(container.querySelector('figcaption')!.textContent).toBe('mL/min/1.73 m² · shaded: range ≥ 60 mL/min/1.73 m² · ringed: newest · dots: reported, squares: calculated');
  });
});
