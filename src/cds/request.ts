/**
 * The POST body of a hook call, checked against CDS Hooks 2.0 ("Calling a CDS Service") and the
 * hook's context. A body that does not hold is a 400 naming the field (never its value).
 *
 * Decisions:
 * - `fhirServer` must be https; plain http only on a loopback host (the local sandbox, tests): the
 *   service sends the access token there.
 * - `context.patientId` must be a FHIR id (it is placed in URLs).
 * - `order-select` requires `context.draftOrders` (a Bundle, possibly empty), as the hook does.
 */
import { CdsError } from './errors';
import type { CdsServiceDefinition, FhirAuthorization, HookContext, HookRequest } from './types';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const bad = (message: string) => new CdsError('bad-request', message);

function checkFhirServer(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw bad('fhirServer must be a URL string.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad('fhirServer is not an absolute URL.');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw bad('fhirServer must be https (plain http only on a loopback host).');
  }
  if (url.search || url.hash || url.username || url.password) throw bad('fhirServer must be a base URL without query, fragment or credentials.');
  return url.href.replace(/\/+$/, '');
}

function checkAuthorization(raw: unknown): FhirAuthorization | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw) || typeof raw.access_token !== 'string' || !raw.access_token) throw bad('fhirAuthorization.access_token must be a non-empty string.');
  if (typeof raw.token_type !== 'string' || raw.token_type.toLowerCase() !== 'bearer') throw bad('fhirAuthorization.token_type must be "Bearer".');
  return raw as unknown as FhirAuthorization;
}

function checkContext(raw: unknown, service: CdsServiceDefinition): HookContext {
  if (!isObject(raw)) throw bad('context must be an object.');
  if (typeof raw.patientId !== 'string' || !FHIR_ID.test(raw.patientId)) throw bad('context.patientId must be a FHIR id.');
  for (const field of ['userId', 'encounterId'] as const) {
    if (raw[field] !== undefined && typeof raw[field] !== 'string') throw bad(`context.${field} must be a string.`);
  }
  if (raw.encounterId !== undefined && !FHIR_ID.test(raw.encounterId as string)) throw bad('context.encounterId must be a FHIR id.');
  if (service.hook === 'order-select') {
    const drafts = raw.draftOrders;
    if (!isObject(drafts) || drafts.resourceType !== 'Bundle') throw bad('context.draftOrders must be a FHIR Bundle (order-select).');
    if (drafts.entry !== undefined && !Array.isArray(drafts.entry)) throw bad('context.draftOrders.entry must be an array.');
    if (raw.selections !== undefined && !Array.isArray(raw.selections)) throw bad('context.selections must be an array.');
  }
  return raw as HookContext;
}

export function parseHookRequest(body: string, service: CdsServiceDefinition): HookRequest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw bad('The body is not valid JSON.');
  }
  if (!isObject(json)) throw bad('The body must be a JSON object.');
  if (json.hook !== service.hook) throw bad(`This service answers the "${service.hook}" hook; the body names another hook.`);
  if (typeof json.hookInstance !== 'string' || !json.hookInstance) throw bad('hookInstance must be a non-empty string.');
  const fhirServer = checkFhirServer(json.fhirServer);
  const fhirAuthorization = checkAuthorization(json.fhirAuthorization);
  if (fhirAuthorization && !fhirServer) throw bad('fhirAuthorization needs fhirServer.');
  if (json.prefetch !== undefined && json.prefetch !== null && !isObject(json.prefetch)) throw bad('prefetch must be an object.');
  return {
    hook: service.hook,
    hookInstance: json.hookInstance,
    ...(fhirServer ? { fhirServer } : {}),
    ...(fhirAuthorization ? { fhirAuthorization } : {}),
    context: checkContext(json.context, service),
    ...(isObject(json.prefetch) ? { prefetch: json.prefetch } : {}),
  };
}
