/**
 * dataplan's programmatic API: load a plan once, validate batches or single events in-process,
 * get violations as data. The CLI, the ESLint plugin, the receiver and the scanner all use it.
 */
import type { BatchResult, CompiledPlan, EventResult, ValidateOptions } from './validate/plan.js';

export { loadPlan, compilePlan, CompiledPlan } from './validate/plan.js';
export type { BatchResult, EventResult, InputProblem, ValidateOptions, CompiledVersion, LoadOptions } from './validate/plan.js';
export { VIOLATION_CODES, isUnplanned } from './validate/violation.js';
export type { Violation, ViolationCode, Suggestion } from './validate/violation.js';
export { violationMessage } from './validate/messages.js';
export { runValidation, expandSources } from './validate/run.js';
export type { RunOptions } from './validate/run.js';
export { readBatches } from './validate/input.js';
export type { BatchItem, ReadItem } from './validate/input.js';
export { applyBlocking } from './validate/block.js';
export { selectVersion, batchPlanContext } from './validate/version.js';
export { readPlan, normalisePlan, PlanError, InputError, findConfigFile, readPlanConfig, planFromConfig } from './plan/index.js';
export { eventMatchKey, pointMatchKey, formatMatchKey, describeMatchKey } from './plan/index.js';
export type { MatchKey, PlanProblem, PlanSource, PlanVersion, PlanPoint, PlanShape, BlockSettings, PlanConfig } from './plan/index.js';
export { exportSchemas } from './schema/export.js';
export type { ExportOptions, ExportedSchemas } from './schema/export.js';

/**
 * Validate one batch (an Events API body: `events`, `user_attributes`, `user_identities`, `context`)
 * against a loaded plan; the same as `plan.validateBatch(batch, options)`.
 *
 * ```ts
 * import { loadPlan, validateBatch } from 'dataplan';
 * const plan = loadPlan('plans/my_plan.json');       // parse, check and compile once
 * const result = validateBatch(plan, batch);          // then validate many
 * for (const v of result.violations) console.log(v.violation, v.message);
 * ```
 */
export function validateBatch(plan: CompiledPlan, batch: unknown, options?: ValidateOptions): BatchResult {
  return plan.validateBatch(batch, options);
}

/** Validate one event (`{ event_type, data }`) against a version of the plan (default: the latest). */
export function validateEvent(plan: CompiledPlan, event: unknown, options?: { version?: number; strictTypes?: boolean }): EventResult {
  return plan.validateEvent(event, options);
}
