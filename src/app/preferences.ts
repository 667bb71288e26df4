/**
 * The user's own choices, remembered in the browser: only the unit system. No patient data is ever
 * written here (the key and its two possible values are the whole of what is stored).
 *
 * Storage can be refused (an EHR iframe with storage partitioned or blocked, private modes): the
 * choice then lasts for the page only, and the panel works the same.
 */
import type { UnitSystem } from '../clinical/model';

export const UNITS_KEY = 'nephrocalcinosis-workup.units';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** The unit system the user chose last time, or `fallback` (the site's default) when none. */
export function storedUnits(fallback: UnitSystem, store: Storage | undefined = storage()): UnitSystem {
  try {
    const v = store?.getItem(UNITS_KEY);
    return v === 'si' || v === 'conventional' ? v : fallback;
  } catch {
    return fallback;
  }
}

export function saveUnits(units: UnitSystem, store: Storage | undefined = storage()): void {
  try {
    store?.setItem(UNITS_KEY, units);
  } catch {
    // refused: the choice holds for this page only
  }
}
