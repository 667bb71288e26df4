/**
 * Named facts: what a rule needs to know about the record that an expression cannot say simply
 * (which calcium decides, a PTH of the same day, an acidosis of one day, a positive dipstick part,
 * a trend over the whole history). Each is a small pure function of the evaluation's state (in
 * facts/, by subject), with the words the panel uses when a rule names it; the rules (rules/*.ts)
 * refer to them by name, and rules/compile.ts checks every name exists.
 *
 * A fact answers true, false or undefined (the record cannot tell), and may bring values for a
 * finding's text (`{name}` placeholders) and the references of the results it rests on.
 */
import { evalExpr, type Truth } from './expr';
import { ACIDOSIS_FACTS } from './facts/acidosis';
import { CALCIUM_FACTS } from './facts/calcium';
import { DIPSTICK_FACTS } from './facts/dipstick';
import { MAGNESIUM_FACTS } from './facts/magnesium';
import type { Fact, ResultLook, RuleState } from './facts/state';
import { TREND_FACTS } from './facts/trends';
import type { Expr } from './rules/types';

export type { Fact, FactValue, ResultLook, RuleState } from './facts/state';
export { currentCandidate, sourcesOf } from './facts/state';

/** Findings that name a cause of nephrocalcinosis (a renal biopsy is then not needed to find one). */
const CAUSAL_FINDINGS = ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypokalaemia', 'distal-rta-pattern', 'hypercalciuria', 'hypocitraturia', 'hyperoxaluria', 'magnesium-wasting'];
const CAUSAL_MEDICINES = ['loop-diuretic', 'vitamin-d-treatment', 'acetazolamide', 'phosphate-supplement'];

const RECORD_FACTS: Readonly<Record<string, Fact>> = {
  'egfr-derived': {
    words: 'the eGFR is derived',
    of(s: RuleState) {
      const latest = s.results.get('egfr')?.latest;
      return latest?.derived === true ? { holds: true, vars: { egfrMethod: latest.method ?? 'calculated' } } : { holds: false };
    },
  },
  'nephrocalcinosis-known': {
    words: 'nephrocalcinosis is known (recorded, or imaging abnormal)',
    of(s: RuleState) {
      const abnormal = (id: string) => s.results.get(id)?.status === 'abnormal';
      return { holds: s.riskFactors.any.has('nephrocalcinosis') || abnormal('renal-ultrasound') || abnormal('ct-abdomen') };
    },
  },
  'cause-known': {
    words: 'a cause has been identified',
    notWords: 'no cause has been identified',
    of(s: RuleState) {
      const rf = s.riskFactors;
      const causal =
        CAUSAL_FINDINGS.some((f) => s.findingIds.has(f)) ||
        rf.riskFactors.some((r) => r.role === 'cause' && r.id !== 'nephrocalcinosis' && r.id !== 'hypercalcaemia' && r.kind === 'condition') ||
        CAUSAL_MEDICINES.some((m) => rf.current.has(m));
      return { holds: causal };
    },
  },
};

export const FACTS: Readonly<Record<string, Fact>> = {
  ...CALCIUM_FACTS,
  ...ACIDOSIS_FACTS,
  ...MAGNESIUM_FACTS,
  ...DIPSTICK_FACTS,
  ...TREND_FACTS,
  ...RECORD_FACTS,
};

export const FACT_NAMES: ReadonlySet<string> = new Set(Object.keys(FACTS));

/**
 * A range row's condition for a result dated `time` (ranges.ts PatientContext.holds): facts that
 * can be told from other results answer; anything else is unknown, so the row does not apply.
 */
export function holdsAt(look: ResultLook): (e: Expr, time: number) => Truth {
  return (e, time) =>
    evalExpr(e, {
      item: () => undefined,
      condition: () => undefined,
      medicine: () => undefined,
      ageUnder: () => undefined,
      pregnant: () => undefined,
      finding: () => undefined,
      fact: (name) => FACTS[name]?.at?.(look, time),
    });
}
