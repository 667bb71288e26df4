/**
 * "To complete the workup" (src/clinical/todo.ts): part of the panel model the core returns, so the
 * app, the note and the evaluator list the same investigations in the same order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundleText } from '../../../src/cli/read-input';
import { evaluate } from '../../../src/clinical/index';
import { CATALOG } from '../../../src/clinical/catalog';
import type { Evaluation, ItemResult } from '../../../src/clinical/model';
import { buildTodo, catalogWhy } from '../../../src/clinical/todo';
import { SCENARIO_DIR, SCENARIO_REFERENCE_DATE } from '../../scenarios/index';

function scenario(file: string): Evaluation {
  const input = readBundleText(readFileSync(join(SCENARIO_DIR, file), 'utf8'));
  const g = input.patients[0]!;
  return evaluate({ patient: g.patient, resources: g.resources, now: SCENARIO_REFERENCE_DATE });
}

const item = (id: string, over: Partial<ItemResult>): ItemResult => ({
  id,
  label: id,
  group: 'blood',
  tier: 'core',
  applies: true,
  status: 'missing',
  history: [],
  ...over,
});

describe('buildTodo', () => {
  it('is what evaluate() returns as `todo`', () => {
    const ev = scenario('pending-orders.json');
    expect(ev.todo).toEqual(buildTodo(ev.items));
  });

  it('lists missing, outdated and pending items that apply, in catalog order', () => {
    const items = [
      item('calcium', { status: 'normal' }),
      item('albumin', { status: 'missing' }),
      item('phosphate', { status: 'abnormal', direction: 'low' }),
      item('sodium', { status: 'unknown', reason: 'Observation could not be loaded' }),
      item('pth', { status: 'outdated', latest: { value: 5, unit: 'pmol/L', date: '2024-01-02', source: 'Observation/1' } }),
      item('tsh', { status: 'pending', pending: { kind: 'ordered', date: '2026-05-29', source: 'ServiceRequest/1' } }),
      item('magnesium', { status: 'missing', tier: 'conditional', applies: false }),
    ];
    const todo = buildTodo(items);
    expect(todo.map((t) => [t.id, t.status])).toEqual([
      ['albumin', 'missing'],
      ['pth', 'outdated'],
      ['tsh', 'pending'],
    ]);
    expect(todo[1]!.date).toBe('2024-01-02');
    expect(todo[2]).toMatchObject({ pendingKind: 'ordered', date: '2026-05-29' });
  });

  it('never lists an item that could not be checked, nor one whose gap is not a gap', () => {
    const items = [item('sodium', { status: 'unknown' }), { ...item('ionised-calcium', { status: 'missing' }), notAGap: 'not counted as a gap' } as ItemResult];
    expect(buildTodo(items)).toEqual([]);
  });

  it('pending: orders and registered results carry their kind and date', () => {
    const ev = scenario('pending-orders.json');
    const byId = new Map(ev.todo.map((t) => [t.id, t]));
    expect(byId.get('pth')).toMatchObject({ status: 'pending', pendingKind: 'ordered' });
    expect(byId.get('pth')!.date?.slice(0, 10)).toBe('2026-05-29');
    expect(byId.get('tsh')).toMatchObject({ status: 'pending', pendingKind: 'registered' });
    expect(byId.get('urine-culture')).toMatchObject({ status: 'missing' });
    const order = CATALOG.map((c) => c.id);
    const positions = ev.todo.map((t) => order.indexOf(t.id));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('outdated: the date of the newest result', () => {
    const ev = scenario('stale-workup.json');
    const pth = ev.todo.find((t) => t.id === 'pth')!;
    expect(pth.status).toBe('outdated');
    expect(pth.date).toBe(ev.items.find((i) => i.id === 'pth')!.latest!.date);
  });

  it('carries the catalog’s why and section for each entry', () => {
    const ev = scenario('primary-hyperparathyroidism.json');
    expect(ev.todo.length).toBeGreaterThan(0);
    for (const t of ev.todo) expect({ why: t.why, section: t.section }).toEqual(catalogWhy(t.id));
  });
});
