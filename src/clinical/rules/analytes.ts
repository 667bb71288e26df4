/**
 * Analytes as data: the canonical unit each value is converted to (section 1), the conversions of
 * section 2 (keyed by the normalised unit spelling of units.ts), plausible magnitudes, and the
 * built-in range table of section 6 (first matching row wins; ages are at the result's date).
 *
 * Conversions: only section 2 factors and exact metric rescalings of them (mg/L = mg/dL / 10,
 * mmol = 1000 umol); nothing approximate. Plausible magnitudes are deliberately wide: real
 * extremes stay inside, a wrong unit or a typing error falls outside (uninterpretable, never normal).
 */
import type { AnalyteDef, RangeRow } from './types';

const MMOL = { 'mmol/l': 1 };
/** Section 2: mEq/L equals mmol/L for Na, K, Cl, HCO3. */
const MEQ_MONOVALENT = { 'mmol/l': 1, 'meq/l': 1 };
const CALCIUM = { ...MMOL, 'mg/dl': 0.2495, 'mg/l': 0.02495, 'meq/l': 0.5 };
const PER_DAY = (mgFactor: number): Record<string, number> => ({ 'mmol/24h': 1, 'umol/24h': 0.001, 'mg/24h': mgFactor, 'g/24h': mgFactor * 1000 });
/** Section 2: ACR / PCR mg/g × 0.113 = mg/mmol (g/mol is mg/mmol; mg/mg = 1000 mg/g). */
const PROTEIN_RATIO = { 'mg/mmol': 1, 'g/mol': 1, 'mg/g': 0.113, 'mg/mg': 113 };

const adult = (low: number | undefined, high: number | undefined, section = '6'): RangeRow => ({ section, label: 'adult', ...bounds(low, high) });

/** Section 6: where no built-in range holds for a child, the laboratory's range decides (else unknown). */
const CHILD_NONE = 'no built-in range for a child: see the laboratory’s range';
/** Section 6: an adult range used for a child is labelled as such, never applied silently. */
const ADULT_FOR_CHILD = 'adult range (no paediatric range built in)';
/** Section 6: under 1 year only the infant bands and the laboratory's range. */
const infantNone = (section = '6'): RangeRow => ({ section, ageTo: 1, label: 'child under 1 year', none: CHILD_NONE });
/** Section 6: none under 1 year; from 1 year the adult range, labelled for a child. */
const adultFromOneYear = (low: number | undefined, high: number | undefined, section = '6'): RangeRow[] => [
  infantNone(section),
  { section, ageTo: 18, label: ADULT_FOR_CHILD, ...bounds(low, high) },
  adult(low, high),
];
/** Section 6: creatinine and urea have no built-in range under 18 (an adult range would call a child's raised value normal). */
const noneUnder18: RangeRow = { section: '6', ageTo: 18, label: 'child', none: CHILD_NONE };
/** Section 5: pregnancy recorded: no built-in creatinine or eGFR threshold. */
const pregnancyNone: RangeRow = { section: '5', pregnant: true, label: 'pregnancy', none: 'pregnancy: no built-in range' };
const bounds = (low: number | undefined, high: number | undefined): Pick<RangeRow, 'low' | 'high'> => ({
  ...(low !== undefined ? { low } : {}),
  ...(high !== undefined ? { high } : {}),
});

/** Protein:creatinine and albumin:creatinine ratios: the limit is abnormal at and above it (section 6). */
const ratioRows = (high: number): RangeRow[] => [
  { section: 'decision', ageTo: 2, label: 'child under 2 years', none: 'no built-in limit under 2 years: see the laboratory’s range' },
  { section: '6', ageTo: 18, high, highExclusive: true, label: ADULT_FOR_CHILD },
  { ...adult(undefined, high), highExclusive: true },
];

/** Section 6, children: calcium by age band; from 15 the adult range (decision: no band is given). */
const CALCIUM_ROWS: RangeRow[] = [
  { section: '6', ageTo: 1, low: 2.1, high: 2.8, label: 'child under 1 year' },
  { section: '6', ageTo: 5, low: 2.1, high: 2.65, label: 'child 1–5 years' },
  { section: '6', ageTo: 15, low: 2.15, high: 2.55, label: 'child 5–15 years' },
  { section: 'decision', ageTo: 18, low: 2.2, high: 2.6, label: ADULT_FOR_CHILD },
  adult(2.2, 2.6),
];

export const ANALYTES: Record<string, AnalyteDef> = {
  calcium: { unit: 'mmol/L', conversions: CALCIUM, plausible: [0.5, 6], ranges: CALCIUM_ROWS },
  'adjusted-calcium': { unit: 'mmol/L', conversions: CALCIUM, plausible: [0.5, 6], ranges: CALCIUM_ROWS },
  // not named in section 6's list for children (decision): as the other serum electrolytes
  'ionised-calcium': { unit: 'mmol/L', conversions: CALCIUM, plausible: [0.2, 4], ranges: adultFromOneYear(1.15, 1.33, 'decision') },
  // section 2: albumin g/dL × 10. Molar albumin has no agreed factor here: uninterpretable.
  albumin: { unit: 'g/L', conversions: { 'g/l': 1, 'g/dl': 10, 'mg/dl': 0.01 }, plausible: [5, 80], ranges: adultFromOneYear(35, 50) },
  // section 2: phosphate (as P) mg/dL × 0.3229; section 6 bands, neonates (under 28 days) 1.6–2.7
  phosphate: {
    unit: 'mmol/L',
    conversions: { ...MMOL, 'mg/dl': 0.3229, 'mg/l': 0.03229 },
    plausible: [0.1, 8],
    ranges: [
      { section: '6', ageToDays: 28, low: 1.6, high: 2.7, label: 'neonate' },
      { section: '6', ageTo: 1, low: 1.2, high: 2.7, label: 'child under 1 year' },
      { section: '6', ageTo: 5, low: 1.1, high: 2.4, label: 'child 1–5 years' },
      { section: '6', ageTo: 15, low: 1.05, high: 1.7, label: 'child 5–15 years' },
      { section: 'decision', ageTo: 18, low: 0.8, high: 1.5, label: ADULT_FOR_CHILD },
      adult(0.8, 1.5),
    ],
  },
  sodium: { unit: 'mmol/L', conversions: MEQ_MONOVALENT, plausible: [80, 220], singleScale: true, ranges: adultFromOneYear(133, 146) },
  potassium: { unit: 'mmol/L', conversions: MEQ_MONOVALENT, plausible: [0.8, 12], singleScale: true, ranges: adultFromOneYear(3.5, 5.3) },
  chloride: { unit: 'mmol/L', conversions: MEQ_MONOVALENT, plausible: [50, 160], singleScale: true, ranges: adultFromOneYear(95, 108) },
  bicarbonate: { unit: 'mmol/L', conversions: MEQ_MONOVALENT, plausible: [1, 60], singleScale: true, ranges: adultFromOneYear(22, 29) },
  // section 2: urea mg/dL × 0.1665 = mmol/L
  urea: { unit: 'mmol/L', conversions: { ...MMOL, 'mg/dl': 0.1665 }, plausible: [0.2, 150], ranges: [noneUnder18, adult(2.5, 7.8)] },
  // section 2: BUN mg/dL × 0.357 = urea mmol/L. A BUN code in mmol/L is taken as urea mmol/L
  // (what laboratories report under 14937-7).
  bun: { unit: 'mmol/L', conversions: { ...MMOL, 'mg/dl': 0.357 }, plausible: [0.2, 150], ranges: [noneUnder18, adult(2.5, 7.8)] },
  // section 2: creatinine mg/dL × 88.4. Section 6: no built-in range for a child (the adult one would
  // call a child's raised creatinine normal).
  creatinine: {
    unit: 'umol/L',
    conversions: { 'umol/l': 1, 'mmol/l': 1000, 'mg/dl': 88.4, 'mg/l': 8.84 },
    plausible: [5, 3000],
    ranges: [
      noneUnder18,
      pregnancyNone,
      { section: '6', sex: 'male', low: 59, high: 104, label: 'adult men' },
      { section: '6', sex: 'female', low: 45, high: 84, label: 'adult women' },
    ],
  },
  // eGFR is per 1.73 m² by definition; EHRs (Synthea among them) often drop the suffix, so a plain
  // mL/min under an eGFR code is read as mL/min/1.73 m² (decision).
  egfr: {
    unit: 'mL/min/1.73m2',
    conversions: { 'ml/min/1.73m2': 1, 'ml/min': 1 },
    plausible: [0, 250],
    singleScale: true,
    ranges: [
      { section: '6', ageTo: 2, label: 'child under 2 years', none: 'no built-in eGFR threshold under 2 years: see the laboratory’s interpretation' },
      pregnancyNone,
      { section: '6', ageTo: 18, low: 60, label: 'from 2 years (KDIGO 2012)' },
      adult(60, undefined),
    ],
  },
  // section 2: PTH pg/mL (= ng/L) × 0.106; assay-dependent: the laboratory's range wins when given
  pth: { unit: 'pmol/L', conversions: { 'pmol/l': 1, 'pg/ml': 0.106, 'ng/l': 0.106 }, plausible: [0, 1000], ranges: adultFromOneYear(1.6, 6.9) },
  // mIU/L = uIU/mL = mU/L (identical quantities)
  tsh: { unit: 'mIU/L', conversions: { 'miu/l': 1, 'uiu/ml': 1, 'mu/l': 1, 'uu/ml': 1 }, plausible: [0, 1000], ranges: adultFromOneYear(0.27, 4.2) },
  // section 2: magnesium mg/dL × 0.4114; mEq/L × 0.5
  magnesium: { unit: 'mmol/L', conversions: { ...MMOL, 'mg/dl': 0.4114, 'mg/l': 0.04114, 'meq/l': 0.5 }, plausible: [0.1, 5], ranges: adultFromOneYear(0.7, 1.0) },
  // section 2: ng/mL × 2.496 (ug/L = ng/mL). Not in section 6 (decision): deficiency below 25 nmol/L
  // (UK SACN/NOS) and above 250 nmol/L, the level usually quoted for vitamin D excess.
  'vitamin-d': {
    unit: 'nmol/L',
    conversions: { 'nmol/l': 1, 'ng/ml': 2.496, 'ug/l': 2.496 },
    plausible: [0, 1000],
    ranges: [infantNone(), { section: 'decision', low: 25, high: 250, label: 'UK deficiency and excess thresholds' }],
  },
  // section 2: mg/24 h / 40.08. Section 6: 0.1 mmol/kg/day with a weight (the only limit for a child).
  'u-calcium-24h': {
    unit: 'mmol/24h',
    conversions: PER_DAY(1 / 40.08),
    plausible: [0, 50],
    ranges: [
      { section: '6', ageTo: 18, highPerKg: 0.1, label: 'child', none: 'a child’s 24-hour calcium needs a body weight (0.1 mmol/kg/day) or the lab range' },
      { section: '6', sex: 'male', high: 7.5, highPerKg: 0.1, label: 'adult men' },
      { section: '6', sex: 'female', high: 6.25, highPerKg: 0.1, label: 'adult women' },
    ],
  },
  // section 2: mg/24 h / 90.03. Under 12 the adult absolute limit would miss hyperoxaluria (decision).
  'u-oxalate-24h': {
    unit: 'mmol/24h',
    conversions: PER_DAY(1 / 90.03),
    plausible: [0, 10],
    ranges: [
      { section: 'decision', ageTo: 12, label: 'child under 12 years', none: 'no built-in 24-hour oxalate limit under 12 years: see the laboratory’s range' },
      { section: '6', ageTo: 18, high: 0.45, label: ADULT_FOR_CHILD },
      adult(undefined, 0.45),
    ],
  },
  // section 2: mg/24 h / 192.12
  'u-citrate-24h': {
    unit: 'mmol/24h',
    conversions: PER_DAY(1 / 192.12),
    plausible: [0, 30],
    // section 6: below 1.66 mmol/24 h (320 mg/24 h reads 1.666: not low)
    ranges: adultFromOneYear(1.66, undefined),
  },
  'u-protein-24h': {
    unit: 'mg/24h',
    conversions: { 'mg/24h': 1, 'g/24h': 1000 },
    plausible: [0, 50000],
    // section 6: 150 mg/24 h or more is abnormal (KDIGO 2012; NICE NG203)
    ranges: [
      { section: 'decision', ageTo: 12, label: 'child under 12 years', none: 'no built-in 24-hour protein limit under 12 years: see the laboratory’s range' },
      { section: '6', ageTo: 18, high: 150, highExclusive: true, label: ADULT_FOR_CHILD },
      { ...adult(undefined, 150), highExclusive: true },
    ],
  },
  // section 6: PCR 15 mg/mmol or more, ACR 3 mg/mmol or more is abnormal
  // (decision) under 2 years none: a young child's ratio is normally higher (KDIGO 2012: PCR up to
  // 50 mg/mmol at 6-24 months); from 2 years the adult limit, labelled
  'u-pcr': { unit: 'mg/mmol', conversions: PROTEIN_RATIO, plausible: [0, 5000], ranges: ratioRows(15) },
  'u-acr': { unit: 'mg/mmol', conversions: PROTEIN_RATIO, plausible: [0, 5000], ranges: ratioRows(3) },
  // section 2: mg/24 h / 24.305; section 6: 3.0–5.0 (under 12 none, decision)
  'u-magnesium-24h': {
    unit: 'mmol/24h',
    conversions: PER_DAY(1 / 24.305),
    plausible: [0, 50],
    ranges: [
      // section 6: with a serum magnesium below 0.7 mmol/L, more than 1 mmol/24 h is inappropriately high
      {
        section: '6', ageFrom: 1, when: { fact: 'serum-magnesium-low-near' }, high: 1,
        label: 'with a serum magnesium below 0.7 mmol/L within a month: above 1 mmol/24 h is renal magnesium wasting',
      },
      { section: 'decision', ageTo: 12, label: 'child under 12 years', none: 'no built-in 24-hour magnesium range under 12 years: see the laboratory’s range' },
      { section: '6', ageTo: 18, low: 3.0, high: 5.0, label: ADULT_FOR_CHILD },
      adult(3.0, 5.0),
    ],
  },
  'u-magnesium-spot': {
    unit: 'mmol/L',
    conversions: { ...MMOL, 'mg/dl': 0.4114, 'meq/l': 0.5 },
    plausible: [0, 50],
    noRange: 'no built-in range for a spot urine magnesium',
  },
  // section 2: Ca:creatinine mg/mg × 2.82 = mmol/mmol; section 6 upper limits by age ("over 7 years
  // 0.7" also for adults: a commonly used adult cut-off as well, decision)
  'u-ca-cr': {
    unit: 'mmol/mmol',
    conversions: { 'mmol/mmol': 1, 'mol/mol': 1, 'mg/mg': 2.82, 'mg/g': 0.00282 },
    plausible: [0, 20],
    ranges: [
      { section: '6', ageTo: 1, high: 2.2, label: 'child under 1 year' },
      { section: '6', ageTo: 3, high: 1.5, label: 'child 1–3 years' },
      { section: '6', ageTo: 5, high: 1.1, label: 'child 3–5 years' },
      { section: '6', ageTo: 7, high: 0.8, label: 'child 5–7 years' },
      { section: '6', ageTo: 18, high: 0.7, label: 'child over 7 years' },
      { section: '6', ageFrom: 18, high: 0.7, label: 'adult (over 7 years)' },
    ],
    noRange: 'age unknown: the Ca:creatinine limit depends on age',
  },
  'urine-ph': { unit: 'pH', conversions: { ph: 1, '': 1 }, plausible: [3, 10], singleScale: true, noRange: 'no built-in range' },
  height: { unit: 'cm', conversions: { cm: 1, m: 100, mm: 0.1, in: 2.54, in_i: 2.54, in_us: 2.54 }, plausible: [20, 260], noRange: 'no built-in range' },
  weight: { unit: 'kg', conversions: { kg: 1, g: 0.001, lb: 0.45359237, lb_av: 0.45359237, lbs: 0.45359237 }, plausible: [0.3, 400], noRange: 'no built-in range' },
};
