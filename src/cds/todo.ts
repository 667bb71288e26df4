/**
 * What is left to complete of the workup, for the card's detail: one switch point between the
 * engine's own list, when an evaluation carries one (`evaluation.todo`), and the list derived here
 * from the items until then. Both give the items that apply and are missing, outdated or pending,
 * in catalog order (the evaluation's item order).
 */
import type { Evaluation, ItemResult, Status } from '../clinical/model';

export type TodoStatus = Extract<Status, 'missing' | 'outdated' | 'pending'>;

export interface TodoEntry {
  id: string;
  label: string;
  status: TodoStatus;
  /** Why it is recommended, or why it is in this state, in plain words ('' when nothing says). */
  why: string;
}

const TODO_STATUSES: ReadonlySet<Status> = new Set<Status>(['missing', 'outdated', 'pending']);

function isTodoStatus(status: unknown): status is TodoStatus {
  return typeof status === 'string' && TODO_STATUSES.has(status as Status);
}

/** The engine's list, when the evaluation has one of the expected shape. */
function engineTodo(evaluation: Evaluation): TodoEntry[] | undefined {
  const todo = (evaluation as Evaluation & { todo?: unknown }).todo;
  if (!Array.isArray(todo)) return undefined;
  const out: TodoEntry[] = [];
  for (const t of todo as Array<Partial<TodoEntry> | null>) {
    if (!t || typeof t.id !== 'string' || typeof t.label !== 'string' || !isTodoStatus(t.status)) continue;
    out.push({ id: t.id, label: t.label, status: t.status, why: typeof t.why === 'string' ? t.why : '' });
  }
  return out;
}

function whyOf(item: ItemResult): string {
  return item.reason ?? item.condition ?? '';
}

/** The list derived from the items (until the engine's own list lands). */
export function derivedTodo(evaluation: Evaluation): TodoEntry[] {
  return evaluation.items
    .filter((i): i is ItemResult & { status: TodoStatus } => i.applies && isTodoStatus(i.status))
    .map((i) => ({ id: i.id, label: i.label, status: i.status, why: whyOf(i) }));
}

export function todoList(evaluation: Evaluation): TodoEntry[] {
  return engineTodo(evaluation) ?? derivedTodo(evaluation);
}
