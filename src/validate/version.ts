/** Which plan version judges a batch: explicit, else the batch's own, else the latest active for its environment. */
import { isObject, own } from '../plan/index.js';
import type { PlanVersion } from '../plan/types.js';

export type NotValidatedReason = 'no_plan_context' | 'other_plan' | 'version_not_found' | 'no_active_version' | 'no_batches';

export interface VersionChoice<V> {
  version?: V;
  reason?: NotValidatedReason;
  notice?: string;
}

export interface SelectOptions {
  /** Validate with this version, whatever the batch says. */
  version?: number;
  /** Validate every batch, even those the platform would not (no plan context, another plan). */
  force?: boolean;
}

export function batchPlanContext(batch: Record<string, unknown>): { planId?: string; planVersion?: number } {
  const ctx = own(batch, 'context');
  const dp = isObject(ctx) ? own(ctx, 'data_plan') : undefined;
  if (!isObject(dp)) return {};
  const id = own(dp, 'plan_id');
  const v = own(dp, 'plan_version');
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return { planId: typeof id === 'string' && id !== '' ? id : undefined, planVersion: n };
}

/**
 * The environment a batch was sent in: `development` or `production` (any case); absent or null
 * means production (the Events API's default). Anything else (`"qa"`, `""`, a number) is
 * undefined: no version is active for it.
 */
export function batchEnvironment(batch: Record<string, unknown>): 'development' | 'production' | undefined {
  const env = own(batch, 'environment');
  if (env === undefined || env === null) return 'production';
  if (typeof env !== 'string') return undefined;
  const e = env.toLowerCase();
  return e === 'development' || e === 'production' ? e : undefined;
}

function covers(v: PlanVersion, env: 'development' | 'production'): boolean {
  if (v.environment === undefined) return true; // a file with no activation info was handed to us on purpose
  if (v.environment === 'production') return true;
  return v.environment === 'development' && env === 'development';
}

function latest<V extends { version: PlanVersion }>(list: V[]): V | undefined {
  let best: V | undefined;
  for (const v of list) if (!best || (v.version.version ?? 0) > (best.version.version ?? 0)) best = v;
  return best;
}

export function selectVersion<V extends { version: PlanVersion }>(
  planId: string | undefined, versions: V[], batch: Record<string, unknown>, opts: SelectOptions,
): VersionChoice<V> {
  const loaded = versions.filter((v) => v.version.loaded);
  const ctx = batchPlanContext(batch);
  const name = planId ? `"${planId}"` : 'this plan';
  if (!opts.force) {
    if (!ctx.planId) {
      return {
        reason: 'no_plan_context',
        notice: 'not validated: the batch has no context.data_plan.plan_id, so the platform would not validate it; configure the SDK\'s dataPlan ({ planId, planVersion }) or use --force',
      };
    }
    if (planId && ctx.planId !== planId) {
      return { reason: 'other_plan', notice: `not validated: the batch names plan "${ctx.planId}", the loaded plan is ${name}; use --force to validate it anyway` };
    }
  }
  const env = batchEnvironment(batch);
  if (env === undefined && !opts.force) {
    return {
      reason: 'no_active_version',
      notice: `not validated: the batch's environment is ${JSON.stringify(own(batch, 'environment'))}; plan versions are active only for "development" or "production" batches, so none is active for it; use --force to validate it anyway`,
    };
  }
  if (opts.version !== undefined) {
    const v = loaded.find((x) => x.version.version === opts.version);
    if (v) return { version: v };
    return { reason: 'version_not_found', notice: `not validated: version ${opts.version} of ${name} is not in the plan file` };
  }
  if (ctx.planVersion !== undefined) {
    const v = loaded.find((x) => x.version.version === ctx.planVersion) ?? (loaded.length === 1 && loaded[0].version.version === undefined ? loaded[0] : undefined);
    // The version a batch names judges it only where that version is active, as the latest one would.
    if (v && (opts.force || env === undefined || covers(v.version, env))) return { version: v };
    if (v) {
      return {
        reason: 'no_active_version',
        notice: `not validated: the batch names version ${ctx.planVersion} of ${name}, which is not active for environment "${env}" (it is ${v.version.environment === 'none' ? 'not active' : `active for ${v.version.environment}`}); pass --version or --force`,
      };
    }
    if (!opts.force) {
      const bare = versions.find((x) => !x.version.loaded && x.version.version === ctx.planVersion);
      const have = loaded.map((x) => x.version.version).filter((n) => n !== undefined);
      return {
        reason: 'version_not_found',
        notice: bare
          ? `not validated: the batch names version ${ctx.planVersion} of ${name}, which the plan file lists without its version_document; download that version or pass --version to choose another`
          : `not validated: the batch names version ${ctx.planVersion} of ${name}, which the plan file does not contain${have.length ? ` (it has ${have.join(', ')})` : ''}; pass --version to choose one`,
      };
    }
  }
  // The platform's rule: the latest version active for the environment. When the file lists that version without its
  // document, judging with an older one would give verdicts the platform does not: not validated (--force: the latest loaded).
  const applies = env === undefined ? undefined : latest(versions.filter((v) => covers(v.version, env)));
  if (applies?.version.loaded) return { version: applies };
  if (opts.force) return { version: (env === undefined ? undefined : latest(loaded.filter((v) => covers(v.version, env)))) ?? latest(loaded) };
  if (applies) {
    return {
      reason: 'version_not_found',
      notice: `not validated: version ${applies.version.version ?? '?'} of ${name} is the latest active for environment "${env}", and the plan file lists it without its version_document; download that version, or pass --version to choose a loaded one`,
    };
  }
  const states = loaded.map((v) => `v${v.version.version ?? '?'} ${v.version.environment ?? 'unknown'}`).join(', ');
  return {
    reason: 'no_active_version',
    notice: `not validated: no version of ${name} is active for environment "${env}" (${states}); pass --version or --force`,
  };
}
