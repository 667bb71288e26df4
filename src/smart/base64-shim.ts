/**
 * Stands in for `js-base64` inside fhirclient's browser bundle (aliased in vite.config.ts): the three
 * functions fhirclient 2.6.3 uses (PKCE verifier/challenge, id_token decoding), on the browser's own
 * btoa/atob and TextEncoder/TextDecoder. Same output as js-base64 (checked against it in
 * test/unit/smart/shims.test.ts); smaller than the package.
 */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Bytes → base64 (URL-safe, without padding, when `urlsafe`). */
export function fromUint8Array(bytes: Uint8Array, urlsafe = false): string {
  const b64 = toBase64(bytes);
  return urlsafe ? b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : b64;
}

/** UTF-8 text → URL-safe base64 without padding. */
export function encodeURL(text: string): string {
  return fromUint8Array(new TextEncoder().encode(text), true);
}

/** Base64 or URL-safe base64 (padding optional) → UTF-8 text. */
export function decode(text: string): string {
  const b64 = text.replace(/[\s=]/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '==='.slice((b64.length + 3) % 4));
  return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}
