/**
 * The two services of `GET /cds-services` (CDS Hooks 2.0 discovery). Both ask for the same
 * prefetch: the app's searches (prefetch.ts). `order-select` needs the record too: what is already
 * ordered or resulted is read from it, and the workup is offered only for a patient it concerns.
 */
import type { CdsServiceDefinition, DiscoveryResponse } from './types';
import { prefetchObject } from './prefetch';

export const PATIENT_VIEW_SERVICE = 'nephrocalcinosis-workup';
export const ORDER_SELECT_SERVICE = 'nephrocalcinosis-workup-orders';

const USAGE =
  'Needs read access to the patient and their Observation, Condition, MedicationRequest, MedicationStatement, DiagnosticReport, ImagingStudy, Procedure and ServiceRequest resources, by prefetch or through fhirServer with fhirAuthorization. Answers 412 when it can get neither.';

export const SERVICES: readonly CdsServiceDefinition[] = [
  {
    id: PATIENT_VIEW_SERVICE,
    hook: 'patient-view',
    title: 'Nephrocalcinosis workup',
    description:
      'When nephrocalcinosis or medullary sponge kidney is recorded (a Condition, or named by an imaging report or study), shows how complete the recommended workup is: investigations missing, outdated, pending or abnormal, and findings to consider, with a link to the workup panel (SMART app).',
    prefetch: prefetchObject(),
    usageRequirements: USAGE,
  },
  {
    id: ORDER_SELECT_SERVICE,
    hook: 'order-select',
    title: 'Nephrocalcinosis workup orders',
    description:
      'When orders are being written for a patient with nephrocalcinosis or medullary sponge kidney recorded, suggests a draft order for each recommended investigation that is missing, not already ordered and not among the draft orders.',
    prefetch: prefetchObject(),
    usageRequirements: USAGE,
  },
];

export function discovery(): DiscoveryResponse {
  return { services: SERVICES.map((s) => ({ ...s, prefetch: { ...s.prefetch } })) };
}

export function serviceById(id: string): CdsServiceDefinition | undefined {
  return SERVICES.find((s) => s.id === id);
}
