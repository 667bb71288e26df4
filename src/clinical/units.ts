/**
 * Canonical unit conversions: section 2 of the clinical reference. A unit is matched by its UCUM
 * code first, then by the display unit (case-insensitive, vendor spellings tolerated). A unit that
 * cannot be recognised makes the value uninterpretable: never guessed (section 2).
 */
import type { Analyte } from './catalog';

/** Canonical unit per analyte (section 1 tables; section 3 for derived values). */
export const CANONICAL_UNIT: Record<Analyte, string> = {
  calcium: 'mmol/L',
  'adjusted-calcium': 'mmol/L',
  'ionised-calcium': 'mmol/L',
  albumin: 'g/L',
  phosphate: 'mmol/L',
  sodium: 'mmol/L',
  potassium: 'mmol/L',
  chloride: 'mmol/L',
  bicarbonate: 'mmol/L',
  urea: 'mmol/L',
  bun: 'mmol/L', // reported as urea mmol/L (section 1: "mmol/L urea")
  creatinine: 'umol/L',
  egfr: 'mL/min/1.73m2',
  pth: 'pmol/L',
  tsh: 'mIU/L',
  magnesium: 'mmol/L',
  'vitamin-d': 'nmol/L',
  'u-calcium-24h': 'mmol/24h',
  'u-oxalate-24h': 'mmol/24h',
  'u-citrate-24h': 'mmol/24h',
  'u-protein-24h': 'mg/24h',
  'u-pcr': 'mg/mmol',
  'u-acr': 'mg/mmol',
  'u-magnesium-24h': 'mmol/24h',
  'u-magnesium-spot': 'mmol/L',
  'u-ca-cr': 'mmol/mmol',
  'urine-ph': 'pH',
  height: 'cm',
  weight: 'kg',
};

const MMOL = { 'mmol/l': 1 };
const MEQ_MONOVALENT = { 'mmol/l': 1, 'meq/l': 1 }; // section 2: mEq/L = mmol/L for Na, K, Cl, HCO3
const PER_DAY = (mgFactor: number): Record<string, number> => ({
  'mmol/24h': 1,
  'umol/24h': 0.001,
  'mg/24h': mgFactor,
  'g/24h': mgFactor * 1000,
});

/**
 * Normalised unit -> factor to the canonical unit. Only section 2 factors and exact metric
 * rescalings of them (mg/L = mg/dL / 10, mmol = 1000 umol); nothing approximate added.
 */
export const CONVERSIONS: Record<Analyte, Record<string, number>> = {
  // section 2: calcium mg/dL x 0.2495; mEq/L x 0.5
  calcium: { ...MMOL, 'mg/dl': 0.2495, 'mg/l': 0.02495, 'meq/l': 0.5 },
  'adjusted-calcium': { ...MMOL, 'mg/dl': 0.2495, 'mg/l': 0.02495, 'meq/l': 0.5 },
  'ionised-calcium': { ...MMOL, 'mg/dl': 0.2495, 'mg/l': 0.02495, 'meq/l': 0.5 },
  // section 2: albumin g/dL x 10. Molar albumin (54347-0) has no agreed factor here: uninterpretable.
  albumin: { 'g/l': 1, 'g/dl': 10, 'mg/dl': 0.01 },
  // section 2: phosphate (as P) mg/dL x 0.3229
  phosphate: { ...MMOL, 'mg/dl': 0.3229, 'mg/l': 0.03229 },
  sodium: MEQ_MONOVALENT,
  potassium: MEQ_MONOVALENT,
  chloride: MEQ_MONOVALENT,
  bicarbonate: MEQ_MONOVALENT,
  // section 2: urea mg/dL x 0.1665 = mmol/L
  urea: { ...MMOL, 'mg/dl': 0.1665 },
  // section 2: BUN mg/dL x 0.357 = urea mmol/L. A BUN code reported in mmol/L is taken as urea
  // mmol/L (what labs report under 14937-7).
  bun: { ...MMOL, 'mg/dl': 0.357 },
  // section 2: creatinine mg/dL x 88.4
  creatinine: { 'umol/l': 1, 'mmol/l': 1000, 'mg/dl': 88.4, 'mg/l': 8.84 },
  // eGFR is per 1.73 m2 by definition; EHRs (Synthea among them) often drop the suffix, so a
  // plain mL/min under an eGFR code is accepted as mL/min/1.73 m2 (decision, documented).
  egfr: { 'ml/min/1.73m2': 1, 'ml/min': 1 },
  // section 2: PTH pg/mL (= ng/L) x 0.106
  pth: { 'pmol/l': 1, 'pg/ml': 0.106, 'ng/l': 0.106 },
  // mIU/L = uIU/mL = mU/L (identical quantities)
  tsh: { 'miu/l': 1, 'uiu/ml': 1, 'mu/l': 1, 'uu/ml': 1 },
  // section 2: magnesium mg/dL x 0.4114; mEq/L x 0.5
  magnesium: { ...MMOL, 'mg/dl': 0.4114, 'mg/l': 0.04114, 'meq/l': 0.5 },
  // section 2: 25-OH vitamin D ng/mL x 2.496 (ug/L = ng/mL)
  'vitamin-d': { 'nmol/l': 1, 'ng/ml': 2.496, 'ug/l': 2.496 },
  // section 2: 24-h urine calcium mg/24 h / 40.08
  'u-calcium-24h': PER_DAY(1 / 40.08),
  // section 2: 24-h urine oxalate mg/24 h / 90.03
  'u-oxalate-24h': PER_DAY(1 / 90.03),
  // section 2: 24-h urine citrate mg/24 h / 192.12
  'u-citrate-24h': PER_DAY(1 / 192.12),
  // section 2: 24-h urine magnesium mg/24 h / 24.305
  'u-magnesium-24h': PER_DAY(1 / 24.305),
  'u-magnesium-spot': { ...MMOL, 'mg/dl': 0.4114, 'meq/l': 0.5 },
  'u-protein-24h': { 'mg/24h': 1, 'g/24h': 1000 },
  // section 2: ACR / PCR mg/g x 0.113 = mg/mmol (g/mol is mg/mmol; mg/mg = 1000 mg/g)
  'u-pcr': { 'mg/mmol': 1, 'g/mol': 1, 'mg/g': 0.113, 'mg/mg': 113 },
  'u-acr': { 'mg/mmol': 1, 'g/mol': 1, 'mg/g': 0.113, 'mg/mg': 113 },
  // section 2: Ca:creatinine mg/mg x 2.82 = mmol/mmol
  'u-ca-cr': { 'mmol/mmol': 1, 'mol/mol': 1, 'mg/mg': 2.82, 'mg/g': 0.00282 },
  'urine-ph': { ph: 1, '': 1 },
  height: { cm: 1, m: 100, mm: 0.1, in: 2.54, in_i: 2.54, in_us: 2.54 },
  weight: { kg: 1, g: 0.001, lb: 0.45359237, lb_av: 0.45359237, lbs: 0.45359237 },
};

const normCache = new Map<string, string>();

/** Normalises a unit spelling: case, micro signs, brackets, spaces, day spellings, eGFR suffixes. */
export function normalizeUnit(raw: string): string {
  const hit = normCache.get(raw);
  if (hit !== undefined) return hit;
  let u = raw.trim().toLowerCase();
  u = u.replace(/[µμ]/g, 'u').replace(/\bmc(?=mol|g\b|g\/)/g, 'u').replace(/mcg/g, 'ug');
  u = u.replace(/\s+/g, '').replace(/[{}[\]()]/g, '').replace(/_/g, '');
  u = u.replace(/\bgm\//g, 'g/').replace(/^gm\//, 'g/').replace(/^gms\//, 'g/');
  u = u.replace(/\/l$/, '/l');
  // 24-hour spellings: mg/24.h, mg/24hr, mg/24hrs, mg/24hours, mg/d, mg/day
  u = u.replace(/\/24\.?h(r|rs|our|ours)?$/, '/24h').replace(/\/(d|day|dy)$/, '/24h');
  // eGFR: mL/min/{1.73_m2}, /1.73m^2, /1.73 sq m, /1.73m², per 1.73m2
  u = u.replace(/(per|\/)1\.73(m\^?2|m²|sqm|sq\.m|sq\.m\.|squarem|m2)?$/, '/1.73m2');
  u = u.replace(/\/min1\.73m2$/, '/min/1.73m2');
  // "(pH)", "[pH]", "pH units"
  if (u === 'phunits' || u === 'ph') u = 'ph';
  // mIU/L written m[IU]/L -> miu/l (brackets already removed); "mu/l" kept.
  if (u === 'meq/l' || u === 'mequiv/l') u = 'meq/l';
  if (normCache.size < 5000) normCache.set(raw, u);
  return u;
}

export type Conversion =
  | { ok: true; value: number; unit: string; factor: number; unitAssumed?: boolean }
  | { ok: false; problem: string };

/**
 * Analytes whose every unit in use gives the same number (Na, K, Cl, HCO3: mmol/L = mEq/L; eGFR:
 * mL/min/1.73 m2 only; urine pH: no unit). A value reported without a unit is read in that scale,
 * and says so (decision: issue 3 "values without units"; no guessing between different scales, so
 * calcium, creatinine, urea... without a unit stay uninterpretable).
 */
export const SINGLE_SCALE: ReadonlySet<Analyte> = new Set<Analyte>(['sodium', 'potassium', 'chloride', 'bicarbonate', 'egfr', 'urine-ph']);

/**
 * Converts a value to the analyte's canonical unit. `code` (UCUM) is tried first, then `display`.
 * No unit at all: uninterpretable (except pH); the caller may still compare with a unit-less lab
 * range (ranges.ts).
 */
export function toCanonical(analyte: Analyte, value: number, code?: string, display?: string): Conversion {
  const table = CONVERSIONS[analyte];
  const tries = [code, display].filter((u): u is string => typeof u === 'string' && u.trim() !== '');
  if (tries.length === 0) {
    if (table[''] !== undefined) return { ok: true, value: value * table['']!, unit: CANONICAL_UNIT[analyte], factor: table['']! };
    if (SINGLE_SCALE.has(analyte)) return { ok: true, value, unit: CANONICAL_UNIT[analyte], factor: 1, unitAssumed: true };
    return { ok: false, problem: 'no unit given' };
  }
  for (const u of tries) {
    const f = table[normalizeUnit(u)];
    if (f !== undefined) return { ok: true, value: value * f, unit: CANONICAL_UNIT[analyte], factor: f };
  }
  return { ok: false, problem: `unit "${tries[tries.length - 1]}" not recognised` };
}

/** Factor for a unit (used to convert a reference range given in another unit), or undefined. */
export function unitFactor(analyte: Analyte, code?: string, display?: string): number | undefined {
  for (const u of [code, display]) {
    if (typeof u !== 'string' || u.trim() === '') continue;
    const f = CONVERSIONS[analyte][normalizeUnit(u)];
    if (f !== undefined) return f;
  }
  return undefined;
}

/**
 * Plausible canonical magnitudes. Outside them a value is taken as a data error (wrong unit,
 * typing error) and is uninterpretable, never normal (issue 3, "absurd magnitudes"). Deliberately
 * wide: real extremes stay inside.
 */
export const PLAUSIBLE: Record<Analyte, [number, number]> = {
  calcium: [0.5, 6],
  'adjusted-calcium': [0.5, 6],
  'ionised-calcium': [0.2, 4],
  albumin: [5, 80],
  phosphate: [0.1, 8],
  sodium: [80, 220],
  potassium: [0.8, 12],
  chloride: [50, 160],
  bicarbonate: [1, 60],
  urea: [0.2, 150],
  bun: [0.2, 150],
  creatinine: [5, 3000],
  egfr: [0, 250],
  pth: [0, 1000],
  tsh: [0, 1000],
  magnesium: [0.1, 5],
  'vitamin-d': [0, 1000],
  'u-calcium-24h': [0, 50],
  'u-oxalate-24h': [0, 10],
  'u-citrate-24h': [0, 30],
  'u-protein-24h': [0, 50000],
  'u-pcr': [0, 5000],
  'u-acr': [0, 5000],
  'u-magnesium-24h': [0, 50],
  'u-magnesium-spot': [0, 50],
  'u-ca-cr': [0, 20],
  'urine-ph': [3, 10],
  height: [20, 260],
  weight: [0.3, 400],
};

export function plausibility(analyte: Analyte, canonical: number): string | undefined {
  const [lo, hi] = PLAUSIBLE[analyte];
  if (!Number.isFinite(canonical)) return 'value is not a finite number';
  if (canonical < lo || canonical > hi) return `implausible value (${round(canonical)} ${CANONICAL_UNIT[analyte]})`;
  return undefined;
}

/** Rounds for display: 3 significant decimals at most, no float noise. */
export function round(v: number): number {
  if (!Number.isFinite(v)) return v;
  const abs = Math.abs(v);
  const d = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const p = 10 ** d;
  return Math.round(v * p) / p;
}
