/**
 * The sandbox builds its issuer and redirects from the request's host: Host over HTTP/1.1,
 * :authority over HTTP/2. A crafted Host never reaches a redirect or the issuer.
 */
import http from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let r: Running;
beforeAll(async () => {
  r = await startSandbox();
});
afterAll(async () => {
  await r.close();
});

function launchWithHost(host: string): Promise<string | undefined> {
  const url = new URL(`${r.origin}/sandbox/launch?patient=${r.sb.patients[0]!.id}`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, headers: { host } },
      (res) => {
        res.resume();
        resolve(res.headers.location);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

it('uses a well-formed Host for the issuer of the launch', async () => {
  const location = await launchWithHost('localhost:5173');
  expect(new URL(location!, 'http://x').searchParams.get('iss')).toBe('http://localhost:5173/fhir');
});

it('ignores a crafted Host (no foreign issuer, no header injection)', async () => {
  for (const host of ['evil.example/x?', 'a b', 'evil.example@127.0.0.1']) {
    const location = await launchWithHost(host);
    const iss = new URL(location!, 'http://x').searchParams.get('iss') ?? '';
    expect(iss.startsWith('http://127.0.0.1'), host).toBe(true);
  }
});
