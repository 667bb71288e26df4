/**
 * The rules as data (src/clinical/rules): the built-in set is valid, serialisable and names its
 * sources; a broken rule set is refused with a message naming what is wrong; and an investigation
 * can be added through data alone (serum uric acid: one item entry and one analyte entry).
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/clinical/index';
import { FACT_NAMES } from '../../../src/clinical/facts';
import { checkRules, compileRules, RuleError } from '../../../src/clinical/rules/compile';
import { RULES } from '../../../src/clinical/rules/index';
import type { AnalyteDef, ItemDef, RuleSet } from '../../../src/clinical/rules/types';
import { item, NOW, obs, patient } from './fixtures';

const clone = (): RuleSet => JSON.parse(JSON.stringify(RULES)) as RuleSet;

describe('the built-in rule set', () => {
  it('passes its own checks (every item, analyte, finding, risk factor and fact it names exists)', () => {
    expect(() => checkRules(RULES, FACT_NAMES)).not.toThrow();
  });

  it('is plain data: it survives a JSON round trip unchanged', () => {
    expect(clone()).toEqual(RULES);
  });

  it('names the reference section of every rule', () => {
    for (const i of RULES.items) expect(i.section, i.id).toMatch(/\S/);
    for (const f of RULES.findings) expect(f.section, f.id).toMatch(/\S/);
    for (const c of [...RULES.conditions, ...RULES.medicines]) expect(c.section, c.id).toMatch(/\S/);
    for (const [id, a] of Object.entries(RULES.analytes)) for (const r of a.ranges ?? []) expect(r.section, id).toMatch(/^(\d+[a-z]?|decision)$/);
  });

  it('gives every item one line of why the article recommends it', () => {
    for (const i of RULES.items) {
      expect(i.why.length, i.id).toBeGreaterThan(10);
      expect(i.why.length, i.id).toBeLessThan(120);
    }
  });
});

describe('a broken rule set is refused, saying what is wrong', () => {
  const broken = (edit: (r: RuleSet) => void): (() => void) => () => {
    const r = clone();
    edit(r);
    checkRules(r, FACT_NAMES);
    compileRules(r);
  };

  it.each<[string, (r: RuleSet) => void, RegExp]>([
    ['an unknown item in an expression', (r) => (r.items.find((i) => i.id === 'magnesium')!.applies = { item: 'potasium', is: 'low' }), /item magnesium \(applies\): unknown item "potasium"/],
    ['an unknown analyte', (r) => (r.items[0]!.analyte = 'calcium-x'), /item calcium: unknown analyte "calcium-x"/],
    ['a code listed twice', (r) => r.items[1]!.codes.push({ system: 'loinc', code: '17861-6' }), /code loinc\|17861-6 is listed twice \(items calcium and albumin\)/],
    ['an unknown fact', (r) => (r.findings[0]!.when = { fact: 'no-such-fact' }), /finding hypercalcaemia: unknown fact "no-such-fact"/],
    ['an unknown risk factor', (r) => (r.items.find((i) => i.id === 'abdominal-xray')!.applies = { condition: 'stones' }), /unknown risk factor "stones"/],
    ['a pattern that is not a regular expression', (r) => (r.items[0]!.text = [{ all: ['(unclosed'] }]), /text pattern \/\(unclosed\/ is not a valid regular expression/],
    ['an item id used twice', (r) => r.items.push({ ...r.items[0]! }), /item id "calcium" is used twice/],
    ['a panel naming an unknown item', (r) => r.panels[0]!.items.push('sodiumm'), /panel loinc\|51990-0: unknown item "sodiumm"/],
  ])('%s', (_name, edit, message) => {
    expect(broken(edit)).toThrow(RuleError);
    expect(broken(edit)).toThrow(message);
  });
});

describe('adding an investigation through data alone: serum uric acid', () => {
  const uricAcid: ItemDef = {
    id: 'uric-acid',
    label: 'Uric acid',
    group: 'blood',
    tier: 'conditional',
    kind: 'numeric',
    analyte: 'uric-acid',
    window: 'bloodChemistry',
    resultTypes: ['Observation'],
    codes: [{ system: 'loinc', code: '3084-1' }],
    text: [{ all: ['\\buric acid|\\burate\\b'], not: 'urine|24 ?h' }],
    why: 'Uric acid: hyperuricosuria is a cause of stones (illustration of a data-only item).',
    section: 'test',
    applies: { any: [{ condition: 'kidney-stones' }, { item: 'creatinine', is: 'high' }] },
  };
  const uricAnalyte: AnalyteDef = {
    unit: 'umol/L',
    conversions: { 'umol/l': 1, 'mmol/l': 1000, 'mg/dl': 59.48 },
    plausible: [20, 2000],
    ranges: [{ section: 'test', sex: 'male', low: 200, high: 430, label: 'adult men' }, { section: 'test', sex: 'female', low: 140, high: 360, label: 'adult women' }],
  };
  const set = clone();
  set.items.splice(set.items.findIndex((i) => i.id === 'tsh') + 1, 0, uricAcid);
  set.analytes['uric-acid'] = uricAnalyte;
  checkRules(set, FACT_NAMES);
  const rules = compileRules(set);
  const run = (resources: Parameters<typeof evaluate>[0]['resources']) => evaluate({ patient: patient({ gender: 'male' }), resources, now: NOW, rules });

  it('is read, converted and judged: 8.2 mg/dL is 488 µmol/L, high for a man', () => {
    const ev = run([obs('3084-1', 8.2, 'mg/dL'), obs('2160-0', 150, 'umol/L')]);
    const u = item(ev, 'uric-acid');
    expect(u).toMatchObject({ status: 'abnormal', direction: 'high', applies: true });
    expect(u.latest).toMatchObject({ unit: 'umol/L', reported: { value: 8.2, unit: 'mg/dL' } });
    expect(u.latest!.value).toBeCloseTo(487.7, 0);
    expect(u.range?.text).toMatch(/built-in range, adult men/);
  });

  it('found by its text when sent under a local code', () => {
    const local = obs('X', 300, 'umol/L', { code: { text: 'Urate (serum)', coding: [{ system: 'urn:local', code: 'URATE' }] } });
    expect(item(run([local]), 'uric-acid').latest?.value).toBe(300);
  });

  it('says when it applies, in words generated from its rule, and sits where the data put it', () => {
    const ev = run([]);
    const u = item(ev, 'uric-acid');
    expect(u.condition).toBe('when a kidney stone is recorded or creatinine is high');
    expect(u.applies).toBe(false);
    expect(ev.items.map((i) => i.id).indexOf('uric-acid')).toBe(ev.items.map((i) => i.id).indexOf('tsh') + 1);
  });

  it('joins the to-do list with its why when it applies and is missing', () => {
    const ev = run([obs('2160-0', 150, 'umol/L')]);
    expect(ev.todo.find((t) => t.id === 'uric-acid')).toMatchObject({ status: 'missing', why: uricAcid.why, section: 'test' });
  });

  it('leaves the built-in rules untouched', () => {
    expect(evaluate({ patient: patient(), resources: [], now: NOW }).items.some((i) => i.id === 'uric-acid')).toBe(false);
  });
});
