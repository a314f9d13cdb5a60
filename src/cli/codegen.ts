/** `dataplan codegen`: a typed TypeScript module with one function per data point. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { generateTracking, type SdkBinding } from '../scan/codegen/index.js';
import type { CliIO } from './io.js';
import { CODEGEN_PEERS, needPeers } from './peers.js';
import { fail, openChosenPlan, PLAN_OPTION, UsageError } from './plan-option.js';

export interface CodegenArgs {
  plan?: string;
  out?: string;
  version?: number;
  sdk?: SdkBinding;
  check?: boolean;
}

export function codegenBuilder(y: Argv): Argv<CodegenArgs> {
  return y
    .option('plan', PLAN_OPTION)
    .option('out', { type: 'string', describe: 'write the module here (e.g. src/tracking.ts); default: stdout' })
    .option('version', { type: 'number', describe: 'plan version to generate for (default: the latest in the file)' })
    .option('sdk', { choices: ['import', 'global'] as const, default: 'import' as const, describe: 'import: `import mParticle from \'@mparticle/web-sdk\'`; global: the snippet\'s window.mParticle' })
    .option('check', { type: 'boolean', describe: 'with --out: do not write; exit 1 if the file is missing or not what the plan generates (for CI)' })
    .example('$0 codegen', 'print the module for the bundled example plan')
    .example('$0 codegen --plan plans/shop-3.json --out src/tracking.ts', 'write typed tracking functions')
    .example('$0 codegen --plan plan.json --out src/tracking.ts --check', 'CI: fail when the generated module is stale')
    .epilogue('The module needs @mparticle/web-sdk and, for its types, @types/mparticle__web-sdk.\nExit codes: 0 written (or up to date), 1 --check found a stale file, 2 unusable plan or usage error.') as Argv<CodegenArgs>;
}

export function codegenCommand(args: CodegenArgs, io: CliIO): number {
  try {
    if (args.check && !args.out) throw new UsageError('--check needs --out (the file to compare)');
    needPeers('codegen', CODEGEN_PEERS);
    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    for (const p of plan.errors) io.stderr(`dataplan: warning: ${p.file}#${p.pointer}: ${p.message}\n`);
    const out = args.out ? resolve(io.cwd, args.out) : undefined;
    // The header names the plan relative to the module, so output does not depend on where it was run.
    const source = out ? relative(dirname(out), plan.file) : undefined;
    const r = generateTracking(plan, { version, sdk: args.sdk, source });
    if (!out) {
      io.stdout(r.text);
      return 0;
    }
    if (args.check) {
      let current: string | undefined;
      try {
        current = readFileSync(out, 'utf8');
      } catch {
        current = undefined;
      }
      if (current === r.text) {
        io.stderr(`dataplan: ${args.out} is up to date\n`);
        return 0;
      }
      io.stderr(`dataplan: ${args.out} ${current === undefined ? 'does not exist' : 'is stale'}; run: dataplan codegen${args.plan ? ` --plan ${args.plan}` : ''} --out ${args.out}\n`);
      return 1;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, r.text);
    io.stderr(`dataplan: wrote ${args.out}: ${r.functions.length} functions${r.skipped.length ? `, ${r.skipped.length} data points without one (listed in its header)` : ''}\n`);
    return 0;
  } catch (err) {
    return fail(err, io.stderr);
  }
}
