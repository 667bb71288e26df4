// @vitest-environment jsdom
/** The launch page's logic: reading the launch URL, the authorize options, hardening against crafted links. */
import { server } from '../../msw/server'; // first: before fhirclient is loaded
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthServer } from '../../msw/smart-auth';
import { freshBrowserApi } from '../../msw/client';
import {
  authorizeOptions,
  describeAuthorizeError,
  isLaunchParams,
  readLaunchParams,
  sanitisedLaunchUrl,
  type LaunchPageProblem,
} from '../../../src/smart/authorize';
import { readSmartConfig } from '../../../src/smart/config';

const iss = 'https://ehr.test/fhir';
const any = readSmartConfig({});

beforeEach(() => {
  sessionStorage.clear();
  history.replaceState(null, '', '/');
});
afterAll(() => server.close());

describe('readLaunchParams', () => {
  it('EHR launch (iss + launch) and standalone launch (iss only)', () => {
    expect(readLaunchParams(`?iss=${encodeURIComponent(iss)}&launch=L1`, any)).toEqual({ iss, launch: 'L1', kind: 'ehr' });
    expect(readLaunchParams(`?iss=${encodeURIComponent(iss)}`, any)).toEqual({ iss, kind: 'standalone' });
    expect(readLaunchParams(`?iss=${encodeURIComponent(iss)}&launch=`, any)).toEqual({ iss, kind: 'standalone' });
  });

  it('no iss, a non-http iss, an iss off the allow-list: a problem in words, never a launch', () => {
    const cases: [string, string][] = [
      ['', 'This page starts the app from an EHR'],
      ['?launch=L1', 'This page starts the app from an EHR'],
      ['?fhirServiceUrl=https://evil.test/fhir&patientId=123', 'This page starts the app from an EHR'],
      ['?iss=not a url&launch=L1', 'The EHR address is not valid'],
      ['?iss=javascript:alert(1)', 'The EHR address is not valid'],
    ];
    for (const [search, title] of cases) {
      const result = readLaunchParams(search, any);
      expect(isLaunchParams(result)).toBe(false);
      expect((result as LaunchPageProblem).title).toBe(title);
      expect((result as LaunchPageProblem).hint.length).toBeGreaterThan(20);
    }
    const allowList = readSmartConfig({ VITE_SMART_ALLOWED_ISS: iss });
    expect((readLaunchParams('?iss=https://evil.test/fhir&launch=1', allowList) as LaunchPageProblem).title).toBe('This EHR is not configured for the app');
    expect(isLaunchParams(readLaunchParams(`?iss=${iss}/&launch=1`, allowList))).toBe(true);
  });
});

describe('authorizeOptions', () => {
  it('client id, scopes by launch kind, redirect to the app index, PKCE mode, complete in the EHR frame', () => {
    const ehr = authorizeOptions({ iss, launch: 'L1', kind: 'ehr' }, any);
    expect(ehr).toEqual({
      clientId: 'nephrocalcinosis-workup',
      scope: expect.stringMatching(/^launch openid fhirUser online_access patient\/Patient\.read /),
      redirectUri: '../',
      iss,
      launch: 'L1',
      pkceMode: 'ifSupported',
      completeInTarget: true,
    });
    const standalone = authorizeOptions({ iss, kind: 'standalone' }, readSmartConfig({ VITE_SMART_PKCE: 'required' }));
    expect(standalone.scope!.startsWith('launch/patient ')).toBe(true);
    expect(standalone).not.toHaveProperty('launch');
    expect(standalone.pkceMode).toBe('required');
  });
});

describe('crafted launch links', () => {
  it('sanitisedLaunchUrl keeps only iss and launch', () => {
    const href = `http://localhost:3000/launch/?iss=${encodeURIComponent(iss)}&launch=L1&fhirServiceUrl=https%3A%2F%2Fevil.test%2Ffhir&patientId=123&clientId=evil&encounterId=e#x`;
    const clean = new URL(sanitisedLaunchUrl(href, { iss, launch: 'L1', kind: 'ehr' }));
    expect([...clean.searchParams.keys()]).toEqual(['iss', 'launch']);
    expect(clean.pathname).toBe('/launch/');
    expect(clean.hash).toBe('');
  });

  it('after sanitising, fhirclient uses our client id and no injected patient', async () => {
    const auth = new AuthServer({ iss, patient: 'p1' });
    server.resetHandlers(...auth.handlers);
    history.replaceState(null, '', `/launch/?iss=${encodeURIComponent(iss)}&launch=L1&patientId=injected&clientId=evil-client`);
    const params = readLaunchParams(location.search, any);
    if (!isLaunchParams(params)) throw new Error('expected launch params');
    history.replaceState(null, '', sanitisedLaunchUrl(location.href, params));
    const url = new URL(String(await freshBrowserApi().oauth2.authorize({ ...authorizeOptions(params, any), noRedirect: true })));
    expect(url.searchParams.get('client_id')).toBe('nephrocalcinosis-workup');
    const state = JSON.parse(sessionStorage.getItem(url.searchParams.get('state')!)!);
    expect(state.tokenResponse).toEqual({});
    expect(state.clientId).toBe('nephrocalcinosis-workup');
  });
});

describe('describeAuthorizeError', () => {
  it('PKCE, unreachable EHR, anything else', () => {
    expect(describeAuthorizeError(new Error('Required PKCE code challenge method (`S256`) was not found')).title).toMatch(/secure sign-in/);
    expect(describeAuthorizeError(new Error('Failed to fetch the conformance statement from "x". TypeError: Failed to fetch')).title).toBe('The EHR could not be reached');
    const other = describeAuthorizeError('boom');
    expect(other.title).toBe('The launch could not start');
    expect(other.message).not.toContain('boom');
  });
});
