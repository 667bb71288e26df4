/**
 * Whether the page's own Content-Security-Policy lets it connect to a URL: the launch page checks the
 * EHR's address (`iss`) before any request, so a blocked launch is named as a configuration problem
 * at once rather than after a failed fetch (csp.ts).
 *
 * Implements CSP3 source matching for connect-src (falling back to default-src): 'none', 'self', *,
 * scheme sources (https:), host sources with optional scheme, `*.` host wildcard, port (or *) and
 * path. The policy is the page's meta tag (the pages have no other): no meta policy, no restriction.
 */

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' };

/** The source list of connect-src (or default-src) in a policy; undefined when neither is set. */
export function connectSources(policy: string): string[] | undefined {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), values);
  }
  return directives.get('connect-src') ?? directives.get('default-src');
}

function schemeMatches(source: string, url: URL): boolean {
  // http: sources also allow https:, ws: sources wss: (CSP3 "secure upgrade").
  return source === url.protocol || (source === 'http:' && url.protocol === 'https:') || (source === 'ws:' && url.protocol === 'wss:');
}

function hostSourceMatches(source: string, url: URL, self: URL): boolean {
  const m = /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\*|(?:\*\.)?[^/:]+)(?::(\*|\d+))?(\/.*)?$/i.exec(source);
  if (!m) return false;
  const [, scheme, host = '', port, path] = m;
  if (scheme ? !schemeMatches(scheme.toLowerCase(), url) : !schemeMatches(self.protocol, url)) return false;
  const h = url.hostname.toLowerCase();
  const want = host.toLowerCase();
  if (want.startsWith('*.') ? !h.endsWith(want.slice(1)) : want !== '*' && want !== h) return false;
  const urlPort = url.port || DEFAULT_PORT[url.protocol] || '';
  const wantPort = port ?? DEFAULT_PORT[scheme?.toLowerCase() ?? url.protocol] ?? '';
  if (port !== '*' && wantPort !== urlPort && !(port === undefined && scheme === 'http:' && url.protocol === 'https:')) return false;
  if (path && path !== '/') return path.endsWith('/') ? url.pathname.startsWith(path) : url.pathname === path;
  return true;
}

export function sourceAllows(source: string, url: URL, self: URL): boolean {
  const s = source.trim();
  if (s === "'self'") return url.origin === self.origin;
  if (s === '*') return /^(https?|wss?):$/.test(url.protocol);
  if (/^[a-z][a-z0-9+.-]*:$/i.test(s)) return schemeMatches(s.toLowerCase(), url);
  if (s.startsWith("'")) return false;
  return hostSourceMatches(s, url, self);
}

/** The policy of the page's meta tag, if any. */
export function metaPolicy(doc: Pick<Document, 'querySelector'> = document): string | undefined {
  return doc.querySelector('meta[http-equiv="Content-Security-Policy" i]')?.getAttribute('content') ?? undefined;
}

/** The origin of `target` when the policy forbids connecting to it; undefined when allowed. */
export function blockedByPolicy(target: string, policy: string | undefined, selfHref: string): string | undefined {
  if (!policy) return undefined;
  const sources = connectSources(policy);
  if (!sources) return undefined;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const self = new URL(selfHref);
  return sources.some((s) => sourceAllows(s, url, self)) ? undefined : url.origin;
}

/**
 * The token endpoint fhirclient's authorize() recorded for this launch (its sessionStorage state:
 * `SMART_KEY` names the state's key, the state holds `tokenUri`), read after an authorize with
 * `noRedirect` and before the browser leaves for the EHR's sign-in.
 */
export function storedTokenUri(storage: Pick<Storage, 'getItem'> = sessionStorage): string | undefined {
  try {
    const key = JSON.parse(storage.getItem('SMART_KEY') ?? 'null') as unknown;
    if (typeof key !== 'string') return undefined;
    const state = JSON.parse(storage.getItem(key) ?? 'null') as { tokenUri?: unknown } | null;
    return typeof state?.tokenUri === 'string' ? state.tokenUri : undefined;
  } catch {
    return undefined;
  }
}
