/** Which plan a command uses: --plan, else the nearest mp.config.json, else the bundled example. */
import { fileURLToPath } from 'node:url';
import { InputError, planFromConfig } from '../plan/index.js';
import { loadPlan, type CompiledPlan } from '../validate/index.js';
import { UsageError } from './usage.js';

export const BUNDLED_PLAN = fileURLToPath(new URL('../../plans/acme_web_shop.json', import.meta.url));
export const BUNDLED_BATCHES = fileURLToPath(new URL('../../plans/examples', import.meta.url));

/** The `--plan` flag, the same for every command. */
export const PLAN_OPTION = { type: 'string', describe: 'plan file (any shape); default: mp.config.json, else the bundled example plan' } as const;

export interface PlanChoice {
  file: string;
  /** Where the choice came from, for the user. */
  from: 'flag' | 'config' | 'bundled';
  version?: number;
  notes: string[];
}

export function choosePlan(flag: string | undefined, cwd = process.cwd()): PlanChoice {
  if (flag) return { file: flag, from: 'flag', notes: [] };
  const cfg = planFromConfig(cwd, cwd);
  if (cfg) return { file: cfg.planFile, from: 'config', version: cfg.version, notes: [`using ${cfg.planFile} from ${cfg.configFile}`, ...cfg.warnings] };
  return { file: BUNDLED_PLAN, from: 'bundled', notes: [] };
}

/** Load and compile; unusable plans become an InputError the command turns into exit 2. */
export function openPlan(choice: PlanChoice): CompiledPlan {
  return loadPlan(choice.file);
}

/**
 * What every plan-taking command starts with: choose the plan (--plan, mp.config.json, bundled),
 * say where it came from, load it, and check that the version asked for (--version, or the
 * config's versionNumber) exists. Usage errors throw UsageError.
 */
export function openChosenPlan(flag: string | undefined, versionFlag: number | undefined, io: { cwd: string; stderr: (s: string) => void }): { plan: CompiledPlan; version?: number } {
  const choice = choosePlan(flag, io.cwd);
  for (const n of choice.notes) io.stderr(`dataplan: ${n}\n`);
  const plan = openPlan(choice);
  const version = versionFlag ?? choice.version;
  if (version !== undefined && !plan.getVersion(version)) {
    throw new UsageError(`${plan.file} ${plan.noVersion(version)}`);
  }
  return { plan, version };
}

export { STDIN_ARG, UsageError } from './usage.js';

/** Print an error the way every command does and return exit code 2. */
export function fail(err: unknown, stderr: (s: string) => void): number {
  if (err instanceof InputError) stderr(`dataplan: ${err.where}: ${err.message}\n`);
  else if (err instanceof UsageError) stderr(`dataplan: ${err.message}\n`);
  else stderr(`dataplan: ${(err as Error)?.message ?? String(err)}\n`);
  return 2;
}
