import { Component } from 'preact';
import type { ResourceLoadStatus } from '../types';
import { resourceTypeName } from '../format';

const STATE_ICON: Record<ResourceLoadStatus['state'], string> = {
  pending: '…',
  loaded: '✓',
  forbidden: '✕',
  failed: '✕',
  timeout: '◷',
};

export function statusText(s: ResourceLoadStatus): string {
  const http = s.httpStatus && s.httpStatus >= 400 ? ` (HTTP ${s.httpStatus})` : '';
  switch (s.state) {
    case 'pending':
      return s.count > 0 ? `loading… ${s.count} so far` : 'loading…';
    case 'loaded':
      return `${s.count} loaded`;
    case 'forbidden':
      return `not permitted${http}`;
    case 'timeout':
      return 'timed out';
    case 'failed':
    default:
      return `failed${http}`;
  }
}

interface LoadProgressProps {
  statuses: ResourceLoadStatus[];
  startedAt: number;
  connecting?: boolean;
  slowAfterSeconds?: number;
  onStopWaiting?: () => void;
  idPrefix?: string;
}

/**
 * Per resource type progress. The one-line count is the live region (announced politely); the
 * per-type list and the elapsed seconds are not, so screen readers are not flooded every second.
 *
 * A class component (the clock ticks once a second while mounted): with no hooks anywhere, the
 * app page does not ship preact/hooks.
 */
export class LoadProgress extends Component<LoadProgressProps, { now: number }> {
  override state = { now: Date.now() };
  private timer?: ReturnType<typeof setInterval>;

  override componentDidMount(): void {
    this.timer = setInterval(() => this.setState({ now: Date.now() }), 1000);
  }

  override componentWillUnmount(): void {
    clearInterval(this.timer);
  }

  override render({ statuses, startedAt, connecting, slowAfterSeconds = 10, onStopWaiting, idPrefix = 'load' }: LoadProgressProps) {
    // Seconds since `startedAt`.
    const elapsed = Math.max(0, Math.floor((this.state.now - startedAt) / 1000));
    const done = statuses.filter((s) => s.state !== 'pending').length;
    const pending = statuses.length - done;
    return (
      <div class="progress">
        <p role="status" aria-live="polite" class="progress-line" id={`${idPrefix}-status`}>
          {connecting || statuses.length === 0
            ? 'Connecting to the EHR…'
            : pending > 0
              ? `Loaded ${done} of ${statuses.length} parts of the record…`
              : `Loaded ${done} of ${statuses.length} parts of the record.`}
        </p>
        {statuses.length > 0 && (
          <>
            <progress max={statuses.length} value={done} aria-labelledby={`${idPrefix}-status`} />
            <ul class="progress-list">
              {statuses.map((s) => (
                <li key={s.resourceType} class={`load load-${s.state}`} data-resource={s.resourceType} data-load-state={s.state}>
                  <span class="load-icon" aria-hidden="true">
                    {STATE_ICON[s.state]}
                  </span>
                  <span class="load-type">{resourceTypeName(s.resourceType)}</span>: {statusText(s)}
                </li>
              ))}
            </ul>
          </>
        )}
        <p class="elapsed">{elapsed} s elapsed</p>
        {onStopWaiting && elapsed >= slowAfterSeconds && pending > 0 && (
          <p class="slow">
            This is taking a while.{' '}
            <button type="button" class="button" onClick={onStopWaiting} data-action="stop-waiting">
              Show what has loaded
            </button>
          </p>
        )}
      </div>
    );
  }
}
