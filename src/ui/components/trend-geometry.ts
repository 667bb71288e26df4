/**
 * Where a series' points and band fall in a drawing box: time along x (proportional, so a fall in
 * two months after nine steady years looks like one), value along y over the points and the band's
 * bounds together (the band stays in view). Pixel arithmetic only: the values and their words come
 * from the core (src/clinical/series.ts).
 */
import type { Series } from '../../clinical/series';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Layout {
  /** [x, y] of each point, oldest first. */
  xy: [number, number][];
  /** The band's top and bottom (a one-sided band reaches the box's edge) and the y of each bound it has. */
  band?: { top: number; bottom: number; bounds: number[] };
  /** y of a value. */
  y: (v: number) => number;
  /** The lowest and highest values drawn. */
  lo: number;
  hi: number;
}

const round = (n: number): number => Math.round(n * 10) / 10;

export function layout(series: Series, box: Box): Layout {
  const { points, band } = series;
  const bounds = [band?.low, band?.high].filter((v): v is number => v !== undefined);
  const values = [...points.map((p) => p.value), ...bounds];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const t0 = points[0]!.time;
  const span = points[points.length - 1]!.time - t0;
  const y = (v: number): number => round(hi === lo ? (box.top + box.bottom) / 2 : box.bottom - ((v - lo) / (hi - lo)) * (box.bottom - box.top));
  const x = (t: number, i: number): number =>
    round(box.left + (span > 0 ? (t - t0) / span : i / (points.length - 1)) * (box.right - box.left));
  const l: Layout = { xy: points.map((p, i) => [x(p.time, i), y(p.value)]), y, lo, hi };
  if (band && bounds.length > 0) {
    l.band = { top: band.high !== undefined ? y(band.high) : box.top, bottom: band.low !== undefined ? y(band.low) : box.bottom, bounds: bounds.map(y) };
  }
  return l;
}
