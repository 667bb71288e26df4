/**
 * Section 7, findings from an item's whole history (reported and derived values, whatever their
 * age): egfr-decline and creatinine-rise (KDIGO 2012), named with both values and dates, the
 * methods when they differ (a trend never mixes equations silently), and how old the evidence is.
 */
import { formatDate } from '../display';
import { creatinineRise, egfrDecline, type Point } from '../trends';
import { numericValue, outdatedNote, shownValue, type Fact, type FactValue, type RuleState } from './state';

const pointsOf = (s: RuleState, itemId: string): Point[] =>
  (s.candidates.get(itemId) ?? []).filter(numericValue).map((c) => {
    const p: Point = { time: c.time, date: c.date, value: c.canonical!, refs: c.refs, shown: shownValue(c, s.units) };
    if (c.derived) p.derived = true;
    if (c.method) p.method = c.method;
    return p;
  });

const at = (p: Point): string => `${p.shown ?? Math.round(p.value)} (${formatDate(p.date)})`;
const methodOf = (p: Point): string => (p.derived ? `derived, ${p.method ?? 'calculated'}` : 'reported');

function egfrDeclineFact(s: RuleState): FactValue {
  const d = egfrDecline(pointsOf(s, 'egfr'));
  if (!d) return { holds: false };
  const how =
    d.kind === 'certain-drop'
      ? `, a fall of ${Math.round(d.drop * 100)}% from category ${d.fromCategory} to ${d.toCategory} (KDIGO 2012: a certain drop).`
      : `, ${Math.round(d.perYear! * 10) / 10} a year (KDIGO 2012: rapid progression, more than 5 a year).`;
  const mixed = methodOf(d.from) !== methodOf(d.to) ? ` The two values were obtained differently (${methodOf(d.from)}; ${methodOf(d.to)}): part of the difference may be the method.` : '';
  return {
    holds: true,
    vars: { egfrDecline: `eGFR fell from ${at(d.from)} to ${at(d.to)}${how}${mixed}`, egfrDeclineAge: outdatedNote(s, 'egfr', d.to.time, d.to.date) },
    evidence: [...new Set([...d.from.refs, ...d.to.refs])],
  };
}

function creatinineRiseFact(s: RuleState): FactValue {
  const r = creatinineRise(pointsOf(s, 'creatinine'));
  if (!r) return { holds: false };
  const how = r.kind === 'rise-48h' ? 'a rise of 26.5 µmol/L or more within 48 hours' : '1.5 times or more the lowest value of the previous 7 days';
  return {
    holds: true,
    vars: {
      creatinineRise: `Creatinine rose from ${at(r.from)} to ${at(r.to)}: ${how} (KDIGO 2012).`,
      creatinineRiseAge: outdatedNote(s, 'creatinine', r.to.time, r.to.date),
    },
    evidence: [...new Set([...r.from.refs, ...r.to.refs])],
  };
}

export const TREND_FACTS: Readonly<Record<string, Fact>> = {
  'egfr-decline': { words: 'eGFR has declined (KDIGO 2012)', of: egfrDeclineFact },
  'creatinine-rise': { words: 'creatinine has risen (KDIGO 2012 acute kidney injury criteria)', of: creatinineRiseFact },
};
