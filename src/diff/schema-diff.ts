/**
 * Compare two JSON Schemas keyword by keyword and say, for each difference, whether data that was
 * valid before can become invalid (breaking) or not (compatible).
 */
import { escapePointer, isObject } from '../plan/index.js';

export type ChangeClass = 'breaking' | 'compatible';

export type SchemaChangeKind =
  | 'attribute_added' | 'attribute_added_required' | 'attribute_removed' | 'attribute_unplanned'
  | 'newly_required' | 'no_longer_required'
  | 'type_narrowed' | 'type_widened' | 'type_changed'
  | 'enum_added' | 'enum_narrowed' | 'enum_widened' | 'enum_removed'
  | 'const_added' | 'const_changed' | 'const_removed'
  | 'range_narrowed' | 'range_widened'
  | 'pattern_added' | 'pattern_changed' | 'pattern_removed'
  | 'format_added' | 'format_changed' | 'format_removed'
  | 'additional_properties_restricted' | 'additional_properties_allowed'
  | 'annotation_changed' | 'schema_changed';

export interface SchemaChange {
  class: ChangeClass;
  kind: SchemaChangeKind;
  /** Pointer below the definition, in the old / new schema. */
  old_at: string;
  new_at: string;
  /** Instance path of what changed: `custom_attributes.label`, `product_action.products[].price`. */
  path: string;
  message: string;
  before?: unknown;
  after?: unknown;
}

type Schema = Record<string, unknown>;

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const ANNOTATIONS = new Set(['description', 'title', 'examples', '$comment', 'default', 'deprecated', 'readOnly', 'writeOnly', '$schema', '$id', 'id']);
/** Keywords handled one by one below; anything else that differs is compared as a whole. */
const HANDLED = new Set([
  'type', 'enum', 'const', 'pattern', 'format', 'properties', 'required', 'additionalProperties', 'items', 'multipleOf', 'uniqueItems',
  ...LOWER_BOUNDS, ...UPPER_BOUNDS, ...ANNOTATIONS,
]);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => JSON.stringify(v);

function typeSet(s: Schema): Set<string> | undefined {
  const t = s.type;
  if (typeof t === 'string') return new Set([t]);
  if (Array.isArray(t)) return new Set(t.filter((x): x is string => typeof x === 'string'));
  return undefined;
}

/** Does every value of type set `a` also satisfy type set `b`? (integer ⊂ number) */
function typesWithin(a: Set<string> | undefined, b: Set<string> | undefined): boolean {
  if (!b) return true;
  if (!a) return false;
  return [...a].every((t) => b.has(t) || (t === 'integer' && b.has('number')));
}

function typeText(s: Set<string> | undefined): string {
  return s ? [...s].join(' | ') : 'any';
}

export function diffSchemas(oldS: unknown, newS: unknown): SchemaChange[] {
  const out: SchemaChange[] = [];
  walk(isObject(oldS) ? oldS : {}, isObject(newS) ? newS : {}, '', '', [], out);
  return out;
}

function pathText(path: string[]): string {
  return path.join('.').replace(/\.\[\]/g, '[]');
}

function walk(o: Schema, n: Schema, oldAt: string, newAt: string, path: string[], out: SchemaChange[]): void {
  const p = pathText(path);
  const what = p ? `"${p}"` : 'the event';
  const add = (cls: ChangeClass, kind: SchemaChangeKind, message: string, kw: string, extra: { before?: unknown; after?: unknown } = {}) =>
    out.push({ class: cls, kind, old_at: `${oldAt}/${escapePointer(kw)}`, new_at: `${newAt}/${escapePointer(kw)}`, path: p, message, ...extra });

  // type
  const ot = typeSet(o);
  const nt = typeSet(n);
  if (!same(ot && [...ot].sort(), nt && [...nt].sort())) {
    const before = typeText(ot);
    const after = typeText(nt);
    if (typesWithin(nt, ot)) add('breaking', 'type_narrowed', `type of ${what} narrowed from ${before} to ${after}`, 'type', { before: o.type, after: n.type });
    else if (typesWithin(ot, nt)) add('compatible', 'type_widened', `type of ${what} widened from ${before} to ${after}`, 'type', { before: o.type, after: n.type });
    else add('breaking', 'type_changed', `type of ${what} changed from ${before} to ${after}`, 'type', { before: o.type, after: n.type });
  }

  // enum
  if (!same(o.enum, n.enum)) {
    const oe = Array.isArray(o.enum) ? o.enum : undefined;
    const ne = Array.isArray(n.enum) ? n.enum : undefined;
    if (!oe && ne) add('breaking', 'enum_added', `${what} is now limited to ${ne.map(show).join(', ')}`, 'enum', { after: ne });
    else if (oe && !ne) add('compatible', 'enum_removed', `${what} is no longer limited to a list of values`, 'enum', { before: oe });
    else if (oe && ne) {
      const removed = oe.filter((v) => !ne.some((w) => same(v, w)));
      const added = ne.filter((v) => !oe.some((w) => same(v, w)));
      if (removed.length) add('breaking', 'enum_narrowed', `${what} no longer accepts ${removed.map(show).join(', ')}${added.length ? ` (adds ${added.map(show).join(', ')})` : ''}`, 'enum', { before: oe, after: ne });
      else if (added.length) add('compatible', 'enum_widened', `${what} also accepts ${added.map(show).join(', ')}`, 'enum', { before: oe, after: ne });
    }
  }

  // const, pattern, format: any new or different constraint can reject old values
  for (const [kw, kinds] of [
    ['const', ['const_added', 'const_changed', 'const_removed']],
    ['pattern', ['pattern_added', 'pattern_changed', 'pattern_removed']],
    ['format', ['format_added', 'format_changed', 'format_removed']],
  ] as const) {
    if (same(o[kw], n[kw])) continue;
    if (o[kw] === undefined) add('breaking', kinds[0], `${what} now has ${kw} ${show(n[kw])}`, kw, { after: n[kw] });
    else if (n[kw] === undefined) add('compatible', kinds[2], `${what} no longer has ${kw} ${show(o[kw])}`, kw, { before: o[kw] });
    else add('breaking', kinds[1], `${kw} of ${what} changed from ${show(o[kw])} to ${show(n[kw])}`, kw, { before: o[kw], after: n[kw] });
  }

  // numeric bounds
  for (const kw of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) {
    const a = o[kw];
    const b = n[kw];
    if (same(a, b)) continue;
    const lower = LOWER_BOUNDS.includes(kw);
    if ((a !== undefined && typeof a !== 'number') || (b !== undefined && typeof b !== 'number')) {
      add('breaking', 'schema_changed', `${kw} of ${what} changed from ${show(a)} to ${show(b)}`, kw, { before: a, after: b });
      continue;
    }
    const stricter = a === undefined || (b !== undefined && (lower ? (b as number) > (a as number) : (b as number) < (a as number)));
    const text = a === undefined ? `${what} now has ${kw} ${show(b)}` : b === undefined ? `${what} no longer has ${kw} ${show(a)}` : `${kw} of ${what} changed from ${show(a)} to ${show(b)}`;
    add(stricter ? 'breaking' : 'compatible', stricter ? 'range_narrowed' : 'range_widened', text, kw, { before: a, after: b });
  }
  if (!same(o.multipleOf, n.multipleOf)) {
    const a = o.multipleOf;
    const b = n.multipleOf;
    const widened = b === undefined || (typeof a === 'number' && typeof b === 'number' && Number.isInteger(a / b));
    add(widened ? 'compatible' : 'breaking', widened ? 'range_widened' : 'range_narrowed',
      b === undefined ? `${what} no longer has multipleOf ${show(a)}` : a === undefined ? `${what} now has multipleOf ${show(b)}` : `multipleOf of ${what} changed from ${show(a)} to ${show(b)}`, 'multipleOf', { before: a, after: b });
  }
  if (Boolean(o.uniqueItems) !== Boolean(n.uniqueItems)) {
    add(n.uniqueItems ? 'breaking' : 'compatible', n.uniqueItems ? 'range_narrowed' : 'range_widened', `${what} ${n.uniqueItems ? 'now requires' : 'no longer requires'} unique items`, 'uniqueItems', { before: o.uniqueItems, after: n.uniqueItems });
  }

  // properties, required, additionalProperties
  const op = isObject(o.properties) ? o.properties : {};
  const np = isObject(n.properties) ? n.properties : {};
  const oreq = new Set(Array.isArray(o.required) ? o.required.filter((x): x is string => typeof x === 'string') : []);
  const nreq = new Set(Array.isArray(n.required) ? n.required.filter((x): x is string => typeof x === 'string') : []);
  const closed = n.additionalProperties === false;
  for (const k of Object.keys(op)) {
    const kp = pathText([...path, k]);
    const at = `/properties/${escapePointer(k)}`;
    if (!(k in np)) {
      out.push(closed
        ? { class: 'breaking', kind: 'attribute_removed', old_at: oldAt + at, new_at: `${newAt}/properties`, path: kp, message: `"${kp}" was removed; sending it is now unplanned` }
        : { class: 'compatible', kind: 'attribute_unplanned', old_at: oldAt + at, new_at: `${newAt}/properties`, path: kp, message: `"${kp}" is no longer planned (additional attributes are allowed, so it is still accepted, unchecked)` });
      continue;
    }
    walk(isObject(op[k]) ? op[k] : {}, isObject(np[k]) ? np[k] : {}, oldAt + at, newAt + at, [...path, k], out);
  }
  for (const k of Object.keys(np)) {
    if (k in op) continue;
    const kp = pathText([...path, k]);
    const at = `/properties/${escapePointer(k)}`;
    if (nreq.has(k) && !oreq.has(k)) out.push({ class: 'breaking', kind: 'attribute_added_required', old_at: `${oldAt}/properties`, new_at: newAt + at, path: kp, message: `"${kp}" was added as a required attribute` });
    else out.push({ class: 'compatible', kind: 'attribute_added', old_at: `${oldAt}/properties`, new_at: newAt + at, path: kp, message: `"${kp}" was added (optional)` });
  }
  for (const k of nreq) {
    if (oreq.has(k) || (k in np && !(k in op))) continue;
    const kp = pathText([...path, k]);
    out.push({ class: 'breaking', kind: 'newly_required', old_at: `${oldAt}/required`, new_at: `${newAt}/required`, path: kp, message: `"${kp}" is now required` });
  }
  for (const k of oreq) {
    if (nreq.has(k) || (k in op && !(k in np))) continue;
    const kp = pathText([...path, k]);
    out.push({ class: 'compatible', kind: 'no_longer_required', old_at: `${oldAt}/required`, new_at: `${newAt}/required`, path: kp, message: `"${kp}" is no longer required` });
  }
  const oa = o.additionalProperties;
  const na = n.additionalProperties;
  if (!same(oa, na)) {
    const openBefore = oa === undefined || oa === true;
    const openAfter = na === undefined || na === true;
    if (openBefore && na === false) add('breaking', 'additional_properties_restricted', `${what} no longer allows unplanned attributes (additionalProperties: false)`, 'additionalProperties', { before: oa, after: na });
    else if (oa === false && openAfter) add('compatible', 'additional_properties_allowed', `${what} now allows unplanned attributes`, 'additionalProperties', { before: oa, after: na });
    else if (isObject(oa) || isObject(na)) walk(isObject(oa) ? oa : {}, isObject(na) ? na : {}, `${oldAt}/additionalProperties`, `${newAt}/additionalProperties`, [...path, '*'], out);
  }

  // items
  if (!same(o.items, n.items)) {
    if (Array.isArray(o.items) || Array.isArray(n.items)) add('breaking', 'schema_changed', `items of ${what} changed`, 'items', { before: o.items, after: n.items });
    else walk(isObject(o.items) ? o.items : {}, isObject(n.items) ? n.items : {}, `${oldAt}/items`, `${newAt}/items`, [...path, '[]'], out);
  }

  // descriptions and other annotations: never breaking
  const annotations = [...ANNOTATIONS].filter((k) => !same(o[k], n[k]));
  if (annotations.length) {
    add('compatible', 'annotation_changed', `${annotations.join(', ')} of ${what} changed`, annotations[0], annotations.length === 1 ? { before: o[annotations[0]], after: n[annotations[0]] } : {});
  }

  // Everything else (anyOf, not, patternProperties, …): different means "cannot prove compatible".
  const others = new Set([...Object.keys(o), ...Object.keys(n)].filter((k) => !HANDLED.has(k)));
  for (const kw of others) {
    if (same(o[kw], n[kw])) continue;
    const loosened = n[kw] === undefined;
    add(loosened ? 'compatible' : 'breaking', 'schema_changed',
      loosened ? `${what} no longer has "${kw}"` : `"${kw}" of ${what} ${o[kw] === undefined ? 'was added' : 'changed'}; dataplan cannot prove old data still passes`, kw, { before: o[kw], after: n[kw] });
  }
}
