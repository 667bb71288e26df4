// @vitest-environment jsdom
/**
 * The /launch/ page (launch/index.html + launch/launch.ts): never blank. Without `iss`, with a bad
 * `iss`, or when the EHR cannot be reached, it says what happened and what to do, as text. An EHR
 * the page's Content-Security-Policy does not allow is a configuration problem naming
 * VITE_CSP_CONNECT_SRC, never "the EHR could not be reached".
 */
import { server } from '../../msw/server'; // first: before fhirclient is loaded
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse } from 'msw';

const html = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../launch/index.html'), 'utf8');

/** The page as served, with `connectSrc` where the build writes VITE_CSP_CONNECT_SRC. */
async function openLaunchPage(search: string, connectSrc = 'https://down.test https://ehr.test') {
  history.replaceState(null, '', `/launch/${search}`);
  document.documentElement.innerHTML = html.replace(/<script[\s\S]*?<\/script>/g, '').replace('%VITE_CSP_CONNECT_SRC%', connectSrc);
  vi.resetModules();
  await import('../../../launch/launch');
  return document.getElementById('launch')!;
}

async function settled(main: HTMLElement) {
  await vi.waitFor(() => expect(main.getAttribute('data-state')).toBe('error'), { timeout: 3000 });
  return main;
}

beforeEach(() => {
  sessionStorage.clear();
  server.resetHandlers();
});
afterAll(() => server.close());

describe('launch page', () => {
  it('is small and does not leak the launch URL as a referrer', () => {
    expect(Buffer.byteLength(html)).toBeLessThan(1500);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    // CSP: own origin only (plus the configured EHR origins), no inline script or style.
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self';/);
    expect(html).not.toMatch(/<style|style=|<script>(?!<)/);
    expect(html).toContain('<script type="module" src="./launch.ts"></script>');
    expect(html).toContain('data-state="loading"');
  });

  it('without iss: explains that it must be opened from the EHR', async () => {
    const main = await settled(await openLaunchPage(''));
    expect(main.querySelector('h1')!.textContent).toBe('This page starts the app from an EHR');
    expect(main.textContent).toContain('patient\u2019s chart');
    expect(main.textContent).toContain('SMART App Launcher');
  });

  it('with an iss that is not http(s): says so, renders nothing from the URL as HTML', async () => {
    const main = await settled(await openLaunchPage(`?iss=${encodeURIComponent('javascript:<img src=x onerror=alert(1)>')}&launch=1`));
    expect(main.querySelector('h1')!.textContent).toBe('The EHR address is not valid');
    expect(main.querySelector('img')).toBeNull();
  });

  it('when the EHR cannot be reached: says so and what to do', async () => {
    const iss = 'https://down.test/fhir';
    server.use(
      http.get(`${iss}/.well-known/smart-configuration`, () => new HttpResponse(null, { status: 503 })),
      http.get(`${iss}/metadata`, () => HttpResponse.error()),
    );
    // A crafted link: the development parameters fhirclient honours are dropped before it reads the URL.
    const main = await settled(await openLaunchPage(`?iss=${encodeURIComponent(iss)}&launch=xyz&fhirServiceUrl=${encodeURIComponent('https://evil.test/fhir')}&patientId=123`));
    expect(location.search).toBe(`?iss=${encodeURIComponent(iss)}&launch=xyz`);
    expect(main.querySelector('h1')!.textContent).toBe('The EHR could not be reached');
    expect(main.querySelectorAll('p')).toHaveLength(2);
    expect(localStorage.length).toBe(0);
  });

  it('an EHR the CSP does not allow: a configuration problem naming VITE_CSP_CONNECT_SRC, and no request', async () => {
    const requests: string[] = [];
    server.events.on('request:start', ({ request }) => void requests.push(request.url));
    const iss = 'https://launch.smarthealthit.org/v/r4/sim/abc/fhir';
    const main = await settled(await openLaunchPage(`?iss=${encodeURIComponent(iss)}&launch=xyz`, ''));
    expect(main.querySelector('h1')!.textContent).toBe('The app is not set up to connect to this EHR');
    expect(main.textContent).toContain('https://launch.smarthealthit.org');
    expect(main.textContent).toContain('VITE_CSP_CONNECT_SRC');
    expect(main.textContent).toMatch(/configuration problem, not a network failure/);
    expect(main.textContent).not.toMatch(/could not be reached|network connection/);
    expect(main.textContent).not.toContain('/v/r4/sim/abc');
    expect(requests).toEqual([]);
    server.events.removeAllListeners();
  });

  it('a request the browser blocks during the launch (securitypolicyviolation): the same configuration problem', async () => {
    // The iss of the "cannot be reached" test: fhirclient (CommonJS, not reset between tests) keeps
    // the URL its adapter read first.
    const iss = 'https://down.test/fhir';
    server.use(
      http.get(`${iss}/.well-known/smart-configuration`, () => {
        const event = Object.assign(new Event('securitypolicyviolation'), { effectiveDirective: 'connect-src', blockedURI: 'https://auth.ehr-elsewhere.test/x' });
        document.dispatchEvent(event);
        return HttpResponse.error();
      }),
      http.get(`${iss}/metadata`, () => HttpResponse.error()),
    );
    const main = await settled(await openLaunchPage(`?iss=${encodeURIComponent(iss)}&launch=xyz`));
    expect(main.querySelector('h1')!.textContent).toBe('The app is not set up to connect to this EHR');
    expect(main.textContent).toContain('add https://auth.ehr-elsewhere.test to VITE_CSP_CONNECT_SRC');
  });

  it('a token endpoint the CSP does not allow: named before the browser leaves for the sign-in', async () => {
    const iss = 'https://down.test/fhir'; // see above: the URL fhirclient's adapter keeps
    server.use(
      http.get(`${iss}/.well-known/smart-configuration`, () =>
        HttpResponse.json({
          authorization_endpoint: 'https://down.test/auth/authorize',
          token_endpoint: 'https://auth.elsewhere.test/oauth2/token',
          code_challenge_methods_supported: ['S256'],
        }),
      ),
    );
    const before = location.href;
    const main = await settled(await openLaunchPage(`?iss=${encodeURIComponent(iss)}&launch=xyz`));
    expect(main.querySelector('h1')!.textContent).toBe('The app is not set up to connect to this EHR');
    expect(main.textContent).toContain('add https://auth.elsewhere.test to VITE_CSP_CONNECT_SRC');
    expect(location.pathname + location.search).toBe(new URL(before).pathname + new URL(before).search);
  });

  it('reads the FHIR server\u2019s CapabilityStatement while authorizing, and keeps what it declares for the app page', async () => {
    const iss = 'https://ehr.test/fhir';
    let metadataReads = 0;
    server.use(
      http.get(`${iss}/metadata`, () => {
        metadataReads++;
        return HttpResponse.json({
          resourceType: 'CapabilityStatement',
          rest: [{ mode: 'server', resource: [{ type: 'Observation', extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/capabilitystatement-search-mode', valueCode: 'both' }], searchParam: [{ name: 'code' }, { name: 'combo-code' }] }] }],
        });
      }),
    );
    // fhirclient's authorize stands in (its browser adapter keeps the first URL it read for the life
    // of the test file): it resolves with the redirect, as with noRedirect.
    const authorize = vi.fn(async (options: { iss: string; noRedirect?: boolean }) => `https://ehr.test/auth?aud=${encodeURIComponent(options.iss)}`);
    vi.doMock('../../../src/smart/fhir', () => ({ default: { oauth2: { authorize } } }));
    try {
      await openLaunchPage(`?iss=${encodeURIComponent(iss)}&launch=xyz`);
      await vi.waitFor(() => expect(sessionStorage.getItem('nephro:search-capabilities')).not.toBeNull(), { timeout: 3000 });
    } finally {
      vi.doUnmock('../../../src/smart/fhir');
    }
    expect(authorize).toHaveBeenCalledWith(expect.objectContaining({ iss, launch: 'xyz', noRedirect: true }));
    expect(JSON.parse(sessionStorage.getItem('nephro:search-capabilities')!)).toEqual({ serverUrl: iss, post: true, comboCode: true });
    expect(metadataReads).toBe(1);
  });
});
