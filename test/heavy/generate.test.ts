import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { countByType, generateHeavyBundle, mulberry32, serializeHeavyBundle, writeHeavyBundle } from './generate';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('heavy patient generator', () => {
  it('mulberry32 is deterministic and spreads over [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Roughly uniform: each tenth gets a share.
    for (let d = 0; d < 10; d += 1) expect(xs.filter((x) => Math.floor(x * 10) === d).length).toBeGreaterThan(50);
  });

  it('same seed gives byte-identical output; another seed gives other output', () => {
    const one = serializeHeavyBundle(generateHeavyBundle());
    const two = serializeHeavyBundle(generateHeavyBundle());
    expect(sha(two)).toBe(sha(one));
    const other = serializeHeavyBundle(generateHeavyBundle({ seed: 1 }));
    expect(sha(other)).not.toBe(sha(one));
    expect(other.length).toBeGreaterThan(one.length * 0.9);
  });

  it('the CLI writer produces the same bytes as the library', () => {
    const dir = mkdtempSync(join(tmpdir(), 'heavy-'));
    try {
      const { file, bytes } = writeHeavyBundle(dir, { visits: 50 });
      const text = readFileSync(file, 'utf8');
      expect(Buffer.byteLength(text)).toBe(bytes);
      expect(text).toBe(serializeHeavyBundle(generateHeavyBundle({ visits: 50 })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is heavy: one patient, at least 10,000 Observations over several years, and the other types', () => {
    const bundle = generateHeavyBundle();
    const counts = countByType(bundle);
    expect(counts.Patient).toBe(1);
    expect(counts.Observation).toBeGreaterThanOrEqual(10_000);
    for (const t of ['DiagnosticReport', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Procedure', 'ServiceRequest', 'ImagingStudy']) {
      expect(counts[t], t).toBeGreaterThan(0);
    }
    const obs = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation');
    const dates = obs.map((o) => o.effectiveDateTime ?? '').sort();
    const years = (Date.parse(dates.at(-1) ?? '') - Date.parse(dates[0] ?? '')) / (365.25 * 86_400_000);
    expect(years).toBeGreaterThan(5);
    // Catalog codes and other codes are both present, each catalog chemistry code many times.
    const byCode = new Map<string, number>();
    for (const o of obs) {
      const code = o.code.coding?.[0]?.code ?? '';
      byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    for (const code of ['2951-2', '2823-3', '2160-0', '17861-6', '33914-3', '1751-7', '2777-1', '2731-8', '3016-3', '62292-8', '24356-8', '6874-2']) {
      expect(byCode.get(code) ?? 0, code).toBeGreaterThan(0);
    }
    expect(byCode.get('2951-2') ?? 0).toBeGreaterThan(500);
    expect(byCode.get('718-7') ?? 0).toBeGreaterThan(0); // haemoglobin: not in the catalog
    // Every resource that has a subject points at the one patient; ids are unique.
    const ids = new Set<string>();
    for (const e of bundle.entry ?? []) {
      const r = e.resource as { resourceType: string; id?: string; subject?: { reference?: string } };
      const key = `${r.resourceType}/${r.id}`;
      expect(ids.has(key), key).toBe(false);
      ids.add(key);
      if (r.subject) expect(r.subject.reference).toBe('Patient/heavy-patient');
    }
  });
});
