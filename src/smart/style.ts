/**
 * The EHR's look (SMART App Launch "styling": the token response's `smart_style_url` names a JSON
 * document of colours, dimensions and fonts). Pure checking: only the keys SMART defines are read,
 * and each value must be a colour, a length or a font-family list of a plain form; anything else is
 * dropped. What passes becomes a CSS custom property (`color_background` → `--ehr-color-background`)
 * that the stylesheet reads with its own value as the fallback: no CSS text from the EHR is ever
 * injected, and a value the check lets through can only be a colour, a length or font names.
 */

type Kind = 'color' | 'length' | 'fonts';

/** The style keys of SMART App Launch 2.x, and what each must be. */
export const SMART_STYLE_KEYS: Readonly<Record<string, Kind>> = {
  color_background: 'color',
  color_error: 'color',
  color_highlight: 'color',
  color_modal_backdrop: 'color',
  color_success: 'color',
  color_text: 'color',
  dim_border_radius: 'length',
  dim_font_size: 'length',
  dim_spacing_size: 'length',
  font_family_body: 'fonts',
  font_family_heading: 'fonts',
};

const NUM = String.raw`(?:\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})`;
const PCT = `${NUM}%`;
const ALPHA = `(?:${NUM}%?)`;
const HUE = `${NUM}(?:deg)?`;
const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
// rgb()/rgba() and hsl()/hsla(), with commas (legacy) or spaces and "/ alpha" (CSS Color 4), numbers only.
const RGB = new RegExp(
  `^rgba?\\(\\s*(?:${NUM}\\s*,\\s*${NUM}\\s*,\\s*${NUM}|${PCT}\\s*,\\s*${PCT}\\s*,\\s*${PCT})(?:\\s*,\\s*${ALPHA})?\\s*\\)$|` +
    `^rgba?\\(\\s*(?:${NUM}\\s+${NUM}\\s+${NUM}|${PCT}\\s+${PCT}\\s+${PCT})(?:\\s*/\\s*${ALPHA})?\\s*\\)$`,
  'i',
);
const HSL = new RegExp(
  `^hsla?\\(\\s*${HUE}\\s*,\\s*${PCT}\\s*,\\s*${PCT}(?:\\s*,\\s*${ALPHA})?\\s*\\)$|` +
    `^hsla?\\(\\s*${HUE}\\s+${PCT}\\s+${PCT}(?:\\s*/\\s*${ALPHA})?\\s*\\)$`,
  'i',
);
const LENGTH = new RegExp(`^${NUM}(?:px|em|rem|%)$`, 'i');
// One family: quoted words, or unquoted identifiers ("Segoe UI", -apple-system, sans-serif).
const QUOTED_FAMILY = /^(?:"[A-Za-z0-9 -]{1,60}"|'[A-Za-z0-9 -]{1,60}')$/;
const WORD = /^-?[A-Za-z][A-Za-z0-9-]{0,40}$/;

export function isColour(v: string): boolean {
  return HEX.test(v) || RGB.test(v) || HSL.test(v);
}

export function isLength(v: string): boolean {
  return LENGTH.test(v);
}

export function isFontList(v: string): boolean {
  if (v.length > 300) return false;
  const families = v.split(',').map((f) => f.trim());
  return families.length <= 12 && families.every((f) => QUOTED_FAMILY.test(f) || (f !== '' && f.split(/\s+/).every((w) => WORD.test(w))));
}

const CHECK: Record<Kind, (v: string) => boolean> = { color: isColour, length: isLength, fonts: isFontList };

/** `color_background` → `--ehr-color-background`. */
export function customProperty(key: string): string {
  return `--ehr-${key.replace(/_/g, '-')}`;
}

export interface SmartStyle {
  /** CSS custom property → value, for the keys whose values passed. */
  properties: Record<string, string>;
  /** Keys dropped: unknown keys, or values of the wrong form (names only; never their values). */
  rejected: string[];
}

/** Reads a style document: what can be applied and what was dropped. Anything not an object applies nothing. */
export function parseSmartStyle(doc: unknown): SmartStyle {
  const out: SmartStyle = { properties: {}, rejected: [] };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [key, raw] of Object.entries(doc as Record<string, unknown>)) {
    const kind = Object.prototype.hasOwnProperty.call(SMART_STYLE_KEYS, key) ? SMART_STYLE_KEYS[key] : undefined;
    const value = typeof raw === 'string' ? raw.trim() : undefined;
    if (kind && value !== undefined && CHECK[kind](value)) out.properties[customProperty(key)] = value;
    else out.rejected.push(kind ? key : 'unknown key');
  }
  return out;
}

/**
 * The style document's URL, when it may be fetched: http(s), on the app's own origin or one of the
 * EHR's (its FHIR server's, its token endpoint's), which are the only hosts the app talks to (and
 * those the page's Content-Security-Policy allows). Undefined otherwise.
 */
export function styleUrl(raw: unknown, allowedOrigins: readonly (string | undefined)[]): URL | undefined {
  if (typeof raw !== 'string' || raw.length > 2000) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const origins = new Set<string>();
  for (const o of allowedOrigins) {
    try {
      if (o) origins.add(new URL(o).origin);
    } catch {
      // not a URL: allows nothing
    }
  }
  return origins.has(url.origin) ? url : undefined;
}
