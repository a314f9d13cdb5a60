/** `dataplan validate [files...]` */
import type { Argv } from 'yargs';
import { FORMATS, createReporter, problemLine, type Format } from '../report/index.js';
import { runValidation } from '../validate/run.js';
import type { CliIO } from './io.js';
import { BUNDLED_BATCHES, fail, openChosenPlan, PLAN_OPTION, STDIN_ARG, UsageError } from './plan-option.js';
import { VERSION } from './version.js';
import { MAX_LINE_LIMIT } from '../validate/lines.js';

export { FORMATS, type Format } from '../report/index.js';

export interface ValidateArgs {
  files?: string[];
  plan?: string;
  version?: number;
  format?: Format;
  block?: boolean;
  out?: string;
  force?: boolean;
  strictTypes?: boolean;
  quiet?: boolean;
  jobs?: number;
  failOnSkip?: boolean;
  maxLine?: string;
}

export function validateBuilder(y: Argv): Argv<ValidateArgs> {
  return y
    .positional('files', { type: 'string', array: true, describe: 'batch files, directories or globs (JSON, bulk arrays, NDJSON); - for stdin; default: the bundled examples' })
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'validate with this plan version (default: the batch\'s plan_version, else the latest active for its environment)' })
    .option('format', { choices: FORMATS, default: 'pretty' as Format, describe: 'output format' })
    .option('block', { type: 'boolean', describe: 'show what the plan\'s block settings would drop' })
    .option('out', { type: 'string', describe: 'with --block: write the filtered batches into this directory' })
    .option('force', { type: 'boolean', describe: 'validate every batch against the plan, even those the platform would skip (no plan context, another plan)' })
    .option('strict-types', { type: 'boolean', describe: 'no platform type conversion ("42" is not a number)' })
    .option('fail-on-skip', { type: 'boolean', describe: 'exit 1 when any batch was not validated (no plan context, no active version, not a batch) or a file held no batch' })
    .option('max-line', { type: 'string', describe: 'longest line (or single JSON document) read, in bytes or with KB, MB, GB (default 256MB, at most 512MB)' })
    .option('jobs', { type: 'number', describe: 'worker threads for NDJSON files (default: one per core for files over 256 MB; 1 = single-threaded)' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'pretty format: print only batches with problems and the summary' })
    .example('$0 validate', 'validate the bundled example batches against the bundled plan')
    .example('$0 validate batches/*.json --plan plan.json', 'validate files against a plan')
    .example('cat events.ndjson | $0 validate - --format json', 'validate NDJSON from stdin, print JSON')
    .example('$0 validate out/ --format sarif > dataplan.sarif', 'SARIF for code scanning')
    .example('$0 validate captures/ --fail-on-skip', 'in CI: also fail on batches the plan never judged')
    .example('$0 validate quarantine.json --block --out filtered/', 'what blocking would drop, and the filtered batches') as Argv<ValidateArgs>;
}

export async function validateCommand(args: ValidateArgs, io: CliIO): Promise<number> {
  try {
    if (args.out && !args.block) throw new UsageError('--out goes with --block');
    const maxLine = args.maxLine === undefined ? undefined : parseSize(args.maxLine);
    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    const format = args.format ?? 'pretty';
    // Problems go to stderr whatever the format (the JSON output also lists them).
    if (format !== 'pretty') for (const p of plan.problems) io.stderr(`dataplan: ${problemLine(p)}\n`);
    const sources = args.files && args.files.length > 0 ? args.files.map((f) => (f === STDIN_ARG ? '-' : f)) : [BUNDLED_BATCHES];
    const reporter = createReporter(format, io.stdout, { color: io.color, block: args.block, quiet: args.quiet, version: VERSION, cwd: io.cwd });
    const summary = await runValidation({
      plan, sources, reporter, stdin: io.stdin, version, force: args.force, strictTypes: args.strictTypes,
      keepText: format === 'sarif' || format === 'github', blockOut: args.block ? args.out : undefined, jobs: args.jobs, failOnSkip: args.failOnSkip, maxLine,
    });
    if (args.failOnSkip && summary.exit_code === 1 && (summary.not_validated_batches > 0 || summary.empty_sources > 0)) {
      io.stderr(`dataplan: --fail-on-skip: ${summary.not_validated_batches} batch(es) not validated, ${summary.empty_sources} file(s) without batches\n`);
    }
    if (args.block && args.out) io.stderr(`dataplan: wrote filtered batches to ${args.out}\n`);
    return summary.exit_code;
  } catch (err) {
    return fail(err, io.stderr);
  }
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `--max-line 64MB`: bytes, with an optional unit (binary: 1 KB = 1,024 bytes). */
function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new UsageError(`--max-line ${JSON.stringify(text)}: expected a size such as 1048576, 64KB or 256MB`);
  const n = Math.floor(Number(m[1]) * unit);
  if (n < 1 || n > MAX_LINE_LIMIT) throw new UsageError(`--max-line ${text}: expected 1 byte to ${Math.floor(MAX_LINE_LIMIT / 1024 ** 2)}MB (the longest text JavaScript can hold)`);
  return n;
}
