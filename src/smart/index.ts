/**
 * The SMART/FHIR layer's public API (the view and the controller import from here).
 * - Launch: `completeLaunch()` on the app page, `launchContext(client)`; the `/launch/` page uses
 *   `readLaunchParams` + `authorizeOptions`.
 * - Data: `loadRecord(client, options)` → `LoadedRecord` (one parallel wave, per-type statuses),
 *   `mergeRecords(previous, retry)` after a retry of the failed types.
 */
export { completeLaunch, launchContext, cleanLaunchUrl, LaunchError } from './launch';
export type { LaunchErrorKind, LaunchContext, CompleteLaunchOptions } from './launch';
export { loadRecord, mergeRecords, failuresFrom, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_PAGES } from './load';
export type { LoadedRecord, LoadOptions, LoadState, ResourceLoadStatus } from './types';
export { buildScopes, readSmartConfig, scopesFor, issAllowed, READ_RESOURCE_TYPES, DEFAULT_CLIENT_ID } from './config';
export type { SmartConfig, ScopeOptions, ScopeVersion, SessionAccess, LaunchKind } from './config';
export { readLaunchParams, authorizeOptions, isLaunchParams, describeAuthorizeError, sanitisedLaunchUrl } from './authorize';
export type { LaunchParams, LaunchPageProblem } from './authorize';
export { buildQueries, groupCodes, normaliseCodes } from './queries';
export type { SearchQuery } from './queries';
export type { Client } from './fhir';
