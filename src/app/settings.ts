/**
 * The engine's site settings for this build, from Vite env variables:
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `VITE_EGFR_EQUATION` | `ckd-epi-2009` | the CKD-EPI equation of derived eGFR values: `ckd-epi-2009` (without the ethnicity coefficient: the UK, NICE NG203) or `ckd-epi-2021` (race-free: the US) |
 * | `VITE_UNITS` | `si` | the unit system values are shown in until the user picks one: `si` or `conventional` (US) |
 *
 * A value that is not one of these is not used (the engine's default holds) and the build's
 * console says so once, without patient data.
 */
import { isEgfrEquation } from '../clinical/derived';
import type { EvaluationSettings, UnitSystem } from '../clinical/model';

type Env = Record<string, string | boolean | undefined>;

/** The settings the engine is called with; `env` defaults to Vite's `import.meta.env` (tests pass their own). */
export function engineSettings(env: Env = import.meta.env as Env): EvaluationSettings {
  const raw = env.VITE_EGFR_EQUATION;
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (value === '') return {};
  if (isEgfrEquation(value)) return { egfrEquation: value };
  console.warn('VITE_EGFR_EQUATION is not ckd-epi-2009 or ckd-epi-2021: the default equation is used');
  return {};
}

/** The site's unit system (VITE_UNITS): `si` unless the build says `conventional`. */
export function siteUnits(env: Env = import.meta.env as Env): UnitSystem {
  const raw = env.VITE_UNITS;
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (value === 'conventional' || value === 'si') return value;
  if (value !== '') console.warn('VITE_UNITS is not si or conventional: values are shown in SI units');
  return 'si';
}
