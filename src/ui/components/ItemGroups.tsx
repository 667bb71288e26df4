import type { Group, ItemResult, UnitSystem } from '../../clinical/model';
import { ItemTable } from './ItemTable';

const GROUPS: { id: Group; title: string }[] = [
  { id: 'blood', title: 'Blood' },
  { id: 'urine', title: 'Urine' },
  { id: 'imaging', title: 'Imaging' },
  { id: 'other', title: 'Other' },
];

/**
 * The investigations by group, in the model's order within each group. Items that do not apply to
 * this patient are kept (the clinician may still want them) but collapsed at the end, de-emphasised.
 */
export function ItemGroups({ items, evaluatedAt, units, full }: { items: ItemResult[]; evaluatedAt: string; units: UnitSystem; full?: boolean }) {
  const notApplicable = items.filter((i) => !i.applies);
  return (
    <section id="investigations" class="investigations" aria-labelledby="investigations-title">
      <h2 id="investigations-title">Investigations</h2>
      {GROUPS.map((g) => {
        const rows = items.filter((i) => i.group === g.id && i.applies);
        if (rows.length === 0) return null;
        return (
          <section key={g.id} class={`group group-${g.id}`} aria-labelledby={`group-${g.id}`}>
            <h3 id={`group-${g.id}`}>{g.title}</h3>
            <ItemTable items={rows} evaluatedAt={evaluatedAt} labelledBy={`group-${g.id}`} units={units} full={full} />
          </section>
        );
      })}
      {notApplicable.length > 0 && (
        <details class="not-applicable-list">
          <summary>
            <span id="not-applicable-title">Not indicated for this patient</span> ({notApplicable.length})
          </summary>
          <ItemTable items={notApplicable} evaluatedAt={evaluatedAt} labelledBy="not-applicable-title" units={units} full={full} />
        </details>
      )}
    </section>
  );
}
