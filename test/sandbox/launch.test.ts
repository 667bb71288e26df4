/**
 * The sandbox's authorization server, driven by hand with fetch like a browser + fhirclient would:
 * discovery, a full EHR launch, and every refusal a real EHR makes (aud, PKCE, replay, redirect).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  CLIENT_ID,
  DEFAULT_SCOPE,
  fhirGet,
  launchSession,
  pkce,
  startLaunch,
  startSandbox,
  token,
  type Running,
} from './helpers';

let r: Running;
const PATIENT = 'scn-hyperpara';

beforeAll(async () => {
  r = await startSandbox();
});
afterAll(async () => {
  await r.close();
});

describe('discovery', () => {
  it('publishes .well-known/smart-configuration with endpoints, capabilities and PKCE S256', async () => {
    const res = await fetch(`${r.fhir}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const c = (await res.json()) as Record<string, any>;
    expect(c.authorization_endpoint).toBe(`${r.origin}/sandbox/auth/authorize`);
    expect(c.token_endpoint).toBe(`${r.origin}/sandbox/auth/token`);
    expect(c.jwks_uri).toBe(`${r.origin}/sandbox/auth/jwks`);
    expect(c.code_challenge_methods_supported).toEqual(['S256']);
    expect(c.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    expect(c.response_types_supported).toEqual(['code']);
    for (const cap of [
      'launch-ehr',
      'launch-standalone',
      'client-public',
      'context-ehr-patient',
      'context-standalone-patient',
      'permission-v1',
      'permission-v2',
      'sso-openid-connect',
    ]) {
      expect(c.capabilities).toContain(cap);
    }
    expect(c.scopes_supported).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access']));
  });

  it('publishes a CapabilityStatement with the OAuth endpoints, without a token', async () => {
    const { status, json } = await fhirGet(r, undefined, 'metadata');
    expect(status).toBe(200);
    expect(json.resourceType).toBe('CapabilityStatement');
    expect(json.fhirVersion).toBe('4.0.1');
    const oauth = json.rest[0].security.extension[0].extension;
    expect(oauth).toEqual(
      expect.arrayContaining([
        { url: 'authorize', valueUri: `${r.origin}/sandbox/auth/authorize` },
        { url: 'token', valueUri: `${r.origin}/sandbox/auth/token` },
      ]),
    );
    const obs = json.rest[0].resource.find((x: any) => x.type === 'Observation');
    expect(obs.searchParam.map((p: any) => p.name)).toEqual(expect.arrayContaining(['code', 'date', 'patient', 'subject', 'category']));
  });
});

describe('EHR launch', () => {
  it('launch → authorize (PKCE) → token gives the launch context and an id_token that verifies', async () => {
    const launch = await startLaunch(r, PATIENT);
    expect(launch).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const p = pkce();
    const q = await authorize(r, p, { launch, nonce: 'n-1' });
    expect(q.get('state')).toBe('state-123');
    const code = q.get('code');
    expect(code).toBeTruthy();
    const t = await token(r, { grant_type: 'authorization_code', code: code!, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: p.verifier });
    expect(t.status).toBe(200);
    expect(t.body).toMatchObject({ token_type: 'Bearer', patient: PATIENT, need_patient_banner: true, expires_in: 3600 });
    expect(t.body.encounter).toBeUndefined();
    expect(String(t.body.scope).split(' ')).toEqual(expect.arrayContaining(DEFAULT_SCOPE.split(' ')));
    expect(typeof t.body.refresh_token).toBe('string');
    expect(t.body.smart_style_url).toBe(`${r.origin}/sandbox/smart-style.json`);
    const style = await fetch(String(t.body.smart_style_url));
    expect(style.status).toBe(200);
    expect(((await style.json()) as Record<string, string>).color_highlight).toMatch(/^#/);

    // id_token: RS256, signature verified with the published JWKS, claims as SMART/OIDC require.
    const [h, c, s] = String(t.body.id_token).split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    const claims = JSON.parse(Buffer.from(c!, 'base64url').toString());
    expect(header.alg).toBe('RS256');
    const jwks = (await (await fetch(`${r.origin}/sandbox/auth/jwks`)).json()) as { keys: any[] };
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    expect(jwk).toBeDefined();
    const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    expect(crypto.verify('RSA-SHA256', Buffer.from(`${h}.${c}`), key, Buffer.from(s!, 'base64url'))).toBe(true);
    // A tampered payload does not verify.
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect(crypto.verify('RSA-SHA256', Buffer.from(`${h}.${forged}`), key, Buffer.from(s!, 'base64url'))).toBe(false);
    expect(claims.iss).toBe(r.fhir);
    expect(claims.aud).toBe(CLIENT_ID);
    expect(claims.sub).toBe('sandbox-clinician');
    expect(claims.nonce).toBe('n-1');
    expect(claims.fhirUser).toBe(`${r.fhir}/Practitioner/sandbox-clinician`);
    const now = Math.floor(Date.now() / 1000);
    expect(claims.iat).toBeLessThanOrEqual(now + 1);
    expect(claims.exp).toBeGreaterThan(now);

    // The token reads the patient, and the fhirUser resource exists.
    const patient = await fhirGet(r, String(t.body.access_token), `Patient/${PATIENT}`);
    expect(patient.status).toBe(200);
    expect(patient.json.id).toBe(PATIENT);
    expect(patient.headers.get('content-type')).toMatch(/application\/fhir\+json/);
    const user = await fhirGet(r, String(t.body.access_token), 'Practitioner/sandbox-clinician');
    expect(user.status).toBe(200);
  });

  it('gives no id_token without openid fhirUser, and no refresh token without offline/online access', async () => {
    const s = await launchSession(r, PATIENT, {}, 'launch patient/*.read');
    expect(s.body.id_token).toBeUndefined();
    expect(s.body.refresh_token).toBeUndefined();
    expect(s.body.scope).toBe('launch patient/*.read');
  });

  it('refuses an aud that is not the FHIR base URL (error on the redirect, with state)', async () => {
    const launch = await startLaunch(r, PATIENT);
    const q = await authorize(r, pkce(), { launch, aud: 'https://other.example/fhir' });
    expect(q.get('code')).toBeNull();
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toMatch(/aud/);
    expect(q.get('state')).toBe('state-123');
  });

  it('requires PKCE S256 at authorize', async () => {
    const launch = await startLaunch(r, PATIENT);
    const none = await authorize(r, pkce(), { launch, code_challenge: undefined, code_challenge_method: undefined });
    expect(none.get('error')).toBe('invalid_request');
    const p = pkce();
    const plain = await authorize(r, p, { launch, code_challenge: p.verifier, code_challenge_method: 'plain' });
    expect(plain.get('error')).toBe('invalid_request');
  });

  it('refuses a wrong code_verifier with invalid_grant', async () => {
    const launch = await startLaunch(r, PATIENT);
    const p = pkce();
    const code = (await authorize(r, p, { launch })).get('code')!;
    const t = await token(r, { grant_type: 'authorization_code', code, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: pkce().verifier });
    expect(t.status).toBe(400);
    expect(t.body.error).toBe('invalid_grant');
    expect(t.body.access_token).toBeUndefined();
  });

  it('refuses a replayed code with invalid_grant and revokes the tokens issued from it', async () => {
    const launch = await startLaunch(r, PATIENT);
    const p = pkce();
    const code = (await authorize(r, p, { launch })).get('code')!;
    const form = { grant_type: 'authorization_code', code, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: p.verifier };
    const first = await token(r, form);
    expect(first.status).toBe(200);
    const at = String(first.body.access_token);
    expect((await fhirGet(r, at, `Patient/${PATIENT}`)).status).toBe(200);
    const again = await token(r, form);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect((await fhirGet(r, at, `Patient/${PATIENT}`)).status).toBe(401);
    const refresh = await token(r, { grant_type: 'refresh_token', refresh_token: String(first.body.refresh_token) });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('never redirects to a redirect_uri on another origin, and checks redirect_uri again at the token endpoint', async () => {
    const launch = await startLaunch(r, PATIENT);
    const res = await fetch(
      `${r.origin}/sandbox/auth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: 'https://attacker.example/cb',
        scope: DEFAULT_SCOPE,
        state: 's',
        aud: r.fhir,
        launch,
        code_challenge: pkce().challenge,
        code_challenge_method: 'S256',
      }).toString()}`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toMatch(/redirect_uri/);

    const p = pkce();
    const code = (await authorize(r, p, { launch })).get('code')!;
    const t = await token(r, { grant_type: 'authorization_code', code, redirect_uri: `${r.origin}/other/`, client_id: CLIENT_ID, code_verifier: p.verifier });
    expect(t.body.error).toBe('invalid_grant');
  });

  it('refuses an unknown launch id, a launch without the launch scope, and another client_id at the token endpoint', async () => {
    expect((await authorize(r, pkce(), { launch: 'not-a-launch' })).get('error')).toBe('invalid_request');
    const launch = await startLaunch(r, PATIENT);
    expect((await authorize(r, pkce(), { launch, scope: 'openid fhirUser patient/*.read' })).get('error')).toBe('invalid_scope');
    const p = pkce();
    const code = (await authorize(r, p, { launch })).get('code')!;
    const t = await token(r, { grant_type: 'authorization_code', code, redirect_uri: `${r.origin}/`, client_id: 'another-app', code_verifier: p.verifier });
    expect(t.body.error).toBe('invalid_grant');
  });

  it('refreshes an access token with the same patient context', async () => {
    const s = await launchSession(r, PATIENT);
    const t = await token(r, { grant_type: 'refresh_token', refresh_token: String(s.body.refresh_token), client_id: CLIENT_ID });
    expect(t.status).toBe(200);
    expect(t.body.patient).toBe(PATIENT);
    expect(t.body.access_token).not.toBe(s.accessToken);
    expect((await fhirGet(r, String(t.body.access_token), `Patient/${PATIENT}`)).status).toBe(200);
    const wider = await token(r, { grant_type: 'refresh_token', refresh_token: String(s.body.refresh_token), scope: 'user/*.read' });
    expect(wider.body.error).toBe('invalid_scope');
  });

  it('refuses unsupported grants and response types', async () => {
    expect((await token(r, { grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
    const launch = await startLaunch(r, PATIENT);
    expect((await authorize(r, pkce(), { launch, response_type: 'token' })).get('error')).toBe('unsupported_response_type');
  });
});

describe('standalone launch', () => {
  it('shows a patient picker, then grants the chosen patient', async () => {
    const p = pkce();
    const scope = 'launch/patient openid fhirUser patient/*.read';
    const picker = await fetch(
      `${r.origin}/sandbox/auth/authorize?${new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${r.origin}/`,
        scope,
        state: 'st',
        aud: r.fhir,
        code_challenge: p.challenge,
        code_challenge_method: 'S256',
      }).toString()}`,
    );
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain(`value="${PATIENT}"`);
    expect(html).toContain('name="code_challenge"');
    const q = await authorize(r, p, { scope, patient: PATIENT });
    const code = q.get('code')!;
    const t = await token(r, { grant_type: 'authorization_code', code, redirect_uri: `${r.origin}/`, client_id: CLIENT_ID, code_verifier: p.verifier });
    expect(t.status).toBe(200);
    expect(t.body.patient).toBe(PATIENT);
    expect(typeof t.body.id_token).toBe('string');
  });
});

describe('access tokens on the FHIR API', () => {
  it('answers 401 with an OperationOutcome for a missing or unknown token', async () => {
    for (const tok of [undefined, 'made-up-token']) {
      const res = await fhirGet(r, tok, `Patient/${PATIENT}`);
      expect(res.status).toBe(401);
      expect(res.json.resourceType).toBe('OperationOutcome');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('answers 403 when the granted scopes do not cover the type', async () => {
    const s = await launchSession(r, PATIENT, {}, 'launch patient/Patient.read');
    expect((await s.get(`Patient/${PATIENT}`)).status).toBe(200);
    const obs = await s.get(`Observation?patient=${PATIENT}&category=laboratory`);
    expect(obs.status).toBe(403);
    expect(obs.json.resourceType).toBe('OperationOutcome');
  });

  it('accepts SMART v2 scopes', async () => {
    const s = await launchSession(r, PATIENT, {}, 'launch patient/Patient.rs patient/Observation.rs');
    expect((await s.get(`Observation?patient=${PATIENT}&category=laboratory`)).status).toBe(200);
    expect((await s.get(`Condition?patient=${PATIENT}`)).status).toBe(403);
  });

  it('lets the fhirUser scope read the user resource named in the id_token, and nothing more', async () => {
    const s = await launchSession(r, PATIENT, {}, 'launch openid fhirUser patient/Patient.read');
    expect((await s.get('Practitioner/sandbox-clinician')).status).toBe(200);
    expect((await s.get('Practitioner?_id=sandbox-clinician')).status).toBe(403);
    const none = await launchSession(r, PATIENT, {}, 'launch patient/Patient.read');
    expect((await none.get('Practitioner/sandbox-clinician')).status).toBe(403);
  });
});
