/**
 * The sandbox's FHIR R4 API at /fhir/ (read-only): read and search, served by @medplum/fhir-router
 * over the patient's compartment repository (see engine.ts), plus what the engine does not do:
 * access control, paging with absolute `next` links, a CapabilityStatement, and fault injection.
 *
 *   GET /fhir/metadata                       CapabilityStatement (public)
 *   GET /fhir/.well-known/smart-configuration SMART discovery (public)
 *   GET /fhir/<Type>/<id>                    read
 *   GET /fhir/<Type>?<search>                search: the engine's search semantics (code=system|code and
 *                                            comma lists, patient=, subject=, date=ge..., category, status,
 *                                            _sort), paged here with _count (default 50, max 200)
 *
 * Decisions:
 * - Unknown search parameters answer 400 (FHIR "strict" handling): medplum matches nothing for a
 *   parameter it does not know, and an empty searchset would read as "no results" — i.e. missing
 *   data — instead of a failed query.
 * - Every request needs a Bearer token (401 + OperationOutcome otherwise); a token reads only its own
 *   launch patient's compartment and the non-compartment resources (Practitioner, Organization...).
 *   Naming another patient in `patient=`/`subject=` or reading another Patient answers 403;
 *   other patients' resources simply do not exist for the token (404 on read).
 * - `patient=<id>` is rewritten to `subject=Patient/<id>` where the type has `subject` (medplum 4.x
 *   matches no bare id, and its `patient` expression goes through resolve(), 30x slower), else to
 *   `patient=Patient/<id>`; bare `subject=<id>` becomes `subject=Patient/<id>` (that is the form of
 *   the `next` links). Inside the patient's own repository that filter keeps everything, so it is
 *   not handed to the engine (see search()).
 * - Observation searches without `code` or `category` answer 400, as Epic does (launch option
 *   observation_rule=off turns this off), so the app cannot come to rely on a query real EHRs refuse.
 * - Paging: the first request runs the search once and keeps the ordered result for 10 minutes;
 *   `next` links (HAPI-style `_getpages` + `_offset`) serve pages from it, so a 10,000-result search
 *   is not re-run for each of its pages. The links also carry the original query, so an expired
 *   snapshot just re-runs the search.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import crypto from 'node:crypto';
import { getStatus } from '@medplum/core';
import type { OperationOutcome as MedplumOutcome } from '@medplum/fhirtypes';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, CapabilityStatement, FhirResource, OperationOutcome } from 'fhir/r4';
import type { AuthServer, TokenRecord } from './auth';
import { CLINICIAN_ID, scopesAllow } from './auth';
import { codeIndexable, FhirStore, isCompartmentType, isKnownResourceType, searchParamsOf } from './engine';
import { delayFor, sleep } from './faults';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;
const SNAPSHOT_TTL_MS = 10 * 60_000;
const MAX_SNAPSHOTS = 100;
/** Query parameters the sandbox handles itself (never passed to the engine). */
const PAGING_PARAMS = new Set(['_count', '_offset', '_getpages', '_format', '_pretty', '_total', '_summary']);
/** Modifiers the engine implements (`patient:Patient`-style type modifiers are handled apart). */
const SUPPORTED_MODIFIERS = new Set(['missing', 'not', 'exact', 'contains']);
/** Result and common parameters the engine accepts on every type. */
const COMMON_PARAMS = new Set(['_id', '_lastUpdated', '_sort', '_elements', '_include', '_revinclude', '_tag', '_profile', '_security', '_source']);

interface Snapshot {
  patientId: string | undefined;
  resourceType: string;
  entries: FhirResource[];
  expiresAt: number;
}

export function outcome(code: OperationOutcome['issue'][number]['code'], diagnostics: string, severity: 'error' | 'fatal' | 'warning' = 'error'): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, diagnostics }] };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': FHIR_JSON,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

export interface FhirApiOptions {
  store: FhirStore;
  auth: AuthServer;
  /** Global per-request latency (SANDBOX_LATENCY_MS). */
  envLatencyMs: number;
}

export class FhirApi {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly o: FhirApiOptions) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void> {
    const base = `${origin}/fhir`;
    const rest = url.pathname.replace(/^\/fhir\/?/, '');
    if (rest === '.well-known/smart-configuration') return sendJson(res, 200, this.o.auth.smartConfiguration(origin), { 'Content-Type': 'application/json' });
    if (rest === '.well-known/openid-configuration') return sendJson(res, 200, this.o.auth.openidConfiguration(origin), { 'Content-Type': 'application/json' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, outcome('not-supported', 'The sandbox FHIR API is read-only (GET).'), { Allow: 'GET' });
    }
    if (rest === 'metadata') return sendJson(res, 200, capabilityStatement(origin));

    const access = this.o.auth.checkAccess(req.headers.authorization);
    if (!access.ok) {
      return sendJson(res, 401, outcome('login', access.reason), {
        'WWW-Authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${access.reason}"`,
      });
    }
    const token = access.token;
    const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const [type, id, ...more] = segments;
    if (!type) return sendJson(res, 400, outcome('not-supported', 'System-level search is not supported; search a resource type.'));
    if (more.length > 0) return sendJson(res, 404, outcome('not-supported', 'Only read and search are supported.'));
    if (!isKnownResourceType(type)) return sendJson(res, 404, outcome('not-supported', `Unknown resource type ${type}.`));
    // SMART: the fhirUser scope lets the app read the user's own resource (the id_token's fhirUser).
    const ownUser = type === 'Practitioner' && id === CLINICIAN_ID && token.scopes.includes('fhirUser');
    if (!ownUser && !scopesAllow(token.scopes, type)) {
      return sendJson(res, 403, outcome('forbidden', `The access token's scopes do not allow reading ${type}.`));
    }

    await sleep(delayFor(token.options, type, this.o.envLatencyMs));
    const fault = token.options.faults.get(type);
    if (fault === 401) return sendJson(res, 401, outcome('login', `Injected fault: ${type} answers 401.`));
    if (fault === 403) return sendJson(res, 403, outcome('forbidden', `Injected fault: access to ${type} is forbidden.`));
    if (fault === 404) return sendJson(res, 404, outcome('not-found', `Injected fault: ${type} answers 404.`));
    if (fault === 500) return sendJson(res, 500, outcome('exception', `Injected fault: ${type} failed with a server error.`));
    if (fault === 'malformed') {
      res.writeHead(200, { 'Content-Type': FHIR_JSON, 'Cache-Control': 'no-store' });
      res.end(`{"resourceType":"${id ? type : 'Bundle'}","type":"searchset","entry":[{"resource":{"resourceType":"${type}","id":`);
      return;
    }

    const compartment = isCompartmentType(type);
    if (compartment && !token.patientId) {
      return sendJson(res, 403, outcome('forbidden', 'This access token has no patient in context.'));
    }
    const repo = compartment ? this.o.store.repoFor(token.patientId) : this.o.store.shared;

    if (id) {
      if (type === 'Patient' && id !== token.patientId) {
        return sendJson(res, 403, outcome('forbidden', 'This access token is for another patient.'));
      }
      const [oc, resource] = await this.o.store.router.handleRequest(
        { method: 'GET', url: `${type}/${encodeURIComponent(id)}`, pathname: '', body: undefined, params: {}, query: {} },
        repo,
      );
      if (!resource) return sendJson(res, statusOf(oc), oc);
      return sendJson(res, 200, resource);
    }
    return this.search(res, url, base, type, token, repo, compartment, fault === 'loop');
  }

  private async search(
    res: ServerResponse,
    url: URL,
    base: string,
    type: string,
    token: TokenRecord,
    repo: MemoryRepository,
    compartment: boolean,
    loop: boolean,
  ): Promise<void> {
    const q = url.searchParams;
    let count = DEFAULT_COUNT;
    const countRaw = q.get('_count');
    if (countRaw !== null) {
      if (!/^\d+$/.test(countRaw)) return sendJson(res, 400, outcome('invalid', '_count must be a non-negative integer.'));
      count = Math.min(Number(countRaw), MAX_COUNT);
    }
    // _summary=count: the total only (the engine would slice before counting, so it is done here).
    const summary = q.get('_summary');
    if (summary === 'count') count = 0;
    else if (summary !== null && summary !== 'false') {
      return sendJson(res, 400, outcome('not-supported', '_summary supports only count and false.'));
    }
    const offsetRaw = q.get('_offset') ?? '0';
    if (!/^\d+$/.test(offsetRaw)) return sendJson(res, 400, outcome('invalid', '_offset must be a non-negative integer.'));
    const offset = Number(offsetRaw);

    // The query as the engine will see it.
    const query: Record<string, string[]> = {};
    const linkQuery: Record<string, string[]> = {};
    const sp = searchParamsOf(type);
    for (const [rawKey, rawValue] of q) {
      if (PAGING_PARAMS.has(rawKey)) continue;
      let key = rawKey;
      let value = rawValue;
      const bare = rawKey.split(':')[0] ?? '';
      // Strict handling: an unknown parameter is an error, never silently "no results" (the engine
      // matches nothing for a parameter it does not know, which would read as missing data).
      if (!(bare in sp) && !COMMON_PARAMS.has(bare)) {
        return sendJson(res, 400, outcome('not-supported', `Unknown search parameter ${bare} for ${type}.`));
      }
      // Same for modifiers the engine's in-memory matcher does not implement faithfully (it would
      // treat `code:text=calcium` as an exact match and find nothing): refuse rather than mislead.
      const modifier = rawKey.includes(':') ? rawKey.slice(rawKey.indexOf(':') + 1) : undefined;
      if (modifier !== undefined && !SUPPORTED_MODIFIERS.has(modifier) && !(bare === 'patient' || bare === 'subject')) {
        return sendJson(res, 400, outcome('not-supported', `Search modifier :${modifier} is not supported by the sandbox.`));
      }
      if (compartment && (bare === 'patient' || bare === 'subject')) {
        const ids = value.split(',').map(patientIdOf);
        if (ids.some((x) => x === undefined || x !== token.patientId)) {
          return sendJson(res, 403, outcome('forbidden', `${bare}= names a patient this access token is not for.`));
        }
        // The repository holds only this patient's compartment (attributed by the same subject/patient
        // reference these parameters test), so the filter would keep every resource: the engine is
        // spared it (a quarter of a search's time on a 14,000-Observation patient). It stays in the
        // links, so `next` URLs are the query as the client wrote it.
        key = 'subject' in sp ? 'subject' : 'patient';
        value = `Patient/${token.patientId}`;
        (linkQuery[key] ??= []).push(value);
        continue;
      }
      (query[key] ??= []).push(value);
      (linkQuery[key] ??= []).push(value);
    }
    if (
      type === 'Observation' &&
      token.options.observationRule === 'epic' &&
      !Object.keys(linkQuery).some((k) => /^(code|category|combo-code)(:|$)/.test(k))
    ) {
      return sendJson(
        res,
        400,
        outcome('required', 'Observation searches must include a code or category parameter (sandbox emulates Epic; launch with observation_rule=off to allow).'),
      );
    }

    let entries: FhirResource[] | undefined;
    const pageId = q.get('_getpages');
    if (pageId) {
      const snap = this.snapshots.get(pageId);
      if (snap && snap.expiresAt > Date.now() && snap.patientId === token.patientId && snap.resourceType === type) {
        entries = snap.entries;
      }
    }
    let snapshotId = pageId ?? undefined;
    const codeTokens = Object.keys(query).length === 1 && query.code?.length === 1 ? query.code[0]!.split(',') : undefined;
    if (!entries && compartment && codeTokens && codeIndexable(type, codeTokens)) {
      entries = await this.o.store.searchByCodes(repo, type, codeTokens);
      snapshotId = undefined;
    }
    if (!entries) {
      const [oc, bundle] = await this.o.store.router.handleRequest(
        { method: 'GET', url: type, pathname: '', body: undefined, params: {}, query },
        repo,
      );
      if (!bundle) return sendJson(res, statusOf(oc), oc);
      entries = ((bundle as Bundle).entry ?? []).map((e) => e.resource as FhirResource).filter(Boolean);
      snapshotId = undefined;
    }
    const total = entries.length;
    const page = count === 0 ? [] : entries.slice(offset, offset + count);
    const hasNext = count > 0 && offset + count < total;
    // The last page has been served: the snapshot is not needed any more (memory: a heavy patient's
    // snapshot holds thousands of resources).
    if (!hasNext && snapshotId) this.snapshots.delete(snapshotId);
    if (hasNext && !snapshotId) {
      snapshotId = crypto.randomBytes(12).toString('base64url');
      this.keepSnapshot(snapshotId, { patientId: token.patientId, resourceType: type, entries, expiresAt: Date.now() + SNAPSHOT_TTL_MS });
    }

    const linkFor = (off: number, withSnapshot: boolean): string => {
      const p = new URLSearchParams();
      for (const [k, vs] of Object.entries(linkQuery)) for (const v of vs) p.append(k, v);
      p.set('_count', String(count));
      if (off > 0) p.set('_offset', String(off));
      if (withSnapshot && snapshotId) p.set('_getpages', snapshotId);
      return `${base}/${type}?${p.toString()}`;
    };
    const self = `${base}/${type}${url.search}`;
    const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: self }];
    if (loop) {
      // Injected fault: a `next` link that leads back to the first page, forever.
      link.push({ relation: 'next', url: linkFor(0, false) });
    } else if (hasNext) {
      link.push({ relation: 'next', url: linkFor(offset + count, true) });
    }
    const entry: BundleEntry[] = page.map((resource) => ({
      fullUrl: `${base}/${resource.resourceType}/${resource.id}`,
      resource,
      search: { mode: 'match' },
    }));
    const result: Bundle = {
      resourceType: 'Bundle',
      id: crypto.randomUUID(),
      meta: { lastUpdated: new Date().toISOString() },
      type: 'searchset',
      total,
      link,
      ...(entry.length ? { entry } : {}),
    };
    sendJson(res, 200, result);
  }

  private keepSnapshot(id: string, snap: Snapshot): void {
    const now = Date.now();
    if (this.snapshots.size >= MAX_SNAPSHOTS) {
      for (const [k, v] of this.snapshots) if (v.expiresAt < now) this.snapshots.delete(k);
      // Still full: drop the oldest (Map keeps insertion order).
      while (this.snapshots.size >= MAX_SNAPSHOTS) {
        const first = this.snapshots.keys().next().value;
        if (first === undefined) break;
        this.snapshots.delete(first);
      }
    }
    this.snapshots.set(id, snap);
  }
}

/** `abc`, `Patient/abc`, `http://host/fhir/Patient/abc` → `abc`; anything else → undefined. */
function patientIdOf(value: string): string | undefined {
  const v = value.trim();
  if (/^[A-Za-z0-9\-.]{1,64}$/.test(v)) return v;
  const m = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(v);
  return m?.[1];
}

function statusOf(oc: MedplumOutcome): number {
  try {
    return getStatus(oc);
  } catch {
    return 500;
  }
}

/** A minimal CapabilityStatement: what the sandbox serves, with its SMART endpoints. */
export function capabilityStatement(origin: string): CapabilityStatement {
  const types = [
    'Patient',
    'Observation',
    'Condition',
    'MedicationRequest',
    'MedicationStatement',
    'DiagnosticReport',
    'ImagingStudy',
    'Procedure',
    'ServiceRequest',
    'Encounter',
    'AllergyIntolerance',
    'Immunization',
    'Practitioner',
    'Organization',
    'Medication',
  ];
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-24',
    kind: 'instance',
    software: { name: 'Nephrocalcinosis workup local SMART sandbox (@medplum/fhir-router 4.1.6)' },
    implementation: { description: 'Local SMART sandbox (development only)', url: `${origin}/fhir` },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [
            {
              coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: `${origin}/sandbox/auth/authorize` },
                { url: 'token', valueUri: `${origin}/sandbox/auth/token` },
              ],
            },
          ],
        },
        resource: types.map((type) => ({
          type: type as 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: Object.values(searchParamsOf(type))
            .filter((p) => ['patient', 'subject', 'code', 'category', 'date', 'status', '_id'].includes(p.code ?? ''))
            .map((p) => ({ name: p.code ?? '', type: p.type as 'token' })),
        })),
      },
    ],
  };
}
