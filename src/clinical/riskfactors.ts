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
import { codingsOf, refOf, textOf } from './values';

interface ConditionDef {
  id: string;
  text: string;
  snomed?: string[];
  /** ICD-10 / ICD-10-CM prefixes (dots ignored). */
  icd?: string[];
  /** Exact ICD codes (dots ignored), for codes whose prefix is too broad. */
  icdExact?: string[];
  rx?: RegExp;
  role?: 'cause' | 'context';
}

/** Section 8, conditions (SNOMED codes marked unverified in the reference are matched with text too). */
export const CONDITION_DEFS: readonly ConditionDef[] = [
  { id: 'nephrocalcinosis', text: 'Nephrocalcinosis recorded', icdExact: ['N298', 'E8359'], rx: /nephrocalcinosis/i },
  { id: 'primary-hyperparathyroidism', text: 'Primary hyperparathyroidism: the commonest associated cause', snomed: ['36348003'], icd: ['E210'], rx: /primary hyperparathyroidism/i },
  { id: 'distal-rta', text: 'Distal (type 1) renal tubular acidosis', snomed: ['236461000'], rx: /distal renal tubular acidosis|type 1 renal tubular acidosis|renal tubular acidosis,? (type 1|distal)/i },
  // ICD-10-CM N25.81 is secondary hyperparathyroidism of renal origin: N25.8 (WHO) and N25.89 (CM) only
  { id: 'renal-tubular-acidosis', text: 'Renal tubular acidosis', snomed: ['1776003'], icdExact: ['N258', 'N2589'], rx: /renal tubular acidosis/i },
  { id: 'medullary-sponge-kidney', text: 'Medullary sponge kidney', snomed: ['236443009'], icd: ['Q615'], rx: /medullary sponge kidney/i },
  { id: 'premature-birth', text: 'Premature birth (with furosemide, a classic cause in infants)', snomed: ['367494004'], icd: ['P07'], rx: /\b(premature|preterm) (birth|infant|baby|neonate)|prematurity/i },
  // E83.3 (WHO, as in the reference); ICD-10-CM E83.31 familial hypophosphataemia (E83.32 is vitamin D-dependent rickets)
  { id: 'x-linked-hypophosphataemia', text: 'X-linked hypophosphataemia (phosphate and vitamin D treatment)', snomed: ['82236004'], icdExact: ['E833', 'E8331'], rx: /x-linked hypophosphat/i },
  { id: 'sarcoidosis', text: 'Sarcoidosis (vitamin D-mediated hypercalcaemia)', snomed: ['31541009', '37061001'], icd: ['D86'], rx: /sarcoid/i },
  { id: 'tuberculosis', text: 'Tuberculosis (granulomatous hypercalcaemia; renal TB)', snomed: ['56717001', '44323002'], icd: ['A15', 'A16', 'A17', 'A18', 'A19'], rx: /tuberculosis/i },
  { id: 'hypervitaminosis-d', text: 'Hypervitaminosis D', icd: ['E673'], rx: /hypervitaminosis d|vitamin d (toxicity|excess|intoxication)/i },
  { id: 'primary-hypomagnesaemia', text: 'Primary hypomagnesaemia (familial hypomagnesaemia with hypercalciuria)', snomed: ['80710001'], icd: ['E8342'], rx: /hypomagnes(a)?emia/i },
  // E26.8 (WHO); ICD-10-CM E26.81 is Bartter syndrome (E26.89 other hyperaldosteronism)
  { id: 'bartter-syndrome', text: 'Bartter syndrome', snomed: ['707742001'], icdExact: ['E268', 'E2681'], rx: /bartter/i },
  // E74.0 (WHO); ICD-10-CM E74.01 is von Gierke disease (E74.02 Pompe, E74.04 McArdle are other types)
  { id: 'glycogen-storage-disease-1', text: 'Glycogen storage disease type 1', icdExact: ['E740', 'E7401'], rx: /glycogen storage disease,? type (1|i)\b|von gierke/i },
  { id: 'immobility', text: 'Immobility (hypercalciuria)', icd: ['Z740'], rx: /immobil/i },
  { id: 'lowe-syndrome', text: 'Lowe syndrome', snomed: ['79385002'], icdExact: ['E7203'], rx: /\blowe syndrome|oculocerebrorenal/i },
  { id: 'primary-hyperoxaluria', text: 'Primary hyperoxaluria', snomed: ['17901006', '65520001', '40951006', '734990008'], rx: /primary hyperoxaluria|oxalosis/i },
  { id: 'enteric-hyperoxaluria', text: 'Hyperoxaluria (enteric/secondary; or as coded by ICD-10 E72.53)', snomed: ['37497004'], icd: ['E7253'], rx: /hyperoxaluria/i },
  { id: 'cushing-syndrome', text: "Cushing's syndrome", snomed: ['47270006'], icd: ['E24'], rx: /cushing/i },
  { id: 'hypothyroidism', text: 'Hypothyroidism', snomed: ['40930008'], icd: ['E03'], rx: /hypothyroidism/i },
  { id: 'dent-disease', text: 'Dent disease', snomed: ['444645005'], rx: /\bdent('s)? disease/i },
  { id: 'hypokalaemia', text: 'Hypokalaemia (lowers urinary citrate)', snomed: ['43339004'], icd: ['E876'], rx: /hypokal(a)?emia/i },
  { id: 'williams-syndrome', text: 'Williams syndrome (infantile hypercalcaemia)', snomed: ['63247009'], icdExact: ['Q938', 'Q9382'], rx: /williams(-beuren)? syndrome/i },
  // ICD-10 E72.0 (WHO, amino-acid transport disorders) covers Fanconi and Lowe syndromes: shown as
  // Fanconi syndrome unless coded E72.03 (ICD-10-CM Lowe) or named Lowe in the text; ICD-10-CM
  // E72.01 (cystinuria) and E72.02 (Hartnup) are not matched.
  { id: 'fanconi-syndrome', text: 'Fanconi syndrome', snomed: ['236466005'], icdExact: ['E720', 'E7209'], rx: /fanconi syndrome|renal fanconi/i },
  { id: 'glomerulonephritis', text: 'Glomerulonephritis', snomed: ['36171008'], icd: ['N03'], rx: /glomerulonephritis/i },
  { id: 'acute-cortical-necrosis', text: 'Acute cortical necrosis (cortical nephrocalcinosis)', snomed: ['444794000'], icd: ['N171'], rx: /cortical necrosis/i },
  { id: 'haemolytic-uraemic-syndrome', text: 'Haemolytic uraemic syndrome', snomed: ['111407006'], icd: ['D593'], rx: /h(a)?emolytic ur(a)?emic/i },
  { id: 'infantile-polycystic-kidney', text: 'Infantile (autosomal recessive) polycystic kidney disease', snomed: ['28770003'], icd: ['Q611'], rx: /infantile polycystic|autosomal recessive polycystic/i },
  // T86.1 (WHO: kidney transplant failure and rejection); ICD-10-CM T86.11 is the rejection
  { id: 'renal-transplant-rejection', text: 'Renal transplant rejection', snomed: ['236570004'], icdExact: ['T861', 'T8611'], rx: /(kidney|renal) transplant rejection|rejection of (kidney|renal) transplant/i },
  { id: 'hypercalcaemia', text: 'Hypercalcaemia recorded', snomed: ['66931009'], icd: ['E8352'], rx: /hypercalc(a)?emia/i },
  { id: 'metabolic-acidosis', text: 'Metabolic acidosis', snomed: ['59455009'], icd: ['E872'], rx: /metabolic acidosis/i },
  // Not in section 8 (decision): kidney stones decide whether the plain abdominal X-ray applies.
  { id: 'kidney-stones', text: 'Kidney stones (plain abdominal X-ray applies)', snomed: ['95570007'], icd: ['N20'], rx: /kidney stone|renal (calculus|stone)|nephrolithiasis|urolithiasis/i, role: 'context' },
];

interface MedicationDef {
  id: string;
  text: string;
  rxnorm: string[];
  /** ATC prefixes. */
  atc: string[];
  names: RegExp;
  role: 'cause' | 'context';
}

/** Section 8, medications. */
export const MEDICATION_DEFS: readonly MedicationDef[] = [
  {
    id: 'loop-diuretic',
    text: 'Loop diuretic (furosemide, bumetanide, torasemide): raises urinary calcium',
    rxnorm: ['4603', '38413', '1808'], // bumetanide 1808 unverified in the reference
    atc: ['C03CA'],
    names: /\b(furosemide|frusemide|lasix|torsemide|torasemide|demadex|bumetanide|bumex|burinex)\b/i,
    role: 'cause',
  },
  {
    id: 'acetazolamide',
    text: 'Acetazolamide (carbonic anhydrase inhibitor: acidosis, hypocitraturia)',
    rxnorm: ['167'],
    atc: ['S01EC01'],
    names: /\b(acetazolamide|diamox)\b/i,
    role: 'cause',
  },
  {
    id: 'vitamin-d-treatment',
    text: 'Vitamin D treatment (excess causes hypercalcaemia and hypercalciuria)',
    rxnorm: ['2418', '11253'], // ergocalciferol and calcitriol RxNorm unverified: matched by ATC and name
    atc: ['A11CC'],
    names: /\b(cholecalciferol|colecalciferol|ergocalciferol|calcitriol|alfacalcidol|calciferol|vitamin d[23]?)\b/i,
    role: 'cause',
  },
  {
    id: 'calcium-supplement',
    text: 'Calcium supplement',
    rxnorm: ['1895', '1897'],
    atc: ['A12AA'],
    // "Atorvastatin Calcium" and similar salts are not calcium supplements: only calcium salts
    // named first, or calcium alone at the start of the name.
    names: /\bcalcium (carbonate|citrate|acetate|gluconate|lactate|phosphate|glubionate)\b|^\s*calcium\b(?! channel)/i,
    role: 'cause',
  },
  {
    id: 'thiazide',
    text: 'Thiazide diuretic: lowers urinary calcium (treatment context, not a cause)',
    rxnorm: ['5487', '2409', '5764', '6916', '1369'],
    atc: ['C03AA', 'C03BA'],
    names: /\b(hydrochlorothiazide|chlorthalidone|chlortalidone|indapamide|metolazone|bendroflumethiazide|bendrofluazide|chlorothiazide)\b/i,
    role: 'context',
  },
];

const ICD = /icd-?10/i;
const SNOMED = /snomed/i;
const RXNORM = /rxnorm/i;
const ATC = /atc/i;

const norm = (s: string): string => s.toUpperCase().replace(/[.\s]/g, '');

function matchCondition(cc: CodeableConcept | undefined): { def: ConditionDef; by: string } | undefined {
  const cs = codingsOf(cc);
  for (const def of CONDITION_DEFS) {
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
    for (const def of CONDITION_DEFS) if (def.rx?.test(text)) return { def, by: 'text' };
  }
  return undefined;
}

function matchMedication(cc: CodeableConcept | undefined, extraText: string): { def: MedicationDef; by: string }[] {
  const found: { def: MedicationDef; by: string }[] = [];
  const cs = codingsOf(cc);
  const text = [textOf(cc), extraText].filter(Boolean).join(' | ');
  for (const def of MEDICATION_DEFS) {
    let by: string | undefined;
    for (const c of cs) {
      const code = typeof c.code === 'string' ? c.code.trim() : '';
      const sys = typeof c.system === 'string' ? c.system : '';
      if (RXNORM.test(sys) && def.rxnorm.includes(code)) by = `${sys}|${code}`;
      else if (ATC.test(sys) && def.atc.some((p) => code.toUpperCase().startsWith(p))) by = `${sys}|${code}`;
      if (by) break;
    }
    // product-level codes: the ingredient names in the text (each part of a combination product)
    if (!by && text && text.split(/\s*(?:\/|\||\+|,| and )\s*/i).some((part) => def.names.test(part))) by = 'text';
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

interface Hit {
  rf: RiskFactor;
  current: boolean;
  time: number;
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

export function findRiskFactors(resources: readonly FhirResource[], meds: ReadonlyMap<string, Medication>): RiskFactorResult {
  const hits = new Map<string, Hit>();
  // Which entry is shown for a risk factor: a current one, then a coded match over a text match
  // (text is the fallback, section 8), then the newest, then the smallest reference.
  const coded = (h: Hit): boolean => h.rf.matchedBy !== 'text';
  const better = (h: Hit, prev: Hit): boolean => {
    if (h.current !== prev.current) return h.current;
    if (coded(h) !== coded(prev)) return coded(h);
    if (h.time !== prev.time) return h.time > prev.time;
    if (h.rf.source !== prev.rf.source) return h.rf.source < prev.rf.source;
    return JSON.stringify(h.rf) < JSON.stringify(prev.rf);
  };
  const add = (h: Hit): void => {
    const prev = hits.get(h.rf.id);
    if (!prev || better(h, prev)) hits.set(h.rf.id, h);
  };
  const current = new Set<string>();
  const any = new Set<string>();

  for (const r of resources) {
    try {
      readOne(r);
    } catch {
      // a malformed resource is skipped
    }
  }
  function readOne(r: FhirResource): void {
    if (r.resourceType === 'Condition') {
      const c = r as Condition;
      const ver = codingsOf(c.verificationStatus).map((x) => String(x.code));
      if (ver.includes('entered-in-error') || ver.includes('refuted')) return;
      const m = matchCondition(c.code);
      if (!m) return;
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
      any.add(m.def.id);
      if (isCurrent) current.add(m.def.id);
      add({ rf, current: isCurrent, time: parseFhirDate(c.recordedDate ?? c.onsetDateTime) ?? -Infinity });
    } else if (r.resourceType === 'MedicationRequest' || r.resourceType === 'MedicationStatement') {
      const m = r as MedicationRequest | MedicationStatement;
      const status = typeof m.status === 'string' ? m.status : '';
      if (status === 'entered-in-error' || status === 'cancelled' || status === 'draft' || status === 'not-taken') return;
      const concept = medicationConcept(m, meds);
      const found = matchMedication(concept.cc, concept.text);
      if (found.length === 0) return;
      const isCurrent = ACTIVE_MED.has(status);
      const recorded = (textOf(concept.cc).split(' | ')[0] || concept.text).trim();
      const date =
        r.resourceType === 'MedicationRequest'
          ? (r as MedicationRequest).authoredOn
          : ((r as MedicationStatement).effectiveDateTime ?? (r as MedicationStatement).dateAsserted);
      for (const f of found) {
        const rf: RiskFactor = {
          id: f.def.id,
          text: `${f.def.text}${recorded ? ` (recorded: “${recorded}”)` : ''}${isCurrent ? '' : ` — ${status}`}`,
          kind: 'medication',
          source: refOf(r.resourceType, m.id),
          matchedBy: f.by,
          role: f.def.role,
        };
        if (status) rf.status = status;
        any.add(f.def.id);
        if (isCurrent) current.add(f.def.id);
        add({ rf, current: isCurrent, time: parseFhirDate(date) ?? -Infinity });
      }
    }
  }
  // stable order: conditions then medicines, each in definition order
  const order = [...CONDITION_DEFS.map((d) => d.id), ...MEDICATION_DEFS.map((d) => d.id)];
  const riskFactors = [...hits.values()].sort((a, b) => order.indexOf(a.rf.id) - order.indexOf(b.rf.id)).map((h) => h.rf);
  return { riskFactors, current, any };
}
