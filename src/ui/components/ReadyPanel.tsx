import { useEffect, useRef, useState } from 'preact/hooks';
import type { AppActions, ReadyData, ResourceLoadStatus } from '../types';
import { formatDate } from '../format';
import { FailureBanner } from './FailureBanner';
import { Findings } from './Findings';
import { ItemGroups } from './ItemGroups';
import { LoadProgress } from './LoadProgress';
import { PatientBanner } from './PatientBanner';
import { RiskFactors } from './RiskFactors';
import { Summary } from './Summary';

export function ReadyPanel({
  data,
  retrying,
  actions,
}: {
  data: ReadyData;
  retrying?: { startedAt: number; statuses: ResourceLoadStatus[] };
  actions: AppActions;
}) {
  const { evaluation } = data;
  const summaryRef = useRef<HTMLDivElement>(null);
  const wasRetrying = useRef(false);
  const [announcement, setAnnouncement] = useState('');
  // When a retry ends, say how it went; if it removed the banner (and the focused Retry button
  // with it), move focus to the summary rather than leaving keyboard users at the top of the page.
  useEffect(() => {
    if (wasRetrying.current && !retrying) {
      const ok = data.failures.length === 0;
      setAnnouncement(ok ? 'Retry finished: the whole record loaded.' : 'Retry finished: part of the record still could not be loaded.');
      const active = document.activeElement;
      if (ok && (!active || active === document.body)) summaryRef.current?.focus();
    }
    wasRetrying.current = !!retrying;
  }, [retrying, data.failures.length]);
  return (
    <>
      <p role="status" class="visually-hidden">
        {announcement}
      </p>
      {data.needPatientBanner && <PatientBanner patient={data.patient} ageYears={evaluation.patient.ageYears} />}
      <p class="evaluated">
        Evaluated on <time dateTime={evaluation.evaluatedAt}>{formatDate(evaluation.evaluatedAt)}</time>
      </p>
      <FailureBanner failures={data.failures} retrying={!!retrying} onRetry={actions.retryFailed} />
      {retrying && (
        <section class="retry-progress" aria-label="Retry progress">
          <LoadProgress statuses={retrying.statuses} startedAt={retrying.startedAt} idPrefix="retry" />
        </section>
      )}
      <div ref={summaryRef} tabIndex={-1} class="summary-wrap">
        <Summary summary={evaluation.summary} />
      </div>
      <Findings findings={evaluation.findings} items={evaluation.items} incomplete={data.failures.length > 0}
        ageYears={evaluation.patient.ageYears}
      />
      <ItemGroups items={evaluation.items} evaluatedAt={evaluation.evaluatedAt} />
      <RiskFactors riskFactors={evaluation.riskFactors} failures={data.failures} />
      <footer class="disclaimer">
        <p>
          Decision support, not a diagnosis: findings are prompts to consider. Check results in the source record
          before acting.
        </p>
      </footer>
    </>
  );
}
