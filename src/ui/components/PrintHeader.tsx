import type { Patient } from 'fhir/r4';
import { formatDate } from '../../clinical/display';
import { displayName } from './PatientBanner';

/**
 * Whose panel a printed page is, and of when: the patient's name and birth date and the evaluation
 * date, printed on top even where the EHR hides the app's patient banner (a sheet of paper leaves
 * the chart). Not shown on screen (print.css), where the EHR or the banner already says it.
 */
export function PrintHeader({ patient, evaluatedAt }: { patient: Patient; evaluatedAt: string }) {
  return (
    <div class="print-header" data-print-header>
      <span class="print-name">{displayName(patient)}</span>
      <span>Born {patient.birthDate ? formatDate(patient.birthDate) : 'date not recorded'}</span>
      <span>Evaluated on {formatDate(evaluatedAt)}</span>
    </div>
  );
}
