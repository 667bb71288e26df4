/**
 * Section 5, urinary infection from the dipstick: a positive nitrite; leukocyte esterase of 1+ or
 * more is a possible infection; "trace" is equivocal, never positive by itself; from 65 years the
 * dipstick alone is not used (UKHSA, Diagnosis of urinary tract infections, 2020).
 */
import type { Reading } from '../values';
import { currentCandidate, recentReadings, type Fact, type FactValue, type RuleState } from './state';

const EQUIVOCAL = /\btrace\b|±|\+\/-|\bequivocal\b|\bborderline\b/i;
const DIPSTICK_UNTIL_AGE = 65;

/** The parts of the current urinalysis (its newest day) with this role, positive and not equivocal. */
function positiveParts(s: RuleState, role: 'nitrite' | 'leukocyte-esterase'): Reading[] {
  const day = currentCandidate(s, 'urinalysis');
  if (!day) return [];
  const refs = new Set(day.refs);
  return recentReadings(s, 'urinalysis').filter((r) => refs.has(r.ref) && r.day === day.day && r.role === role && r.qual === 'abnormal' && !EQUIVOCAL.test(r.text ?? ''));
}

const gradeOf = (r: Reading): string => (r.text && r.text.length <= 20 ? r.text.toLowerCase() : 'positive');
const refsOf = (parts: readonly Reading[]): string[] => [...new Set(parts.map((r) => r.ref))];

function nitritePositive(s: RuleState): FactValue {
  const nitrite = positiveParts(s, 'nitrite');
  if (nitrite.length === 0) return { holds: false };
  const le = positiveParts(s, 'leukocyte-esterase');
  const words = `positive nitrite${le.length > 0 ? ` and leukocyte esterase ${gradeOf(le[0]!)}` : ''}`;
  return { holds: true, vars: { dipstick: words }, evidence: refsOf([...nitrite, ...le]) };
}

function leukocyteEsterasePositive(s: RuleState): FactValue {
  const le = positiveParts(s, 'leukocyte-esterase');
  return le.length > 0 ? { holds: true, vars: { leukocyteEsterase: gradeOf(le[0]!) }, evidence: refsOf(le) } : { holds: false };
}

export const DIPSTICK_FACTS: Readonly<Record<string, Fact>> = {
  'nitrite-positive': { words: 'the dipstick nitrite is positive', of: nitritePositive },
  'leukocyte-esterase-positive': { words: 'the dipstick leukocyte esterase is 1+ or more', of: leukocyteEsterasePositive },
  // decision: with the age unknown the dipstick counts (the finding only says "consider")
  'dipstick-counts': {
    words: 'the patient is under 65 (dipsticks are not used from 65)',
    of: (s) => ({ holds: s.ageYears === null || s.ageYears < DIPSTICK_UNTIL_AGE }),
  },
};
