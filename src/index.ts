/**
 * dataplan's programmatic API: load a plan once, validate batches or single events in-process,
 * get violations as data. The CLI, the ESLint plugin, the receiver and the scanner all use it.
 */
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
