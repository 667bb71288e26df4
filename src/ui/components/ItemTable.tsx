import type { ItemResult, UnitSystem } from '../../clinical/model';
import { ItemRow } from './ItemRow';

interface Props {
  items: ItemResult[];
  evaluatedAt: string;
  labelledBy: string;
  units: UnitSystem;
  full?: boolean | undefined;
}

/** A table of investigations with proper column headers; `labelledBy` names it (the group heading). */
export function ItemTable({ items, evaluatedAt, labelledBy, units, full }: Props) {
  return (
    <table role="table" class="items" aria-labelledby={labelledBy}>
      <thead role="rowgroup">
        <tr role="row">
          <th role="columnheader" scope="col">Investigation</th>
          <th role="columnheader" scope="col">Status</th>
          <th role="columnheader" scope="col">Result</th>
          <th role="columnheader" scope="col">Date</th>
          <th role="columnheader" scope="col">Range</th>
        </tr>
      </thead>
      <tbody role="rowgroup">
        {items.map((item) => (
          <ItemRow key={item.id} item={item} evaluatedAt={evaluatedAt} units={units} full={full} />
        ))}
      </tbody>
    </table>
  );
}
