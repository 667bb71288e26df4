/** The rules' expression language: three-valued evaluation and the words generated from it. */
import { describe, expect, it } from 'vitest';
import { describe as words, evalExpr, type ExprNames, type ExprScope, type Truth } from '../../../src/clinical/expr';
import type { Expr } from '../../../src/clinical/rules/types';

const scope = (answers: Record<string, Truth>): ExprScope => ({
  item: (id, is) => answers[`${id}:${is}`],
  condition: (id) => answers[`condition:${id}`],
  medicine: (id) => answers[`medicine:${id}`],
  ageUnder: (n) => answers[`age<${n}`],
  pregnant: () => answers.pregnant,
  finding: (id) => answers[`finding:${id}`],
  fact: (n) => answers[`fact:${n}`],
});

describe('evalExpr: three values (Kleene logic)', () => {
  const T: Expr = { condition: 't' };
  const F: Expr = { condition: 'f' };
  const U: Expr = { condition: 'u' };
  const s = scope({ 'condition:t': true, 'condition:f': false, 'condition:u': undefined });
  it.each<[string, Expr, Truth]>([
    ['any: one true wins over unknown', { any: [U, T] }, true],
    ['any: unknown when none true and one unknown', { any: [F, U] }, undefined],
    ['any: false when all false', { any: [F, F] }, false],
    ['all: one false wins over unknown', { all: [U, F] }, false],
    ['all: unknown when none false and one unknown', { all: [T, U] }, undefined],
    ['all: true when all true', { all: [T, T] }, true],
    ['not unknown is unknown', { not: U }, undefined],
    ['not true is false', { not: T }, false],
    ['empty any is false, empty all is true', { all: [{ any: [] }, { not: { any: [] } }] }, false],
  ])('%s', (_n, e, want) => {
    expect(evalExpr(e, s)).toBe(want);
  });

  it('asks each kind of leaf of the record', () => {
    const e: Expr = { all: [{ item: 'potassium', is: 'low' }, { medicine: 'loop-diuretic' }, { ageUnder: 18 }, { pregnant: true }, { finding: 'x' }, { fact: 'y' }] };
    const yes = scope({ 'potassium:low': true, 'medicine:loop-diuretic': true, 'age<18': true, pregnant: true, 'finding:x': true, 'fact:y': true });
    expect(evalExpr(e, yes)).toBe(true);
    expect(evalExpr(e, { ...yes, pregnant: () => false })).toBe(false);
  });
});

describe('describe: the words of a rule', () => {
  const names: ExprNames = {
    item: (id) => id,
    numeric: (id) => id !== 'renal-ultrasound',
    condition: (id) => ({ hk: 'hypokalaemia', b: 'Bartter syndrome' })[id] ?? id,
    medicine: (id) => (id === 'loop' ? 'a loop diuretic' : id),
    finding: (id) => id,
    fact: (n) => `${n} holds`,
    notFact: (n) => (n === 'cause' ? 'no cause has been identified' : undefined),
  };
  it('groups recorded conditions under one verb and joins with "or"', () => {
    const e: Expr = { any: [{ item: 'potassium', is: 'low' }, { condition: 'hk' }, { condition: 'b' }, { medicine: 'loop' }] };
    expect(words(e, names)).toBe('potassium is low, hypokalaemia or Bartter syndrome is recorded or a loop diuretic is prescribed');
  });
  it('says "abnormal" of a report and "out of range" of a number', () => {
    expect(words({ any: [{ item: 'renal-ultrasound', is: 'abnormal' }, { item: 'albumin', is: 'abnormal' }] }, names)).toBe(
      'renal-ultrasound is abnormal or albumin is out of range',
    );
  });
  it('uses a fact\'s own negation, and ages in words', () => {
    expect(words({ all: [{ fact: 'known' }, { not: { fact: 'cause' } }, { ageUnder: 18 }] }, names)).toBe('known holds, no cause has been identified and the patient is under 18');
  });
});
