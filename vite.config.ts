/// <reference types="vitest/config" />
import { defineConfig, type PluginOption } from 'vite';
import { fileURLToPath } from 'node:url';
import { cspConnectSrcPlugin } from './src/build/csp-plugin';
import { siteCodesPlugin } from './src/build/site-codes-plugin';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(async ({ command, isPreview }) => {
  // The pages' CSP connect-src: VITE_CSP_CONNECT_SRC, plus the SMART App Launcher on the dev server;
  // a production build without EHR origins says so (src/build/csp-plugin.ts).
  const plugins: PluginOption[] = [
    cspConnectSrcPlugin(),
    // A site's terminology map in public/ is checked when the app is built (docs/site-codes.md).
    siteCodesPlugin(),
    {
      // Vite wraps every dynamic import in a helper that preloads the lazy chunk's own imports and
      // CSS in parallel (0.35 kB gz on the app page). The app's lazy chunks (error screens, the trend
      // chart, copy to note, the heavy-record worker client) import only what the page already has
      // and carry no CSS: there is nothing to preload, so the helper is replaced by a plain call.
      name: 'app:no-preload-helper',
      enforce: 'pre',
      apply: 'build',
      load(id) {
        return id === '\0vite/preload-helper.js' ? 'export const __vitePreload = (load) => load();' : undefined;
      },
    },
  ];
  // The local SMART sandbox (authorization server + FHIR API) plays the EHR on the same port for
  // `npm start` (dev) and `vite preview` (production build, used by e2e and the benchmark).
  // It is loaded only here, by the dev/preview server: it never enters the production bundle.
  if ((command === 'serve' || isPreview) && !process.env.VITEST && process.env.SANDBOX !== 'off') {
    const { sandboxPlugin } = await import('./src/sandbox/vite-plugin');
    plugins.push(sandboxPlugin());
  }
  // Browser shims for fhirclient's dependencies, for the app's bundles. Not under Vitest: the shim
  // tests compare each shim with the real package, so the real one must stay resolvable there.
  const browserShims: Record<string, string> = process.env.VITEST
    ? {}
    : {
        // fhirclient's logger: a no-op, so a `localStorage.debug` setting can never print tokens,
        // and 2.7 kB gz less on the app page.
        debug: fileURLToPath(new URL('./src/smart/debug-shim.cjs', import.meta.url)),
        // fhirclient's base64 helpers: the browser's btoa/atob do the job (1.8 kB gz less).
        'js-base64': fileURLToPath(new URL('./src/smart/base64-shim.ts', import.meta.url)),
      };
  return {
    plugins,
    // JSX through Preact's `h` (already in its core) rather than the automatic runtime, whose
    // `preact/jsx-runtime` module would ship too (0.2 kB gz). tsconfig keeps "react-jsx" for the
    // types; the DOM Preact renders is the same either way (checked by the UI and e2e suites).
    esbuild: {
      jsx: 'transform' as const,
      jsxFactory: 'h',
      jsxFragment: 'Fragment',
      jsxInject: `import { h, Fragment } from 'preact'`,
    },
    define: {
      // fhirclient's lean browser build: use the browser's fetch and no polyfills.
      FHIRCLIENT_PURE: 'true',
    },
    resolve: {
      alias: {
        // fhirclient's fallback crypto: the browser's own WebCrypto is enough (PKCE S256).
        'isomorphic-webcrypto': fileURLToPath(new URL('./src/smart/webcrypto-shim.ts', import.meta.url)),
        ...browserShims,
      },
    },
    // cors: false — Vite's own CORS middleware (localhost origins) would answer every preflight
    // before the plugins' middlewares: the CDS service (src/cds/cors.ts) allows only the origins of
    // CDS_ALLOWED_ORIGINS, and the app, the sandbox and its FHIR API are all on one origin.
    server: {
      host: process.env.HOST ?? '127.0.0.1',
      port: Number(process.env.PORT ?? 5173),
      cors: false,
    },
    preview: {
      host: process.env.HOST ?? '127.0.0.1',
      port: Number(process.env.PORT ?? 5173),
      cors: false,
    },
    build: {
      target: 'es2022',
      sourcemap: false,
      // No modulepreload polyfill (0.3 kB gz): every browser an EHR embeds supports modulepreload,
      // and a browser that did not would still load the chunks, only without the preload hint.
      modulePreload: { polyfill: false },
      // Terser rather than esbuild for minification (terser is a devDependency): 1.35 kB gz less on
      // the app page (44.59 -> 43.24 kB, measured side by side on 2026-11-24), 0.6 kB less on the
      // launch page. Two compress passes and ES2020 output (the build targets ES2022 anyway; no
      // Safari 10 workarounds) are worth 0.27 kB of that. Slower builds (seconds), same behaviour:
      // the unit, budget and e2e suites run on this output.
      minify: 'terser' as const,
      terserOptions: { ecma: 2020 as const, safari10: false, compress: { passes: 2 } },
      // fhirclient is CommonJS: its modules are well-behaved (no require cycles that depend on
      // lazy evaluation; the one conditional require, the polyfills, is removed by FHIRCLIENT_PURE),
      // so they are hoisted without per-module lazy wrappers (0.3 kB gz less). Its require() of the
      // ES-module shims below returns their namespace as is (fhirclient reads only their named
      // exports and `.default`), without the interop wrapper that copies it (0.15 kB gz less).
      commonjsOptions: { strictRequires: false, requireReturnsDefault: 'namespace' as const },
      rollupOptions: {
        input: {
          app: `${root}index.html`,
          launch: `${root}launch/index.html`,
        },
      },
    },
    test: {
      include: ['test/**/*.test.{ts,tsx}'],
      exclude: ['test/e2e/**', 'node_modules/**'],
      environment: 'node',
      testTimeout: 20_000,
    },
  };
});
