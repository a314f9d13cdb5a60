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
export const T_NULL = 16;
const T_OBJECT = 32;
const T_ARRAY = 64;
const TYPE_BITS: Record<string, number> = {
  string: T_STRING, number: T_NUMBER, integer: T_INTEGER, boolean: T_BOOLEAN, null: T_NULL, object: T_OBJECT, array: T_ARRAY,
};

export interface CoerceNode {
  /** Allowed JSON types as bits; 0 = any. */
  types: number;
  /** Planned properties: names and their nodes, side by side (no per-call allocation when walked). */
  keys?: string[];
  props?: CoerceNode[];
  items?: CoerceNode;
  /** Present-but-absent object to substitute so required keys inside it are still enforced. */
  fill?: boolean;
  /** Per key: it exists on Object.prototype (`constructor`, `__proto__`…), so read it as an own property only. */
  inherited?: boolean[];
}

/** A leaf that accepts anything and fills nothing can never change a value. */
function inert(n: CoerceNode): boolean {
  return n.types === 0 && !n.keys && !n.items && !n.fill;
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

/** The types a value may be converted to for this schema (from `type`, else from `enum`/`const` values). */
export function schemaTypes(s: SchemaObject): number {
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
    node.keys = [];
    node.props = [];
    for (const [k, sub] of Object.entries(s.properties)) {
      if (!isSchemaObject(sub)) continue;
      const child = build(sub, fillKey, depth + 1) ?? { types: 0 };
      if (k === fillKey && !required.has(k) && Array.isArray(sub.required) && sub.required.length > 0) child.fill = true;
      if (inert(child)) continue;
      node.keys.push(k);
      node.props.push(child);
      (node.inherited ??= []).push(k in Object.prototype);
    }
    if (node.keys.length === 0) {
      delete node.keys;
      delete node.props;
      delete node.inherited;
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

/**
 * Undo log for in-place coercion: validation converts values inside the caller's objects just
 * long enough for ajv to run, then puts every original back. No copies, no garbage, and the
 * caller's objects keep their key order.
 */
export class Undo {
  private readonly holders: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly values: unknown[] = [];
  /** Keys that did not exist before (removed on restore). */
  private readonly added: boolean[] = [];

  set(holder: Record<string, unknown>, key: string, value: unknown, added = false): void {
    this.holders.push(holder);
    this.keys.push(key);
    this.values.push(holder[key]);
    this.added.push(added);
    holder[key] = value;
  }

  get empty(): boolean {
    return this.holders.length === 0;
  }

  restore(): void {
    for (let i = this.holders.length - 1; i >= 0; i--) {
      if (this.added[i]) delete this.holders[i][this.keys[i]];
      else this.holders[i][this.keys[i]] = this.values[i];
    }
    this.holders.length = this.keys.length = this.values.length = this.added.length = 0;
  }
}

/**
 * Convert `v` in place for validation, logging every change in `undo`. Returns the value to
 * validate (only a scalar root is returned converted; objects are changed in place).
 * A planned key sent as null is set to undefined, which ajv treats as absent.
 * `strict` keeps types as sent (null handling stays).
 */
export function coerceInPlace(v: unknown, node: CoerceNode, undo: Undo, strict = false): unknown {
  if (v === null || typeof v !== 'object') return strict ? v : coerceScalar(v, node.types);
  if (Array.isArray(v)) {
    const items = node.items;
    if (!items) return v;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      const nc = coerceInPlace(c, items, undo, strict);
      if (nc !== c) undo.set(v as unknown as Record<string, unknown>, String(i), nc);
    }
    return v;
  }
  const props = node.props;
  const keys = node.keys;
  if (!props || !keys) return v;
  const inherited = node.inherited!;
  const obj = v as Record<string, unknown>;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const child = props[k];
    // Plain property reads are fast; keys that also name Object.prototype members must be own.
    const has = inherited[k] ? Object.prototype.hasOwnProperty.call(obj, key) : obj[key] !== undefined;
    const c = has ? obj[key] : undefined;
    if (c === undefined || c === null) {
      if (child.fill) undo.set(obj, key, {}, !has);
      else if (c === null && !allowsNull(child)) undo.set(obj, key, undefined);
      continue;
    }
    const nc = coerceInPlace(c, child, undo, strict);
    if (nc !== c) undo.set(obj, key, nc);
  }
  return v;
}
