import type { ItemResult } from '../../clinical/model';
import { statusChip } from '../format';

/** Status as text plus a shape: the meaning never depends on colour alone. */
export function StatusChip({ item }: { item: Pick<ItemResult, 'status'> & Partial<Pick<ItemResult, 'direction' | 'latest'>> }) {
  const chip = statusChip(item);
  return (
    <span class={`chip chip-${chip.tone}`}>
      <span class="chip-icon" aria-hidden="true">
        {chip.icon}
      </span>
      <span class="chip-text">{chip.text}</span>
    </span>
  );
}
