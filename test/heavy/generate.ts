/**
 * Deterministic "heavy patient" generator for the benchmark and for load tests of the sandbox.
 *
 * One patient with six years of near-daily laboratory history: well over 10,000 Observations across
 * the catalog's LOINC codes (and codes the catalog does not name: glucose, full blood count, HbA1c,
 * vital signs), plus DiagnosticReports (lab panels and imaging), Conditions, MedicationRequests,
 * MedicationStatements, Procedures, ServiceRequests and an ImagingStudy.
 *
 * Determinism: everything comes from a fixed-seed PRNG (mulberry32) and a fixed end date, never from
 * the clock or Math.random, so the same options give byte-identical output (tested in
 * test/heavy/generate.test.ts). The shapes are deliberately mixed (US and SI units, vendor unit
 * spellings, valueString numbers and comparators, reference ranges as numbers or text only,
 * interpretation codes, panel components, entered-in-error and preliminary results) so the engine
 * does its real work on every kind of input, not only the happy path.
 *
 * Library:  import { generateHeavyBundle, serializeHeavyBundle } from './generate';
 * CLI:      tsx test/heavy/generate.ts --out <dir> [--seed 42] [--visits 1200] [--end 2026-11-01]
 *           writes <dir>/heavy-patient.json (a FHIR R4 Bundle of type "collection") and prints its
 *           path, size and resource counts.
 */
import type {
  Bundle,
  BundleEntry,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  FhirResource,
  ImagingStudy,
  MedicationRequest,
  MedicationStatement,
  Observation,
  ObservationReferenceRange,
  Patient,
  Procedure,
  ServiceRequest,
} from 'fhir/r4';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface HeavyOptions {
  /** PRNG seed. Default 20260101. */
  seed?: number;
  /** Number of blood-draw visits (each gives about 11 Observations). Default 1200 (≈14,000 Observations). */
  visits?: number;
  /** Date of the newest visit, YYYY-MM-DD. Fixed by default so that output never depends on the clock. */
  end?: string;
  /** Years of history before `end`. Default 6. */
  years?: number;
  /** Patient.id. Default "heavy-patient". */
  patientId?: string;
}

export const HEAVY_DEFAULTS: Required<HeavyOptions> = {
  seed: 20260101,
  visits: 1200,
  end: '2026-11-01',
  years: 6,
  patientId: 'heavy-patient',
};

/** mulberry32: a tiny, well-known 32-bit PRNG; good enough for test data and fully deterministic. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const INTERP = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
const OBS_CAT = 'http://terminology.hl7.org/CodeSystem/observation-category';

interface Analyte {
  code: string;
  display: string;
  unit: string;
  /** UCUM code; undefined to emit a unit with no UCUM code (a vendor habit). */
  ucum?: string;
  mean: number;
  sd: number;
  low?: number;
  high?: number;
  decimals: number;
  category: 'laboratory' | 'vital-signs';
}

// Catalog analytes in US units as many US EHRs (and Synthea) send them, a few in SI, some under the
// whole-blood LOINC variants. Means/SDs give mostly normal values with real excursions.
const BMP: Analyte[] = [
  { code: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', mean: 139, sd: 3, low: 133, high: 146, decimals: 0, category: 'laboratory' },
  { code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mEq/L', ucum: 'meq/L', mean: 3.9, sd: 0.45, low: 3.5, high: 5.3, decimals: 1, category: 'laboratory' },
  { code: '2075-0', display: 'Chloride [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', mean: 102, sd: 3, low: 95, high: 108, decimals: 0, category: 'laboratory' },
  { code: '2028-9', display: 'Carbon dioxide, total [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', mean: 24, sd: 2.5, low: 22, high: 29, decimals: 0, category: 'laboratory' },
  { code: '3094-0', display: 'Urea nitrogen [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 16, sd: 4, low: 7, high: 20, decimals: 0, category: 'laboratory' },
  { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 1.1, sd: 0.2, low: 0.7, high: 1.3, decimals: 2, category: 'laboratory' },
  { code: '17861-6', display: 'Calcium [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 10.1, sd: 0.5, low: 8.5, high: 10.5, decimals: 1, category: 'laboratory' },
  { code: '33914-3', display: 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)', unit: 'mL/min/{1.73_m2}', ucum: 'mL/min/{1.73_m2}', mean: 72, sd: 12, low: 60, decimals: 0, category: 'laboratory' },
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 98, sd: 15, low: 70, high: 99, decimals: 0, category: 'laboratory' },
];
// The same chemistry under the whole-blood codes that Synthea-style records use (every 7th visit).
const BMP_BLOOD: Analyte[] = [
  { code: '2947-0', display: 'Sodium [Moles/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', mean: 139, sd: 3, decimals: 0, category: 'laboratory' },
  { code: '6298-4', display: 'Potassium [Moles/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', mean: 3.9, sd: 0.45, decimals: 1, category: 'laboratory' },
  { code: '2069-3', display: 'Chloride [Moles/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', mean: 102, sd: 3, decimals: 0, category: 'laboratory' },
  { code: '20565-8', display: 'Carbon dioxide, total [Moles/volume] in Blood', unit: 'mmol/L', ucum: 'mmol/L', mean: 24, sd: 2.5, decimals: 0, category: 'laboratory' },
  { code: '6299-2', display: 'Urea nitrogen [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', mean: 16, sd: 4, decimals: 0, category: 'laboratory' },
  { code: '38483-4', display: 'Creatinine [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', mean: 1.1, sd: 0.2, decimals: 2, category: 'laboratory' },
  { code: '49765-1', display: 'Calcium [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', mean: 10.1, sd: 0.5, decimals: 1, category: 'laboratory' },
];
const BONE: Analyte[] = [
  { code: '1751-7', display: 'Albumin [Mass/volume] in Serum or Plasma', unit: 'g/dL', ucum: 'g/dL', mean: 4.0, sd: 0.4, low: 3.5, high: 5.0, decimals: 1, category: 'laboratory' },
  { code: '2777-1', display: 'Phosphate [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 3.3, sd: 0.6, low: 2.5, high: 4.5, decimals: 1, category: 'laboratory' },
  { code: '19123-9', display: 'Magnesium [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 2.0, sd: 0.25, low: 1.7, high: 2.4, decimals: 1, category: 'laboratory' },
  { code: '2731-8', display: 'Parathyrin.intact [Mass/volume] in Serum or Plasma', unit: 'pg/mL', ucum: 'pg/mL', mean: 58, sd: 20, low: 15, high: 65, decimals: 0, category: 'laboratory' },
  { code: '1995-0', display: 'Calcium.ionized [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', mean: 1.27, sd: 0.06, low: 1.15, high: 1.33, decimals: 2, category: 'laboratory' },
];
const CBC: Analyte[] = [
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', ucum: 'g/dL', mean: 13.8, sd: 1.2, low: 12, high: 17.5, decimals: 1, category: 'laboratory' },
  { code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', unit: 'K/mm3', mean: 7.2, sd: 1.8, low: 4, high: 11, decimals: 1, category: 'laboratory' },
  { code: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', unit: '10*3/uL', ucum: '10*3/uL', mean: 260, sd: 55, low: 150, high: 400, decimals: 0, category: 'laboratory' },
];
const QUARTERLY: Analyte[] = [
  { code: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', unit: 'm[IU]/L', ucum: 'm[IU]/L', mean: 2.1, sd: 0.9, low: 0.27, high: 4.2, decimals: 2, category: 'laboratory' },
  { code: '62292-8', display: '25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma', unit: 'ng/mL', ucum: 'ng/mL', mean: 32, sd: 10, low: 30, high: 100, decimals: 0, category: 'laboratory' },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', ucum: '%', mean: 5.7, sd: 0.4, high: 5.6, decimals: 1, category: 'laboratory' },
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', mean: 190, sd: 30, high: 200, decimals: 0, category: 'laboratory' },
];
const URINE_24H: Analyte[] = [
  { code: '6874-2', display: 'Calcium [Mass/time] in 24 hour Urine', unit: 'mg/(24.h)', ucum: 'mg/(24.h)', mean: 260, sd: 70, high: 300, decimals: 0, category: 'laboratory' },
  { code: '2701-1', display: 'Oxalate [Mass/time] in 24 hour Urine', unit: 'mg/(24.h)', ucum: 'mg/(24.h)', mean: 35, sd: 10, high: 40, decimals: 0, category: 'laboratory' },
  { code: '6687-8', display: 'Citrate [Mass/time] in 24 hour Urine', unit: 'mg/(24.h)', ucum: 'mg/(24.h)', mean: 420, sd: 150, low: 320, decimals: 0, category: 'laboratory' },
  { code: '2889-4', display: 'Protein [Mass/time] in 24 hour Urine', unit: 'mg/(24.h)', ucum: 'mg/(24.h)', mean: 120, sd: 50, high: 150, decimals: 0, category: 'laboratory' },
  { code: '24447-5', display: 'Magnesium [Moles/time] in 24 hour Urine', unit: 'mmol/(24.h)', ucum: 'mmol/(24.h)', mean: 4.0, sd: 0.9, low: 3.0, high: 5.0, decimals: 1, category: 'laboratory' },
  { code: '14959-1', display: 'Microalbumin/Creatinine [Mass Ratio] in Urine', unit: 'mg/g', ucum: 'mg/g', mean: 18, sd: 10, high: 30, decimals: 0, category: 'laboratory' },
];
const VITALS: Analyte[] = [
  { code: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', mean: 82, sd: 3, decimals: 1, category: 'vital-signs' },
  { code: '8867-4', display: 'Heart rate', unit: '/min', ucum: '/min', mean: 74, sd: 8, decimals: 0, category: 'vital-signs' },
];

const URINALYSIS_COMPONENTS: Array<{ code: string; display: string; values: string[] }> = [
  { code: '5803-2', display: 'pH of Urine by Test strip', values: ['5.5', '6.0', '6.5', '7.0'] },
  { code: '5811-5', display: 'Specific gravity of Urine by Test strip', values: ['1.010', '1.015', '1.020', '1.025'] },
  { code: '5804-0', display: 'Protein [Mass/volume] in Urine by Test strip', values: ['Negative', 'Negative', 'Trace', '1+'] },
  { code: '5794-3', display: 'Hemoglobin [Presence] in Urine by Test strip', values: ['Negative', 'Negative', 'Negative', 'Small'] },
  { code: '5802-4', display: 'Nitrite [Presence] in Urine by Test strip', values: ['Negative', 'Negative', 'Negative', 'Positive'] },
  { code: '5799-2', display: 'Leukocyte esterase [Presence] in Urine by Test strip', values: ['Negative', 'Negative', 'Trace', 'Positive'] },
];

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function cc(system: string, code: string, display: string, text?: string): CodeableConcept {
  return { coding: [{ system, code, display }], text: text ?? display };
}

/** Build the heavy patient's Bundle. Pure: same options, same object. */
export function generateHeavyBundle(options: HeavyOptions = {}): Bundle {
  const o = { ...HEAVY_DEFAULTS, ...options };
  const rand = mulberry32(o.seed);
  const gauss = (): number => {
    // Box–Muller from two PRNG draws (1 - u avoids log(0)).
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

  const endMs = Date.parse(`${o.end}T00:00:00Z`);
  if (!Number.isFinite(endMs)) throw new Error(`bad end date: ${o.end}`);
  const startMs = endMs - Math.round(o.years * 365.25) * 86_400_000;
  const pid = o.patientId;
  const subject = { reference: `Patient/${pid}` };
  const entries: BundleEntry[] = [];
  let seq = 0;
  const add = (r: FhirResource & { id?: string }, prefix: string): string => {
    seq += 1;
    r.id = `${prefix}-${String(seq).padStart(6, '0')}`;
    entries.push({ resource: r });
    return `${r.resourceType}/${r.id}`;
  };

  const patient: Patient = {
    resourceType: 'Patient',
    id: pid,
    identifier: [{ system: 'urn:example:heavy-mrn', value: 'HEAVY-0001' }],
    name: [{ use: 'official', family: 'Heavyload', given: ['Benchmark'] }],
    gender: 'male',
    birthDate: '1968-04-17',
  };
  entries.push({ resource: patient });

  const observation = (a: Analyte, when: string, visit: number): Observation => {
    // Slow drift over the years plus noise; calcium drifts upwards in the last year (a real signal).
    const progress = (Date.parse(when) - startMs) / (endMs - startMs);
    let mean = a.mean;
    if (a.code === '17861-6' || a.code === '49765-1') mean += progress > 0.85 ? 0.9 : 0;
    const value = round(mean + a.sd * gauss(), a.decimals);
    const r = rand();
    const obs: Observation = {
      resourceType: 'Observation',
      status: r < 0.01 ? 'entered-in-error' : visit >= o.visits - 2 && r < 0.3 ? 'preliminary' : 'final',
      category: [cc(OBS_CAT, a.category, a.category === 'laboratory' ? 'Laboratory' : 'Vital Signs')],
      code: cc(LOINC, a.code, a.display),
      subject,
      effectiveDateTime: when,
      issued: when.replace(/T.*/, 'T18:00:00Z'),
    };
    const shape = rand();
    if (shape < 0.04) {
      // Vendor habit: the number as a string, sometimes with a comparator.
      obs.valueString = shape < 0.01 ? `<${a.low ?? value}` : String(value);
    } else {
      obs.valueQuantity = a.ucum
        ? { value, unit: a.unit, system: UCUM, code: a.ucum }
        : { value, unit: a.unit };
    }
    if (a.low !== undefined || a.high !== undefined) {
      const rr = rand();
      if (rr < 0.6) {
        const range: ObservationReferenceRange = {};
        if (a.low !== undefined) range.low = { value: a.low, unit: a.unit, ...(a.ucum ? { system: UCUM, code: a.ucum } : {}) };
        if (a.high !== undefined) range.high = { value: a.high, unit: a.unit, ...(a.ucum ? { system: UCUM, code: a.ucum } : {}) };
        obs.referenceRange = [range];
      } else if (rr < 0.75) {
        // Text-only range, as some vendors send it.
        const text =
          a.low !== undefined && a.high !== undefined ? `${a.low}-${a.high}` : a.high !== undefined ? `<=${a.high}` : `>=${a.low}`;
        obs.referenceRange = [{ text }];
      }
      if (rand() < 0.5 && typeof value === 'number') {
        const flag = a.high !== undefined && value > a.high ? 'H' : a.low !== undefined && value < a.low ? 'L' : 'N';
        obs.interpretation = [cc(INTERP, flag, flag === 'H' ? 'High' : flag === 'L' ? 'Low' : 'Normal')];
      }
    }
    return obs;
  };

  const span = endMs - startMs;
  for (let v = 0; v < o.visits; v += 1) {
    // Visits spread evenly with a jitter of a few hours; the last visit is on `end`.
    const base = startMs + Math.floor((span * (v + 1)) / o.visits);
    const when = new Date(base - Math.floor(rand() * 10) * 3_600_000 - 8 * 3_600_000).toISOString().replace('.000Z', 'Z');
    const results: string[] = [];
    const panel = v % 7 === 3 ? BMP_BLOOD : BMP;
    for (const a of panel) results.push(add(observation(a, when, v), 'hobs'));
    for (const a of VITALS) add(observation(a, when, v), 'hobs');
    if (v % 5 === 0) for (const a of CBC) add(observation(a, when, v), 'hobs');
    if (v % 10 === 0) for (const a of BONE) results.push(add(observation(a, when, v), 'hobs'));
    if (v % 30 === 0) for (const a of QUARTERLY) add(observation(a, when, v), 'hobs');
    if (v % 60 === 0) for (const a of URINE_24H) add(observation(a, when, v), 'hobs');
    if (v % 20 === 0) {
      // Urinalysis panel with its dipstick results as components (and qualitative strings).
      add(
        {
          resourceType: 'Observation',
          status: 'final',
          category: [cc(OBS_CAT, 'laboratory', 'Laboratory')],
          code: cc(LOINC, '24356-8', 'Urinalysis complete panel - Urine'),
          subject,
          effectiveDateTime: when,
          component: URINALYSIS_COMPONENTS.map((c) => {
            const val = pick(c.values);
            return /^[\d.]+$/.test(val)
              ? { code: cc(LOINC, c.code, c.display), valueQuantity: { value: Number(val) } }
              : { code: cc(LOINC, c.code, c.display), valueCodeableConcept: { text: val } };
          }),
        } satisfies Observation,
        'hobs',
      );
    }
    if (v % 40 === 0) {
      add(
        {
          resourceType: 'Observation',
          status: 'final',
          category: [cc(OBS_CAT, 'laboratory', 'Laboratory')],
          code: cc(LOINC, '630-4', 'Bacteria identified in Urine by Culture'),
          subject,
          effectiveDateTime: when,
          valueString: rand() < 0.15 ? 'Escherichia coli >100,000 CFU/mL' : 'No growth',
        } satisfies Observation,
        'hobs',
      );
    }
    if (v % 10 === 0) {
      add(
        {
          resourceType: 'DiagnosticReport',
          status: 'final',
          category: [cc('http://terminology.hl7.org/CodeSystem/v2-0074', 'LAB', 'Laboratory')],
          code: cc(LOINC, '24323-8', 'Comprehensive metabolic 2000 panel - Serum or Plasma'),
          subject,
          effectiveDateTime: when,
          issued: when.replace(/T.*/, 'T18:00:00Z'),
          result: results.map((reference) => ({ reference })),
        } satisfies DiagnosticReport,
        'hdr',
      );
    }
  }

  // Imaging: a renal ultrasound every year, a CT once, as DiagnosticReports; one ImagingStudy.
  for (let y = 0; y < o.years; y += 1) {
    const when = isoDay(startMs + Math.floor((y + 0.5) * 365.25 * 86_400_000));
    add(
      {
        resourceType: 'DiagnosticReport',
        status: 'final',
        category: [cc('http://terminology.hl7.org/CodeSystem/v2-0074', 'RAD', 'Radiology')],
        code: cc(LOINC, '24531-6', 'US Retroperitoneum'),
        subject,
        effectiveDateTime: when,
        conclusion: y >= o.years - 2 ? 'Echogenic medullary pyramids bilaterally, consistent with medullary nephrocalcinosis.' : 'Normal renal ultrasound.',
      } satisfies DiagnosticReport,
      'hdr',
    );
  }
  const ctDate = isoDay(endMs - 200 * 86_400_000);
  add(
    {
      resourceType: 'DiagnosticReport',
      status: 'final',
      category: [cc('http://terminology.hl7.org/CodeSystem/v2-0074', 'RAD', 'Radiology')],
      code: cc(LOINC, '36424-0', 'CT Abdomen WO contrast'),
      subject,
      effectiveDateTime: ctDate,
      conclusion: 'Bilateral medullary calcification.',
    } satisfies DiagnosticReport,
    'hdr',
  );
  add(
    {
      resourceType: 'ImagingStudy',
      status: 'available',
      subject,
      started: `${ctDate}T10:00:00Z`,
      procedureCode: [cc(SNOMED, '169070004', 'CT of abdomen')],
      description: 'CT abdomen kidneys',
    } satisfies ImagingStudy,
    'himg',
  );
  add(
    {
      resourceType: 'Procedure',
      status: 'completed',
      subject,
      code: cc(SNOMED, '45036003', 'Ultrasonography of abdomen'),
      performedDateTime: isoDay(endMs - 90 * 86_400_000),
    } satisfies Procedure,
    'hproc',
  );
  add(
    {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      subject,
      code: cc(LOINC, '2731-8', 'Parathyrin.intact [Mass/volume] in Serum or Plasma'),
      authoredOn: isoDay(endMs - 3 * 86_400_000),
    } satisfies ServiceRequest,
    'hsr',
  );

  // Problem list: CKD, gout, primary hyperparathyroidism (risk factor), hypokalaemia (SNOMED and ICD-10-CM).
  const conditions: Array<[string, string, string]> = [
    [SNOMED, '431855005', 'Chronic kidney disease stage 1'],
    [SNOMED, '90560007', 'Gout'],
    [SNOMED, '36348003', 'Primary hyperparathyroidism'],
    [ICD10CM, 'E87.6', 'Hypokalemia'],
    [SNOMED, '38341003', 'Hypertension'],
  ];
  conditions.forEach(([system, code, display], i) => {
    add(
      {
        resourceType: 'Condition',
        clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active', 'Active'),
        verificationStatus: cc('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed', 'Confirmed'),
        code: cc(system, code, display),
        subject,
        onsetDateTime: isoDay(startMs + i * 200 * 86_400_000),
      } satisfies Condition,
      'hcond',
    );
  });
  // Medications: furosemide (loop diuretic, a cause), cholecalciferol, hydrochlorothiazide (context);
  // a prescription renewed every quarter for the whole history.
  const meds: Array<[string, string]> = [
    ['310429', 'Furosemide 20 MG Oral Tablet'],
    ['316965', 'Cholecalciferol 1000 UNT Oral Tablet'],
    ['310798', 'Hydrochlorothiazide 25 MG Oral Tablet'],
  ];
  for (let q = 0; q < o.years * 4; q += 1) {
    const [code, display] = meds[q % meds.length] as [string, string];
    add(
      {
        resourceType: 'MedicationRequest',
        status: q >= o.years * 4 - meds.length ? 'active' : 'completed',
        intent: 'order',
        subject,
        medicationCodeableConcept: cc(RXNORM, code, display),
        authoredOn: isoDay(startMs + Math.floor(q * 91.3 * 86_400_000)),
      } satisfies MedicationRequest,
      'hmed',
    );
  }
  add(
    {
      resourceType: 'MedicationStatement',
      status: 'active',
      subject,
      medicationCodeableConcept: cc(RXNORM, '1895', 'Calcium'),
      effectiveDateTime: isoDay(endMs - 400 * 86_400_000),
    } satisfies MedicationStatement,
    'hmed',
  );

  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}

/** Canonical text of the bundle (compact JSON, one trailing newline): what the CLI writes. */
export function serializeHeavyBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle)}\n`;
}

/** Count resources by type (for the CLI summary and the tests). */
export function countByType(bundle: Bundle): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of bundle.entry ?? []) {
    const t = e.resource?.resourceType ?? 'none';
    counts[t] = (counts[t] ?? 0) + 1;
  }
  return counts;
}

/** Write the heavy bundle into `dir` (created if needed). Returns the file path and byte size. */
export function writeHeavyBundle(dir: string, options: HeavyOptions = {}): { file: string; bytes: number; counts: Record<string, number> } {
  const bundle = generateHeavyBundle(options);
  const text = serializeHeavyBundle(bundle);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'heavy-patient.json');
  writeFileSync(file, text);
  return { file, bytes: Buffer.byteLength(text), counts: countByType(bundle) };
}

function cli(argv: string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = arg('out');
  if (!out) {
    process.stderr.write('usage: tsx test/heavy/generate.ts --out <dir> [--seed N] [--visits N] [--end YYYY-MM-DD] [--years N]\n');
    process.exit(2);
  }
  const options: HeavyOptions = {};
  if (arg('seed')) options.seed = Number(arg('seed'));
  if (arg('visits')) options.visits = Number(arg('visits'));
  if (arg('years')) options.years = Number(arg('years'));
  const end = arg('end');
  if (end) options.end = end;
  const { file, bytes, counts } = writeHeavyBundle(resolve(out), options);
  process.stdout.write(`${file}: ${(bytes / 1e6).toFixed(1)} MB, ${JSON.stringify(counts)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) cli(process.argv.slice(2));
