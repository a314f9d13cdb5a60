/** `dataplan plan check`: report plan problems only. */
import type { Argv } from 'yargs';
import { githubCommand, planProblemFinding, problemLine } from '../report/index.js';
import { failIn, sarifText } from './ci-output.js';
import type { CliIO } from './io.js';
import { choosePlan, fail, openPlan, PLAN_OPTION } from './plan-option.js';

export const PLAN_CHECK_FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;

export interface PlanCheckArgs {
  plan?: string;
  format?: (typeof PLAN_CHECK_FORMATS)[number];
}

export function planCheckBuilder(y: Argv): Argv<PlanCheckArgs> {
  return y
    .option('plan', PLAN_OPTION)
    .option('format', { choices: PLAN_CHECK_FORMATS, default: 'pretty' as const, describe: 'output format (sarif: code scanning; github: pull-request annotations)' })
    .example('$0 plan check --plan plans/my_plan-3.json', 'check a plan before committing it')
    .example('$0 plan check --format json', 'problems as JSON, for scripts')
    .example('$0 plan check --format github', 'in a GitHub Actions step: problems annotate the plan file') as Argv<PlanCheckArgs>;
}

export function planCheckCommand(args: PlanCheckArgs, io: CliIO): number {
  let plan;
  try {
    plan = openPlan(choosePlan(args.plan, io.cwd));
  } catch (err) {
    if (args.format === 'json') {
      const e = err as { file?: string; pointer?: string; line?: number; column?: number; message: string };
      io.stdout(JSON.stringify({ plan: e.file ?? args.plan ?? null, usable: false, errors: [{ severity: 'error', code: 'unusable_plan', message: e.message, file: e.file, pointer: e.pointer ?? '', line: e.line, column: e.column }], warnings: [] }, null, 2) + '\n');
      return fail(err, io.stderr);
    }
    return failIn(args.format, err, io);
  }
  const errors = plan.problems.filter((p) => p.severity === 'error');
  const warnings = plan.problems.filter((p) => p.severity === 'warning');
  const code = errors.length ? 2 : 0;
  if (args.format === 'json') {
    const versions = plan.versions.map((v) => ({ version: v.version.version ?? null, activated_environment: v.version.environment ?? null, loaded: v.version.loaded, data_points: v.version.points.length }));
    io.stdout(JSON.stringify({ plan: plan.file, id: plan.id ?? null, shape: plan.source.shape, usable: true, versions, errors, warnings }, null, 2) + '\n');
  } else if (args.format === 'sarif') {
    io.stdout(sarifText(plan.problems.map(planProblemFinding), [], io, code));
  } else if (args.format === 'github') {
    for (const p of plan.problems) io.stdout(githubCommand(planProblemFinding(p), io.cwd));
    io.stdout(`dataplan plan check: ${errors.length} error(s), ${warnings.length} warning(s)\n`);
  } else {
    for (const p of plan.problems) io.stdout(problemLine(p) + '\n');
    const points = plan.versions.reduce((n, v) => n + v.version.points.length, 0);
    const vs = plan.versions.filter((v) => v.version.loaded).map((v) => `v${v.version.version ?? '-'} (${v.version.environment ?? 'no activation'}, ${v.version.points.length} points)`).join(', ');
    io.stdout(`${plan.file}: ${plan.source.shape}${plan.id ? ` "${plan.id}"` : ''}, ${vs || `${points} points`}: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}\n`);
  }
  return code;
}
