/** `dataplan compile`: portable JSON Schemas, one per data point plus a bundle for a whole batch. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { problemLine } from '../report/index.js';
import { exportSchemas, type Draft } from '../schema/index.js';
import type { CliIO } from './io.js';
import { fail, openChosenPlan, PLAN_OPTION } from './plan-option.js';

export interface CompileArgs {
  plan?: string;
  version?: number;
  out?: string;
  draft?: Draft;
  strictTypes?: boolean;
}

export function compileBuilder(y: Argv): Argv<CompileArgs> {
  return y
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'plan version to compile (default: the latest in the file)' })
    .option('out', { type: 'string', describe: 'directory for points/*.schema.json and batch.schema.json (default: print the batch schema)' })
    .option('draft', { choices: ['2020-12', '07'] as const, default: '2020-12' as Draft, describe: 'JSON Schema draft to write' })
    .option('strict-types', { type: 'boolean', describe: 'no platform type conversion in the schemas' })
    .example('$0 compile --out schemas/', 'write one schema per data point and schemas/batch.schema.json')
    .example('$0 compile --draft 07 > batch.schema.json', 'a draft-07 batch schema on stdout') as Argv<CompileArgs>;
}

export function compileCommand(args: CompileArgs, io: CliIO): number {
  try {
    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    for (const p of plan.problems) io.stderr(`dataplan: ${problemLine(p)}\n`);
    const cv = plan.getVersion(version)!;
    const out = exportSchemas({ planId: plan.id, planName: plan.name, version: cv.version.version, points: cv.points }, { draft: args.draft, strictTypes: args.strictTypes });
    if (args.out) {
      mkdirSync(join(args.out, 'points'), { recursive: true });
      for (const p of out.points) writeFileSync(join(args.out, 'points', p.name), JSON.stringify(p.schema, null, 2) + '\n');
      writeFileSync(join(args.out, 'batch.schema.json'), JSON.stringify(out.bundle, null, 2) + '\n');
      io.stderr(`dataplan: wrote ${out.points.length} point schemas and batch.schema.json (draft ${args.draft ?? '2020-12'}) to ${args.out}\n`);
    } else io.stdout(JSON.stringify(out.bundle, null, 2) + '\n');
    return plan.errors.length ? 2 : 0;
  } catch (err) {
    return fail(err, io.stderr);
  }
}
