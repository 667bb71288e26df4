import type { Finding, ItemResult, ResultValue } from '../../clinical/model';
import { formatDate, formatValue } from '../format';

function sources(r: ResultValue): string[] {
  return Array.isArray(r.source) ? r.source : [r.source];
}

function describe(label: string, r: ResultValue): string {
  const v = formatValue(r.value, r.unit, r.comparator) ?? r.text;
  return v ? `${label} ${v} (${formatDate(r.date)})` : `${label} (${formatDate(r.date)})`;
}

/**
 * Evidence as words: the engine names item ids (for derived values) or resource references. Both
 * are turned into the row they belong to ("Adjusted calcium 2.71 mmol/L (3 Mar 2026)"); a reference
 * the panel does not show stays as its reference, as plain text.
 */
export function evidenceText(evidence: string, items: ItemResult[], ageYears?: number | null): string {
  // The engine cites the birth date for age-based findings.
  if (evidence === 'Patient.birthDate') return ageYears != null ? `date of birth (age ${ageYears})` : 'date of birth';
  const byId = items.find((i) => i.id === evidence);
  if (byId) return byId.latest ? describe(byId.label, byId.latest) : byId.label;
  for (const item of items) {
    for (const r of [item.latest, ...item.history]) {
      if (r && sources(r).includes(evidence)) return describe(item.label, r);
    }
  }
  return evidence;
}

export function Findings({
  findings,
  items,
  incomplete,
  ageYears,
}: {
  findings: Finding[];
  items: ItemResult[];
  incomplete?: boolean;
  ageYears?: number | null;
}) {
  return (
    <section class="findings" aria-labelledby="findings-title">
      <h2 id="findings-title">Findings to consider</h2>
      {findings.length === 0 ? (
        <p class="empty">
          {incomplete
            ? 'No pattern found in what loaded. Part of the record could not be checked (see above).'
            : 'No pattern found in the available results.'}
        </p>
      ) : (
        <ul class="finding-list">
          {findings.map((f) => {
            const evidence = [...new Set(f.evidence.map((e) => evidenceText(e, items, ageYears)))];
            return (
              <li key={f.id} class="finding" data-finding={f.id}>
                <p class="finding-text">{f.text}</p>
                {evidence.length > 0 && <p class="evidence">Based on: {evidence.join('; ')}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
