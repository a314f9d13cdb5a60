/**
 * Platform type semantics: a value is valid for a type if it converts to it. Before ajv runs, a
 * plan-driven pass builds a view of the data with convertible values converted and planned null
 * values removed. The original is never modified: containers are copied only where a value changes.
 */
import { isSchemaObject, type SchemaObject } from './walk.js';

const T_STRING = 1;
const T_NUMBER = 2;
const T_INTEGER = 4;
const T_BOOLEAN = 8;
const T_NULL = 16;
const T_OBJECT = 32;
const T_ARRAY = 64;
const TYPE_BITS: Record<string, number> = {
  string: T_STRING, number: T_NUMBER, integer: T_INTEGER, boolean: T_BOOLEAN, null: T_NULL, object: T_OBJECT, array: T_ARRAY,
};

export interface CoerceNode {
  /** Allowed JSON types as bits; 0 = any. */
  types: number;
  props?: Map<string, CoerceNode>;
  items?: CoerceNode;
  /** Present-but-absent object to substitute so required keys inside it are still enforced. */
  fill?: boolean;
}

const NUMERIC = /^\s*-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const BOOLEAN = /^(?:true|false)$/i;

export function isNumericString(s: string): boolean {
  return NUMERIC.test(s);
}

function typeBitsOf(v: unknown): number {
  if (v === null) return T_NULL;
  switch (typeof v) {
    case 'string': return T_STRING;
    case 'number': return Number.isInteger(v) ? T_NUMBER | T_INTEGER : T_NUMBER;
    case 'boolean': return T_BOOLEAN;
    case 'object': return Array.isArray(v) ? T_ARRAY : T_OBJECT;
    default: return 0;
  }
}

function schemaTypes(s: SchemaObject): number {
  const t = s.type;
  if (typeof t === 'string') return TYPE_BITS[t] ?? 0;
  if (Array.isArray(t)) return t.reduce((acc: number, x) => acc | (TYPE_BITS[x as string] ?? 0), 0);
  // No type: infer from enum/const values so "5" still meets enum [1..5].
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
  if (!values) return 0;
  let bits = 0;
  for (const v of values) bits |= typeBitsOf(v);
  if (bits & T_INTEGER) bits |= T_NUMBER;
  return bits;
}

/**
 * Build the coercion tree for a schema. `fillKey` names object properties that, when absent, are
 * replaced by `{}` so their own `required` list is enforced (`custom_attributes`).
 */
export function compileCoercion(schema: SchemaObject, fillKey = 'custom_attributes'): CoerceNode | undefined {
  return build(schema, fillKey, 0);
}

function build(s: SchemaObject, fillKey: string, depth: number): CoerceNode | undefined {
  if (depth > 32) return undefined;
  const node: CoerceNode = { types: schemaTypes(s) };
  if (isSchemaObject(s.properties)) {
    const required = new Set(Array.isArray(s.required) ? (s.required as unknown[]) : []);
    node.props = new Map();
    for (const [k, sub] of Object.entries(s.properties)) {
      if (!isSchemaObject(sub)) continue;
      const child = build(sub, fillKey, depth + 1) ?? { types: 0 };
      if (k === fillKey && !required.has(k) && Array.isArray(sub.required) && sub.required.length > 0) child.fill = true;
      node.props.set(k, child);
    }
  }
  if (isSchemaObject(s.items)) node.items = build(s.items, fillKey, depth + 1);
  return node;
}

function allowsNull(n: CoerceNode): boolean {
  return n.types === 0 || (n.types & T_NULL) !== 0;
}

/** Convert a scalar to one of the allowed types when the platform would; otherwise return it unchanged. */
export function coerceScalar(v: unknown, types: number): unknown {
  if (types === 0) return v;
  const have = typeBitsOf(v);
  if (have & types) return v;
  if (typeof v === 'string') {
    if (types & (T_NUMBER | T_INTEGER) && NUMERIC.test(v)) {
      const n = Number(v);
      if (Number.isFinite(n) && (types & T_NUMBER || Number.isInteger(n))) return n;
    }
    if (types & T_BOOLEAN && BOOLEAN.test(v)) return v.toLowerCase() === 'true';
    return v;
  }
  if ((typeof v === 'number' || typeof v === 'boolean') && types & T_STRING) return String(v);
  return v;
}

/** The coerced view of `v`; the same reference when nothing changes. `strict` keeps types as sent (null handling stays). */
export function coerce(v: unknown, node: CoerceNode, strict = false): unknown {
  if (v === null || typeof v !== 'object') return strict ? v : coerceScalar(v, node.types);
  if (Array.isArray(v)) {
    const items = node.items;
    if (!items) return v;
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      const nc = coerce(c, items, strict);
      if (nc !== c) (out ??= v.slice())[i] = nc;
    }
    return out ?? v;
  }
  const props = node.props;
  if (!props) return v;
  const obj = v as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const [key, child] of props) {
    const has = Object.prototype.hasOwnProperty.call(obj, key);
    const c = has ? obj[key] : undefined;
    if (c === undefined || c === null) {
      if (child.fill) {
        out ??= copy(obj);
        out[key] = {};
      } else if (c === null && !allowsNull(child)) {
        // A planned key sent as null counts as absent (so `required` reports it as missing).
        out ??= copy(obj);
        delete out[key];
      }
      continue;
    }
    const nc = coerce(c, child, strict);
    if (nc !== c) (out ??= copy(obj))[key] = nc;
  }
  return out ?? v;
}

/** Shallow copy that keeps `__proto__` and other odd keys as plain data. */
function copy(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(o)) out[k] = o[k];
  return out;
}
