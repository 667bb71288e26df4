/**
 * `order-select`: one suggestion per recommended investigation that applies, is missing, is not
 * already ordered and is not among the draft orders; each creates a draft ServiceRequest coded with
 * the catalog's first code for the item.
 *
 * "Already ordered" and "in the draft" are read by the clinical core itself, so that an order is
 * recognised exactly as the panel recognises it (by code, by a panel code covering several items,
 * by text): every open order of the record (active or on hold, whatever its date) and every draft
 * ServiceRequest of the ordering session is given to the engine as an active order placed today,
 * and the items still `missing` after that are the ones to suggest (`ordersAsPlacedToday`).
 *
 * Decisions:
 * - Only `missing` is suggested. An `outdated` item has a result the clinician may judge enough, a
 *   `pending` one is ordered, an `unknown` one could not be checked (it may well be done: never
 *   suggested on a guess; with orders that could not be loaded the engine reads nothing as missing,
 *   so nothing is suggested).
 * - Derived items (adjusted calcium, eGFR) are not suggested: they are calculated from the
 *   measurements they need, which are suggested on their own when missing.
 * - The draft is `status: draft`, `intent: order`, for the patient (and the encounter when the
 *   context has one): the clinician signs it or drops it in the EHR.
 */
import type { Bundle, FhirResource, ServiceRequest } from 'fhir/r4';
import { ITEM_BY_ID } from '../clinical';
import { systemUrl } from '../clinical/vocabulary';
import type { Evaluation, ItemResult } from '../clinical/model';
import type { Card, CardLink, OrderCode, Suggestion } from './types';
import { LINK_LABEL, SOURCE_LABEL } from './card';
import { mdText } from './markdown';
import { todoList } from './todo';

const OPEN_ORDER = new Set(['active', 'on-hold']);

/** The resources in a draftOrders Bundle. */
export function draftResources(draftOrders: Bundle | undefined): FhirResource[] {
  const entries = Array.isArray(draftOrders?.entry) ? draftOrders.entry : [];
  return entries.map((e) => e?.resource).filter((r): r is FhirResource => !!r && typeof r === 'object' && typeof r.resourceType === 'string');
}

/**
 * The record with its open orders and the session's draft ServiceRequests as active orders placed
 * today, for the patient: what the engine reads as pending is then exactly "ordered or drafted".
 */
export function ordersAsPlacedToday(resources: readonly FhirResource[], drafts: readonly FhirResource[], patientId: string, today: string): FhirResource[] {
  const placed = (sr: ServiceRequest, i: number, from: string): ServiceRequest => ({
    ...sr,
    id: `${from}-${i}-${typeof sr.id === 'string' ? sr.id : ''}`,
    status: 'active',
    authoredOn: today,
    subject: { reference: `Patient/${patientId}` },
  });
  const out: FhirResource[] = [];
  resources.forEach((r, i) => {
    const open = r.resourceType === 'ServiceRequest' && OPEN_ORDER.has(String(r.status));
    out.push(open ? placed(r, i, 'open') : r);
  });
  drafts.forEach((r, i) => {
    if (r.resourceType === 'ServiceRequest' && r.status !== 'entered-in-error' && r.status !== 'revoked') out.push(placed(r, i, 'draft'));
  });
  return out;
}

/**
 * Items to suggest, in catalog order: the `missing` entries of the to-do list (todo.ts: the engine's
 * own list when it gives one, so what it does not count as a gap is never suggested either).
 */
export function itemsToSuggest(afterOrders: Evaluation): ItemResult[] {
  const missing = new Set(todoList(afterOrders).filter((t) => t.status === 'missing').map((t) => t.id));
  return afterOrders.items.filter((i) => missing.has(i.id) && ITEM_BY_ID.get(i.id)?.derive === undefined);
}

/** The catalog's first code for the item, as a CodeableConcept; undefined when it has none. */
export function orderCode(itemId: string): OrderCode | undefined {
  const item = ITEM_BY_ID.get(itemId);
  const first = item?.codes[0];
  if (!item || !first) return undefined;
  return { coding: [{ system: systemUrl(first.system), code: first.code, display: item.label }], text: item.label };
}

export interface OrderContext {
  patientId: string;
  encounterId?: string;
  userId?: string;
  uuid: () => string;
}

export function draftOrder(item: ItemResult, code: OrderCode, ctx: OrderContext): ServiceRequest {
  const requester = ctx.userId && /^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/.test(ctx.userId) ? { requester: { reference: ctx.userId } } : {};
  return {
    resourceType: 'ServiceRequest',
    status: 'draft',
    intent: 'order',
    code,
    subject: { reference: `Patient/${ctx.patientId}` },
    ...(ctx.encounterId ? { encounter: { reference: `Encounter/${ctx.encounterId}` } } : {}),
    ...requester,
    reasonCode: [{ text: 'Nephrocalcinosis workup' }],
  };
}

export function orderSuggestions(items: readonly ItemResult[], ctx: OrderContext): Suggestion[] {
  const out: Suggestion[] = [];
  for (const item of items) {
    const code = orderCode(item.id);
    if (!code) continue;
    out.push({
      label: `Add draft order: ${item.label}`,
      uuid: ctx.uuid(),
      actions: [{ type: 'create', description: `Add a draft order for ${item.label} (nephrocalcinosis workup: missing)`, resource: draftOrder(item, code, ctx) }],
    });
  }
  return out;
}

export function ordersCard(items: readonly ItemResult[], suggestions: Suggestion[], launchUrl: string, uuid: () => string): Card {
  const link: CardLink = { label: LINK_LABEL, url: launchUrl, type: 'smart' };
  const n = suggestions.length;
  const lines = items.map((i) => `- ${mdText(i.label)}${i.condition ? ` (${mdText(i.condition)})` : ''}`);
  return {
    uuid: uuid(),
    summary: `${SOURCE_LABEL}: ${n} recommended ${n === 1 ? 'investigation is' : 'investigations are'} missing and not ordered`,
    indicator: 'info',
    source: { label: SOURCE_LABEL },
    detail: ['Missing, not already ordered and not among the draft orders:', '', ...lines, '', 'Choose the orders to add; each one is added as a draft to sign or drop.'].join('\n'),
    suggestions,
    selectionBehavior: 'any',
    links: [link],
  };
}
