/**
 * CDS Hooks 2.0 wire types (https://cds-hooks.hl7.org/2.0/): the parts this service reads and
 * writes. Pure types, no runtime code.
 */
import type { Bundle, CodeableConcept, Coding, ServiceRequest } from 'fhir/r4';

export type HookName = 'patient-view' | 'order-select';

/** One entry of the discovery response. */
export interface CdsServiceDefinition {
  id: string;
  hook: HookName;
  title: string;
  description: string;
  /** Prefetch key → prefetch template (relative FHIR read or search with `{{context.x}}` tokens). */
  prefetch: Record<string, string>;
  usageRequirements?: string;
}

export interface DiscoveryResponse {
  services: CdsServiceDefinition[];
}

/** `fhirAuthorization` of a hook request. */
export interface FhirAuthorization {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  subject?: string;
  patient?: string;
}

export interface HookContext {
  userId?: string;
  patientId: string;
  encounterId?: string;
  /** order-select: ids of the newly selected orders ("ServiceRequest/1"). */
  selections?: string[];
  /** order-select: every unsigned order of the session. */
  draftOrders?: Bundle;
  [key: string]: unknown;
}

/** The POST body, after validation. */
export interface HookRequest {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: FhirAuthorization;
  context: HookContext;
  /** Key → resource, searchset Bundle, OperationOutcome or null (the client had no data). */
  prefetch?: Record<string, unknown>;
}

export type Indicator = 'info' | 'warning' | 'critical';

export interface CardSource {
  label: string;
  url?: string;
  topic?: Coding;
}

export interface CardLink {
  label: string;
  url: string;
  type: 'absolute' | 'smart';
  appContext?: string;
}

export interface CreateAction {
  type: 'create';
  description: string;
  resource: ServiceRequest;
}

export interface Suggestion {
  label: string;
  uuid: string;
  actions: CreateAction[];
}

export interface Card {
  uuid: string;
  summary: string;
  indicator: Indicator;
  source: CardSource;
  detail?: string;
  suggestions?: Suggestion[];
  selectionBehavior?: 'any' | 'at-most-one';
  links?: CardLink[];
}

export interface CdsResponse {
  cards: Card[];
}

/** What a CodeableConcept of a catalog code looks like in a suggested order. */
export type OrderCode = CodeableConcept & { coding: [Coding, ...Coding[]] };
