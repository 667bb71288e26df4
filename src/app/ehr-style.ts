/**
 * Applies the EHR's look when the launch names one (`smart_style_url`): fetches the style document
 * from the EHR, keeps what src/smart/style.ts accepts and what the browser reads as a valid value
 * of that kind, and sets it as CSS custom properties on the document root, which panel.css reads
 * with its own values as fallbacks. Loaded by dynamic import after the launch, while the record
 * loads: a launch without a style never fetches this code.
 *
 * The panel does not depend on it: a style that cannot be fetched or read leaves the panel in its
 * own look, and the clinician is not told (nothing to act on). The console says why, in a fixed
 * sentence: no URL, no values, nothing from the record.
 */
import type { SmartSession } from '../smart/types';
import { parseSmartStyle, SMART_STYLE_KEYS, styleUrl } from '../smart/style';

const PROBE: Record<string, string> = { color: 'color', length: 'border-top-width', fonts: 'font-family' };

/** Whether the browser reads `value` as a valid value of the property's kind (where CSS.supports exists). */
function supported(property: string, value: string): boolean {
  if (typeof CSS === 'undefined' || typeof CSS.supports !== 'function') return true;
  const key = property.replace(/^--ehr-/, '').replace(/-/g, '_');
  const probe = PROBE[SMART_STYLE_KEYS[key] ?? ''];
  return probe ? CSS.supports(probe, value) : false;
}

/** Sets the accepted properties on `root`; returns how many were set. */
export function applyProperties(properties: Record<string, string>, root: HTMLElement = document.documentElement): number {
  let n = 0;
  for (const [name, value] of Object.entries(properties)) {
    if (!supported(name, value)) continue;
    // CSSOM, not a style attribute or a <style> element: the CSP (style-src 'self') holds.
    root.style.setProperty(name, value);
    n++;
  }
  return n;
}

function warn(message: string): void {
  console.warn(`EHR style: ${message}`);
}

/**
 * Fetches and applies the launch's style document, if any. Never rejects. Resolves to the number of
 * properties applied (0 when there is no style, or it could not be used).
 */
export async function applyEhrStyle(
  session: Pick<SmartSession, 'serverUrl' | 'tokenResponse'> & { tokenUri?: string },
  fetchFn: typeof fetch = fetch,
  root?: HTMLElement,
): Promise<number> {
  const raw = session.tokenResponse.smart_style_url;
  if (raw === undefined) return 0;
  const url = styleUrl(raw, [location.origin, session.serverUrl, session.tokenUri]);
  if (!url) {
    warn('smart_style_url is not an http(s) URL of the EHR or the app; the panel keeps its own look');
    return 0;
  }
  let doc: unknown;
  try {
    const response = await fetchFn(url.href, { credentials: 'omit', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) {
      warn(`the style document answered HTTP ${response.status}; the panel keeps its own look`);
      return 0;
    }
    doc = await response.json();
  } catch {
    warn('the style document could not be fetched or is not JSON; the panel keeps its own look');
    return 0;
  }
  const style = parseSmartStyle(doc);
  if (style.rejected.length > 0) warn(`not applied (not a SMART style key, or not a plain colour, length or font list): ${[...new Set(style.rejected)].join(', ')}`);
  return applyProperties(style.properties, root);
}
