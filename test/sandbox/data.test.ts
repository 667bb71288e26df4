/**
 * Loading: re-dating of the scenario patients, SANDBOX_DATA folders (Bundles, single resources,
 * NDJSON, bad files), attribution by subject, the home page (escaping) and the startup log line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageLabel } from '../../src/sandbox/pages';
import { daysSince, redate, shiftDateString } from '../../src/sandbox/redate';
import { launchSession, startSandbox, type Running } from './helpers';

const DAY = 86_400_000;
function todayMinus(days: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY).toISOString().slice(0, 10);
}

describe('redate', () => {
  it('counts whole UTC days from the reference date', () => {
    expect(daysSince('2026-06-01', new Date('2026-06-01T23:59:00Z'))).toBe(0);
    expect(daysSince('2026-06-01', new Date('2026-07-01T00:00:01Z'))).toBe(30);
    expect(daysSince('2026-06-01', new Date('2026-05-31T12:00:00Z'))).toBe(-1);
  });

  it('shifts dates, dateTimes and instants keeping time, offset and precision; leaves other strings alone', () => {
    expect(shiftDateString('2026-05-01', 31)).toBe('2026-06-01');
    expect(shiftDateString('2026-02-28T23:30:00+01:00', 1)).toBe('2026-03-01T23:30:00+01:00');
    expect(shiftDateString('2024-12-31T10:00:00.123Z', 1)).toBe('2025-01-01T10:00:00.123Z');
    expect(shiftDateString('2026-05-01T08:00', -1)).toBe('2026-04-30T08:00');
    for (const s of ['2026', '2026-05', '2026-02-31', 'not a date', '139 mmol/L']) expect(shiftDateString(s, 10)).toBe(s);
  });

  it('re-dates every date field (birthDate, effective, period, issued) but no text, id or code', () => {
    const input = {
      resourceType: 'Observation',
      id: '2026-05-01',
      effectiveDateTime: '2026-05-01T09:00:00Z',
      issued: '2026-05-02T10:00:00.000Z',
      effectivePeriod: { start: '2026-04-01', end: '2026-04-02' },
      valueString: '2026-05-01',
      code: { coding: [{ code: '2026-05-01', display: '2026-05-01' }], text: '2026-05-01' },
      note: [{ text: 'drawn 2026-05-01', time: '2026-05-01' }],
      component: [{ valueDateTime: '2026-05-03' }],
    };
    const out = redate(input, 10);
    expect(out).toEqual({
      ...input,
      effectiveDateTime: '2026-05-11T09:00:00Z',
      issued: '2026-05-12T10:00:00.000Z',
      effectivePeriod: { start: '2026-04-11', end: '2026-04-12' },
      note: [{ text: 'drawn 2026-05-01', time: '2026-05-11' }],
      component: [{ valueDateTime: '2026-05-13' }],
    });
    expect(input.effectiveDateTime).toBe('2026-05-01T09:00:00Z'); // input untouched
  });
});

describe('home page ages', () => {
  it('writes weeks under 3 months, months under 2 years, years after', () => {
    const today = new Date('2026-06-01T12:00:00Z');
    const p = (birthDate: string, age: number) => ({ id: 'x', name: 'x', description: '', source: 's', resourceCount: 1, birthDate, age });
    expect(ageLabel(p('2026-04-20', 0), today)).toBe('6 wk');
    expect(ageLabel(p('2025-09-01', 0), today)).toBe('9 mo');
    expect(ageLabel(p('2024-07-01', 1), today)).toBe('23 mo');
    expect(ageLabel(p('2018-01-01', 8), today)).toBe('8');
    expect(ageLabel({ ...p('2018-01-01', 8), age: undefined }, today)).toBe('?');
  });
});

describe('loading', () => {
  let dir: string;
  let scenarios: string;
  let r: Running;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-data-'));
    scenarios = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-scn-'));
    // A scenario folder of our own: one patient, a result dated 2026-05-01, a description tag.
    fs.writeFileSync(
      path.join(scenarios, 'redate.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'collection',
        meta: { tag: [{ display: 'Re-dating check' }] },
        entry: [
          { resource: { resourceType: 'Patient', id: 'rd-1', birthDate: '1980-06-01', name: [{ given: ['Rita'], family: 'Date' }] } },
          {
            resource: {
              resourceType: 'Observation',
              id: 'rd-obs',
              status: 'final',
              code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] },
              subject: { reference: 'Patient/rd-1' },
              effectiveDateTime: '2026-05-01',
              issued: '2026-05-01T12:00:00Z',
            },
          },
        ],
      }),
    );
    fs.writeFileSync(path.join(scenarios, 'expectations.json'), JSON.stringify({ not: 'fhir' })); // ignored quietly
    // SANDBOX_DATA: a good Bundle, NDJSON, a single resource, and bad files.
    fs.writeFileSync(
      path.join(dir, 'good.json'),
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111',
            resource: { resourceType: 'Patient', name: [{ given: ['<script>alert(1)</script>'], family: 'O\'Brien & "Co"' }], gender: 'female' },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222',
            resource: {
              resourceType: 'Condition',
              code: { text: 'gout' },
              subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' },
            },
            request: { method: 'POST', url: 'Condition' },
          },
          // Unknown type and a result without a patient: dropped, never shown.
          { resource: { resourceType: 'NotAType', id: 'x' } },
          { resource: { resourceType: 'Observation', id: 'orphan', status: 'final', code: { text: 'K' } } },
        ],
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'more.ndjson'),
      [
        JSON.stringify({ resourceType: 'Patient', id: 'nd-1', name: [{ text: 'Nina Ndjson' }], birthDate: '1970-01-01' }),
        '{ this line is broken',
        JSON.stringify({ resourceType: 'Observation', id: 'nd-obs', status: 'final', code: { text: 'Na' }, subject: { reference: 'Patient/nd-1' }, effectiveDateTime: '2020-01-01' }),
        JSON.stringify({ resourceType: 'Condition', id: 'nd-abs', code: { text: 'CKD' }, subject: { reference: 'https://ehr.example/fhir/Patient/nd-1/_history/3' } }),
        '',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'single.json'), JSON.stringify({ resourceType: 'Practitioner', id: 'pr-1' }));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","name":[{"family":"Secretname"');
    fs.writeFileSync(path.join(dir, 'notfhir.json'), JSON.stringify([{ family: 'Secretname' }]));
    fs.writeFileSync(path.join(dir, 'empty.ndjson'), '\n\n');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'not data');
    r = await startSandbox({ scenarioDir: scenarios, syntheaDir: false, extraDir: dir });
  });

  afterAll(async () => {
    await r.close();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(scenarios, { recursive: true, force: true });
  });

  it('re-dates a scenario result dated 2026-05-01 to today − 31 days (birthDate too)', async () => {
    const s = await launchSession(r, 'rd-1');
    const obs = await s.get('Observation/rd-obs');
    expect(obs.json.effectiveDateTime).toBe(todayMinus(31));
    expect(obs.json.issued).toBe(`${todayMinus(31)}T12:00:00Z`);
    const patient = await s.get('Patient/rd-1');
    const shift = daysSince('2026-06-01', new Date());
    expect(patient.json.birthDate).toBe(shiftDateString('1980-06-01', shift));
    // And the result is found by a date search relative to today.
    const recent = await s.get(`Observation?patient=rd-1&code=http://loinc.org|2160-0&date=ge${todayMinus(40)}`);
    expect(recent.json.total).toBe(1);
    // Shifted together, birthDate and "today" keep the age the scenario was written for (±1 day of leap-year drift).
    expect([45, 46]).toContain(r.sb.patients.find((p) => p.id === 'rd-1')?.age);
  });

  it('loads Bundles (urn:uuid resolved), single resources and NDJSON from SANDBOX_DATA', async () => {
    const ids = r.sb.patients.map((p) => p.id).sort();
    expect(ids).toEqual(['11111111-1111-4111-8111-111111111111', 'nd-1', 'rd-1']);
    const s = await launchSession(r, '11111111-1111-4111-8111-111111111111');
    const cond = await s.get('Condition?patient=11111111-1111-4111-8111-111111111111');
    expect(cond.json.total).toBe(1);
    expect(cond.json.entry[0].resource.subject.reference).toBe('Patient/11111111-1111-4111-8111-111111111111');
    const n = await launchSession(r, 'nd-1', { observation_rule: 'off' });
    expect((await n.get('Observation?patient=nd-1')).json.total).toBe(1);
    expect((await n.get('Practitioner/pr-1')).status).toBe(200);
    // An absolute, versioned subject reference is stored as the local Patient/<id> and found by patient=.
    const abs = await n.get('Condition?patient=nd-1');
    expect(abs.json.total).toBe(1);
    expect(abs.json.entry[0].resource.subject.reference).toBe('Patient/nd-1');
    // The orphan result (no subject) is not served to anyone.
    expect((await n.get('Observation/orphan')).status).toBe(404);
    expect((await s.get('Observation/orphan')).status).toBe(404);
  });

  it('skips bad files with one warning line naming the file, and no patient data', () => {
    const text = r.logs.join('\n');
    expect(r.sb.warnings).toHaveLength(3);
    expect(text).toMatch(/skipped .*broken\.json: not valid JSON/);
    expect(text).toMatch(/skipped .*notfhir\.json: not a FHIR resource/);
    expect(text).toMatch(/skipped .*empty\.ndjson: empty file/);
    expect(text).not.toMatch(/expectations\.json|readme\.txt/);
    expect(text).not.toMatch(/Secretname|Rita|Nina|script|rd-1|nd-1|11111111/);
    expect(text).toMatch(/sandbox: 3 patients \(\d+ resources\) loaded from 2 sources in \d+ ms/);
    expect(text).toMatch(/1 resources without a known patient dropped/);
    expect(text).toMatch(/1 resources of unknown types dropped/);
  });

  it('home page lists every patient with escaped names and a launch button, and documents the options', async () => {
    const res = await fetch(`${r.origin}/sandbox/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('O&#39;Brien &amp; &quot;Co&quot;');
    expect(html).toContain('Re-dating check');
    for (const id of ['rd-1', 'nd-1', '11111111-1111-4111-8111-111111111111']) {
      expect(html).toContain(`name="patient" value="${id}"`);
    }
    for (const param of ['fault', 'slow_type', 'slow_ms', 'latency', 'expires', 'need_patient_banner', 'observation_rule']) {
      expect(html).toContain(`name="${param}"`);
    }
    expect(html).toMatch(/SMART App Launcher/);
    expect(html).toContain('value="Observation:500"');
    const redirect = await fetch(`${r.origin}/sandbox`, { redirect: 'manual' });
    expect(redirect.headers.get('location')).toBe('/sandbox/');
    const list = (await (await fetch(`${r.origin}/sandbox/patients.json`)).json()) as { id: string }[];
    expect(list.map((p) => p.id).sort()).toEqual(['11111111-1111-4111-8111-111111111111', 'nd-1', 'rd-1']);
  });

  it('passes non-sandbox paths to the next handler', async () => {
    for (const p of ['/', '/launch/', '/index.html', '/sandboxes', '/fhirx']) {
      const res = await fetch(`${r.origin}${p}`);
      expect(await res.text(), p).toBe('not sandbox');
    }
  });
});

describe('project data', () => {
  let r: Running;
  beforeAll(async () => {
    r = await startSandbox();
  });
  afterAll(async () => {
    await r.close();
  });

  it('loads every scenario patient (with its title) and the three Synthea patients', async () => {
    const scn = r.sb.patients.filter((p) => p.source === 'scenario');
    const syn = r.sb.patients.filter((p) => p.source === 'synthea');
    expect(syn).toHaveLength(3);
    const files = fs.readdirSync(path.resolve('test/scenarios')).filter((f) => f.endsWith('.json'));
    expect(scn.length).toBe(files.length);
    expect(scn.every((p) => p.description.length > 0 && !p.description.startsWith('Patient:'))).toBe(true);
    expect(r.sb.warnings).toEqual([]);
    // A real scenario result keeps its distance from the reference date.
    const s = await launchSession(r, 'scn-hyperpara');
    const ca = await s.get('Observation/scn-hyperpara-ca');
    expect(ca.json.effectiveDateTime).toBe(`${todayMinus(20)}T09:40:00Z`); // written as 2026-05-12T09:40:00Z
  });
});
