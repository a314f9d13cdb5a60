export { createAjv, sharedAjv, knownFormats, type Ajv } from './ajv.js';
export { prepareSchema, type PreparedSchema } from './prepare.js';
export { compileCoercion, coerceInPlace, coerceScalar, isNumericString, Undo, type CoerceNode } from './coerce.js';
export { SchemaCompiler, compilePoint, pointKind, schemaAt, plannedKeysAt, type CompiledPoint, type PointKind } from './compile.js';
export { eachSchema, cloneJson, isSchemaObject, type SchemaObject } from './walk.js';
export { exportSchemas, type ExportOptions, type ExportInput, type ExportedSchemas, type ExportedPoint, type Draft } from './export.js';
export { PLAIN, PLATFORM, PLATFORM_STRICT, canEvaluate, compileEval, evaluate, evaluatorCheck, deepEqual, type Check, type EvalNode } from './evaluate.js';
export { isMultipleOf, useDecimalMultipleOf } from './decimal.js';
