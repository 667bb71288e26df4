/**
 * The pages' Content-Security-Policy as the launch sees it: source matching for connect-src (the
 * launch page checks the EHR's address before any request), the connect-src violations the pages
 * record, and the words of the configuration problem.
 */
import { describe, expect, it } from 'vitest';
import { cspProblem, CspBlockedError, watchConnectViolations } from '../../../src/smart/csp';
import { blockedByPolicy, connectSources, sourceAllows } from '../../../src/smart/csp-policy';
import { describeAuthorizeError } from '../../../src/smart/authorize';

const SELF = 'http://localhost:5173/launch/';
const POLICY = (connect: string) => `default-src 'self'; script-src 'self'; connect-src 'self' ${connect}; object-src 'none'`;

describe('connect-src matching', () => {
  it('reads connect-src, falling back to default-src', () => {
    expect(connectSources(POLICY('https://a.example'))).toEqual(["'self'", 'https://a.example']);
    expect(connectSources("default-src 'self'; img-src *")).toEqual(["'self'"]);
    expect(connectSources('img-src *')).toBeUndefined();
  });

  it.each([
    ["'self'", 'http://localhost:5173/fhir', true],
    ["'self'", 'http://127.0.0.1:5173/fhir', false],
    ['https://launch.smarthealthit.org', 'https://launch.smarthealthit.org/v/r4/sim/x/fhir', true],
    ['https://launch.smarthealthit.org', 'https://launch.smarthealthit.org:8443/fhir', false],
    ['https://launch.smarthealthit.org', 'http://launch.smarthealthit.org/fhir', false],
    ['launch.smarthealthit.org', 'http://launch.smarthealthit.org/fhir', true],
    ['https://*.epic.com', 'https://fhir.epic.com/interconnect-fhir-oauth/api/FHIR/R4', true],
    ['https://*.epic.com', 'https://epic.com/x', false],
    ['https:', 'https://anything.example/fhir', true],
    ['https:', 'http://anything.example/fhir', false],
    ['*', 'https://anything.example/fhir', true],
    ['http://127.0.0.1:*', 'http://127.0.0.1:9999/fhir', true],
    ['https://ehr.example/fhir/', 'https://ehr.example/fhir/Patient/1', true],
    ['https://ehr.example/fhir/', 'https://ehr.example/other', false],
    ["'none'", 'https://ehr.example/', false],
    ["'unsafe-inline'", 'https://ehr.example/', false],
  ])('%s allows %s: %s', (source, url, allowed) => {
    expect(sourceAllows(source, new URL(url), new URL(SELF))).toBe(allowed);
  });

  it("names the blocked origin (never the path, which may hold a launch's id)", () => {
    expect(blockedByPolicy('https://launch.smarthealthit.org/v/r4/sim/abc/fhir', POLICY(''), SELF)).toBe('https://launch.smarthealthit.org');
    expect(blockedByPolicy('https://launch.smarthealthit.org/v/r4/sim/abc/fhir', POLICY('https://launch.smarthealthit.org'), SELF)).toBeUndefined();
    expect(blockedByPolicy('http://localhost:5173/fhir', POLICY(''), SELF)).toBeUndefined();
    expect(blockedByPolicy('https://x.example', undefined, SELF)).toBeUndefined();
  });
});

describe('a launch blocked by the CSP is a configuration problem naming the setting', () => {
  it('the launch page: CspBlockedError, not "the EHR could not be reached"', () => {
    const p = describeAuthorizeError(new CspBlockedError('https://launch.smarthealthit.org'));
    expect(p).toEqual(cspProblem('https://launch.smarthealthit.org'));
    expect(p.message).toMatch(/configuration problem, not a network failure/);
    expect(p.hint).toMatch(/add https:\/\/launch\.smarthealthit\.org to VITE_CSP_CONNECT_SRC/);
    expect(describeAuthorizeError(new TypeError('Failed to fetch')).title).toBe('The EHR could not be reached');
  });

  it('records connect-src violations (origin only) and nothing else', async () => {
    const target = new EventTarget() as unknown as Document;
    const w = watchConnectViolations(target);
    const fire = (props: Record<string, string>) => target.dispatchEvent(Object.assign(new Event('securitypolicyviolation'), props));
    expect(await w.blockedAfterFailure()).toBeUndefined();
    fire({ effectiveDirective: 'img-src', blockedURI: 'https://img.example/a.png' });
    expect(await w.blockedAfterFailure()).toBeUndefined();
    fire({ effectiveDirective: 'connect-src', blockedURI: 'https://auth.example/token?x=1' });
    expect(await w.blockedAfterFailure()).toBe('https://auth.example');
    w.stop();
    fire({ effectiveDirective: 'connect-src', blockedURI: 'https://other.example/' });
    expect(await w.blockedAfterFailure()).toBe('https://auth.example');
  });
});
