import type { ItemResult, RangeUsed } from '../../clinical/model';
import { formatRangeBounds, rangeSourceText } from '../format';
import { DateText } from './DateText';
import { History } from './History';
import { ResultText } from './ResultText';
import { StatusChip } from './StatusChip';

/** Words in the engine's range text that already name each source ("(lab range)", "built-in"). */
const SOURCE_WORDS: Record<RangeUsed['source'], RegExp> = {
  'built-in': /built-in/i,
  result: /\blab/i,
  interpretation: /\blab|laborator/i,
};

/**
 * Range with its source, always. When the engine's text already names the source it is shown as
 * is; otherwise the source is appended ("2.2–2.6 mmol/L · built-in range").
 */
function RangeText({ item }: { item: ItemResult }) {
  const range = item.range;
  if (!range) return null;
  const bounds = formatRangeBounds(range, item.latest?.unit);
  const named = range.text !== undefined && SOURCE_WORDS[range.source]?.test(range.text);
  return (
    <span class="range">
      {bounds && <span class="range-bounds">{bounds}</span>}
      {!named && (
        <>
          {bounds && ' · '}
          <span class={`range-source range-source-${range.source}`}>{rangeSourceText(range.source)}</span>
        </>
      )}
    </span>
  );
}

/**
 * One investigation. A table row at desktop widths; the CSS stacks its cells at phone widths.
 * The explicit roles keep the table semantics when the CSS changes the display (some browsers
 * drop them for display:block/grid tables).
 */
export function ItemRow({ item, evaluatedAt }: { item: ItemResult; evaluatedAt: string }) {
  const latest = item.latest;
  return (
    <tr
      role="row"
      class={`row status-${item.status}${item.applies ? '' : ' not-applicable'}`}
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
            {item.condition && <span class="condition"> {item.condition}</span>}
          </span>
        )}
      </th>
      <td role="cell" class="c-status">
        <StatusChip item={item} />
      </td>
      <td role="cell" class="c-result">
        {latest && <ResultText result={latest} showFlag={item.status === 'outdated'} />}
        {item.reason && <p class="reason">{item.reason}</p>}
        <History history={item.history} reference={evaluatedAt} />
      </td>
      <td role="cell" class="c-date">
        {latest && <DateText iso={latest.date} reference={evaluatedAt} />}
      </td>
      <td role="cell" class="c-range">
        <RangeText item={item} />
      </td>
    </tr>
  );
}
