/**
 * Reading a qualitative result (section 5): dipstick parts (nitrite, leukocyte esterase, blood,
 * protein), microscopy counts and elements, a culture; other parts (colour, clarity, pH, specific
 * gravity) are "done". An abnormal interpretation is abnormal. Dipstick "trace" is equivocal: shown
 * as trace, never positive by itself. A culture that cannot be read is never called normal.
 */
import type { Coding } from 'fhir/r4';
import type { QualRole } from './rules/types';
import { NON_RESULT, parseNumericString, type InterpFlag } from './values';

export type QualReading = 'abnormal' | 'normal' | 'equivocal' | 'uninterpretable';

/** SNOMED CT qualifiers: negative, not detected, no growth, normal...; positive, present, graded; trace. */
export const NEG_CODES = new Set(['260385009', '260415000', '2667000', '17621005', '264868006', '281900007', '167336003']);
const POS_CODES = new Set(['10828004', '260373001', '52101004', '260347006', '260348001', '260349009', '260350009']);
const TRACE_CODES = new Set(['260405006']);
export const NEG_TEXT =
  /^\s*(neg(ative)?|not detected|none( seen| detected| found)?|nil|absent|normal|no growth|no significant growth|no bacterial growth|no organisms?( seen| isolated| found)?|sterile|within normal limits|wnl|no abnormalit(y|ies)( detected)?|nad)\b/i;
const NEG_PHRASES = /\b(negative|not detected|not seen|none seen|absent|no growth|no significant growth|nil)\b/gi;
const POS_TEXT =
  /[1-4]\+|\+{1,4}|\b(pos(itive)?|detected|present|small|moderate|large|many|heavy|growth|isolated|cfu|(e\.?|escherichia) ?coli|klebsiella|proteus|enterococc\w*|pseudomonas|staphylococc\w*|streptococc\w*|candida|enterobacter|citrobacter|serratia|morganella|organisms?)\b/i;
/** A dipstick "trace" (also "tr", "+/-", "±", "trace lysed/intact"): equivocal. */
const TRACE_TEXT = /^\s*(trace|tr)\b|^\s*(\+\/-|±)\s*$/i;

/** A microscopy count as text: optional comparator, a number, optionally "-"/"to" and an upper number, optional "/HPF". */
const MICRO_COUNT = /^\s*(<=|>=|<|>)?\s*(\d{1,4}(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d{1,4}(?:\.\d+)?))?\s*(?:(?:cells\s*)?(?:\/|per)\s*\[?hpf\]?)?\s*$/i;
const CULTURE_ORGANISM =
  /\b((e\.?|escherichia) ?coli|klebsiella|proteus|enterococc\w*|pseudomonas|staphylococc\w*|streptococc\w*|candida|enterobacter|citrobacter|serratia|morganella|acinetobacter|providencia)\b/i;
const CULTURE_CONTAMINATED = /\bmixed\b|contaminat|\b(skin|periurethral|genital|perineal) flora\b/i;
const CULTURE_INSIGNIFICANT = /^\s*(<|less than)\s*(10,?000|10\^?4|10\*4|1(\.0)?\s*[x×]\s*10\^?4)\s*(cfu|col)/i;

const DIPSTICK: ReadonlySet<QualRole | undefined> = new Set<QualRole | undefined>(['nitrite', 'leukocyte-esterase', 'dipstick-blood', 'dipstick-protein']);

interface Sign {
  neg: boolean;
  pos: boolean;
  trace: boolean;
}

/** What the codes, else the words, say: negative, positive, trace (or nothing). */
function signOf(text: string, codes: readonly Coding[]): Sign {
  const sign: Sign = { neg: false, pos: false, trace: false };
  for (const c of codes) {
    const code = typeof c.code === 'string' ? c.code : '';
    if (NEG_CODES.has(code)) sign.neg = true;
    else if (POS_CODES.has(code)) sign.pos = true;
    else if (TRACE_CODES.has(code)) sign.trace = true;
  }
  if (sign.neg || sign.pos || sign.trace) return sign;
  if (TRACE_TEXT.test(text)) sign.trace = true;
  else if (NEG_TEXT.test(text)) sign.neg = true;
  else {
    // "Urine nitrite negative (finding)": a negative phrase anywhere, with no positive word left
    const rest = text.replace(NEG_PHRASES, ' ');
    if (POS_TEXT.test(rest)) sign.pos = true;
    else if (rest !== text) sign.neg = true;
  }
  return sign;
}

/**
 * Dipstick grades given as numbers (0, 15, 30, 100 mg/dL...): above zero is a finding. US
 * laboratories often send them as text ("30 mg/dL"): read the same way; "<30 mg/dL" may be negative
 * or trace, so a comparator grade is not read.
 */
function dipstick(sign: Sign, text: string, interp: InterpFlag | undefined, num: number | undefined): QualReading {
  if (sign.trace) return 'equivocal';
  if (sign.neg) return 'normal';
  if (sign.pos) return 'abnormal';
  const parsed = num === undefined ? parseNumericString(text) : undefined;
  const grade = num ?? (parsed && !parsed.comparator ? parsed.value : undefined);
  if (grade !== undefined && Number.isFinite(grade) && grade >= 0) return grade > 0 ? 'abnormal' : 'normal';
  return interp === 'normal' ? 'normal' : 'uninterpretable';
}

/**
 * Decision: more than 5 white cells or more than 2 red cells per high-power field is a finding
 * (pyuria; microscopic haematuria from 3 RBC/HPF); counts given as a range use the upper bound.
 */
function microscopyCount(role: 'micro-wbc' | 'micro-rbc', text: string, interp: InterpFlag | undefined, num?: number, range?: number): QualReading {
  const limit = role === 'micro-wbc' ? 5 : 2;
  if (range !== undefined) return range > limit ? 'abnormal' : 'normal';
  if (num !== undefined && Number.isFinite(num)) return num > limit ? 'abnormal' : 'normal';
  // counts sent as text, the usual vendor shape: "3-5", "10-20 /HPF", ">50", "<5", "2"
  const count = MICRO_COUNT.exec(text);
  if (count) {
    const lo = Number(count[2]);
    const hi = count[3] !== undefined ? Number(count[3]) : lo;
    if (count[1]?.startsWith('>')) return lo >= limit ? 'abnormal' : 'uninterpretable'; // ">2": at least 3
    if (count[1]?.startsWith('<')) return lo <= limit + 1 ? 'normal' : 'uninterpretable'; // "<5": at most 4
    return hi > limit ? 'abnormal' : 'normal';
  }
  if (/\b(many|numerous|tntc|too numerous|packed|loaded|\d{2,}\s*(-|–|to)\s*\d+)\b|[2-4]\+|\+{2,}/i.test(text)) return 'abnormal';
  if (/\b(none|rare|occasional|few|not seen|negative|nil|0\s*(-|–|to)\s*[0-2])\b/i.test(text)) return 'normal';
  return interp === 'normal' ? 'normal' : 'uninterpretable';
}

/**
 * A named organism is a positive culture even with mixed flora; mixed growth or contamination
 * without one is neither an infection nor a negative culture (repeat the sample): uninterpretable.
 * A count stated below 10^4 CFU/mL is no significant growth (decision, common laboratory cut-off).
 * "No significant growth (mixed skin flora)" is a negative culture: the negative wording wins.
 */
function culture(sign: Sign, text: string, codes: readonly Coding[], interp: InterpFlag | undefined): QualReading {
  if (!sign.neg && CULTURE_ORGANISM.test(text)) return 'abnormal';
  if (sign.neg || CULTURE_INSIGNIFICANT.test(text)) return 'normal';
  if (CULTURE_CONTAMINATED.test(text)) return 'uninterpretable';
  // a coded organism (SNOMED) that is not a negative code is a positive culture
  if (sign.pos || codes.some((c) => typeof c.system === 'string' && c.system.includes('snomed') && !NEG_CODES.has(String(c.code)))) return 'abnormal';
  return interp === 'normal' ? 'normal' : 'uninterpretable';
}

export function classifyQualitative(
  role: QualRole | undefined,
  interp: InterpFlag | undefined,
  text: string,
  codes: Coding[],
  hasValue: boolean,
  num?: number,
  /** Upper bound of a valueRange (microscopy counts). */
  range?: number,
): QualReading {
  if (interp && interp !== 'normal') return 'abnormal';
  if (!hasValue) return interp === 'normal' ? 'normal' : 'uninterpretable';
  const sign = signOf(text, codes);
  if (DIPSTICK.has(role)) return dipstick(sign, text, interp, num);
  if (role === 'micro-wbc' || role === 'micro-rbc') return microscopyCount(role, text, interp, num, range);
  if (role === 'micro-present') {
    // bacteria, crystals, casts: "none/not seen/rare/few" is not a finding; graded or plentiful is
    if (sign.neg || /\b(none|not seen|rare|few|occasional)\b/i.test(text)) return 'normal';
    if (sign.pos || sign.trace || (num !== undefined && num > 0)) return 'abnormal';
    return interp === 'normal' ? 'normal' : 'uninterpretable';
  }
  if (role === 'culture') return culture(sign, text, codes, interp);
  if (NON_RESULT.test(text.trim())) return 'uninterpretable';
  return 'normal';
}
