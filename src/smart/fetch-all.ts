/**
 * HTTP for the data layer: one bounded GET with the SMART access token, and a search followed
 * through every `next` link.
 *
 * Why not `client.request(url, {pageLimit: 0})`: fhirclient's request (2.6.3, lib/Client.js)
 * - on any 401 discards the whole session (`_clearState`), so one resource type answering 401 would
 *   take every other in-flight search and any retry down with it, and it never retries after a
 *   refresh;
 * - folds error bodies into `error.message` together with the URL (which holds the patient id),
 *   so the OperationOutcome text cannot be taken out cleanly and the message must not be shown;
 * - follows `next` links with no guard against a loop, an endless chain, or a link to another host
 *   (which would send the bearer token there).
 * So the token handling is the session's (src/smart/session.ts, fhirclient's own logic and stored
 * state) — `session.refresh()` before a request when the token is about to expire (the proactive
 * refresh `client.request` does, shared between parallel requests), the `Authorization` header from
 * `session.authorizationHeader()`, `session.refresh()` once after a 401 when a refresh is possible —
 * and the fetching is done here.
 *
 * Timing: when no refresh is needed, `fetch()` is called synchronously, with no `await` before it,
 * so every request of the first wave leaves in the task that starts the load, before any render of
 * the loading screen (Preact renders in a microtask; an `await` before the fetch would let that
 * render run first and delay the wave by its duration).
 *
 * Nothing here logs: URLs, bodies and ids never reach the console.
 */
import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4';
import type { SearchRequest } from './queries';
import type { SmartSession } from './types';

export type SearchErrorKind = 'forbidden' | 'failed' | 'timeout';

export class SearchError extends Error {
  override name = 'SearchError';
  constructor(
    public kind: SearchErrorKind,
    message: string,
    public httpStatus?: number,
    /** 401 that a refresh could not cure: the session is over. */
    public unauthorized = false,
  ) {
    super(message);
  }
}

/** Shared by every request of one load. */
export interface FetchContext {
  session: SmartSession;
  timeoutMs: number;
  /** The caller's "stop waiting" signal. */
  signal?: AbortSignal;
  /** One forced refresh per load, shared by parallel 401s. */
  refreshAfter401?: Promise<boolean>;
}

const TIMEOUT = Symbol('timeout');
const MAX_TEXT = 240;

function clean(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT - 1)}\u2026` : t;
}

/** Texts of an OperationOutcome's issues (diagnostics, else details.text, else the code). */
export function outcomeTexts(outcome: unknown, includeInformation = true): string[] {
  const issues = (outcome as OperationOutcome | undefined)?.issue;
  if (!Array.isArray(issues)) return [];
  const out: string[] = [];
  for (const issue of issues) {
    if (!issue || typeof issue !== 'object') continue;
    if (!includeInformation && issue.severity === 'information') continue;
    // diagnostics first: it is the specific one (Epic: "Client not authorized for Observation -
    // Outside Record Results..." where details.text is a generic sentence).
    const text = [issue.diagnostics, issue.details?.text].find((t) => typeof t === 'string' && t.trim());
    const line = text ? clean(text) : typeof issue.code === 'string' ? issue.code : '';
    if (line && !out.includes(line)) out.push(line);
  }
  return out;
}

function isSevere(outcome: unknown): boolean {
  const issues = (outcome as OperationOutcome | undefined)?.issue;
  return Array.isArray(issues) && issues.some((i) => i?.severity === 'error' || i?.severity === 'fatal');
}

const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

function statusWords(status: number, read: boolean): string {
  if (status === 401) return 'The EHR no longer accepts this session (401)';
  if (status === 403) return `The EHR did not allow the app to read ${read ? 'this' : 'these'} (403)`;
  if (status === 404) return read ? 'The EHR did not find this record (404)' : 'The EHR does not offer this search (404)';
  if (status === 400) return 'The EHR refused the search (400)';
  if (status === 429) return 'The EHR is busy and refused the request (429)';
  if (status >= 500) return `The EHR had an internal error (${status})`;
  return `The EHR answered with an error (${status})`;
}

function errorFromResponse(status: number, body: string, read: boolean): SearchError {
  let texts: string[] = [];
  try {
    const json: unknown = JSON.parse(body);
    if ((json as { resourceType?: string })?.resourceType === 'OperationOutcome') texts = outcomeTexts(json);
  } catch {
    // Not JSON (an HTML error page, say): the status is all there is to tell.
  }
  const words = statusWords(status, read);
  const message = texts.length ? `${words}: ${texts.slice(0, 3).join('; ')}` : words;
  const kind: SearchErrorKind = status === 401 || status === 403 ? 'forbidden' : 'failed';
  return new SearchError(kind, message, status, status === 401);
}

/**
 * One GET of JSON from the EHR (or, with `form`, a POST of that form body: a search by
 * `<Type>/_search`), bounded by `ctx.timeoutMs`, with one refresh-and-retry after a 401.
 * `read`: a read of one resource (words for 403/404 differ from a search's).
 */
export async function getJson(ctx: FetchContext, url: string, read = false, form?: string): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal?.aborted) throw new SearchError('timeout', 'Stopped waiting before the EHR answered');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT), ctx.timeoutMs);
    const stop = () => controller.abort(ctx.signal?.reason);
    ctx.signal?.addEventListener('abort', stop, { once: true });
    if (ctx.signal?.aborted) stop();
    let response: Response;
    let body: string;
    try {
      // The proactive refresh (the token is about to expire and can be refreshed); parallel calls
      // share one refresh. Awaited only then: otherwise fetch() is called in this very task (see
      // top). A failed refresh leaves the old token: the request then gets its 401 and the load
      // reports the session expired.
      if (ctx.session.needsRefresh()) await ctx.session.refresh(controller.signal).catch(() => undefined);
      const headers: Record<string, string> = { accept: 'application/fhir+json' };
      const auth = ctx.session.authorizationHeader();
      if (auth) headers.authorization = auth;
      if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      // Decision: the fetch default, credentials 'same-origin'. Towards an EHR on another
      // origin (every real deployment) it sends no cookies, exactly like 'omit', but it is the mode
      // of the token exchange and of the `<link rel=preconnect crossorigin>` hint (src/app/
      // preconnect.ts), so the searches reuse that connection; with 'omit' the browser keeps a
      // separate pool and the first wave waited 20–40 ms for a connection of its own after the
      // token (benchmark, HTTP/2). The bearer token remains the only credential the EHR gets.
      response = await fetch(url, {
        headers,
        signal: controller.signal,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(form !== undefined ? { method: 'POST', body: form } : {}),
      });
      body = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        if (controller.signal.reason === TIMEOUT) {
          throw new SearchError('timeout', `No answer from the EHR within ${seconds(ctx.timeoutMs)} s`);
        }
        throw new SearchError('timeout', 'Stopped waiting before the EHR answered');
      }
      throw new SearchError('failed', 'The EHR could not be reached (network error)');
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', stop);
    }
    if (response.status === 401 && attempt === 0 && ctx.session.canRefresh()) {
      // One refresh for the whole load, bounded like any request (a hanging token endpoint must
      // not hang the panel).
      if (!ctx.refreshAfter401) {
        const refresh = new AbortController();
        const refreshTimer = setTimeout(() => refresh.abort(TIMEOUT), ctx.timeoutMs);
        ctx.refreshAfter401 = ctx.session
          .refresh(refresh.signal)
          .then(
            () => true,
            () => false,
          )
          .finally(() => clearTimeout(refreshTimer));
      }
      if (await ctx.refreshAfter401) continue;
    }
    if (!response.ok) throw errorFromResponse(response.status, body, read);
    try {
      return JSON.parse(body) as unknown;
    } catch {
      throw new SearchError('failed', 'The EHR sent an answer that is not valid JSON', response.status);
    }
  }
}

export interface SearchResult {
  resources: FhirResource[];
  /** Texts of the searchset's OperationOutcome entries (what the EHR left out, warnings). */
  notes: string[];
  pages: number;
  /** Set when the search did not complete; `resources` then holds what the pages read so far gave. */
  error?: SearchError;
}

export interface SearchOptions {
  maxPages: number;
  /** Called after every page with the resources so far. */
  onPage?: (resources: readonly FhirResource[]) => void;
  /**
   * A search by a list of codes that may be read in parts, all at once, when its first page has a
   * `next` link that can be read neither by offset nor page by page (src/smart/paging.ts
   * splitCodeSearch). A part may be split again, up to MAX_SPLIT_DEPTH levels.
   */
  split?: boolean;
}

export interface Page {
  resources: FhirResource[];
  next?: string;
  total?: unknown;
}

/**
 * One page of a search: its results (entries with `search.mode = outcome`, and any OperationOutcome
 * entry, are not results: their text goes to `notes`; one of severity error/fatal fails the search),
 * its `next` link and `Bundle.total`. Throws SearchError.
 */
export async function readPage(ctx: FetchContext, request: SearchRequest, notes: string[]): Promise<Page> {
  const bundle = (await getJson(ctx, request.url, false, request.body)) as Bundle | null;
  if (!bundle || typeof bundle !== 'object' || bundle.resourceType !== 'Bundle') {
    const texts = (bundle as { resourceType?: string } | null)?.resourceType === 'OperationOutcome' ? outcomeTexts(bundle) : [];
    throw new SearchError('failed', `The EHR answered with something other than search results${texts.length ? `: ${texts.join('; ')}` : ''}`);
  }
  const resources: FhirResource[] = [];
  for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
    const resource = entry?.resource as FhirResource | undefined;
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') continue;
    if (entry.search?.mode === 'outcome' || resource.resourceType === 'OperationOutcome') {
      for (const text of outcomeTexts(resource, false)) if (!notes.includes(text)) notes.push(text);
      if (isSevere(resource)) {
        throw new SearchError('failed', `The EHR reported an error in the search: ${outcomeTexts(resource, false).slice(0, 3).join('; ')}`);
      }
      continue;
    }
    resources.push(resource);
  }
  const next = (Array.isArray(bundle.link) ? bundle.link : []).find((l) => l?.relation === 'next')?.url;
  return { resources, ...(typeof next === 'string' && next ? { next } : {}), total: bundle.total };
}

/** A `next` link resolved against the page's URL, only on the EHR's own origin (the token goes nowhere else). */
export function followable(next: string, pageUrl: string, origin: string): string {
  let nextUrl: URL;
  try {
    nextUrl = new URL(next, pageUrl);
  } catch {
    throw new SearchError('failed', 'The EHR sent a paging link that is not a valid address; results may be incomplete');
  }
  if (nextUrl.origin !== origin) {
    throw new SearchError('failed', 'The EHR sent a paging link to another server; not followed, results may be incomplete');
  }
  return nextUrl.href;
}

/**
 * Reads a search and every page after it.
 * - `Bundle.total` is never relied on to decide that a search is complete (Oracle Health omits it,
 *   Epic sets it to the page size): every page's `next` link is followed or accounted for.
 * - `next` links are followed as given (Oracle Health `-pageContext`, Epic `sessionID`, `continue=`),
 *   resolved against the page's URL, but only on the EHR's own origin: the bearer token is never
 *   sent anywhere else.
 * - After the first page, the rest is read by offset, page by page when it is small, or in split
 *   parts (src/smart/paging.ts explains the order; src/smart/paging-read.ts reads, loaded only now).
 * - Decision: a `next` link to a page already read (a loop) or a chain longer than `maxPages` fails
 *   the search ("results may be incomplete") rather than being silently cut: a panel must not
 *   present part of a record as the whole.
 */
export async function fetchAllPages(ctx: FetchContext, first: SearchRequest | string, options: SearchOptions, depth = 0): Promise<SearchResult> {
  const request = typeof first === 'string' ? { url: first } : first;
  const notes: string[] = [];
  let page: Page;
  try {
    page = await readPage(ctx, request, notes);
  } catch (error) {
    return { resources: [], notes, pages: 1, error: asSearchError(error) };
  }
  options.onPage?.(page.resources);
  if (!page.next) return { resources: page.resources, notes, pages: 1 };
  let readRest: typeof import('./paging-read').readRest;
  try {
    ({ readRest } = await import('./paging-read'));
  } catch {
    const error = new SearchError('failed', 'The app could not load the part of itself that reads further pages; results may be incomplete');
    return { resources: page.resources, notes, pages: 1, error };
  }
  return readRest(ctx, request, page, notes, options, depth);
}

export function asSearchError(error: unknown): SearchError {
  return error instanceof SearchError ? error : new SearchError('failed', 'The answer could not be read');
}
