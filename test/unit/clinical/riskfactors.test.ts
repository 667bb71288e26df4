import { describe, expect, it } from 'vitest';
import type { Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { PATIENT_ID, condition, item, medication, obs, patient, run, rxnorm, snomed, textCode } from './fixtures';

const icd10 = (code: string, display?: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code, ...(display ? { display } : {}) }] });
const icd10cm = (code: string) => ({ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code }] });
const atc = (code: string) => ({ coding: [{ system: 'http://www.whocc.no/atc', code }] });
const ids = (ev: ReturnType<typeof run>) => ev.riskFactors.map((r) => r.id);

describe('conditions (section 8)', () => {
  it.each<[string, ReturnType<typeof snomed>]>([
    ['primary-hyperparathyroidism', snomed('36348003')],
    ['primary-hyperparathyroidism', icd10('E21.0')],
    ['distal-rta', snomed('236461000')],
    ['renal-tubular-acidosis', icd10('N25.8')],
    ['medullary-sponge-kidney', icd10('Q61.5')],
    ['premature-birth', icd10('P07.3')],
    ['sarcoidosis', icd10('D86.0')],
    ['tuberculosis', icd10('A18.1')],
    ['hypervitaminosis-d', icd10('E67.3')],
    // section 8: E83.42 is hypomagnesaemia of any cause, never "primary"
    ['hypomagnesaemia', icd10cm('E83.42')],
    ['primary-hypomagnesaemia', snomed('80710001')],
    ['bartter-syndrome', snomed('707742001')],
    ['hypercalcaemia', icd10cm('E83.52')],
    ['nephrocalcinosis', icd10cm('E83.59')],
    ['nephrocalcinosis', textCode('Nephrocalcinosis, bilateral')],
    ['hypokalaemia', snomed('43339004')],
    ['cushing-syndrome', icd10('E24.9')],
    ['hypothyroidism', icd10('E03.9')],
    ['williams-syndrome', icd10cm('Q93.82')],
    ['dent-disease', snomed('444645005')],
    ['lowe-syndrome', textCode('Lowe syndrome')],
    ['fanconi-syndrome', icd10('E72.0')],
    ['primary-hyperoxaluria', snomed('65520001')],
    ['metabolic-acidosis', icd10('E87.2')],
  ])('%s', (id, code) => {
    const ev = run([condition(code)]);
    expect(ids(ev)).toEqual([id]);
    expect(ev.riskFactors[0]?.kind).toBe('condition');
    expect(ev.riskFactors[0]?.source).toMatch(/^Condition\//);
  });

  it('ICD-10 prefixes do not over-match ICD-10-CM subcodes of another disorder', () => {
    expect(ids(run([condition(icd10cm('Q93.81'))]))).toEqual([]); // velocardiofacial, not Williams
    expect(ids(run([condition(icd10cm('N25.81'))]))).toEqual([]); // secondary hyperparathyroidism of renal origin
    expect(ids(run([condition(icd10cm('E74.02'))]))).toEqual([]); // Pompe disease
    expect(ids(run([condition(icd10cm('E72.01'))]))).toEqual([]); // cystinuria
    expect(ids(run([condition(icd10cm('E26.81'))]))).toEqual(['bartter-syndrome']);
    expect(ids(run([condition(icd10cm('E72.03'))]))).toEqual(['lowe-syndrome']);
    expect(ids(run([condition(icd10cm('T86.11'))]))).toEqual(['renal-transplant-rejection']);
  });

  it('ignores refuted and entered-in-error conditions; keeps resolved ones, marked', () => {
    expect(ids(run([condition(snomed('31541009'), { verification: 'refuted' })]))).toEqual([]);
    expect(ids(run([condition(snomed('31541009'), { verification: 'entered-in-error' })]))).toEqual([]);
    const ev = run([condition(snomed('31541009', 'Sarcoidosis'), { clinical: 'resolved' })]);
    expect(ev.riskFactors[0]?.status).toBe('resolved');
    expect(ev.riskFactors[0]?.text).toMatch(/resolved/);
  });

  it('one entry per risk factor', () => {
    expect(ids(run([condition(snomed('31541009')), condition(icd10('D86.9'))]))).toEqual(['sarcoidosis']);
  });
});

describe('medications (section 8)', () => {
  it('RxNorm ingredient codes', () => {
    expect(ids(run([medication(rxnorm('4603'))]))).toEqual(['loop-diuretic']);
    expect(ids(run([medication(rxnorm('167'))]))).toEqual(['acetazolamide']);
    expect(ids(run([medication(rxnorm('2418'))]))).toEqual(['vitamin-d-treatment']);
    expect(ids(run([medication(rxnorm('1897'))]))).toEqual(['calcium-supplement']);
  });

  it('ATC codes', () => {
    expect(ids(run([medication(atc('C03CA01'))]))).toEqual(['loop-diuretic']);
    expect(ids(run([medication(atc('A11CC04'))]))).toEqual(['vitamin-d-treatment']);
  });

  it('product-level codes by ingredient or brand name in the display', () => {
    expect(ids(run([medication(rxnorm('197417', 'Furosemide 40 MG Oral Tablet'))]))).toEqual(['loop-diuretic']);
    expect(ids(run([medication(rxnorm('315971', 'Lasix 40mg'))]))).toEqual(['loop-diuretic']);
    expect(ids(run([medication(rxnorm('1', 'Calcium Carbonate 500 MG / Cholecalciferol 400 UNT Oral Tablet'))])).sort()).toEqual(
      ['calcium-supplement', 'vitamin-d-treatment'].sort(),
    );
  });

  it('"Atorvastatin Calcium" is not a calcium supplement', () => {
    expect(ids(run([medication(rxnorm('617310', 'Atorvastatin Calcium 20 MG Oral Tablet'))]))).toEqual([]);
  });

  it('thiazides are treatment context, not a cause', () => {
    const ev = run([medication(rxnorm('5487', 'Hydrochlorothiazide'))]);
    expect(ev.riskFactors[0]).toMatchObject({ id: 'thiazide', role: 'context', kind: 'medication' });
  });

  it('ignores entered-in-error and cancelled requests; keeps stopped ones, marked', () => {
    expect(ids(run([medication(rxnorm('4603'), { status: 'entered-in-error' })]))).toEqual([]);
    expect(ids(run([medication(rxnorm('4603'), { status: 'cancelled' })]))).toEqual([]);
    const ev = run([medication(rxnorm('4603'), { status: 'stopped' })]);
    expect(ev.riskFactors[0]?.status).toBe('stopped');
  });

  it('MedicationStatement and medicationReference to a Medication resource or a contained one', () => {
    const med: Medication = { resourceType: 'Medication', id: 'med1', code: rxnorm('4603', 'Furosemide') };
    const req: MedicationRequest = {
      resourceType: 'MedicationRequest',
      id: 'mr1',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${PATIENT_ID}` },
      medicationReference: { reference: 'Medication/med1' },
    };
    expect(ids(run([med, req]))).toEqual(['loop-diuretic']);
    const st: MedicationStatement = {
      resourceType: 'MedicationStatement',
      id: 'ms1',
      status: 'active',
      subject: { reference: `Patient/${PATIENT_ID}` },
      contained: [{ resourceType: 'Medication', id: 'm', code: { text: 'Acetazolamide 250 mg tablets' } } as Medication],
      medicationReference: { reference: '#m' },
    };
    expect(ids(run([st]))).toEqual(['acetazolamide']);
  });
});

describe('conditional items that depend on the record (applies)', () => {
  it('vitamin D applies when vitamin D is prescribed or calcium is high', () => {
    expect(item(run([]), 'vitamin-d').applies).toBe(false);
    expect(item(run([medication(rxnorm('2418'))]), 'vitamin-d').applies).toBe(true);
    expect(item(run([obs('17861-6', 2.8, 'mmol/L')]), 'vitamin-d').applies).toBe(true);
  });

  it('magnesium applies with low potassium or a loop diuretic', () => {
    expect(item(run([]), 'magnesium').applies).toBe(false);
    expect(item(run([obs('2823-3', 3.0, 'mmol/L')]), 'magnesium').applies).toBe(true);
    expect(item(run([medication(rxnorm('4603'))]), 'magnesium').applies).toBe(true);
  });

  it('ionised calcium applies when calcium or albumin is out of range', () => {
    expect(item(run([obs('17861-6', 2.4, 'mmol/L')]), 'ionised-calcium').applies).toBe(false);
    expect(item(run([obs('17861-6', 2.0, 'mmol/L')]), 'ionised-calcium').applies).toBe(true);
  });

  it('children: urine Ca:creatinine and genetic testing apply', () => {
    const ev = run([], { patient: patient({ birthDate: '2020-01-01' }) });
    expect(item(ev, 'urine-calcium-creatinine').applies).toBe(true);
    expect(item(ev, 'genetic-testing').applies).toBe(true);
    expect(item(run([]), 'genetic-testing').applies).toBe(false);
  });

  it('CT applies with nephrocalcinosis recorded; X-ray with kidney stones', () => {
    expect(item(run([condition(textCode('Nephrocalcinosis'))]), 'ct-abdomen').applies).toBe(true);
    expect(item(run([condition(snomed('95570007', 'Kidney stone'))]), 'abdominal-xray').applies).toBe(true);
  });

  it('renal biopsy applies when nephrocalcinosis is known and no cause is identified', () => {
    expect(item(run([condition(textCode('Nephrocalcinosis'))]), 'renal-biopsy').applies).toBe(true);
    expect(item(run([condition(textCode('Nephrocalcinosis')), condition(snomed('236443009'))]), 'renal-biopsy').applies).toBe(false);
    expect(item(run([condition(textCode('Nephrocalcinosis')), obs('17861-6', 2.9, 'mmol/L')]), 'renal-biopsy').applies).toBe(false);
  });

  it('summary counts only items that apply', () => {
    const ev = run([]);
    const applying = ev.items.filter((i) => i.applies);
    expect(ev.summary.total).toBe(applying.length);
    expect(ev.summary.missing).toBe(applying.length);
    expect(ev.items.filter((i) => i.tier === 'core').every((i) => i.applies)).toBe(true);
  });
});

describe('which record is shown for a risk factor', () => {
  it('a coded match is preferred over a newer text match', () => {
    const coded = condition(snomed('367494004', 'Premature birth'), { id: 'coded' });
    coded.onsetDateTime = '2025-01-01';
    const text = condition(textCode('Chronic lung disease of prematurity'), { id: 'text' });
    text.onsetDateTime = '2025-05-01';
    const ev = run([text, coded]);
    expect(ev.riskFactors).toHaveLength(1);
    expect(ev.riskFactors[0]).toMatchObject({ id: 'premature-birth', source: 'Condition/coded' });
  });

  it('a current entry is preferred over a resolved one', () => {
    const old = condition(snomed('31541009'), { id: 'a', clinical: 'resolved' });
    const cur = condition(textCode('Sarcoidosis of lung'), { id: 'b' });
    expect(run([old, cur]).riskFactors[0]?.source).toBe('Condition/b');
  });
});

describe('a conditional item with an abnormal result of its own applies', () => {
  it('a low magnesium without any trigger still counts', () => {
    const ev = run([obs('19123-9', 0.5, 'mmol/L')]);
    expect(item(ev, 'magnesium')).toMatchObject({ applies: true, status: 'abnormal' });
    expect(item(run([obs('19123-9', 0.85, 'mmol/L')]), 'magnesium').applies).toBe(false);
  });
});
