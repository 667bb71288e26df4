/** The data layer's contract with the view and the controller. Types only. */
import type { FhirResource, Patient } from 'fhir/r4';
import type { ClinicalResourceType, LoadFailure } from '../clinical/model';
import type { SearchPlanCapabilities } from './queries';

export type LoadState = 'pending' | 'loaded' | 'forbidden' | 'failed' | 'timeout';

/** How one resource type fared (Patient included). Never carries patient data. */
export interface ResourceLoadStatus {
  resourceType: ClinicalResourceType | 'Patient';
  /**
   * loaded: every page arrived; forbidden: 401/403; failed: any other HTTP error, malformed JSON, a
   * network error, a paging link that loops, never ends or leaves the EHR; timeout: no answer in time
   * (or the caller stopped waiting).
   */
  state: LoadState;
  /** Distinct resources of this type received so far (grows page by page while pending). */
  count: number;
  /** HTTP status of the failing answer, if there was one. */
  httpStatus?: number;
  /**
   * Plain words: why it failed (with the OperationOutcome text when the server gave one) or, when
   * loaded, what the EHR said it left out (searchset OperationOutcome entries, e.g. Epic's
   * "Outside Record Results" suppressed).
   */
  message?: string;
}

export interface LoadedRecord {
  /**
   * The patient. When the Patient read did not succeed (see the Patient entry of `statuses`) this is
   * a stand-in `{resourceType: 'Patient', id}` with no demographics: the caller should not evaluate.
   */
  patient: Patient;
  /** Every resource received (deduplicated by type/id), including from types that failed part-way. */
  resources: FhirResource[];
  /** The clinical types that did not load completely, for the engine (items read `unknown`). */
  failures: LoadFailure[];
  /** Patient first, then the clinical types queried, in CLINICAL_RESOURCE_TYPES order. */
  statuses: ResourceLoadStatus[];
  /**
   * True when the EHR refused the access token (401) and it could not be refreshed: nothing more can
   * be loaded in this session; the view says "session expired, relaunch from the chart".
   */
  sessionExpired?: boolean;
}

export interface LoadOptions {
  /** Called with a fresh snapshot of all statuses whenever one changes (and once at the start). */
  onProgress?: (statuses: ResourceLoadStatus[]) => void;
  /** Bound for each HTTP request, in ms (default 15000). */
  timeoutMs?: number;
  /** Load just these types (a retry); the Patient is read again too. Merge with `mergeRecords`. */
  only?: readonly ClinicalResourceType[];
  /**
   * Stop waiting: requests still running are cancelled and their types reported `timeout`
   * ("stopped waiting"); `loadRecord` still resolves with what has loaded.
   */
  signal?: AbortSignal;
  /**
   * The catalog's Observation codes, `system|code` or bare LOINC codes (`2951-2`). The data layer
   * knows no clinical codes itself. Without any, Observations are searched by `category=laboratory`.
   */
  observationCodes?: readonly string[];
  /** Extra Observation searches by category (e.g. `laboratory`), for results with local codes only. */
  observationCategories?: readonly string[];
  /** Results per page asked with `_count` (default 200: Oracle Health's maximum). */
  pageSize?: number;
  /** Pages followed per search before giving up and reporting the type failed (default 100). */
  maxPages?: number;
  /** Longest search URL, in characters, when grouping codes (default 1800). */
  maxUrlLength?: number;
  /**
   * What the EHR declares for the Observation search (src/smart/capabilities.ts): one POST search
   * with every code, `combo-code`. Absent: GET URL groups by `code`, which every EHR answers.
   */
  capabilities?: SearchPlanCapabilities;
}

/** The token endpoint's answer as stored (SMART App Launch: access_token, patient, scope...). */
export interface TokenResponse {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  refresh_token?: string;
  patient?: string;
  id_token?: string;
  need_patient_banner?: unknown;
  smart_style_url?: unknown;
  [field: string]: unknown;
}

/**
 * What the data layer and the app page need of a completed SMART launch (src/smart/session.ts
 * implements it on fhirclient's own session-storage state). Nothing else of a SMART client is used
 * on the app page.
 */
export interface SmartSession {
  /** The FHIR base URL (`iss`). */
  readonly serverUrl: string;
  /** The patient in context (`patient` of the token response), or null. */
  readonly patientId: string | null;
  /** The token response as received (and merged with refreshes). Never logged. */
  readonly tokenResponse: Readonly<TokenResponse>;
  /** The EHR's token endpoint, when known (an origin of the EHR, like the FHIR server's). */
  readonly tokenUri?: string;
  /** `Bearer <access token>`, or null when there is none. */
  authorizationHeader(): string | null;
  /** A refresh is possible: refresh token, token endpoint and online_access/offline_access granted. */
  canRefresh(): boolean;
  /** The access token expires within 10 s (or has expired) and `canRefresh()`. */
  needsRefresh(): boolean;
  /**
   * Gets a new access token with the refresh token; parallel calls share one request. On failure
   * the refresh token is forgotten (no loop of failing refreshes) and the promise rejects.
   */
  refresh(signal?: AbortSignal): Promise<void>;
}
