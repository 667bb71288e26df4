/**
 * Headless evaluator: `npm run evaluate -- <input> [--now YYYY-MM-DD] [--format json|text|note]
 * [--egfr ckd-epi-2009|ckd-epi-2021]` (the site's eGFR equation for derived values; default 2009).
 *
 * <input>: a FHIR R4 Bundle JSON file (collection, searchset, transaction, batch-response...) or a
 * folder of Bulk Data NDJSON files. See docs/evaluator.md for the contract.
 *
 * Output (stdout):
 *   --format json (default): one pretty-printed JSON object (2-space indent) for a Bundle holding one
 *     patient; NDJSON (one compact object per line) for a folder, or a Bundle holding several patients.
 *   --format text: the readable report of src/cli/format-text.ts, patients separated by a rule.
 *   --format note: the text the app's "Copy to note" puts on the clipboard (src/clinical/note.ts: no
 *     patient identifiers), patients separated by a rule; --units si|conventional (default si).
 *
 * Exit codes: 0 evaluated (warnings possible); 1 at least one patient could not be evaluated
 * (an internal error: the others are still printed); 2 unusable input or usage (one line on stderr).
 *
 * Privacy: stderr carries no patient data: no names, ids, values, not even the input path (a file
 * may be named after a patient). Warnings are counts. Stack traces only with EVALUATE_DEBUG=1.
 */
import { isMatch } from 'date-fns';
import { readFile } from 'node:fs/promises';
import { evaluate, isEgfrEquation, type SiteCodeMap } from '../clinical/index';
import type { EgfrEquation, Evaluation, EvaluationSettings } from '../clinical/model';
import { parseSiteCodes, siteCodeProblemText } from '../clinical/sitecodes-check';
import { formatNote } from '../clinical/note';
import type { UnitSystem } from '../clinical/display';
import { formatText } from './format-text';
import { readInput, UnusableInputError, type PatientGroup } from './read-input';

export const USAGE =
  'usage: npm run evaluate -- <bundle.json | ndjson-folder> [--now YYYY-MM-DD] [--format json|text|note] [--units si|conventional] [--egfr ckd-epi-2009|ckd-epi-2021] [--site-codes site-codes.json]';

export interface Options {
  input: string;
  now?: string;
  format: 'json' | 'text' | 'note';
  /** The unit system of the note (section 7b); default SI. */
  units?: UnitSystem;
  /** The eGFR equation of derived values (section 3: a site setting); default: the engine's. */
  egfr?: EgfrEquation;
  /** A site's terminology map (src/clinical/sitecodes.ts), checked before anything is evaluated. */
  siteCodes?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The options that take a value, each at most once. */
const VALUE_OPTIONS = ['--now', '--format', '--egfr', '--units', '--site-codes'] as const;
type ValueOption = (typeof VALUE_OPTIONS)[number];
const isValueOption = (name: string): name is ValueOption => (VALUE_OPTIONS as readonly string[]).includes(name);

/** Parses argv (without node and the script). `--help` returns 'help'. Throws UsageError. */
export function parseArgs(argv: readonly string[]): Options | 'help' {
  let input: string | undefined;
  const given: Partial<Record<ValueOption, string>> = {};
  let positionalOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!positionalOnly && arg === '--') {
      positionalOnly = true;
      continue;
    }
    if (!positionalOnly && arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      const value = (): string => {
        if (inline !== undefined) return inline;
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError(`option ${name} needs a value`);
        i++;
        return next;
      };
      if (name === '-h' || name === '--help') return 'help';
      if (!isValueOption(name)) {
        // The option name is echoed only when it looks like an option name (never arbitrary text).
        throw new UsageError(/^--?[A-Za-z][A-Za-z0-9-]{0,30}$/.test(name) ? `unknown option ${name}` : 'unknown option');
      }
      if (given[name] !== undefined) throw new UsageError(`option ${name} given twice`);
      given[name] = value();
      continue;
    }
    if (input !== undefined) throw new UsageError('only one input (a Bundle file or an NDJSON folder) can be given');
    input = arg;
  }
  if (input === undefined) throw new UsageError('no input given');
  const { '--now': now, '--format': format = 'json', '--egfr': egfr, '--units': units, '--site-codes': siteCodes } = given;
  if (format !== 'json' && format !== 'text' && format !== 'note') throw new UsageError('--format must be json, text or note');
  if (units !== undefined && units !== 'si' && units !== 'conventional') throw new UsageError('--units must be si or conventional');
  if (now !== undefined && !isValidDate(now)) throw new UsageError('--now must be a calendar date YYYY-MM-DD');
  if (egfr !== undefined && !isEgfrEquation(egfr)) throw new UsageError('--egfr must be ckd-epi-2009 or ckd-epi-2021');
  const opts: Options = { input, now, format };
  if (egfr !== undefined) opts.egfr = egfr;
  if (siteCodes !== undefined) opts.siteCodes = siteCodes;
  if (units !== undefined) opts.units = units as UnitSystem;
  return opts;
}

/** A real calendar date in YYYY-MM-DD (2026-02-30 is refused). */
export function isValidDate(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && isMatch(s, 'yyyy-MM-dd');
}

/** Today's local calendar date, the default evaluation date. */
function today(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Runs the evaluator; returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: RunIO): Promise<number> {
  const say = (msg: string): void => io.stderr(`evaluate: ${msg}\n`);
  let opts: Options | 'help';
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      say(`${e.message} (${USAGE.replace(/^usage: /, 'usage: ')})`);
      return 2;
    }
    throw e;
  }
  if (opts === 'help') {
    io.stdout(`${USAGE}\n\nEvaluates FHIR R4 records against the nephrocalcinosis workup. See docs/evaluator.md.\n`);
    return 0;
  }
  let siteCodes: SiteCodeMap | undefined;
  if (opts.siteCodes !== undefined) {
    const site = await readSiteCodes(opts.siteCodes);
    if (!site.ok) {
      for (const line of site.problems) say(`site codes: ${line}`);
      return 2;
    }
    siteCodes = site.map;
  }
  let loaded;
  try {
    loaded = await readInput(opts.input);
  } catch (e) {
    if (e instanceof UnusableInputError) {
      say(e.message);
      return 2;
    }
    say('the input could not be read (unexpected error)');
    debug(io, e);
    return 2;
  }
  for (const w of loaded.warnings) say(`warning: ${w}`);

  const now = opts.now ?? today();
  const many = loaded.kind === 'ndjson' || loaded.patients.length > 1;
  if (loaded.kind === 'bundle' && loaded.patients.length > 1) {
    say(`warning: the Bundle holds ${loaded.patients.length} patients: one result per line`);
  }
  let failed = 0;
  let first = true;
  for (const [index, group] of loaded.patients.entries()) {
    let ev: Evaluation;
    try {
      ev = evaluateGroup(group, now, opts.egfr ? { egfrEquation: opts.egfr } : undefined, siteCodes);
    } catch (e) {
      failed++;
      // Position only: the patient's id is patient data.
      say(`patient ${index + 1} of ${loaded.patients.length} could not be evaluated (internal error)`);
      debug(io, e);
      continue;
    }
    if (opts.format === 'text' || opts.format === 'note') {
      const text = opts.format === 'text' ? formatText(ev) : formatNote(ev, opts.units ?? 'si');
      io.stdout(`${first ? '' : `\n${'='.repeat(78)}\n\n`}${text}`);
    } else {
      io.stdout(many ? `${JSON.stringify(ev)}\n` : `${JSON.stringify(ev, null, 2)}\n`);
    }
    first = false;
  }
  return failed > 0 ? 1 : 0;
}

export function evaluateGroup(group: PatientGroup, now: string, settings?: EvaluationSettings, siteCodes?: SiteCodeMap): Evaluation {
  return evaluate({ patient: group.patient, resources: group.resources, now, ...(settings ? { settings } : {}), ...(siteCodes ? { siteCodes } : {}) });
}

/** Reads and checks a site's terminology map: the map, or every problem in words (no patient data in a map). */
export async function readSiteCodes(path: string): Promise<{ ok: true; map: SiteCodeMap } | { ok: false; problems: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return { ok: false, problems: [e instanceof SyntaxError ? 'the file is not valid JSON' : 'the file cannot be read'] };
  }
  const r = parseSiteCodes(json);
  return r.ok ? r : { ok: false, problems: r.problems.map(siteCodeProblemText) };
}

function debug(io: RunIO, e: unknown): void {
  if (process.env.EVALUATE_DEBUG === '1') io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
}

/** Writes to stdout respecting back-pressure (large folders piped to a slow reader). */
function makeStdout(): { write: (s: string) => void; flush: () => Promise<void> } {
  let pending: Promise<void> = Promise.resolve();
  return {
    write(s: string) {
      if (!process.stdout.write(s)) {
        pending = pending.then(() => new Promise<void>((resolve) => process.stdout.once('drain', () => resolve())));
      }
    },
    flush: () => pending,
  };
}

async function main(): Promise<void> {
  const out = makeStdout();
  // A closed pipe (`... | head`) is not an error of the evaluator.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  let code: number;
  try {
    code = await run(process.argv.slice(2), { stdout: out.write, stderr: (s) => process.stderr.write(s) });
  } catch (e) {
    process.stderr.write('evaluate: unexpected internal error\n');
    if (process.env.EVALUATE_DEBUG === '1') process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    code = 1;
  }
  await out.flush();
  process.exitCode = code;
}

// Run only as the entry point (tests import parseArgs/run directly).
const entry = process.argv[1] ?? '';
if (/[\\/]src[\\/]cli[\\/]evaluate\.(ts|js|mjs)$/.test(entry)) void main();
