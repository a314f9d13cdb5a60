/**
 * Platform type semantics: a value is valid for a type if it converts to it. Before ajv runs, a
 * plan-driven pass converts convertible values in place and removes members sent as null (null is
 * absent), logging every change so the caller's objects are restored afterwards.
 *
 * Conversion follows every subschema a value is checked against: properties, patternProperties,
 * additionalProperties, items, prefixItems, allOf/anyOf/oneOf, if/then/else (and dependentSchemas,
 * local $refs). At one place in the data, the schemas that apply there are taken together: a value
 * converts to a type that any of them names. The evaluator (evaluate.ts) converts the same way on
 * the schemas it runs, so the two engines give one answer.
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

/** Test for a patternProperties key (the same engine ajv uses). */
export type PatternTest = (source: string) => { test(s: string): boolean };

export interface CoerceNode {
  /** Types a value here may be converted to, over every schema that applies here; 0 = any. */
  types: number;
  /** Planned (or required) keys and their nodes, side by side (no per-call allocation when walked). */
  keys?: string[];
  props?: CoerceNode[];
  /** Per key: it exists on Object.prototype (`constructor`, `__proto__`…), so read it as an own property only. */
  inherited?: boolean[];
  /** Per key: a null there is removed, not set to undefined (a pattern or additionalProperties schema would check undefined). */
  drop?: boolean[];
  /** Keys outside `keys` that patternProperties or additionalProperties schemas check. */
  dynamic?: Dynamic;
  /** Array elements past `prefix`. */
  items?: CoerceNode;
  prefix?: (CoerceNode | undefined)[];
  /** Present-but-absent object to substitute so required keys inside it are still enforced. */
  fill?: boolean;
}

interface Rule {
  patterns: { test: { test(s: string): boolean }; schema: SchemaObject }[];
  additional?: SchemaObject;
}

interface Dynamic {
  /** Every key handled by `keys` (including ones without a node). */
  planned: Set<string>;
  /** Per schema that applies here. */
  rules: Rule[];
  builder: Builder;
}

/** A leaf that accepts anything and fills nothing can never change a value. */
function inert(n: CoerceNode): boolean {
  return n.types === 0 && !n.keys && !n.items && !n.prefix && !n.dynamic && !n.fill;
}

const NUMERIC = /^[ \t\n\r]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r]*$/;
const BOOLEAN = /^(?:true|false)$/i;

/** A string the platform reads as a number: decimal notation, optional sign and exponent, surrounding spaces ignored. */
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

const defaultPattern: PatternTest = (source) => new RegExp(source, 'u');

/**
 * Build the coercion tree for a schema. `fillKey` names object properties that, when absent, are
 * replaced by `{}` so their own `required` list is enforced (`custom_attributes`).
 */
export function compileCoercion(schema: SchemaObject, fillKey = 'custom_attributes', pattern: PatternTest = defaultPattern): CoerceNode | undefined {
  return new Builder(schema, fillKey, pattern).node([schema], 0);
}

const IN_PLACE = ['allOf', 'anyOf', 'oneOf'];
const CONDITIONAL = ['if', 'then', 'else'];

/** Builds (and remembers) the node for each set of schemas that apply at one place. */
class Builder {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  private readonly nodes = new Map<string, CoerceNode | null>();
  private readonly tests = new Map<string, { test(s: string): boolean } | null>();

  constructor(readonly root: SchemaObject, readonly fillKey: string, readonly pattern: PatternTest) {}

  private id(o: object): number {
    let n = this.ids.get(o);
    if (n === undefined) this.ids.set(o, (n = this.nextId++));
    return n;
  }

  test(source: string): { test(s: string): boolean } | null {
    let t = this.tests.get(source);
    if (t === undefined) {
      try {
        t = this.pattern(source);
      } catch {
        t = null; // ajv could not compile it either; prepareSchema has reported it
      }
      this.tests.set(source, t);
    }
    return t;
  }

  /** The schemas that apply where `list` applies: with their allOf/anyOf/oneOf, if/then/else, dependentSchemas and local $refs. */
  private expand(list: SchemaObject[]): SchemaObject[] {
    const out: SchemaObject[] = [];
    const seen = new Set<SchemaObject>();
    const visit = (s: unknown, depth: number) => {
      if (!isSchemaObject(s) || seen.has(s) || depth > 32) return;
      seen.add(s);
      out.push(s);
      for (const kw of IN_PLACE) if (Array.isArray(s[kw])) for (const sub of s[kw] as unknown[]) visit(sub, depth + 1);
      for (const kw of CONDITIONAL) visit(s[kw], depth + 1);
      if (isSchemaObject(s.dependentSchemas)) for (const sub of Object.values(s.dependentSchemas)) visit(sub, depth + 1);
      if (typeof s.$ref === 'string') visit(this.resolve(s.$ref), depth + 1);
    };
    for (const s of list) visit(s, 0);
    return out;
  }

  private resolve(ref: string): unknown {
    if (!ref.startsWith('#')) return undefined;
    let cur: unknown = this.root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const seg = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      cur = isSchemaObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg) ? cur[seg] : undefined;
    }
    return cur;
  }

  /** The node for the schemas in `list` (all applying at one place); undefined when nothing there can change. */
  node(list: SchemaObject[], depth: number): CoerceNode | undefined {
    if (list.length === 0 || depth > 32) return undefined;
    const group = this.expand(list);
    const key = group.map((s) => this.id(s)).sort((a, b) => a - b).join(',');
    const known = this.nodes.get(key);
    if (known !== undefined) return known ?? undefined;
    if (this.nodes.size > 2000) this.nodes.clear();
    const node: CoerceNode = { types: 0 };
    // Registered before its children are built: a recursive $ref finds it.
    this.nodes.set(key, node);
    for (const s of group) node.types |= schemaTypes(s);
    this.objectPart(node, group, depth);
    this.arrayPart(node, group, depth);
    if (inert(node)) {
      this.nodes.set(key, null);
      return undefined;
    }
    return node;
  }

  private objectPart(node: CoerceNode, group: SchemaObject[], depth: number): void {
    const required = new Set<string>();
    const names = new Set<string>();
    for (const s of group) {
      if (Array.isArray(s.required)) for (const k of s.required) if (typeof k === 'string') required.add(k);
      if (isSchemaObject(s.properties)) for (const k of Object.keys(s.properties)) names.add(k);
    }
    for (const k of required) names.add(k);
    const rules: Rule[] = [];
    for (const s of group) {
      const patterns: Rule['patterns'] = [];
      if (isSchemaObject(s.patternProperties)) {
        for (const [src, sub] of Object.entries(s.patternProperties)) {
          const test = this.test(src);
          if (test && isSchemaObject(sub)) patterns.push({ test, schema: sub });
        }
      }
      const additional = isSchemaObject(s.additionalProperties) ? s.additionalProperties : undefined;
      if (patterns.length || additional) rules.push({ patterns, additional });
    }
    const keys: string[] = [];
    const props: CoerceNode[] = [];
    const drop: boolean[] = [];
    for (const k of names) {
      const subs: SchemaObject[] = [];
      let checkedElsewhere = false;
      for (const s of group) {
        const planned = isSchemaObject(s.properties) && Object.prototype.hasOwnProperty.call(s.properties, k);
        if (planned && isSchemaObject((s.properties as SchemaObject)[k])) subs.push((s.properties as SchemaObject)[k] as SchemaObject);
        let matched = false;
        if (isSchemaObject(s.patternProperties)) {
          for (const [src, sub] of Object.entries(s.patternProperties)) {
            if (isSchemaObject(sub) && this.test(src)?.test(k)) {
              subs.push(sub);
              matched = checkedElsewhere = true;
            }
          }
        }
        if (!planned && !matched && isSchemaObject(s.additionalProperties)) {
          subs.push(s.additionalProperties);
          checkedElsewhere = true;
        }
      }
      let child = this.node(subs, depth + 1) ?? INERT;
      // A copy: the node may be shared with places where it must not fill.
      if (k === this.fillKey && !required.has(k) && this.expand(subs).some((x) => Array.isArray(x.required) && x.required.length > 0)) child = { ...child, fill: true };
      // Nothing to convert, fill or make absent: leave it to ajv as sent.
      if (inert(child) && !required.has(k) && !checkedElsewhere) continue;
      keys.push(k);
      props.push(child);
      drop.push(checkedElsewhere);
    }
    if (keys.length) {
      node.keys = keys;
      node.props = props;
      node.inherited = keys.map((k) => k in Object.prototype);
      if (drop.some(Boolean)) node.drop = drop;
    }
    if (rules.length) node.dynamic = { planned: names, rules, builder: this };
  }

  private arrayPart(node: CoerceNode, group: SchemaObject[], depth: number): void {
    let prefixLength = 0;
    for (const s of group) if (Array.isArray(s.prefixItems)) prefixLength = Math.max(prefixLength, s.prefixItems.length);
    const at = (i: number): SchemaObject[] => {
      const subs: SchemaObject[] = [];
      for (const s of group) {
        const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as unknown[]) : [];
        const sub = i < prefix.length ? prefix[i] : s.items;
        if (isSchemaObject(sub)) subs.push(sub);
      }
      return subs;
    };
    if (prefixLength > 0) {
      const prefix = Array.from({ length: prefixLength }, (_, i) => this.node(at(i), depth + 1));
      if (prefix.some(Boolean)) node.prefix = prefix;
    }
    const items = this.node(at(prefixLength), depth + 1);
    if (items) node.items = items;
  }

  /** The node for a key outside the planned ones, from the patterns it matches or additionalProperties. */
  dynamicNode(rules: Rule[], key: string): CoerceNode | undefined {
    const subs: SchemaObject[] = [];
    for (const r of rules) {
      let matched = false;
      for (const p of r.patterns) {
        if (p.test.test(key)) {
          subs.push(p.schema);
          matched = true;
        }
      }
      if (!matched && r.additional) subs.push(r.additional);
    }
    return subs.length ? (this.node(subs, 1) ?? INERT) : undefined;
  }
}

const INERT: CoerceNode = { types: 0 };

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
/** An own member's value; `__proto__` read as the data it is, not as the prototype. */
function getOwn(o: Record<string, unknown>, key: string): unknown {
  return key === '__proto__' ? Object.getOwnPropertyDescriptor(o, key)?.value : o[key];
}

/** Set an own member; `__proto__` set as data, never as the prototype. */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  else o[key] = value;
}

export class Undo {
  private readonly holders: Record<string, unknown>[] = [];
  private readonly keys: string[] = [];
  private readonly values: unknown[] = [];
  /** What the change was: 0 replaced a value, 1 added a key (deleted on restore), 2 removed one (put back in its place). */
  private readonly kinds: number[] = [];
  /** For removals: the holder's keys before, to put the key back in its place. */
  private readonly orders: (string[] | undefined)[] = [];

  set(holder: Record<string, unknown>, key: string, value: unknown, added = false): void {
    this.log(holder, key, added ? 1 : 0, undefined);
    put(holder, key, value);
  }

  /** Remove a member (ajv then sees it as absent everywhere); restore puts it back where it was. */
  remove(holder: Record<string, unknown>, key: string): void {
    this.log(holder, key, 2, Object.keys(holder));
    delete holder[key];
  }

  private log(holder: Record<string, unknown>, key: string, kind: number, order: string[] | undefined): void {
    this.holders.push(holder);
    this.keys.push(key);
    this.values.push(getOwn(holder, key));
    this.kinds.push(kind);
    this.orders.push(order);
  }

  get empty(): boolean {
    return this.holders.length === 0;
  }

  restore(): void {
    for (let i = this.holders.length - 1; i >= 0; i--) {
      const holder = this.holders[i];
      const key = this.keys[i];
      if (this.kinds[i] === 1) delete holder[key];
      else put(holder, key, this.values[i]);
      if (this.kinds[i] === 2) {
        // Re-adding put the key last: move the keys that followed it back behind it.
        const order = this.orders[i]!;
        for (let j = order.indexOf(key) + 1; j < order.length; j++) {
          const k = order[j];
          if (!Object.prototype.hasOwnProperty.call(holder, k)) continue;
          const value = getOwn(holder, k);
          delete holder[k];
          put(holder, k, value);
        }
      }
    }
    this.holders.length = this.keys.length = this.values.length = this.kinds.length = this.orders.length = 0;
  }
}

/**
 * Convert `v` in place for validation, logging every change in `undo`. Returns the value to
 * validate (only a scalar root is returned converted; objects are changed in place).
 * A member sent as null is made absent (set to undefined, or removed where ajv would still check
 * it). `strict` keeps types as sent (null handling stays).
 */
export function coerceInPlace(v: unknown, node: CoerceNode, undo: Undo, strict = false): unknown {
  if (v === null || typeof v !== 'object') return strict ? v : coerceScalar(v, node.types);
  if (Array.isArray(v)) {
    const items = node.items;
    const prefix = node.prefix;
    if (!items && !prefix) return v;
    for (let i = 0; i < v.length; i++) {
      const child = prefix && i < prefix.length ? prefix[i] : items;
      if (!child) continue;
      const c = v[i];
      const nc = coerceInPlace(c, child, undo, strict);
      if (nc !== c) undo.set(v as unknown as Record<string, unknown>, String(i), nc);
    }
    return v;
  }
  const obj = v as Record<string, unknown>;
  const props = node.props;
  const keys = node.keys;
  if (props && keys) {
    const inherited = node.inherited!;
    const drop = node.drop;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const child = props[k];
      // Plain property reads are fast; keys that also name Object.prototype members must be own.
      const has = inherited[k] ? Object.prototype.hasOwnProperty.call(obj, key) : obj[key] !== undefined;
      const c = has ? (inherited[k] ? getOwn(obj, key) : obj[key]) : undefined;
      if (c === undefined || c === null) {
        if (child.fill) undo.set(obj, key, {}, !has);
        else if (c === null) {
          if (drop && drop[k]) undo.remove(obj, key);
          else undo.set(obj, key, undefined);
        }
        continue;
      }
      const nc = coerceInPlace(c, child, undo, strict);
      if (nc !== c) undo.set(obj, key, nc);
    }
  }
  const dyn = node.dynamic;
  if (dyn) {
    for (const key of Object.keys(obj)) {
      if (dyn.planned.has(key)) continue;
      const child = dyn.builder.dynamicNode(dyn.rules, key);
      if (!child) continue;
      const c = getOwn(obj, key);
      if (c === null) undo.remove(obj, key);
      else if (c !== undefined) {
        const nc = coerceInPlace(c, child, undo, strict);
        if (nc !== c) undo.set(obj, key, nc);
      }
    }
  }
  return v;
}
