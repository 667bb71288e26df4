import { Component, type ComponentType } from 'preact';
import type { ItemResult, UnitSystem } from '../../clinical/model';
import { trendSeries, type Series } from '../../clinical/series';
import { Sparkline } from './Sparkline';

interface Props {
  item: ItemResult;
  units: UnitSystem;
}

interface State {
  open: boolean;
  Chart?: ComponentType<{ series: Series }>;
  failed?: boolean;
}

/**
 * An item's trend in its row (numeric items with two or more results): the sparkline, its words for
 * print, and a button that opens the larger chart with the table of values. The chart's code is
 * fetched on first use (a chunk of its own), so the JavaScript before the panel carries only this.
 */
export class Trend extends Component<Props, State> {
  override state: State = { open: false };

  private toggle = () => {
    const open = !this.state.open;
    this.setState({ open });
    if (open && !this.state.Chart) {
      import('./TrendChart').then(
        (m) => this.setState({ Chart: m.TrendChart, failed: false }),
        () => this.setState({ failed: true }),
      );
    }
  };

  override render({ item, units }: Props, { open, Chart, failed }: State) {
    const series = trendSeries(item, units);
    if (!series) return null;
    const id = `trend-${item.id}`;
    return (
      <div class="trend">
        <Sparkline series={series} />
        <button type="button" class="trend-open" aria-label={`Chart and values: ${item.label}`} aria-expanded={open} aria-controls={id} onClick={this.toggle}>
          Chart
        </button>
        <p class="trend-text">{series.text}</p>
        <div id={id} class="trend-more" hidden={!open}>
          {open && (Chart ? <Chart series={series} /> : <p class="detail">{failed ? 'The chart could not be loaded.' : 'Loading the chart…'}</p>)}
        </div>
      </div>
    );
  }
}
