import type { Series } from '../../clinical/series';
import { layout } from './trend-geometry';

const W = 96;
const H = 24;
const PAD = 3;

/**
 * A small inline chart of a series: the values over time, the range shaded, the newest result
 * marked. One image for assistive technology, named by the core's text alternative (which says
 * what the picture shows, in the unit system chosen).
 */
export function Sparkline({ series }: { series: Series }) {
  const { xy, band } = layout(series, { left: PAD, top: PAD, right: W - PAD, bottom: H - PAD });
  const [nx, ny] = xy[xy.length - 1]!;
  return (
    <svg class="sparkline" role="img" aria-label={series.text} data-trend={series.itemId} viewBox={`0 0 ${W} ${H}`} width={W} height={H}>
      {band && <rect class="trend-band" x={0} y={band.top} width={W} height={Math.max(band.bottom - band.top, 1)} />}
      {band?.bounds.map((b) => <path class="trend-bound" d={`M0 ${b}H${W}`} />)}
      <polyline class="trend-line" points={xy.join(' ')} />
      <circle class="trend-newest" cx={nx} cy={ny} r={2.5} />
    </svg>
  );
}
