/**
 * Section 7: which calcium decides hypercalcaemia, and the PTH paired with it (NICE NG132, 2019:
 * calcium and PTH of the same sample or day).
 */
import { byNewest, isValid, type Candidate } from '../candidate';
import { formatDate } from '../display';
import type { ItemResult } from '../model';
import { currentCandidate, shownValue, type Fact, type FactValue, type RuleState } from './state';

/**
 * The newest calcium decides: the adjusted calcium when it is of the day of the newest total calcium
 * or newer (an albumin of its day allowed the adjustment), otherwise the total calcium; an older
 * adjusted value never hides a newer total. 'unknown' when the deciding result cannot be read.
 */
function decidingCalcium(s: RuleState): { c: Candidate; kind: 'adjusted' | 'total' } | 'unknown' | undefined {
  const total = s.results.get('calcium');
  const adj = s.results.get('adjusted-calcium');
  const day = (r: ItemResult | undefined) => r?.latest?.date.slice(0, 10);
  const useAdj = day(adj) !== undefined && (day(total) === undefined || day(adj)! >= day(total)!);
  if ((useAdj ? adj : total)?.status === 'unknown') return 'unknown';
  const c = currentCandidate(s, useAdj ? 'adjusted-calcium' : 'calcium');
  return c ? { c, kind: useAdj ? 'adjusted' : 'total' } : undefined;
}

function calciumHigh(s: RuleState): FactValue {
  const ca = decidingCalcium(s);
  if (ca === 'unknown') return { holds: undefined };
  if (!ca || ca.c.direction !== 'high') return { holds: false };
  const vars = { calciumKind: ca.kind, calciumValue: shownValue(ca.c, s.units), calciumDate: formatDate(ca.c.date) };
  return { holds: true, vars, evidence: [...ca.c.refs] };
}

/** A valid PTH of the day of the deciding calcium, the newest of that day. */
function pthSameDay(s: RuleState): Candidate | undefined {
  const ca = decidingCalcium(s);
  if (!ca || ca === 'unknown') return undefined;
  return (s.candidates.get('pth') ?? []).filter((c) => isValid(c) && c.day === ca.c.day).sort(byNewest)[0];
}

const pthOfTheDay =
  (flag?: 'high' | 'normal' | 'low') =>
  (s: RuleState): FactValue => {
    const p = pthSameDay(s);
    if (!p || (flag && p.flag !== flag)) return { holds: false };
    return { holds: true, vars: { pthValue: shownValue(p, s.units), pthDate: formatDate(p.date) }, evidence: [...p.refs] };
  };

/** A valid PTH exists, but none of the day of the deciding calcium. */
function pthOtherDay(s: RuleState): FactValue {
  if (pthSameDay(s)) return { holds: false };
  const newest = (s.candidates.get('pth') ?? []).filter(isValid).sort(byNewest)[0];
  return newest ? { holds: true, vars: { pthOtherDate: formatDate(newest.date) } } : { holds: false };
}

export const CALCIUM_FACTS: Readonly<Record<string, Fact>> = {
  'calcium-high': { words: 'the newest calcium is high', of: calciumHigh },
  'pth-same-day': { words: 'a PTH of the same day as the calcium is recorded', of: pthOfTheDay() },
  'pth-same-day-high': { words: 'the PTH of the same day as the calcium is high', of: pthOfTheDay('high') },
  'pth-same-day-normal': { words: 'the PTH of the same day as the calcium is within its range', of: pthOfTheDay('normal') },
  'pth-same-day-low': { words: 'the PTH of the same day as the calcium is low', of: pthOfTheDay('low') },
  'pth-other-day': { words: 'a PTH is recorded, but not of the day of the calcium', of: pthOtherDay },
};
