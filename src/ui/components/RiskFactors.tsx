import type { LoadFailure, RiskFactor } from '../../clinical/model';
import { resourceTypeName } from '../format';

const SOURCE_TYPES = ['Condition', 'MedicationRequest', 'MedicationStatement'];

/**
 * Conditions and medicines from the record that bear on the workup. Thiazides (role `context`) are
 * marked as treatment context, not a cause. When the types they come from could not be loaded,
 * "none found" would be a false reassurance: say what could not be checked instead.
 */
export function RiskFactors({ riskFactors, failures }: { riskFactors: RiskFactor[]; failures: LoadFailure[] }) {
  const failed = failures.filter((f) => SOURCE_TYPES.includes(f.resourceType));
  return (
    <section class="risk-factors" aria-labelledby="risk-title">
      <h2 id="risk-title">Risk factors and context in the record</h2>
      {riskFactors.length > 0 ? (
        <ul class="risk-list">
          {riskFactors.map((r) => (
            <li key={r.id} data-risk={r.id} class={`risk risk-${r.kind}`}>
              <span class="tag">{r.kind === 'medication' ? 'Medicine' : 'Condition'}</span> {r.text}
              {r.role === 'context' && <span class="tag tag-context">treatment context, not a cause</span>}
            </li>
          ))}
        </ul>
      ) : (
        failed.length === 0 && <p class="empty">None found in the record.</p>
      )}
      {failed.length > 0 && (
        <p class="risk-unknown">
          Could not check: {failed.map((f) => resourceTypeName(f.resourceType)).join(', ')} could not be loaded.
        </p>
      )}
    </section>
  );
}
