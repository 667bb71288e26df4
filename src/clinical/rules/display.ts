/**
 * Section 7b of the clinical reference as data: how each analyte's value is shown in SI and in
 * conventional (US) units, and to what precision a laboratory reports it. Keyed by analyte id (the
 * `analyte` of a result). Values are computed in the canonical unit; `factor` turns a canonical
 * value into the displayed unit. Conventional factors are the inverse of section 2's conversions,
 * read from the conversion table itself so that each number is written once.
 *
 * Units are written for people: µmol/L, mIU/L, mmol/24 h, mL/min/1.73 m².
 */
import { ANALYTES } from './analytes';
import type { DisplayUnit } from './types';

export type { DisplayUnit } from './types';

export type UnitSystem = 'si' | 'conventional';

export interface AnalyteDisplay {
  si: DisplayUnit;
  conventional: DisplayUnit;
}

/** The canonical unit: factor 1. */
const canonical = (unit: string, precision: number): DisplayUnit => ({ unit, factor: 1, precision });
/** Shown in `unit`, the canonical value divided by section 2's factor from that unit (normalised spelling `from`). */
const via = (analyte: string, from: string, unit: string, precision: number): DisplayUnit => ({
  unit,
  factor: 1 / ANALYTES[analyte]!.conversions[from]!,
  precision,
});
/** The same unit and precision in both systems. */
const both = (unit: string, precision: number): AnalyteDisplay => ({ si: canonical(unit, precision), conventional: canonical(unit, precision) });

const CALCIUM: AnalyteDisplay = { si: canonical('mmol/L', 2), conventional: via('calcium', 'mg/dl', 'mg/dL', 1) };
/** Urea in mmol/L; in conventional units as blood urea nitrogen (section 7b: "BUN mg/dL"). */
const UREA: AnalyteDisplay = { si: canonical('mmol/L', 1), conventional: via('bun', 'mg/dl', 'mg/dL (BUN)', 0) };
const PER_DAY = (analyte: 'u-calcium-24h' | 'u-oxalate-24h' | 'u-citrate-24h' | 'u-magnesium-24h'): AnalyteDisplay => ({
  si: canonical('mmol/24 h', 2),
  conventional: via(analyte, 'mg/24h', 'mg/24 h', 0),
});
const PROTEIN_RATIO = (analyte: 'u-pcr' | 'u-acr'): AnalyteDisplay => ({ si: canonical('mg/mmol', 1), conventional: via(analyte, 'mg/g', 'mg/g', 0) });

export const DISPLAY: Readonly<Record<string, AnalyteDisplay>> = {
  calcium: CALCIUM,
  'adjusted-calcium': CALCIUM,
  'ionised-calcium': { si: canonical('mmol/L', 2), conventional: via('ionised-calcium', 'mg/dl', 'mg/dL', 2) },
  albumin: { si: canonical('g/L', 0), conventional: via('albumin', 'g/dl', 'g/dL', 1) },
  phosphate: { si: canonical('mmol/L', 2), conventional: via('phosphate', 'mg/dl', 'mg/dL', 1) },
  sodium: both('mmol/L', 0),
  chloride: both('mmol/L', 0),
  bicarbonate: both('mmol/L', 0),
  potassium: both('mmol/L', 1),
  urea: UREA,
  bun: UREA,
  creatinine: { si: canonical('µmol/L', 0), conventional: via('creatinine', 'mg/dl', 'mg/dL', 2) },
  egfr: both('mL/min/1.73 m²', 0),
  pth: { si: canonical('pmol/L', 1), conventional: via('pth', 'pg/ml', 'pg/mL', 0) },
  tsh: both('mIU/L', 2),
  magnesium: { si: canonical('mmol/L', 2), conventional: via('magnesium', 'mg/dl', 'mg/dL', 1) },
  'vitamin-d': { si: canonical('nmol/L', 0), conventional: via('vitamin-d', 'ng/ml', 'ng/mL', 0) },
  'u-calcium-24h': PER_DAY('u-calcium-24h'),
  'u-oxalate-24h': PER_DAY('u-oxalate-24h'),
  'u-citrate-24h': PER_DAY('u-citrate-24h'),
  'u-magnesium-24h': PER_DAY('u-magnesium-24h'),
  'u-protein-24h': both('mg/24 h', 0),
  'u-pcr': PROTEIN_RATIO('u-pcr'),
  'u-acr': PROTEIN_RATIO('u-acr'),
  'u-ca-cr': { si: canonical('mmol/mmol', 2), conventional: via('u-ca-cr', 'mg/mg', 'mg/mg', 2) },
  // Not in section 7b (decision): a spot urine magnesium as serum magnesium is shown.
  'u-magnesium-spot': { si: canonical('mmol/L', 2), conventional: via('u-magnesium-spot', 'mg/dl', 'mg/dL', 1) },
  // Not in section 7b (decision): urine pH to one decimal, as dipsticks and meters read it.
  'urine-ph': both('pH', 1),
};
