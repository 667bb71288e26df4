/**
 * Risk factors and treatment context from the record (section 8 of the clinical reference), as
 * data. Conditions by SNOMED CT, ICD-10 / ICD-10-CM (by prefix, or exactly where a prefix would take
 * in another disorder) and text; medicines by RxNorm ingredient, ATC prefix and ingredient or brand
 * names in the display (product-level codes such as "Furosemide 40 MG Oral Tablet"). SNOMED codes
 * the reference marks unverified are matched with the text pattern as well.
 */
import type { ConditionDef, MedicationDef, PregnancyDef } from './types';

export const CONDITIONS: ConditionDef[] = [
  { id: 'nephrocalcinosis', name: 'nephrocalcinosis', text: 'Nephrocalcinosis recorded', icdExact: ['N298', 'E8359'], pattern: String.raw`nephrocalcinosis`, section: '8' },
  { id: 'primary-hyperparathyroidism', name: 'primary hyperparathyroidism', text: 'Primary hyperparathyroidism: the commonest associated cause', snomed: ['36348003'], icd: ['E210'], pattern: String.raw`primary hyperparathyroidism`, section: '8' },
  // E21.3, hyperparathyroidism unspecified: shown as hyperparathyroidism, never as primary; a text
  // naming the type (primary, secondary, tertiary) is not this one
  { id: 'hyperparathyroidism', name: 'hyperparathyroidism', text: 'Hyperparathyroidism (type not stated)', icdExact: ['E213'], pattern: String.raw`^(?!.*\b(primary|secondary|tertiary|renal)\b).*\bhyperparathyroidism\b`, section: '8' },
  { id: 'distal-rta', name: 'distal renal tubular acidosis', text: 'Distal (type 1) renal tubular acidosis', snomed: ['236461000'], pattern: String.raw`distal renal tubular acidosis|type 1 renal tubular acidosis|renal tubular acidosis,? (type 1|distal)`, section: '8' },
  // ICD-10-CM N25.81 is secondary hyperparathyroidism of renal origin: N25.8 (WHO) and N25.89 (CM) only
  { id: 'renal-tubular-acidosis', name: 'renal tubular acidosis', text: 'Renal tubular acidosis', snomed: ['1776003'], icdExact: ['N258', 'N2589'], pattern: String.raw`renal tubular acidosis`, section: '8' },
  { id: 'medullary-sponge-kidney', name: 'medullary sponge kidney', text: 'Medullary sponge kidney', snomed: ['236443009'], icd: ['Q615'], pattern: String.raw`medullary sponge kidney`, section: '8' },
  { id: 'premature-birth', name: 'premature birth', text: 'Premature birth (with furosemide, a classic cause in infants)', snomed: ['367494004'], icd: ['P07'], pattern: String.raw`\b(premature|preterm) (birth|infant|baby|neonate)|prematurity`, section: '8' },
  // E83.3 (WHO, as in the reference); ICD-10-CM E83.31 familial hypophosphataemia (E83.32 is vitamin D-dependent rickets)
  { id: 'x-linked-hypophosphataemia', name: 'X-linked hypophosphataemia', text: 'X-linked hypophosphataemia (phosphate and vitamin D treatment)', snomed: ['82236004'], icdExact: ['E833', 'E8331'], pattern: String.raw`x-linked hypophosphat`, section: '8' },
  { id: 'sarcoidosis', name: 'sarcoidosis', text: 'Sarcoidosis (vitamin D-mediated hypercalcaemia)', snomed: ['31541009', '37061001'], icd: ['D86'], pattern: String.raw`sarcoid`, section: '8' },
  { id: 'tuberculosis', name: 'tuberculosis', text: 'Tuberculosis (granulomatous hypercalcaemia; renal TB)', snomed: ['56717001', '44323002'], icd: ['A15', 'A16', 'A17', 'A18', 'A19'], pattern: String.raw`tuberculosis`, section: '8' },
  { id: 'hypervitaminosis-d', name: 'hypervitaminosis D', text: 'Hypervitaminosis D', icd: ['E673'], pattern: String.raw`hypervitaminosis d|vitamin d (toxicity|excess|intoxication)`, section: '8' },
  { id: 'primary-hypomagnesaemia', name: 'primary hypomagnesaemia', text: 'Primary hypomagnesaemia (familial hypomagnesaemia with hypercalciuria)', snomed: ['80710001'], pattern: String.raw`(primary|familial) hypomagnes(a)?emia`, section: '8' },
  // E83.42 is hypomagnesaemia of any cause: never labelled primary
  { id: 'hypomagnesaemia', name: 'hypomagnesaemia', text: 'Hypomagnesaemia', icd: ['E8342'], pattern: String.raw`hypomagnes(a)?emia`, section: '8' },
  // E26.8 (WHO); ICD-10-CM E26.81 is Bartter syndrome (E26.89 other hyperaldosteronism)
  { id: 'bartter-syndrome', name: 'Bartter syndrome', text: 'Bartter syndrome', snomed: ['707742001'], icdExact: ['E268', 'E2681'], pattern: String.raw`bartter`, section: '8' },
  // E74.0 (WHO); ICD-10-CM E74.01 is von Gierke disease (E74.02 Pompe, E74.04 McArdle are other types)
  { id: 'glycogen-storage-disease-1', name: 'glycogen storage disease type 1', text: 'Glycogen storage disease type 1', icdExact: ['E740', 'E7401'], pattern: String.raw`glycogen storage disease,? type (1|i)\b|von gierke`, section: '8' },
  { id: 'immobility', name: 'immobility', text: 'Immobility (hypercalciuria)', icd: ['Z740'], pattern: String.raw`immobil`, section: '8' },
  { id: 'lowe-syndrome', name: 'Lowe syndrome', text: 'Lowe syndrome', snomed: ['79385002'], icdExact: ['E7203'], pattern: String.raw`\blowe syndrome|oculocerebrorenal`, section: '8' },
  { id: 'primary-hyperoxaluria', name: 'primary hyperoxaluria', text: 'Primary hyperoxaluria', snomed: ['17901006', '65520001', '40951006', '734990008'], pattern: String.raw`primary hyperoxaluria|oxalosis`, section: '8' },
  { id: 'enteric-hyperoxaluria', name: 'enteric hyperoxaluria', text: 'Enteric (secondary) hyperoxaluria', snomed: ['37497004'], pattern: String.raw`(enteric|secondary) hyperoxaluria`, section: '8' },
  // E72.53 and its subcodes: primary or unspecified, never labelled enteric (the recorded text follows the label)
  { id: 'hyperoxaluria', name: 'hyperoxaluria', text: 'Hyperoxaluria', icd: ['E7253'], pattern: String.raw`hyperoxaluria`, section: '8' },
  { id: 'cushing-syndrome', name: "Cushing's syndrome", text: "Cushing's syndrome", snomed: ['47270006'], icd: ['E24'], pattern: String.raw`cushing`, section: '8' },
  { id: 'hypothyroidism', name: 'hypothyroidism', text: 'Hypothyroidism', snomed: ['40930008'], icd: ['E03'], pattern: String.raw`hypothyroidism`, section: '8' },
  { id: 'dent-disease', name: 'Dent disease', text: 'Dent disease', snomed: ['444645005'], pattern: String.raw`\bdent('s)? disease`, section: '8' },
  { id: 'hypokalaemia', name: 'hypokalaemia', text: 'Hypokalaemia (lowers urinary citrate)', snomed: ['43339004'], icd: ['E876'], pattern: String.raw`hypokal(a)?emia`, section: '8' },
  { id: 'primary-hyperaldosteronism', name: 'primary hyperaldosteronism', text: 'Primary hyperaldosteronism (chronic hypokalaemia lowers urinary citrate)', icd: ['E260'], pattern: String.raw`primary (hyper)?aldosteronism|conn('s)? syndrome`, section: '8' },
  { id: 'williams-syndrome', name: 'Williams syndrome', text: 'Williams syndrome (infantile hypercalcaemia)', snomed: ['63247009'], icdExact: ['Q938', 'Q9382'], pattern: String.raw`williams(-beuren)? syndrome`, section: '8' },
  // ICD-10 E72.0 (WHO, amino-acid transport disorders) covers Fanconi and Lowe syndromes: shown as
  // Fanconi syndrome unless coded E72.03 (ICD-10-CM Lowe) or named Lowe in the text; ICD-10-CM
  // E72.01 (cystinuria) and E72.02 (Hartnup) are not matched.
  { id: 'fanconi-syndrome', name: 'Fanconi syndrome', text: 'Fanconi syndrome', snomed: ['236466005'], icdExact: ['E720', 'E7209'], pattern: String.raw`fanconi syndrome|renal fanconi`, section: '8' },
  { id: 'glomerulonephritis', name: 'glomerulonephritis', text: 'Glomerulonephritis', snomed: ['36171008'], icd: ['N03'], pattern: String.raw`glomerulonephritis`, section: '8' },
  { id: 'acute-cortical-necrosis', name: 'acute cortical necrosis', text: 'Acute cortical necrosis (cortical nephrocalcinosis)', snomed: ['444794000'], icd: ['N171'], pattern: String.raw`cortical necrosis`, section: '8' },
  { id: 'haemolytic-uraemic-syndrome', name: 'haemolytic uraemic syndrome', text: 'Haemolytic uraemic syndrome', snomed: ['111407006'], icd: ['D593'], pattern: String.raw`h(a)?emolytic ur(a)?emic`, section: '8' },
  { id: 'infantile-polycystic-kidney', name: 'infantile polycystic kidney disease', text: 'Infantile (autosomal recessive) polycystic kidney disease', snomed: ['28770003'], icd: ['Q611'], pattern: String.raw`infantile polycystic|autosomal recessive polycystic`, section: '8' },
  // T86.1 (WHO: kidney transplant failure and rejection); ICD-10-CM T86.11 is the rejection
  { id: 'renal-transplant-rejection', name: 'renal transplant rejection', text: 'Renal transplant rejection', snomed: ['236570004'], icdExact: ['T861', 'T8611'], pattern: String.raw`(kidney|renal) transplant rejection|rejection of (kidney|renal) transplant`, section: '8' },
  { id: 'idiopathic-hypercalciuria', name: 'hypercalciuria', text: 'Hypercalciuria (idiopathic hypercalciuria is named by the article)', icdExact: ['R82994'], pattern: String.raw`hypercalciuria`, section: '8' },
  { id: 'hyperphosphatasia', name: 'hyperphosphatasia', text: 'Hyperphosphatasia', pattern: String.raw`hyperphosphatasia`, section: '8' },
  // E75.5 (other lipid storage disorders) holds cerebrotendinous xanthomatosis (cholesterosis)
  { id: 'cerebrotendinous-xanthomatosis', name: 'cerebrotendinous xanthomatosis', text: 'Cerebrotendinous xanthomatosis (or another lipid storage disorder coded E75.5)', icdExact: ['E755'], pattern: String.raw`cerebrotendinous`, section: '8' },
  // N11 (chronic tubulo-interstitial nephritis) is chronic pyelonephritis in ICD-10's own words
  { id: 'chronic-pyelonephritis', name: 'chronic pyelonephritis', text: 'Chronic pyelonephritis (cortical nephrocalcinosis)', icd: ['N11'], pattern: String.raw`chronic pyelonephritis`, section: '8' },
  { id: 'vesicoureteral-reflux', name: 'vesicoureteral reflux', text: 'Vesicoureteral reflux (cortical nephrocalcinosis)', icd: ['N137'], pattern: String.raw`vesico-?ureter(al|ic) reflux`, section: '8' },
  { id: 'hiv', name: 'HIV infection', text: 'HIV infection (intrarenal infection: cortical nephrocalcinosis)', icd: ['B20', 'B21', 'B22', 'B23', 'B24'], pattern: String.raw`\bhiv (infection|disease)\b|human immunodeficiency virus (infection|disease)`, section: '8' },
  { id: 'polycystic-kidney-disease', name: 'polycystic kidney disease', text: 'Polycystic kidney disease (cortical nephrocalcinosis)', icd: ['Q612', 'Q613'], pattern: String.raw`polycystic kidney|\badpkd\b`, section: '8' },
  { id: 'bone-metastases', name: 'bone metastases', text: 'Bone metastases (hypercalcaemia)', icd: ['C795'], pattern: String.raw`(bone|skeletal|osseous) metasta|metasta\w* (to|in) (the )?bones?|secondary malignant neoplasm of bone`, section: '8' },
  { id: 'hypercalcaemia', name: 'hypercalcaemia', text: 'Hypercalcaemia recorded', snomed: ['66931009'], icd: ['E8352'], pattern: String.raw`hypercalc(a)?emia`, section: '8' },
  { id: 'metabolic-acidosis', name: 'metabolic acidosis', text: 'Metabolic acidosis', snomed: ['59455009'], icd: ['E872'], pattern: String.raw`metabolic acidosis`, section: '8' },
  // Not in section 8 (decision): kidney stones decide whether the plain abdominal X-ray applies.
  { id: 'kidney-stones', name: 'a kidney stone', text: 'Kidney stones (plain abdominal X-ray applies)', snomed: ['95570007'], icd: ['N20'], pattern: String.raw`kidney stone|renal (calculus|stone)|nephrolithiasis|urolithiasis`, role: 'context', section: '8' },
];

export const MEDICINES: MedicationDef[] = [
  {
    id: 'loop-diuretic', name: 'a loop diuretic',
    text: 'Loop diuretic (furosemide, bumetanide, torasemide): raises urinary calcium',
    rxnorm: ['4603', '38413', '1808'], // bumetanide 1808 unverified in the reference
    atc: ['C03CA'],
    names: String.raw`\b(furosemide|frusemide|lasix|torsemide|torasemide|demadex|bumetanide|bumex|burinex)\b`,
    role: 'cause',
    section: '8',
  },
  {
    id: 'acetazolamide', name: 'acetazolamide',
    text: 'Acetazolamide (carbonic anhydrase inhibitor: acidosis, hypocitraturia)',
    rxnorm: ['167'],
    atc: ['S01EC01'],
    names: String.raw`\b(acetazolamide|diamox)\b`,
    role: 'cause',
    section: '8',
  },
  {
    id: 'vitamin-d-treatment', name: 'vitamin D',
    text: 'Vitamin D treatment (excess causes hypercalcaemia and hypercalciuria)',
    rxnorm: ['2418', '11253'], // ergocalciferol and calcitriol RxNorm unverified: matched by ATC and name
    atc: ['A11CC'],
    names: String.raw`\b(cholecalciferol|colecalciferol|ergocalciferol|calcitriol|alfacalcidol|calciferol|vitamin d[23]?)\b`,
    role: 'cause',
    section: '8',
  },
  {
    id: 'calcium-supplement', name: 'a calcium supplement',
    text: 'Calcium supplement',
    rxnorm: ['1895', '1897'],
    atc: ['A12AA'],
    // "Atorvastatin Calcium" and similar salts are not calcium supplements: only calcium salts
    // named first, or calcium alone at the start of the name.
    names: String.raw`\bcalcium (carbonate|citrate|acetate|gluconate|lactate|phosphate|glubionate)\b|^\s*calcium\b(?! channel)`,
    role: 'cause',
    section: '8',
  },
  {
    id: 'phosphate-supplement', name: 'a phosphate supplement',
    text: 'Phosphate supplement (with vitamin D in X-linked hypophosphataemia: a recognised cause)',
    // no code in the reference: names only; a phosphate salt of another drug ("dexamethasone sodium
    // phosphate", "codeine phosphate") is not a phosphate supplement, so the name must come first
    rxnorm: [],
    atc: [],
    names: String.raw`^\s*(sodium|potassium|sodium and potassium) (acid |di)?phosphates?\b|^\s*phosphates?\b|phosphate[- ]sandoz|\bk-phos\b|\bneutra-?phos\b|\bjoulie`,
    role: 'cause',
    section: '8',
  },
  {
    id: 'thiazide', name: 'a thiazide diuretic',
    text: 'Thiazide diuretic: lowers urinary calcium (treatment context, not a cause)',
    rxnorm: ['5487', '2409', '5764', '6916', '1369'],
    atc: ['C03AA', 'C03BA'],
    names: String.raw`\b(hydrochlorothiazide|chlorthalidone|chlortalidone|indapamide|metolazone|bendroflumethiazide|bendrofluazide|chlorothiazide)\b`,
    role: 'context',
    section: '8',
  },
];

/**
 * Section 5: pregnancy recorded within 10 months: a Condition (SNOMED 77386006, unverified; ICD-10
 * Z33 or O00-O9A) or a pregnancy status Observation (LOINC 82810-3) answering pregnant (SNOMED
 * 77386006, LOINC answer LA15173-0) or not pregnant (SNOMED 60001007, LA26683-5).
 */
export const PREGNANCY: PregnancyDef = {
  section: '5',
  months: 10,
  snomed: ['77386006'],
  icd: ['Z33', 'O0', 'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9'],
  pattern: String.raw`\bpregnan(t|cy)\b`,
  notPattern: String.raw`\b(not|no|negative|history|previous|prior|post-?partum|after|termination)\b`,
  observation: { system: 'loinc', code: '82810-3' },
  pregnantAnswers: ['77386006', 'LA15173-0'],
  notPregnantAnswers: ['60001007', 'LA26683-5'],
};
