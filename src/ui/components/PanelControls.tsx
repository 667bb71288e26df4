import type { ComponentChildren } from 'preact';
import type { UnitSystem } from '../../clinical/model';

const UNIT_CHOICES: { id: UnitSystem; text: string }[] = [
  { id: 'si', text: 'SI' },
  { id: 'conventional', text: 'Conventional' },
];

interface Props {
  full: boolean;
  onToggleFull: () => void;
  units: UnitSystem;
  /** Without it the unit system is the site's and no choice is offered. */
  onUnits?: ((units: UnitSystem) => void) | undefined;
  /** Other controls of the panel, first in the row (Copy to note). */
  children?: ComponentChildren;
}

/**
 * The panel's controls, one wrapping row: the controls given as children, every row in full or compact (the rows and findings the control expands
 * carry `id`s it names), and the unit system (two pressed/unpressed buttons, so each is reachable
 * with Tab and says its state).
 */
export function PanelControls({ full, onToggleFull, units, onUnits, children }: Props) {
  return (
    <div class="controls" data-controls>
      {children}
      <button type="button" class="button button-quiet" data-action="show-all" aria-expanded={full ? 'true' : 'false'}
        aria-controls="findings investigations" onClick={onToggleFull}
      >
        {full ? 'Show less' : 'Show all details'}
      </button>
      {onUnits && (
        <span class="units" role="group" aria-labelledby="units-label">
          <span id="units-label">Units</span>
          {UNIT_CHOICES.map((c) => (
            <button key={c.id} type="button" class="button button-quiet" data-action="units" data-units={c.id}
              aria-pressed={units === c.id ? 'true' : 'false'} onClick={() => units !== c.id && onUnits(c.id)}
            >
              {c.text}
            </button>
          ))}
        </span>
      )}
    </div>
  );
}
