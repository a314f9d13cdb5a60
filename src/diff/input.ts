/** Which two versions to compare: `OLD NEW` as files or `file@N`, or two versions of one file. */
import { existsSync } from 'node:fs';
import { InputError } from '../plan/index.js';
import type { CompiledPlan, CompiledVersion } from '../validate/index.js';
import type { VersionRef } from './diff.js';

export interface PlanRef {
  file: string;
  version?: number;
}

/** `plan.json@2` → version 2 of plan.json (unless a file is literally named that way). */
export function parsePlanRef(ref: string): PlanRef {
  const m = /^(.+)@(\d+)$/.exec(ref);
  if (m && !existsSync(ref)) return { file: m[1], version: Number(m[2]) };
  return { file: ref };
}

export function pickVersion(plan: CompiledPlan, version: number | undefined, role: string): CompiledVersion {
  const loaded = plan.versions.filter((v) => v.version.loaded);
  const v = plan.getVersion(version);
  if (v) return v;
  const have = loaded.map((x) => x.version.version).filter((n) => n !== undefined);
  throw new InputError(`${role}: there is no version ${version}${have.length ? ` (the file has ${have.join(', ')})` : ' (the file has no numbered versions)'}`, plan.file);
}

/** With one full plan and no versions named: its two highest versions, older first. */
export function previousAndLatest(plan: CompiledPlan): [CompiledVersion, CompiledVersion] {
  const loaded = plan.versions.filter((v) => v.version.loaded).sort((a, b) => (a.version.version ?? 0) - (b.version.version ?? 0));
  if (loaded.length < 2) {
    throw new InputError('one file with a single version: name two files, or two versions (plan.json@1 plan.json@2, or --from/--to)', plan.file);
  }
  return [loaded[loaded.length - 2], loaded[loaded.length - 1]];
}

export function versionRef(plan: CompiledPlan, v: CompiledVersion): VersionRef {
  return { file: plan.file, plan_id: plan.id ?? null, version: v.version.version ?? null, pointer: v.version.pointer };
}
