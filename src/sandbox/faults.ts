/**
 * Launch options and fault injection. A launch (GET /sandbox/launch?patient=...) records these
 * options server-side with its launch id; every token issued for that launch carries them, and the
 * FHIR API applies them to the requests made with that token. Nothing else is affected, so several
 * launches with different faults can run side by side (the e2e tests do).
 *
 * Query parameters (repeatable ones marked *), all optional:
 *   fault=<Type>:<403|500|401|404|malformed|loop>*   that type answers with the error (OperationOutcome),
 *                                                   malformed JSON, or a searchset whose `next` link loops
 *   slow=<Type>:<ms>*                               that type answers after ms milliseconds
 *   latency=<ms>                                    every FHIR request of this launch waits ms (added to
 *                                                   SANDBOX_LATENCY_MS), and so does its token request
 *                                                   (code exchange and refresh): a network round trip
 *   expires=<seconds>                               access tokens of this launch expire after that many seconds
 *   need_patient_banner=<true|false>                launch context value (default true)
 *   observation_rule=<epic|off>                     "epic" (default): an Observation search without `code`
 *                                                   or `category` answers 400, as Epic does; "off" allows it
 *   refresh=<true|false>                            whether offline_access/online_access yield a refresh token
 *                                                   (default true; false tests "session expired")
 *   serial=<true|false>                             answer this launch's FHIR requests one at a time, as a server
 *                                                   that handles one request at a time (default false)
 * The home page's form also sends slow_type + slow_ms (one slow type) which is read the same way.
 */

export type FaultKind = 401 | 403 | 404 | 500 | 'malformed' | 'loop';

export interface LaunchOptions {
  faults: Map<string, FaultKind>;
  slow: Map<string, number>;
  latencyMs: number;
  expiresIn?: number;
  needPatientBanner: boolean;
  observationRule: 'epic' | 'off';
  refresh: boolean;
  /** Answer this launch's FHIR requests one at a time (fhir.ts). */
  serial: boolean;
}

export const FAULT_KINDS: readonly string[] = ['403', '500', '401', '404', 'malformed', 'loop'];
const MAX_DELAY_MS = 120_000;

export function defaultLaunchOptions(): LaunchOptions {
  return { faults: new Map(), slow: new Map(), latencyMs: 0, needPatientBanner: true, observationRule: 'epic', refresh: true, serial: false };
}

/** Parses launch options; returns the problems as text (the launch is refused when there are any). */
export function parseLaunchOptions(q: URLSearchParams): { options: LaunchOptions; errors: string[] } {
  const options = defaultLaunchOptions();
  const errors: string[] = [];
  const type = (t: string): boolean => /^[A-Z][A-Za-z]{1,63}$/.test(t);
  for (const raw of q.getAll('fault')) {
    if (!raw) continue; // "no fault" option of the home page's selects
    const [t = '', kind = ''] = raw.split(':');
    if (!type(t) || !FAULT_KINDS.includes(kind)) {
      errors.push(`fault must be <ResourceType>:<${FAULT_KINDS.join('|')}>`);
      continue;
    }
    options.faults.set(t, /^\d+$/.test(kind) ? (Number(kind) as FaultKind) : (kind as FaultKind));
  }
  const slows = q.getAll('slow').filter(Boolean);
  const st = q.get('slow_type');
  const sm = q.get('slow_ms');
  if (st && sm) slows.push(`${st}:${sm}`);
  for (const raw of slows) {
    const [t = '', ms = ''] = raw.split(':');
    const n = Number(ms);
    if (!type(t) || !/^\d+$/.test(ms) || n > MAX_DELAY_MS) {
      errors.push(`slow must be <ResourceType>:<milliseconds up to ${MAX_DELAY_MS}>`);
      continue;
    }
    options.slow.set(t, n);
  }
  const latency = q.get('latency');
  if (latency) {
    if (!/^\d+$/.test(latency) || Number(latency) > MAX_DELAY_MS) errors.push('latency must be milliseconds');
    else options.latencyMs = Number(latency);
  }
  const expires = q.get('expires');
  if (expires) {
    if (!/^\d+$/.test(expires) || Number(expires) < 1) errors.push('expires must be a number of seconds (1 or more)');
    else options.expiresIn = Number(expires);
  }
  const banner = q.get('need_patient_banner');
  if (banner) {
    if (banner !== 'true' && banner !== 'false') errors.push('need_patient_banner must be true or false');
    else options.needPatientBanner = banner === 'true';
  }
  const rule = q.get('observation_rule');
  if (rule) {
    if (rule !== 'epic' && rule !== 'off') errors.push('observation_rule must be epic or off');
    else options.observationRule = rule;
  }
  const refresh = q.get('refresh');
  if (refresh) {
    if (refresh !== 'true' && refresh !== 'false') errors.push('refresh must be true or false');
    else options.refresh = refresh === 'true';
  }
  const serial = q.get('serial');
  if (serial) {
    if (serial !== 'true' && serial !== 'false') errors.push('serial must be true or false');
    else options.serial = serial === 'true';
  }
  return { options, errors };
}

/** Total delay for a request on `resourceType` (global env latency + launch latency + slow type). */
export function delayFor(options: LaunchOptions | undefined, resourceType: string | undefined, envLatencyMs: number): number {
  let ms = envLatencyMs;
  if (options) {
    ms += options.latencyMs;
    if (resourceType) ms += options.slow.get(resourceType) ?? 0;
  }
  return ms;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
