/** The `dataplan` command line. Commands stay thin: parse flags, call the core, print, exit. */
import yargs, { type Argv } from 'yargs';
import { sharedOptions } from './flags.js';
import { processIO, withColorFlag, type CliIO } from './io.js';
import { STDIN_ARG, UsageError } from './plan-option.js';
import { compileBuilder, compileCommand, type CompileArgs } from './compile.js';
import { scanBuilder, scanCommand, type ScanArgs } from './scan.js';
import { codegenBuilder, codegenCommand, type CodegenArgs } from './codegen.js';
import { diffBuilder, diffCommand, type DiffArgs } from './diff.js';
import { lintPlanBuilder, lintPlanCommand, type LintPlanArgs } from './lint-plan.js';
import { planCheckBuilder, planCheckCommand, type PlanCheckArgs } from './plan-check.js';
import { demoBuilder, demoCommand, type DemoArgs } from './demo.js';
import { replayBuilder, replayCommand, type ReplayArgs } from './replay.js';
import { streamBuilder, streamCommand, type StreamArgs } from './stream.js';
import { validateBuilder, validateCommand, type ValidateArgs } from './validate.js';
import { consumeBuilder, consumeCommand, type ConsumeArgs } from './consume.js';
import { publishBuilder, publishCommand, type PublishArgs } from './publish.js';
import { VERSION } from './version.js';

/** Each command module adds itself here: name, description, flags, handler returning an exit code. */
export interface CommandSpec<A = Record<string, unknown>> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv<A>;
  run: (args: A, io: CliIO) => Promise<number> | number;
}

type AnyCommand = CommandSpec<Record<string, unknown>>;

/** Type-check a command against its own argument type, then list it with the others. */
export function defineCommand<A>(spec: CommandSpec<A>): AnyCommand {
  return spec as unknown as AnyCommand;
}

export const COMMANDS: AnyCommand[] = [
  defineCommand<ValidateArgs>({ command: ['validate [files..]', 'v'], describe: 'validate batches (files, globs, NDJSON, stdin) against the plan', builder: validateBuilder, run: validateCommand }),
  defineCommand<CompileArgs>({ command: 'compile', describe: 'write portable JSON Schemas: one per data point and one for a whole batch', builder: compileBuilder, run: compileCommand }),
  defineCommand<StreamArgs>({ command: 'stream', describe: 'receive events from the real SDKs on 127.0.0.1 and flag violations as they arrive (terminal UI)', builder: streamBuilder, run: streamCommand }),
  defineCommand<ReplayArgs>({ command: 'replay <captures..>', describe: 're-validate a captured stream session offline, or send it to a receiver', builder: replayBuilder, run: replayCommand }),
  defineCommand<DemoArgs>({ command: 'demo', describe: 'the Live Stream on the bundled plan with built-in traffic (what npm start runs)', builder: demoBuilder, run: demoCommand }),
  defineCommand<LintPlanArgs>({ command: 'lint-plan', describe: 'check the plan itself against rule sets (naming, descriptions, near-duplicates, risky patterns)', builder: lintPlanBuilder, run: lintPlanCommand }),
  defineCommand<DiffArgs>({ command: 'diff [old] [new]', describe: 'compare two plan versions; breaking vs compatible changes', builder: diffBuilder, run: diffCommand }),
  defineCommand<CodegenArgs>({ command: 'codegen', describe: 'generate a typed TypeScript module: one web SDK call per data point', builder: codegenBuilder, run: codegenCommand }),
  defineCommand<ConsumeArgs>({ command: 'consume', describe: 'a worker validating a NATS JetStream stream: one verdict per message; start more anywhere to share the work', builder: consumeBuilder, run: consumeCommand }),
  defineCommand<PublishArgs>({ command: 'publish [files..]', describe: 'feed a NATS JetStream subject from batch files or stdin (NDJSON streamed in constant memory)', builder: publishBuilder, run: publishCommand }),
  defineCommand<ScanArgs>({ command: 'scan [dir]', describe: 'coverage: data points the code never calls, calls the plan lacks, calls that cannot be checked', builder: scanBuilder, run: scanCommand }),
];

/** Run the CLI; resolves to the exit code (the bin sets it). */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let code = 0;
  // `--version` is the plan-version flag of several commands; the tool's own version is `dataplan --version` alone.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  // yargs drops a lone "-"; keep it as a token the commands turn back into stdin.
  const args = argv.map((a) => (a === '-' ? STDIN_ARG : a));
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
  for (const c of COMMANDS) {
    y.command(c.command, c.describe, c.builder as (y: Argv) => Argv, async (args) => {
      code = await c.run(args, withColorFlag(io, args.color));
    });
  }
  y.command('plan <command>', 'work with the plan itself', (p) =>
    p.command('check', 'report plan problems (bad regex, unknown formats or match types, duplicates) only', planCheckBuilder, (args) => {
      code = planCheckCommand(args as PlanCheckArgs, withColorFlag(io, args.color));
    }).demandCommand(1, 'Name a plan command: check'),
  );
  try {
    // With a callback yargs hands over what it would print (help) instead of printing it and exiting.
    let shown = '';
    await y.parseAsync(args, {}, (_err, _args, output) => {
      shown = output;
    });
    if (shown) io.stdout(shown.endsWith('\n') ? shown : shown + '\n');
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`dataplan: ${err.message}\nRun "dataplan --help" for usage.\n`);
    return 2;
  }
  return code;
}
