import { Component, createRef } from 'preact';
import { formatDate } from '../../clinical/display';
import type { UnitSystem } from '../../clinical/model';
import type { AppActions, ReadyData, ResourceLoadStatus } from '../types';
import { CopyNote } from './CopyNote';
import { FailureBanner } from './FailureBanner';
import { Findings } from './Findings';
import { ItemGroups } from './ItemGroups';
import { LoadProgress } from './LoadProgress';
import { PanelControls } from './PanelControls';
import { PatientBanner } from './PatientBanner';
import { PrintHeader } from './PrintHeader';
import { whilePrinting } from '../print-mode';
import { RiskFactors } from './RiskFactors';
import { SearchCoverage } from './SearchCoverage';
import { Summary, summaryText } from './Summary';
import { TodoList } from './TodoList';

interface ReadyPanelProps {
  data: ReadyData;
  retrying?: { startedAt: number; statuses: ResourceLoadStatus[] };
  actions: AppActions;
  units?: UnitSystem;
  onUnits?: (units: UnitSystem) => void;
}

interface ReadyPanelState {
  announcement: string;
  /** Every row in full (the show-all control); compact by default. */
  full: boolean;
  /** The page is being printed: every row in full on paper. */
  printing?: boolean;
}

/** A class component, like every stateful one here: the app page then ships no preact/hooks. */
export class ReadyPanel extends Component<ReadyPanelProps, ReadyPanelState> {
  override state = { announcement: '', full: false };
  private summaryRef = createRef<HTMLDivElement>();
  private wasRetrying = false;
  private stopPrintWatch?: () => void;

  override componentWillUnmount(): void {
    this.stopPrintWatch?.();
  }

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

  // The panel has just replaced the loading screen: keyboard and screen reader users start at its
  // heading, and the live region (already in the page, empty) then says the summary.
  override componentDidMount(): void {
    this.wasRetrying = !!this.props.retrying;
    this.stopPrintWatch = whilePrinting((printing) => this.setState({ printing }));
    document.getElementById('app-title')?.focus();
    this.setState({ announcement: `Workup ready: ${summaryText(this.props.data.evaluation.summary)}.` });
  }

  private toggleFull = () => this.setState({ full: !this.state.full });

  override render({ data, retrying, actions, units = 'si', onUnits }: ReadyPanelProps, { announcement, full, printing }: ReadyPanelState) {
    const { evaluation } = data;
    const rowsInFull = full || !!printing;
    return (
      <>
        <p role="status" class="visually-hidden">
          {announcement}
        </p>
        <PrintHeader patient={data.patient} evaluatedAt={evaluation.evaluatedAt} />
        {data.needPatientBanner && <PatientBanner patient={data.patient} at={evaluation.evaluatedAt} />}
        <p class="evaluated">
          Evaluated on <time dateTime={evaluation.evaluatedAt}>{formatDate(evaluation.evaluatedAt)}</time>
        </p>
        <FailureBanner failures={evaluation.failures ?? data.failures} items={evaluation.items} retrying={!!retrying} onRetry={actions.retryFailed} />
        {retrying && (
          <section class="retry-progress" aria-label="Retry progress">
            <LoadProgress statuses={retrying.statuses} startedAt={retrying.startedAt} idPrefix="retry" />
          </section>
        )}
        <div ref={this.summaryRef} tabIndex={-1} class="summary-wrap">
          <Summary summary={evaluation.summary} />
          {evaluation.context?.pregnancy && (
            <p class="evaluated" data-pregnancy>
              {evaluation.context.pregnancy.text}
            </p>
          )}
        </div>
        <TodoList todo={evaluation.todo} />
        <SearchCoverage coverage={evaluation.coverage} />
        <PanelControls full={full} onToggleFull={this.toggleFull} units={units} onUnits={onUnits}>
          <CopyNote evaluation={evaluation} units={units} />
        </PanelControls>
        <Findings findings={evaluation.findings} items={evaluation.items} incomplete={data.failures.length > 0}
          birthDate={evaluation.patient.birthDate} evaluatedAt={evaluation.evaluatedAt} units={units} full={rowsInFull}
        />
        <ItemGroups items={evaluation.items} evaluatedAt={evaluation.evaluatedAt} units={units} full={rowsInFull} />
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
