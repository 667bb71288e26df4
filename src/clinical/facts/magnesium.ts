/**
 * Sections 6 and 7: renal magnesium wasting, a 24-hour urine magnesium above 1 mmol with a serum
 * magnesium below 0.7 mmol/L (Agus, JASN 1999).
 *
 * Decision (the reference leaves the pairing open): the two tell of renal wasting together when
 * taken within a month of each other (a 24-hour collection is usually arranged after the blood
 * result; a magnesium corrected meanwhile no longer says anything about the collection).
 */
import type { Candidate } from '../candidate';
import { formatDate } from '../display';
import { ageWords, currentCandidate, nearestTo, shownValue, type Fact, type FactValue, type RuleState } from './state';

const MG_PAIR_MONTHS = 1;
const MG_SERUM_LOW = 0.7;
const MG_URINE_WASTING = 1;

const serumMgLowNear = (serum: readonly Candidate[], time: number): Candidate | undefined => {
  const c = nearestTo(serum, time, MG_PAIR_MONTHS);
  return c && c.canonical! < MG_SERUM_LOW ? c : undefined;
};

/** The current 24-hour urine magnesium (a spot urine magnesium is not a 24-hour excretion). */
const urine24h = (s: RuleState): Candidate | undefined => {
  const u = currentCandidate(s, 'urine-magnesium');
  return u && u.analyte === 'u-magnesium-24h' && u.canonical !== undefined ? u : undefined;
};

/** How old the serum magnesium is, when older than its window (a finding says how old its evidence is). */
function serumAge(s: RuleState, serum: Candidate): string {
  const start = s.windowStart('magnesium');
  if (start === null || serum.time >= start) return '';
  return `, taken ${ageWords(s.nowDay, serum.time)} before the evaluation (older than its ${s.rules.itemById.get('magnesium')?.windowMonths}-month window)`;
}

function magnesiumWasting(s: RuleState): FactValue {
  const urine = urine24h(s);
  if (!urine || !(urine.canonical! > MG_URINE_WASTING)) return { holds: false };
  const serum = serumMgLowNear(s.candidates.get('magnesium') ?? [], urine.time);
  if (!serum) return { holds: false };
  const vars = {
    serumMg: shownValue(serum, s.units),
    serumMgDate: formatDate(serum.date),
    serumMgAge: serumAge(s, serum),
    urineMg: shownValue(urine, s.units),
    urineMgDate: formatDate(urine.date),
  };
  return { holds: true, vars, evidence: [...serum.refs, ...urine.refs] };
}

export const MAGNESIUM_FACTS: Readonly<Record<string, Fact>> = {
  // the urine magnesium range row for renal wasting applies with a low serum magnesium of its time
  'serum-magnesium-low-near': {
    words: 'a serum magnesium below 0.7 mmol/L was taken within a month',
    of(s) {
      const u = urine24h(s);
      return { holds: u !== undefined && serumMgLowNear(s.candidates.get('magnesium') ?? [], u.time) !== undefined };
    },
    at: (look, time) => serumMgLowNear(look.numeric('magnesium'), time) !== undefined,
  },
  'urine-magnesium-current': { words: 'a recent 24-hour urine magnesium is recorded', of: (s) => ({ holds: urine24h(s) !== undefined }) },
  'renal-magnesium-wasting': { words: 'urine magnesium is above 1 mmol/24 h with a serum magnesium below 0.7 mmol/L', of: magnesiumWasting },
};
