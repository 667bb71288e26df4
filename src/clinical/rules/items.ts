/**
 * The workup catalog (section 1 of ../shared/clinical-reference.md), as data: every investigation
 * the article recommends, its codes by system, the analyte its values are read as, its recency
 * window (section 5), when it applies, why the article recommends it, and text patterns for results
 * sent without a known code. The order is the panel's order.
 *
 * Codes marked `source: 'broader'` are a broader map from a public LOINC value set (the serum,
 * plasma or blood and venous, arterial, capillary variants), not listed in the reference.
 */
import type { AuxCodeDef, CodeDef, ItemDef, PanelDef, WindowName } from './types';

const L = (code: string, extra: Omit<CodeDef, 'system' | 'code'> = {}): CodeDef => ({ system: 'loinc', code, ...extra });
const S = (code: string, extra: Omit<CodeDef, 'system' | 'code'> = {}): CodeDef => ({ system: 'snomed', code, ...extra });
const BROADER = { source: 'broader' } as const;
// UK SNOMED CT observables (section 1b), read in NHS England example messages (PaLM) and UK GP lab
// reports (PBCL), none checked against the UK release: matched like any code, the text fallback
// kept beside them (a SNOMED CT code not listed here never stops it: values.ts).
const PALM = { source: 'palm' } as const;
const PBCL = { source: 'pbcl' } as const;

/** Section 5 recency windows ("product defaults, configurable"), in months; null = any time. */
export const WINDOWS: Record<WindowName, number | null> = {
  bloodChemistry: 6,
  endocrine: 12, // PTH, TSH, vitamin D
  urineDipstick: 3, // urinalysis, microscopy, culture
  urineStudies: 12, // 24-hour and spot urine studies
  imaging: 24,
  anyTime: null, // biopsy, genetic testing
};

export const ITEMS: ItemDef[] = [
  {
    id: 'calcium', label: 'Calcium (total)', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'calcium',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'To establish hypercalcaemia (with phosphate and albumin).', section: 'Investigations: blood tests',
    codes: [
      L('17861-6'), L('2000-8'), L('49765-1'), L('1996-8'),
      S('1000691000000101', PBCL),
    ],
    text: [
      { all: [String.raw`\bcalcium\b`], not: String.raw`ioni[sz]ed|\bfree\b|statin|leucovorin|folinate|adjust|correct|albumin|channel|score|oxalate|phosph|creat|\bca\s*\/|urine|urinary|24 ?h|ratio|excretion` },
    ],
  },
  {
    id: 'albumin', label: 'Albumin', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'albumin',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'To adjust calcium for albumin when establishing hypercalcaemia.', section: 'Investigations: blood tests',
    codes: [
      // 54347-0 is molar albumin: no conversion is defined, so it is uninterpretable unless reported in g/L
      L('1751-7'), L('61151-7'), L('61152-5'), L('54347-0'),
      S('1000821000000103', PBCL), S('1105861000000106', PALM),
    ],
    text: [
      { all: [String.raw`\balbumin\b`], not: String.raw`micro|globulin|creat|prealbumin|adjust|correct|calcium|urine|urinary|24 ?h|ratio` },
    ],
  },
  {
    id: 'adjusted-calcium', label: 'Adjusted calcium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'adjusted-calcium',
    window: 'bloodChemistry', resultTypes: ['Observation'], derive: 'payne',
    // section 3: no albumin adjustment under 1 year (total or ionised calcium is judged as it is)
    gap: { not: { ageUnder: 1 } },
    gapNote: 'not counted as a gap under 1 year: total (or ionised) calcium is judged as it is, without an albumin adjustment',
    why: 'Calcium adjusted for albumin: establishes hypercalcaemia.', section: 'Investigations: blood tests',
    codes: [
      L('29265-6'),
      S('935051000000108', PBCL), S('1107251000000104', PALM),
    ],
    text: [
      { all: [String.raw`\bcalcium\b`, String.raw`adjust|correct`], not: String.raw`\b(urine|urinary|ur|24 ?h|24-hour|ratio|clearance|excretion|fraction)\b|\/\s*creat` },
    ],
  },
  {
    id: 'phosphate', label: 'Phosphate', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'phosphate',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'With calcium and albumin, to establish hypercalcaemia (phosphate is low in primary hyperparathyroidism).', section: 'Investigations: blood tests',
    codes: [
      L('2777-1'), L('14879-1'),
      S('1000701000000101', PBCL),
    ],
    text: [
      { all: [String.raw`\b(phosphate|phosphorus)\b`], not: String.raw`alkaline|phosphatase|pyridox|urine|urinary|24 ?h|ratio|excretion|clearance|tubular` },
    ],
  },
  {
    id: 'sodium', label: 'Sodium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'sodium',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Serum electrolytes: part of the assessment of tubular function.', section: 'Investigations: blood tests',
    codes: [
      L('2951-2'), L('2947-0'), L('77139-4', BROADER), L('39791-9', BROADER), L('39792-7', BROADER),
      L('32717-1', BROADER), L('41657-8', BROADER),
      S('1000661000000107', PBCL), S('1107871000000107', PALM),
    ],
    text: [
      { all: [String.raw`\bsodium\b`], not: String.raw`bicarbonate|chloride|naproxen|urine|urinary|24 ?h|ratio|excretion|fraction|clearance` },
    ],
  },
  {
    id: 'potassium', label: 'Potassium', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'potassium',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Serum electrolytes: chronic hypokalaemia lowers urinary citrate.', section: 'Investigations: blood tests',
    codes: [
      L('2823-3'), L('6298-4'), L('77142-8', BROADER), L('39789-3', BROADER), L('39790-1', BROADER),
      L('32713-0', BROADER), L('41656-0', BROADER),
      S('1000651000000109', PBCL), S('1107761000000109', PALM), S('1107751000000106', PALM),
    ],
    text: [
      { all: [String.raw`\bpotassium\b`], not: String.raw`chloride supp|citrate|urine|urinary|24 ?h|ratio|excretion|fraction|clearance` },
    ],
  },
  {
    id: 'chloride', label: 'Chloride', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'chloride',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Serum electrolytes: a hyperchloraemic acidosis points to distal renal tubular acidosis.', section: 'Investigations: blood tests',
    codes: [
      L('2075-0'), L('2069-3'),
      S('1106511000000102', PALM),
    ],
    text: [
      { all: [String.raw`\bchloride\b`], not: String.raw`sodium chloride|potassium chloride|sweat|urine|urinary|24 ?h|ratio|excretion` },
    ],
  },
  {
    id: 'bicarbonate', label: 'Bicarbonate', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'bicarbonate',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Serum electrolytes: metabolic acidosis points to distal renal tubular acidosis.', section: 'Investigations: blood tests',
    codes: [
      L('1963-8'), L('2028-9'), L('20565-8'), L('1959-6'), L('14627-4'), L('1960-4'),
      S('1000681000000103', PBCL),
    ],
    text: [
      { all: [String.raw`\b(bicarbonate|hco3|carbon dioxide|co2|tco2)\b`], not: String.raw`partial|pco2|\bp\s?co2|urine|urinary|24 ?h|ratio|excretion` },
    ],
  },
  {
    id: 'urea', label: 'Urea / BUN', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'urea',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Assessment of renal function.', section: 'Investigations: blood tests',
    codes: [
      L('22664-7'), L('3091-6'), L('3094-0', { analyte: 'bun' }), L('6299-2', { analyte: 'bun' }),
      L('14937-7', { analyte: 'bun' }), L('59570-2', { analyte: 'bun', ...BROADER }),
      L('35234-4', { analyte: 'bun', ...BROADER }), L('12961-9', { analyte: 'bun', ...BROADER }),
      L('12962-7', { analyte: 'bun', ...BROADER }), L('12963-5', { analyte: 'bun', ...BROADER }),
      S('1000951000000103', PBCL), S('1110281000000107', PALM),
    ],
    text: [
      { all: [String.raw`\b(bun|urea nitrogen|blood urea nitrogen)\b`], not: String.raw`ratio|\/\s*creat|urine|urinary|24 ?h|excretion|clearance`, analyte: 'bun' },
      { all: [String.raw`\burea\b`], not: String.raw`nitrogen|ratio|\/\s*creat|urine|urinary|24 ?h|excretion|clearance|breath`, analyte: 'urea' },
    ],
  },
  {
    id: 'creatinine', label: 'Creatinine', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'creatinine',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Assessment of renal function.', section: 'Investigations: blood tests',
    codes: [
      L('2160-0'), L('14682-9'), L('38483-4'), L('59826-8'), L('77140-2', BROADER),
      S('1000731000000107', PBCL), S('1107001000000108', PALM),
    ],
    text: [
      // not "eGFR using creatinine (CKD-EPI)", the UK eGFR's display (section 1b)
      { all: [String.raw`\bcreatinine\b`], not: String.raw`kinase|clearance|ratio|\/|urine|urinary|24 ?h|excretion|albumin|protein|calcium|\be?gfr\b|glomerular` },
    ],
  },
  {
    id: 'egfr', label: 'eGFR', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'egfr',
    window: 'bloodChemistry', resultTypes: ['Observation'], derive: 'egfr',
    why: 'Assessment of renal function: nephrocalcinosis can lead to chronic kidney disease.', section: 'Investigations: blood tests',
    codes: [
      L('98979-8'), L('98980-6'), L('62238-1'), L('33914-3'), L('77147-7'), L('48642-3'), L('48643-1'),
      L('88293-6'), L('88294-4'), L('69405-9'), L('50210-4'), L('50384-7'),
      S('1020291000000106', PBCL), S('1011481000000105', PALM), // MDRD (PBCL), CKD-EPI (PaLM)
    ],
    text: [
      // "GFR calculated by abbreviated MDRD", "GFR (CKD-EPI)": the UK displays (section 1b).
      { all: [String.raw`\b(egfr|estimated gfr|estimated glomerular|glomerular filtration rate|gfr\b.*\b(calculated|mdrd|ckd-?epi))\b`], not: String.raw`cockcroft|clearance|measured|iohexol|inulin` },
    ],
  },
  {
    id: 'pth', label: 'Parathyroid hormone (intact)', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'pth',
    window: 'endocrine', resultTypes: ['Observation'],
    why: 'Parathyroid hormone: primary hyperparathyroidism is the commonest associated cause.', section: 'Investigations: blood tests',
    codes: [
      L('2731-8'), L('14866-8'),
      S('997221000000109', PBCL), S('1013021000000104', PBCL), // serum, plasma
    ],
    text: [
      { all: [String.raw`\b(pth|parathyroid hormone|parathormone)\b`], not: String.raw`related|pthrp|\brp\b|antibod|fragment|n-term|c-term` },
    ],
  },
  {
    id: 'tsh', label: 'TSH', group: 'blood', tier: 'core', kind: 'numeric', analyte: 'tsh',
    window: 'endocrine', resultTypes: ['Observation'],
    why: 'TSH: hypothyroidism is among the causes of hypercalciuria.', section: 'Investigations: blood tests',
    codes: [
      L('3016-3'), L('11580-8'),
      S('1022791000000101', PBCL), S('1027151000000105', PBCL),
    ],
    text: [
      { all: [String.raw`\b(tsh|thyroid stimulating hormone|thyrotropin)\b`], not: String.raw`receptor|antibod|\btrab\b|releasing|\btrh\b|index` },
    ],
  },
  {
    id: 'magnesium', label: 'Magnesium', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'magnesium',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Serum magnesium: hypomagnesaemia and magnesium-losing nephropathy.', section: 'Investigations: urine (urinary magnesium); reference section 1',
    applies: { any: [{ item: 'potassium', is: 'low' }, { condition: 'hypokalaemia' }, { condition: 'hypomagnesaemia' }, { condition: 'primary-hypomagnesaemia' }, { condition: 'bartter-syndrome' }, { medicine: 'loop-diuretic' }] },
    codes: [
      L('19123-9'), L('2601-3'),
      S('1001091000000103', PBCL),
    ],
    text: [
      { all: [String.raw`\bmagnesium\b`], not: String.raw`urine|urinary|24 ?h|ratio|excretion|fraction|sulfate|sulphate|oxide|\brbc\b|red cell|erythrocyte` },
    ],
  },
  {
    id: 'ionised-calcium', label: 'Ionised calcium', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'ionised-calcium',
    window: 'bloodChemistry', resultTypes: ['Observation'],
    why: 'Ionised calcium: when the albumin adjustment is unreliable.', section: 'Reference section 1 (supporting)',
    applies: { any: [{ item: 'calcium', is: 'abnormal' }, { item: 'adjusted-calcium', is: 'abnormal' }, { item: 'albumin', is: 'abnormal' }] },
    // section 5: shown when present, never counted as missing
    gap: false,
    gapNote: 'not counted as a gap: NICE NG132 (2019) advises against measuring ionised calcium routinely when testing for primary hyperparathyroidism',
    codes: [
      L('1995-0'), L('1994-3'), L('17863-2'), L('47598-8'),
    ],
    text: [
      { all: [String.raw`\bcalcium\b`, String.raw`ioni[sz]ed|\bfree\b`], not: String.raw`urine|urinary|24 ?h|ratio|corrected to ph 7\.?4? ?only` },
    ],
  },
  {
    id: 'vitamin-d', label: '25-OH vitamin D', group: 'blood', tier: 'conditional', kind: 'numeric', analyte: 'vitamin-d',
    window: 'endocrine', resultTypes: ['Observation'],
    why: '25-OH vitamin D: vitamin D excess causes hypercalcaemia.', section: 'Aetiology: hypercalcaemia; reference section 1',
    applies: { any: [{ finding: 'hypercalcaemia' }, { item: 'calcium', is: 'high' }, { item: 'adjusted-calcium', is: 'high' }, { medicine: 'vitamin-d-treatment' }, { condition: 'hypervitaminosis-d' }] },
    codes: [
      L('62292-8'), L('35365-6'), L('1989-3'), L('14635-7'),
      S('1001211000000100', PBCL), S('1029801000000105', PBCL), S('1007991000000105', PBCL), // 25-OH D3 first
    ],
    text: [
      { all: [String.raw`\bvitamin d|\b25.?(oh|hydroxy)|calcidiol`], not: String.raw`1,25|1\.25|1-25|dihydroxy|calcitriol|binding` },
    ],
  },
  {
    id: 'urinalysis', label: 'Urinalysis', group: 'urine', tier: 'core', kind: 'qualitative',
    window: 'urineDipstick', resultTypes: ['Observation','DiagnosticReport'],
    why: 'Urinalysis with microscopy and culture: evidence of urinary tract infection.', section: 'Investigations: urine',
    codes: [
      L('24356-8'), L('24357-6'), L('5803-2', { analyte: 'urine-ph' }), L('2756-5', { analyte: 'urine-ph' }),
      L('5811-5'), L('5794-3', { role: 'dipstick-blood' }), L('20454-5', { role: 'dipstick-protein' }),
      L('5804-0', { role: 'dipstick-protein' }), L('5799-2', { role: 'leukocyte-esterase' }),
      L('5802-4', { role: 'nitrite' }),
    ],
    text: [
      { all: [String.raw`\bnitrite\b`], not: String.raw`serum|plasma|blood`, role: 'nitrite' },
      { all: [String.raw`\b(leu[ck]ocyte esterase|leu[ck]ocytes? \(?esterase|\ble\b.*dipstick)`], role: 'leukocyte-esterase' },
      { all: [String.raw`\burine\b|\bur\b|dipstick`, String.raw`\b(blood|h(a)?emoglobin)\b`], not: String.raw`microscop|culture|\brbc\b|red (blood )?cells|count`, role: 'dipstick-blood' },
      { all: [String.raw`\burine\b|\bur\b|dipstick`, String.raw`\bprotein\b`], not: String.raw`24 ?h|24-hour|creat|ratio|\/|electrophoresis|microscop|culture`, role: 'dipstick-protein' },
      { all: [String.raw`\b(urinalysis|urine dipstick|dipstick urine|urine analysis|\bua\b)`], not: String.raw`microscop|culture|sediment` },
    ],
  },
  {
    id: 'urine-microscopy', label: 'Urine microscopy', group: 'urine', tier: 'core', kind: 'qualitative',
    window: 'urineDipstick', resultTypes: ['Observation','DiagnosticReport'],
    why: 'Urinalysis with microscopy and culture: evidence of urinary tract infection.', section: 'Investigations: urine',
    codes: [
      L('24365-9'), L('13945-1', { role: 'micro-rbc' }), L('5821-4', { role: 'micro-wbc' }),
      L('5782-8', { role: 'micro-present' }), L('5774-5', { role: 'micro-present' }),
      L('5775-2', { role: 'micro-present' }), L('9842-6', { role: 'micro-present' }),
      L('25145-4', { role: 'micro-present' }),
    ],
    text: [
      { all: [String.raw`\burine\b|\bur\b`, String.raw`\b(wbc|white (blood )?cells|leu[ck]ocytes)\b`], not: String.raw`esterase|dipstick|culture`, role: 'micro-wbc' },
      { all: [String.raw`\burine\b|\bur\b`, String.raw`\b(rbc|red (blood )?cells|erythrocytes)\b`], not: String.raw`dipstick|culture`, role: 'micro-rbc' },
      { all: [String.raw`\burine\b|\bur\b`, String.raw`\b(bacteria|crystals?|casts?)\b`], not: String.raw`culture`, role: 'micro-present' },
      { all: [String.raw`\burine\b`, String.raw`microscop|sediment`] },
    ],
  },
  {
    id: 'urine-culture', label: 'Urine culture', group: 'urine', tier: 'core', kind: 'qualitative',
    window: 'urineDipstick', resultTypes: ['Observation','DiagnosticReport'],
    why: 'Urinalysis with microscopy and culture: evidence of urinary tract infection.', section: 'Investigations: urine',
    codes: [
      L('630-4', { role: 'culture' }), L('19090-0', { role: 'culture' }),
    ],
    text: [
      { all: [String.raw`\burine\b`, String.raw`\bculture\b`], not: String.raw`blood culture|sputum|wound|recommend`, role: 'culture' },
    ],
  },
  {
    id: 'urine-calcium-24h', label: 'Urine calcium (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-calcium-24h',
    window: 'endocrine', resultTypes: ['Observation'],
    why: '24-hour urinary calcium: assessment of hypercalciuria.', section: 'Investigations: urine',
    codes: [
      L('6874-2'), L('14637-3'),
    ],
    text: [
      { all: [String.raw`\bcalcium\b`, String.raw`24 ?h|24-hour|24 hour|\/d(ay)?\b`], not: String.raw`creat|ratio|serum|plasma|blood|oxalate|phosph` },
    ],
  },
  {
    id: 'urine-oxalate-24h', label: 'Urine oxalate (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-oxalate-24h',
    window: 'endocrine', resultTypes: ['Observation'],
    why: '24-hour urinary oxalate: hyperoxaluria.', section: 'Investigations: urine',
    codes: [
      L('2701-1'),
    ],
    text: [
      { all: [String.raw`\boxalate\b`, String.raw`24 ?h|24-hour|24 hour`], not: String.raw`creat|ratio|serum|plasma|calcium oxalate|crystal` },
    ],
  },
  {
    id: 'urine-citrate-24h', label: 'Urine citrate (24-hour)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-citrate-24h',
    window: 'endocrine', resultTypes: ['Observation'],
    why: '24-hour urinary citrate: low citrate lets calcium salts come out of solution.', section: 'Investigations: urine',
    codes: [
      L('6687-8'), L('14650-6'),
    ],
    text: [
      { all: [String.raw`\bcitrate\b`, String.raw`24 ?h|24-hour|24 hour`], not: String.raw`creat|ratio|serum|plasma|potassium citrate` },
    ],
  },
  {
    id: 'urine-protein', label: 'Urine protein (24-hour or PCR/ACR)', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-protein-24h',
    window: 'endocrine', resultTypes: ['Observation'],
    why: 'Urinary protein: possible nephrotic syndrome.', section: 'Investigations: urine',
    codes: [
      L('2889-4'), L('21482-5'), L('2890-2', { analyte: 'u-pcr' }), L('34366-5', { analyte: 'u-pcr' }),
      L('9318-7', { analyte: 'u-acr' }), L('32294-1', { analyte: 'u-acr' }),
      L('14959-1', { analyte: 'u-acr' }), L('14585-4', { analyte: 'u-acr' }),
      S('1023491000000104', { analyte: 'u-acr', ...PBCL }), S('1028731000000100', { analyte: 'u-pcr', ...PBCL }),
    ],
    text: [
      { all: [String.raw`\bprotein\b`, String.raw`\/\s*creat|creatinine ratio|\bpcr\b|\bupcr\b`], not: String.raw`albumin|serum|plasma`, analyte: 'u-pcr' },
      { all: [String.raw`\b(albumin|microalbumin)\b`, String.raw`\/\s*creat|creatinine ratio|\bacr\b|\buacr\b`], not: String.raw`serum|plasma`, analyte: 'u-acr' },
      { all: [String.raw`\bprotein\b`, String.raw`24 ?h|24-hour|24 hour`], not: String.raw`serum|plasma|creat`, analyte: 'u-protein-24h' },
    ],
  },
  {
    id: 'urine-magnesium', label: 'Urine magnesium', group: 'urine', tier: 'core', kind: 'numeric', analyte: 'u-magnesium-24h',
    window: 'endocrine', resultTypes: ['Observation'],
    why: 'Urinary magnesium: magnesium-losing nephropathy.', section: 'Investigations: urine',
    codes: [
      L('24447-5'), L('2599-9'), L('19124-7', { analyte: 'u-magnesium-spot' }),
      L('2598-1', { analyte: 'u-magnesium-spot' }),
    ],
    text: [
      { all: [String.raw`\bmagnesium\b`, String.raw`24 ?h|24-hour|24 hour`], not: String.raw`creat|ratio|serum|plasma|blood` },
    ],
  },
  {
    id: 'urine-calcium-creatinine', label: 'Urine calcium:creatinine ratio (spot)', group: 'urine', tier: 'conditional', kind: 'numeric', analyte: 'u-ca-cr',
    window: 'endocrine', resultTypes: ['Observation'],
    why: 'Spot calcium:creatinine ratio: hypercalciuria in a child when a 24-hour collection is impractical.', section: 'Reference section 1',
    applies: { ageUnder: 18 },
    standsFor: { item: 'urine-calcium-24h', ageUnder: 5, words: 'spot calcium:creatinine ratio, accepted in place of the 24-hour collection under 5 years' },
    codes: [
      L('9321-1'),
    ],
    text: [
      { all: [String.raw`\bcalcium\b`, String.raw`\/\s*creat|creatinine ratio|ca\s*:\s*cr`], not: String.raw`serum|plasma|blood|24 ?h` },
    ],
  },
  {
    id: 'renal-ultrasound', label: 'Renal / abdominal ultrasound', group: 'imaging', tier: 'core', kind: 'qualitative',
    window: 'imaging', resultTypes: ['DiagnosticReport','ImagingStudy','Procedure'],
    why: 'Ultrasound: more sensitive than plain radiography for nephrocalcinosis.', section: 'Investigations: imaging',
    codes: [
      L('43774-9'), L('38036-0'), L('69402-6'), L('24531-6'), L('24558-9'), S('306005'), S('45036003'),
    ],
    text: [
      { all: [String.raw`ultrasound|ultrasonograph|sonograph|\bus\b|\busg\b|\bsono\b|echograph`, String.raw`kidney|renal|abdom|\bkub\b|urinary tract|retroperiton`], not: String.raw`echocardio|doppler of (leg|lower)|transthoracic` },
    ],
  },
  {
    id: 'ct-abdomen', label: 'CT abdomen / kidneys', group: 'imaging', tier: 'conditional', kind: 'qualitative',
    window: 'imaging', resultTypes: ['DiagnosticReport','ImagingStudy','Procedure'],
    why: 'CT: detects calcification and tells medullary from cortical deposition.', section: 'Investigations: imaging',
    applies: { any: [{ condition: 'nephrocalcinosis' }, { item: 'renal-ultrasound', is: 'abnormal' }] },
    // section 5: under 18, ultrasound first; CT only when ultrasound is inconclusive (EAU/ESPU)
    gap: { not: { ageUnder: 18 } },
    gapNote: 'not counted as a gap under 18: ultrasound first in children, CT only when ultrasound is inconclusive (EAU/ESPU paediatric urology guidance)',
    codes: [
      L('41806-1'), L('36424-0'), L('79103-8'), L('36267-3'), L('36503-1'), L('87866-0'), L('36952-0'),
      S('169070004'), S('32962002'), S('396101000119105'), S('16444991000119100'), S('16457501000119100'),
    ],
    text: [
      { all: [String.raw`\bct\b|computed tomograph|\bcat scan|\bctu\b|ct urogra`, String.raw`kidney|renal|abdom|\bkub\b|urogra|\bctu\b|retroperiton`], not: String.raw`angiogra|\bcta\b` },
    ],
  },
  {
    id: 'abdominal-xray', label: 'Abdominal X-ray / KUB', group: 'imaging', tier: 'conditional', kind: 'qualitative',
    window: 'imaging', resultTypes: ['DiagnosticReport','ImagingStudy','Procedure'],
    why: 'Abdominal X-ray: nephrocalcinosis and urinary stones.', section: 'Investigations: imaging',
    applies: { condition: 'kidney-stones' },
    codes: [
      L('24799-9'), L('36550-2'), L('83015-8'), S('168702005'),
    ],
    text: [
      { all: [String.raw`x-?ray|radiograph|\bxr\b|\bkub\b|plain film|\bdx\b|\bcr\b`, String.raw`abdom|\bkub\b|kidney`], not: String.raw`\bct\b|computed|ultrasound|\bus\b|chest|thora` },
    ],
  },
  {
    id: 'renal-biopsy', label: 'Renal biopsy', group: 'other', tier: 'conditional', kind: 'qualitative',
    window: 'anyTime', resultTypes: ['Procedure','DiagnosticReport','Observation'],
    why: 'Renal biopsy: may be required to find the underlying cause.', section: 'Renal biopsy',
    applies: { all: [{ fact: 'nephrocalcinosis-known' }, { not: { fact: 'cause-known' } }] },
    codes: [
      S('48426002'), S('40134000'), S('274358005'), L('24772-6'), L('42279-0'),
    ],
    text: [
      { all: [String.raw`biops`, String.raw`kidney|renal|nephr`], not: String.raw`bone marrow|liver|prostate|transplant donor` },
    ],
  },
  {
    id: 'genetic-testing', label: 'Genetic testing', group: 'other', tier: 'conditional', kind: 'qualitative',
    window: 'anyTime', resultTypes: ['Procedure','DiagnosticReport','Observation'],
    why: 'Genetic testing: increasingly relevant when nephrocalcinosis presents in a child.', section: 'Genetic testing',
    applies: { ageUnder: 18 },
    codes: [
      S('405824009'), S('405825005'),
    ],
    // A drug-metabolism (pharmacogenomic) panel is not the genetic testing the article means.
    text: [
      { all: [String.raw`\b(genetic|genomic|gene panel|exome|genome|molecular genetic|ngs|mutation analysis)`], not: String.raw`counsel|family history|risk assessment|pharmaco|\bpgx\b|drug metabol|cyp\d` },
    ],
  },];

/** Auxiliary observations used by derived values (section 3), not items themselves. */
export const AUX: AuxCodeDef[] = [
  { system: 'loinc', code: '8302-2', analyte: 'height' }, // body height (Schwartz eGFR)
  { system: 'loinc', code: '29463-7', analyte: 'weight' }, // body weight (24-hour urine per kg)
  { system: 'loinc', code: '3141-9', analyte: 'weight' }, // body weight measured (same property)
  { system: 'loinc', code: '82810-3', analyte: 'pregnancy-status' }, // pregnancy status (section 5)
];

/**
 * Panels (section 1c): an order or a registered report under one of these codes is pending for each
 * item; their Observations may carry the analytes only as components, so the app searches these
 * codes too (src/app/codes.ts).
 */
export const PANELS: PanelDef[] = [
  { system: 'loinc', code: '51990-0', label: 'Basic metabolic panel - Blood', items: ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium'] },
  { system: 'loinc', code: '24321-2', label: 'Basic metabolic 2000 panel - Serum or Plasma', items: ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium'] },
  { system: 'loinc', code: '24323-8', label: 'Comprehensive metabolic 2000 panel - Serum or Plasma', items: ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium', 'albumin'] },
  { system: 'loinc', code: '24362-6', label: 'Renal function 2000 panel - Serum or Plasma', items: ['sodium', 'potassium', 'chloride', 'bicarbonate', 'urea', 'creatinine', 'calcium', 'albumin', 'phosphate'] },
  { system: 'loinc', code: '24326-1', label: 'Electrolytes 1998 panel - Serum or Plasma', items: ['sodium', 'potassium', 'chloride', 'bicarbonate'] },
  { system: 'loinc', code: '55231-5', label: 'Electrolytes panel - Blood', items: ['sodium', 'potassium', 'chloride', 'bicarbonate'] },
  // 24356-8 and 24357-6 are urinalysis codes of the item itself.
  { system: 'loinc', code: '50556-0', label: 'Urinalysis dipstick panel - Urine by Automated test strip', items: ['urinalysis'] },
];
