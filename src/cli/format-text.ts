/**
 * The evaluator's `--format text` report: one patient's Evaluation as plain text a clinician can
 * check line by line (no colours, no terminal control characters). Pure: Evaluation in, string out.
 *
 * Layout: patient line, evaluation date, summary, findings, risk factors, then the items grouped
 * Blood / Urine / Imaging / Other. Each item: label and id, STATUS (direction), the newest value with
 * its unit (and the value as reported when it was converted), date, range and its source, then
 * indented detail lines (reason, derivation, comparator/preliminary notes, earlier values).
 */
import { differenceInMonths, differenceInWeeks, differenceInYears, isValid, parseISO } from 'date-fns';
import type { Coverage, Evaluation, Group, ItemResult, RangeUsed, ResultValue } from '../clinical/model';
import { searchedWords } from '../clinical/coverage';

const GROUPS: Array<[Group, string]> = [
  ['blood', 'Blood'],
  ['urine', 'Urine'],
  ['imaging', 'Imaging'],
  ['other', 'Other'],
];

const RANGE_SOURCE: Record<RangeUsed['source'], string> = {
  interpretation: "lab's interpretation flag",
  result: "lab's reference range",
  'built-in': 'built-in range',
};

/** Text from the EHR is printed as text: control characters (escape sequences, CR) are neutralised. */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/\s*\n\s*/g, ' / ');
}

/**
 * Numbers as the engine gave them (it already rounds canonical values for display); a long float
 * (a value passed through unrounded) is cut to 4 significant digits. No padding zeros: "38 g/L".
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function valueText(r: ResultValue): string {
  const cmp = r.comparator ?? '';
  if (typeof r.value === 'number') return `${cmp}${formatNumber(r.value)}${r.unit ? ` ${clean(r.unit)}` : ''}`;
  if (typeof r.value === 'string') return `${cmp}${clean(r.value)}${r.unit ? ` ${clean(r.unit)}` : ''}`;
  return 'no value';
}

function reportedText(r: ResultValue): string | undefined {
  const rep = r.reported;
  if (!rep || (rep.value === undefined && rep.unit === undefined)) return undefined;
  const v = rep.value === undefined ? '' : typeof rep.value === 'number' ? String(rep.value) : clean(rep.value);
  return `${v}${rep.unit ? ` ${clean(rep.unit)}` : ''}`.trim();
}

function dateText(d: string): string {
  // Dates are printed as the EHR gave them, shortened to the calendar date when a time is present
  // (the date is what the clinician checks; the time zone would only add noise).
  const m = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)/.exec(d);
  return m ? m[1]! : clean(d);
}

function rangeText(range: RangeUsed, unit: string | undefined): string {
  const src = RANGE_SOURCE[range.source] ?? range.source;
  // The engine's own text may already name the range's origin ("(lab range)"); the source is still
  // printed in our fixed words so every line reads the same way.
  if (range.text) return `${clean(range.text)}; source: ${src}`;
  const u = unit ? ` ${clean(unit)}` : '';
  if (range.low !== undefined && range.high !== undefined) return `${formatNumber(range.low)}-${formatNumber(range.high)}${u}; source: ${src}`;
  if (range.low !== undefined) return `>= ${formatNumber(range.low)}${u}; source: ${src}`;
  if (range.high !== undefined) return `<= ${formatNumber(range.high)}${u}; source: ${src}`;
  return `source: ${src}`;
}

function sourceText(s: string | string[]): string {
  return (Array.isArray(s) ? s : [s]).map(clean).join(', ');
}

/** Which codes could find a result: what a MISSING below can mean. */
export function coverageText(c: Coverage): string {
  const words = searchedWords(c);
  const line =
    c.gathered === 'record'
      ? `Results recognised by code (${words}), and any other by its name (the whole record was read)`
      : `Lab results searched for by code (${words}); a result sent under another code was not fetched`;
  return c.siteMapProblem ? `${line}. The site's code map is not in use: ${clean(c.siteMapProblem)}` : line;
}

function statusText(item: ItemResult): string {
  const s = item.status.toUpperCase();
  return item.direction ? `${s} (${item.direction})` : s;
}

function flagText(r: ResultValue): string {
  return r.flag && r.flag !== 'normal' ? ` [${r.flag}]` : '';
}

function itemLines(item: ItemResult): string[] {
  const lines: string[] = [];
  const head = `  ${clean(item.label)} [${item.id}]${item.tier === 'conditional' ? ' (conditional)' : ''}: ${statusText(item)}`;
  const l = item.latest;
  if (l) {
    const rep = reportedText(l);
    let line = `${head} - ${valueText(l)}`;
    if (rep) line += ` (reported ${rep})`;
    line += ` on ${dateText(l.date)}`;
    if (item.range) line += `; range ${rangeText(item.range, l.unit)}`;
    lines.push(line);
  } else {
    lines.push(item.range ? `${head}; range ${rangeText(item.range, undefined)}` : head);
  }
  const detail = (s: string): void => {
    lines.push(`      ${s}`);
  };
  if (!item.applies) detail(`does not apply to this patient${item.condition ? ` (condition: ${clean(item.condition)})` : ''}`);
  else if (item.tier === 'conditional' && item.condition) detail(`applies to this patient (condition: ${clean(item.condition)})`);
  if (item.reason) detail(`reason: ${clean(item.reason)}`);
  if (l) {
    if (l.text && l.text !== l.value) detail(`result: ${clean(l.text)}`);
    if (l.derived) detail(`derived${l.derivation ? `: ${clean(l.derivation)}` : ''}`);
    if (l.resultStatus) detail(`result status: ${clean(l.resultStatus)}`);
    if (l.matchedByText) detail('recognised by its text (no known code)');
    if (l.problem) detail(`could not be interpreted: ${clean(l.problem)}`);
    if (l.flag && item.status === 'outdated') detail(`flag of that result: ${l.flag}`);
    detail(`source: ${sourceText(l.source)}`);
  }
  if (item.history.length > 0) {
    const shown = item.history.slice(0, 5).map((h) => `${valueText(h)}${flagText(h)} on ${dateText(h.date)}`);
    const more = item.history.length > 5 ? ` (+${item.history.length - 5} more)` : '';
    detail(`earlier: ${shown.join('; ')}${more}`);
  }
  return lines;
}

/** One patient's report. Ends with a newline. */
export function formatText(ev: Evaluation): string {
  const out: string[] = [];
  const p = ev.patient;
  const who = [
    `patient ${clean(p.id)}`,
    p.sex ? clean(p.sex) : 'sex not recorded',
    ageText(p.birthDate, ev.evaluatedAt, p.ageYears),
    p.birthDate ? `born ${clean(p.birthDate)}` : 'birth date not recorded',
  ];
  out.push(`Nephrocalcinosis workup: ${who.join(', ')}`);
  out.push(`Evaluated at ${ev.evaluatedAt} (recency windows count back from this date)`);
  if (ev.coverage) out.push(coverageText(ev.coverage));
  const s = ev.summary;
  out.push(
    `Summary over ${s.total ?? 'the'} items that apply: ${s.abnormal} abnormal, ${s.missing} missing, ${s.outdated} outdated, ` +
      `${s.pending} pending, ${s.unknown} unknown, ${s.normal} normal`,
  );
  if (ev.context?.pregnancy) out.push(`${clean(ev.context.pregnancy.text)} [${clean(ev.context.pregnancy.source)}]`);
  if (ev.failures && ev.failures.length > 0) {
    out.push('Could not be loaded (items that depend on them are unknown, not missing):');
    for (const f of ev.failures) out.push(`  - ${f.resourceType}: ${f.kind}${f.httpStatus ? ` (HTTP ${f.httpStatus})` : ''}: ${clean(f.message)}`);
  }
  out.push('');
  out.push(ev.findings.length > 0 ? 'Findings to consider:' : 'Findings to consider: none');
  for (const f of ev.findings) {
    out.push(`  - [${f.id}] ${clean(f.text)}`);
    if (f.evidence.length > 0) out.push(`      evidence: ${f.evidence.map(clean).join(', ')}`);
  }
  out.push(ev.riskFactors.length > 0 ? 'Risk factors and context in the record:' : 'Risk factors and context in the record: none found');
  for (const r of ev.riskFactors) {
    const role = r.role === 'context' ? ', treatment context, not a cause' : '';
    out.push(`  - ${r.kind}: ${clean(r.text)} (${clean(r.source)}${r.matchedBy ? `, matched by ${clean(r.matchedBy)}` : ''}${role})`);
  }
  for (const [group, title] of GROUPS) {
    const items = ev.items.filter((i) => i.group === group);
    if (items.length === 0) continue;
    out.push('');
    out.push(title);
    for (const item of items) out.push(...itemLines(item));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Age for the patient line: from the birth date and the evaluation date when both are full dates
 * (weeks under 3 months, months under 2 years: a 6-week-old is not "0 years"), else ageYears.
 */
export function ageText(birthDate: string | null, evaluatedAt: string, ageYears: number | null): string {
  const b = birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? parseISO(birthDate) : undefined;
  const n = /^\d{4}-\d{2}-\d{2}/.test(evaluatedAt) ? parseISO(evaluatedAt.slice(0, 10)) : undefined;
  if (b && n && isValid(b) && isValid(n) && b <= n) {
    const years = differenceInYears(n, b);
    if (years >= 2) return `${years} years`;
    const months = differenceInMonths(n, b);
    if (months >= 3) return `${months} months`;
    const weeks = differenceInWeeks(n, b);
    return `${weeks} week${weeks === 1 ? '' : 's'}`;
  }
  if (ageYears !== null && ageYears !== undefined && Number.isFinite(ageYears)) return `${Math.floor(ageYears)} years`;
  return 'age unknown';
}
