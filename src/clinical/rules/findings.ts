/**
 * Findings (section 7 of the clinical reference) as data: patterns that give context, worded
 * "consider", never a diagnosis. A finding is made when its `when` holds (true, not unknown) on the
 * items' current results (newest valid result within the recency window), the record's conditions
 * and medicines, and the facts of facts.ts. Its text is the parts whose `when` holds, joined.
 */
import type { FindingDef } from './types';

const high = (item: string) => ({ item, is: 'high' as const });
const low = (item: string) => ({ item, is: 'low' as const });

export const FINDINGS: FindingDef[] = [
  {
    id: 'hypercalcaemia',
    name: 'hypercalcaemia',
    section: '7',
    when: { fact: 'calcium-high' },
    text: [
      {
        text:
          'Calcium is high ({calcium} calcium). Consider checking PTH; causes named in the article include ' +
          'hyperparathyroidism, vitamin D excess, sarcoidosis, bone metastases and immobilisation.',
      },
    ],
    evidence: [{ fact: 'calcium-high' }],
  },
  {
    id: 'primary-hyperparathyroidism-pattern',
    name: 'the primary hyperparathyroidism pattern',
    section: '7',
    when: { all: [{ fact: 'calcium-high' }, { any: [high('pth'), { item: 'pth', is: 'normal' }] }] },
    text: [
      { text: 'Calcium is high with a PTH that is high. ', when: high('pth') },
      { text: 'Calcium is high with a PTH that is within its range (inappropriately unsuppressed). ', when: { item: 'pth', is: 'normal' } },
      { text: 'Consider primary hyperparathyroidism, the commonest associated cause.' },
    ],
    evidence: [{ fact: 'calcium-high' }, 'pth'],
  },
  {
    id: 'hypokalaemia',
    name: 'hypokalaemia',
    section: '7',
    when: low('potassium'),
    text: [{ text: 'Potassium is low. Chronic hypokalaemia lowers urinary citrate; consider hyperaldosteronism, distal renal tubular acidosis or Bartter syndrome.' }],
    evidence: ['potassium'],
  },
  {
    id: 'distal-rta-pattern',
    name: 'the distal renal tubular acidosis pattern',
    section: '7',
    when: { all: [low('potassium'), low('bicarbonate')] },
    text: [
      { text: 'Bicarbonate and potassium are both low. Consider distal (type 1) renal tubular acidosis.' },
      { text: ' Urine pH {urinePh} (above 5.5) with a low bicarbonate strengthens this.', when: { fact: 'urine-ph-above-5.5' } },
      { text: ' Urine pH {urinePh} is not above 5.5.', when: { all: [{ fact: 'urine-ph-known' }, { not: { fact: 'urine-ph-above-5.5' } }] } },
      { text: ' A urine pH above 5.5 would strengthen it.', when: { not: { fact: 'urine-ph-known' } } },
    ],
    evidence: ['bicarbonate', 'potassium', { fact: 'urine-ph-above-5.5' }],
  },
  {
    id: 'hypercalciuria',
    name: 'hypercalciuria',
    section: '7',
    when: { any: [high('urine-calcium-24h'), { all: [{ ageUnder: 18 }, high('urine-calcium-creatinine')] }] },
    text: [{ text: 'Urinary calcium is high. Consider idiopathic hypercalciuria, loop diuretics and tubular disorders.' }],
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
    text: [{ text: 'Urinary citrate is low. Consider distal renal tubular acidosis and hypokalaemia, with which it is seen.' }],
    evidence: ['urine-citrate-24h'],
  },
  {
    id: 'hyperoxaluria',
    name: 'hyperoxaluria',
    section: '7',
    when: high('urine-oxalate-24h'),
    text: [{ text: 'Urinary oxalate is high. Consider primary or secondary (enteric) hyperoxaluria.' }],
    evidence: ['urine-oxalate-24h'],
  },
  {
    id: 'magnesium-wasting',
    name: 'magnesium wasting',
    section: '7',
    when: low('magnesium'),
    text: [
      { text: 'Serum magnesium is low while urinary magnesium is high (renal magnesium wasting). ', when: high('urine-magnesium') },
      { text: 'Serum magnesium is low. ', when: { not: high('urine-magnesium') } },
      { text: 'Consider familial hypomagnesaemia with hypercalciuria or a magnesium-losing nephropathy.' },
    ],
    evidence: ['magnesium', { item: 'urine-magnesium', when: high('urine-magnesium') }],
  },
  {
    id: 'reduced-egfr',
    name: 'a reduced eGFR',
    section: '7',
    when: low('egfr'),
    text: [
      { text: 'eGFR is below 60' },
      { text: ' (derived value)', when: { fact: 'egfr-derived' } },
      { text: '. Consider chronic kidney disease, and treat reversible causes early.' },
    ],
    evidence: ['egfr'],
  },
  {
    id: 'proteinuria',
    name: 'proteinuria',
    section: '7',
    when: high('urine-protein'),
    text: [{ text: 'Urine protein is high. Consider nephrotic syndrome or another glomerular disease.' }],
    evidence: ['urine-protein'],
  },
  {
    id: 'urinary-infection',
    name: 'urinary infection',
    section: '7',
    when: { any: [{ item: 'urine-culture', is: 'abnormal' }, { fact: 'dipstick-positive' }] },
    text: [
      { text: 'The urine culture is positive', when: { item: 'urine-culture', is: 'abnormal' } },
      { text: '; the dipstick shows {dipstick}', when: { all: [{ item: 'urine-culture', is: 'abnormal' }, { fact: 'dipstick-positive' }] } },
      { text: 'The dipstick shows {dipstick}', when: { all: [{ not: { item: 'urine-culture', is: 'abnormal' } }, { fact: 'dipstick-positive' }] } },
      { text: '. Consider urinary infection and treat it: infection worsens renal damage.' },
    ],
    evidence: [{ item: 'urine-culture', when: { item: 'urine-culture', is: 'abnormal' } }, { fact: 'dipstick-positive' }],
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
