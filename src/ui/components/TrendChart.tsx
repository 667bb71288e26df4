import { formatDate } from '../../clinical/display';
import type { Series, SeriesPoint } from '../../clinical/series';
import { flagText } from '../format';
import { layout } from './trend-geometry';

const W = 320;
const H = 170;
const BOX = { left: 52, top: 10, right: W - 12, bottom: H - 26 };

/** Value labels on the y axis, top to bottom, dropping any that would overlap a previous one. */
function yLabels(series: Series, y: (v: number) => number, lo: SeriesPoint, hi: SeriesPoint): { y: number; text: string }[] {
  const b = series.band;
  const all = [
    { y: y(hi.value), text: hi.text },
    ...(b?.high !== undefined && b.highText ? [{ y: y(b.high), text: b.highText }] : []),
    ...(b?.low !== undefined && b.lowText ? [{ y: y(b.low), text: b.lowText }] : []),
    { y: y(lo.value), text: lo.text },
  ].sort((a, c) => a.y - c.y);
  return all.filter((l, i) => all.slice(0, i).every((k) => Math.abs(k.y - l.y) >= 12));
}

/** A marker per point: reported values as dots, calculated ones as open squares (the legend says so). */
function Marker({ x, y, p }: { x: number; y: number; p: SeriesPoint }) {
  return p.derived ? <rect class="trend-point trend-point-derived" x={x - 3} y={y - 3} width={6} height={6} /> : <circle class="trend-point" cx={x} cy={y} r={3} />;
}

function Plot({ series }: { series: Series }) {
  const { xy, band, y } = layout(series, BOX);
  const pts = series.points;
  const byValue = [...pts].sort((a, b) => a.value - b.value);
  const first = pts[0]!;
  const last = pts[pts.length - 1]!;
  const [nx, ny] = xy[xy.length - 1]!;
  return (
    <svg class="trend-plot" role="img" aria-label={series.text} viewBox={`0 0 ${W} ${H}`}>
      {band && <rect class="trend-band" x={BOX.left} y={band.top} width={BOX.right - BOX.left} height={Math.max(band.bottom - band.top, 1)} />}
      {band?.bounds.map((b) => <path class="trend-bound" d={`M${BOX.left} ${b}H${BOX.right}`} />)}
      <path class="trend-axis" d={`M${BOX.left} ${BOX.top}V${BOX.bottom}H${BOX.right}`} />
      {yLabels(series, y, byValue[0]!, byValue[byValue.length - 1]!).map((l) => (
        <text class="trend-label" x={BOX.left - 6} y={l.y + 4} text-anchor="end">
          {l.text}
        </text>
      ))}
      <text class="trend-label" x={BOX.left} y={H - 8}>
        {formatDate(first.date)}
      </text>
      <text class="trend-label" x={BOX.right} y={H - 8} text-anchor="end">
        {formatDate(last.date)}
      </text>
      <polyline class="trend-line" points={xy.join(' ')} />
      {pts.map((p, i) => (
        <Marker x={xy[i]![0]} y={xy[i]![1]} p={p} />
      ))}
      <circle class="trend-newest" cx={nx} cy={ny} r={5} />
    </svg>
  );
}

/**
 * The larger chart of a series, with axes and labels, and the table of its values (newest first):
 * date, value, unit, and how each value was obtained. Loaded on first use (Trend.tsx).
 */
export function TrendChart({ series }: { series: Series }) {
  const mixed = series.methods.length > 1;
  return (
    <figure class="trend-chart">
      <Plot series={series} />
      <figcaption class="detail">
        {series.unit}
        {series.band && ` · shaded: range ${series.band.text}`} · ringed: newest
        {mixed && ' · dots: reported, squares: calculated'}
      </figcaption>
      <table class="trend-table" data-trend-table={series.itemId}>
        <caption>{series.label}: every result</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Value</th>
            <th scope="col">Unit</th>
            <th scope="col">Method</th>
          </tr>
        </thead>
        <tbody>
          {[...series.points].reverse().map((p) => (
            <tr>
              <td class="nowrap">{formatDate(p.date)}</td>
              <td>
                {p.text}
                {p.flag && p.flag !== 'normal' && <span class="flag"> {flagText(p.flag)}</span>}
              </td>
              <td class="nowrap">{series.unit}</td>
              <td>{p.method}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
