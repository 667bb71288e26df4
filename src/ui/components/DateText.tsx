import { formatDate, formatRelative } from '../format';

/** Absolute date and, relative to the evaluation date, how long ago ("3 Mar 2026 · 2 months ago"). */
export function DateText({ iso, reference }: { iso: string; reference: string }) {
  const relative = formatRelative(iso, reference);
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
