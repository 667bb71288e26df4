import { formatDate } from '../../clinical/display';
import { formatRelative } from '../format';

/**
 * The date as the panel writes every date ("3 Mar 2026") and, relative to the evaluation date, how
 * long ago ("· 2 months ago"), unless `brief` (a compact row: the date alone).
 */
export function DateText({ iso, reference, brief }: { iso: string; reference: string; brief?: boolean }) {
  const relative = brief ? undefined : formatRelative(iso, reference);
  return (
    <span class="date">
      <time dateTime={iso}>{formatDate(iso)}</time>
      {relative && (
        <>
          <span class="date-sep"> · </span>
          <span class="relative">{relative}</span>
        </>
      )}
    </span>
  );
}
