/**
 * The EHR's look (src/smart/style.ts, src/app/ehr-style.ts): only SMART's style keys, only plain
 * colours, lengths and font lists, set as CSS custom properties; never CSS text; a style that cannot
 * be fetched or read changes nothing.
 */
// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { customProperty, isColour, isFontList, isLength, parseSmartStyle, SMART_STYLE_KEYS, styleUrl } from '../../../src/smart/style';
import { applyEhrStyle, applyProperties } from '../../../src/app/ehr-style';

describe('values', () => {
  it.each(['#fff', '#F6F7F9', '#1a5a96cc', 'rgb(0, 0, 0)', 'rgba(0,0,0,0.4)', 'rgb(10% 20% 30% / 50%)', 'rgb(1 2 3)', 'hsl(210, 50%, 40%)', 'hsla(210deg 50% 40% / 0.5)'])(
    'colour %s is accepted',
    (v) => expect(isColour(v)).toBe(true),
  );
  it.each([
    'red',
    'transparent',
    '#ggg',
    '#12345',
    'rgb(0,0,0);background:url(https://evil.example/x)',
    'rgb(var(--x),0,0)',
    'rgb(calc(1),0,0)',
    'url(https://evil.example/a.png)',
    'expression(alert(1))',
    '#fff;}body{display:none',
    'rgb(10%, 20, 30)',
    'hsl(10, 20, 30)',
    '',
  ])('colour %j is refused', (v) => expect(isColour(v)).toBe(false));

  it.each(['4px', '0.5rem', '1.2em', '100%', '16px', '.5em'])('length %s is accepted', (v) => expect(isLength(v)).toBe(true));
  it.each(['4', '-4px', '4 px', '4pt', 'calc(1px + 2px)', 'var(--x)', '4px !important', '1e3px'])('length %j is refused', (v) =>
    expect(isLength(v)).toBe(false),
  );

  it.each(['system-ui, -apple-system, "Segoe UI", Roboto, sans-serif', 'Arial', "'Helvetica Neue', Arial", 'Open Sans, sans-serif'])(
    'font list %s is accepted',
    (v) => expect(isFontList(v)).toBe(true),
  );
  it.each([
    'Arial; background: red',
    'Arial}body{color:red',
    '"Unclosed, Arial',
    'url(x)',
    'Arial, , serif',
    '"a"b"',
    'Arial /* comment */',
    'var(--x)',
    '2Fast, serif',
    'Ärial',
    '',
  ])('font list %j is refused', (v) => expect(isFontList(v)).toBe(false));
});

describe('parseSmartStyle', () => {
  it('keeps the known keys with valid values, as custom properties', () => {
    const style = parseSmartStyle({
      color_background: '#f6f7f9',
      color_text: 'rgb(27, 31, 36)',
      dim_border_radius: '4px',
      font_family_body: 'system-ui, "Segoe UI", sans-serif',
      font_family_heading: ' Georgia, serif ',
    });
    expect(style.properties).toEqual({
      '--ehr-color-background': '#f6f7f9',
      '--ehr-color-text': 'rgb(27, 31, 36)',
      '--ehr-dim-border-radius': '4px',
      '--ehr-font-family-body': 'system-ui, "Segoe UI", sans-serif',
      '--ehr-font-family-heading': 'Georgia, serif',
    });
    expect(style.rejected).toEqual([]);
  });

  it('drops unknown keys and invalid values, naming the keys only', () => {
    const style = parseSmartStyle({
      color_background: 'url(https://evil.example/track.png)',
      color_text: '#000',
      dim_font_size: 'calc(100vw)',
      font_family_body: 'Arial; } body { display: none',
      css: 'body { display: none }',
      color_error: 12,
      __proto__: '#fff',
      constructor: '#fff',
    });
    expect(style.properties).toEqual({ '--ehr-color-text': '#000' });
    expect(style.rejected).toEqual(['color_background', 'dim_font_size', 'font_family_body', 'unknown key', 'color_error', 'unknown key']);
    expect(JSON.stringify(style.rejected)).not.toContain('evil');
  });

  it.each([null, undefined, 'text', 42, [], ['#fff']])('applies nothing from %j', (doc) => {
    expect(parseSmartStyle(doc).properties).toEqual({});
  });

  it('knows exactly the style keys of SMART App Launch', () => {
    expect(Object.keys(SMART_STYLE_KEYS).sort()).toEqual([
      'color_background',
      'color_error',
      'color_highlight',
      'color_modal_backdrop',
      'color_success',
      'color_text',
      'dim_border_radius',
      'dim_font_size',
      'dim_spacing_size',
      'font_family_body',
      'font_family_heading',
    ]);
    expect(customProperty('color_modal_backdrop')).toBe('--ehr-color-modal-backdrop');
  });
});

describe('styleUrl', () => {
  const allowed = ['https://app.example', 'https://ehr.example/fhir/R4', 'https://auth.example/oauth2/token', undefined];
  it('accepts http(s) URLs on the app or the EHR origins', () => {
    expect(styleUrl('https://ehr.example/styles/app.json', allowed)?.href).toBe('https://ehr.example/styles/app.json');
    expect(styleUrl('https://auth.example/style', allowed)).toBeDefined();
    expect(styleUrl('https://app.example/s.json', allowed)).toBeDefined();
  });
  it.each(['https://tracker.example/s.json', 'javascript:alert(1)', 'data:application/json,{}', 'not a url', 42, undefined, 'http://ehr.example/s.json'])(
    'refuses %j',
    (raw) => expect(styleUrl(raw, allowed)).toBeUndefined(),
  );
});

describe('applyEhrStyle', () => {
  const root = (): HTMLElement => document.createElement('div');
  const session = (style?: unknown) => ({
    serverUrl: 'http://localhost:3000/fhir',
    tokenUri: 'http://localhost:3000/auth/token',
    tokenResponse: style === undefined ? {} : { smart_style_url: style },
  });
  const json = (body: unknown, status = 200): typeof fetch =>
    vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('sets the accepted values on the root, and logs the dropped keys without their values', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const el = root();
    const fetchFn = json({ color_background: '#f6f7f9', font_family_body: 'Arial, sans-serif', color_text: 'url(https://evil.example/)' });
    const n = await applyEhrStyle(session('http://localhost:3000/sandbox/smart-style.json'), fetchFn, el);
    expect(n).toBe(2);
    expect(el.style.getPropertyValue('--ehr-color-background')).toBe('#f6f7f9');
    expect(el.style.getPropertyValue('--ehr-font-family-body')).toBe('Arial, sans-serif');
    expect(el.style.getPropertyValue('--ehr-color-text')).toBe('');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('color_text');
    expect(String(warn.mock.calls[0]![0])).not.toContain('evil');
  });

  it('does nothing without smart_style_url, and fetches nothing', async () => {
    const fetchFn = json({});
    expect(await applyEhrStyle(session(), fetchFn, root())).toBe(0);
    expect(fetchFn).not.toHaveBeenCalled();
  });

  it('fetches nothing from a host that is not the EHR or the app', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const fetchFn = json({ color_background: '#000' });
    expect(await applyEhrStyle(session('https://tracker.example/style.json'), fetchFn, root())).toBe(0);
    expect(fetchFn).not.toHaveBeenCalled();
    expect(String(warn.mock.calls[0]![0])).not.toContain('tracker');
  });

  it.each([
    ['an HTTP error', json({ color_background: '#000' }, 404)],
    ['a body that is not JSON', vi.fn(async () => new Response('<html>', { status: 200 })) as unknown as typeof fetch],
    ['a network error', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))) as unknown as typeof fetch],
  ])('changes nothing after %s, and says so in the console only', async (_, fetchFn) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const el = root();
    await expect(applyEhrStyle(session('http://localhost:3000/style.json'), fetchFn, el)).resolves.toBe(0);
    expect(el.getAttribute('style')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).not.toContain('localhost');
  });

  it('applies nothing the browser does not read as a value of its kind', () => {
    const el = root();
    // jsdom has no CSS.supports: the browser's answer is given here (Chromium's is used in the e2e test).
    const supports = vi.fn((prop: string, value?: string) => !(prop === 'color' && value === '#abc'));
    vi.stubGlobal('CSS', { supports });
    expect(applyProperties({ '--ehr-color-text': '#abc', '--ehr-dim-border-radius': '4px' }, el)).toBe(1);
    expect(supports).toHaveBeenCalledWith('border-top-width', '4px');
    expect(el.style.getPropertyValue('--ehr-color-text')).toBe('');
  });
});
