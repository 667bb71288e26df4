/**
 * The workup catalog as data: every item of section 1 of the clinical reference
 * (../shared/clinical-reference.md), its codes, analyte (for units and ranges, sections 2 and 6),
 * recency window (section 5) and text fallback patterns (issue 3). Nothing here computes anything.
 */
import type { ClinicalResourceType, Group, Tier } from './model';

/** Analyte keys: choose the unit conversion (units.ts) and the built-in range (ranges.ts). */
export type Analyte =
  | 'calcium'
  | 'adjusted-calcium'
  | 'ionised-calcium'
  | 'albumin'
  | 'phosphate'
  | 'sodium'
  | 'potassium'
  | 'chloride'
  | 'bicarbonate'
  | 'urea'
  | 'bun'
  | 'creatinine'
  | 'egfr'
  | 'pth'
  | 'tsh'
  | 'magnesium'
  | 'vitamin-d'
  | 'u-calcium-24h'
  | 'u-oxalate-24h'
  | 'u-citrate-24h'
  | 'u-protein-24h'
  | 'u-pcr'
  | 'u-acr'
  | 'u-magnesium-24h'
  | 'u-magnesium-spot'
  | 'u-ca-cr'
  | 'urine-ph'
  | 'height'
  | 'weight';

/** Role of a qualitative component (urinalysis dipstick parts that define "abnormal"). */
export type QualRole =
  | 'nitrite'
  | 'leukocyte-esterase'
  | 'dipstick-blood'
  | 'dipstick-protein'
  | 'culture'
  /** microscopy counts per high-power field, abnormal above a threshold */
  | 'micro-wbc'
  | 'micro-rbc'
  /** microscopy elements whose presence is a finding (bacteria, crystals, casts) */
  | 'micro-present';

export interface CodeEntry {
  system: 'loinc' | 'snomed';
  code: string;
  /** Overrides the item's analyte (e.g. BUN vs urea, PCR vs ACR). */
  analyte?: Analyte;
  role?: QualRole;
}

/** A text fallback: all `all` patterns must match the code text/display, none of `not`. */
export interface TextRule {
  all: RegExp[];
  not?: RegExp;
  analyte?: Analyte;
  role?: QualRole;
}

export interface CatalogItem {
  id: string;
  label: string;
  group: Group;
  tier: Tier;
  /** For conditional items: when it applies, in words. */
  condition?: string;
  kind: 'numeric' | 'qualitative';
  analyte?: Analyte;
  /** Section 5 recency windows; null = any time. */
  windowMonths: number | null;
  codes: CodeEntry[];
  text?: TextRule[];
  /** Resource types that can hold a result for this item (a failed load of one makes a gap `unknown`). */
  resultTypes: ClinicalResourceType[];
  /** Where the item's value comes from when it is derived (section 3). */
  derivable?: boolean;
}

const L = (code: string, extra: Partial<CodeEntry> = {}): CodeEntry => ({ system: 'loinc', code, ...extra });
const S = (code: string, extra: Partial<CodeEntry> = {}): CodeEntry => ({ system: 'snomed', code, ...extra });
// Codes marked "BROADER:" below are a broader code map, not listed in the reference: added from a
// public LOINC value set (the "Serum, Plasma or Blood", venous/arterial/capillary variants).

const LAB: ClinicalResourceType[] = ['Observation'];
const REPORTED: ClinicalResourceType[] = ['Observation', 'DiagnosticReport'];
const IMAGING: ClinicalResourceType[] = ['DiagnosticReport', 'ImagingStudy', 'Procedure'];
const PROCEDURE: ClinicalResourceType[] = ['Procedure', 'DiagnosticReport', 'Observation'];

// Recency windows, section 5 ("product defaults, configurable").
export const WINDOW = {
  bloodChemistry: 6,
  endocrine: 12, // PTH, TSH, vitamin D
  urineDipstick: 3, // urinalysis, microscopy, culture
  urineStudies: 12, // 24-hour and spot urine studies
  imaging: 24,
  anyTime: null,
} as const;

/** Exclusion shared by serum text rules: anything about urine, ratios or clearances. */
const NOT_SERUM = /\b(urine|urinary|ur|24 ?h|24-hour|ratio|clearance|excretion|fraction)\b|\/\s*creat/i;

/** Section 1, in catalog order. */
export const CATALOG: readonly CatalogItem[] = [
  // ---- Blood (section 1, "Blood") ----
  {
    id: 'calcium', label: 'Calcium (total)', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'calcium',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('17861-6'), L('2000-8'), L('49765-1'), L('1996-8')],
    text: [{ all: [/\bcalcium\b/i], not: /ioni[sz]ed|\bfree\b|statin|leucovorin|folinate|adjust|correct|albumin|channel|score|oxalate|phosph|creat|\bca\s*\/|urine|urinary|24 ?h|ratio|excretion/i }],
  },
  {
    id: 'albumin', label: 'Albumin', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'albumin',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    // 54347-0 is molar albumin: no conversion is defined, so it is uninterpretable unless reported in g/L
    codes: [L('1751-7'), L('61151-7'), L('61152-5'), L('54347-0')],
    text: [{ all: [/\balbumin\b/i], not: /micro|globulin|creat|prealbumin|adjust|correct|calcium|urine|urinary|24 ?h|ratio/i }],
  },
  {
    id: 'adjusted-calcium', label: 'Adjusted calcium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'adjusted-calcium',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB, derivable: true,
    codes: [L('29265-6')],
    text: [{ all: [/\bcalcium\b/i, /adjust|correct/i], not: NOT_SERUM }],
  },
  {
    id: 'phosphate', label: 'Phosphate', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'phosphate',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('2777-1'), L('14879-1')],
    text: [{ all: [/\b(phosphate|phosphorus)\b/i], not: /alkaline|phosphatase|pyridox|urine|urinary|24 ?h|ratio|excretion|clearance|tubular/i }],
  },
  {
    id: 'sodium', label: 'Sodium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'sodium',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [
      L('2951-2'), L('2947-0'),
      // BROADER:
      L('77139-4'), L('39791-9'), L('39792-7'), L('32717-1'), L('41657-8'),
    ],
    text: [{ all: [/\bsodium\b/i], not: /bicarbonate|chloride|naproxen|urine|urinary|24 ?h|ratio|excretion|fraction|clearance/i }],
  },
  {
    id: 'potassium', label: 'Potassium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'potassium',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [
      L('2823-3'), L('6298-4'),
      // BROADER:
      L('77142-8'), L('39789-3'), L('39790-1'), L('32713-0'), L('41656-0'),
    ],
    text: [{ all: [/\bpotassium\b/i], not: /chloride supp|citrate|urine|urinary|24 ?h|ratio|excretion|fraction|clearance/i }],
  },
  {
    id: 'chloride', label: 'Chloride', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'chloride',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('2075-0'), L('2069-3')],
    text: [{ all: [/\bchloride\b/i], not: /sodium chloride|potassium chloride|sweat|urine|urinary|24 ?h|ratio|excretion/i }],
  },
  {
    id: 'bicarbonate', label: 'Bicarbonate', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'bicarbonate',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('1963-8'), L('2028-9'), L('20565-8'), L('1959-6'), L('14627-4'), L('1960-4')],
    text: [{ all: [/\b(bicarbonate|hco3|carbon dioxide|co2|tco2)\b/i], not: /partial|pco2|\bp\s?co2|urine|urinary|24 ?h|ratio|excretion/i }],
  },
  {
    id: 'urea', label: 'Urea / BUN', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'urea',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [
      L('22664-7'), L('3091-6'), L('3094-0', { analyte: 'bun' }), L('6299-2', { analyte: 'bun' }), L('14937-7', { analyte: 'bun' }),
      // BROADER:
      L('59570-2', { analyte: 'bun' }), L('35234-4', { analyte: 'bun' }),
      L('12961-9', { analyte: 'bun' }), L('12962-7', { analyte: 'bun' }), L('12963-5', { analyte: 'bun' }),
    ],
    text: [
      { all: [/\b(bun|urea nitrogen|blood urea nitrogen)\b/i], not: /ratio|\/\s*creat|urine|urinary|24 ?h|excretion|clearance/i, analyte: 'bun' },
      { all: [/\burea\b/i], not: /nitrogen|ratio|\/\s*creat|urine|urinary|24 ?h|excretion|clearance|breath/i, analyte: 'urea' },
    ],
  },
  {
    id: 'creatinine', label: 'Creatinine', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'creatinine',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('2160-0'), L('14682-9'), L('38483-4'), L('59826-8'), /* BROADER: */ L('77140-2')],
    text: [{ all: [/\bcreatinine\b/i], not: /kinase|clearance|ratio|\/|urine|urinary|24 ?h|excretion|albumin|protein|calcium/i }],
  },
  {
    id: 'egfr', label: 'eGFR', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'egfr',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB, derivable: true,
    codes: [
      L('98979-8'), L('98980-6'), L('62238-1'), L('33914-3'), L('77147-7'), L('48642-3'), L('48643-1'),
      L('88293-6'), L('88294-4'), L('69405-9'), L('50210-4'), L('50384-7'),
    ],
    text: [{ all: [/\b(egfr|estimated gfr|estimated glomerular|glomerular filtration rate)\b/i], not: /cockcroft|clearance|measured|iohexol|inulin/i }],
  },
  {
    id: 'pth', label: 'Parathyroid hormone (intact)', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'pth',
    windowMonths: WINDOW.endocrine, resultTypes: LAB,
    codes: [L('2731-8'), L('14866-8')],
    text: [{ all: [/\b(pth|parathyroid hormone|parathormone)\b/i], not: /related|pthrp|\brp\b|antibod|fragment|n-term|c-term/i }],
  },
  {
    id: 'tsh', label: 'TSH', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'tsh',
    windowMonths: WINDOW.endocrine, resultTypes: LAB,
    codes: [L('3016-3'), L('11580-8')],
    text: [{ all: [/\b(tsh|thyroid stimulating hormone|thyrotropin)\b/i], not: /receptor|antibod|\btrab\b|releasing|\btrh\b|index/i }],
  },
  {
    id: 'magnesium', label: 'Magnesium', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'magnesium',
    condition: 'when potassium is low, hypomagnesaemia, hypokalaemia or Bartter syndrome is recorded, or a loop diuretic is prescribed',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('19123-9'), L('2601-3')],
    text: [{ all: [/\bmagnesium\b/i], not: /urine|urinary|24 ?h|ratio|excretion|fraction|sulfate|sulphate|oxide|\brbc\b|red cell|erythrocyte/i }],
  },
  {
    id: 'ionised-calcium', label: 'Ionised calcium', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'ionised-calcium',
    condition: 'when total or adjusted calcium is out of range, or albumin is out of range (adjustment less reliable)',
    windowMonths: WINDOW.bloodChemistry, resultTypes: LAB,
    codes: [L('1995-0'), L('1994-3'), L('17863-2'), L('47598-8')],
    text: [{ all: [/\bcalcium\b/i, /ioni[sz]ed|\bfree\b/i], not: /urine|urinary|24 ?h|ratio|corrected to ph 7\.?4? ?only/i }],
  },
  {
    id: 'vitamin-d', label: '25-OH vitamin D', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'vitamin-d',
    condition: 'when calcium is high or vitamin D is prescribed',
    windowMonths: WINDOW.endocrine, resultTypes: LAB,
    codes: [L('62292-8'), L('35365-6'), L('1989-3'), L('14635-7')],
    text: [{ all: [/\bvitamin d|\b25.?(oh|hydroxy)|calcidiol/i], not: /1,25|1\.25|1-25|dihydroxy|calcitriol|binding/i }],
  },

  // ---- Urine (section 1, "Urine") ----
  {
    id: 'urinalysis', label: 'Urinalysis', group: 'urine', tier: 'core', kind: 'qualitative',
    windowMonths: WINDOW.urineDipstick, resultTypes: REPORTED,
    codes: [
      L('24356-8'), L('24357-6'), L('5803-2', { analyte: 'urine-ph' }), L('2756-5', { analyte: 'urine-ph' }), L('5811-5'),
      L('5794-3', { role: 'dipstick-blood' }), L('20454-5', { role: 'dipstick-protein' }), L('5804-0', { role: 'dipstick-protein' }),
      L('5799-2', { role: 'leukocyte-esterase' }), L('5802-4', { role: 'nitrite' }),
    ],
    text: [
      { all: [/\bnitrite\b/i], not: /serum|plasma|blood/i, role: 'nitrite' },
      { all: [/\b(leu[ck]ocyte esterase|leu[ck]ocytes? \(?esterase|\ble\b.*dipstick)/i], role: 'leukocyte-esterase' },
      { all: [/\burine\b|\bur\b|dipstick/i, /\b(blood|h(a)?emoglobin)\b/i], not: /microscop|culture|\brbc\b|red (blood )?cells|count/i, role: 'dipstick-blood' },
      { all: [/\burine\b|\bur\b|dipstick/i, /\bprotein\b/i], not: /24 ?h|24-hour|creat|ratio|\/|electrophoresis|microscop|culture/i, role: 'dipstick-protein' },
      { all: [/\b(urinalysis|urine dipstick|dipstick urine|urine analysis|\bua\b)/i], not: /microscop|culture|sediment/i },
    ],
  },
  {
    id: 'urine-microscopy', label: 'Urine microscopy', group: 'urine', tier: 'core', kind: 'qualitative',
    windowMonths: WINDOW.urineDipstick, resultTypes: REPORTED,
    codes: [
      L('24365-9'), L('13945-1', { role: 'micro-rbc' }), L('5821-4', { role: 'micro-wbc' }), L('5782-8', { role: 'micro-present' }),
      L('5774-5', { role: 'micro-present' }), L('5775-2', { role: 'micro-present' }), L('9842-6', { role: 'micro-present' }),
      L('25145-4', { role: 'micro-present' }),
    ],
    text: [
      { all: [/\burine\b|\bur\b/i, /\b(wbc|white (blood )?cells|leu[ck]ocytes)\b/i], not: /esterase|dipstick|culture/i, role: 'micro-wbc' },
      { all: [/\burine\b|\bur\b/i, /\b(rbc|red (blood )?cells|erythrocytes)\b/i], not: /dipstick|culture/i, role: 'micro-rbc' },
      { all: [/\burine\b|\bur\b/i, /\b(bacteria|crystals?|casts?)\b/i], not: /culture/i, role: 'micro-present' },
      { all: [/\burine\b/i, /microscop|sediment/i] },
    ],
  },
  {
    id: 'urine-culture', label: 'Urine culture', group: 'urine', tier: 'core', kind: 'qualitative',
    windowMonths: WINDOW.urineDipstick, resultTypes: REPORTED,
    codes: [L('630-4', { role: 'culture' }), L('19090-0', { role: 'culture' })],
    text: [{ all: [/\burine\b/i, /\bculture\b/i], not: /blood culture|sputum|wound|recommend/i, role: 'culture' }],
  },
  {
    id: 'urine-calcium-24h', label: 'Urine calcium (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-calcium-24h',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [L('6874-2'), L('14637-3')],
    text: [{ all: [/\bcalcium\b/i, /24 ?h|24-hour|24 hour|\/d(ay)?\b/i], not: /creat|ratio|serum|plasma|blood|oxalate|phosph/i }],
  },
  {
    id: 'urine-oxalate-24h', label: 'Urine oxalate (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-oxalate-24h',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [L('2701-1')],
    text: [{ all: [/\boxalate\b/i, /24 ?h|24-hour|24 hour/i], not: /creat|ratio|serum|plasma|calcium oxalate|crystal/i }],
  },
  {
    id: 'urine-citrate-24h', label: 'Urine citrate (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-citrate-24h',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [L('6687-8'), L('14650-6')],
    text: [{ all: [/\bcitrate\b/i, /24 ?h|24-hour|24 hour/i], not: /creat|ratio|serum|plasma|potassium citrate/i }],
  },
  {
    id: 'urine-protein', label: 'Urine protein (24-hour or PCR/ACR)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-protein-24h',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [
      L('2889-4'), L('21482-5'),
      L('2890-2', { analyte: 'u-pcr' }), L('34366-5', { analyte: 'u-pcr' }),
      L('9318-7', { analyte: 'u-acr' }), L('32294-1', { analyte: 'u-acr' }), L('14959-1', { analyte: 'u-acr' }), L('14585-4', { analyte: 'u-acr' }),
    ],
    text: [
      { all: [/\bprotein\b/i, /\/\s*creat|creatinine ratio|\bpcr\b|\bupcr\b/i], not: /albumin|serum|plasma/i, analyte: 'u-pcr' },
      { all: [/\b(albumin|microalbumin)\b/i, /\/\s*creat|creatinine ratio|\bacr\b|\buacr\b/i], not: /serum|plasma/i, analyte: 'u-acr' },
      { all: [/\bprotein\b/i, /24 ?h|24-hour|24 hour/i], not: /serum|plasma|creat/i, analyte: 'u-protein-24h' },
    ],
  },
  {
    id: 'urine-magnesium', label: 'Urine magnesium', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-magnesium-24h',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [L('24447-5'), L('2599-9'), L('19124-7', { analyte: 'u-magnesium-spot' }), L('2598-1', { analyte: 'u-magnesium-spot' })],
    text: [{ all: [/\bmagnesium\b/i, /24 ?h|24-hour|24 hour/i], not: /creat|ratio|serum|plasma|blood/i }],
  },
  {
    id: 'urine-calcium-creatinine', label: 'Urine calcium:creatinine ratio (spot)', group: 'urine', tier: 'conditional', kind: 'numeric',
    analyte: 'u-ca-cr',
    condition: 'children (under 18); in place of the 24-hour collection under 5 years',
    windowMonths: WINDOW.urineStudies, resultTypes: LAB,
    codes: [L('9321-1')],
    text: [{ all: [/\bcalcium\b/i, /\/\s*creat|creatinine ratio|ca\s*:\s*cr/i], not: /serum|plasma|blood|24 ?h/i }],
  },

  // ---- Imaging and other (section 1, "Imaging and other") ----
  {
    id: 'renal-ultrasound', label: 'Renal / abdominal ultrasound', group: 'imaging', tier: 'core', kind: 'qualitative',
    windowMonths: WINDOW.imaging, resultTypes: IMAGING,
    codes: [L('43774-9'), L('38036-0'), L('69402-6'), L('24531-6'), L('24558-9'), S('306005'), S('45036003')],
    text: [{ all: [/ultrasound|ultrasonograph|sonograph|\bus\b|\busg\b|\bsono\b|echograph/i, /kidney|renal|abdom|\bkub\b|urinary tract|retroperiton/i], not: /echocardio|doppler of (leg|lower)|transthoracic/i }],
  },
  {
    id: 'ct-abdomen', label: 'CT abdomen / kidneys', group: 'imaging', tier: 'conditional', kind: 'qualitative',
    condition: 'to characterise calcification (medullary vs cortical): when nephrocalcinosis is recorded or the ultrasound is abnormal',
    windowMonths: WINDOW.imaging, resultTypes: IMAGING,
    codes: [
      L('41806-1'), L('36424-0'), L('79103-8'), L('36267-3'), L('36503-1'), L('87866-0'), L('36952-0'),
      S('169070004'), S('32962002'), S('396101000119105'), S('16444991000119100'), S('16457501000119100'),
    ],
    text: [{ all: [/\bct\b|computed tomograph|\bcat scan|\bctu\b|ct urogra/i, /kidney|renal|abdom|\bkub\b|urogra|\bctu\b|retroperiton/i], not: /angiogra|\bcta\b/i }],
  },
  {
    id: 'abdominal-xray', label: 'Abdominal X-ray / KUB', group: 'imaging', tier: 'conditional', kind: 'qualitative',
    condition: 'when kidney stones are recorded',
    windowMonths: WINDOW.imaging, resultTypes: IMAGING,
    codes: [L('24799-9'), L('36550-2'), L('83015-8'), S('168702005')],
    text: [{ all: [/x-?ray|radiograph|\bxr\b|\bkub\b|plain film|\bdx\b|\bcr\b/i, /abdom|\bkub\b|kidney/i], not: /\bct\b|computed|ultrasound|\bus\b|chest|thora/i }],
  },
  {
    id: 'renal-biopsy', label: 'Renal biopsy', group: 'other', tier: 'conditional', kind: 'qualitative',
    condition: 'when nephrocalcinosis is recorded (or imaging is abnormal) and no cause has been identified',
    windowMonths: WINDOW.anyTime, resultTypes: PROCEDURE,
    codes: [S('48426002'), S('40134000'), S('274358005'), L('24772-6'), L('42279-0')],
    text: [{ all: [/biops/i, /kidney|renal|nephr/i], not: /bone marrow|liver|prostate|transplant donor/i }],
  },
  {
    id: 'genetic-testing', label: 'Genetic testing', group: 'other', tier: 'conditional', kind: 'qualitative',
    condition: 'patient under 18',
    windowMonths: WINDOW.anyTime, resultTypes: PROCEDURE,
    codes: [S('405824009'), S('405825005')],
    // A drug-metabolism (pharmacogenomic) panel is not the genetic testing the article means.
    text: [{ all: [/\b(genetic|genomic|gene panel|exome|genome|molecular genetic|ngs|mutation analysis)/i], not: /counsel|family history|risk assessment|pharmaco|\bpgx\b|drug metabol|cyp\d/i }],
  },
];

/** Auxiliary observations used by derived values (section 3), not items themselves. */
export const AUX_CODES: Record<string, Analyte> = {
  'loinc|8302-2': 'height', // body height (Schwartz eGFR, section 3)
  'loinc|29463-7': 'weight', // body weight (24-hour urine per kg, section 3)
  'loinc|3141-9': 'weight', // body weight measured (same property as 29463-7)
};

/** Panel orders (LOINC panel codes) and the catalog items each one covers: an order is pending for all. */
export const PANEL_ORDERS: Readonly<Record<string, readonly string[]>> = {
  // Basic metabolic panel - Blood
  'loinc|51990-0': ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium'],
  // Basic metabolic 2000 panel - Serum or Plasma
  'loinc|24321-2': ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium'],
  // Comprehensive metabolic 2000 panel - Serum or Plasma
  'loinc|24323-8': ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium', 'albumin'],
  // Renal function 2000 panel - Serum or Plasma
  'loinc|24362-6': ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium', 'albumin', 'phosphate'],
};

export const ITEM_BY_ID: ReadonlyMap<string, CatalogItem> = new Map(CATALOG.map((i) => [i.id, i]));

export interface CodeTarget {
  item: CatalogItem;
  analyte?: Analyte;
  role?: QualRole;
}

/** `system|code` (system alias "loinc"/"snomed") -> item. Built once. */
export const CODE_MAP: ReadonlyMap<string, CodeTarget> = (() => {
  const m = new Map<string, CodeTarget>();
  for (const item of CATALOG) {
    for (const c of item.codes) {
      const key = `${c.system}|${c.code}`;
      if (m.has(key)) throw new Error(`catalog: duplicate code ${key}`);
      m.set(key, { item, analyte: c.analyte ?? item.analyte, role: c.role });
    }
  }
  return m;
})();

export const SYSTEM_ALIASES: Record<string, 'loinc' | 'snomed'> = {
  'http://loinc.org': 'loinc',
  'urn:oid:2.16.840.1.113883.6.1': 'loinc',
  'http://snomed.info/sct': 'snomed',
  'urn:oid:2.16.840.1.113883.6.96': 'snomed',
};
