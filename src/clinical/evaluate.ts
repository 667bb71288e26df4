/**
 * evaluate(): one patient's FHIR resources in, the workup panel model out. Orchestration only: the
 * rules live in catalog.ts (data), values.ts (reading), ranges.ts (flags), derived.ts (section 3),
 * status.ts (section 5), findings.ts (section 7) and riskfactors.ts (section 8).
 *
 * Never throws on hostile input: each resource is read inside its own guard (a resource that
 * cannot be read is skipped) and each item is evaluated inside its own guard (an item that cannot
 * be evaluated is `unknown`, never `normal` or `missing`).
 */
import type {
  DiagnosticReport,
  FhirResource,
  ImagingStudy,
  Medication,
  Observation,
  Patient,
  Procedure,
  ServiceRequest,
} from 'fhir/r4';
import {
  CLINICAL_RESOURCE_TYPES,
  type ClinicalResourceType,
  type Evaluation,
  type EvaluationInput,
  type ItemResult,
  type LoadFailure,
  type Summary,
} from './model';
import { CATALOG, ITEM_BY_ID, type CatalogItem } from './catalog';
import { byNewest, isValid, newestFirst, type Candidate } from './candidate';
import { addMonths, DAY_MS, isoDay, parseFhirDate, yearsBetween } from './dates';
import { deriveAdjustedCalcium, deriveEgfr, nearestWithin3Months, perKgText, type Measure } from './derived';
import { findFindings, type FindingContext } from './findings';
import { flagNumeric, type PatientContext, type Sex } from './ranges';
import { findRiskFactors } from './riskfactors';
import { computeStatus, describeFailures, HISTORY_LIMIT } from './status';
import { belongsTo, patientKeys, subjectReference } from './subject';
import { buildTodo } from './todo';
import { plausibility, round, toCanonical } from './units';
import {
  readDiagnosticReport,
  readImagingStudy,
  readObservation,
  readProcedure,
  readServiceRequest,
  type Collected,
  type PendingMark,
  type Reading,
} from './values';

const CLINICAL = new Set<string>(CLINICAL_RESOURCE_TYPES);
/** Items whose results of one day are read together (a dipstick, a microscopy, a culture). */
const BY_DAY = new Set(['urinalysis', 'urine-microscopy', 'urine-culture']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The evaluation day from `now`, as UTC midnight of that calendar date (the scale of date-only
 * results). A string gives its own calendar date as written ("2025-06-15", or the date part of a
 * date-time); a Date, or the default (today), gives the local calendar date of the machine, i.e.
 * the clinician's "today". Invalid: today.
 */
export function resolveNow(now: unknown): number {
  if (typeof now === 'string' && parseFhirDate(now) !== undefined) {
    const day = parseFhirDate(now.trim().slice(0, 10));
    if (day !== undefined) return day;
  }
  const d = now instanceof Date && Number.isFinite(now.getTime()) ? now : new Date();
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
}

function validFailure(f: unknown): f is LoadFailure {
  return !!f && typeof f === 'object' && CLINICAL.has(String((f as LoadFailure).resourceType));
}

interface Context {
  ctx: PatientContext;
  ageYears: number | null;
  nowDay: number;
  failures: LoadFailure[];
  heights: Measure[];
  weights: Measure[];
}

function measures(aux: Collected['aux'], analyte: 'height' | 'weight', futureLimit: number): Measure[] {
  const out: Measure[] = [];
  for (const a of aux) {
    if (a.analyte !== analyte || a.time > futureLimit) continue;
    const c = toCanonical(analyte, a.num, a.unitCode, a.unit);
    if (!c.ok || plausibility(analyte, c.value)) continue;
    out.push({ time: a.time, value: c.value, ref: a.ref });
  }
  return out;
}

function numericCandidate(r: Reading, c: Context): Candidate {
  const key = `${r.ref}#${r.component ?? ''}`;
  const weight = r.analyte === 'u-calcium-24h' ? nearestWithin3Months(c.weights, r.time) : undefined;
  const f = Number.isFinite(r.time)
    ? flagNumeric(r, c.ctx, weight?.value)
    : { flag: 'uninterpretable' as const, problem: r.problem ?? (r.date ? `date "${r.date}" is not valid` : 'no date') };
  const cand: Candidate = { time: r.time, date: r.date, day: r.day, refs: [r.ref], flag: f.flag, key };
  if (r.analyte) cand.analyte = r.analyte;
  if ('canonical' in f && f.canonical !== undefined && Number.isFinite(f.canonical)) {
    cand.canonical = round(f.canonical);
    if (f.unit !== undefined) cand.unit = f.unit;
  }
  if (r.num !== undefined) cand.reportedValue = r.num;
  else if (r.text !== undefined) cand.reportedValue = r.text;
  const ru = r.unit ?? r.unitCode;
  if (ru !== undefined) cand.reportedUnit = ru;
  if (r.comparator) cand.comparator = r.comparator;
  if (f.flag === 'high' || f.flag === 'low') cand.direction = f.flag;
  if ('range' in f && f.range) cand.range = f.range;
  if (f.problem) cand.problem = f.problem;
  if (cand.canonical !== undefined && (f.flag !== 'uninterpretable' || ('noRange' in f && f.noRange))) cand.valueOk = true;
  if (r.status && r.status !== 'final') cand.resultStatus = r.status;
  if (r.matchedByText) cand.matchedByText = true;
  if (weight && cand.canonical !== undefined && cand.unit) cand.text = perKgText(cand.canonical, cand.unit, weight);
  if ('unitAssumed' in f && f.unitAssumed) cand.text = `no unit reported: read as ${f.unit} (the only scale in use for this test)`;
  return cand;
}

function qualFlag(r: Reading): Candidate['flag'] {
  if (!Number.isFinite(r.time)) return 'uninterpretable';
  if (r.problem) return r.qual === 'abnormal' ? 'abnormal' : 'uninterpretable';
  return r.qual ?? 'uninterpretable';
}

function qualCandidate(r: Reading): Candidate {
  const cand: Candidate = { time: r.time, date: r.date, day: r.day, refs: [r.ref], flag: qualFlag(r), key: `${r.ref}#${r.component ?? ''}` };
  if (r.text) cand.text = r.text;
  if (r.problem) cand.problem = r.problem;
  else if (!Number.isFinite(r.time)) cand.problem = r.date ? `date "${r.date}" is not valid` : 'no date';
  if (r.status && r.status !== 'final' && r.status !== 'completed' && r.status !== 'available') cand.resultStatus = r.status;
  if (r.matchedByText) cand.matchedByText = true;
  return cand;
}

const ROLE_WORDS: Record<string, string> = {
  nitrite: 'nitrite',
  'leukocyte-esterase': 'leukocyte esterase',
  'dipstick-blood': 'blood',
  'dipstick-protein': 'protein',
  culture: 'culture',
  'micro-wbc': 'white cells',
  'micro-rbc': 'red cells',
};

/** One candidate per day for urinalysis/microscopy/culture: abnormal if any part is abnormal. */
function dayCandidates(readings: Reading[]): Candidate[] {
  const groups = new Map<string, Reading[]>();
  for (const r of readings) {
    const k = Number.isFinite(r.time) ? r.day : `nodate|${r.ref}`;
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  const out: Candidate[] = [];
  for (const g of groups.values()) {
    const parts = g.map((r) => ({ r, c: qualCandidate(r) })).sort((a, b) => byNewest(a.c, b.c));
    const abn = parts.filter((p) => p.c.flag === 'abnormal');
    const ok = parts.filter((p) => p.c.flag === 'normal');
    const head = parts[0]!.c;
    const cand: Candidate = {
      time: head.time,
      date: head.date,
      day: head.day,
      refs: [...new Set(parts.map((p) => p.r.ref))].sort(),
      flag: abn.length > 0 ? 'abnormal' : ok.length > 0 ? 'normal' : 'uninterpretable',
      key: parts.map((p) => p.c.key).sort().join(','),
    };
    if (abn.length > 0) {
      // a role without a word (bacteria, crystals, casts share one role) shows the result alone
      cand.text = abn.map((p) => `${p.r.role && ROLE_WORDS[p.r.role] ? ROLE_WORDS[p.r.role] + ': ' : ''}${p.r.text ?? 'abnormal'}`).join('; ');
    } else if (ok.length > 0) {
      const texts = ok.map((p) => p.r.text).filter((t): t is string => !!t);
      cand.text = ok.length === 1 && texts[0] ? texts[0] : `done (${ok.length} result${ok.length > 1 ? 's' : ''})`;
    } else {
      cand.problem = parts[0]!.c.problem ?? 'could not be interpreted';
    }
    if (parts.some((p) => p.c.resultStatus === 'preliminary')) cand.resultStatus = 'preliminary';
    if (parts.every((p) => p.c.matchedByText)) cand.matchedByText = true;
    out.push(cand);
  }
  return out;
}

/** Newest first, then by reference and value: a total order, so input order never matters. */
const readingOrder = newestFirst<Reading>((r) => `${r.ref}#${r.component ?? ''}|${r.num ?? ''}|${r.text ?? ''}|${r.unit ?? ''}`);

/**
 * Adjusted calcium / eGFR that are missing although their inputs exist: the reason says why (no
 * albumin within 24 h; sex not recorded; a child without a recent height).
 */
function explainNotDerived(
  results: Map<string, ItemResult>,
  candidates: Map<string, Candidate[]>,
  ctx: PatientContext,
  heights: Measure[],
  recent: (t: number) => boolean,
): void {
  const newestValid = (id: string) => (candidates.get(id) ?? []).filter((x) => x.valueOk && Number.isFinite(x.time)).sort(byNewest)[0];
  const adj = results.get('adjusted-calcium');
  const ca = newestValid('calcium');
  if (adj && adj.status === 'missing' && ca && recent(ca.time)) {
    adj.reason = 'not derived: no albumin on the same day or within 24 hours of the calcium';
  }
  const egfr = results.get('egfr');
  const cr = newestValid('creatinine');
  if (egfr && egfr.status === 'missing' && cr && recent(cr.time)) {
    const years = ctx.birthMs !== undefined ? yearsBetween(cr.time, ctx.birthMs) : undefined;
    if (years === undefined) egfr.reason = 'not derived: birth date unknown';
    else if (years >= 18 && ctx.sex === null) egfr.reason = 'not derived: sex not recorded as male or female (CKD-EPI 2021 needs it)';
    else if (years < 18 && !nearestWithin3Months(heights, cr.time)) egfr.reason = 'not derived: under 18, bedside Schwartz needs a height within 3 months';
  }
}

function windowStart(item: CatalogItem, nowDay: number): number | null {
  return item.windowMonths === null ? null : addMonths(nowDay, -item.windowMonths);
}

function blankSummary(): Summary {
  return { missing: 0, outdated: 0, pending: 0, abnormal: 0, unknown: 0, normal: 0, total: 0 };
}

export function evaluate(input: EvaluationInput): Evaluation {
  const safeInput = (input && typeof input === 'object' ? input : {}) as Partial<EvaluationInput>;
  const patient: Patient =
    safeInput.patient && typeof safeInput.patient === 'object' ? safeInput.patient : ({ resourceType: 'Patient' } as Patient);
  const nowDay = resolveNow(safeInput.now);
  // results dated after the evaluation day (with a day of slack for time zones) are not used
  const futureLimit = nowDay + 2 * DAY_MS;

  const birthRaw = typeof patient.birthDate === 'string' ? patient.birthDate : undefined;
  let birthMs = parseFhirDate(birthRaw);
  if (birthMs !== undefined && birthMs > futureLimit) birthMs = undefined; // a birth date in the future is not usable
  const gender = typeof patient.gender === 'string' ? patient.gender : null;
  const sex: Sex = gender === 'male' || gender === 'female' ? gender : null;
  const ctx: PatientContext = { sex, ageMemo: new Map() };
  if (birthMs !== undefined) ctx.birthMs = birthMs;
  const ageYears = birthMs !== undefined ? Math.max(0, yearsBetween(nowDay, birthMs)) : null;

  const keys = patientKeys(patient, typeof safeInput.patientFullUrl === 'string' ? safeInput.patientFullUrl : undefined);
  // Decision: a urn:uuid reference equal to the Patient's own UUID id names this patient (the
  // transaction-bundle convention of Synthea and most generators; a UUID cannot collide by chance).
  if (typeof patient.id === 'string' && UUID.test(patient.id)) keys.add(`urn:uuid:${patient.id.toLowerCase()}`);

  const failures = (Array.isArray(safeInput.failures) ? safeInput.failures : []).filter(validFailure);
  const resources = Array.isArray(safeInput.resources) ? safeInput.resources : [];

  // ---- attribution and reading (one pass)
  const meds = new Map<string, Medication>();
  const attribution = new Map<string, boolean>(); // subject reference -> belongs to this patient
  const own: FhirResource[] = [];
  const collected: Collected = { readings: [], pending: [], aux: [], headers: [] };
  const observationIds = new Set<string>();
  for (const r of resources) {
    try {
      if (!r || typeof r !== 'object' || typeof (r as { resourceType?: unknown }).resourceType !== 'string') continue;
      if (r.resourceType === 'Medication') {
        if (typeof r.id === 'string') meds.set(r.id, r);
        continue;
      }
      if (!CLINICAL.has(r.resourceType)) continue;
      const subj = subjectReference(r);
      if (subj === undefined) continue;
      let mine = attribution.get(subj);
      if (mine === undefined) {
        mine = belongsTo(r, keys);
        attribution.set(subj, mine);
      }
      if (!mine) continue;
      own.push(r);
      switch (r.resourceType as ClinicalResourceType) {
        case 'Observation':
          if (typeof r.id === 'string') observationIds.add(r.id);
          readObservation(r as Observation, collected);
          break;
        case 'DiagnosticReport':
          readDiagnosticReport(r as DiagnosticReport, collected);
          break;
        case 'ImagingStudy':
          readImagingStudy(r as ImagingStudy, collected);
          break;
        case 'Procedure':
          readProcedure(r as Procedure, collected);
          break;
        case 'ServiceRequest':
          readServiceRequest(r as ServiceRequest, collected);
          break;
        default:
          break;
      }
    } catch {
      // hostile or malformed resource: skipped (never attributed half-read)
    }
  }

  // ---- panel headers whose members are all absent: the panel was done, its results are not here
  for (const h of collected.headers ?? []) {
    const present = h.members.some((m) => {
      const id = /(?:^|\/)Observation\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(m)?.[1];
      return id !== undefined && observationIds.has(id);
    });
    if (!present) collected.readings.push(h.reading);
  }

  // ---- future dates, duplicates (section 4: the same code, time and value count once)
  const byItem = new Map<string, Reading[]>();
  const seen = new Map<string, { r: Reading; index: number }>();
  for (const r of collected.readings) {
    if (Number.isFinite(r.time) && r.time > futureLimit) {
      r.problem = `date ${r.date} is in the future`;
      r.time = NaN;
      if (r.qual) r.qual = 'uninterpretable';
    }
    const dup = `${r.itemId}|${r.analyte ?? ''}|${r.role ?? ''}|${r.time}|${r.num ?? ''}|${r.comparator ?? ''}|${r.unit ?? r.unitCode ?? ''}|${r.text ?? ''}|${r.status}`;
    const prev = seen.get(dup);
    if (prev && Number.isFinite(r.time)) {
      // keep the one with the smallest reference (deterministic whatever the input order)
      if (readingOrder(r, prev.r) < 0) {
        byItem.get(r.itemId)![prev.index] = r;
        prev.r = r;
      }
      continue;
    }
    let list = byItem.get(r.itemId);
    if (!list) {
      list = [];
      byItem.set(r.itemId, list);
    }
    seen.set(dup, { r, index: list.length });
    list.push(r);
  }
  const pendingByItem = new Map<string, PendingMark[]>();
  for (const p of collected.pending) {
    const list = pendingByItem.get(p.itemId);
    if (list) list.push(p);
    else pendingByItem.set(p.itemId, [p]);
  }

  const c: Context = {
    ctx,
    ageYears,
    nowDay,
    failures,
    heights: measures(collected.aux, 'height', futureLimit),
    weights: measures(collected.aux, 'weight', futureLimit),
  };

  // ---- candidates per item
  // Performance: readings are sorted newest first and interpreted lazily, only as far as the panel
  // needs them (the newest valid result, HISTORY_LIMIT earlier ones, and anything newer than
  // `minTime`); a record with thousands of results per analyte is not flagged result by result.
  const candidates = new Map<string, Candidate[]>();
  const numeric = (id: string, minTime = Infinity): Candidate[] => {
    const hit = candidates.get(id);
    if (hit) return hit;
    const readings = [...(byItem.get(id) ?? [])].sort(readingOrder);
    const list: Candidate[] = [];
    let valid = 0;
    for (const r of readings) {
      if (valid > HISTORY_LIMIT && !(r.time >= minTime)) break;
      const cand = numericCandidate(r, c);
      list.push(cand);
      if (isValid(cand)) valid += 1;
    }
    candidates.set(id, list);
    return list;
  };
  for (const item of CATALOG) {
    if (candidates.has(item.id)) continue;
    const readings = byItem.get(item.id) ?? [];
    if (item.kind === 'numeric') numeric(item.id);
    else candidates.set(item.id, BY_DAY.has(item.id) ? dayCandidates(readings) : readings.map(qualCandidate));
  }
  // section 3: derived values join the reported ones; a reported value on the same day wins
  const validDays = (list: Candidate[]): Set<string> => new Set(list.filter(isValid).map((x) => x.day));
  const adjReported = numeric('adjusted-calcium');
  const calcium = numeric('calcium');
  const oldestCalcium = calcium.reduce((m, x) => (Number.isFinite(x.time) && x.time < m ? x.time : m), Infinity);
  candidates.delete('albumin');
  const albumin = numeric('albumin', oldestCalcium - DAY_MS);
  candidates.set('adjusted-calcium', [...adjReported, ...deriveAdjustedCalcium(calcium, albumin, validDays(adjReported), ctx)]);
  const egfrReported = numeric('egfr');
  candidates.set('egfr', [...egfrReported, ...deriveEgfr(numeric('creatinine'), validDays(egfrReported), ctx, c.heights)]);

  // Section 1: under 5 years the spot Ca:creatinine ratio is accepted in place of the 24-hour urine
  // calcium (a timed collection is impractical): ratios done before the 5th birthday answer the
  // 24-hour item too (newest result wins), and say so.
  const under5 = numeric('urine-calcium-creatinine')
    .filter((x) => {
      const age = Number.isFinite(x.time) && birthMs !== undefined ? yearsBetween(x.time, birthMs) : undefined;
      return age !== undefined && age < 5;
    })
    .map((x) => ({
      ...x,
      text: `${x.text ? `${x.text}; ` : ''}spot calcium:creatinine ratio, accepted in place of the 24-hour collection under 5 years`,
    }));
  if (under5.length > 0) candidates.set('urine-calcium-24h', [...numeric('urine-calcium-24h'), ...under5]);

  // ---- statuses
  const orderFailure = failures.find((f) => f.resourceType === 'ServiceRequest');
  const results = new Map<string, ItemResult>();
  for (const item of CATALOG) {
    let res: ReturnType<typeof computeStatus>;
    try {
      const st: Parameters<typeof computeStatus>[0] = {
        item,
        candidates: candidates.get(item.id) ?? [],
        pending: pendingByItem.get(item.id) ?? [],
        failures: failures.filter((f) => item.resultTypes.includes(f.resourceType)),
        windowStart: windowStart(item, nowDay),
      };
      if (orderFailure) st.orderFailure = orderFailure;
      res = computeStatus(st);
    } catch {
      res = { status: 'unknown', reason: 'this item could not be evaluated from the record', history: [] };
    }
    const ir: ItemResult = { id: item.id, label: item.label, group: item.group, tier: item.tier, applies: item.tier === 'core', ...res };
    if (item.condition) ir.condition = item.condition;
    results.set(item.id, ir);
  }

  // ---- why a derivable value was not derived (said in words when the item is a gap)
  explainNotDerived(results, candidates, ctx, c.heights, (t) => windowStart(ITEM_BY_ID.get('creatinine')!, nowDay)! <= t);

  // ---- findings (section 7)
  const fctx: FindingContext = { ageYears, dipstickPositive: { refs: [], what: [] } };
  const uaStart = windowStart(ITEM_BY_ID.get('urinalysis')!, nowDay)!;
  const ua = (byItem.get('urinalysis') ?? []).filter((r) => Number.isFinite(r.time) && r.time >= uaStart && !r.problem);
  for (const r of [...ua].sort((a, b) => b.time - a.time || (a.ref < b.ref ? -1 : 1))) {
    if ((r.role === 'nitrite' || r.role === 'leukocyte-esterase') && r.qual === 'abnormal') {
      if (!fctx.dipstickPositive.refs.includes(r.ref)) fctx.dipstickPositive.refs.push(r.ref);
      const w = `positive ${ROLE_WORDS[r.role]}`;
      if (!fctx.dipstickPositive.what.includes(w)) fctx.dipstickPositive.what.push(w);
    }
    if (r.analyte === 'urine-ph' && r.num !== undefined && !fctx.urinePh && r.num >= 3 && r.num <= 10) {
      fctx.urinePh = { value: r.num, ref: r.ref };
    }
  }
  const findings = findFindings(results, fctx);

  // ---- risk factors (section 8)
  const rf = findRiskFactors(own, meds);

  // ---- which conditional items apply (decisions documented on each line)
  const ids = new Set(findings.map((f) => f.id));
  const st = (id: string) => results.get(id)!;
  const abnormal = (id: string) => st(id).status === 'abnormal';
  const high = (id: string) => abnormal(id) && st(id).direction === 'high';
  const low = (id: string) => abnormal(id) && st(id).direction === 'low';
  const child = ageYears !== null && ageYears < 18;
  const nephrocalcinosisKnown = rf.any.has('nephrocalcinosis') || abnormal('renal-ultrasound') || abnormal('ct-abdomen');
  const CAUSAL_FINDINGS = ['hypercalcaemia', 'primary-hyperparathyroidism-pattern', 'hypokalaemia', 'distal-rta-pattern', 'hypercalciuria', 'hypocitraturia', 'hyperoxaluria', 'magnesium-wasting'];
  const causeKnown =
    CAUSAL_FINDINGS.some((f) => ids.has(f)) ||
    rf.riskFactors.some((r) => r.role === 'cause' && r.id !== 'nephrocalcinosis' && r.id !== 'hypercalcaemia' && r.kind === 'condition') ||
    rf.current.has('loop-diuretic') || rf.current.has('vitamin-d-treatment') || rf.current.has('acetazolamide');
  const applies: Record<string, boolean> = {
    // supporting: potassium low, or hypokalaemia / hypomagnesaemia / Bartter recorded, or a current loop diuretic
    magnesium: low('potassium') || rf.any.has('hypokalaemia') || rf.any.has('primary-hypomagnesaemia') || rf.any.has('bartter-syndrome') || rf.current.has('loop-diuretic'),
    // supporting: total/adjusted calcium out of range, or albumin out of range (adjustment unreliable)
    'ionised-calcium': abnormal('calcium') || abnormal('adjusted-calcium') || abnormal('albumin'),
    // section 1: calcium high, or vitamin D prescribed (current), or hypervitaminosis D recorded
    'vitamin-d': ids.has('hypercalcaemia') || high('calcium') || high('adjusted-calcium') || rf.current.has('vitamin-d-treatment') || rf.any.has('hypervitaminosis-d'),
    // section 1: children
    'urine-calcium-creatinine': child,
    // to characterise calcification: nephrocalcinosis recorded or the ultrasound abnormal
    'ct-abdomen': rf.any.has('nephrocalcinosis') || abnormal('renal-ultrasound'),
    // stones: kidney stones recorded
    'abdominal-xray': rf.any.has('kidney-stones'),
    // cause unclear: nephrocalcinosis known and no cause identified in findings or record
    'renal-biopsy': nephrocalcinosisKnown && !causeKnown,
    // section 1: patient under 18
    'genetic-testing': child,
  };
  // Applicability that rests on the record's conditions or medicines: when those could not be
  // loaded and the item does not apply on what was loaded, the condition says it could not be
  // fully checked (applicability, and so the counts, stay on what was loaded).
  const DEPENDS: Record<string, ClinicalResourceType[]> = {
    magnesium: ['Condition', 'MedicationRequest', 'MedicationStatement'],
    'vitamin-d': ['Condition', 'MedicationRequest', 'MedicationStatement'],
    'ct-abdomen': ['Condition'],
    'abdominal-xray': ['Condition'],
    'renal-biopsy': ['Condition', 'MedicationRequest', 'MedicationStatement'],
  };
  const summary = blankSummary();
  const items: ItemResult[] = [];
  for (const item of CATALOG) {
    const ir = results.get(item.id)!;
    // Decision: a conditional item whose own current result is abnormal applies too (a measured,
    // out-of-range magnesium or ratio is relevant to this patient whatever the trigger).
    if (item.tier === 'conditional') ir.applies = (applies[item.id] ?? false) || ir.status === 'abnormal';
    const missingDeps = failures.filter((f) => (DEPENDS[item.id] ?? []).includes(f.resourceType));
    if (!ir.applies && missingDeps.length > 0 && ir.condition) {
      ir.condition = `${ir.condition} (could not be fully checked: ${describeFailures(missingDeps)})`;
    }
    if (ir.applies) {
      summary[ir.status] += 1;
      summary.total += 1;
    }
    items.push(ir);
  }

  const evaluation: Evaluation = {
    patient: {
      id: typeof patient.id === 'string' ? patient.id : '',
      birthDate: birthRaw ?? null,
      ageYears,
      sex: gender,
    },
    evaluatedAt: isoDay(nowDay),
    items,
    findings,
    riskFactors: rf.riskFactors,
    summary,
    todo: buildTodo(items),
  };
  if (failures.length > 0) evaluation.failures = failures.map((f) => ({ ...f }));
  return evaluation;
}
