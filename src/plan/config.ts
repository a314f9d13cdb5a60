/** `mp.config.json`: found by walking up from a directory, read the way the official tools read it. */
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, isObject, own, readJsonFile } from './json.js';

export const CONFIG_NAME = 'mp.config.json';

export interface PlanConfig {
  /** The config file that named the plan. */
  configFile: string;
  /** Absolute path of the plan file. */
  planFile: string;
  /** `planningConfig.versionNumber`, when a full plan file is named. */
  version?: number;
  /** Notes about how the path was resolved. */
  warnings: string[];
}

/** Nearest `mp.config.json` at or above `dir`, or undefined. */
export function findConfigFile(dir: string): string | undefined {
  let cur = resolve(dir);
  for (;;) {
    const candidate = join(cur, CONFIG_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/**
 * Read the plan location from a config file. Relative paths resolve against `cwd` first (what the
 * official CLI does) and then against the config file's folder.
 */
export function readPlanConfig(configFile: string, cwd = process.cwd()): PlanConfig | undefined {
  const json = readJsonFile(configFile);
  if (!isObject(json)) throw new InputError('expected an object', configFile, '');
  const planning = own(json, 'planningConfig');
  const ours = own(json, 'dataplan');
  const warnings: string[] = [];
  let rel: string | undefined;
  let at = '';
  let version: number | undefined;
  if (isObject(ours) && typeof own(ours, 'plan') === 'string') {
    rel = own(ours, 'plan') as string;
    at = '/dataplan/plan';
    if (typeof own(ours, 'version') === 'number') version = own(ours, 'version') as number;
  } else if (isObject(planning)) {
    if (typeof own(planning, 'dataPlanVersionFile') === 'string') {
      rel = own(planning, 'dataPlanVersionFile') as string;
      at = '/planningConfig/dataPlanVersionFile';
    } else if (typeof own(planning, 'dataPlanFile') === 'string') {
      rel = own(planning, 'dataPlanFile') as string;
      at = '/planningConfig/dataPlanFile';
      const v = own(planning, 'versionNumber');
      if (v !== undefined) {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new InputError(`versionNumber is ${JSON.stringify(v)}, expected an integer`, configFile, '/planningConfig/versionNumber');
        version = v;
      }
    }
  }
  if (rel === undefined) return undefined;
  const configDir = dirname(configFile);
  let planFile: string;
  const fromCwd = requireResolve(resolve(cwd, rel));
  if (isAbsolute(rel)) planFile = requireResolve(rel) ?? rel;
  else if (fromCwd) planFile = fromCwd;
  else {
    planFile = requireResolve(resolve(configDir, rel)) ?? resolve(configDir, rel);
    if (resolve(cwd) !== configDir) warnings.push(`${configFile}#${at}: "${rel}" is not found from ${cwd}; using it relative to the config file's folder`);
  }
  if (planFile.endsWith('.js') && !rel.endsWith('.js')) {
    throw new InputError(`"${rel}" resolves to the JavaScript module ${planFile} (as require() would); dataplan reads plans from JSON files, so name the .json file`, configFile, at);
  }
  return { configFile, planFile, version, warnings };
}

function isFile(f: string): boolean {
  return statSync(f, { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * The file `require(path)` loads for an absolute path, as mParticle's tools load `dataPlanVersionFile`
 * (`"testDataPlans/sampleDataPlan"` is `sampleDataPlan.json`): the path itself, then with `.js`, `.json`
 * appended, then the folder's `index.js`, `index.json`. Undefined when none exists.
 */
function requireResolve(abs: string): string | undefined {
  for (const f of [abs, `${abs}.js`, `${abs}.json`, join(abs, 'index.js'), join(abs, 'index.json')]) if (isFile(f)) return f;
  return undefined;
}

/** The plan named by the nearest `mp.config.json` above `dir`. */
export function planFromConfig(dir: string, cwd = process.cwd()): PlanConfig | undefined {
  const configFile = findConfigFile(dir);
  return configFile ? readPlanConfig(configFile, cwd) : undefined;
}
