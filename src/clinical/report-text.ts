/**
 * An imaging report's free-text conclusion, read for the article's findings (section 5): abnormal
 * only when a finding is named plainly, never by guesswork. A mention that is negated is no finding;
 * a mention whose negation or certainty cannot be ruled out leaves the report "done: read the
 * report". The words are data (rules/report-text.ts).
 */
import { REPORT_TEXT, type ReportTextRules } from './rules/report-text';

/**
 * What a conclusion says: a finding named plainly; only uncertain mentions; only negated mentions
 * ("no calculi"); or no finding word at all.
 */
export type ConclusionReading = 'finding' | 'uncertain' | 'negated' | 'none';

interface Compiled {
  findings: RegExp[];
  before: RegExp;
  after: RegExp;
  uncertain: RegExp;
}

function compile(r: ReportTextRules): Compiled {
  return {
    findings: r.findings.map((f) => new RegExp(`\\b(${f})\\b`, 'gi')),
    before: new RegExp(r.negatedBefore, 'i'),
    after: new RegExp(r.negatedAfter, 'i'),
    uncertain: new RegExp(r.uncertain, 'i'),
  };
}

const DEFAULT = compile(REPORT_TEXT);
const CLAUSE_END = /[.;:\n]+|\b(?:but|however)\b/i;

type Mention = 'asserted' | 'negated' | 'uncertain';

/** Each mention of a finding in a clause: asserted, negated or uncertain. */
function mentions(clause: string, findings: readonly RegExp[], c: Compiled): Mention[] {
  const out: Mention[] = [];
  const unsure = c.uncertain.test(clause);
  for (const rx of findings) {
    for (const m of clause.matchAll(rx)) {
      const before = clause.slice(0, m.index);
      const after = clause.slice(m.index! + m[0].length);
      if (c.before.test(before) || c.after.test(after)) out.push('negated');
      else out.push(unsure ? 'uncertain' : 'asserted');
    }
  }
  return out;
}

function mentionsIn(text: string, findings: readonly RegExp[], c: Compiled): Mention[] {
  return text.split(CLAUSE_END).flatMap((clause) => (clause ? mentions(clause, findings, c) : []));
}

export function readConclusion(text: string, rules: ReportTextRules = REPORT_TEXT): ConclusionReading {
  const c = rules === REPORT_TEXT ? DEFAULT : compile(rules);
  const all = mentionsIn(text, c.findings, c);
  if (all.includes('asserted')) return 'finding';
  if (all.includes('uncertain')) return 'uncertain';
  return all.length > 0 ? 'negated' : 'none';
}

/**
 * Whether a text names a condition plainly (`pattern`: the condition's own words), read as a
 * conclusion is: a negated or uncertain mention ("no nephrocalcinosis", "?nephrocalcinosis") is not.
 */
export function namesPlainly(text: string, pattern: RegExp): boolean {
  const rx = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  return mentionsIn(text, [rx], DEFAULT).includes('asserted');
}
