/** The `dataplan` command line. Commands stay thin: parse flags, call the core, print, exit. */
import type { Argv } from 'yargs';
import { sharedOptions } from './flags.js';
import { processIO, withColorFlag, type CliIO } from './io.js';
import { quickParse } from './quick.js';
import { STDIN_ARG, UsageError } from './usage.js';
import { VERSION } from './version.js';
// Types only: each command's module (and everything it needs) is imported when that command runs.
import type { CodegenArgs } from './codegen.js';
import type { CompileArgs } from './compile.js';
import type { ConsumeArgs } from './consume.js';
import type { DemoArgs } from './demo.js';
import type { DiffArgs } from './diff.js';
import type { LintPlanArgs } from './lint-plan.js';
import type { PlanCheckArgs } from './plan-check.js';
import type { PublishArgs } from './publish.js';
import type { ReplayArgs } from './replay.js';
import type { ScanArgs } from './scan.js';
import type { StreamArgs } from './stream.js';
import type { ValidateArgs } from './validate.js';

/** What a command's module provides: its flags and its handler, returning an exit code. */
export interface CommandModule<A = Record<string, unknown>> {
  builder: (y: Argv) => Argv<A>;
  run: (args: A, io: CliIO) => Promise<number> | number;
}

/**
 * One line of the command table: name and description (all that `dataplan -h` shows) and how to load
 * the rest. The module is imported only when yargs picks the command, for its flags or its handler.
 */
export interface CommandSpec<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  load: () => Promise<CommandModule<A>>;
}

type AnyCommand = CommandSpec<Record<string, unknown>>;

/** Type-check a command against its own argument type, then list it with the others. */
export function defineCommand<A>(spec: CommandSpec<A>): AnyCommand {
  return spec as unknown as AnyCommand;
}

export const COMMANDS: AnyCommand[] = [
  defineCommand<ValidateArgs>({ command: ['validate [files..]', 'v'], describe: 'validate batches (files, globs, NDJSON, stdin) against the plan', load: async () => {
    const m = await import('./validate.js');
    return { builder: m.validateBuilder, run: m.validateCommand };
  } }),
  defineCommand<CompileArgs>({ command: 'compile', describe: 'write portable JSON Schemas: one per data point and one for a whole batch', load: async () => {
    const m = await import('./compile.js');
    return { builder: m.compileBuilder, run: m.compileCommand };
  } }),
  defineCommand<StreamArgs>({ command: 'stream', describe: 'receive events from the real SDKs on 127.0.0.1 and flag violations as they arrive (terminal UI)', load: async () => {
    const m = await import('./stream.js');
    return { builder: m.streamBuilder, run: m.streamCommand };
  } }),
  defineCommand<ReplayArgs>({ command: 'replay <captures..>', describe: 're-validate a captured stream session offline, or send it to a receiver', load: async () => {
    const m = await import('./replay.js');
    return { builder: m.replayBuilder, run: m.replayCommand };
  } }),
  defineCommand<DemoArgs>({ command: 'demo', describe: 'the Live Stream on the bundled plan with built-in traffic (what npm start runs)', load: async () => {
    const m = await import('./demo.js');
    return { builder: m.demoBuilder, run: m.demoCommand };
  } }),
  defineCommand<LintPlanArgs>({ command: 'lint-plan', describe: 'check the plan itself against rule sets (naming, descriptions, near-duplicates, risky patterns)', load: async () => {
    const m = await import('./lint-plan.js');
    return { builder: m.lintPlanBuilder, run: m.lintPlanCommand };
  } }),
  defineCommand<DiffArgs>({ command: 'diff [old] [new]', describe: 'compare two plan versions; breaking vs compatible changes', load: async () => {
    const m = await import('./diff.js');
    return { builder: m.diffBuilder, run: m.diffCommand };
  } }),
  defineCommand<CodegenArgs>({ command: 'codegen', describe: 'generate a typed TypeScript module: one web SDK call per data point', load: async () => {
    const m = await import('./codegen.js');
    return { builder: m.codegenBuilder, run: m.codegenCommand };
  } }),
  defineCommand<ConsumeArgs>({ command: 'consume', describe: 'a worker validating a NATS JetStream stream: one verdict per message; start more anywhere to share the work', load: async () => {
    const m = await import('./consume.js');
    return { builder: m.consumeBuilder, run: m.consumeCommand };
  } }),
  defineCommand<PublishArgs>({ command: 'publish [files..]', describe: 'feed a NATS JetStream subject from batch files or stdin (NDJSON streamed in constant memory)', load: async () => {
    const m = await import('./publish.js');
    return { builder: m.publishBuilder, run: m.publishCommand };
  } }),
  defineCommand<ScanArgs>({ command: 'scan [dir]', describe: 'coverage: data points the code never calls, calls the plan lacks, calls that cannot be checked', load: async () => {
    const m = await import('./scan.js');
    return { builder: m.scanBuilder, run: m.scanCommand };
  } }),
];

/** `plan <command>`: commands about the plan itself. */
export const PLAN_COMMANDS: AnyCommand[] = [
  defineCommand<PlanCheckArgs>({ command: 'check', describe: 'report plan problems (bad regex, unknown formats or match types, duplicates) only', load: async () => {
    const m = await import('./plan-check.js');
    return { builder: m.planCheckBuilder, run: m.planCheckCommand };
  } }),
];

/**
 * yargs renders the whole help text after every command handler starts, in case the handler asks
 * for it; ours never do, and the rendering (wrapping every line) took more time than a small
 * `validate`. Help itself (`-h`) is rendered when asked for, as before.
 */
function skipHelpCache(y: Argv): void {
  const usage = (y as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** A plain command line runs without yargs (see quick.ts); undefined when it needs yargs. */
async function runQuick(args: string[], io: CliIO): Promise<number | undefined> {
  const c = COMMANDS.find((x) => [x.command].flat().some((spec) => spec.split(' ')[0] === args[0]));
  if (!c) return undefined;
  const m = await c.load();
  const spec = [c.command].flat()[0];
  const parsed = quickParse(spec, m.builder, args.slice(1));
  if (!parsed) return undefined;
  return m.run({ ...parsed, _: [args[0]], $0: 'dataplan' }, withColorFlag(io, parsed.color));
}

/** Run the CLI; resolves to the exit code (the bin sets it). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  // `--version` is the plan-version flag of several commands; the tool's own version is `dataplan --version` alone.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  // yargs drops a lone "-"; keep it as a token the commands turn back into stdin.
  const args = argv.map((a) => (a === '-' ? STDIN_ARG : a));
  try {
    return (await runQuick(args, io)) ?? (await runYargs(args, io));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`dataplan: ${err.message}\nRun "dataplan --help" for usage.\n`);
    return 2;
  }
}

/** The full way: yargs parses, checks, prints help; usage errors are thrown as UsageError. */
async function runYargs(args: string[], io: CliIO): Promise<number> {
  const { default: yargs } = await import('yargs');
  const y = sharedOptions(yargs(args), args)
    .scriptName('dataplan')
    .version(false)
    .strict()
    .recommendCommands()
    .demandCommand(1, 'Name a command; see dataplan --help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue('Exit codes: 0 clean, 1 violations, 2 unusable input (bad plan, unreadable or malformed files) or usage error.')
    .fail((msg, err) => {
      // Throwing stops yargs before any command handler runs.
      throw err ?? new UsageError(msg);
    });
  skipHelpCache(y);
  let code = 0;
  const add = (p: Argv, c: AnyCommand) =>
    p.command(c.command, c.describe, async (yy) => (await c.load()).builder(yy), async (a) => {
      code = await (await c.load()).run(a, withColorFlag(io, a.color));
    });
  for (const c of COMMANDS) add(y, c);
  y.command('plan <command>', 'work with the plan itself', (p) => {
    for (const c of PLAN_COMMANDS) add(p, c);
    return p.demandCommand(1, 'Name a plan command: check');
  });
  // With a callback yargs hands over what it would print (help) instead of printing it and exiting.
  let shown = '';
  await y.parseAsync(args, {}, (_err, _args, output) => {
    shown = output;
  });
  if (shown) io.stdout(shown.endsWith('\n') ? shown : shown + '\n');
  return code;
}
