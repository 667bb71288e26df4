/**
 * Replays the vendor captures in ../shared/fhir-data/vendor (Epic and Oracle Health sandboxes, each
 * file `{_request: {url, status}, body}`) through msw as the EHR's answers.
 *
 * Routing: a request is answered by the capture of the same resource type and patient (searches)
 * or the same id (reads), with the captured status and body. Searches that send `code` get the
 * captured page with the entries whose codings match none of the codes left out (as the real
 * server would filter); OperationOutcome entries and links are kept as captured, so vendor `next`
 * links (`-pageContext`, `sessionID`) reach the client exactly as the EHR wrote them.
 *
 * What is synthesized (the captures do not hold it), and only this:
 * - the page after a captured `next` link: an empty last page (the captures stop at page 1);
 * - a Patient read with no capture: the vendor's captured 404 answer (error-404-on-nonexistent-patient-id);
 * - a search with no capture: an empty searchset, or, for types listed in `unsupported`, the vendor's
 *   captured answer to an unsupported resource type (Epic: an HTML 404 page; Oracle Health: a 404
 *   OperationOutcome).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse, type HttpHandler } from 'msw';
import type { Bundle, BundleEntry } from 'fhir/r4';
import { fhirJson, type RequestLog } from './fhir-server';

export type Vendor = 'epic' | 'cerner';

/** ../shared/fhir-data/vendor next to the project (FHIR_DATA_DIR overrides the fhir-data folder). */
export const VENDOR_DIR = `${resolve(process.env.FHIR_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fhir-data'), 'vendor')}/`;

export const VENDOR_BASE: Record<Vendor, string> = {
  epic: 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4',
  cerner: 'https://fhir-open.cerner.com/r4/ec2458f2-1e24-41c8-b71b-0e701af7583d',
};

export interface Capture {
  file: string;
  url: URL;
  status: number;
  body: unknown;
}

export function loadCaptures(vendor: Vendor): Capture[] {
  const dir = `${VENDOR_DIR}${vendor}/`;
  const out: Capture[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const json = JSON.parse(readFileSync(`${dir}${file}`, 'utf8')) as { _request?: { url?: string; status?: number }; body?: unknown };
    if (!json._request?.url || json.body === undefined) continue;
    out.push({ file, url: new URL(json._request.url), status: json._request.status ?? 200, body: json.body });
  }
  return out;
}

function typeOf(url: URL, base: string): { type: string; id?: string } {
  const rest = url.pathname.slice(new URL(base).pathname.length).replace(/^\/+/, '').split('/');
  return rest[1] ? { type: rest[0]!, id: decodeURIComponent(rest[1]) } : { type: rest[0]! };
}

function respond(capture: { status: number; body: unknown }) {
  const body = capture.body as { _non_json_body?: string } | null;
  if (body && typeof body === 'object' && typeof body._non_json_body === 'string') {
    return new HttpResponse(body._non_json_body, { status: capture.status, headers: { 'content-type': 'text/html' } });
  }
  return fhirJson(capture.body, capture.status);
}

function filterByCode(bundle: Bundle, codeParam: string | null): Bundle {
  if (!codeParam || !Array.isArray(bundle.entry)) return bundle;
  const tokens = codeParam.split(',');
  const keep = (entry: BundleEntry) => {
    const r = entry.resource as { resourceType?: string; code?: { coding?: { system?: string; code?: string }[] } } | undefined;
    if (!r || r.resourceType === 'OperationOutcome' || entry.search?.mode === 'outcome') return true;
    return (r.code?.coding ?? []).some((c) => tokens.includes(`${c.system}|${c.code}`));
  };
  return { ...bundle, entry: bundle.entry.filter(keep) };
}

export interface VendorEhrOptions {
  log?: RequestLog;
  /** Types answered with the vendor's "unsupported resource type" capture. */
  unsupported?: string[];
}

export function vendorEhr(vendor: Vendor, options: VendorEhrOptions = {}): HttpHandler[] {
  const base = VENDOR_BASE[vendor];
  const captures = loadCaptures(vendor).filter((c) => c.url.href.startsWith(base));
  const notFound = captures.find((c) => c.file.startsWith('error-404-on-nonexistent-patient-id'))!;
  const unsupported = captures.find((c) => c.file.startsWith('error-request-unsupported-resource-type'))!;
  const nextLinks = new Set<string>();
  for (const c of captures) {
    for (const link of (c.body as Bundle).link ?? []) if (link.relation === 'next') nextLinks.add(link.url);
  }
  return [
    http.get(`${base}/*`, ({ request }) => {
      options.log?.record(request);
      const url = new URL(request.url);
      if (nextLinks.has(url.href)) {
        // Synthesized: the page after the captured one (captures stop at page 1).
        return fhirJson({ resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: url.href }], entry: [] });
      }
      const { type, id } = typeOf(url, base);
      if (id !== undefined) {
        const read = captures.find((c) => typeOf(c.url, base).type === type && typeOf(c.url, base).id === id);
        return respond(read ?? notFound);
      }
      if (options.unsupported?.includes(type)) return respond(unsupported);
      const patient = url.searchParams.get('patient');
      const search = captures.find((c) => typeOf(c.url, base).type === type && typeOf(c.url, base).id === undefined && c.url.searchParams.get('patient') === patient);
      if (!search) return fhirJson({ resourceType: 'Bundle', type: 'searchset', entry: [] });
      if (search.status !== 200) return respond(search);
      return fhirJson(filterByCode(search.body as Bundle, url.searchParams.get('code')));
    }),
  ];
}
