export { readPlan, normalisePlan, PlanError, problem } from './load.js';
export { findConfigFile, readPlanConfig, planFromConfig, CONFIG_NAME, type PlanConfig } from './config.js';
export * from './match.js';
export * from './identities.js';
export { InputError, jsonError, jsonSyntaxError, parseJson, readJsonFile, lineColumn, escapePointer, unescapePointer, isObject, own } from './json.js';
export { closest, nearness, editDistance, fold, type Nearness } from './similar.js';
export type * from './types.js';
