/**
 * Reading results out of FHIR resources: which item a resource is evidence for (codes, then text),
 * its value (section 4: valueQuantity with comparator, numbers in valueString, qualitative values,
 * dataAbsentReason, components), its date and its status. Pure; no ranges here (ranges.ts).
 */
import type {
  CodeableConcept,
  Coding,
  DiagnosticReport,
  ImagingStudy,
  Observation,
  ObservationComponent,
  ObservationReferenceRange,
  Procedure,
  Quantity,
  ServiceRequest,
} from 'fhir/r4';
import { DEFAULT_RULES, type Analyte, type CatalogItem, type CodeTarget, type CompiledRules, type QualRole } from './catalog';
import { SYSTEM_ALIASES } from './vocabulary';
import { dayOf, parseFhirDate } from './dates';
import { readConclusion } from './report-text';
import { classifyQualitative, NEG_CODES } from './qualitative';
import { humanUnit } from './display';

export type Comparator = '<' | '<=' | '>' | '>=';
export type InterpFlag = 'high' | 'low' | 'abnormal' | 'normal';

/** One candidate result for one item (or an auxiliary measurement). */
export interface Reading {
  ref: string;
  /** Component index when read from Observation.component. */
  component?: number;
  itemId: string;
  analyte?: Analyte;
  role?: QualRole;
  matchedByText: boolean;
  resourceType: 'Observation' | 'DiagnosticReport' | 'ImagingStudy' | 'Procedure';
  /** Date as written, '' when absent. */
  date: string;
  /** Epoch ms, NaN when the date is absent or invalid. */
  time: number;
  day: string;
  /** Resource status (Observation.status etc.). */
  status: string;
  num?: number;
  comparator?: Comparator;
  unit?: string;
  unitCode?: string;
  /** Qualitative content or the raw string shown to the clinician. */
  text?: string;
  /** For qualitative items: the reading's own classification. */
  qual?: 'abnormal' | 'normal' | 'uninterpretable';
  interp?: InterpFlag;
  refRanges?: ObservationReferenceRange[];
  /** Why the value cannot be interpreted (set at read time: no value, not a number...). */
  problem?: string;
  /**
   * The entry holds no result at all (no value, a data-absent reason, "Blank", "see comment"): it is
   * named on the item, but it is not a newer result that could not be read.
   */
  noResult?: true;
  /**
   * Imaging judged from free text only (section 5): a finding named plainly in the report's text, or
   * "done: read the report" (no finding named plainly, no report text, or images without a report).
   * Such a "done" never decides whether another item applies.
   */
  textOnly?: 'finding' | 'done';
  /** A report's ImagingStudy references: the study and its report are one examination. */
  studies?: string[];
  /** A dipstick "trace": equivocal, shown as such, never positive by itself (section 5). */
  equivocal?: true;
}

/** An order or a registered result: the item is pending (section 5). */
export interface PendingMark {
  itemId: string;
  ref: string;
  date: string;
  time: number;
}

// ------------------------------------------------------------------ codes and text

function aliasOf(system: unknown, code: string): string | undefined {
  if (typeof system === 'string') {
    const a = SYSTEM_ALIASES[system.trim()];
    if (a) return a;
    return undefined;
  }
  // a code without a system that is shaped like a LOINC code (digits-checkdigit)
  return /^\d{1,7}-\d$/.test(code) ? 'loinc' : undefined;
}

/** The codings of a CodeableConcept; none when `coding` is not an array (hostile input must not throw). */
export function codingsOf(cc: unknown): Coding[] {
  if (!cc || typeof cc !== 'object') return [];
  const c = (cc as CodeableConcept).coding;
  return Array.isArray(c) ? c.filter((x): x is Coding => !!x && typeof x === 'object') : [];
}

export function textOf(cc: unknown): string {
  if (!cc || typeof cc !== 'object') return '';
  const parts: string[] = [];
  const t = (cc as CodeableConcept).text;
  if (typeof t === 'string') parts.push(t);
  for (const c of codingsOf(cc)) if (typeof c.display === 'string') parts.push(c.display);
  return parts.join(' | ');
}

export interface Match {
  target: CodeTarget;
  byText: boolean;
}

/** Per list of items: text → match (null: none). */
const textCaches = new WeakMap<readonly CatalogItem[], Map<string, Match | null>>();

/** Text fallback: code.text/display against the items' patterns. Cached per list of items and text. */
export function matchText(text: string, items: readonly CatalogItem[] = DEFAULT_RULES.items): Match | undefined {
  if (!text) return undefined;
  let cache = textCaches.get(items);
  if (!cache) textCaches.set(items, (cache = new Map()));
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  // "\u200b" and similar zero-width characters appear in Synthea displays
  const t = text.replace(/[\u200b-\u200d\ufeff]/g, '');
  let found: Match | undefined;
  outer: for (const item of items) {
    for (const rule of item.textRules) {
      if (rule.all.every((r) => r.test(t)) && !(rule.not && rule.not.test(t))) {
        const target: CodeTarget = { item, analyte: rule.analyte ?? item.analyte };
        if (rule.role) target.role = rule.role;
        found = { target, byText: true };
        break outer;
      }
    }
  }
  if (cache.size < 20000) cache.set(text, found ?? null);
  return found;
}

/**
 * Which item a code is evidence for: the first LOINC/SNOMED coding found in the code map, then the
 * first of the site's own codes (sitecodes.ts); otherwise, only when the resource carries no LOINC
 * coding, the text fallback. A LOINC code we do not list names something else (calcium in urine): it
 * is not second-guessed by text. A SNOMED CT code we do not list may well be a result we look for
 * (the UK observables of section 1b are few and unverified): the text decides.
 */
export function matchCode(
  cc: unknown,
  allowText = true,
  textItems?: readonly CatalogItem[],
  textEvenIfCoded = false,
  rules: CompiledRules = DEFAULT_RULES,
): Match | undefined {
  const keys = codeKeys(cc);
  for (const key of keys) {
    const t = rules.codes.get(key);
    if (t) return { target: t, byText: false };
  }
  if (!allowText || (keys.some(isLoinc) && !textEvenIfCoded)) return undefined;
  return matchText(textOf(cc), textItems ?? rules.items);
}

const isLoinc = (key: string): boolean => key.startsWith('loinc|');

/**
 * The keys of a CodeableConcept's codings in the code map: `alias|code` of every LOINC/SNOMED
 * coding in the order the EHR sent them, then `system|code` of every other one (a site's codes).
 */
function codeKeys(cc: unknown): string[] {
  const standard: string[] = [];
  const other: string[] = [];
  for (const c of codingsOf(cc)) {
    if (typeof c.code !== 'string') continue;
    const code = c.code.trim();
    const alias = aliasOf(c.system, code);
    if (alias) standard.push(`${alias}|${code}`);
    else if (typeof c.system === 'string' && c.system.trim()) other.push(`${c.system.trim()}|${code}`);
  }
  return [...standard, ...other];
}

/** One pass over the codings: catalog target, auxiliary analyte, and whether a LOINC coding exists. */
function lookupCode(cc: unknown, rules: CompiledRules): { target?: CodeTarget; aux?: Analyte; loinc: boolean } {
  const keys = codeKeys(cc);
  for (const key of keys) {
    const t = rules.codes.get(key);
    if (t) return { target: t, loinc: true };
    const a = rules.aux.get(key);
    if (a) return { aux: a, loinc: true };
  }
  return { loinc: keys.some(isLoinc) };
}

export function auxOf(cc: unknown, rules: CompiledRules = DEFAULT_RULES): Analyte | undefined {
  for (const key of codeKeys(cc)) {
    const a = rules.aux.get(key);
    if (a) return a;
  }
  return undefined;
}

// ------------------------------------------------------------------ values

const COMPARATORS: Record<string, Comparator> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '≤': '<=', '≥': '>=' };

/**
 * valueString that says the test gave no result (Oracle Health "Blank"; not done, sample unsuitable,
 * cancelled): an entry that never stands for a newer result.
 */
const NO_RESULT =
  /^(blank|cancel+ed|not (done|performed|tested|available|applicable)|pending|to follow|tnp|qns|quantity not sufficient|insufficient( sample| specimen)?|h(a)?emoly[sz]ed|clotted|lipemic|error|invalid|n\/?a|refused|-+|\.+)$/i;
/** valueString that puts the result somewhere the panel cannot read ("see comment"): a result that cannot be read. */
const ELSEWHERE = /^(see (comment|note|notes|report|below|text|result)s?|not reported|nr|unknown|\?+)$/i;
/** valueString that is not a result to read: either of the two above. */
export const NON_RESULT = { test: (s: string): boolean => NO_RESULT.test(s) || ELSEWHERE.test(s) };

export interface ParsedNumber {
  value: number;
  comparator?: Comparator;
  unit?: string;
}

/** Parses "4.0", "<0.5", ">100", "139 mmol/L", "1,234", "4,5" (decimal comma). Undefined if not a number. */
export function parseNumericString(raw: string): ParsedNumber | undefined {
  let s = raw.trim();
  if (s === '' || s.length > 60) return undefined;
  const m = /^(<=|>=|=<|=>|≤|≥|<|>)?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?|[+-]?\.\d+)\s*(.*)$/.exec(s);
  if (!m) return undefined;
  let num = m[2]!;
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(num)) num = num.replace(/,/g, '');
  else num = num.replace(',', '.');
  const value = Number(num);
  if (!Number.isFinite(value)) return undefined;
  const cmpRaw = m[1] === '=<' ? '<=' : m[1] === '=>' ? '>=' : m[1];
  const rest = (m[3] ?? '').trim();
  s = rest;
  const out: ParsedNumber = { value };
  if (cmpRaw) out.comparator = COMPARATORS[cmpRaw];
  if (s) out.unit = s;
  return out;
}

function quantityParts(q: Quantity | undefined): { num?: number; comparator?: Comparator; unit?: string; unitCode?: string; problem?: string } {
  if (!q || typeof q !== 'object') return { problem: 'no value' };
  const v = q.value as unknown;
  const out: { num?: number; comparator?: Comparator; unit?: string; unitCode?: string; problem?: string } = {};
  if (typeof q.unit === 'string' && q.unit.trim()) out.unit = q.unit.trim();
  if (typeof q.code === 'string' && q.code.trim()) out.unitCode = q.code.trim();
  // a number sent as a string ("4.0") is accepted only when it is a plain number and nothing else
  const p = typeof v === 'string' ? parseNumericString(v) : undefined;
  if (typeof v === 'number' && Number.isFinite(v)) out.num = v;
  else if (p && p.unit === undefined && p.comparator === undefined) out.num = p.value;
  else out.problem = 'quantity without a numeric value';
  if (q.comparator !== undefined) {
    const c = COMPARATORS[String(q.comparator)];
    if (c) out.comparator = c;
    else out.problem = `unknown comparator "${String(q.comparator)}"`;
  }
  return out;
}

type ValueHolder = Pick<
  Observation,
  | 'valueQuantity'
  | 'valueString'
  | 'valueCodeableConcept'
  | 'valueInteger'
  | 'valueBoolean'
  | 'valueRange'
  | 'valueRatio'
  | 'dataAbsentReason'
  | 'interpretation'
  | 'referenceRange'
>;

function interpretationOf(h: { interpretation?: CodeableConcept[] }): InterpFlag | undefined {
  const list = h.interpretation;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  let normal = false;
  for (const cc of list) {
    if (!cc || typeof cc !== 'object') continue;
    for (const c of codingsOf(cc)) {
      const code = typeof c.code === 'string' ? c.code.trim().toUpperCase() : '';
      // section 5: H, HH, HU / L, LL, LU / A, AA, POS (and DET for qualitative items) are abnormal
      if (code === 'H' || code === 'HH' || code === 'HU' || code === '>') return 'high';
      if (code === 'L' || code === 'LL' || code === 'LU' || code === '<') return 'low';
      if (code === 'A' || code === 'AA' || code === 'POS' || code === 'DET') return 'abnormal';
      if (code === 'N' || code === 'NEG' || code === 'ND') normal = true;
    }
    if (normal) continue;
    const t = textOf(cc).trim().toLowerCase();
    if (/^(high|critical high|above (normal|high normal))\b/.test(t)) return 'high';
    if (/^(low|critical low|below (normal|low normal))\b/.test(t)) return 'low';
    if (/^(abnormal|critical|positive|detected)\b/.test(t)) return 'abnormal';
    if (/^(normal|negative|not detected)\b/.test(t)) normal = true;
  }
  return normal ? 'normal' : undefined;
}

// ------------------------------------------------------------------ qualitative classification

export { classifyQualitative } from './qualitative';

function qualText(h: ValueHolder): { text: string; codes: Coding[]; has: boolean } {
  if (typeof h.valueString === 'string') return { text: h.valueString.trim(), codes: [], has: h.valueString.trim() !== '' };
  if (h.valueCodeableConcept) {
    const t = (typeof h.valueCodeableConcept.text === 'string' && h.valueCodeableConcept.text) || codingsOf(h.valueCodeableConcept).map((c) => c.display).filter(Boolean).join(', ');
    const codes = codingsOf(h.valueCodeableConcept);
    return { text: String(t ?? ''), codes, has: !!t || codes.length > 0 };
  }
  if (h.valueQuantity && typeof h.valueQuantity.value === 'number') {
    return { text: `${h.valueQuantity.comparator ?? ''}${h.valueQuantity.value}${h.valueQuantity.unit ? ' ' + humanUnit(h.valueQuantity.unit) : ''}`, codes: [], has: true };
  }
  if (typeof h.valueInteger === 'number') return { text: String(h.valueInteger), codes: [], has: true };
  if (typeof h.valueBoolean === 'boolean') return { text: h.valueBoolean ? 'positive' : 'negative', codes: [], has: true };
  if (h.valueRange && (h.valueRange.low || h.valueRange.high)) {
    const lo = h.valueRange.low?.value;
    const hi = h.valueRange.high?.value;
    const u = h.valueRange.high?.unit ?? h.valueRange.low?.unit ?? '';
    return { text: `${lo ?? ''}–${hi ?? ''}${u ? ' ' + humanUnit(u) : ''}`, codes: [], has: true };
  }
  return { text: '', codes: [], has: false };
}

/** An abnormal flag on an entry without a value still stands (the safe direction): then it is a result. */
const flagged = (interp: InterpFlag | undefined): boolean => interp !== undefined && interp !== 'normal';

function fillValue(r: Reading, h: ValueHolder, qualitative: boolean): void {
  const interp = interpretationOf(h);
  if (interp) r.interp = interp;
  if (Array.isArray(h.referenceRange)) r.refRanges = h.referenceRange;
  if (h.dataAbsentReason && !h.valueQuantity && h.valueString === undefined && !h.valueCodeableConcept) {
    const why = textOf(h.dataAbsentReason) || codingsOf(h.dataAbsentReason)[0]?.code || 'no value';
    r.problem = `no value (${why})`;
    if (!flagged(interp)) r.noResult = true;
    if (qualitative) r.qual = 'uninterpretable';
    return;
  }
  if (qualitative) fillQualitative(r, h, interp);
  else fillNumeric(r, h, interp);
}

function fillQualitative(r: Reading, h: ValueHolder, interp: InterpFlag | undefined): void {
  const q = qualText(h);
  if (q.text) r.text = q.text;
  // numeric urine pH is kept as a number too (distal RTA pattern, section 7)
  if (r.analyte === 'urine-ph' && h.valueQuantity) Object.assign(r, stripProblem(quantityParts(h.valueQuantity)));
  else if (r.analyte === 'urine-ph' && typeof h.valueString === 'string') {
    const p = parseNumericString(h.valueString);
    if (p) r.num = p.value;
  }
  const num = h.valueQuantity && typeof h.valueQuantity.value === 'number' ? h.valueQuantity.value : typeof h.valueInteger === 'number' ? h.valueInteger : undefined;
  const upper = h.valueRange ? (typeof h.valueRange.high?.value === 'number' ? h.valueRange.high.value : h.valueRange.low?.value) : undefined;
  // a numeric part that cannot be a real measurement (pH 1e308, a negative count) is not "done"
  if (num !== undefined && (!Number.isFinite(num) || num < 0 || Math.abs(num) > 1e6 || (r.analyte === 'urine-ph' && (num < 3 || num > 10)))) {
    r.qual = 'uninterpretable';
    r.problem = `implausible value (${num})`;
    delete r.num;
    return;
  }
  const reading = classifyQualitative(r.role, interp, q.text, q.codes, q.has, num, typeof upper === 'number' && Number.isFinite(upper) ? upper : undefined);
  // a "trace" is shown as trace, and counts as neither positive nor negative
  r.qual = reading === 'equivocal' ? 'normal' : reading;
  if (reading === 'equivocal') r.equivocal = true;
  if (r.qual === 'uninterpretable') r.problem = q.has ? `"${q.text}" is not a recognised result` : 'no value';
  if (!q.has || NO_RESULT.test(q.text)) r.noResult = true;
}

function fillNumeric(r: Reading, h: ValueHolder, interp: InterpFlag | undefined): void {
  if (h.valueQuantity) {
    Object.assign(r, quantityParts(h.valueQuantity));
  } else if (typeof h.valueString === 'string') {
    fillFromText(r, h.valueString.trim(), interp);
  } else if (typeof h.valueInteger === 'number') {
    r.num = h.valueInteger;
  } else if (h.valueCodeableConcept || h.valueBoolean !== undefined || h.valueRange || h.valueRatio) {
    const q = qualText(h);
    if (q.text) r.text = q.text;
    r.problem = 'not a numeric result';
  } else {
    r.problem = 'no value';
    if (!flagged(interp)) r.noResult = true;
  }
}

/** A number sent as text: "4.0", "<0.5", "139 mmol/L", "2.9 L" (the laboratory's low flag), or no result. */
function fillFromText(r: Reading, s: string, interp: InterpFlag | undefined): void {
  r.text = s;
  if (NON_RESULT.test(s)) {
    r.problem = `no result ("${s}")`;
    if (NO_RESULT.test(s) && !flagged(interp)) r.noResult = true;
    return;
  }
  const p = parseNumericString(s);
  if (!p) {
    r.problem = `result "${s}" is not a number`;
    return;
  }
  r.num = p.value;
  if (p.comparator) r.comparator = p.comparator;
  const flag = p.unit ? TEXT_FLAGS[p.unit.toLowerCase()] : undefined;
  if (flag) r.interp ??= flag;
  else if (p.unit) r.unit = p.unit;
}

/** Flags a laboratory writes after the number in a text result ("2.9 L", "6.1 H", "7.2 HH"). */
const TEXT_FLAGS: Readonly<Record<string, InterpFlag>> = { h: 'high', hh: 'high', hi: 'high', high: 'high', l: 'low', ll: 'low', lo: 'low', low: 'low', a: 'abnormal', aa: 'abnormal' };

function stripProblem<T extends { problem?: string }>(o: T): Omit<T, 'problem'> {
  const { problem: _p, ...rest } = o;
  return rest;
}

// ------------------------------------------------------------------ resources

/** The catalog items a panel code covers, if the code is a known panel. */
function panelItems(cc: unknown, rules: CompiledRules): readonly string[] | undefined {
  for (const c of codingsOf(cc)) {
    if (typeof c.code !== 'string') continue;
    const alias = aliasOf(c.system, c.code.trim());
    const items = alias ? rules.panels.get(`${alias}|${c.code.trim()}`) : undefined;
    if (items) return items;
  }
  return undefined;
}


/** Section 4: effectiveDateTime, else effectivePeriod.end/start, else issued. */
export function resultDate(o: {
  effectiveDateTime?: string;
  effectiveInstant?: string;
  effectivePeriod?: { start?: string; end?: string };
  issued?: string;
}): string {
  const cands = [o.effectiveDateTime, o.effectiveInstant, o.effectivePeriod?.end, o.effectivePeriod?.start, o.issued];
  for (const c of cands) if (typeof c === 'string' && parseFhirDate(c) !== undefined) return c.trim();
  for (const c of cands) if (typeof c === 'string' && c.trim()) return c.trim();
  return '';
}

function base(
  ref: string,
  resourceType: Reading['resourceType'],
  match: Match,
  date: string,
  status: string,
): Reading {
  const time = parseFhirDate(date);
  const r: Reading = {
    ref,
    itemId: match.target.item.id,
    matchedByText: match.byText,
    resourceType,
    date,
    time: time ?? NaN,
    day: date ? dayOf(date) : '',
    status,
  };
  if (match.target.analyte) r.analyte = match.target.analyte;
  if (match.target.role) r.role = match.target.role;
  return r;
}

export interface AuxReading {
  analyte: Analyte;
  ref: string;
  time: number;
  num: number;
  unit?: string;
  unitCode?: string;
}

/** A panel header (no value of its own) whose results are separate member Observations. */
export interface PanelHeader {
  reading: Reading;
  members: string[];
}

export interface Collected {
  readings: Reading[];
  pending: PendingMark[];
  aux: AuxReading[];
  /** Filled by readObservation; evaluate() keeps a header only when none of its members was loaded. */
  headers?: PanelHeader[];
}

/** Observation statuses that count as results (section 4). */
const COUNTING_OBS = new Set(['final', 'amended', 'corrected', 'preliminary']);
const IGNORED = new Set(['entered-in-error', 'cancelled']);

export function refOf(type: string, id: unknown): string {
  return `${type}/${typeof id === 'string' && id ? id : '(no id)'}`;
}

function statusOf(x: unknown): string {
  return typeof x === 'string' ? x.trim().toLowerCase() : '';
}

/** A height or weight (section 3: Schwartz eGFR, per-kg urine): a dated number that counts. */
function readAux(o: Observation, aux: Analyte, ref: string, date: string, status: string, out: Collected): void {
  if (status === 'registered' || !COUNTING_OBS.has(status) || !o.valueQuantity || typeof o.valueQuantity.value !== 'number') return;
  const time = parseFhirDate(date);
  if (time === undefined) return;
  const a: AuxReading = { analyte: aux, ref, time, num: o.valueQuantity.value };
  if (o.valueQuantity.unit) a.unit = o.valueQuantity.unit;
  if (o.valueQuantity.code) a.unitCode = o.valueQuantity.code;
  out.aux.push(a);
}

/**
 * The Observation's own result. A panel header whose analytes are in components or members is not
 * a result by itself; one whose members are all absent is kept aside (the panel was done but its
 * results are not available: unknown, never missing).
 */
function readOwnValue(o: Observation, match: Match, ref: string, date: string, status: string, out: Collected): void {
  if (status === 'registered') return pend(out, match.target.item.id, ref, date);
  const hasComponents = Array.isArray(o.component) && o.component.length > 0;
  const hasMembers = Array.isArray(o.hasMember) && o.hasMember.length > 0;
  const hasOwnValue =
    o.valueQuantity || o.valueString !== undefined || o.valueCodeableConcept || o.valueInteger !== undefined ||
    o.valueBoolean !== undefined || o.valueRange || o.valueRatio || o.dataAbsentReason;
  const r = base(ref, 'Observation', match, date, status);
  finishStatus(r, status);
  if (hasOwnValue || (!hasComponents && !hasMembers)) {
    fillValue(r, o, match.target.item.kind === 'qualitative');
    out.readings.push(r);
  } else if (!hasComponents && hasMembers && out.headers) {
    r.problem = 'panel reported without its results (its member results were not found)';
    if (match.target.item.kind === 'qualitative') r.qual = 'uninterpretable';
    const members = (o.hasMember ?? []).map((m) => (typeof m?.reference === 'string' ? m.reference.trim() : '')).filter(Boolean);
    out.headers.push({ reading: r, members });
  }
}

/** Each component naming an investigation is a result of its own (section 4). */
function readComponents(o: Observation, ref: string, date: string, status: string, out: Collected, rules: CompiledRules): void {
  const components = Array.isArray(o.component) ? o.component : [];
  components.forEach((c: ObservationComponent, i: number) => {
    if (!c || typeof c !== 'object') return;
    const m = matchCode(c.code, true, undefined, false, rules);
    if (!m) return;
    if (status === 'registered') return pend(out, m.target.item.id, ref, date);
    const r = base(ref, 'Observation', m, date, status);
    r.component = i;
    finishStatus(r, status);
    fillValue(r, c as ValueHolder, m.target.item.kind === 'qualitative');
    out.readings.push(r);
  });
}

/** Reads one Observation into readings (itself and its components), pending marks and aux values. */
export function readObservation(o: Observation, out: Collected, rules: CompiledRules = DEFAULT_RULES): void {
  const status = statusOf(o.status);
  if (IGNORED.has(status)) return; // section 4: ignored completely
  const ref = refOf('Observation', o.id);
  const date = resultDate(o);
  const found = lookupCode(o.code, rules);
  if (found.aux) return readAux(o, found.aux, ref, date, status, out);
  const match = found.target ? { target: found.target, byText: false } : found.loinc ? undefined : matchText(textOf(o.code), rules.items);
  if (match) readOwnValue(o, match, ref, date, status, out);
  readComponents(o, ref, date, status, out, rules);
}

function pend(out: Collected, itemId: string, ref: string, date: string): void {
  out.pending.push({ itemId, ref, date, time: parseFhirDate(date) ?? NaN });
}

/** An order or a report not yet resulted: pending for each item of a panel code, else for the item its code names. */
function pendFor(code: unknown, out: Collected, ref: string, date: string, rules: CompiledRules): void {
  for (const itemId of panelItems(code, rules) ?? [matchCode(code, true, rules.items, true, rules)?.target.item.id]) if (itemId) pend(out, itemId, ref, date);
}

function finishStatus(r: Reading, status: string): void {
  if (!COUNTING_OBS.has(status)) r.problem = status ? `result status "${status}" does not count` : 'result status not stated';
}

/** Per rule set: the items a report, study or procedure can be evidence for. */
const itemLists = new WeakMap<CompiledRules, { imaging: CatalogItem[]; qualitative: CatalogItem[] }>();

function listsOf(rules: CompiledRules): { imaging: CatalogItem[]; qualitative: CatalogItem[] } {
  let l = itemLists.get(rules);
  if (!l) {
    l = { imaging: rules.items.filter((i) => i.group === 'imaging' || i.group === 'other'), qualitative: rules.items.filter((i) => i.kind === 'qualitative') };
    itemLists.set(rules, l);
  }
  return l;
}

/**
 * A coded conclusion's words join the report's text only when they say something it does not
 * already say ("Nephrocalcinosis" adds nothing to "Bilateral medullary nephrocalcinosis").
 */
function addConclusionPart(parts: string[], words: string): void {
  const w = words.trim();
  if (w && !parts.some((p) => p.toLowerCase().includes(w.toLowerCase()))) parts.push(w);
}

/**
 * A report's conclusion (section 5): a coded finding decides (abnormal unless its codes say normal);
 * without one, the free text is read for the article's findings (report-text.ts): abnormal only when
 * one is named plainly, otherwise "done: read the report". `text` tells which way it was read.
 */
function conclusionOf(dr: DiagnosticReport): { text: string; abnormal: boolean; fromText?: NonNullable<Reading['textOnly']> } {
  const parts: string[] = [];
  if (typeof dr.conclusion === 'string' && dr.conclusion.trim()) parts.push(dr.conclusion.trim());
  let coded: boolean | undefined;
  for (const cc of Array.isArray(dr.conclusionCode) ? dr.conclusionCode : []) {
    for (const t of textOf(cc).split(' | ')) addConclusionPart(parts, t);
    const codes = codingsOf(cc);
    if (codes.length > 0) coded = coded === true || !codes.some((c) => NEG_CODES.has(String(c.code)));
  }
  const text = parts.reduce((acc, p) => (acc ? `${acc}${/[.!?]$/.test(acc) ? ' ' : '; '}${p}` : p), '');
  if (coded !== undefined) return { text, abnormal: coded };
  const reading = readConclusion(text);
  return { text, abnormal: reading === 'finding', fromText: reading === 'finding' ? 'finding' : 'done' };
}

/**
 * DiagnosticReport: evidence for qualitative items only (urinalysis, culture, imaging, biopsy,
 * genetics); lab values are read from their Observations. final/amended/corrected/appended count,
 * preliminary counts (marked), registered/partial are pending, cancelled/entered-in-error ignored.
 */
export function readDiagnosticReport(dr: DiagnosticReport, out: Collected, rules: CompiledRules = DEFAULT_RULES): void {
  const status = statusOf(dr.status);
  if (IGNORED.has(status)) return;
  const ref = refOf('DiagnosticReport', dr.id);
  const date = resultDate(dr);
  if (status === 'registered' || status === 'partial') {
    // a report not yet (fully) resulted: pending for whatever it covers, labs included
    pendFor(dr.code, out, ref, date, rules);
    return;
  }
  // Imaging/procedure vocabularies are too large to list: for reports, text is always a fallback.
  const match = matchCode(dr.code, true, listsOf(rules).qualitative, true, rules);
  if (!match || match.target.item.kind !== 'qualitative') return;
  const r = base(ref, 'DiagnosticReport', match, date, status);
  const studies = (Array.isArray(dr.imagingStudy) ? dr.imagingStudy : []).map((x) => (typeof x?.reference === 'string' ? x.reference.trim() : '')).filter(Boolean);
  if (studies.length > 0) r.studies = studies;
  const counted = status === 'final' || status === 'amended' || status === 'corrected' || status === 'appended' || status === 'preliminary';
  if (!counted) r.problem = status ? `report status "${status}" does not count` : 'report status not stated';
  const concl = conclusionOf(dr);
  if (concl.text) r.text = concl.text;
  if (match.target.item.id === 'urine-culture') {
    const reading = concl.abnormal ? 'abnormal' : classifyQualitative('culture', undefined, concl.text, [], concl.text !== '');
    r.qual = reading === 'equivocal' ? 'uninterpretable' : reading;
    if (r.qual === 'uninterpretable' && !concl.text) {
      // a culture report without conclusion: its Observations carry the result
      return;
    }
  } else if (match.target.item.id === 'urinalysis' && !concl.text) {
    return; // the panel's Observations carry the results
  } else {
    r.qual = concl.abnormal ? 'abnormal' : 'normal';
    if (concl.fromText) r.textOnly = concl.fromText;
    if (!r.text) r.text = 'report available';
  }
  if (r.qual === 'uninterpretable') r.problem = `report "${concl.text}" is not a recognised result`;
  out.readings.push(r);
}

function imagingStudyText(s: ImagingStudy): string {
  const parts: string[] = [];
  if (typeof s.description === 'string') parts.push(s.description);
  for (const pc of Array.isArray(s.procedureCode) ? s.procedureCode : []) parts.push(textOf(pc));
  for (const m of Array.isArray(s.modality) ? s.modality : []) if (typeof m.code === 'string') parts.push(m.code);
  for (const se of Array.isArray(s.series) ? s.series : []) {
    if (!se || typeof se !== 'object') continue;
    if (typeof se.description === 'string') parts.push(se.description);
    if (se.modality && typeof se.modality.code === 'string') parts.push(se.modality.code);
    if (se.bodySite && typeof se.bodySite.display === 'string') parts.push(se.bodySite.display);
  }
  return parts.filter(Boolean).join(' | ');
}

/** ImagingStudy: images exist (status available) = done; registered = pending. */
export function readImagingStudy(s: ImagingStudy, out: Collected, rules: CompiledRules = DEFAULT_RULES): void {
  const imaging = listsOf(rules).imaging;
  const status = statusOf(s.status);
  if (IGNORED.has(status)) return;
  const ref = refOf('ImagingStudy', s.id);
  const date = typeof s.started === 'string' ? s.started.trim() : '';
  let match: Match | undefined;
  for (const pc of Array.isArray(s.procedureCode) ? s.procedureCode : []) {
    match = matchCode(pc, false, undefined, false, rules);
    if (match) break;
  }
  for (const pc of match ? [] : Array.isArray(s.procedureCode) ? s.procedureCode : []) {
    match = matchCode(pc, true, imaging, true, rules);
    if (match) break;
  }
  if (!match) match = matchText(imagingStudyText(s), imaging);
  if (!match) return;
  if (status === 'registered') {
    pend(out, match.target.item.id, ref, date);
    return;
  }
  const r = base(ref, 'ImagingStudy', match, date, status);
  if (status !== 'available') r.problem = status ? `imaging study status "${status}" does not count` : 'imaging study status not stated';
  r.text = typeof s.description === 'string' && s.description.trim() ? `images available: ${s.description.trim()}` : 'images available (no report found)';
  r.qual = r.problem ? 'uninterpretable' : 'normal';
  r.textOnly = 'done';
  out.readings.push(r);
}

/** Procedure: completed = done; preparation/in-progress = pending; others ignored. */
export function readProcedure(p: Procedure, out: Collected, rules: CompiledRules = DEFAULT_RULES): void {
  const status = statusOf(p.status);
  if (IGNORED.has(status) || status === 'not-done' || status === 'stopped') return;
  const match = matchCode(p.code, true, listsOf(rules).imaging, true, rules);
  if (!match || match.target.item.kind !== 'qualitative') return;
  const ref = refOf('Procedure', p.id);
  const date =
    (typeof p.performedDateTime === 'string' && p.performedDateTime.trim()) ||
    (typeof p.performedPeriod?.end === 'string' && p.performedPeriod.end.trim()) ||
    (typeof p.performedPeriod?.start === 'string' && p.performedPeriod.start.trim()) ||
    '';
  if (status === 'preparation' || status === 'in-progress') {
    pend(out, match.target.item.id, ref, date);
    return;
  }
  if (status !== 'completed') return;
  const r = base(ref, 'Procedure', match, date, status);
  const outcome = textOf(p.outcome);
  r.text = outcome ? `done: ${outcome}` : 'done';
  r.qual = 'normal';
  out.readings.push(r);
}

/** ServiceRequest: an order, never a result. active/on-hold = pending (section 5). */
export function readServiceRequest(s: ServiceRequest, out: Collected, rules: CompiledRules = DEFAULT_RULES): void {
  const status = statusOf(s.status);
  if (status !== 'active' && status !== 'on-hold') return;
  const date = typeof s.authoredOn === 'string' ? s.authoredOn.trim() : '';
  pendFor(s.code, out, refOf('ServiceRequest', s.id), date, rules);
}
