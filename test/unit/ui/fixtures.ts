/**
 * Hand-built panel models (typed as the engine's Evaluation) for the view tests. They mirror what
 * the engine produces for the clinical reference's cases; the numbers are illustrative only.
 */
import type { Patient } from 'fhir/r4';
import type { Evaluation, ItemResult, LoadFailure, Summary } from '../../../src/clinical/model';
import { buildTodo } from '../../../src/clinical/todo';
import type { ReadyData, ResourceLoadStatus } from '../../../src/ui/types';

export const EVALUATED_AT = '2026-06-15';

export const XSS = '<img src=x onerror=alert(1)>';

export function summarise(items: ItemResult[]): Summary {
  const s: Summary = { missing: 0, outdated: 0, pending: 0, abnormal: 0, unknown: 0, normal: 0, total: 0, outdatedAbnormal: 0 };
  for (const i of items) {
    if (!i.applies) continue;
    s.total++;
    s[i.status]++;
  }
  return s;
}

export function readyItems(): ItemResult[] {
  return [
    {
      id: 'calcium',
      label: 'Calcium (total)',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'abnormal',
      direction: 'high',
      reason: 'Above the range',
      latest: {
        value: 2.6946,
        unit: 'mmol/L',
        analyte: 'calcium',
        reported: { value: 10.8, unit: 'mg/dL' },
        date: '2026-06-01',
        source: 'Observation/ca1',
        flag: 'high',
      },
      range: { low: 2.2, high: 2.6, source: 'built-in' },
      history: [
        { value: 2.65, unit: 'mmol/L', date: '2026-03-03', source: 'Observation/ca0', flag: 'high' },
        { value: 2.5, unit: 'mmol/L', date: '2025-11-20', source: 'Observation/ca-1', flag: 'normal' },
      ],
    },
    {
      id: 'albumin',
      label: 'Albumin',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'normal',
      latest: { value: 38, unit: 'g/L', analyte: 'albumin', date: '2026-06-01', source: 'Observation/alb1', flag: 'normal' },
      range: { low: 35, high: 50, source: 'result', text: '35-50 g/L' },
      history: [],
    },
    {
      id: 'adjusted-calcium',
      label: 'Adjusted calcium',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'abnormal',
      direction: 'high',
      latest: {
        value: 2.7346,
        unit: 'mmol/L',
        analyte: 'adjusted-calcium',
        date: '2026-06-01',
        source: ['Observation/ca1', 'Observation/alb1'],
        derived: true,
        derivation: 'Payne: calcium 2.69 mmol/L + 0.02 × (40 − albumin 38 g/L)',
      },
      range: { low: 2.2, high: 2.6, source: 'built-in' },
      history: [
        { value: 2.65, unit: 'mmol/L', date: '2026-03-03', source: 'Observation/ca0', flag: 'high' },
      ],
    },
    {
      id: 'potassium',
      label: 'Potassium',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'abnormal',
      direction: 'low',
      latest: { value: 3.1, unit: 'mmol/L', analyte: 'potassium', date: '2026-06-10', source: 'Observation/k1', flag: 'low' },
      range: { source: 'interpretation' },
      history: [],
    },
    {
      id: 'bicarbonate',
      label: 'Bicarbonate',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'normal',
      latest: { value: 24, unit: 'mmol/L', analyte: 'bicarbonate', date: '2026-06-10', source: 'Observation/hco3', flag: 'normal' },
      range: { low: 22, high: 29, source: 'built-in' },
      history: [],
    },
    {
      id: 'pth',
      label: 'Parathyroid hormone (PTH)',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'missing',
      history: [],
    },
    {
      id: 'tsh',
      label: 'TSH',
      group: 'blood',
      tier: 'core',
      applies: true,
      status: 'outdated',
      reason: 'Newest result is older than 12 months',
      latest: { value: 5.1, unit: 'm[IU]/L', analyte: 'tsh', date: '2024-12-01', source: 'Observation/tsh', flag: 'high' },
      range: { low: 0.27, high: 4.2, source: 'built-in' },
      history: [],
    },
    {
      id: 'vitamin-d',
      label: '25-OH vitamin D',
      group: 'blood',
      tier: 'conditional',
      applies: true,
      condition: 'when calcium is high or vitamin D is prescribed',
      status: 'unknown',
      reason: 'Unit “IU/mL” not recognised: the value could not be interpreted',
      latest: { value: 30, unit: 'IU/mL', date: '2026-05-01', source: 'Observation/vd', flag: 'uninterpretable', problem: 'Unrecognised unit' },
      history: [],
    },
    {
      id: 'magnesium',
      label: 'Magnesium',
      group: 'blood',
      tier: 'conditional',
      applies: false,
      condition: 'supporting test',
      status: 'missing',
      history: [],
    },
    {
      id: 'urinalysis',
      label: 'Urinalysis',
      group: 'urine',
      tier: 'core',
      applies: true,
      status: 'normal',
      latest: { value: 'done', date: '2026-06-12', source: 'Observation/ua', text: 'No blood, protein or nitrite' },
      history: [],
    },
    {
      id: 'urine-culture',
      label: 'Urine culture',
      group: 'urine',
      tier: 'core',
      applies: true,
      status: 'pending',
      reason: 'Ordered on 12 Jun 2026, no result yet',
      history: [],
    },
    {
      id: 'urine-oxalate-24h',
      label: '24-hour urine oxalate',
      group: 'urine',
      tier: 'core',
      applies: true,
      status: 'normal',
      latest: { value: 0.05, comparator: '<', unit: 'mmol/24 h', analyte: 'u-oxalate-24h', date: '2026-04-02', source: 'Observation/ox' },
      range: { high: 0.45, source: 'built-in' },
      history: [],
    },
    {
      id: 'urine-calcium-24h',
      label: '24-hour urine calcium',
      group: 'urine',
      tier: 'core',
      applies: true,
      status: 'missing',
      history: [],
    },
    {
      id: 'renal-ultrasound',
      label: 'Renal ultrasound',
      group: 'imaging',
      tier: 'core',
      applies: true,
      status: 'abnormal',
      latest: {
        value: 'done',
        date: '2026-02-10',
        source: 'DiagnosticReport/us1',
        text: `Bilateral medullary nephrocalcinosis. ${XSS}`,
        resultStatus: 'preliminary',
        matchedByText: true,
      },
      range: { source: 'interpretation' },
      history: [],
    },
    {
      id: 'ct-abdomen',
      label: 'CT abdomen / KUB',
      group: 'imaging',
      tier: 'conditional',
      applies: false,
      condition: 'to characterise calcification (medullary vs cortical)',
      status: 'missing',
      history: [],
    },
    {
      id: 'genetic-testing',
      label: 'Genetic testing',
      group: 'other',
      tier: 'conditional',
      applies: false,
      condition: 'patient under 18',
      status: 'missing',
      history: [],
    },
  ];
}

export function readyEvaluation(): Evaluation {
  const items = readyItems();
  return {
    patient: { id: 'p1', birthDate: '1970-04-02', ageYears: 56, sex: 'female' },
    evaluatedAt: EVALUATED_AT,
    items,
    diagnostics: { read: {}, skipped: {} },
    findings: [
      {
        id: 'hypercalcaemia',
        text: 'Calcium is high: consider checking PTH.',
        evidence: ['adjusted-calcium'],
      },
      {
        id: 'hypokalaemia',
        text: 'Potassium is low: consider causes that lower urinary citrate.',
        evidence: ['Observation/k1', 'Observation/unknown-ref'],
      },
      {
        id: 'paediatric',
        text: 'Age-based finding (fixture).',
        evidence: ['Patient.birthDate'],
      },
    ],
    riskFactors: [
      { id: 'rf-furosemide', text: 'Furosemide 40 MG Oral Tablet', kind: 'medication', source: 'MedicationRequest/m1', role: 'cause' },
      {
        id: 'rf-hctz',
        text: 'Hydrochlorothiazide 25 MG Oral Tablet',
        kind: 'medication',
        source: 'MedicationRequest/m2',
        role: 'context',
      },
      { id: 'rf-phpt', text: `Primary hyperparathyroidism ${XSS}`, kind: 'condition', source: 'Condition/c1' },
    ],
    summary: summarise(items),
    todo: buildTodo(items),
  };
}

export const OBSERVATION_500: LoadFailure = {
  resourceType: 'Observation',
  kind: 'failed',
  httpStatus: 500,
  message: 'Internal server error',
};

/** Observations failed: every lab item is `unknown`, the rest loaded. */
export function partialEvaluation(): Evaluation {
  const items = readyItems().map((i): ItemResult => {
    if (i.group === 'blood' || i.group === 'urine') {
      return {
        ...i,
        status: 'unknown',
        direction: undefined,
        latest: undefined,
        range: undefined,
        history: [],
        reason: 'Observations could not be loaded (HTTP 500): could not be checked',
      };
    }
    return i;
  });
  return { ...readyEvaluation(), items, findings: [], summary: summarise(items), todo: buildTodo(items), failures: [OBSERVATION_500] };
}

export const PATIENT: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ use: 'official', given: ['Ada'], family: `Lovelace ${XSS}` }],
  gender: 'female',
  birthDate: '1970-04-02',
};

export const ALL_LOADED: ResourceLoadStatus[] = [
  { resourceType: 'Observation', state: 'loaded', count: 42 },
  { resourceType: 'Condition', state: 'loaded', count: 3 },
  { resourceType: 'MedicationRequest', state: 'loaded', count: 2 },
];

export function readyData(overrides: Partial<ReadyData> = {}): ReadyData {
  return {
    evaluation: readyEvaluation(),
    patient: PATIENT,
    statuses: ALL_LOADED,
    failures: [],
    needPatientBanner: false,
    ...overrides,
  };
}

export const LOADING_STATUSES: ResourceLoadStatus[] = [
  { resourceType: 'Patient', state: 'loaded', count: 1 },
  { resourceType: 'Observation', state: 'pending', count: 0 },
  { resourceType: 'Condition', state: 'loaded', count: 3 },
  { resourceType: 'MedicationRequest', state: 'failed', count: 0, httpStatus: 500 },
  { resourceType: 'DiagnosticReport', state: 'forbidden', count: 0, httpStatus: 403 },
  { resourceType: 'ImagingStudy', state: 'timeout', count: 0 },
];
