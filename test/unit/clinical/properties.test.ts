/**
 * Property-based tests (fast-check) of the engine's safety invariants (issues 2 and 3).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evaluation, ItemResult } from '../../../src/clinical/index';
import type { DiagnosticReport, FhirResource, MedicationRequest, Observation, Procedure, ServiceRequest } from 'fhir/r4';
import { CATALOG } from '../../../src/clinical/index';
import { CANONICAL_UNIT } from '../../../src/clinical/units';
import { NEGATIVE, POSITIVE, PATIENT_ID, loinc, order, run, snomed, textCode } from './fixtures';

const NUMERIC_CODES = CATALOG.filter((i) => i.kind === 'numeric').flatMap((i) => i.codes.filter((c) => c.system === 'loinc').map((c) => ({ item: i.id, code: c.code })));
const QUAL_CODES = ['5802-4', '5799-2', '630-4', '24356-8', '5803-2'];
const UNITS = ['mmol/L', 'mg/dL', 'umol/L', 'mcmol/L', 'g/L', 'g/dL', 'pmol/L', 'pg/mL', 'mEq/L', 'mmol/(24.h)', 'mg/(24.h)', 'mg/mmol', 'mg/g', 'nmol/L', 'ng/mL', 'mL/min/{1.73_m2}', 'banana', '%', ''];
const DAY = 86_400_000;
const NOW_MS = Date.UTC(2025, 5, 15);

const dateArb = fc.integer({ min: 0, max: 1500 }).map((d) => new Date(NOW_MS - d * DAY - 3_600_000).toISOString());
const statusArb = fc.constantFrom('final', 'final', 'final', 'amended', 'corrected', 'preliminary', 'registered', 'cancelled', 'unknown');

const valueArb = fc.oneof(
  fc.record({ valueQuantity: fc.record({ value: fc.double({ min: -10, max: 2000, noNaN: true }), unit: fc.constantFrom(...UNITS) }) }),
  fc.record({ valueString: fc.constantFrom('4.0', '<0.5', '>100', '139 mmol/L', 'Blank', 'see comment', '', 'abc', '12') }),
  fc.record({ valueCodeableConcept: fc.constantFrom(NEGATIVE, POSITIVE) }),
  fc.constant({}),
);

let uid = 0;
const numericObsArb: fc.Arbitrary<Observation> = fc
  .record({ pick: fc.constantFrom(...NUMERIC_CODES), value: valueArb, date: dateArb, status: statusArb, interp: fc.constantFrom(undefined, 'H', 'L', 'N', 'A') })
  .map(({ pick, value, date, status, interp }) => {
    const o: Observation = {
      resourceType: 'Observation',
      id: `g${++uid}`,
      status: status as Observation['status'],
      code: loinc(pick.code),
      subject: { reference: `Patient/${PATIENT_ID}` },
      effectiveDateTime: date,
      ...(value as Partial<Observation>),
    };
    if (interp) o.interpretation = [{ coding: [{ code: interp }] }];
    return o;
  });

const qualObsArb: fc.Arbitrary<Observation> = fc
  .record({ code: fc.constantFrom(...QUAL_CODES), value: valueArb, date: dateArb, status: statusArb })
  .map(({ code, value, date, status }) => ({
    resourceType: 'Observation',
    id: `q${++uid}`,
    status: status as Observation['status'],
    code: loinc(code),
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: date,
    ...(value as Partial<Observation>),
  }));

const otherArb: fc.Arbitrary<FhirResource> = fc
  .record({
    kind: fc.constantFrom('condition', 'medication', 'order', 'report', 'procedure'),
    date: dateArb,
    pick: fc.integer({ min: 0, max: 4 }),
    status: fc.constantFrom('active', 'completed', 'final', 'registered', 'on-hold', 'stopped', 'entered-in-error'),
  })
  .map(({ kind, date, pick, status }): FhirResource => {
    const id = `x${++uid}`;
    const subject = { reference: `Patient/${PATIENT_ID}` };
    if (kind === 'condition') {
      const codes = [snomed('36348003'), snomed('43339004'), textCode('Nephrocalcinosis'), snomed('95570007'), snomed('31541009')];
      return { resourceType: 'Condition', id, subject, code: codes[pick]!, recordedDate: date, clinicalStatus: { coding: [{ code: status === 'stopped' ? 'resolved' : 'active' }] } };
    }
    if (kind === 'medication') {
      const meds = ['Furosemide 40 MG Oral Tablet', 'Cholecalciferol 1000 UNT', 'Hydrochlorothiazide 25 MG', 'Calcium Carbonate 500 MG', 'Acetazolamide 250 MG'];
      return { resourceType: 'MedicationRequest', id, subject, intent: 'order', status: status as MedicationRequest['status'], authoredOn: date, medicationCodeableConcept: { text: meds[pick]! } };
    }
    const codes = [loinc('2731-8'), loinc('24558-9', 'US Abdomen'), loinc('24323-8'), snomed('48426002'), loinc('630-4')];
    if (kind === 'order') return { resourceType: 'ServiceRequest', id, subject, intent: 'order', status: status as ServiceRequest['status'], authoredOn: date, code: codes[pick]! };
    if (kind === 'procedure') return { resourceType: 'Procedure', id, subject, status: status as Procedure['status'], performedDateTime: date, code: codes[pick]! };
    return { resourceType: 'DiagnosticReport', id, subject, status: status as DiagnosticReport['status'], effectiveDateTime: date, code: codes[pick]!, conclusion: pick % 2 ? 'Normal study' : 'No growth' };
  });

const recordArb = fc.array(
  fc.oneof({ weight: 4, arbitrary: numericObsArb as fc.Arbitrary<FhirResource> }, { weight: 1, arbitrary: qualObsArb as fc.Arbitrary<FhirResource> }, { weight: 1, arbitrary: otherArb }),
  { maxLength: 40 },
);

const NUMERIC_ITEMS = new Set(CATALOG.filter((i) => i.kind === 'numeric').map((i) => i.id));
const ANALYTE_OF = new Map(CATALOG.map((i) => [i.id, i.analyte]));

/** Invariants of any evaluation: a `normal` item has a valid latest result consistent with its range. */
function checkNoFalseNormal(ev: Evaluation): void {
  for (const i of ev.items) {
    if (i.status !== 'normal') continue;
    expect(i.latest, i.id).toBeDefined();
    expect(i.latest!.flag, i.id).toBe('normal');
    expect(i.latest!.problem, i.id).toBeUndefined();
    expect(i.latest!.date, i.id).not.toBe('');
    if (NUMERIC_ITEMS.has(i.id) && i.range?.source !== 'interpretation') {
      const v = i.latest!.value;
      expect(typeof v, i.id).toBe('number');
      const analyte = ANALYTE_OF.get(i.id);
      if (i.latest!.unit && analyte && !i.range?.text?.includes('no unit stated')) {
        // the value is in a canonical unit (of the item, or of the code's analyte: BUN, PCR/ACR, spot Mg)
        expect(Object.values(CANONICAL_UNIT), i.id).toContain(i.latest!.unit);
      }
      if (!i.latest!.comparator) {
        if (i.range?.low !== undefined) expect(v as number, i.id).toBeGreaterThanOrEqual(i.range.low);
        if (i.range?.high !== undefined) expect(v as number, i.id).toBeLessThanOrEqual(i.range.high);
      }
    }
  }
}

/** Everything but history, for "this item did not change". */
const core = (i: ItemResult) => ({ status: i.status, direction: i.direction, latest: i.latest, range: i.range, reason: i.reason, applies: i.applies });

describe('engine properties', () => {
  it('an uninterpretable value is never normal', () => {
    fc.assert(
      fc.property(numericObsArb, (o) => {
        const ev = run([o]);
        for (const i of ev.items) {
          if (i.latest?.flag === 'uninterpretable') expect(i.status).not.toBe('normal');
        }
        checkNoFalseNormal(ev);
      }),
      { numRuns: 400 },
    );
  });

  it('a value in an unrecognised unit is never normal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC_CODES), fc.double({ min: 0, max: 500, noNaN: true }), fc.constantFrom('banana', '%', 'mmol/dL', 'K/mm3', 'U/L'), (pick, v, unit) => {
        const ev = run([{ resourceType: 'Observation', id: 'u1', status: 'final', code: loinc(pick.code), subject: { reference: `Patient/${PATIENT_ID}` }, effectiveDateTime: '2025-06-01', valueQuantity: { value: v, unit } }]);
        expect(ev.items.find((i) => i.id === pick.item)!.status).not.toBe('normal');
      }),
      { numRuns: 200 },
    );
  });

  it('adding entered-in-error results never changes the output', () => {
    fc.assert(
      fc.property(recordArb, fc.array(numericObsArb, { minLength: 1, maxLength: 5 }), (base, extra) => {
        const eie = extra.map((o) => ({ ...o, id: `eie-${o.id}`, status: 'entered-in-error' as const }));
        // the same panel; the diagnostics count the ignored resources
        const withEie = run([...base, ...eie]);
        const without = run(base);
        expect({ ...withEie, diagnostics: undefined }).toEqual({ ...without, diagnostics: undefined });
        expect(withEie.diagnostics.skipped['entered-in-error-or-cancelled']).toBe((without.diagnostics.skipped['entered-in-error-or-cancelled'] ?? 0) + eie.length);
      }),
      { numRuns: 150 },
    );
  });

  it('shuffling resource order never changes the output', () => {
    fc.assert(
      fc.property(
        recordArb.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))),
        ([a, b]) => {
          expect(run(b as FhirResource[])).toEqual(run(a as FhirResource[]));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('adding an older result never changes an item that has a newer valid one', () => {
    fc.assert(
      fc.property(recordArb, numericObsArb, fc.integer({ min: 2, max: 800 }), (base, added, daysOlder) => {
        const before = run(base);
        const target = NUMERIC_CODES.find((c) => c.code === (added.code.coding?.[0]?.code ?? ''))!;
        const itemBefore = before.items.find((i) => i.id === target.item)!;
        if (!itemBefore.latest || itemBefore.latest.flag === 'uninterpretable' || !itemBefore.latest.date) return;
        const latestMs = Date.parse(itemBefore.latest.date.length === 10 ? `${itemBefore.latest.date}T00:00:00Z` : itemBefore.latest.date);
        // strictly older, on an earlier calendar day
        const older = new Date(Date.UTC(new Date(latestMs).getUTCFullYear(), new Date(latestMs).getUTCMonth(), new Date(latestMs).getUTCDate()) - daysOlder * DAY).toISOString();
        const after = run([...base, { ...added, id: `older-${added.id}`, effectiveDateTime: older }]);
        expect(core(after.items.find((i) => i.id === target.item)!)).toEqual(core(itemBefore));
      }),
      { numRuns: 200 },
    );
  });

  it('mutated and garbage resources never throw and never give a false normal', () => {
    const mutate = fc.tuple(numericObsArb, fc.constantFrom('code', 'subject', 'effectiveDateTime', 'valueQuantity', 'status', 'referenceRange', 'interpretation', 'component', 'valueString'), fc.anything());
    fc.assert(
      fc.property(fc.array(mutate, { maxLength: 12 }), fc.array(fc.anything(), { maxLength: 5 }), (muts, junk) => {
        const resources = muts.map(([o, key, v]) => ({ ...o, [key]: v }) as unknown as FhirResource);
        const ev = run([...resources, ...(junk as FhirResource[]), order(loinc('2731-8'))]);
        expect(ev.items).toHaveLength(CATALOG.length);
        checkNoFalseNormal(ev);
      }),
      { numRuns: 300 },
    );
  });
});
