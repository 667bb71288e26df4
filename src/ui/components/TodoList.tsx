import { formatDate } from '../../clinical/display';
import type { TodoItem } from '../../clinical/model';
import { StatusChip } from './StatusChip';

/** The state of an entry in the view's words: the order's or the newest result's date. */
function when(t: TodoItem): string | undefined {
  if (!t.date) return undefined;
  if (t.status === 'pending') return `${t.pendingKind === 'registered' ? 'registered' : 'ordered'} on ${formatDate(t.date)}`;
  if (t.status === 'outdated') return `last done ${formatDate(t.date)}`;
  return undefined;
}

/**
 * "To complete the workup": the model's list (missing, outdated and pending investigations that
 * apply, in catalog order), each with the article's reason and section as the catalog gives them.
 */
export function TodoList({ todo }: { todo: readonly TodoItem[] }) {
  return (
    <section class="todo" aria-labelledby="todo-title" data-todo-list>
      <h2 id="todo-title">To complete the workup</h2>
      {todo.length === 0 ? (
        <p class="empty">Nothing missing, outdated or pending.</p>
      ) : (
        <ul class="todo-list">
          {todo.map((t) => {
            const w = when(t);
            return (
              <li key={t.id} class={`todo-item todo-${t.status}`} data-todo={t.id} data-todo-status={t.status}>
                <span class="todo-head">
                  <span class="todo-label">{t.label}</span> <StatusChip item={{ status: t.status }} />
                  {w && <span class="todo-when"> {w}</span>}
                </span>
                {t.why && (
                  <span class="todo-why">
                    {t.why}
                    {t.section && <span class="todo-section"> ({t.section})</span>}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
