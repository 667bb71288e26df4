/**
 * order-select: the suggestions (one per applicable missing investigation not already ordered and not
 * in the draft), the draft ServiceRequest each creates, and the card that carries them.
 */
import type { Bundle, ServiceRequest } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { ITEM_BY_ID } from '../../src/clinical/index';
import { SERVICES } from '../../src/cds/discovery';
import { answerHook } from '../../src/cds/service';
import { draftResources, itemsToSuggest, orderCode, ordersAsPlacedToday } from '../../src/cds/suggestions';
import type { Card, HookRequest } from '../../src/cds/types';
import { evaluated, gathered, NOW, uuid } from './fixtures';

const ORDERS = SERVICES.find((s) => s.hook === 'order-select')!;
const LAUNCH = 'https://app.example.org/launch/';

function draft(...orders: ServiceRequest[]): Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: orders.map((resource) => ({ resource })) };
}

function order(id: string, code: string, status: ServiceRequest['status'] = 'draft', system = 'http://loinc.org'): ServiceRequest {
  return { resourceType: 'ServiceRequest', id, status, intent: 'order', subject: { reference: 'Patient/x' }, code: { coding: [{ system, code }] } };
}

function orderSelect(file: string, draftOrders: Bundle, extra: ServiceRequest[] = [], context: Partial<HookRequest['context']> = {}): { card: Card | undefined; labels: string[] } {
  const g = gathered(file);
  const withExtra = { ...g, resources: [...g.resources, ...extra] };
  const request: HookRequest = { hook: 'order-select', hookInstance: 'h', context: { patientId: g.patient.id!, selections: [], draftOrders, ...context } };
  const card = answerHook(ORDERS, request, withExtra, { launchUrl: LAUNCH, uuid, now: NOW }).cards[0];
  return { card, labels: (card?.suggestions ?? []).map((s) => s.label) };
}

describe('order-select suggestions', () => {
  it('one suggestion per applicable missing investigation, in catalog order', () => {
    const { card, labels } = orderSelect('distal-rta-child.json', draft());
    const e = evaluated(gathered('distal-rta-child.json'));
    // items that are not gaps (CT under 18: ultrasound first) are not suggested
    const missing = e.items.filter((i) => i.applies && i.status === 'missing' && !i.notAGap && !ITEM_BY_ID.get(i.id)?.derive).map((i) => `Add draft order: ${i.label}`);
    expect(labels).toEqual(missing);
    expect(labels).toHaveLength(6);
    expect(card?.selectionBehavior).toBe('any');
    expect(card?.summary).toBe('Nephrocalcinosis workup: 6 recommended investigations are missing and not ordered');
    expect(card?.links?.[0]).toEqual({ label: 'Open the nephrocalcinosis workup panel', url: LAUNCH, type: 'smart' });
  });

  it('each suggestion creates a draft ServiceRequest coded with the catalog code, for the patient and encounter', () => {
    const { card } = orderSelect('primary-hyperparathyroidism.json', draft(), [], { encounterId: 'enc-1', userId: 'Practitioner/dr-1' });
    const ct = card!.suggestions!.find((s) => s.label === 'Add draft order: CT abdomen / kidneys')!;
    expect(ct.uuid).toMatch(/^uuid-/);
    expect(ct.actions).toHaveLength(1);
    const action = ct.actions[0]!;
    expect(action.type).toBe('create');
    expect(action.resource).toEqual({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'order',
      code: { coding: [{ system: 'http://loinc.org', code: '41806-1', display: 'CT abdomen / kidneys' }], text: 'CT abdomen / kidneys' },
      subject: { reference: 'Patient/scn-hyperpara' },
      encounter: { reference: 'Encounter/enc-1' },
      requester: { reference: 'Practitioner/dr-1' },
      reasonCode: [{ text: 'Nephrocalcinosis workup' }],
    });
  });

  it('an investigation in the draft is not suggested (by any of its codes, or by a panel covering it)', () => {
    const all = orderSelect('medullary-sponge-partial.json', draft()).labels;
    expect(all).toContain('Add draft order: Phosphate');
    expect(all).toContain('Add draft order: TSH');
    // TSH by its second catalog code; phosphate inside a renal function panel (LOINC 24362-6).
    const { labels } = orderSelect('medullary-sponge-partial.json', draft(order('d1', '11580-8'), order('d2', '24362-6')));
    expect(labels).not.toContain('Add draft order: TSH');
    expect(labels).not.toContain('Add draft order: Phosphate');
    expect(labels).toHaveLength(all.length - 2);
  });

  it('an investigation already ordered (an open order of any date) is not suggested; a completed or revoked one is', () => {
    const open = order('o1', '2731-8', 'active');
    open.authoredOn = '2020-01-01';
    const { labels } = orderSelect('medullary-sponge-partial.json', draft(), [open, { ...order('o2', '3016-3', 'revoked'), authoredOn: '2026-05-01' }]);
    expect(labels).not.toContain('Add draft order: Parathyroid hormone (intact)');
    expect(labels).toContain('Add draft order: TSH');
  });

  it('derived investigations are not suggested, their measurements are', () => {
    const g = gathered('distal-rta-child.json');
    const noCalcium = { ...g, resources: g.resources.filter((r) => !(r.resourceType === 'Observation' && /calcium|albumin/i.test(JSON.stringify((r as { code?: unknown }).code)))) };
    const e = evaluated(noCalcium);
    expect(e.items.find((i) => i.id === 'adjusted-calcium')?.status).toBe('missing');
    const ids = itemsToSuggest(e).map((i) => i.id);
    expect(ids).toContain('calcium');
    expect(ids).toContain('albumin');
    expect(ids).not.toContain('adjusted-calcium');
  });

  it('nothing is suggested for what could not be checked', () => {
    const g = gathered('distal-rta-child.json');
    const failed = { ...g, failures: [{ resourceType: 'ServiceRequest' as const, kind: 'failed' as const, message: 'x' }] };
    const request: HookRequest = { hook: 'order-select', hookInstance: 'h', context: { patientId: 'scn-drta-child', selections: [], draftOrders: draft() } };
    expect(answerHook(ORDERS, request, failed, { launchUrl: LAUNCH, uuid, now: NOW })).toEqual({ cards: [] });
  });

  it('no card when the workup does not concern the patient, or nothing is left to order', () => {
    expect(orderSelect('complete-normal.json', draft()).card).toBeUndefined();
    const everything = itemsToSuggest(evaluated(gathered('primary-hyperparathyroidism.json'))).map((i) => order(`d-${i.id}`, orderCode(i.id)!.coding[0].code!, 'draft', orderCode(i.id)!.coding[0].system));
    expect(orderSelect('primary-hyperparathyroidism.json', draft(...everything)).card).toBeUndefined();
  });

  it('draftResources and ordersAsPlacedToday keep the record and add drafts as active orders of today', () => {
    const drafts = draftResources(draft(order('d1', '2731-8'), { ...order('d2', '3016-3'), status: 'entered-in-error' }));
    const placed = ordersAsPlacedToday([order('o1', '17861-6', 'completed')], drafts, 'p1', '2026-06-01') as ServiceRequest[];
    expect(placed.map((r) => [r.status, r.authoredOn ?? null])).toEqual([
      ['completed', null],
      ['active', '2026-06-01'],
    ]);
    expect(placed[1]!.subject).toEqual({ reference: 'Patient/p1' });
  });
});
