/**
 * Canonical unit conversions: section 2 of the clinical reference. A unit is matched by its UCUM
 * code first, then by the display unit (case-insensitive, vendor spellings tolerated). A unit that
 * cannot be recognised makes the value uninterpretable: never guessed (section 2).
 */
import { ANALYTES } from './rules/analytes';
import type { AnalyteDef } from './rules/types';

/** Canonical unit per analyte of the built-in rules (section 1 tables; section 3 for derived values). */
export const CANONICAL_UNIT: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ANALYTES).map(([id, a]) => [id, a.unit]));

type Analytes = Readonly<Record<string, AnalyteDef>>;

function def(analyte: string, analytes: Analytes): AnalyteDef {
  const a = analytes[analyte];
  if (!a) throw new RangeError(`unknown analyte "${analyte}"`);
  return a;
}

const normCache = new Map<string, string>();

/** Normalises a unit spelling: case, micro signs, brackets, spaces, day spellings, eGFR suffixes. */
export function normalizeUnit(raw: string): string {
  const hit = normCache.get(raw);
  if (hit !== undefined) return hit;
  let u = raw.trim().toLowerCase();
  u = u.replace(/[µμ]/g, 'u').replace(/\bmc(?=mol|g\b|g\/)/g, 'u').replace(/mcg/g, 'ug');
  // UCUM annotations say what, not how much: mg/g{creat} is mg/g (the body surface of eGFR is kept)
  u = u.replace(/\{(?!1\.73)[^}]*\}/g, '');
  u = u.replace(/\s+/g, '').replace(/[{}[\]()]/g, '').replace(/_/g, '');
  // "mg%" and "g%": per 100 mL, i.e. per dL
  u = u.replace(/^(m?g)%$/, '$1/dl');
  u = u.replace(/\bgm\//g, 'g/').replace(/^gm\//, 'g/').replace(/^gms\//, 'g/');
  u = u.replace(/\/l$/, '/l');
  // 24-hour spellings: mg/24.h, mg/24hr, mg/24hrs, mg/24hours, mg/d, mg/day
  u = u.replace(/\/24\.?h(r|rs|our|ours)?$/, '/24h').replace(/\/(d|day|dy)$/, '/24h');
  // eGFR: mL/min/{1.73_m2}, /1.73m^2, /1.73 sq m, /1.73m², per 1.73m2, and the UCUM code NHS
  // pathology messages send, mL/min/((173/100).m2) (section 1b; brackets already removed)
  u = u.replace(/\/173\/100\.m2$/, '/1.73m2');
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
 * Converts a value to the analyte's canonical unit. `code` (UCUM) is tried first, then `display`.
 * No unit at all: uninterpretable (except pH); the caller may still compare with a unit-less lab
 * range (ranges.ts).
 */
export function toCanonical(analyte: string, value: number, code?: string, display?: string, analytes: Analytes = ANALYTES): Conversion {
  const a = def(analyte, analytes);
  const table = a.conversions;
  const tries = [code, display].filter((u): u is string => typeof u === 'string' && u.trim() !== '');
  if (tries.length === 0) {
    if (table[''] !== undefined) return { ok: true, value: value * table['']!, unit: a.unit, factor: table['']! };
    // Analytes whose every unit in use gives the same number (Na, K, Cl, HCO3: mmol/L = mEq/L; eGFR;
    // urine pH): a value without a unit is read in that scale, and says so (decision). No guessing
    // between different scales: calcium, creatinine, urea... without a unit stay uninterpretable.
    if (a.singleScale) return { ok: true, value, unit: a.unit, factor: 1, unitAssumed: true };
    return { ok: false, problem: 'no unit given' };
  }
  for (const u of tries) {
    const f = table[normalizeUnit(u)];
    if (f !== undefined) return { ok: true, value: value * f, unit: a.unit, factor: f };
  }
  return { ok: false, problem: `unit "${tries[tries.length - 1]}" not recognised` };
}

/** Factor for a unit (used to convert a reference range given in another unit), or undefined. */
export function unitFactor(analyte: string, code?: string, display?: string, analytes: Analytes = ANALYTES): number | undefined {
  for (const u of [code, display]) {
    if (typeof u !== 'string' || u.trim() === '') continue;
    const f = def(analyte, analytes).conversions[normalizeUnit(u)];
    if (f !== undefined) return f;
  }
  return undefined;
}

/** Outside the analyte's plausible magnitudes a value is a data error (wrong unit, typing error): uninterpretable, never normal. */
export function plausibility(analyte: string, canonical: number, analytes: Analytes = ANALYTES): string | undefined {
  const a = def(analyte, analytes);
  const [lo, hi] = a.plausible;
  if (!Number.isFinite(canonical)) return 'value is not a finite number';
  if (canonical < lo || canonical > hi) return `implausible value (${round(canonical)} ${a.unit})`;
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
