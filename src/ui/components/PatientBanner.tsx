import type { HumanName, Patient } from 'fhir/r4';
import { formatAge, formatDate } from '../../clinical/display';

export function displayName(p: Patient): string {
  const names = p.name ?? [];
  const n: HumanName | undefined =
    names.find((x) => x.use === 'official') ?? names.find((x) => x.use !== 'old' && x.use !== 'nickname') ?? names[0];
  if (!n) return 'Name not recorded';
  if (n.text?.trim()) return n.text.trim();
  const parts = [...(n.prefix ?? []), ...(n.given ?? []), n.family ?? ''].map((s) => s.trim()).filter(Boolean);
  return parts.length ? parts.join(' ') : 'Name not recorded';
}

const SEX: Record<string, string> = { male: 'Male', female: 'Female', other: 'Other', unknown: 'Sex unknown' };

/**
 * The patient's age on the evaluation date, in days, weeks or months under 2 years (formatAge).
 * Shown only when the EHR asks for it (need_patient_banner): embedded in a chart that already shows
 * the patient, a second banner is noise. Text only.
 */
export function PatientBanner({ patient, at }: { patient: Patient; at: string }) {
  const sex = patient.gender ? SEX[patient.gender] ?? patient.gender : undefined;
  const age = formatAge(patient.birthDate, at);
  return (
    <section class="patient-banner" aria-label="Patient" data-patient-banner>
      <span class="patient-name">{displayName(patient)}</span>
      {sex && <span class="patient-sex">{sex}</span>}
      {patient.birthDate && (
        <span class="patient-birth">
          Born {formatDate(patient.birthDate)}
          {age && ` (${age})`}
        </span>
      )}
    </section>
  );
}
