import { Component, createRef } from 'preact';
import type { AppActions, ReadyData, ResourceLoadStatus } from '../types';
import { formatDate } from '../format';
import { CopyNote } from './CopyNote';
import { FailureBanner } from './FailureBanner';
import { Findings } from './Findings';
import { ItemGroups } from './ItemGroups';
import { LoadProgress } from './LoadProgress';
import { PatientBanner } from './PatientBanner';
import { PrintHeader } from './PrintHeader';
import { RiskFactors } from './RiskFactors';
import { SearchCoverage } from './SearchCoverage';
import { Summary } from './Summary';

interface ReadyPanelProps {
  data: ReadyData;
  retrying?: { startedAt: number; statuses: ResourceLoadStatus[] };
  actions: AppActions;
}

/** A class component, like every stateful one here: the app page then ships no preact/hooks. */
export class ReadyPanel extends Component<ReadyPanelProps, { announcement: string }> {
  override state = { announcement: '' };
  private summaryRef = createRef<HTMLDivElement>();
  private wasRetrying = false;

  // When a retry ends, say how it went; if it removed the banner (and the focused Retry button
  // with it), move focus to the summary rather than leaving keyboard users at the top of the page.
  // Run after every commit: it acts only on the change from retrying to not retrying.
  override componentDidUpdate(): void {
    const { retrying, data } = this.props;
    if (this.wasRetrying && !retrying) {
      const ok = data.failures.length === 0;
      this.setState({ announcement: ok ? 'Retry finished: the whole record loaded.' : 'Retry finished: part of the record still could not be loaded.' });
      const active = document.activeElement;
      if (ok && (!active || active === document.body)) this.summaryRef.current?.focus();
    }
    this.wasRetrying = !!retrying;
  }

  override componentDidMount(): void {
    this.wasRetrying = !!this.props.retrying;
  }

  override render({ data, retrying, actions }: ReadyPanelProps) {
    const { evaluation } = data;
    const { announcement } = this.state;
    const summaryRef = this.summaryRef;
    return (
      <>
        <p role="status" class="visually-hidden">
          {announcement}
        </p>
        <PrintHeader patient={data.patient} evaluatedAt={evaluation.evaluatedAt} />
        {data.needPatientBanner && <PatientBanner patient={data.patient} ageYears={evaluation.patient.ageYears} />}
        <p class="evaluated">
          Evaluated on <time dateTime={evaluation.evaluatedAt}>{formatDate(evaluation.evaluatedAt)}</time>
        </p>
        <FailureBanner failures={evaluation.failures ?? data.failures} items={evaluation.items} retrying={!!retrying} onRetry={actions.retryFailed} />
        {retrying && (
          <section class="retry-progress" aria-label="Retry progress">
            <LoadProgress statuses={retrying.statuses} startedAt={retrying.startedAt} idPrefix="retry" />
          </section>
        )}
        <div ref={summaryRef} tabIndex={-1} class="summary-wrap">
          <Summary summary={evaluation.summary} />
          {evaluation.context?.pregnancy && (
            <p class="evaluated" data-pregnancy>
              {evaluation.context.pregnancy.text}
            </p>
          )}
        </div>
        <CopyNote evaluation={evaluation} />
        <SearchCoverage coverage={evaluation.coverage} />
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
}
