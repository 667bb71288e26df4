/**
 * Reading the rest of a search whose first page has a `next` link, in the order src/smart/paging.ts
 * sets out: every later page at once by offset; one more page when the first shows the rest is
 * small; in split parts; otherwise page after page. Loaded by src/smart/fetch-all.ts only when a
 * search has more than one page.
 */
import type { FhirResource } from 'fhir/r4';
import { asSearchError, fetchAllPages, followable, readPage, SearchError, type FetchContext, type Page, type SearchOptions, type SearchResult } from './fetch-all';
import { linkOffset, pagedWhenSmall, pageUrls, splitCodeSearch } from './paging';
import type { SearchRequest } from './queries';

/** How many times a search may be split into parts, then parts of parts. */
export const MAX_SPLIT_DEPTH = 2;

async function readParts(ctx: FetchContext, parts: SearchRequest[], firstPage: readonly FhirResource[], options: SearchOptions, depth: number): Promise<SearchResult> {
  const sofar = parts.map((): readonly FhirResource[] => []);
  const report = () => options.onPage?.([...firstPage, ...sofar.flat()]);
  const results = await Promise.all(
    parts.map((request, i) =>
      fetchAllPages(
        ctx,
        request,
        {
          maxPages: options.maxPages,
          onPage: (resources) => {
            sofar[i] = resources;
            report();
          },
          ...(options.split && depth < MAX_SPLIT_DEPTH ? { split: true } : {}),
        },
        depth + 1,
      ),
    ),
  );
  const notes = [...new Set(results.flatMap((r) => r.notes))];
  const error = results.find((r) => r.error)?.error;
  return {
    resources: [...firstPage, ...results.flatMap((r) => r.resources)],
    notes,
    pages: 1 + results.reduce((n, r) => n + r.pages, 0),
    ...(error ? { error } : {}),
  };
}


/**
 * Reads the pages whose links `pageUrls` derived, all at once, and checks that they line up: each
 * page's `next` link must name the page after it (so nothing was skipped). Returns their results, in
 * order, and the last page's `next` link when the server has more than its total said (followed
 * then one page at a time). Throws SearchError.
 */
async function readOffsetPages(
  ctx: FetchContext,
  urls: string[],
  before: readonly FhirResource[],
  notes: string[],
  origin: string,
  onPage?: (resources: readonly FhirResource[]) => void,
): Promise<{ resources: FhirResource[]; next?: string }> {
  const sofar = urls.map((): readonly FhirResource[] => []);
  const pages = await Promise.all(
    urls.map(async (url, i) => {
      const page = await readPage(ctx, { url }, notes);
      sofar[i] = page.resources;
      onPage?.([...before, ...sofar.flat()]);
      return page;
    }),
  );
  for (let i = 0; i < pages.length - 1; i++) {
    const next = pages[i]!.next;
    const got = next ? linkOffset(followable(next, urls[i]!, origin)) : undefined;
    const want = linkOffset(urls[i + 1]!);
    if (!got || !want || got.rest !== want.rest || got.offset !== want.offset) {
      throw new SearchError('failed', 'The EHR\u2019s pages of results did not line up; results may be incomplete');
    }
  }
  const last = pages[pages.length - 1]?.next;
  return { resources: pages.flatMap((p) => p.resources), ...(last ? { next: followable(last, urls[urls.length - 1]!, origin) } : {}) };
}

const keyOf = (r: SearchRequest): string => (r.body !== undefined ? `POST ${r.url} ${r.body}` : r.url);

/**
 * The rest of the search whose first page (`request`, answered by `first`, its outcome texts in
 * `notes`) has a `next` link. Never throws: a failure is the result's `error`, with what was read.
 */
export async function readRest(ctx: FetchContext, request: SearchRequest, first: Page, notes: string[], options: SearchOptions, depth: number): Promise<SearchResult> {
  const origin = new URL(ctx.session.serverUrl).origin;
  const resources: FhirResource[] = [...first.resources];
  const seen = new Set<string>([keyOf(request)]);
  try {
    let next: string | undefined = followable(first.next!, request.url, origin);
    const urls = pageUrls(next, first.resources.length, first.total, options.maxPages);
    if (urls) {
      for (const url of urls) seen.add(url);
      const rest = await readOffsetPages(ctx, urls, resources, notes, origin, options.onPage);
      resources.push(...rest.resources);
      options.onPage?.(resources);
      next = rest.next;
    } else if (!pagedWhenSmall(first.resources.length, first.total) && options.split) {
      const parts = splitCodeSearch(request, first.resources);
      if (parts?.length) {
        const result = await readParts(ctx, parts, first.resources, options, depth);
        return { ...result, notes: [...new Set([...notes, ...result.notes])] };
      }
    }
    let pageUrl = urls?.at(-1) ?? request.url;
    while (next) {
      if (seen.has(next)) {
        throw new SearchError('failed', 'The EHR\u2019s paging links loop back to a page already read; results may be incomplete');
      }
      if (seen.size >= options.maxPages) {
        throw new SearchError('failed', `The EHR kept sending more pages (over ${options.maxPages}); results may be incomplete`);
      }
      seen.add(next);
      pageUrl = next;
      const page = await readPage(ctx, { url: next }, notes);
      resources.push(...page.resources);
      options.onPage?.(resources);
      next = page.next ? followable(page.next, pageUrl, origin) : undefined;
    }
  } catch (error) {
    return { resources, notes, pages: seen.size, error: asSearchError(error) };
  }
  return { resources, notes, pages: seen.size };
}
