/**
 * The two hooks on the clinical core, without HTTP: a validated request and the gathered record in,
 * the CDS Hooks response out. The engine runs once for the card (and once more for order-select,
 * with the open and draft orders placed today: suggestions.ts).
 */
import { evaluate } from '../clinical';
import type { Evaluation } from '../clinical/model';
import type { CdsResponse, CdsServiceDefinition, HookRequest } from './types';
import type { Gathered } from './gather';
import { workupCard } from './card';
import { workupRelevance } from './relevance';
import { draftResources, itemsToSuggest, orderSuggestions, ordersAsPlacedToday, ordersCard } from './suggestions';

export interface HookOptions {
  launchUrl: string;
  uuid: () => string;
  /** Evaluation date (default: today). */
  now?: Date | string;
}

function today(now: Date | string | undefined): string {
  if (typeof now === 'string') return now.slice(0, 10);
  const d = now ?? new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function evaluateGathered(g: Gathered, resources = g.resources, now?: Date | string): Evaluation {
  return evaluate({ patient: g.patient, resources, ...(g.failures.length ? { failures: g.failures } : {}), ...(now ? { now } : {}) });
}

export function answerHook(service: CdsServiceDefinition, request: HookRequest, g: Gathered, options: HookOptions): CdsResponse {
  const evaluation = evaluateGathered(g, g.resources, options.now);
  const reasons = workupRelevance(evaluation, g.resources);
  if (reasons.length === 0) return { cards: [] };
  if (service.hook === 'patient-view') {
    return { cards: [workupCard(evaluation, reasons, { launchUrl: options.launchUrl, uuid: options.uuid })] };
  }
  const patientId = request.context.patientId;
  const placed = ordersAsPlacedToday(g.resources, draftResources(request.context.draftOrders), patientId, today(options.now));
  const items = itemsToSuggest(evaluateGathered(g, placed, options.now));
  const suggestions = orderSuggestions(items, {
    patientId,
    uuid: options.uuid,
    ...(request.context.encounterId ? { encounterId: request.context.encounterId } : {}),
    ...(request.context.userId ? { userId: request.context.userId } : {}),
  });
  if (suggestions.length === 0) return { cards: [] };
  return { cards: [ordersCard(items, suggestions, options.launchUrl, options.uuid)] };
}
