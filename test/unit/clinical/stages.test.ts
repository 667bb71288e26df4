/**
 * The stages of evaluate(), one at a time: read (attribution, diagnostics), interpret (duplicates,
 * future dates), derive (one result in place of another), apply (three-valued applicability, the
 * findings table), assemble (what the summary counts, what each failure affects).
 */
import { describe, expect, it } from 'vitest';
import type { FhirResource } from 'fhir/r4';
import { DEFAULT_RULES } from '../../../src/clinical/catalog';
import type { RuleState } from '../../../src/clinical/facts';
import type { ItemResult } from '../../../src/clinical/model';
import { RULES } from '../../../src/clinical/rules/index';
import { compileRules } from '../../../src/clinical/rules/compile';
import { makeFindings, scopeOf } from '../../../src/clinical/stages/apply';
import { summarise } from '../../../src/clinical/stages/assemble';
import { derive } from '../../../src/clinical/stages/derive';
import { makeEnv } from '../../../src/clinical/stages/env';
import { groupReadings, interpret } from '../../../src/clinical/stages/interpret';
import { readRecord } from '../../../src/clinical/stages/read';
import { condition, NOW, obs, patient, snomed } from './fixtures';

const env = (extra: Parameters<typeof makeEnv>[0] = {}) => makeEnv({ patient: patient(), now: NOW, ...extra }, DEFAULT_RULES);

describe('read', () => {
  it('counts every resource it does not use, by reason', () => {
    const resources: unknown[] = [
      obs('17861-6', 2.4, 'mmol/L'),
      obs('17861-6', 2.5, 'mmol/L', { status: 'entered-in-error' }),
      obs('17861-6', 2.6, 'mmol/L', { subject: 'Patient/someone-else' }),
      obs('2093-3', 5.1, 'mmol/L'), // cholesterol: not an investigation of the catalog
      { ...obs('17861-6', 2.4, 'mmol/L'), subject: undefined },
      { resourceType: 'Encounter', id: 'e1' },
      'garbage',
      { resourceType: 'Medication', id: 'm1' },
    ];
    const r = readRecord(env(), resources);
    expect(r.diagnostics.read).toEqual({ Observation: 2 });
    expect(r.diagnostics.skipped).toEqual({
      'entered-in-error-or-cancelled': 1,
      'another-patient': 1,
      'not-in-catalog': 1,
      'no-subject': 1,
      'type-not-read': 1,
      'not-a-resource': 1,
    });
    expect(r.meds.has('m1')).toBe(true);
    expect(r.collected.readings.map((x) => x.itemId)).toEqual(['calcium']);
  });
});

describe('interpret', () => {
  it('counts a duplicate once and makes a result dated in the future unusable', () => {
    const e = env();
    const read = readRecord(e, [obs('2823-3', 4.1, 'mmol/L', { id: 'b' }), obs('2823-3', 4.1, 'mmol/L', { id: 'a' }), obs('2823-3', 3.0, 'mmol/L', { date: '2030-01-01' })]);
    const grouped = groupReadings(read.collected.readings, e.futureLimit).get('potassium')!;
    expect(grouped.map((r) => r.ref)).toContain('Observation/a');
    expect(grouped.map((r) => r.ref)).not.toContain('Observation/b');
    expect(grouped.find((r) => r.num === 3)?.problem).toBe('date 2030-01-01 is in the future');
  });
});

describe('derive', () => {
  it('a spot ratio taken before 5 years stands for the 24-hour urine calcium; one taken after does not', () => {
    const e = env({ patient: patient({ birthDate: '2021-01-01' }) });
    const it1 = interpret(e, readRecord(e, [obs('9321-1', 0.9, 'mmol/mmol', { date: '2025-06-01' }), obs('9321-1', 0.5, 'mmol/mmol', { date: '2026-02-01' })]));
    const subs = derive(e, it1);
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ from: 'urine-calcium-creatinine', to: 'urine-calcium-24h' });
    expect(subs[0]!.candidates.map((c) => c.date)).toEqual(['2025-06-01']);
  });
});

function state(results: Record<string, Partial<ItemResult>>, extra: Partial<RuleState> = {}): RuleState {
  const map = new Map<string, ItemResult>(
    DEFAULT_RULES.items.map((i) => [i.id, { id: i.id, label: i.label, group: i.group, tier: i.tier, applies: true, status: 'missing', history: [], ...results[i.id] } as ItemResult]),
  );
  return {
    rules: DEFAULT_RULES,
    ageYears: 50,
    nowDay: Date.UTC(2025, 5, 15),
    failures: [],
    results: map,
    candidates: new Map(),
    readings: new Map(),
    windowStart: () => null,
    riskFactors: { riskFactors: [], current: new Set(), any: new Set() },
    findingIds: new Set(),
    ...extra,
  };
}

describe('apply', () => {
  it('answers unknown, with the reason, for what it cannot check', () => {
    const reasons: string[] = [];
    const s = state({ potassium: { status: 'unknown' } }, { failures: [{ resourceType: 'Condition', kind: 'forbidden', httpStatus: 403, message: 'x' }], ageYears: null });
    const sc = scopeOf(s, reasons);
    expect(sc.item('potassium', 'low')).toBeUndefined();
    expect(sc.condition('hypokalaemia')).toBeUndefined();
    expect(sc.medicine('loop-diuretic')).toBe(false);
    expect(sc.ageUnder(18)).toBeUndefined();
    expect(reasons).toEqual(['Potassium could not be checked', 'Conditions could not be loaded (HTTP 403, access refused)', 'the birth date is not known']);
  });

  it('makes findings from a table: the parts whose condition holds, the evidence listed', () => {
    const rules = compileRules({
      ...RULES,
      findings: [
        {
          id: 'low-k',
          name: 'low potassium',
          section: 'test',
          when: { item: 'potassium', is: 'low' },
          text: [{ text: 'Potassium is low.' }, { text: ' Bicarbonate too.', when: { item: 'bicarbonate', is: 'low' } }, { text: ' Consider it.' }],
          evidence: ['potassium', { item: 'bicarbonate', when: { item: 'bicarbonate', is: 'low' } }],
        },
      ],
    });
    const latest = (ref: string) => ({ date: '2025-06-01', source: ref });
    const s = state(
      { potassium: { status: 'abnormal', direction: 'low', latest: latest('Observation/k') }, bicarbonate: { status: 'normal', latest: latest('Observation/b') } },
      { rules },
    );
    expect(makeFindings(s)).toEqual([{ id: 'low-k', text: 'Potassium is low. Consider it.', evidence: ['Observation/k'] }]);
  });
});

describe('assemble', () => {
  const r = (status: ItemResult['status'], extra: Partial<ItemResult> = {}): ItemResult => ({ id: 'x', label: 'X', group: 'blood', tier: 'core', applies: true, status, history: [], ...extra });
  it('counts the items that apply, once, and says how many outdated ones were abnormal', () => {
    const s = summarise([
      r('normal'),
      r('missing', { notAGap: 'not counted as a gap' }),
      r('missing', { applies: false, replacedBy: { id: 'y', label: 'Y', date: '2025-01-01' } }),
      r('outdated', { latest: { date: '2023-01-01', source: 'Observation/o', flag: 'high' } }),
      r('outdated', { latest: { date: '2023-01-01', source: 'Observation/p', flag: 'normal' } }),
      r('abnormal', { applies: false }),
    ]);
    expect(s).toEqual({ normal: 1, missing: 0, outdated: 2, pending: 0, abnormal: 0, unknown: 0, total: 3, outdatedAbnormal: 1 });
  });

  it("keeps this patient's Conditions for the risk factors stage (read, never skipped as not in the catalog)", () => {
    const ev = env();
    const c = condition(snomed('43339004', 'Hypokalaemia'), { id: 'c1' }) as FhirResource;
    const read = readRecord(ev, [c]);
    expect(read.own.map((x) => x.id)).toEqual(['c1']);
    expect(read.diagnostics.skipped).toEqual({});
  });
});
