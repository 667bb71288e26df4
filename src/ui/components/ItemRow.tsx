import { formatRange } from '../../clinical/display';
import type { ItemResult, UnitSystem } from '../../clinical/model';
import { DateText } from './DateText';
import { History } from './History';
import { ResultText } from './ResultText';
import { StatusChip } from './StatusChip';
import { Trend } from './Trend';

/** Statuses whose rows are one line unless every row is shown in full: nothing in them needs acting on or checking. */
const BRIEF_STATUSES = new Set<ItemResult['status']>(['normal', 'missing']);

/** The range of the row, once: bounds in the unit of the value, and where it comes from (the core's words). */
function RangeText({ item, units }: { item: ItemResult; units: UnitSystem }) {
  const range = item.range;
  if (!range) return null;
  return <span class={`range range-source-${range.source}`}>{formatRange(range, item.latest?.analyte, units, item.latest?.unit)}</span>;
}

interface Props {
  item: ItemResult;
  evaluatedAt: string;
  units: UnitSystem;
  /** Every row in full; otherwise normal and missing rows are one line (name, value, date). */
  full?: boolean | undefined;
}

/**
 * One investigation. A table row at desktop widths; the CSS lays its cells out as a grid at phone
 * widths. The explicit roles keep the table semantics when the CSS changes the display (some
 * browsers drop them for display:block/grid tables).
 */
export function ItemRow({ item, evaluatedAt, units, full }: Props) {
  const latest = item.latest;
  const brief = !full && BRIEF_STATUSES.has(item.status);
  return (
    <tr
      role="row"
      class={`row status-${item.status}${item.applies ? '' : ' not-applicable'}${full ? ' row-full' : brief ? ' row-brief' : ''}`}
      data-item={item.id}
      data-status={item.status}
      data-direction={item.direction}
      data-applies={String(item.applies)}
    >
      <th role="rowheader" scope="row" class="c-label">
        <span class="label">{item.label}</span>
        {item.tier === 'conditional' && (
          <span class="conditional">
            <span class="tag tag-conditional">Conditional</span>
            {!brief && item.condition && <span class="condition"> {item.condition}</span>}
          </span>
        )}
      </th>
      <td role="cell" class="c-status">
        <StatusChip item={item} />
      </td>
      <td role="cell" class="c-result">
        {latest && <ResultText result={latest} units={units} showFlag={item.status === 'outdated'} brief={brief} />}
        <Trend item={item} units={units} />
        {!brief && item.reason && <p class="reason">{item.reason}</p>}
        {!brief && <History history={item.history} reference={evaluatedAt} units={units} open={full} />}
      </td>
      <td role="cell" class="c-date">
        {latest && <DateText iso={latest.date} reference={evaluatedAt} brief={brief} />}
      </td>
      <td role="cell" class="c-range">
        {!brief && <RangeText item={item} units={units} />}
      </td>
    </tr>
  );
}
