/**
 * Findings (section 7 of the clinical reference) as data: patterns that give context, worded
 * "consider", never a diagnosis and never an order to treat. A finding is made when its `when`
 * holds (true, not unknown) on the items' current results (newest valid result within the recency
 * window), the record's conditions and medicines, and the facts of facts.ts (which calcium
 * decides, a PTH of the same day, a trend over the whole history...). Its text is the parts whose
 * `when` holds, joined; `{name}` placeholders are filled from those facts. A cause already on
 * record is named (section 7: "a finding whose cause is already recorded names it").
 */
import type { Expr, FindingDef, TextPart } from './types';

const high = (item: string): Expr => ({ item, is: 'high' });
const low = (item: string): Expr => ({ item, is: 'low' });
const fact = (name: string): Expr => ({ fact: name });
const not = (e: Expr): Expr => ({ not: e });

/** A cause on record, named: a condition recorded (current or past) or a medicine current. */
const onRecord = (words: string, when: Expr): TextPart => ({ text: ` On record: ${words}.`, when });
const condition = (id: string, words: string): TextPart => onRecord(words, { condition: id });
const medicine = (id: string, words: string): TextPart => onRecord(words, { medicine: id });

export const FINDINGS: FindingDef[] = [
  {
    id: 'hypercalcaemia',
    name: 'hypercalcaemia',
    section: '7',
    // the newest calcium: adjusted when an albumin of its day allows it, else total (facts.ts)
    when: fact('calcium-high'),
    text: [
      { text: 'Calcium is high ({calciumKind} calcium {calciumValue} on {calciumDate}).' },
      { text: ' Consider checking PTH on the same sample as a calcium (a paired sample).', when: { all: [not(fact('pth-same-day')), not(fact('pth-other-day'))] } },
      { text: ' The newest PTH ({pthOtherDate}) is not from the day of this calcium: consider a paired calcium and PTH.', when: { all: [not(fact('pth-same-day')), fact('pth-other-day')] } },
      { text: ' The PTH of the same day is suppressed: consider a cause other than the parathyroid glands.', when: fact('pth-same-day-low') },
      { text: ' Consider the causes named in the article: hyperparathyroidism, vitamin D excess, sarcoidosis, bone metastases and immobilisation.' },
      condition('primary-hyperparathyroidism', 'primary hyperparathyroidism'),
      condition('hyperparathyroidism', 'hyperparathyroidism'),
      condition('sarcoidosis', 'sarcoidosis'),
      condition('tuberculosis', 'tuberculosis'),
      condition('hypervitaminosis-d', 'hypervitaminosis D'),
      condition('bone-metastases', 'bone metastases'),
      condition('immobility', 'immobility'),
      condition('williams-syndrome', 'Williams syndrome'),
      medicine('vitamin-d-treatment', 'vitamin D treatment'),
      medicine('calcium-supplement', 'a calcium supplement'),
    ],
    evidence: [{ fact: 'calcium-high' }],
  },
  {
    id: 'primary-hyperparathyroidism-pattern',
    name: 'the primary hyperparathyroidism pattern',
    section: '7',
    // NICE NG132 (2019): a PTH of the same day, high or within its range (inappropriately normal)
    when: { all: [fact('calcium-high'), { any: [fact('pth-same-day-high'), fact('pth-same-day-normal')] }] },
    text: [
      { text: 'Calcium is high with a PTH of the same day ({pthValue}) that is high. ', when: fact('pth-same-day-high') },
      { text: 'Calcium is high with a PTH of the same day ({pthValue}) within its range: inappropriately unsuppressed. ', when: fact('pth-same-day-normal') },
      { text: 'Consider primary hyperparathyroidism, the commonest associated cause' },
      { text: '; the low phosphate supports it', when: low('phosphate') },
      { text: '. Familial hypocalciuric hypercalcaemia is the differential: consider the urine calcium (a low calcium excretion points to it).' },
      condition('primary-hyperparathyroidism', 'primary hyperparathyroidism'),
    ],
    evidence: [{ fact: 'calcium-high' }, { fact: 'pth-same-day' }, { item: 'phosphate', when: low('phosphate') }],
  },
  {
    id: 'hypokalaemia',
    name: 'hypokalaemia',
    section: '7',
    when: low('potassium'),
    text: [
      { text: 'Potassium is low. Chronic hypokalaemia lowers urinary citrate; consider primary hyperaldosteronism, distal renal tubular acidosis or Bartter syndrome.' },
      condition('hypokalaemia', 'hypokalaemia'),
      condition('primary-hyperaldosteronism', 'primary hyperaldosteronism'),
      condition('distal-rta', 'distal renal tubular acidosis'),
      condition('bartter-syndrome', 'Bartter syndrome'),
      medicine('loop-diuretic', 'a loop diuretic (it lowers potassium)'),
    ],
    evidence: ['potassium'],
  },
  {
    id: 'distal-rta-pattern',
    name: 'the distal renal tubular acidosis pattern',
    section: '7',
    // a hyperchloraemic, normal anion gap acidosis of one day; potassium and urine pH strengthen it
    when: fact('hyperchloraemic-acidosis'),
    text: [
      { text: 'Bicarbonate is low with a high chloride and a normal anion gap ({anionGap} mmol/L on {acidosisDate}): a hyperchloraemic metabolic acidosis. Consider distal (type 1) renal tubular acidosis.' },
      { text: ' The low potassium strengthens it.', when: low('potassium') },
      { text: ' Urine pH {urinePh} (above 5.5) strengthens it.', when: fact('urine-ph-above-5.5') },
      { text: ' Urine pH {urinePh} is not above 5.5.', when: { all: [fact('urine-ph-known'), not(fact('urine-ph-above-5.5'))] } },
      { text: ' A urine pH above 5.5 would strengthen it.', when: not(fact('urine-ph-known')) },
      condition('distal-rta', 'distal renal tubular acidosis'),
      condition('renal-tubular-acidosis', 'renal tubular acidosis'),
      medicine('acetazolamide', 'acetazolamide (it causes a hyperchloraemic acidosis too)'),
    ],
    evidence: [{ fact: 'hyperchloraemic-acidosis' }, { item: 'potassium', when: low('potassium') }, { fact: 'urine-ph-above-5.5' }],
  },
  {
    id: 'hypercalciuria',
    name: 'hypercalciuria',
    section: '7',
    when: { any: [high('urine-calcium-24h'), { all: [{ ageUnder: 18 }, high('urine-calcium-creatinine')] }] },
    text: [
      { text: 'Urinary calcium is high. Consider idiopathic hypercalciuria, loop diuretics and tubular disorders.' },
      medicine('loop-diuretic', 'a loop diuretic, which raises urinary calcium'),
      medicine('vitamin-d-treatment', 'vitamin D treatment'),
      condition('idiopathic-hypercalciuria', 'hypercalciuria'),
      condition('distal-rta', 'distal renal tubular acidosis'),
      condition('dent-disease', 'Dent disease'),
      condition('bartter-syndrome', 'Bartter syndrome'),
      condition('hypothyroidism', 'hypothyroidism'),
      condition('immobility', 'immobility'),
    ],
    evidence: [
      { item: 'urine-calcium-24h', when: high('urine-calcium-24h') },
      { item: 'urine-calcium-creatinine', when: { all: [{ ageUnder: 18 }, high('urine-calcium-creatinine')] } },
    ],
  },
  {
    id: 'hypocitraturia',
    name: 'hypocitraturia',
    section: '7',
    when: low('urine-citrate-24h'),
    text: [
      { text: 'Urinary citrate is low. Consider distal renal tubular acidosis and hypokalaemia, with which it is seen.' },
      condition('hypokalaemia', 'hypokalaemia'),
      condition('distal-rta', 'distal renal tubular acidosis'),
      medicine('acetazolamide', 'acetazolamide'),
    ],
    evidence: ['urine-citrate-24h'],
  },
  {
    id: 'hyperoxaluria',
    name: 'hyperoxaluria',
    section: '7',
    when: high('urine-oxalate-24h'),
    text: [
      { text: 'Urinary oxalate is high. Consider primary or secondary (enteric) hyperoxaluria.' },
      condition('primary-hyperoxaluria', 'primary hyperoxaluria'),
      condition('enteric-hyperoxaluria', 'enteric hyperoxaluria'),
      condition('hyperoxaluria', 'hyperoxaluria'),
    ],
    evidence: ['urine-oxalate-24h'],
  },
  {
    id: 'hypomagnesaemia',
    name: 'hypomagnesaemia',
    section: '7',
    when: low('magnesium'),
    text: [
      { text: 'Serum magnesium is low. Consider losses from the gut, medicines (proton pump inhibitors, diuretics) and renal wasting' },
      { text: ': a 24-hour urine magnesium tells them apart.', when: not(fact('urine-magnesium-current')) },
      { text: '; the 24-hour urine magnesium is above 1 mmol/24 h (see renal magnesium wasting).', when: fact('renal-magnesium-wasting') },
      { text: '; the 24-hour urine magnesium is not above 1 mmol/24 h, which points away from renal wasting.', when: { all: [fact('urine-magnesium-current'), not(fact('renal-magnesium-wasting'))] } },
      condition('hypomagnesaemia', 'hypomagnesaemia'),
      condition('primary-hypomagnesaemia', 'primary hypomagnesaemia'),
      medicine('loop-diuretic', 'a loop diuretic'),
      medicine('thiazide', 'a thiazide diuretic'),
    ],
    evidence: ['magnesium'],
  },
  {
    id: 'magnesium-wasting',
    name: 'renal magnesium wasting',
    section: '7',
    // serum below 0.7 mmol/L and urine above 1 mmol/24 h (Agus, JASN 1999), taken within a month
    when: fact('renal-magnesium-wasting'),
    text: [
      { text: 'Urine magnesium {urineMg} ({urineMgDate}) with a serum magnesium of {serumMg} ({serumMgDate}){serumMgAge}: above 1 mmol/24 h is inappropriately high. ' },
      { text: 'Consider renal magnesium wasting: familial hypomagnesaemia with hypercalciuria, Bartter or Gitelman syndromes, medicines.' },
      condition('bartter-syndrome', 'Bartter syndrome'),
      condition('primary-hypomagnesaemia', 'primary hypomagnesaemia'),
      medicine('loop-diuretic', 'a loop diuretic'),
    ],
    evidence: [{ fact: 'renal-magnesium-wasting' }],
  },
  {
    id: 'reduced-egfr',
    name: 'a reduced eGFR',
    section: '7',
    when: low('egfr'),
    text: [
      { text: 'eGFR is below 60' },
      { text: ' (derived, {egfrMethod})', when: fact('egfr-derived') },
      { text: '. Consider chronic kidney disease; the article stresses early attention to reversible causes (infection, obstruction, hypertension).' },
    ],
    evidence: ['egfr'],
  },
  {
    id: 'egfr-decline',
    name: 'a declining eGFR',
    section: '7',
    // KDIGO 2012, over the whole history (reported and derived values)
    when: fact('egfr-decline'),
    text: [{ text: '{egfrDecline} Consider reversible causes: obstruction, infection, hypertension (the article).{egfrDeclineAge}' }],
    evidence: [{ fact: 'egfr-decline' }],
  },
  {
    id: 'creatinine-rise',
    name: 'a rising creatinine',
    section: '7',
    // KDIGO 2012 acute kidney injury criteria, over the whole history
    when: fact('creatinine-rise'),
    text: [{ text: '{creatinineRise} Consider acute kidney injury; the article notes nephrocalcinosis may present with its features.{creatinineRiseAge}' }],
    evidence: [{ fact: 'creatinine-rise' }],
  },
  {
    id: 'proteinuria',
    name: 'proteinuria',
    section: '7',
    when: high('urine-protein'),
    text: [
      { text: 'Urine protein is high. Consider nephrotic syndrome or another glomerular disease.' },
      condition('glomerulonephritis', 'glomerulonephritis'),
    ],
    evidence: ['urine-protein'],
  },
  {
    id: 'urinary-infection',
    name: 'urinary infection',
    section: '7',
    // section 5: a positive culture, or a positive nitrite (the dipstick alone never from 65: UKHSA 2020)
    when: { any: [{ item: 'urine-culture', is: 'abnormal' }, { all: [fact('nitrite-positive'), fact('dipstick-counts')] }] },
    text: [
      { text: 'The urine culture is positive', when: { item: 'urine-culture', is: 'abnormal' } },
      { text: '; the dipstick shows {dipstick}', when: { all: [{ item: 'urine-culture', is: 'abnormal' }, fact('nitrite-positive')] } },
      { text: 'The dipstick shows {dipstick}', when: { all: [not({ item: 'urine-culture', is: 'abnormal' }), fact('nitrite-positive')] } },
      { text: '. Consider urinary infection: the article notes that infection worsens renal damage.' },
    ],
    evidence: [{ item: 'urine-culture', when: { item: 'urine-culture', is: 'abnormal' } }, { fact: 'nitrite-positive' }],
  },
  {
    id: 'possible-urinary-infection',
    name: 'possible urinary infection',
    section: '5',
    // leukocyte esterase 1+ or more without a positive nitrite, no culture result yet, under 65
    when: {
      all: [
        fact('leukocyte-esterase-positive'),
        not(fact('nitrite-positive')),
        fact('dipstick-counts'),
        not({ any: [{ item: 'urine-culture', is: 'abnormal' }, { item: 'urine-culture', is: 'normal' }] }),
      ],
    },
    text: [{ text: 'The dipstick shows leukocyte esterase {leukocyteEsterase} without a positive nitrite: possible infection. Consider a urine culture.' }],
    evidence: [{ fact: 'leukocyte-esterase-positive' }],
  },
  {
    id: 'raised-tsh',
    name: 'a raised TSH',
    section: '7',
    when: high('tsh'),
    text: [
      { text: 'TSH is high. Consider hypothyroidism, which the article names among the causes of hypercalciuria.' },
      condition('hypothyroidism', 'hypothyroidism'),
    ],
    evidence: ['tsh'],
  },
  {
    id: 'paediatric',
    name: 'a child',
    section: '7',
    when: { ageUnder: 18 },
    text: [{ text: 'The patient is under 18. Consider genetic testing; spot urine ratios and age-specific ranges apply.' }],
    evidence: [{ patient: 'birthDate' }],
  },
];
