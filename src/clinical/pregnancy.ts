/**
 * Section 5 of the clinical reference: whether pregnancy is recorded, from the rule set's
 * PregnancyDef (rules/riskfactors.ts): a Condition of pregnancy or a pregnancy status Observation
 * saying pregnant, within 10 months of the evaluation date. When it is, the built-in creatinine and
 * eGFR thresholds are not applied (range rows marked `pregnant`) and the evaluation says so.
 *
 * Decisions: the newest dated record within the 10 months decides (a later "not pregnant" status
 * ends an earlier pregnancy); a current pregnancy Condition without any date counts when nothing
 * dated says otherwise (a threshold not applied is the safe side); resolved, inactive, refuted and
 * entered-in-error Conditions are no record of a current pregnancy; results dated within the same
 * 10 months are judged as a pregnant patient's.
 */
import type { CodeableConcept, Condition, FhirResource, Observation } from 'fhir/r4';
import type { CompiledRules } from './catalog';
import { addMonths, DAY_MS, parseFhirDate } from './dates';
import { formatDate } from './display';
import type { PregnancyRecord } from './model';
import type { PregnancyDef } from './rules/types';
import { codingsOf, refOf, textOf } from './values';

export interface Pregnancy {
  record: PregnancyRecord;
  /** Results dated from this time (epoch ms) are judged as a pregnant patient's. */
  from: number;
}

interface Evidence {
  pregnant: boolean;
  time?: number;
  date?: string;
  source: string;
  /** What the record says, as written ("Pregnancy", "Pregnant"). */
  recorded: string;
}

const CURRENT = new Set(['', 'active', 'recurrence', 'relapse']);
const RESULT_STATUS = new Set(['final', 'amended', 'corrected', 'preliminary']);
const rx = (source: string) => new RegExp(source, 'i');
const code = (x: unknown): string => (typeof x === 'string' ? x.trim() : '');

function conditionMatches(cc: CodeableConcept | undefined, def: PregnancyDef): boolean {
  for (const c of codingsOf(cc)) {
    const sys = code(c.system);
    const v = code(c.code);
    if (/snomed/i.test(sys) && def.snomed.includes(v)) return true;
    if (/icd-?10/i.test(sys) && def.icd.some((p) => v.toUpperCase().replace(/[.\s]/g, '').startsWith(p))) return true;
  }
  const text = textOf(cc);
  return rx(def.pattern).test(text) && !rx(def.notPattern).test(text);
}

function fromCondition(c: Condition, def: PregnancyDef): Evidence | undefined {
  const ver = codingsOf(c.verificationStatus).map((x) => code(x.code));
  if (ver.includes('entered-in-error') || ver.includes('refuted')) return undefined;
  if (!CURRENT.has(codingsOf(c.clinicalStatus).map((x) => code(x.code))[0] ?? '')) return undefined;
  if (!conditionMatches(c.code, def)) return undefined;
  const date = c.onsetDateTime ?? c.onsetPeriod?.start ?? c.recordedDate;
  const ev: Evidence = { pregnant: true, source: refOf('Condition', c.id), recorded: textOf(c.code).split(' | ')[0] || 'pregnancy' };
  const time = parseFhirDate(date);
  if (time !== undefined) Object.assign(ev, { time, date: date!.slice(0, 10) });
  return ev;
}

function fromObservation(o: Observation, def: PregnancyDef): Evidence | undefined {
  const coded = codingsOf(o.code).some((c) => /loinc/i.test(code(c.system)) && code(c.code) === def.observation.code);
  if (!coded || !RESULT_STATUS.has(code(o.status))) return undefined;
  const date = o.effectiveDateTime ?? o.effectivePeriod?.end ?? o.effectivePeriod?.start ?? o.issued;
  const time = parseFhirDate(date);
  if (time === undefined) return undefined;
  const answers = codingsOf(o.valueCodeableConcept).map((c) => code(c.code));
  const text = typeof o.valueString === 'string' ? o.valueString : textOf(o.valueCodeableConcept);
  let pregnant: boolean | undefined;
  if (answers.some((a) => def.notPregnantAnswers.includes(a))) pregnant = false;
  else if (answers.some((a) => def.pregnantAnswers.includes(a))) pregnant = true;
  else if (rx(def.pattern).test(text)) pregnant = !rx(def.notPattern).test(text);
  if (pregnant === undefined) return undefined;
  return { pregnant, time, date: date!.slice(0, 10), source: refOf('Observation', o.id), recorded: text.split(' | ')[0] || (pregnant ? 'pregnant' : 'not pregnant') };
}

function evidenceOf(resources: readonly FhirResource[], def: PregnancyDef): Evidence[] {
  const out: Evidence[] = [];
  for (const r of resources) {
    try {
      const e = r.resourceType === 'Condition' ? fromCondition(r as Condition, def) : r.resourceType === 'Observation' ? fromObservation(r as Observation, def) : undefined;
      if (e) out.push(e);
    } catch {
      // a malformed resource records nothing
    }
  }
  return out;
}

/** Whether pregnancy is recorded at the evaluation day, and from when results are judged so. */
export function findPregnancy(resources: readonly FhirResource[], rules: CompiledRules, nowDay: number): Pregnancy | undefined {
  const def = rules.source.pregnancy;
  if (!def) return undefined;
  const from = addMonths(nowDay, -def.months);
  const all = evidenceOf(resources, def);
  const dated = all
    .filter((e) => e.time !== undefined && e.time >= from && e.time <= nowDay + 2 * DAY_MS)
    // newest first; on the same date "pregnant" first (the thresholds not applied: the safe side)
    .sort((a, b) => b.time! - a.time! || Number(b.pregnant) - Number(a.pregnant) || (a.source < b.source ? -1 : 1));
  const decisive = dated.length > 0 ? dated[0] : all.filter((e) => e.time === undefined).sort((a, b) => (a.source < b.source ? -1 : 1))[0];
  if (!decisive?.pregnant) return undefined;
  const record: PregnancyRecord = {
    text: `Pregnancy recorded (“${decisive.recorded}”${decisive.date ? `, ${formatDate(decisive.date)}` : ', undated'}): the built-in creatinine and eGFR thresholds are not applied`,
    source: decisive.source,
  };
  if (decisive.date) record.date = decisive.date;
  return { record, from };
}
