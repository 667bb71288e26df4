/**
 * Risk factors and treatment context from the record: section 8 of the clinical reference.
 * Conditions by SNOMED, ICD-10 / ICD-10-CM (by prefix) and text; medicines by RxNorm ingredient,
 * ATC and ingredient/brand names in the display (product-level codes such as "Furosemide 40 MG Oral
 * Tablet").
 *
 * Decisions: Conditions whose verificationStatus is entered-in-error or refuted are ignored;
 * resolved/inactive ones are kept (a past cause still explains calcification) with their status.
 * MedicationRequest entered-in-error/cancelled/draft and MedicationStatement
 * entered-in-error/not-taken are ignored; stopped/completed ones are kept with their status.
 * One entry per risk factor: a current one, then a coded match over a text match, then the newest.
 */
import type { CodeableConcept, Coding, Condition, FhirResource, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';
import type { RiskFactor } from './model';
import { parseFhirDate } from './dates';
import { DEFAULT_RULES, type CompiledRules } from './catalog';
import type { ConditionDef, MedicationDef } from './rules/types';
import { codingsOf, refOf, textOf } from './values';

/** Section 8 conditions and medicines of the built-in rules (rules/riskfactors.ts). */
export const CONDITION_DEFS: readonly ConditionDef[] = DEFAULT_RULES.conditions;
export const MEDICATION_DEFS: readonly MedicationDef[] = DEFAULT_RULES.medicines;

const ICD = /icd-?10/i;
const SNOMED = /snomed/i;
const RXNORM = /rxnorm/i;
const ATC = /atc/i;

const norm = (s: string): string => s.toUpperCase().replace(/[.\s]/g, '');

function matchCondition(cc: CodeableConcept | undefined, rules: CompiledRules): { def: ConditionDef; by: string } | undefined {
  const cs = codingsOf(cc);
  for (const def of rules.conditions) {
    for (const c of cs) {
      const code = typeof c.code === 'string' ? c.code.trim() : '';
      const sys = typeof c.system === 'string' ? c.system : '';
      if (!code) continue;
      if (SNOMED.test(sys) && def.snomed?.includes(code)) return { def, by: `${sys}|${code}` };
      if (ICD.test(sys)) {
        const n = norm(code);
        if (def.icdExact?.includes(n) || def.icd?.some((p) => n.startsWith(p))) return { def, by: `${sys}|${code}` };
      }
    }
  }
  const text = textOf(cc);
  if (text) {
    for (const def of rules.conditions) if (rules.conditionPatterns.get(def.id)?.test(text)) return { def, by: 'text' };
  }
  return undefined;
}

function matchMedication(cc: CodeableConcept | undefined, extraText: string, rules: CompiledRules): { def: MedicationDef; by: string }[] {
  const found: { def: MedicationDef; by: string }[] = [];
  const cs = codingsOf(cc);
  const text = [textOf(cc), extraText].filter(Boolean).join(' | ');
  for (const def of rules.medicines) {
    const names = rules.medicinePatterns.get(def.id)!;
    let by: string | undefined;
    for (const c of cs) {
      const code = typeof c.code === 'string' ? c.code.trim() : '';
      const sys = typeof c.system === 'string' ? c.system : '';
      if (RXNORM.test(sys) && def.rxnorm.includes(code)) by = `${sys}|${code}`;
      else if (ATC.test(sys) && def.atc.some((p) => code.toUpperCase().startsWith(p))) by = `${sys}|${code}`;
      if (by) break;
    }
    // product-level codes: the ingredient names in the text (each part of a combination product)
    if (!by && text && text.split(/\s*(?:\/|\||\+|,| and )\s*/i).some((part) => names.test(part))) by = 'text';
    if (by) found.push({ def, by });
  }
  return found;
}

export interface RiskFactorResult {
  riskFactors: RiskFactor[];
  /** Ids recorded as current (condition not refuted; medication active/on-hold/intended/unknown). */
  current: Set<string>;
  /** Ids recorded at all. */
  any: Set<string>;
}

const ACTIVE_MED = new Set(['active', 'on-hold', 'intended', 'unknown', '']);

/** Resolves the medication concept (inline, contained, or a Medication resource in the input). */
function medicationConcept(
  r: MedicationRequest | MedicationStatement,
  meds: ReadonlyMap<string, Medication>,
): { cc?: CodeableConcept; text: string } {
  if (r.medicationCodeableConcept) return { cc: r.medicationCodeableConcept, text: '' };
  const ref = r.medicationReference;
  const display = typeof ref?.display === 'string' ? ref.display : '';
  const target = typeof ref?.reference === 'string' ? ref.reference.trim() : '';
  let med: Medication | undefined;
  if (target.startsWith('#')) {
    const contained = Array.isArray(r.contained) ? r.contained : [];
    med = contained.find((c) => c && c.resourceType === 'Medication' && c.id === target.slice(1)) as Medication | undefined;
  } else if (target) {
    const m = /Medication\/([^/]+)$/.exec(target);
    med = meds.get(m ? m[1]! : target);
  }
  const out: { cc?: CodeableConcept; text: string } = { text: display };
  if (med?.code) out.cc = med.code;
  return out;
}

/** A match found in one resource: the risk factor as shown, whether current, and its date. */
interface Hit {
  rf: RiskFactor;
  current: boolean;
  time: number;
}

function conditionHit(c: Condition, rules: CompiledRules): Hit | undefined {
  const ver = codingsOf(c.verificationStatus).map((x) => String(x.code));
  if (ver.includes('entered-in-error') || ver.includes('refuted')) return undefined;
  const m = matchCondition(c.code, rules);
  if (!m) return undefined;
  const clin = codingsOf(c.clinicalStatus).map((x) => String(x.code))[0] ?? '';
  const isCurrent = clin === '' || clin === 'active' || clin === 'recurrence' || clin === 'relapse';
  const recorded = textOf(c.code).split(' | ')[0] ?? '';
  const rf: RiskFactor = {
    id: m.def.id,
    text: `${m.def.text}${recorded ? ` (recorded: “${recorded}”)` : ''}${isCurrent ? '' : ` — ${clin}`}`,
    kind: 'condition',
    source: refOf('Condition', c.id),
    matchedBy: m.by,
    role: m.def.role ?? 'cause',
  };
  if (clin) rf.status = clin;
  return { rf, current: isCurrent, time: parseFhirDate(c.recordedDate ?? c.onsetDateTime) ?? -Infinity };
}

const IGNORED_MED = new Set(['entered-in-error', 'cancelled', 'draft', 'not-taken']);

function medicationHits(r: MedicationRequest | MedicationStatement, meds: ReadonlyMap<string, Medication>, rules: CompiledRules): Hit[] {
  const status = typeof r.status === 'string' ? r.status : '';
  if (IGNORED_MED.has(status)) return [];
  const concept = medicationConcept(r, meds);
  const found = matchMedication(concept.cc, concept.text, rules);
  const isCurrent = ACTIVE_MED.has(status);
  const recorded = (textOf(concept.cc).split(' | ')[0] || concept.text).trim();
  const date = r.resourceType === 'MedicationRequest' ? r.authoredOn : (r.effectiveDateTime ?? r.dateAsserted);
  return found.map((f) => {
    const rf: RiskFactor = {
      id: f.def.id,
      text: `${f.def.text}${recorded ? ` (recorded: “${recorded}”)` : ''}${isCurrent ? '' : ` — ${status}`}`,
      kind: 'medication',
      source: refOf(r.resourceType, r.id),
      matchedBy: f.by,
      role: f.def.role,
    };
    if (status) rf.status = status;
    return { rf, current: isCurrent, time: parseFhirDate(date) ?? -Infinity };
  });
}

function hitsOf(r: FhirResource, meds: ReadonlyMap<string, Medication>, rules: CompiledRules): Hit[] {
  if (r.resourceType === 'Condition') {
    const h = conditionHit(r as Condition, rules);
    return h ? [h] : [];
  }
  if (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') return medicationHits(r, meds, rules);
  return [];
}

/**
 * Which entry is shown for a risk factor: a current one, then a coded match over a text match
 * (text is the fallback, section 8), then the newest, then the smallest reference.
 */
function better(h: Hit, prev: Hit): boolean {
  const coded = (x: Hit): boolean => x.rf.matchedBy !== 'text';
  if (h.current !== prev.current) return h.current;
  if (coded(h) !== coded(prev)) return coded(h);
  if (h.time !== prev.time) return h.time > prev.time;
  if (h.rf.source !== prev.rf.source) return h.rf.source < prev.rf.source;
  return JSON.stringify(h.rf) < JSON.stringify(prev.rf);
}

export function findRiskFactors(resources: readonly FhirResource[], meds: ReadonlyMap<string, Medication>, rules: CompiledRules = DEFAULT_RULES): RiskFactorResult {
  const hits = new Map<string, Hit>();
  const current = new Set<string>();
  const any = new Set<string>();
  for (const r of resources) {
    let found: Hit[];
    try {
      found = hitsOf(r, meds, rules);
    } catch {
      continue; // a malformed resource is skipped
    }
    for (const h of found) {
      any.add(h.rf.id);
      if (h.current) current.add(h.rf.id);
      const prev = hits.get(h.rf.id);
      if (!prev || better(h, prev)) hits.set(h.rf.id, h);
    }
  }
  // stable order: conditions then medicines, each in definition order
  const order = [...rules.conditions.map((d) => d.id), ...rules.medicines.map((d) => d.id)];
  const riskFactors = [...hits.values()].sort((a, b) => order.indexOf(a.rf.id) - order.indexOf(b.rf.id)).map((h) => h.rf);
  return { riskFactors, current, any };
}
