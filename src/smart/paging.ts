/**
 * How the rest of a search is read once its first page has a `next` link (pure: no network; the
 * reading is src/smart/paging-read.ts). The app page loads this, and the reading, only when a
 * search has more than one page: most records have none.
 */
import type { FhirResource } from 'fhir/r4';
import type { SearchRequest } from './queries';

/**
 * A search with more than one page. The pages of one search can only be read one after another when
 * each `next` link arrives with the page before it: the heavy patient's Observation search holds
 * 14,548 results, 73 pages, so 73 round trips in a row. What the first page shows decides how the
 * rest is read (src/smart/fetch-all.ts), in this order:
 *
 * 1. Pages by offset (`pageUrls`): the `next` link is an offset into the kept result (HAPI's
 *    `_getpagesoffset`, `_offset`), its value the number of entries on the first page, and
 *    `Bundle.total` is larger: the links of every other page are known, and they are read all at
 *    once. Every result is read once, in one more round trip.
 * 2. Small (`pagedWhenSmall`): `Bundle.total` says the rest fits on one more page: that page is
 *    read. One more round trip, as a split would cost, with nothing read twice.
 * 3. Split (`splitCodeSearch`): an opaque `next` link (Epic `sessionID`, Oracle Health
 *    `-pageContext`) and no usable total: the same codes are searched again in parts, all at once:
 *    one search for each code the first page shows (the frequent ones, most frequent first, at most
 *    MAX_SPLIT_PARTS − 1 of them) and one for every other code. The parts ask for exactly the codes
 *    of the original search, so together they return all of its results; the first page's own
 *    results are kept and each is counted once (by id), but they are read again in the parts: the
 *    one price of a split, a page per split. Each part pages on its own (offsets, small, split
 *    again); the chain becomes as long as the largest single code's pages.
 *
 * Decisions:
 * - `Bundle.total` is trusted only when it is larger than the page (Epic sets it to the page size;
 *   Oracle Health omits it); without it, a first page with a `next` link is split.
 * - Only searches with a single `code` or `combo-code` parameter (the comma list buildQueries
 *   writes, in the URL or the POST body) are split; anything else pages (by offset when it can).
 * - A split returns undefined when no useful split exists (one code; a first page that shows none
 *   of the codes: then nothing says how to divide them).
 */
/**
 * Decision: at most 6 parts per split (5 single codes and the rest). Each part is a search the EHR
 * runs, so a record whose code group just spills onto a second page costs up to 5 more searches in
 * the same number of round trips; the rest can split again (MAX_SPLIT_DEPTH). Measured on the heavy
 * patient (HTTP/2): 12 parts, 91 requests, 1.1–1.3 s; 6 parts, 85 requests, 1.2–1.4 s. The fewer
 * searches are worth the 0.1 s to an EHR that serves many clinicians at once.
 */
export const MAX_SPLIT_PARTS = 6;

/** Offset parameters of paging links: HAPI FHIR's `_getpagesoffset`, the `_offset` of others (and the sandbox). */
const OFFSET_PARAMS = ['_getpagesoffset', '_offset'] as const;

/** A usable `Bundle.total`: a whole number larger than the page that came with it. */
function credibleTotal(total: unknown, entries: number): number | undefined {
  return typeof total === 'number' && Number.isInteger(total) && total > entries && entries > 0 ? total : undefined;
}

/**
 * The links of every page after the first, when the first page's `next` link is an offset (see
 * above); undefined otherwise, or when there would be more than `maxPages` pages.
 */
export function pageUrls(next: string, entries: number, total: unknown, maxPages: number): string[] | undefined {
  const all = credibleTotal(total, entries);
  if (all === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(next);
  } catch {
    return undefined;
  }
  const param = OFFSET_PARAMS.find((p) => u.searchParams.getAll(p).length === 1 && u.searchParams.get(p) === String(entries));
  if (!param) return undefined;
  const urls: string[] = [];
  for (let offset = entries; offset < all; offset += entries) {
    const page = new URL(u.href);
    page.searchParams.set(param, String(offset));
    urls.push(page.href);
  }
  return urls.length + 1 > maxPages ? undefined : urls;
}

/** The offset a paging link names, with the link's other parameters (to compare two links of one search). */
export function linkOffset(link: string): { rest: string; offset: number } | undefined {
  let u: URL;
  try {
    u = new URL(link);
  } catch {
    return undefined;
  }
  const param = OFFSET_PARAMS.find((p) => u.searchParams.has(p));
  if (!param) return undefined;
  const offset = Number(u.searchParams.get(param));
  u.searchParams.delete(param);
  u.searchParams.sort();
  return Number.isInteger(offset) && offset >= 0 ? { rest: u.href, offset } : undefined;
}

/** The first page shows that the rest fits on one more page. */
export function pagedWhenSmall(entries: number, total: unknown): boolean {
  const all = credibleTotal(total, entries);
  return all !== undefined && all <= 2 * entries;
}

const CODE_PARAMS = ['code', 'combo-code'] as const;

type Coded = { code?: { coding?: unknown }; component?: unknown };

/** `system|code` of each coding of the resource's code (and, for combo-code, of its components' codes). */
function codeTokens(r: FhirResource, withComponents: boolean): string[] {
  const c = r as Coded;
  const concepts = [c.code, ...(withComponents && Array.isArray(c.component) ? (c.component as Coded[]).map((x) => x?.code) : [])];
  const out: string[] = [];
  for (const cc of concepts) {
    const codings = cc?.coding;
    if (!Array.isArray(codings)) continue;
    for (const x of codings) {
      if (!x || typeof x !== 'object') continue;
      const { system, code } = x as { system?: unknown; code?: unknown };
      if (typeof code === 'string') out.push(`${typeof system === 'string' ? system : ''}|${code}`);
    }
  }
  return out;
}

export function splitCodeSearch(request: SearchRequest, firstPage: readonly FhirResource[], maxParts = MAX_SPLIT_PARTS): SearchRequest[] | undefined {
  let u: URL;
  try {
    u = new URL(request.url);
  } catch {
    return undefined;
  }
  const params = request.body !== undefined ? new URLSearchParams(request.body) : u.searchParams;
  const param = CODE_PARAMS.find((p) => params.getAll(p).length === 1);
  if (!param || CODE_PARAMS.some((p) => p !== param && params.has(p))) return undefined;
  const tokens = [...new Set(params.get(param)!.split(',').filter(Boolean))];
  if (tokens.length < 2) return undefined;
  const wanted = new Set(tokens);
  const counts = new Map<string, number>();
  for (const r of firstPage) {
    const mine = new Set(codeTokens(r, param === 'combo-code').filter((t) => wanted.has(t)));
    for (const t of mine) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  if (!counts.size) return undefined;
  const seen = tokens.filter((t) => counts.has(t)).sort((a, b) => counts.get(b)! - counts.get(a)!);
  const own = seen.slice(0, Math.max(1, maxParts - 1));
  const ownSet = new Set(own);
  const rest = tokens.filter((t) => !ownSet.has(t));
  const parts = [...own.map((t) => [t]), ...(rest.length ? [rest] : [])];
  if (parts.length < 2) return undefined;
  return parts.map((part) => {
    if (request.body !== undefined) {
      const body = new URLSearchParams(request.body);
      body.set(param, part.join(','));
      return { url: request.url, body: body.toString() };
    }
    const p = new URL(u.href);
    p.searchParams.set(param, part.join(','));
    return { url: p.href };
  });
}
