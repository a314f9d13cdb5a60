/** `dataplan lint-plan`: check a plan against declarative rule sets (rules/*.json). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_RULE_SET, PROJECT_RULES_FILE, formatGithub, formatJson, formatPretty, formatSarif, lintPlan, loadRuleSet, ruleSetToJson } from '../plan-lint/index.js';
import type { CliIO } from './io.js';
import { failIn } from './ci-output.js';
import { openChosenPlan, PLAN_OPTION } from './plan-option.js';

export const LINT_FORMATS = ['pretty', 'json', 'sarif', 'github'] as const;

export interface LintPlanArgs {
  plan?: string;
  rules?: string;
  version?: number;
  allVersions?: boolean;
  format?: (typeof LINT_FORMATS)[number];
  printConfig?: boolean;
}

export function lintPlanBuilder(y: Argv): Argv<LintPlanArgs> {
  return y
    .option('plan', PLAN_OPTION)
    .option('rules', { type: 'string', describe: `rule set: a built-in name (default, strict) or a JSON file; default: ./${PROJECT_RULES_FILE} if present, else "default"` })
    .option('version', { type: 'number', describe: 'lint this version of a full plan (default: the latest)' })
    .option('all-versions', { type: 'boolean', describe: 'lint every version in the file' })
    .option('format', { choices: LINT_FORMATS, default: 'pretty' as const, describe: 'output format (sarif: code scanning; github: pull-request annotations)' })
    .option('print-config', { type: 'boolean', describe: 'print the effective rule set (after extends) and exit' })
    .example('$0 lint-plan', 'lint the bundled example plan with the default rules')
    .example('$0 lint-plan --plan plans/shop-3.json --rules strict', 'every finding is an error')
    .example('$0 lint-plan --rules team.rules.json --format json', 'a project rule set ({"extends": "default", "rules": {…}}), JSON output')
    .example('$0 lint-plan --format github', 'in a GitHub Actions step: findings annotate the plan file in the pull request')
    .example('$0 lint-plan --print-config', 'show which rules run, at which level, with which options')
    .epilogue('Exit codes: 0 no error-level findings, 1 error-level findings, 2 unusable plan or rule set.') as Argv<LintPlanArgs>;
}

export function lintPlanCommand(args: LintPlanArgs, io: CliIO): number {
  try {
    const ref = args.rules ?? (existsSync(join(io.cwd, PROJECT_RULES_FILE)) ? join(io.cwd, PROJECT_RULES_FILE) : DEFAULT_RULE_SET);
    const rules = loadRuleSet(ref, io.cwd);
    if (args.printConfig) {
      io.stdout(JSON.stringify(ruleSetToJson(rules), null, 2) + '\n');
      return 0;
    }
    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    const result = lintPlan(plan, rules, { version, allVersions: args.allVersions });
    const code = result.errors > 0 ? 1 : 0;
    switch (args.format) {
      case 'json': io.stdout(formatJson(result, rules)); break;
      case 'sarif': io.stdout(formatSarif(result, { cwd: io.cwd, rules, exitCode: code })); break;
      case 'github': io.stdout(formatGithub(result, { cwd: io.cwd })); break;
      default: io.stdout(formatPretty(result, { color: io.color, cwd: io.cwd, rules }));
    }
    return code;
  } catch (err) {
    return failIn(args.format, err, io);
  }
}
