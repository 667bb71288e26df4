import type { ItemResult, LoadFailure } from '../../clinical/model';
import { failureText, resourceTypeName } from '../format';

/**
 * Partial failure: what could not be loaded, what it means for the panel, and a Retry control.
 * role="alert" would interrupt; this is a status the clinician must see, announced politely.
 */
export function FailureBanner({
  failures,
  items = [],
  retrying,
  onRetry,
}: {
  failures: LoadFailure[];
  /** The panel's items, to name those each failure affects (the failures' `affects`). */
  items?: readonly ItemResult[];
  retrying: boolean;
  onRetry: () => void;
}) {
  if (failures.length === 0) return null;
  const affected = new Set(failures.flatMap((f) => f.affects ?? []));
  const labels = items.filter((i) => affected.has(i.id)).map((i) => i.label);
  // the evaluation says which items each failure affects; without it, the rows say so themselves
  const known = failures.some((f) => f.affects !== undefined);
  return (
    <section class="banner banner-warning" aria-labelledby="failure-title" data-failures>
      <h2 id="failure-title" class="banner-title">
        <span aria-hidden="true">⚠ </span>Some of the record could not be loaded
      </h2>
      <p>
        {failures.map(failureText).join(', ')}.{' '}
        {!known ? 'Affected items show “Could not check”.' : labels.length > 0 ? `Could not check: ${labels.join(', ')}.` : 'No item of the panel depends on it alone.'}
      </p>
      {failures.some((f) => f.message) && (
        <ul class="failure-messages">
          {failures
            .filter((f) => f.message)
            .map((f) => (
              <li key={f.resourceType}>
                {resourceTypeName(f.resourceType)}: {f.message}
              </li>
            ))}
        </ul>
      )}
      <p class="retry-line">
        {/* aria-disabled rather than disabled: a disabled button drops keyboard focus mid-retry */}
        <button
          type="button"
          class="button"
          onClick={retrying ? undefined : onRetry}
          aria-disabled={retrying ? 'true' : undefined}
          data-action="retry"
        >
          Retry
        </button>{' '}
        <span role="status" class="retry-status">
          {retrying ? 'Retrying…' : ''}
        </span>
      </p>
    </section>
  );
}
