/**
 * The app's one SMART configuration, from Vite env variables (set them in `.env.local`, or in the
 * environment of `npm run build` / `npm start`):
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | `VITE_SMART_CLIENT_ID` | `nephrocalcinosis-workup` | the client id registered with the EHR |
 * | `VITE_SMART_SCOPE_VERSION` | `v1` | `v1` → `patient/Observation.read`; `v2` → `patient/Observation.rs` |
 * | `VITE_SMART_SCOPES` | (built, see `buildScopes`) | replaces the whole scope string when set |
 * | `VITE_SMART_SESSION` | `online` | `online` asks `online_access`, `offline` asks `offline_access`, `none` asks neither |
 * | `VITE_SMART_REDIRECT_URI` | `../` | resolved against the launch page (`/launch/`), i.e. the app's index page |
 * | `VITE_SMART_PKCE` | `ifSupported` | fhirclient's `pkceMode`: `ifSupported` or `required` (never disabled) |
 * | `VITE_SMART_ALLOWED_ISS` | (any) | space-separated FHIR base URLs the launch page accepts as `iss`; others are refused |
 *
 * Decisions:
 * - Scope version v1 by default: every EHR in use today (Epic, Oracle Health, the SMART App Launcher)
 *   accepts v1 `.read` scopes; v2 `.rs` is a switch for servers that ask for it.
 * - `online_access` rather than `offline_access`: the app is used inside a chart session, so a refresh
 *   token that lives only as long as the clinician's EHR session is what it needs; EHRs are far more
 *   willing to grant it (Epic grants `offline_access` only to specially configured apps), and it
 *   never leaves a long-lived credential in the browser. fhirclient refreshes with it automatically.
 * - PKCE S256 is fhirclient's default (`ifSupported`: used whenever the server advertises S256, as
 *   Epic, Oracle Health, the SMART App Launcher and the local sandbox all do). `required` refuses to
 *   launch against a server that does not advertise it.
 * - Standalone launch (the URL has `iss` but no `launch`) asks `launch/patient` (patient picker)
 *   instead of `launch`.
 * - `iss` comes from the URL, so anyone can craft a launch link to a server of their choosing. In
 *   production, list the EHR(s) in VITE_SMART_ALLOWED_ISS (and in the CSP's connect-src, which
 *   blocks the rest at the browser level); left empty, any https/http server is accepted (the SMART
 *   App Launcher and the local sandbox need that).
 */
import type { ClinicalResourceType } from '../clinical/model';
import { CLINICAL_RESOURCE_TYPES } from '../clinical/model';

export type ScopeVersion = 'v1' | 'v2';
export type SessionAccess = 'online' | 'offline' | 'none';
export type PkceMode = 'ifSupported' | 'required';
export type LaunchKind = 'ehr' | 'standalone';

/** The resource types the app reads: the patient and every clinical type the data layer queries. */
export const READ_RESOURCE_TYPES: readonly ('Patient' | ClinicalResourceType)[] = [
  'Patient',
  ...CLINICAL_RESOURCE_TYPES,
];

export const DEFAULT_CLIENT_ID = 'nephrocalcinosis-workup';

export interface ScopeOptions {
  /** `ehr` (iss + launch) asks `launch`; `standalone` (iss only) asks `launch/patient`. */
  launch: LaunchKind;
  version?: ScopeVersion;
  session?: SessionAccess;
  /** Replaces the built scope string entirely (trimmed, whitespace collapsed) when non-empty. */
  override?: string;
}

/** Pure: the scope string the app asks for. */
export function buildScopes(options: ScopeOptions): string {
  const override = options.override?.trim();
  if (override) return override.split(/\s+/).join(' ');
  const version = options.version ?? 'v1';
  const session = options.session ?? 'online';
  const suffix = version === 'v2' ? 'rs' : 'read';
  const scopes = [options.launch === 'ehr' ? 'launch' : 'launch/patient', 'openid', 'fhirUser'];
  if (session === 'online') scopes.push('online_access');
  if (session === 'offline') scopes.push('offline_access');
  for (const type of READ_RESOURCE_TYPES) scopes.push(`patient/${type}.${suffix}`);
  return scopes.join(' ');
}

export interface SmartConfig {
  clientId: string;
  version: ScopeVersion;
  session: SessionAccess;
  /** Full scope string override (VITE_SMART_SCOPES), if any. */
  scopeOverride?: string;
  /** As configured: absolute, or relative to the launch page. */
  redirectUri: string;
  pkceMode: PkceMode;
  /** FHIR base URLs accepted as `iss` (compared without trailing slashes); empty: any. */
  allowedIss: string[];
}

type Env = Record<string, string | boolean | undefined>;

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  const v = typeof value === 'string' ? value.trim() : '';
  return (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

function text(value: unknown): string | undefined {
  const v = typeof value === 'string' ? value.trim() : '';
  return v || undefined;
}

/** Reads the configuration; `env` defaults to Vite's `import.meta.env` (tests pass their own). */
export function readSmartConfig(env: Env = import.meta.env as Env): SmartConfig {
  const scopeOverride = text(env.VITE_SMART_SCOPES);
  return {
    clientId: text(env.VITE_SMART_CLIENT_ID) ?? DEFAULT_CLIENT_ID,
    version: pick(env.VITE_SMART_SCOPE_VERSION, ['v1', 'v2'] as const, 'v1'),
    session: pick(env.VITE_SMART_SESSION, ['online', 'offline', 'none'] as const, 'online'),
    ...(scopeOverride ? { scopeOverride } : {}),
    redirectUri: text(env.VITE_SMART_REDIRECT_URI) ?? '../',
    pkceMode: pick(env.VITE_SMART_PKCE, ['ifSupported', 'required'] as const, 'ifSupported'),
    allowedIss: (text(env.VITE_SMART_ALLOWED_ISS) ?? '').split(/\s+/).filter(Boolean),
  };
}

export function scopesFor(config: SmartConfig, launch: LaunchKind): string {
  return buildScopes({
    launch,
    version: config.version,
    session: config.session,
    ...(config.scopeOverride ? { override: config.scopeOverride } : {}),
  });
}

const bare = (url: string) => url.trim().replace(/\/+$/, '');

/** Whether the launch page may connect to `iss` (always, when no allow-list is configured). */
export function issAllowed(iss: string, config: SmartConfig): boolean {
  return config.allowedIss.length === 0 || config.allowedIss.some((allowed) => bare(allowed) === bare(iss));
}
