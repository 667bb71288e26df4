/**
 * What is left to complete of the workup, for the card's detail and the order suggestions: the
 * clinical core's own list (`Evaluation.todo`: the items that apply and are missing, outdated or
 * pending, in catalog order, with the article's reason; gaps the rules do not count, such as ionised
 * calcium, are not in it). One accessor, so the service never builds a list of its own.
 */
import { formatDate } from '../clinical/display';
import type { Evaluation, TodoItem } from '../clinical/model';

export type TodoStatus = TodoItem['status'];

export function todoList(evaluation: Evaluation): readonly TodoItem[] {
  return Array.isArray(evaluation.todo) ? evaluation.todo : [];
}

/** One line of words for an entry's state, dates as the panel writes them: "Missing", "Outdated (last result 2 Jan 2025)", "Pending (ordered 1 May 2026)". */
export function todoState(t: TodoItem): string {
  const day = t.date ? formatDate(t.date) : '';
  if (t.status === 'outdated') return day ? `Outdated (last result ${day})` : 'Outdated';
  if (t.status === 'pending') {
    const what = t.pendingKind === 'registered' ? 'registered' : 'ordered';
    return day ? `Pending (${what} ${day})` : 'Pending';
  }
  return 'Missing';
}
