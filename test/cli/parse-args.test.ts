/**
 * Argument parsing of the headless evaluator (src/cli/evaluate.ts), in process, and run() with
 * captured streams: option forms, defaults, every usage error, and the privacy of stderr.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidDate, parseArgs, run, UsageError } from '../../src/cli/evaluate';
import { SCENARIO_DIR } from '../scenarios/index';

describe('parseArgs', () => {
  it('accepts the documented forms', () => {
    expect(parseArgs(['a.json'])).toEqual({ input: 'a.json', now: undefined, format: 'json' });
    expect(parseArgs(['--now', '2026-06-01', 'a.json', '--format', 'text'])).toEqual({ input: 'a.json', now: '2026-06-01', format: 'text' });
    expect(parseArgs(['--now=2026-06-01', '--format=json', 'dir/'])).toEqual({ input: 'dir/', now: '2026-06-01', format: 'json' });
    // `--` ends the options: a file may start with a dash.
    expect(parseArgs(['--', '--odd-name.json'])).toEqual({ input: '--odd-name.json', now: undefined, format: 'json' });
    expect(parseArgs(['-h'])).toBe('help');
    expect(parseArgs(['a.json', '--help'])).toBe('help');
    expect(parseArgs(['a.json', '--egfr', 'ckd-epi-2021'])).toEqual({ input: 'a.json', now: undefined, format: 'json', egfr: 'ckd-epi-2021' });
    expect(parseArgs(['a.json', '--egfr=ckd-epi-2009'])).toMatchObject({ egfr: 'ckd-epi-2009' });
  });

  it.each([
    [[], /no input given/],
    [['a.json', 'b.json'], /only one input/],
    [['a.json', '--now'], /--now needs a value/],
    [['a.json', '--now', '--format', 'text'], /--now needs a value/],
    [['a.json', '--now', '2026-6-1'], /--now must be a calendar date YYYY-MM-DD/],
    [['a.json', '--now', '2025-02-29'], /--now must be a calendar date/],
    [['a.json', '--now', '2026-06-01', '--now', '2026-06-02'], /--now given twice/],
    [['a.json', '--format', 'csv'], /--format must be json, text or note/],
    [['a.json', '--units', 'metric'], /--units must be si or conventional/],
    [['a.json', '--units', 'si', '--units', 'si'], /--units given twice/],
    [['a.json', '--format', 'text', '--format', 'json'], /--format given twice/],
    [['a.json', '--egfr', 'mdrd'], /--egfr must be ckd-epi-2009 or ckd-epi-2021/],
    [['a.json', '--egfr', 'ckd-epi-2009', '--egfr', 'ckd-epi-2021'], /--egfr given twice/],
    [['a.json', '--verbose'], /^unknown option --verbose$/],
    [['a.json', '--Jane Doe'], /^unknown option$/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('knows real calendar dates', () => {
    expect(['2024-02-29', '2026-06-01', '1999-12-31'].map(isValidDate)).toEqual([true, true, true]);
    expect(['2025-02-29', '2026-13-01', '2026-06-31', '20260601', '2026-06-01T00:00'].map(isValidDate)).toEqual([false, false, false, false, false]);
  });
});

describe('run', () => {
  async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const code = await run(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  }

  it('evaluates a scenario and writes one pretty JSON object', async () => {
    const r = await capture([join(SCENARIO_DIR, 'pending-orders.json'), '--now', '2026-06-01']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toMatchObject({ patient: { id: 'scn-pending' }, evaluatedAt: '2026-06-01' });
  });

  it('derives eGFR with the equation given by --egfr (section 3: a site setting), CKD-EPI 2009 by default', async () => {
    const file = join(SCENARIO_DIR, 'primary-hyperparathyroidism.json');
    const egfrOf = (out: string) => (JSON.parse(out) as { items: { id: string; latest?: { value: number; method?: string } }[] }).items.find((i) => i.id === 'egfr')!.latest!;
    const uk = await capture([file, '--now', '2026-06-01']);
    const us = await capture([file, '--now', '2026-06-01', '--egfr', 'ckd-epi-2021']);
    expect(egfrOf(uk.out)).toMatchObject({ value: 85.2, method: 'CKD-EPI 2009' });
    expect(egfrOf(us.out)).toMatchObject({ value: 89.5, method: 'CKD-EPI 2021' });
  });

  it('answers a usage error with one line and exit 2, without echoing the input path', async () => {
    const r = await capture(['/records/Jane-Doe-1970.json', '--format', 'xml']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^evaluate: --format must be json, text or note \(usage: npm run evaluate -- /);
    expect(r.err).not.toContain('Jane');
    const missing = await capture(['/records/Jane-Doe-1970.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('evaluate: cannot read the input (no such file or folder)\n');
  });
});
