/**
 * Portable JSON Schemas for third-party validators: one per data point and one bundle for a whole
 * batch. Platform type conversion is written out in standard keywords (a number may also arrive as
 * a numeric string, and so on). What standard JSON Schema cannot say is documented in
 * docs/compile.md: ranges on numbers sent as strings, and patterns on numbers sent for
 * string-typed attributes other than the legacy number/boolean patterns.
 */
import {
  DEVICE_IDENTITY_NAMES, PRODUCT_ACTION_NUMBERS, PROMOTION_ACTION_NUMBERS, canonicalIdentityName, identityLocation, type MatchKey,
} from '../plan/index.js';
import { createAjv, type Ajv } from './ajv.js';
import type { CompiledPoint } from './compile.js';
import { cloneJson, isSchemaObject, type SchemaObject } from './walk.js';

export type Draft = '2020-12' | '07';

export interface ExportOptions {
  draft?: Draft;
  /** Keep JSON types strict (no numeric strings for numbers, …). */
  strictTypes?: boolean;
}

export interface ExportInput {
  planId?: string;
  planName?: string;
  version?: number;
  points: CompiledPoint[];
}

export interface ExportedPoint {
  /** A file name for the point: `012-custom_event-navigation-navbar_click.schema.json`. */
  name: string;
  match_key: string;
  /** Where the point is in the plan file. */
  pointer: string;
  schema: SchemaObject;
}

export interface ExportedSchemas {
  points: ExportedPoint[];
  bundle: SchemaObject;
}

const NUMBER_TEXT = '^\\s*-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*$';
const INTEGER_TEXT = '^\\s*-?\\d+(?:\\.0*)?(?:[eE]\\+?\\d+)?\\s*$';
const BOOLEAN_TEXT = '^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$';
const LEGACY_NUMBER = '^-?\\d+(\\.\\d+)?([eE][+\\-]?\\d+)?$';
const LEGACY_BOOLEAN = '^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$';

const SCHEMA_URI: Record<Draft, string> = {
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
  '07': 'http://json-schema.org/draft-07/schema#',
};

function types(s: SchemaObject): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type as string[]);
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
  if (!values) return undefined;
  const out = new Set<string>();
  for (const v of values) out.add(v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v);
  return out;
}

/** The same attribute schema, also accepting what the platform converts. */
function widen(s: SchemaObject): SchemaObject {
  const t = types(s);
  if (!t) return s;
  const hasString = t.has('string');
  const numeric = t.has('number') || t.has('integer');
  const branches: SchemaObject[] = [];
  if (!hasString && (numeric || t.has('boolean'))) {
    const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
    if (values) {
      const texts = values.filter((v) => typeof v === 'number' || typeof v === 'boolean').map(String);
      if (texts.length) branches.push({ type: 'string', enum: texts });
    } else {
      const patterns = [numeric ? (t.has('number') ? NUMBER_TEXT : INTEGER_TEXT) : undefined, t.has('boolean') ? BOOLEAN_TEXT : undefined].filter(Boolean);
      branches.push({ type: 'string', pattern: patterns.length === 1 ? patterns[0] : patterns.map((p) => `(?:${p})`).join('|') });
    }
  } else if (hasString && !numeric && !t.has('boolean')) {
    const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : undefined;
    if (values) {
      const converted = values.flatMap((v): unknown[] => (typeof v !== 'string' ? [] : /^-?\d+(\.\d+)?$/.test(v) ? [Number(v)] : /^(true|false)$/i.test(v) ? [v.toLowerCase() === 'true'] : []));
      if (converted.length) branches.push({ enum: converted });
    } else if (s.pattern === LEGACY_NUMBER) branches.push({ type: 'number' });
    else if (s.pattern === LEGACY_BOOLEAN) branches.push({ type: 'boolean' });
    else if (!('pattern' in s) && !('format' in s) && !('minLength' in s) && !('maxLength' in s)) branches.push({ type: 'number' }, { type: 'boolean' });
  }
  return branches.length ? { anyOf: [s, ...branches] } : s;
}

/** A value schema rewritten with platform conversion, where the platform converts. */
function value(s: unknown, strict: boolean, depth: number): unknown {
  if (!isSchemaObject(s)) return s;
  const p = portable(s, strict, depth + 1);
  return strict ? p : widen(p);
}

/** Whether a schema can reject null (a type without null, a list of values, a composition). */
function rejectsNull(s: SchemaObject): boolean {
  const t = types(s);
  if (t && !t.has('null')) return true;
  return 'enum' in s || 'const' in s || 'not' in s || 'allOf' in s || 'anyOf' in s || 'oneOf' in s || 'if' in s || '$ref' in s;
}

/** A member schema: also accepts null, which is absent (required keys are checked apart). */
function member(s: unknown, strict: boolean, depth: number): unknown {
  if (!isSchemaObject(s)) return s;
  const p = value(s, strict, depth) as SchemaObject;
  return rejectsNull(s) ? { anyOf: [{ type: 'null' }, p] } : p;
}

/**
 * Rewrite a point schema with platform semantics: conversion in every subschema a value is checked
 * against, null = absent (a required key sent as null is missing), required attributes enforced.
 */
function portable(s: SchemaObject, strict: boolean, depth = 0): SchemaObject {
  const out: SchemaObject = { ...s };
  if (depth > 32) return out;
  const required = new Set(Array.isArray(s.required) ? (s.required as unknown[]).filter((k): k is string => typeof k === 'string') : []);
  if (isSchemaObject(s.properties)) {
    const ca = s.properties.custom_attributes;
    // Required attributes count even when custom_attributes is absent: require the object itself.
    if (isSchemaObject(ca) && Array.isArray(ca.required) && ca.required.length > 0 && !required.has('custom_attributes')) {
      required.add('custom_attributes');
      out.required = [...required];
    }
    const props: SchemaObject = {};
    for (const [k, sub] of Object.entries(s.properties)) props[k] = required.has(k) ? value(sub, strict, depth) : member(sub, strict, depth);
    out.properties = props;
  }
  if (isSchemaObject(s.patternProperties)) {
    out.patternProperties = Object.fromEntries(Object.entries(s.patternProperties).map(([k, sub]) => [k, member(sub, strict, depth)]));
  }
  if (isSchemaObject(s.additionalProperties)) out.additionalProperties = member(s.additionalProperties, strict, depth);
  if (isSchemaObject(s.items)) out.items = value(s.items, strict, depth);
  if (Array.isArray(s.prefixItems)) out.prefixItems = s.prefixItems.map((x) => value(x, strict, depth));
  for (const kw of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(s[kw])) out[kw] = (s[kw] as unknown[]).map((x) => value(x, strict, depth));
  for (const kw of ['if', 'then', 'else']) if (isSchemaObject(s[kw])) out[kw] = value(s[kw], strict, depth);
  // Null is absent: a required key sent as null is missing, whatever its schema says about null.
  const props = isSchemaObject(s.properties) ? s.properties : {};
  // A key whose schema rejects null already fails on null (as a type error, not as missing).
  const takeNull = [...required].filter((k) => !isSchemaObject(props[k]) || !rejectsNull(props[k] as SchemaObject) || (types(props[k] as SchemaObject)?.has('null') ?? false));
  if (takeNull.length) {
    const notNull = { properties: Object.fromEntries(takeNull.map((k) => [k, { not: { type: 'null' } }])) };
    out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), notNull];
  }
  return out;
}

function condition(key: MatchKey): SchemaObject {
  const ev = (type: string, data?: SchemaObject): SchemaObject => ({
    type: 'object',
    properties: { event_type: { const: type }, ...(data ? { data } : {}) },
    required: data ? ['event_type', 'data'] : ['event_type'],
  });
  const isObj = (k: string): SchemaObject => ({ required: [k], properties: { [k]: { type: 'object' } } });
  switch (key.type) {
    case 'custom_event':
      return ev('custom_event', { type: 'object', properties: { event_name: { const: key.name }, custom_event_type: { const: key.sub } }, required: ['event_name', 'custom_event_type'] });
    case 'screen_view':
      return ev('screen_view', { type: 'object', properties: { screen_name: { const: key.name } }, required: ['screen_name'] });
    case 'product_action':
    case 'promotion_action': {
      // The platform reads an action's enum number as its name (the web SDK sends promotions as 1 and 2).
      const n = ACTION_NUMBERS[key.type].indexOf(key.name);
      const action = n >= 0 ? { enum: [key.name, n, String(n)] } : { const: key.name };
      return ev('commerce_event', { type: 'object', properties: { [key.type]: { type: 'object', properties: { action }, required: ['action'] } }, required: [key.type] });
    }
    case 'product_impression':
      return ev('commerce_event', {
        type: 'object', properties: { product_impressions: { type: 'array' } }, required: ['product_impressions'],
        not: { anyOf: [isObj('product_action'), isObj('promotion_action')] },
      });
    case 'application_state_transition':
      return ev(key.type, { type: 'object', properties: { application_transition_type: { const: key.sub } }, required: ['application_transition_type'] });
    default:
      return ev(key.type);
  }
}

const ACTION_NUMBERS = { product_action: PRODUCT_ACTION_NUMBERS, promotion_action: PROMOTION_ACTION_NUMBERS };

/**
 * A commerce point's schemas for `product_action.action` and `promotion_action.action`, rewritten for the
 * numbers the platform reads as names: a number (or its digits) is valid exactly when its name is.
 * A schema that cannot be compiled on its own (a `$ref` into the point) is left as it is.
 */
function namedActions(body: SchemaObject, ajv: () => Ajv): void {
  const data = isSchemaObject(body.properties) ? body.properties.data : undefined;
  const parts = isSchemaObject(data) && isSchemaObject(data.properties) ? data.properties : undefined;
  if (!parts) return;
  for (const part of ['product_action', 'promotion_action'] as const) {
    const holder = parts[part];
    const props = isSchemaObject(holder) && isSchemaObject(holder.properties) ? holder.properties : undefined;
    const s = props?.action;
    if (!props || !isSchemaObject(s) || Object.keys(s).length === 0) continue;
    let accepts: (v: unknown) => boolean;
    try {
      accepts = ajv().compile(s) as (v: unknown) => boolean;
    } catch {
      continue;
    }
    const numbers: unknown[] = [];
    const valid: unknown[] = [];
    ACTION_NUMBERS[part].forEach((name, n) => {
      if (name === undefined) return;
      numbers.push(n, String(n));
      if (accepts(name)) valid.push(n, String(n));
    });
    const others = { allOf: [s, { not: { enum: numbers } }] };
    props.action = valid.length ? { anyOf: [{ enum: valid }, others] } : others;
  }
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^0-9a-z]+/g, '_').replace(/^_|_$/g, '') || 'point';
}

function pointName(cp: CompiledPoint): string {
  const k = cp.point.key;
  const parts = k ? [k.type, k.sub, k.name].filter(Boolean) : [cp.point.matchType || 'unmatched'];
  return `${String(cp.point.index).padStart(3, '0')}-${slug(parts.join(' '))}.schema.json`;
}

/** Rename 2020-12 keywords for draft-07 readers. */
function toDraft07(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toDraft07);
  if (!isSchemaObject(v)) return v;
  const out: SchemaObject = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === '$defs') out.definitions = toDraft07(x);
    else if (k === '$ref' && typeof x === 'string') out.$ref = x.replace('#/$defs/', '#/definitions/');
    else if (k === 'dependentRequired' || k === 'dependentSchemas') out.dependencies = { ...(out.dependencies as SchemaObject), ...(toDraft07(x) as SchemaObject) };
    else if (k === 'prefixItems') out.items = toDraft07(x);
    else out[k] = toDraft07(x);
  }
  return out;
}

export function exportSchemas(input: ExportInput, opts: ExportOptions = {}): ExportedSchemas {
  const draft = opts.draft ?? '2020-12';
  const strict = opts.strictTypes === true;
  const finish = (s: SchemaObject, extra: SchemaObject): SchemaObject => {
    const withMeta = { $schema: SCHEMA_URI[draft], ...extra, ...s };
    return (draft === '07' ? toDraft07(withMeta) : withMeta) as SchemaObject;
  };
  const title = `${input.planName ?? input.planId ?? 'data plan'}${input.version !== undefined ? ` v${input.version}` : ''}`;

  const points: ExportedPoint[] = [];
  const defs: SchemaObject = {};
  const eventRules: SchemaObject[] = [];
  const eventConds: SchemaObject[] = [];
  const planned = new Set<string>(['custom_event', 'screen_view', 'commerce_event']);
  const userAttrs: SchemaObject[] = [];
  // A commerce event's product_action and promotion_action are matched each against its own points.
  const parts: Record<'product_action' | 'promotion_action', SchemaObject[]> = { product_action: [], promotion_action: [] };
  const identities: CompiledPoint[] = [];

  let ajv: Ajv | undefined;
  for (const cp of input.points) {
    if (!cp.point.key) continue;
    const own = cp.schema ? cloneJson(cp.schema) : undefined;
    if (own && cp.kind === 'event') namedActions(own, () => (ajv ??= createAjv()));
    const body = own ? portable(own, strict) : {};
    const name = pointName(cp);
    points.push({ name, match_key: cp.point.matchKey, pointer: cp.point.pointer, schema: finish(body, { title: `${title}: ${cp.point.matchKey}`, ...(cp.point.description ? { description: cp.point.description } : {}) }) });
    const defName = name.replace(/\.schema\.json$/, '');
    if (cp.kind === 'user_attributes') userAttrs.push(body);
    else if (cp.kind === 'user_identities') identities.push(cp);
    else {
      defs[defName] = body;
      const cond = condition(cp.point.key);
      eventRules.push({ if: cond, then: { $ref: `#/$defs/${defName}` } });
      eventConds.push(cond);
      if (cp.point.key.type === 'product_action' || cp.point.key.type === 'promotion_action') parts[cp.point.key.type].push(cond);
      if (!['custom_event', 'screen_view', 'product_action', 'promotion_action', 'product_impression'].includes(cp.point.key.type)) planned.add(cp.point.key.type);
    }
  }

  // Events the platform does not plan, and custom attribution events, pass untouched.
  eventConds.push({ type: 'object', properties: { event_type: { type: 'string', not: { enum: [...planned] } } }, required: ['event_type'] });
  eventConds.push({ type: 'object', properties: { event_type: { const: 'custom_event' }, data: { properties: { custom_event_type: { const: 'attribution' } }, required: ['custom_event_type'] } }, required: ['event_type', 'data'] });
  for (const [part, conds] of Object.entries(parts)) {
    eventRules.push({
      if: { properties: { event_type: { const: 'commerce_event' }, data: { required: [part], properties: { [part]: { type: 'object' } } } }, required: ['event_type', 'data'] },
      then: conds.length ? { anyOf: conds } : false,
    });
  }
  defs.event = { type: 'object', required: ['event_type'], allOf: eventRules, anyOf: eventConds };

  const properties: SchemaObject = { events: { type: 'array', items: { $ref: '#/$defs/event' } } };
  const allOf: SchemaObject[] = [];
  if (userAttrs.length) {
    defs.user_attributes = userAttrs.length === 1 ? userAttrs[0] : { allOf: userAttrs };
    // No map (absent or null) has nothing to check; anything else must be a map.
    properties.user_attributes = { anyOf: [{ type: 'null' }, { allOf: [{ type: 'object' }, { $ref: '#/$defs/user_attributes' }] }] };
  }
  for (const cp of identities) allOf.push(identitySchema(cp, strict));

  const bundle = finish({
    type: 'object',
    properties,
    ...(allOf.length ? { allOf } : {}),
    $defs: defs,
  }, {
    title: `${title}: batch`,
    description: 'An mParticle Events API batch checked against the data plan (as if the platform validates it: the batch-level plan context is not checked).',
  });
  return { points, bundle };
}

/** The identities point, rewritten onto where identities sit in a batch. */
function identitySchema(cp: CompiledPoint, strict: boolean): SchemaObject {
  const s = cp.schema ?? {};
  const props = isSchemaObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const closed = s.additionalProperties === false;
  const ui: SchemaObject = {};
  const dev: SchemaObject = {};
  const root: SchemaObject = {};
  const needUi: string[] = [];
  const needDev: string[] = [];
  const needRoot: string[] = [];
  const plannedNames = new Set<string>();
  for (const [k, sub] of Object.entries(props)) {
    if (!isSchemaObject(sub)) continue;
    const name = canonicalIdentityName(k);
    plannedNames.add(name);
    const loc = identityLocation(name);
    const schema = strict ? portable(sub, strict) : widen(portable(sub, strict));
    const target = loc.container === 'user_identities' ? ui : loc.container === 'device_info' ? dev : root;
    for (const key of loc.keys) target[key] = schema;
    if (required.has(k)) (loc.container === 'user_identities' ? needUi : loc.container === 'device_info' ? needDev : needRoot).push(loc.keys[0]);
  }
  const out: SchemaObject = { properties: {} as SchemaObject };
  const p = out.properties as SchemaObject;
  if (Object.keys(ui).length || closed || needUi.length) {
    p.user_identities = { anyOf: [{ type: 'null' }, { type: 'object' }], properties: ui, ...(closed ? { additionalProperties: false } : {}), ...(needUi.length ? { required: needUi } : {}) };
  }
  const forbiddenDev = closed ? DEVICE_IDENTITY_NAMES.filter((n) => !plannedNames.has(n)).map((n) => identityLocation(n)) : [];
  const devForbid = forbiddenDev.filter((l) => l.container === 'device_info').map((l) => l.keys[0]);
  if (Object.keys(dev).length || devForbid.length || needDev.length) {
    p.device_info = {
      properties: dev,
      ...(needDev.length ? { required: needDev } : {}),
      ...(devForbid.length ? { not: { anyOf: devForbid.map((k) => ({ required: [k], properties: { [k]: { not: { type: 'null' } } } })) } } : {}),
    };
  }
  Object.assign(p, root);
  if (needRoot.length) out.required = needRoot;
  if (forbiddenDev.some((l) => l.container === 'batch')) out.not = { required: ['mp_deviceid'], properties: { mp_deviceid: { not: { type: 'null' } } } };
  return out;
}
