import { describe, expect, it } from 'vitest';
import { buildScopes, issAllowed, readSmartConfig, scopesFor, DEFAULT_CLIENT_ID } from '../../../src/smart/config';

const TYPES = ['Patient', 'Observation', 'Condition', 'MedicationRequest', 'MedicationStatement', 'DiagnosticReport', 'ImagingStudy', 'Procedure', 'ServiceRequest'];

describe('buildScopes', () => {
  it('EHR launch, v1: launch openid fhirUser online_access and patient/<type>.read for the nine types', () => {
    const scopes = buildScopes({ launch: 'ehr' }).split(' ');
    expect(scopes.slice(0, 4)).toEqual(['launch', 'openid', 'fhirUser', 'online_access']);
    for (const t of TYPES) expect(scopes).toContain(`patient/${t}.read`);
    expect(scopes).toHaveLength(4 + TYPES.length);
    expect(scopes).not.toContain('launch/patient');
    expect(scopes.some((s) => s.startsWith('user/') || s.startsWith('system/'))).toBe(false);
  });

  it('standalone launch asks launch/patient instead of launch', () => {
    const scopes = buildScopes({ launch: 'standalone' }).split(' ');
    expect(scopes[0]).toBe('launch/patient');
    expect(scopes).not.toContain('launch');
  });

  it('v2 uses .rs', () => {
    const scopes = buildScopes({ launch: 'ehr', version: 'v2' }).split(' ');
    expect(scopes).toContain('patient/Observation.rs');
    expect(scopes.filter((s) => s.endsWith('.read'))).toEqual([]);
  });

  it('session access: offline_access or none', () => {
    expect(buildScopes({ launch: 'ehr', session: 'offline' }).split(' ')).toContain('offline_access');
    const none = buildScopes({ launch: 'ehr', session: 'none' }).split(' ');
    expect(none).not.toContain('online_access');
    expect(none).not.toContain('offline_access');
  });

  it('an override replaces everything (whitespace normalised)', () => {
    expect(buildScopes({ launch: 'ehr', override: '  launch   patient/*.read\n openid ' })).toBe('launch patient/*.read openid');
  });
});

describe('readSmartConfig', () => {
  it('defaults', () => {
    expect(readSmartConfig({})).toEqual({
      clientId: DEFAULT_CLIENT_ID,
      version: 'v1',
      session: 'online',
      redirectUri: '../',
      pkceMode: 'ifSupported',
      allowedIss: [],
    });
  });

  it('VITE_SMART_ALLOWED_ISS: an allow-list of FHIR bases (trailing slashes ignored); empty accepts any', () => {
    const config = readSmartConfig({ VITE_SMART_ALLOWED_ISS: ' https://fhir.epic.com/api/FHIR/R4/   https://ehr.test/fhir ' });
    expect(config.allowedIss).toEqual(['https://fhir.epic.com/api/FHIR/R4/', 'https://ehr.test/fhir']);
    expect(issAllowed('https://fhir.epic.com/api/FHIR/R4', config)).toBe(true);
    expect(issAllowed('https://ehr.test/fhir/', config)).toBe(true);
    expect(issAllowed('https://ehr.test/fhir/other', config)).toBe(false);
    expect(issAllowed('https://evil.test/fhir', config)).toBe(false);
    expect(issAllowed('https://evil.test/fhir', readSmartConfig({}))).toBe(true);
  });

  it('reads the VITE_SMART_* variables and ignores invalid values', () => {
    const config = readSmartConfig({
      VITE_SMART_CLIENT_ID: ' my-app ',
      VITE_SMART_SCOPE_VERSION: 'v2',
      VITE_SMART_SESSION: 'bogus',
      VITE_SMART_REDIRECT_URI: 'https://app.example/',
      VITE_SMART_PKCE: 'disabled',
    });
    expect(config).toMatchObject({ clientId: 'my-app', version: 'v2', session: 'online', redirectUri: 'https://app.example/', pkceMode: 'ifSupported' });
    expect(scopesFor(config, 'standalone').split(' ')).toContain('patient/MedicationStatement.rs');
    expect(scopesFor(readSmartConfig({ VITE_SMART_SCOPES: 'launch openid' }), 'ehr')).toBe('launch openid');
    expect(readSmartConfig({ VITE_SMART_PKCE: 'required' }).pkceMode).toBe('required');
  });

  it('reads import.meta.env by default', () => {
    expect(readSmartConfig().clientId).toBe(import.meta.env.VITE_SMART_CLIENT_ID || DEFAULT_CLIENT_ID);
  });
});
