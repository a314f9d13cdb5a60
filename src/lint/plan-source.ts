/**
 * Which plan lints a file, loaded and compiled once per process and reloaded when the file changes.
 *
 * 1. `settings.dataplan.plan`: an absolute path, a `file:` URL (or URL object), or a path relative to the folder of
 *    the eslint.config.* in use. Rules are not told which config file that is, so a relative path is tried against,
 *    in order: the folder of the nearest eslint.config.* at or above the linted file (ESLint 10's lookup), the folder
 *    of the nearest eslint.config.* at or above the working directory (ESLint 9's lookup), and the working
 *    directory; the first where the file exists wins.
 * 2. Otherwise the nearest `mp.config.json` at or above the linted file (core `findConfigFile`/`readPlanConfig`:
 *    `dataplan.plan`, `planningConfig.dataPlanVersionFile`, or `dataPlanFile` + `versionNumber`).
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, findConfigFile, readPlanConfig } from '../plan/index.js';
import { loadPlan, type CompiledPlan, type CompiledVersion } from '../validate/index.js';
import { fresh, mark, sameStamp, stampOf, type Mark, type Stamp } from './recognize/fresh.js';

export interface PlanSettings {
  plan?: string | URL;
  version?: number;
}

export type PlanState =
  | { ok: true; plan: CompiledPlan; version: CompiledVersion; file: string; from: string }
  | { ok: false; message: string };

const plans = new Map<string, { stamp: Stamp; plan?: CompiledPlan; error?: string }>();

/** Load and compile a plan file; cached until its mtime or size changes. */
export function compiledPlan(file: string): { plan?: CompiledPlan; error?: string } {
  const st = stampOf(file);
  if (!st) {
    plans.delete(file);
    return { error: 'the file does not exist' };
  }
  const hit = plans.get(file);
  if (hit && sameStamp(hit.stamp, st)) return hit;
  let entry: { stamp: Stamp; plan?: CompiledPlan; error?: string };
  try {
    entry = { stamp: st, plan: loadPlan(file, { lazy: true }) };
  } catch (err) {
    entry = { stamp: st, error: err instanceof InputError ? `${err.where}: ${err.message}` : (err as Error).message };
  }
  plans.set(file, entry);
  return entry;
}

const CONFIG_NAMES = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const TTL_MS = 2000;
const lookups = new Map<string, { value: string | undefined; at: number }>();

function cached(key: string, compute: () => string | undefined): string | undefined {
  const now = Date.now();
  const hit = lookups.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.value;
  const value = compute();
  lookups.set(key, { value, at: now });
  return value;
}

function eslintConfigDir(start: string): string | undefined {
  const dir = resolve(start);
  // Per folder, so the files of sibling folders share their parents' answer instead of each walking up to the root.
  return cached(`eslint\0${dir}`, () => {
    if (CONFIG_NAMES.some((n) => stampOf(join(dir, n)))) return dir;
    const up = dirname(dir);
    return up === dir ? undefined : eslintConfigDir(up);
  });
}

function toPath(p: string | URL): string {
  if (p instanceof URL) return fileURLToPath(p);
  return p.startsWith('file:') ? fileURLToPath(p) : p;
}

/** Where a relative settings path is looked for, in order. */
export function settingsBases(filename: string, cwd: string): string[] {
  const out: string[] = [];
  const fromFile = isAbsolute(filename) ? eslintConfigDir(dirname(filename)) : undefined;
  const fromCwd = eslintConfigDir(cwd);
  for (const d of [fromFile, fromCwd, cwd]) if (d && !out.includes(d)) out.push(d);
  return out;
}

const configsRead = new Map<string, { stamp: Stamp; cfg: ReturnType<typeof readPlanConfig> }>();

/** `readPlanConfig`, cached until the config file changes. */
function planConfig(configFile: string, cwd: string): ReturnType<typeof readPlanConfig> {
  const key = `${configFile}\0${cwd}`;
  const st = stampOf(configFile);
  const hit = configsRead.get(key);
  if (hit && st && sameStamp(hit.stamp, st)) return hit.cfg;
  const cfg = readPlanConfig(configFile, cwd);
  if (st) configsRead.set(key, { stamp: st, cfg });
  return cfg;
}

const byRun = new WeakMap<object, Map<string, { state: PlanState; mark: Mark }>>();

/**
 * The plan for one linted file, or why there is none. With `run` (ESLint's settings object, one per config of a lint
 * run), the answer for a folder is reused within the run for a short while (recognize/fresh.ts) instead of stat-ing the
 * plan and its config for every file.
 */
export function planFor(settings: PlanSettings | undefined, filename: string, cwd: string, run?: object): PlanState {
  if (!run) return findPlan(settings, filename, cwd);
  let forRun = byRun.get(run);
  if (!forRun) byRun.set(run, (forRun = new Map()));
  const key = `${isAbsolute(filename) ? dirname(filename) : ''}\0${cwd}`;
  const now = Date.now();
  const hit = forRun.get(key);
  if (hit && fresh(hit.mark, now)) return hit.state;
  const state = findPlan(settings, filename, cwd);
  forRun.set(key, { state, mark: mark(now) });
  return state;
}

function findPlan(settings: PlanSettings | undefined, filename: string, cwd: string): PlanState {
  let file: string;
  let from: string;
  let version = settings?.version;
  if (settings?.plan !== undefined) {
    const raw = toPath(settings.plan);
    if (isAbsolute(raw)) file = raw;
    else {
      const bases = settingsBases(filename, cwd);
      const found = bases.map((b) => resolve(b, raw)).find((f) => stampOf(f));
      if (!found) {
        return { ok: false, message: `settings.dataplan.plan "${raw}" was not found (looked in ${bases.join(', ')})` };
      }
      file = found;
    }
    from = 'settings.dataplan.plan';
  } else {
    const start = isAbsolute(filename) ? dirname(filename) : cwd;
    const configFile = cached(`mp\0${start}`, () => findConfigFile(start));
    if (!configFile) {
      return { ok: false, message: `no data plan: set settings.dataplan.plan in the ESLint config, or add an mp.config.json (planningConfig.dataPlanVersionFile) at or above ${start}` };
    }
    try {
      const cfg = planConfig(configFile, cwd);
      if (!cfg) return { ok: false, message: `${configFile} names no plan (expected planningConfig.dataPlanVersionFile, planningConfig.dataPlanFile or dataplan.plan)` };
      file = cfg.planFile;
      version ??= cfg.version;
      from = configFile;
    } catch (err) {
      return { ok: false, message: err instanceof InputError ? `${err.where}: ${err.message}` : `${configFile}: ${(err as Error).message}` };
    }
  }
  const compiled = compiledPlan(file);
  if (!compiled.plan) return { ok: false, message: `data plan ${file} (from ${from}) cannot be used: ${compiled.error}` };
  const cv = compiled.plan.getVersion(version);
  if (!cv) {
    return {
      ok: false,
      message: version !== undefined
        ? `data plan ${file} (from ${from}) ${compiled.plan.noVersion(version)}`
        : `data plan ${file} (from ${from}) has no version with data points`,
    };
  }
  return { ok: true, plan: compiled.plan, version: cv, file, from };
}
