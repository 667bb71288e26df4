// Stands in for `isomorphic-webcrypto` (fhirclient's fallback) in the browser bundle: every browser
// the app supports has WebCrypto with SHA-256 for PKCE, so the polyfill and its React Native/Expo
// peers are dead weight. Aliased in vite.config.ts.
export default globalThis.crypto;
