/**
 * The sandbox's FHIR R4 API at /fhir/ (read-only): read and search, served by @medplum/fhir-router
 * over the patient's compartment repository (see engine.ts), plus what the engine does not do:
 * access control, paging with absolute `next` links, a CapabilityStatement, and fault injection.
 *
 *   GET /fhir/metadata                       CapabilityStatement (public)
 *   GET /fhir/.well-known/smart-configuration SMART discovery (public)
 *   GET /fhir/<Type>/<id>                    read
 *   GET /fhir/<Type>?<search>                search: the engine's search semantics (code=system|code and
 *                                            comma lists, combo-code (Observation), patient=, subject=,
 *                                            date=ge..., category, status, _sort), paged here with _count
 *                                            (default 50, max 200)
 *   POST /fhir/<Type>/_search                the same search with its parameters in an
 *                                            application/x-www-form-urlencoded body (and the URL)
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
 *   is not re-run for each of its pages. The links of a GET search also carry the original query, so
 *   an expired snapshot just re-runs the search; the links of a POST search carry no query (it may be
 *   thousands of characters of codes: the reason to POST), as HAPI's do, and an expired one answers
 *   410.
 * - What the server offers is declared in its CapabilityStatement, per resource type: the search
 *   parameters (with `combo-code` on Observation) and the search mode extension
 *   (`capabilitystatement-search-mode` = `both`: GET and POST). With SANDBOX_CAPABILITIES=basic the
 *   sandbox plays a server that offers neither POST nor `combo-code` (and refuses them), and whose
 *   `next` links are opaque, as Epic's (`sessionID`) and Oracle Health's (`-pageContext`): one
 *   `_getpages` token that says nothing of the offset.
 * - Launch option `serial`: this launch's requests are answered one at a time, each after the one
 *   before it has been sent (a server that handles one request at a time); the latency of each is
 *   waited in turn.
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
  /** The query its links repeat (GET searches); absent for a POST search (links name the snapshot only). */
  linkQuery?: Record<string, string[]>;
}

/** What the server offers beyond GET searches by the standard parameters (see the top). */
export type ServerCapabilities = 'full' | 'basic';

/** The search parameters a basic server refuses (declared and served only by a full one). */
const FULL_ONLY_PARAMS = new Set(['combo-code']);
const FORM = /^application\/x-www-form-urlencoded\b/i;
const MAX_FORM_BYTES = 64 * 1024;

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
  /** Default `full` (SANDBOX_CAPABILITIES). */
  capabilities?: ServerCapabilities;
}

export class FhirApi {
  private readonly snapshots = new Map<string, Snapshot>();
  /** Launch option `serial`: the request each launch is answering, that the next one waits for. */
  private readonly turns = new WeakMap<object, Promise<void>>();

  constructor(private readonly o: FhirApiOptions) {}

  private get capabilities(): ServerCapabilities {
    return this.o.capabilities ?? 'full';
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, origin: string): Promise<void> {
    const base = `${origin}/fhir`;
    const rest = url.pathname.replace(/^\/fhir\/?/, '');
    if (rest === '.well-known/smart-configuration') return sendJson(res, 200, this.o.auth.smartConfiguration(origin), { 'Content-Type': 'application/json' });
    if (rest === '.well-known/openid-configuration') return sendJson(res, 200, this.o.auth.openidConfiguration(origin), { 'Content-Type': 'application/json' });
    const post = req.method === 'POST';
    const allow = this.capabilities === 'full' ? 'GET, POST' : 'GET';
    if (req.method !== 'GET' && req.method !== 'HEAD' && !post) {
      return sendJson(res, 405, outcome('not-supported', 'The sandbox FHIR API is read-only (GET, and POST for searches).'), { Allow: allow });
    }
    if (post && !/^[A-Z][A-Za-z]+\/_search$/.test(rest)) {
      return sendJson(res, 405, outcome('not-supported', 'POST is accepted only for a search: <Type>/_search.'), { Allow: 'GET' });
    }
    if (post && this.capabilities !== 'full') {
      return sendJson(res, 405, outcome('not-supported', 'This server does not offer searches by POST.'), { Allow: 'GET' });
    }
    if (rest === 'metadata') return sendJson(res, 200, capabilityStatement(origin, this.capabilities));

    const access = this.o.auth.checkAccess(req.headers.authorization);
    if (!access.ok) {
      return sendJson(res, 401, outcome('login', access.reason), {
        'WWW-Authenticate': `Bearer realm="sandbox", error="invalid_token", error_description="${access.reason}"`,
      });
    }
    const token = access.token;
    let query = url.searchParams;
    if (post) {
      if (!FORM.test(String(req.headers['content-type'] ?? ''))) {
        return sendJson(res, 415, outcome('not-supported', 'A POST search takes an application/x-www-form-urlencoded body.'));
      }
      const body = await readForm(req);
      if (body === undefined) return sendJson(res, 413, outcome('too-costly', `The search body is over ${MAX_FORM_BYTES} bytes.`));
      // FHIR: the parameters of a POST search are those of the body and of the URL together.
      query = new URLSearchParams([...url.searchParams, ...new URLSearchParams(body)]);
    }
    const answer = () => this.answer(res, url, query, post, base, rest, token);
    if (token.options.serial) return this.inTurn(token.options, answer);
    return answer();
  }

  /** Runs `work` after the previous request of the same launch has been answered. */
  private inTurn(key: object, work: () => Promise<void>): Promise<void> {
    const previous = this.turns.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    this.turns.set(key, run.catch(() => undefined));
    return run;
  }

  private async answer(res: ServerResponse, url: URL, query: URLSearchParams, post: boolean, base: string, rest: string, token: TokenRecord): Promise<void> {
    const segments = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const [type, rawId, ...more] = segments;
    const id = post ? undefined : rawId;
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
    const self = post ? `${base}/${type}/_search` : `${base}/${type}${url.search}`;
    return this.search(res, query, self, post, base, type, token, repo, compartment, fault === 'loop');
  }

  private async search(
    res: ServerResponse,
    q: URLSearchParams,
    self: string,
    post: boolean,
    base: string,
    type: string,
    token: TokenRecord,
    repo: MemoryRepository,
    compartment: boolean,
    loop: boolean,
  ): Promise<void> {
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
    let offset = Number(offsetRaw);

    // A page of a kept result: served from the snapshot, with the links it was made with.
    let pageId = q.get('_getpages');
    const opaque = pageId ? readOpaquePage(pageId) : undefined;
    if (opaque) ({ id: pageId, offset, count } = opaque);
    const snap = pageId ? this.snapshots.get(pageId) : undefined;
    if (pageId && snap && snap.expiresAt > Date.now() && snap.patientId === token.patientId && snap.resourceType === type) {
      return this.sendPage(res, { base, type, self, entries: snap.entries, offset, count, snapshotId: pageId, linkQuery: snap.linkQuery, loop, opaque: this.capabilities !== 'full' });
    }

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
      if ((!(bare in sp) && !COMMON_PARAMS.has(bare)) || (FULL_ONLY_PARAMS.has(bare) && this.capabilities !== 'full')) {
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
    if (pageId && post === false && Object.keys(linkQuery).length === 0) {
      // The page of a POST search whose snapshot is gone: its link does not say what was searched.
      return sendJson(res, 410, outcome('not-found', 'This page of search results has expired; run the search again.'));
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
    const keys = Object.keys(query);
    const codeParam = keys.length === 1 && (keys[0] === 'code' || keys[0] === 'combo-code') ? keys[0] : undefined;
    const codeTokens = codeParam && query[codeParam]?.length === 1 ? query[codeParam][0]!.split(',') : undefined;
    if (compartment && codeParam && codeTokens && codeIndexable(type, codeTokens, codeParam)) {
      entries = await this.o.store.searchByCodes(repo, type, codeTokens, codeParam);
    }
    if (!entries) {
      const [oc, bundle] = await this.o.store.router.handleRequest(
        { method: 'GET', url: type, pathname: '', body: undefined, params: {}, query },
        repo,
      );
      if (!bundle) return sendJson(res, statusOf(oc), oc);
      entries = ((bundle as Bundle).entry ?? []).map((e) => e.resource as FhirResource).filter(Boolean);
    }
    // GET searches of a full server repeat their query in their links; the others name the snapshot.
    const plainLinks = !post && this.capabilities === 'full';
    let snapshotId: string | undefined;
    if (count > 0 && (offset + count < entries.length || (loop && !plainLinks))) {
      snapshotId = crypto.randomBytes(12).toString('base64url');
      this.keepSnapshot(snapshotId, {
        patientId: token.patientId,
        resourceType: type,
        entries,
        expiresAt: Date.now() + SNAPSHOT_TTL_MS,
        ...(plainLinks ? { linkQuery } : {}),
      });
    }
    return this.sendPage(res, { base, type, self, entries, offset, count, snapshotId, linkQuery: plainLinks ? linkQuery : undefined, loop, opaque: this.capabilities !== 'full' });
  }

  /** One page of `entries`, with `self` and `next` links; a snapshot no longer needed is dropped. */
  private sendPage(
    res: ServerResponse,
    p: {
      base: string;
      type: string;
      self: string;
      entries: FhirResource[];
      offset: number;
      count: number;
      snapshotId?: string;
      linkQuery?: Record<string, string[]>;
      loop: boolean;
      /** Links as one opaque token (a basic server). */
      opaque: boolean;
    },
  ): void {
    const { entries, offset, count } = p;
    const total = entries.length;
    const page = count === 0 ? [] : entries.slice(offset, offset + count);
    const hasNext = count > 0 && offset + count < total;
    // The last page has been served: the snapshot is not needed any more (memory: a heavy patient's
    // snapshot holds thousands of resources). A looping search keeps it (its link leads back).
    if (!hasNext && !p.loop && p.snapshotId) this.snapshots.delete(p.snapshotId);
    const linkFor = (off: number, withSnapshot: boolean): string => {
      if (p.opaque && p.snapshotId) return `${p.base}/${p.type}?_getpages=${opaquePage(p.snapshotId, off, count)}`;
      const q = new URLSearchParams();
      for (const [k, vs] of Object.entries(p.linkQuery ?? {})) for (const v of vs) q.append(k, v);
      q.set('_count', String(count));
      if (off > 0) q.set('_offset', String(off));
      if ((withSnapshot || !p.linkQuery) && p.snapshotId) q.set('_getpages', p.snapshotId);
      return `${p.base}/${p.type}?${q.toString()}`;
    };
    const link: NonNullable<Bundle['link']> = [{ relation: 'self', url: p.self }];
    if (p.loop) {
      // Injected fault: a `next` link that leads back to the first page, forever.
      link.push({ relation: 'next', url: linkFor(0, false) });
    } else if (hasNext) {
      link.push({ relation: 'next', url: linkFor(offset + count, true) });
    }
    const entry: BundleEntry[] = page.map((resource) => ({
      fullUrl: `${p.base}/${resource.resourceType}/${resource.id}`,
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

/** A page of a kept result as one opaque token (a basic server's links). */
function opaquePage(id: string, offset: number, count: number): string {
  return `p.${Buffer.from(`${id}:${offset}:${count}`).toString('base64url')}`;
}

function readOpaquePage(token: string): { id: string; offset: number; count: number } | undefined {
  if (!token.startsWith('p.')) return undefined;
  const m = /^([A-Za-z0-9_-]+):(\d+):(\d+)$/.exec(Buffer.from(token.slice(2), 'base64url').toString('utf8'));
  return m ? { id: m[1]!, offset: Number(m[2]), count: Math.min(Number(m[3]), MAX_COUNT) } : undefined;
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

/** The search-mode extension (FHIR extensions pack): which HTTP methods a type's search accepts. */
export const SEARCH_MODE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-mode';

/** A minimal CapabilityStatement: what the sandbox serves, with its SMART endpoints. */
export function capabilityStatement(origin: string, capabilities: ServerCapabilities = 'full'): CapabilityStatement {
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
  const declared = ['patient', 'subject', 'code', 'category', 'date', 'status', '_id', ...(capabilities === 'full' ? ['combo-code'] : [])];
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
          ...(capabilities === 'full' ? { extension: [{ url: SEARCH_MODE_EXTENSION, valueCode: 'both' }] } : {}),
          type: type as 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: Object.values(searchParamsOf(type))
            .filter((p) => declared.includes(p.code ?? ''))
            .map((p) => ({ name: p.code ?? '', type: p.type as 'token' })),
        })),
      },
    ],
  };
}

/** A request's form body, or undefined when it is over MAX_FORM_BYTES. */
function readForm(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_FORM_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_FORM_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
