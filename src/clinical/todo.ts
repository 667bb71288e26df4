/**
 * "To complete the workup": the investigations that apply to the patient and are missing, outdated
 * or pending, in catalog order, each with one line of why the article recommends it. Part of the
 * panel model, so the app, the note and the evaluator say the same thing. Pure.
 *
 * Items whose status is `unknown` (a query failed, a result could not be read) are not listed: the
 * record does not show that they are missing, and the panel already says they could not be checked.
 */
import type { ItemResult, TodoItem } from './model';
import { DEFAULT_RULES, type CompiledRules } from './catalog';

/** The article's reason for an item and where it says so (catalog data). */
export function catalogWhy(id: string, rules: CompiledRules = DEFAULT_RULES): { why?: string; section?: string } {
  const item = rules.itemById.get(id);
  const out: { why?: string; section?: string } = {};
  if (item?.why) out.why = item.why;
  if (item?.section) out.section = item.section;
  return out;
}

/**
 * Whether a gap in this item is a gap of the workup: it applies, it was not replaced by another
 * result, and the rules count a gap in it (`notAGap`: ionised calcium is shown when present).
 */
function counts(item: ItemResult): boolean {
  return item.applies && !item.replacedBy && !item.notAGap;
}

export function buildTodo(items: readonly ItemResult[], rules: CompiledRules = DEFAULT_RULES): TodoItem[] {
  const out: TodoItem[] = [];
  for (const item of items) {
    if (!counts(item)) continue;
    if (item.status !== 'missing' && item.status !== 'outdated' && item.status !== 'pending') continue;
    const entry: TodoItem = { id: item.id, label: item.label, status: item.status, ...catalogWhy(item.id, rules) };
    if (item.status === 'outdated' && item.latest?.date) entry.date = item.latest.date;
    if (item.status === 'pending' && item.pending) {
      entry.pendingKind = item.pending.kind;
      if (item.pending.date) entry.date = item.pending.date;
    }
    out.push(entry);
  }
  return out;
}
