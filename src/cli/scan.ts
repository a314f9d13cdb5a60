/** `dataplan scan [dir]`: which data points the code calls, which calls the plan lacks, which cannot be checked. */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { WrapperSetting } from '../lint/recognize/index.js';
import { readSettings } from '../lint/settings.js';
import { InputError, isObject, readJsonFile } from '../plan/index.js';
import { formatGithub, formatJson, formatMarkdown, formatPretty, loadProjectFiles, progressBar, scanCoverage, scanFindings, SCAN_RULES, type ScanResult } from '../scan/index.js';
import { failIn, sarifText } from './ci-output.js';
import { needPeers, SCAN_PEERS } from './peers.js';
import type { CliIO } from './io.js';
import { openChosenPlan, PLAN_OPTION, UsageError } from './plan-option.js';

export const FAIL_ON = ['unplanned', 'unverifiable', 'uncovered', 'violations'] as const;
export const SCAN_FORMATS = ['pretty', 'json', 'markdown', 'sarif', 'github'] as const;
type FailOn = (typeof FAIL_ON)[number];

export interface ScanArgs {
  dir?: string;
  plan?: string;
  version?: number;
  project?: string;
  format?: (typeof SCAN_FORMATS)[number];
  failOn?: string[];
  wrappers?: string;
  progress?: boolean;
  verbose?: boolean;
}

export function scanBuilder(y: Argv): Argv<ScanArgs> {
  return y
    .positional('dir', { type: 'string', describe: 'project directory (its tsconfig.json / jsconfig.json decides the files); default: the current directory' })
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'plan version to check against (default: the latest in the file)' })
    .option('project', { type: 'string', describe: 'tsconfig/jsconfig to use instead of DIR/tsconfig.json' })
    .option('format', { choices: SCAN_FORMATS, default: 'pretty' as const, describe: 'output format (markdown: a PR comment; sarif: code scanning; github: pull-request annotations, errors for what --fail-on names)' })
    .option('fail-on', { type: 'string', array: true, describe: `exit 1 when any of these is found (comma-separated): ${FAIL_ON.join(', ')}` })
    .option('wrappers', { type: 'string', describe: 'JSON file with your tracking wrappers, as in the ESLint settings.dataplan.wrappers ([{"name": "track", "type": "navigation"}]); wrappers whose body calls the SDK are found without it' })
    .option('progress', { type: 'boolean', describe: 'progress bar on stderr (default: when stderr is a terminal, whatever stdout is)' })
    .option('verbose', { type: 'boolean', alias: 'v', describe: 'pretty format: list every call site' })
    .example('$0 scan', 'the current directory against mp.config.json\'s plan (or the bundled example)')
    .example('$0 scan src/web --plan plans/shop-3.json', 'one app of a monorepo')
    .example('$0 scan --format json --fail-on unplanned,uncovered > coverage.json', 'CI: fail on calls missing from the plan or data points nobody sends')
    .example('$0 scan --format markdown > coverage.md', 'a PR comment')
    .example('$0 scan --format github --fail-on unplanned', 'in a GitHub Actions step: annotate calls missing from the plan')
    .epilogue('Exit codes: 0 done (and nothing --fail-on names was found), 1 something --fail-on names was found, 2 unusable plan, project or flags.') as Argv<ScanArgs>;
}

function parseFailOn(values: string[] | undefined): Set<FailOn> {
  const out = new Set<FailOn>();
  for (const v of (values ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(FAIL_ON as readonly string[]).includes(v)) throw new UsageError(`--fail-on: unknown category "${v}" (expected ${FAIL_ON.join(', ')})`);
    out.add(v as FailOn);
  }
  return out;
}

/** Wrappers as in the ESLint plugin's settings.dataplan.wrappers (same format, same checks). */
function readWrappers(file: string): WrapperSetting[] {
  const json = readJsonFile(file);
  const list = isObject(json) && json.wrappers !== undefined ? json.wrappers : json;
  const { settings, errors } = readSettings({ dataplan: { wrappers: list } });
  if (errors.length) throw new InputError(errors[0].replace('settings.dataplan.wrappers', 'wrappers'), file);
  return settings.wrappers ?? [];
}

export function failures(r: ScanResult, on: Set<FailOn>): string[] {
  const out: string[] = [];
  if (on.has('unplanned') && r.summary.unplanned) out.push(`${r.summary.unplanned} calls not in the plan`);
  if (on.has('unverifiable') && r.summary.unverifiable) out.push(`${r.summary.unverifiable} unverifiable calls`);
  if (on.has('uncovered') && r.summary.uncovered) out.push(`${r.summary.uncovered} data points never called`);
  if (on.has('violations') && r.summary.violations) out.push(`${r.summary.violations} attribute problems`);
  return out;
}

export function scanCommand(args: ScanArgs, io: CliIO): number {
  try {
    const failOn = parseFailOn(args.failOn);
    needPeers('scan', SCAN_PEERS);
    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    const wrappers = args.wrappers ? readWrappers(resolve(io.cwd, args.wrappers)) : [];
    const project = loadProjectFiles(resolve(io.cwd, args.dir ?? '.'), args.project ? resolve(io.cwd, args.project) : undefined);
    for (const w of project.warnings) io.stderr(`dataplan: warning: ${w}\n`);
    const bar = progressBar(io.stderr, args.progress ?? io.stderrIsTTY === true);
    const result = scanCoverage(plan, project.files, { root: project.root, configs: project.configs, version, wrappers, onProgress: (d, t) => bar.update(d, t) });
    bar.end();
    const format = args.format ?? 'pretty';
    const failed = failures(result, failOn);
    const code = failed.length ? 1 : 0;
    switch (format) {
      case 'json': io.stdout(formatJson(result)); break;
      case 'markdown': io.stdout(formatMarkdown(result)); break;
      case 'sarif': io.stdout(sarifText(scanFindings(result, failOn), SCAN_RULES, io, code)); break;
      case 'github': io.stdout(formatGithub(result, failOn, io.cwd)); break;
      default: io.stdout(formatPretty(result, { color: io.color, verbose: args.verbose }));
    }
    if (failed.length) {
      io.stderr(`dataplan: --fail-on: ${failed.join(', ')}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    return failIn(args.format, err, io);
  }
}
