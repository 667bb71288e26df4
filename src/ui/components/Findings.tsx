import { findingText, formatAge, formatDate, formatResult } from '../../clinical/display';
import type { Finding, ItemResult, ResultValue, UnitSystem } from '../../clinical/model';

function sources(r: ResultValue): string[] {
  return Array.isArray(r.source) ? r.source : [r.source];
}

function describe(label: string, r: ResultValue, units: UnitSystem): string {
  const v = formatResult(r, units) ?? r.text;
  return v ? `${label} ${v} (${formatDate(r.date)})` : `${label} (${formatDate(r.date)})`;
}

export interface EvidenceContext {
  items: ItemResult[];
  units: UnitSystem;
  birthDate?: string | null | undefined;
  evaluatedAt?: string | undefined;
}

/**
 * Evidence as words: the engine names item ids (for derived values) or resource references. Both
 * are turned into the row they belong to ("Adjusted calcium 2.71 mmol/L (3 Mar 2026)"). A reference
 * the panel shows no row for is left out: ids and references are not for the screen.
 */
export function evidenceText(evidence: string, { items, units, birthDate, evaluatedAt }: EvidenceContext): string | undefined {
  // The engine cites the birth date for age-based findings.
  if (evidence === 'Patient.birthDate') {
    const age = evaluatedAt ? formatAge(birthDate, evaluatedAt) : undefined;
    return age ? `date of birth (age ${age})` : 'date of birth';
  }
  const byId = items.find((i) => i.id === evidence);
  if (byId) return byId.latest ? describe(byId.label, byId.latest, units) : byId.label;
  for (const item of items) {
    for (const r of [item.latest, ...item.history]) {
      if (r && sources(r).includes(evidence)) return describe(item.label, r, units);
    }
  }
  return undefined;
}

interface Props extends EvidenceContext {
  findings: Finding[];
  incomplete?: boolean;
  /** Every row in full: each finding with the results it rests on. */
  full?: boolean;
}

export function Findings({ findings, incomplete, full, ...context }: Props) {
  return (
    <section id="findings" class="findings" aria-labelledby="findings-title">
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
            const evidence = full ? [...new Set(f.evidence.map((e) => evidenceText(e, context)).filter((e): e is string => !!e))] : [];
            return (
              <li key={f.id} class="finding" data-finding={f.id}>
                <p class="finding-text">{findingText(f, context.units)}</p>
                {evidence.length > 0 && <p class="evidence">Based on: {evidence.join('; ')}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
