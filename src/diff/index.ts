export { diffVersions, type PlanDiff, type PlanChange, type ChangeKind, type VersionRef } from './diff.js';
export { diffSchemas, type SchemaChange, type SchemaChangeKind, type ChangeClass } from './schema-diff.js';
export { parsePlanRef, pickVersion, previousAndLatest, versionRef, type PlanRef } from './input.js';
export { formatPretty, formatJson, formatMarkdown } from './format.js';
