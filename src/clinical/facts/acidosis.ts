/**
 * Section 7, the distal renal tubular acidosis pattern: a hyperchloraemic, normal anion gap
 * metabolic acidosis of one day, and the urine pH that strengthens it.
 */
import { byNewest } from '../candidate';
import { formatDate } from '../display';
import { round } from '../units';
import { currentCandidate, numericValue, recentReadings, type Fact, type FactValue, type RuleState } from './state';

/** Section 7: a normal anion gap, Na - (Cl + HCO3), is 16 mmol/L or less. */
const ANION_GAP_NORMAL_MAX = 16;
/** Section 7: a urine pH above 5.5 strengthens the pattern. */
const URINE_PH_DISTAL_RTA = 5.5;

/** The current bicarbonate low, with a high chloride and a normal anion gap of the same day. */
function hyperchloraemicAcidosis(s: RuleState): FactValue {
  const bic = currentCandidate(s, 'bicarbonate');
  if (!bic || bic.direction !== 'low' || bic.canonical === undefined) return { holds: false };
  const sameDay = (id: string) => (s.candidates.get(id) ?? []).filter((c) => numericValue(c) && c.day === bic.day).sort(byNewest)[0];
  const cl = sameDay('chloride');
  const na = sameDay('sodium');
  if (!cl || cl.flag !== 'high' || !na) return { holds: false };
  const gap = na.canonical! - (cl.canonical! + bic.canonical);
  if (gap > ANION_GAP_NORMAL_MAX) return { holds: false };
  return { holds: true, vars: { anionGap: String(round(gap)), acidosisDate: formatDate(bic.date) }, evidence: [...bic.refs, ...cl.refs, ...na.refs] };
}

/** The newest dipstick urine pH within the urinalysis window. */
function urinePh(s: RuleState): { value: number; ref: string } | undefined {
  const r = recentReadings(s, 'urinalysis').find((x) => x.analyte === 'urine-ph' && x.num !== undefined && x.num >= 3 && x.num <= 10);
  return r ? { value: r.num!, ref: r.ref } : undefined;
}

export const ACIDOSIS_FACTS: Readonly<Record<string, Fact>> = {
  'hyperchloraemic-acidosis': { words: 'bicarbonate is low with a high chloride and a normal anion gap the same day', of: hyperchloraemicAcidosis },
  'urine-ph-known': {
    words: 'a recent urine pH is recorded',
    of(s) {
      const ph = urinePh(s);
      return ph ? { holds: true, vars: { urinePh: String(ph.value) } } : { holds: false };
    },
  },
  'urine-ph-above-5.5': {
    words: 'the urine pH is above 5.5',
    of(s) {
      const ph = urinePh(s);
      return ph && ph.value > URINE_PH_DISTAL_RTA ? { holds: true, vars: { urinePh: String(ph.value) }, evidence: [ph.ref] } : { holds: false };
    },
  },
};
