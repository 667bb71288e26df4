/**
 * The bundle shims for fhirclient's dependencies (aliased in vite.config.ts for the browser build):
 * the base64 shim must give exactly what js-base64 gives for the calls fhirclient makes; the debug
 * shim must be silent whatever is enabled.
 */
import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import * as jsBase64 from 'js-base64';
import * as shim from '../../../src/smart/base64-shim';
import createDebug from '../../../src/smart/debug-shim.cjs';

describe('base64 shim = js-base64', () => {
  it('fromUint8Array (plain and URL-safe), for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, urlsafe) => {
        expect(shim.fromUint8Array(bytes, urlsafe)).toBe(jsBase64.fromUint8Array(bytes, urlsafe));
      }),
    );
  });

  it('encodeURL and decode, for any text (UTF-8, including astral characters)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const encoded = shim.encodeURL(text);
        expect(encoded).toBe(jsBase64.encodeURL(text));
        expect(shim.decode(encoded)).toBe(text);
        expect(shim.decode(jsBase64.encode(text))).toBe(jsBase64.decode(jsBase64.encode(text)));
      }),
    );
  });

  it('decodes a JWT payload the way fhirclient needs it', () => {
    const payload = { fhirUser: 'Practitioner/123', name: 'Dr Ängström', exp: 1700000000 };
    const segment = jsBase64.encodeURL(JSON.stringify(payload));
    expect(JSON.parse(shim.decode(segment))).toEqual(payload);
  });

  it('a 64 kB buffer (PKCE verifiers are 96 bytes; no call-stack limit either way)', () => {
    const bytes = new Uint8Array(65_536).map((_, i) => i % 251);
    expect(shim.fromUint8Array(bytes, true)).toBe(jsBase64.fromUint8Array(bytes, true));
  });
});

describe('debug shim', () => {
  it('is the function itself (fhirclient calls require("debug")("FHIR") without interop)', () => {
    expect(typeof createDebug).toBe('function');
    expect(typeof createDebug('FHIR').extend('oauth2')).toBe('function');
  });

  it('every logger (and extension) is a silent no-op', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m).mockImplementation(() => {}));
    const log = createDebug();
    const child = log.extend('client').extend('request');
    log('token %O', { access_token: 'secret' });
    child('url %s', 'https://ehr/Patient/123');
    expect(log.enabled).toBe(false);
    expect(child.enabled).toBe(false);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});
