/** `dataplan diff OLD NEW`: what changed between two plan versions, and whether it breaks senders. */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { diffVersions, formatJson, formatMarkdown, formatPretty, parsePlanRef, pickVersion, previousAndLatest, versionRef } from '../diff/index.js';
import { loadPlan, type CompiledPlan, type CompiledVersion } from '../validate/index.js';
import type { CliIO } from './io.js';
import { choosePlan, fail, PLAN_OPTION, UsageError } from './plan-option.js';

export interface DiffArgs {
  plan?: string;
  old?: string;
  new?: string;
  from?: number;
  to?: number;
  format?: 'pretty' | 'json' | 'markdown';
}

export function diffBuilder(y: Argv): Argv<DiffArgs> {
  return y
    .positional('old', { type: 'string', describe: 'the older plan: a file in any shape, or FILE@N for version N of a full plan; alone: compare its two latest versions' })
    .positional('new', { type: 'string', describe: 'the newer plan (FILE or FILE@N); default: the same file as OLD' })
    .option('plan', { ...PLAN_OPTION, describe: 'the plan when OLD is not given (its two latest versions, or --from/--to); default: mp.config.json, else the bundled example plan' })
    .option('from', { type: 'number', describe: 'version of OLD to compare (same as OLD@N)' })
    .option('to', { type: 'number', describe: 'version of NEW to compare (same as NEW@N)' })
    .option('format', { choices: ['pretty', 'json', 'markdown'] as const, default: 'pretty' as const, describe: 'output format (markdown: for a PR comment)' })
    .example('$0 diff', 'the bundled plan: version 1 → version 2')
    .example('$0 diff --plan plan.json --from 3 --to 4', 'two versions of the plan in plan.json')
    .example('$0 diff plan-v3.json plan-v4.json', 'two version files')
    .example('$0 diff plan.json@3 plan.json@4', 'two versions inside one full plan (same as: plan.json --from 3 --to 4)')
    .example('$0 diff main.json pr.json --format markdown > diff.md', 'a PR comment; exit 1 if anything breaks')
    .epilogue('Breaking: removed data point, newly required attribute, narrowed type/enum/range/pattern, stricter additionalProperties, blocking turned on.\n' +
      'Exit codes: 0 only compatible changes (or none), 1 a breaking change, 2 unusable input.') as Argv<DiffArgs>;
}

export function diffCommand(args: DiffArgs, io: CliIO): number {
  try {
    const cache = new Map<string, CompiledPlan>();
    const open = (file: string) => {
      const abs = resolve(io.cwd, file);
      let p = cache.get(abs);
      if (!p) cache.set(abs, (p = loadPlan(abs)));
      return p;
    };
    if (args.plan !== undefined && args.old !== undefined) throw new UsageError(`--plan names the plan when OLD is not given; drop --plan or ${args.old}`);
    const oldRef = args.old ? parsePlanRef(args.old) : { file: choosePlan(args.plan, io.cwd).file, version: undefined };
    const newRef = args.new ? parsePlanRef(args.new) : { file: oldRef.file, version: undefined };
    if (args.from !== undefined && oldRef.version !== undefined && args.from !== oldRef.version) throw new UsageError(`--from ${args.from} contradicts ${args.old}`);
    if (args.to !== undefined && newRef.version !== undefined && args.to !== newRef.version) throw new UsageError(`--to ${args.to} contradicts ${args.new}`);
    const oldPlan = open(oldRef.file);
    const newPlan = open(newRef.file);
    const fromV = oldRef.version ?? args.from;
    const toV = newRef.version ?? args.to;
    let a: CompiledVersion;
    let b: CompiledVersion;
    if (oldPlan === newPlan && fromV === undefined && toV === undefined) [a, b] = previousAndLatest(oldPlan);
    else {
      a = pickVersion(oldPlan, fromV, 'OLD');
      b = pickVersion(newPlan, toV, 'NEW');
    }
    const d = diffVersions(a.version, b.version, { old: versionRef(oldPlan, a), new: versionRef(newPlan, b) });
    const text = args.format === 'json' ? formatJson(d) : args.format === 'markdown' ? formatMarkdown(d, { cwd: io.cwd }) : formatPretty(d, { color: io.color, cwd: io.cwd });
    io.stdout(text);
    return d.summary.breaking > 0 ? 1 : 0;
  } catch (err) {
    return fail(err, io.stderr);
  }
}
