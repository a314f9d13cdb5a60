/** Compile each data point once: repaired schema → ajv function + coercion tree. */
import type { PlanPoint, PlanProblem } from '../plan/types.js';
import { problem } from '../plan/load.js';
import { createAjv, type Ajv } from './ajv.js';
import { compileCoercion, type CoerceNode } from './coerce.js';
import { canEvaluate, compileEval, evaluatorCheck, type Check } from './evaluate.js';
import { prepareSchema } from './prepare.js';
import { isSchemaObject, type SchemaObject } from './walk.js';

export type PointKind = 'event' | 'user_attributes' | 'user_identities';

export interface CompiledPoint {
  point: PlanPoint;
  kind: PointKind;
  /** The repaired schema (what ajv compiled); undefined when the point accepts anything. */
  schema?: SchemaObject;
  /** The compiled schema; undefined when the point accepts anything (no validator, or its schema was disabled). */
  check?: Check;
  /** Which engine compiled it: the plan-subset evaluator, or ajv for everything else. */
  engine?: 'evaluator' | 'ajv';
  coercion?: CoerceNode;
}

export function pointKind(matchType: string): PointKind {
  return matchType === 'user_attributes' ? 'user_attributes' : matchType === 'user_identities' ? 'user_identities' : 'event';
}

/**
 * Compiles point schemas; identical schemas (common in real plans) compile once. Schemas in the
 * plan vocabulary go to the evaluator, anything else to ajv.
 */
export class SchemaCompiler {
  private readonly compiled = new Map<string, { check: Check; engine: 'evaluator' | 'ajv' }>();
  /** The instance given to the constructor, if one was (its formats then apply to the evaluator too). */
  readonly given: Ajv | undefined;
  private instance: Ajv | undefined;

  /** @param ajv an instance, or how to make one when a schema first needs ajv (most plans never do). */
  constructor(private readonly ajvSource: Ajv | (() => Ajv) = createAjv, readonly engine: 'auto' | 'ajv' = 'auto') {
    if (typeof ajvSource !== 'function') this.given = this.instance = ajvSource;
  }

  get ajv(): Ajv {
    return (this.instance ??= (this.ajvSource as () => Ajv)());
  }

  compile(schema: SchemaObject): { check: Check; engine: 'evaluator' | 'ajv' } {
    const key = JSON.stringify(schema);
    let out = this.compiled.get(key);
    if (!out) {
      if (this.engine === 'auto' && canEvaluate(schema)) out = { check: evaluatorCheck(compileEval(schema, this.given)), engine: 'evaluator' };
      else {
        const fn = this.ajv.compile(schema);
        // ajv gets platform semantics from the in-place conversion pass (see CompiledPlan.run).
        out = { check: (data) => (fn(data) ? undefined : (fn.errors ?? [])), engine: 'ajv' };
      }
      this.compiled.set(key, out);
    }
    return out;
  }
}

export function compilePoint(point: PlanPoint, compiler: SchemaCompiler, file: string, problems: PlanProblem[]): CompiledPoint {
  const kind = pointKind(point.matchType);
  const out: CompiledPoint = { point, kind };
  if (!point.definition) return out;
  const at = `${point.pointer}/validator/definition`;
  const prepared = prepareSchema(point.definition, file, at, compiler.given ?? (() => compiler.ajv));
  problems.push(...prepared.problems);
  const schema = prepared.schema;
  if (kind === 'event') warnClosedData(schema, file, at, problems);
  try {
    const compiled = compiler.compile(schema);
    out.check = compiled.check;
    out.engine = compiled.engine;
  } catch (err) {
    problems.push(problem('error', 'invalid_schema', `schema does not compile (${(err as Error).message}); nothing is checked for this point`, file, at, 'a valid JSON Schema'));
    return out;
  }
  out.schema = schema;
  // Only ajv needs the conversion pass (the evaluator converts as it goes); patternProperties keys
  // are tested with the engine ajv compiles patterns with.
  if (out.engine === 'ajv') out.coercion = compileCoercion(schema, undefined, (source) => compiler.ajv.opts.code.regExp(source, 'u'));
  return out;
}

function warnClosedData(schema: SchemaObject, file: string, at: string, problems: PlanProblem[]): void {
  const data = isSchemaObject(schema.properties) ? schema.properties.data : undefined;
  if (isSchemaObject(data) && data.additionalProperties === false) {
    problems.push(problem('warning', 'closed_data_object',
      'properties.data.additionalProperties is false: every SDK field (timestamp_unixtime_ms, session_uuid, …) not listed becomes an unplanned attribute',
      file, `${at}/properties/data/additionalProperties`, 'true (the mParticle UI always writes true)'));
  }
}

/** The schema that applies at an instance path, following properties and items (for suggestions). */
export function schemaAt(schema: SchemaObject | undefined, instancePath: string): SchemaObject | undefined {
  let node: unknown = schema;
  for (const raw of instancePath.split('/').slice(1)) {
    if (!isSchemaObject(node)) return undefined;
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (isSchemaObject(node.properties) && isSchemaObject(node.properties[seg])) node = node.properties[seg];
    else if (/^\d+$/.test(seg) && isSchemaObject(node.items)) node = node.items;
    else return undefined;
  }
  return isSchemaObject(node) ? node : undefined;
}

/** Planned property names of the object schema at an instance path. */
export function plannedKeysAt(schema: SchemaObject | undefined, instancePath: string): string[] {
  const s = schemaAt(schema, instancePath);
  return s && isSchemaObject(s.properties) ? Object.keys(s.properties) : [];
}
