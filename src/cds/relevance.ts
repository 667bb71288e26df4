/**
 * Whether the workup concerns this patient, so that a card is shown at all: nephrocalcinosis or
 * medullary sponge kidney recorded as a Condition (the engine's risk factors, section 8 of the
 * clinical reference), or named by an imaging report (DiagnosticReport conclusion or conclusion
 * code) or an imaging study (ImagingStudy description, series, reason).
 *
 * The conditions' codes and wording are the clinical core's own definitions (CONDITION_DEFS): the
 * service adds no clinical vocabulary of its own.
 *
 * Decisions:
 * - Text is read as the engine reads an imaging conclusion (namesPlainly, the words of section 5 of
 *   the reference): a mention that is negated or uncertain ("no nephrocalcinosis",
 *   "?nephrocalcinosis", "nephrocalcinosis excluded", "possible nephrocalcinosis") does not count:
 *   a finding is never read into a report by guesswork. A missed card costs less
 *   than a card that tells a clinician the patient has a disease the report ruled out.
 * - A coded conclusion or reason asserts the finding: no negation to read.
 * - Entered-in-error and cancelled reports and studies are ignored.
 */
import type { CodeableConcept, Coding, DiagnosticReport, FhirResource, ImagingStudy } from 'fhir/r4';
import { CONDITION_DEFS, namesPlainly } from '../clinical';
import type { Evaluation } from '../clinical/model';

export type RelevantCondition = 'nephrocalcinosis' | 'medullary-sponge-kidney';
const RELEVANT: readonly RelevantCondition[] = ['nephrocalcinosis', 'medullary-sponge-kidney'];

export interface RelevanceReason {
  condition: RelevantCondition;
  /** Where it was found: a recorded Condition, or an imaging report or study. */
  kind: 'condition' | 'imaging-report' | 'imaging-study';
  /** Reference of the resource ("Condition/1"). */
  source: string;
}

type Def = (typeof CONDITION_DEFS)[number] & { rx?: RegExp };
const DEFS: ReadonlyArray<{ id: RelevantCondition; def: Def }> = RELEVANT.flatMap((id) => {
  const def = CONDITION_DEFS.find((d) => d.id === id);
  const rx = def?.pattern !== undefined ? new RegExp(def.pattern, 'i') : undefined;
  return def ? [{ id, def: rx ? { ...def, rx } : def }] : [];
});

const IGNORED_STATUS = new Set(['entered-in-error', 'cancelled']);
const ICD = /icd-?10/i;
const SNOMED = /snomed/i;

const norm = (s: string): string => s.toUpperCase().replace(/[.\s]/g, '');

function codedMatch(codings: readonly Coding[], def: Def): boolean {
  for (const c of codings) {
    const code = typeof c?.code === 'string' ? c.code.trim() : '';
    const system = typeof c?.system === 'string' ? c.system : '';
    if (!code) continue;
    if (SNOMED.test(system) && def.snomed?.includes(code)) return true;
    if (ICD.test(system) && (def.icdExact?.includes(norm(code)) || def.icd?.some((p) => norm(code).startsWith(p)))) return true;
  }
  return false;
}


function codingsOf(cc: CodeableConcept | undefined): Coding[] {
  return cc && Array.isArray(cc.coding) ? cc.coding.filter((c) => c && typeof c === 'object') : [];
}

function conceptTexts(cc: CodeableConcept | undefined): string[] {
  if (!cc || typeof cc !== 'object') return [];
  return [cc.text, ...codingsOf(cc).map((c) => c.display)].filter((t): t is string => typeof t === 'string');
}

interface Evidence {
  concepts: CodeableConcept[];
  texts: string[];
}

function reportEvidence(r: DiagnosticReport): Evidence {
  const concepts = Array.isArray(r.conclusionCode) ? r.conclusionCode : [];
  return { concepts, texts: [typeof r.conclusion === 'string' ? r.conclusion : '', ...concepts.flatMap(conceptTexts)] };
}

function studyEvidence(s: ImagingStudy): Evidence {
  const concepts = Array.isArray(s.reasonCode) ? s.reasonCode : [];
  const series = Array.isArray(s.series) ? s.series : [];
  const notes = Array.isArray(s.note) ? s.note.map((n) => n?.text) : [];
  const texts = [s.description, ...series.map((x) => x?.description), ...notes, ...concepts.flatMap(conceptTexts)];
  return { concepts, texts: texts.filter((t): t is string => typeof t === 'string') };
}

function imagingReasons(resource: FhirResource): RelevanceReason[] {
  const isReport = resource.resourceType === 'DiagnosticReport';
  if (!isReport && resource.resourceType !== 'ImagingStudy') return [];
  if (IGNORED_STATUS.has(String(resource.status ?? ''))) return [];
  const evidence = isReport ? reportEvidence(resource) : studyEvidence(resource);
  const source = `${resource.resourceType}/${resource.id ?? ''}`;
  const kind = isReport ? 'imaging-report' : 'imaging-study';
  return DEFS.filter(({ def }) => {
    if (evidence.concepts.some((cc) => codedMatch(codingsOf(cc), def))) return true;
    return !!def.rx && evidence.texts.some((t) => namesPlainly(t, def.rx!));
  }).map(({ id }) => ({ condition: id, kind, source }));
}

/** Every reason the workup concerns the patient; empty when none. */
export function workupRelevance(evaluation: Evaluation, resources: readonly FhirResource[]): RelevanceReason[] {
  const reasons: RelevanceReason[] = [];
  for (const rf of evaluation.riskFactors) {
    if (rf.kind !== 'condition') continue;
    const hit = RELEVANT.find((id) => id === rf.id);
    if (hit) reasons.push({ condition: hit, kind: 'condition', source: rf.source });
  }
  for (const r of resources) {
    try {
      reasons.push(...imagingReasons(r));
    } catch {
      // A malformed resource is skipped, as the engine does.
    }
  }
  return reasons;
}
