/**
 * The pages' Content-Security-Policy `connect-src` (index.html and launch/index.html carry
 * `connect-src 'self' %VITE_CSP_CONNECT_SRC%`), filled by this Vite plugin before Vite's own env
 * replacement:
 * - development server (`npm start`): VITE_CSP_CONNECT_SRC plus the SMART App Launcher's origin, so
 *   the README's launcher path works with the shipped configuration (the launcher's FHIR server and
 *   authorization server are both on https://launch.smarthealthit.org). The preview server serves
 *   the production build as built.
 * - production build: VITE_CSP_CONNECT_SRC only. Left empty, the pages connect to their own origin
 *   only — right for the local sandbox, blocking for any real EHR — so the build says so (a warning
 *   naming the setting); a token that is not an http(s) or ws(s) origin is warned about too.
 * Build configuration only: never in the bundle.
 */
import { loadEnv, type Plugin } from 'vite';

export const CSP_PLACEHOLDER = '%VITE_CSP_CONNECT_SRC%';
/** Origins the development server allows besides VITE_CSP_CONNECT_SRC: the SMART App Launcher. */
export const DEV_CONNECT_ORIGINS = ['https://launch.smarthealthit.org'];

/** The tokens of a connect-src list that are not origins (scheme://host[:port]). */
export function nonOrigins(value: string): string[] {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .filter((token) => {
      try {
        const u = new URL(token);
        return !/^(https?|wss?):$/.test(u.protocol) || u.origin !== token.replace(/\/+$/, '');
      } catch {
        return true;
      }
    });
}

export function connectSrcFor(command: 'serve' | 'build', configured: string): string {
  const own = configured.split(/\s+/).filter(Boolean);
  const extra = command === 'serve' ? DEV_CONNECT_ORIGINS.filter((o) => !own.includes(o)) : [];
  return [...own, ...extra].join(' ');
}

export function buildWarnings(configured: string): string[] {
  const warnings: string[] = [];
  if (!configured.trim()) {
    warnings.push(
      "VITE_CSP_CONNECT_SRC is empty: the built pages may connect to their own origin only, so a launch from an EHR on another origin (Epic, Oracle Health, the SMART App Launcher) will be blocked by the Content-Security-Policy. Set it to the EHR's FHIR and authorization origins (README, Configuration).",
    );
  }
  const bad = nonOrigins(configured);
  if (bad.length) warnings.push(`VITE_CSP_CONNECT_SRC holds tokens that are not origins (scheme://host[:port]): ${bad.join(' ')}`);
  return warnings;
}

export function cspConnectSrcPlugin(): Plugin {
  let value = '';
  return {
    name: 'csp-connect-src',
    configResolved(config) {
      const envDir = typeof config.envDir === 'string' ? config.envDir : config.root;
      const configured = loadEnv(config.mode, envDir, 'VITE_').VITE_CSP_CONNECT_SRC ?? '';
      const command = config.command === 'serve' && !config.isProduction ? 'serve' : 'build';
      value = connectSrcFor(command, configured);
      if (config.command === 'build') for (const w of buildWarnings(configured)) config.logger.warn(`\n(!) ${w}\n`);
    },
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.split(CSP_PLACEHOLDER).join(value),
    },
  };
}
