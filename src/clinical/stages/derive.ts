/**
 * Stage 3, derive: values the record does not report but the reference lets us compute (section 3:
 * albumin-adjusted calcium, eGFR) join the reported ones, a reported value winning on its day; and
 * a result that the article accepts in place of another item's (section 1: a spot Ca:creatinine
 * ratio under 5 years, for the 24-hour urine calcium) is marked so that it fills one item only.
 */
import { isValid, type Candidate } from '../candidate';
import { yearsBetween } from '../dates';
import { DAY_MS } from '../dates';
import { deriveAdjustedCalcium, deriveEgfr } from '../derived';
import type { CatalogItem } from '../catalog';
import type { Env } from './env';
import type { Interpreted } from './interpret';

const validDays = (list: readonly Candidate[]): Set<string> => new Set(list.filter(isValid).map((x) => x.day));

type Derivation = (item: CatalogItem, env: Env, it: Interpreted) => Candidate[];

const DERIVATIONS: Record<NonNullable<CatalogItem['derive']>, Derivation> = {
  // Payne: total calcium and an albumin of the same day (else within 24 hours)
  payne(item, env, it) {
    const reported = it.numeric(item.id);
    const calcium = it.numeric('calcium');
    const oldest = calcium.reduce((m, x) => (Number.isFinite(x.time) && x.time < m ? x.time : m), Infinity);
    // every albumin from a day before the oldest calcium on is needed, not only the newest ones
    it.candidates.delete('albumin');
    const albumin = it.numeric('albumin', oldest - DAY_MS);
    return [...reported, ...deriveAdjustedCalcium(calcium, albumin, validDays(reported), env.ctx)];
  },
  egfr(item, env, it) {
    const reported = it.numeric(item.id);
    return [...reported, ...deriveEgfr(it.numeric('creatinine'), validDays(reported), env.ctx, it.heights)];
  },
};

/** Where a result stands for another item's: the candidates taken before the age limit. */
export interface Substitution {
  from: string;
  to: string;
  words: string;
  candidates: Candidate[];
}

export function derive(env: Env, it: Interpreted): Substitution[] {
  for (const item of env.rules.items) {
    if (item.derive) it.candidates.set(item.id, DERIVATIONS[item.derive](item, env, it));
  }
  const subs: Substitution[] = [];
  for (const item of env.rules.items) {
    if (!item.standsFor) continue;
    const { item: to, ageUnder, words } = item.standsFor;
    const birth = env.ctx.birthMs;
    const young = (it.candidates.get(item.id) ?? []).filter(
      (x) => birth !== undefined && Number.isFinite(x.time) && yearsBetween(x.time, birth) < ageUnder,
    );
    if (young.length > 0) subs.push({ from: item.id, to, words, candidates: young });
  }
  return subs;
}
