// @vitest-environment jsdom
/** What the app takes from a CapabilityStatement for its Observation search, and how it is kept. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fetchCapabilities, parseCapabilities, SEARCH_MODE_EXTENSION, storeCapabilities } from '../../../src/smart/capabilities';
import { CAPABILITIES_KEY, storedCapabilities } from '../../../src/smart/capabilities-store';

const statement = (observation: Record<string, unknown>, mode: unknown = 'server') => ({
  resourceType: 'CapabilityStatement',
  rest: [{ mode, resource: [{ type: 'Patient' }, { type: 'Observation', ...observation }] }],
});

describe('parseCapabilities', () => {
  it('POST when the Observation entry declares search mode POST or both; combo-code when it lists the parameter', () => {
    expect(parseCapabilities('https://e/fhir/', statement({ extension: [{ url: SEARCH_MODE_EXTENSION, valueCode: 'both' }], searchParam: [{ name: 'combo-code' }] }))).toEqual({
      serverUrl: 'https://e/fhir',
      post: true,
      comboCode: true,
    });
    expect(parseCapabilities('https://e/fhir', statement({ extension: [{ url: SEARCH_MODE_EXTENSION, valueCode: 'POST' }] }))).toMatchObject({ post: true, comboCode: false });
    expect(parseCapabilities('https://e/fhir', statement({ extension: [{ url: SEARCH_MODE_EXTENSION, valueCode: 'GET' }] }))).toMatchObject({ post: false });
  });

  it('nothing for what is not declared, a client statement, another type, or anything malformed', () => {
    const none = { serverUrl: 'https://e/fhir', post: false, comboCode: false };
    expect(parseCapabilities('https://e/fhir', statement({}))).toEqual(none);
    expect(parseCapabilities('https://e/fhir', statement({ extension: [{ url: SEARCH_MODE_EXTENSION, valueCode: 'both' }] }, 'client'))).toEqual(none);
    expect(parseCapabilities('https://e/fhir', { resourceType: 'OperationOutcome' })).toEqual(none);
    for (const junk of [null, 'x', 42, { resourceType: 'CapabilityStatement', rest: 'x' }, { resourceType: 'CapabilityStatement', rest: [null, { resource: [null, 7] }] }]) {
      expect(parseCapabilities('https://e/fhir', junk)).toEqual(none);
    }
  });
});

describe('fetchCapabilities', () => {
  it('reads [base]/metadata; undefined when it fails or does not answer in time', async () => {
    const ok = (async (url: string) => {
      expect(url).toBe('https://e/fhir/metadata');
      return new Response(JSON.stringify(statement({ searchParam: [{ name: 'combo-code' }] })), { status: 200 });
    }) as unknown as typeof fetch;
    expect(await fetchCapabilities('https://e/fhir/', 1000, ok)).toMatchObject({ comboCode: true });
    const down = (async () => new Response('', { status: 503 })) as unknown as typeof fetch;
    expect(await fetchCapabilities('https://e/fhir', 1000, down)).toBeUndefined();
    const hangs = ((_: string, init: RequestInit) =>
      new Promise((_resolve, reject) => init.signal!.addEventListener('abort', () => reject(new Error('aborted'))))) as unknown as typeof fetch;
    expect(await fetchCapabilities('https://e/fhir', 20, hangs)).toBeUndefined();
  });
});

describe('kept in session storage for the app page', () => {
  beforeEach(() => sessionStorage.clear());
  it('what the launch page stores the app page reads, for the server it was read from only', () => {
    storeCapabilities({ serverUrl: 'https://e/fhir', post: true, comboCode: false });
    expect(storedCapabilities('https://e/fhir/')).toEqual({ serverUrl: 'https://e/fhir', post: true, comboCode: false });
    expect(storedCapabilities('https://other/fhir')).toBeUndefined();
    sessionStorage.setItem(CAPABILITIES_KEY, '{not json');
    expect(storedCapabilities('https://e/fhir')).toBeUndefined();
    expect(localStorage.length).toBe(0);
  });
});
