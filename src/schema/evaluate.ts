/**
 * A compact evaluator for the JSON Schema keywords plans use (the mParticle UI's vocabulary plus
 * the common standard ones). A plan's points are compiled into trees of checks that one shared,
 * always-hot function walks; ajv instead generates a function per schema, and with hundreds of
 * points V8 spends most of a run compiling and warming those. Errors come out as ajv
 * `ErrorObject`s, so one mapping serves both; schemas with other keywords are compiled by ajv, and
 * test/core/evaluate.test.ts checks the two agree.
 */
import type { ErrorObject } from 'ajv';
import { compilePattern, type PatternMatcher } from '../regex/index.js';
import type { Ajv } from './ajv.js';
import { coerceScalar, schemaTypes } from './coerce.js';
import { isMultipleOf } from './decimal.js';
import { FORMATS } from './formats.js';
import { isSchemaObject, type SchemaObject } from './walk.js';

/** Keywords the evaluator implements. */
const CHECKED = new Set([
  'type', 'enum', 'const', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'maxItems',
  'minProperties', 'maxProperties', 'uniqueItems',
]);
/** Keywords without effect on validity. */
const ANNOTATIONS = new Set(['description', 'title', 'examples', 'default', '$comment', 'deprecated', 'readOnly', 'writeOnly', '$schema', 'contentMediaType', 'contentEncoding']);

const T_STRING = 1;
const T_NUMBER = 2;
const T_INTEGER = 4;
const T_BOOLEAN = 8;
const T_NULL = 16;
const T_OBJECT = 32;
const T_ARRAY = 64;
const BITS: Record<string, number> = { string: T_STRING, number: T_NUMBER, integer: T_INTEGER, boolean: T_BOOLEAN, null: T_NULL, object: T_OBJECT, array: T_ARRAY };

type FormatCheck = (value: string | number) => boolean;

/** One schema, compiled. Every node has every field (one shape: fast property access). */
export interface EvalNode {
  types: number;
  /** Types a value converts to under platform semantics (from `type`, else `enum`/`const`). */
  convertTypes: number;
  /** An absent object here is checked as `{}` so its required keys still count (custom_attributes). */
  fills: boolean;
  typeParam: unknown;
  enumValues: unknown[] | null;
  /** Primitive enum values, for a quick membership test. */
  enumSet: Set<unknown> | null;
  hasConst: boolean;
  constValue: unknown;
  pattern: PatternMatcher | null;
  patternSource: string;
  format: FormatCheck | null;
  formatName: string;
  formatNumeric: boolean;
  minimum: number | null;
  maximum: number | null;
  exclusiveMinimum: number | null;
  exclusiveMaximum: number | null;
  multipleOf: number | null;
  minLength: number | null;
  maxLength: number | null;
  keys: string[] | null;
  children: EvalNode[] | null;
  /** Planned key → its index in `keys`/`children`. */
  keyIndex: Map<string, number> | null;
  /** Indexes of children that fill in for an absent object. */
  fill: number[] | null;
  required: string[] | null;
  /** false: no additional properties; a node: they must match it; null: allowed. */
  additional: false | EvalNode | null;
  items: EvalNode | null;
  minItems: number | null;
  maxItems: number | null;
  minProperties: number | null;
  maxProperties: number | null;
  uniqueItems: boolean;
}

/** True when every keyword in the schema (at any depth) is one the evaluator implements. */
export function canEvaluate(s: unknown, depth = 0): boolean {
  if (!isSchemaObject(s) || depth > 32) return false;
  for (const [k, v] of Object.entries(s)) {
    if (ANNOTATIONS.has(k)) continue;
    if (!CHECKED.has(k)) return false;
    if (k === 'properties') {
      if (!isSchemaObject(v) || !Object.values(v).every((x) => canEvaluate(x, depth + 1))) return false;
    } else if (k === 'additionalProperties' && typeof v === 'boolean') {
      continue;
    } else if (k === 'items' || k === 'additionalProperties') {
      if (!canEvaluate(v, depth + 1)) return false;
    } else if (k === 'type') {
      if (!(typeof v === 'string' || Array.isArray(v))) return false;
    } else if (k === 'required') {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return false;
    } else if (k === 'enum') {
      if (!Array.isArray(v)) return false;
    } else if (k === 'pattern' || k === 'format') {
      if (typeof v !== 'string') return false;
    } else if (k === 'uniqueItems') {
      if (typeof v !== 'boolean') return false;
    } else if (k !== 'const' && typeof v !== 'number') return false;
  }
  return true;
}

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/**
 * Compile a schema that `canEvaluate` accepted. Formats come from `ajv` when given, else from the
 * definitions `createAjv` gives ajv (ajv-formats). `fillKey` names the attribute object whose
 * required keys count even when it is absent.
 */
export function compileEval(s: SchemaObject, ajv?: Ajv, fillKey = 'custom_attributes'): EvalNode {
  const t = s.type;
  const types = typeof t === 'string' ? (BITS[t] ?? 0) : Array.isArray(t) ? t.reduce((a: number, x) => a | (BITS[x as string] ?? 0), 0) : 0;
  let format: FormatCheck | null = null;
  let formatNumeric = false;
  if (typeof s.format === 'string') {
    const def = (ajv ? ajv.formats : FORMATS)[s.format] as unknown;
    const body = def && typeof def === 'object' && !(def instanceof RegExp) ? (def as { validate?: unknown; type?: string }) : undefined;
    const validate = body ? body.validate : def;
    formatNumeric = body?.type === 'number';
    if (validate instanceof RegExp) format = (x) => validate.test(String(x));
    else if (typeof validate === 'function') format = validate as FormatCheck;
    else format = () => true;
  }
  const props = isSchemaObject(s.properties) ? s.properties : null;
  const keys = props ? Object.keys(props) : null;
  const enumValues = Array.isArray(s.enum) ? (s.enum as unknown[]) : null;
  const required = Array.isArray(s.required) && s.required.length > 0 ? (s.required as string[]) : null;
  const children = props && keys ? keys.map((k) => compileEval(props[k] as SchemaObject, ajv, fillKey)) : null;
  if (children && keys) {
    const i = keys.indexOf(fillKey);
    const sub = i >= 0 ? (props![fillKey] as SchemaObject) : undefined;
    if (sub && !required?.includes(fillKey) && Array.isArray(sub.required) && sub.required.length > 0) children[i].fills = true;
  }
  const convertTypes = schemaTypes(s);
  return {
    types,
    convertTypes,
    fills: false,
    typeParam: t,
    enumValues,
    enumSet: enumValues && enumValues.every(isPrimitive) ? new Set(enumValues) : null,
    hasConst: 'const' in s,
    constValue: s.const,
    pattern: typeof s.pattern === 'string' ? compilePattern(s.pattern) : null,
    patternSource: typeof s.pattern === 'string' ? s.pattern : '',
    format,
    formatName: typeof s.format === 'string' ? s.format : '',
    formatNumeric,
    minimum: num(s.minimum),
    maximum: num(s.maximum),
    exclusiveMinimum: num(s.exclusiveMinimum),
    exclusiveMaximum: num(s.exclusiveMaximum),
    multipleOf: num(s.multipleOf),
    minLength: num(s.minLength),
    maxLength: num(s.maxLength),
    keys,
    children,
    keyIndex: keys && keys.length ? new Map(keys.map((k, i) => [k, i])) : null,
    fill: children && children.some((c) => c.fills) ? children.flatMap((c, i) => (c.fills ? [i] : [])) : null,
    required,
    additional: s.additionalProperties === false ? false : isSchemaObject(s.additionalProperties) ? compileEval(s.additionalProperties, ajv, fillKey) : null,
    items: isSchemaObject(s.items) ? compileEval(s.items, ajv, fillKey) : null,
    minItems: num(s.minItems),
    maxItems: num(s.maxItems),
    minProperties: num(s.minProperties),
    maxProperties: num(s.maxProperties),
    uniqueItems: s.uniqueItems === true,
  };
}

/** Path segments of the value being checked; joined only when an error is reported. */
type Path = (string | number)[];

function pathOf(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number' || (seg.indexOf('~') === -1 && seg.indexOf('/') === -1)) out += '/' + seg;
    else out += '/' + seg.replace(/~/g, '~0').replace(/\//g, '~1');
  }
  return out;
}

function fail(errors: ErrorObject[], path: Path, keyword: string, params: Record<string, unknown>): void {
  errors.push({ instancePath: pathOf(path), schemaPath: '', keyword, params });
}

function typeBits(v: unknown): number {
  if (v === null) return T_NULL;
  switch (typeof v) {
    case 'string': return T_STRING;
    case 'number': return Number.isFinite(v) ? (Number.isInteger(v) ? T_NUMBER | T_INTEGER : T_NUMBER) : 0;
    case 'boolean': return T_BOOLEAN;
    case 'object': return Array.isArray(v) ? T_ARRAY : T_OBJECT;
    default: return 0;
  }
}

/** Length in code points, as JSON Schema counts it. */
function length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  return n;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return a !== a && b !== b; // NaN
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** How to read values: plain JSON Schema (what ajv does), or the platform's rules. */
export const PLAIN = 0;
/** Platform: a member sent as null is absent (a required one is missing); a missing attribute object is checked as `{}`. */
export const PLATFORM_STRICT = 1;
/** Platform, plus type conversion: "42" is checked as 42, 42 as "42", "true" as true. */
export const PLATFORM = 3;
const CONVERT = 2;

/**
 * Check `v` against `n`, appending ajv-style errors (all of them, as with `allErrors`). Object
 * members are read as own properties, so `__proto__` or `constructor` keys are plain data.
 */
export function evaluate(n: EvalNode, v: unknown, path: Path, errors: ErrorObject[], mode = PLAIN): void {
  let bits = typeBits(v);
  if (mode & CONVERT && n.convertTypes !== 0 && (bits & n.convertTypes) === 0 && bits !== T_OBJECT && bits !== T_ARRAY) {
    const c = coerceScalar(v, n.convertTypes);
    if (c !== v) {
      v = c;
      bits = typeBits(c);
    }
  }
  if (n.types !== 0 && (bits & n.types) === 0) fail(errors, path, 'type', { type: n.typeParam });
  if (n.enumValues !== null) {
    let ok = false;
    if (n.enumSet !== null && isPrimitive(v)) ok = n.enumSet.has(v);
    else for (const x of n.enumValues) if (deepEqual(v, x)) { ok = true; break; }
    if (!ok) fail(errors, path, 'enum', { allowedValues: n.enumValues });
  }
  if (n.hasConst && !deepEqual(v, n.constValue)) fail(errors, path, 'const', { allowedValue: n.constValue });
  if (bits & T_NUMBER) {
    const x = v as number;
    if (n.maximum !== null && !(x <= n.maximum)) fail(errors, path, 'maximum', { comparison: '<=', limit: n.maximum });
    if (n.minimum !== null && !(x >= n.minimum)) fail(errors, path, 'minimum', { comparison: '>=', limit: n.minimum });
    if (n.exclusiveMaximum !== null && !(x < n.exclusiveMaximum)) fail(errors, path, 'exclusiveMaximum', { comparison: '<', limit: n.exclusiveMaximum });
    if (n.exclusiveMinimum !== null && !(x > n.exclusiveMinimum)) fail(errors, path, 'exclusiveMinimum', { comparison: '>', limit: n.exclusiveMinimum });
    if (n.multipleOf !== null && !isMultipleOf(x, n.multipleOf)) fail(errors, path, 'multipleOf', { multipleOf: n.multipleOf });
    if (n.format !== null && n.formatNumeric && !n.format(x)) fail(errors, path, 'format', { format: n.formatName });
  } else if (bits === T_STRING) {
    const s = v as string;
    if (n.maxLength !== null && length(s) > n.maxLength) fail(errors, path, 'maxLength', { limit: n.maxLength });
    if (n.minLength !== null && length(s) < n.minLength) fail(errors, path, 'minLength', { limit: n.minLength });
    if (n.pattern !== null && !n.pattern.test(s)) fail(errors, path, 'pattern', { pattern: n.patternSource });
    if (n.format !== null && !n.formatNumeric && !n.format(s)) fail(errors, path, 'format', { format: n.formatName });
  } else if (bits === T_OBJECT) {
    objectChecks(n, v as Record<string, unknown>, path, errors, mode);
  } else if (bits === T_ARRAY) {
    const a = v as unknown[];
    if (n.maxItems !== null && a.length > n.maxItems) fail(errors, path, 'maxItems', { limit: n.maxItems });
    if (n.minItems !== null && a.length < n.minItems) fail(errors, path, 'minItems', { limit: n.minItems });
    if (n.items !== null) {
      for (let i = 0; i < a.length; i++) {
        path.push(i);
        evaluate(n.items, a[i], path, errors, mode);
        path.pop();
      }
    }
    if (n.uniqueItems) {
      outer: for (let i = a.length - 1; i > 0; i--) {
        for (let j = i - 1; j >= 0; j--) {
          if (deepEqual(a[i], a[j])) {
            fail(errors, path, 'uniqueItems', { i, j });
            break outer;
          }
        }
      }
    }
  }
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function objectChecks(n: EvalNode, o: Record<string, unknown>, path: Path, errors: ErrorObject[], mode: number): void {
  const platform = mode !== PLAIN;
  const own = Object.prototype.hasOwnProperty;
  if (n.required !== null) {
    for (let i = 0; i < n.required.length; i++) {
      const k = n.required[i];
      const c = own.call(o, k) ? o[k] : undefined;
      // Null is absent whatever the key's schema says about null.
      if (c === undefined || (platform && c === null)) fail(errors, path, 'required', { missingProperty: k });
    }
  }
  if (n.minProperties !== null || n.maxProperties !== null) {
    const count = Object.keys(o).length;
    if (n.maxProperties !== null && count > n.maxProperties) fail(errors, path, 'maxProperties', { limit: n.maxProperties });
    if (n.minProperties !== null && count < n.minProperties) fail(errors, path, 'minProperties', { limit: n.minProperties });
  }
  const index = n.keyIndex;
  const additional = n.additional;
  if (index === null && additional === null) return;
  if (additional === null && n.keys!.length === 1) {
    // One planned key and nothing to say about the others (an event's `data`, its attribute
    // map): look it up instead of walking every key the data has. Own enumerable, as for...in sees.
    const k = n.keys![0];
    if (Object.prototype.propertyIsEnumerable.call(o, k)) {
      const c = o[k];
      if (c !== undefined && !(c === null && platform)) {
        path.push(k);
        evaluate(n.children![0], c, path, errors, mode);
        path.pop();
      }
    }
    if (platform && n.fill !== null) fillChecks(n, o, path, errors, mode);
    return;
  }
  // One pass over the keys the data has (usually fewer than the plan lists): planned ones are
  // checked against their schema, the others against additionalProperties.
  const children = n.children;
  // A few planned keys are found faster by comparing (keys from JSON.parse are interned) than by hashing.
  const scan = index !== null && index.size <= 8 ? n.keys : null;
  for (const k in o) {
    if (!own.call(o, k)) continue;
    let i: number | undefined;
    if (scan !== null) {
      for (let j = 0; j < scan.length; j++) {
        if (scan[j] === k) {
          i = j;
          break;
        }
      }
    } else if (index !== null) i = index.get(k);
    if (i !== undefined) {
      const c = o[k];
      if (c === undefined) continue;
      const child = children![i];
      // A member sent as null is absent under platform semantics (a fill object is checked below).
      if (c === null && platform) continue;
      path.push(k);
      evaluate(child, c, path, errors, mode);
      path.pop();
    } else if (additional === false) fail(errors, path, 'additionalProperties', { additionalProperty: k });
    else if (additional !== null) {
      if (platform && o[k] === null) continue;
      path.push(k);
      evaluate(additional, o[k], path, errors, mode);
      path.pop();
    }
  }
  if (platform && n.fill !== null) fillChecks(n, o, path, errors, mode);
}

/** Attribute objects that are absent (or null) are checked as `{}`, so their required keys count. */
function fillChecks(n: EvalNode, o: Record<string, unknown>, path: Path, errors: ErrorObject[], mode: number): void {
  const own = Object.prototype.hasOwnProperty;
  for (const i of n.fill!) {
    const k = n.keys![i];
    const c = own.call(o, k) ? o[k] : undefined;
    if (c !== undefined && c !== null) continue;
    path.push(k);
    evaluate(n.children![i], EMPTY, path, errors, mode);
    path.pop();
  }
}

/** A compiled point schema: the errors for a value (platform semantics unless `strict`), or undefined when it is valid. */
export type Check = (data: unknown, strict?: boolean) => ErrorObject[] | undefined;

const sharedPath: Path = [];
const sharedErrors: ErrorObject[] = [];

export function evaluatorCheck(node: EvalNode): Check {
  return (data, strict = false) => {
    evaluate(node, data, sharedPath, sharedErrors, strict ? PLATFORM_STRICT : PLATFORM);
    if (sharedErrors.length === 0) return undefined;
    const out = sharedErrors.slice();
    sharedErrors.length = 0;
    return out;
  };
}
