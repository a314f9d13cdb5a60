export { createAjv, sharedAjv, knownFormats, type Ajv } from './ajv.js';
export { prepareSchema, type PreparedSchema } from './prepare.js';
export { compileCoercion, coerce, coerceScalar, isNumericString, type CoerceNode } from './coerce.js';
export { compilePoint, pointKind, schemaAt, plannedKeysAt, type CompiledPoint, type PointKind } from './compile.js';
export { eachSchema, cloneJson, isSchemaObject, type SchemaObject } from './walk.js';
export { exportSchemas, type ExportOptions, type ExportInput, type ExportedSchemas, type ExportedPoint, type Draft } from './export.js';
