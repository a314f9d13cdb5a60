/** What rules look at in a data point: its name, its planned attributes and every schema inside it. */
import { escapePointer, isObject, type PlanPoint } from '../plan/index.js';
import { eachSchema, type SchemaObject } from '../schema/index.js';

export type NameKind = 'event_name' | 'screen_name';
export type AttributeKind = 'event_attribute' | 'product_attribute' | 'user_attribute' | 'user_identity';

export interface PlannedAttribute {
  kind: AttributeKind;
  name: string;
  schema: unknown;
  /** Pointer of the attribute's schema in the plan file. */
  pointer: string;
}

export function definitionPointer(point: PlanPoint): string {
  return `${point.pointer}/validator/definition`;
}

/** The event or screen name a point plans, if it has one. */
export function pointName(point: PlanPoint): { kind: NameKind; name: string; pointer: string } | undefined {
  if (point.matchType === 'custom_event' && typeof point.criteria.event_name === 'string') {
    return { kind: 'event_name', name: point.criteria.event_name, pointer: `${point.pointer}/match/criteria/event_name` };
  }
  if (point.matchType === 'screen_view' && typeof point.criteria.screen_name === 'string') {
    return { kind: 'screen_name', name: point.criteria.screen_name, pointer: `${point.pointer}/match/criteria/screen_name` };
  }
  return undefined;
}

/** Follow `properties` down a path of property names; undefined when any step is missing. */
export function propertyAt(schema: unknown, path: string[]): { node: SchemaObject; at: string } | undefined {
  let node = schema;
  let at = '';
  for (const seg of path) {
    if (seg === '[]') {
      if (!isObject(node) || !isObject(node.items)) return undefined;
      node = node.items;
      at += '/items';
      continue;
    }
    if (!isObject(node) || !isObject(node.properties) || !isObject(node.properties[seg])) return undefined;
    node = node.properties[seg];
    at += `/properties/${escapePointer(seg)}`;
  }
  return isObject(node) ? { node, at } : undefined;
}

const EVENT_ATTRIBUTES = ['data', 'custom_attributes'];
const PRODUCT_ATTRIBUTE_PATHS = [
  ['data', 'product_action', 'products', '[]', 'custom_attributes'],
  ['data', 'promotion_action', 'products', '[]', 'custom_attributes'],
  ['data', 'product_impressions', '[]', 'products', '[]', 'custom_attributes'],
];

/** The object schemas that hold attributes in this point, with the kind of attribute they hold. */
export function attributeContainers(point: PlanPoint): { kind: AttributeKind; node: SchemaObject; pointer: string }[] {
  const def = point.definition;
  if (!def) return [];
  const base = definitionPointer(point);
  if (point.matchType === 'user_attributes') return [{ kind: 'user_attribute', node: def, pointer: base }];
  if (point.matchType === 'user_identities') return [{ kind: 'user_identity', node: def, pointer: base }];
  const out: { kind: AttributeKind; node: SchemaObject; pointer: string }[] = [];
  const ev = propertyAt(def, EVENT_ATTRIBUTES);
  if (ev) out.push({ kind: 'event_attribute', node: ev.node, pointer: base + ev.at });
  for (const path of PRODUCT_ATTRIBUTE_PATHS) {
    const p = propertyAt(def, path);
    if (p) out.push({ kind: 'product_attribute', node: p.node, pointer: base + p.at });
  }
  return out;
}

export function attributesOf(point: PlanPoint): PlannedAttribute[] {
  const out: PlannedAttribute[] = [];
  for (const c of attributeContainers(point)) {
    if (!isObject(c.node.properties)) continue;
    for (const [name, schema] of Object.entries(c.node.properties)) {
      out.push({ kind: c.kind, name, schema, pointer: `${c.pointer}/properties/${escapePointer(name)}` });
    }
  }
  return out;
}

/** Every schema object in the point's definition, with its pointer in the plan file. */
export function eachPointSchema(point: PlanPoint, visit: (node: SchemaObject, pointer: string) => void): void {
  if (!point.definition) return;
  const base = definitionPointer(point);
  eachSchema(point.definition, (node, at) => visit(node, base + at));
}

export function describePoint(point: PlanPoint): string {
  const c = point.criteria;
  switch (point.matchType) {
    case 'custom_event': return `custom_event "${String(c.event_name)}" (${String(c.custom_event_type)})`;
    case 'screen_view': return `screen_view "${String(c.screen_name)}"`;
    case 'product_action':
    case 'promotion_action': return `${point.matchType} ${String(c.action)}`;
    case 'application_state_transition': return `application_state_transition ${String(c.application_transition_type)}`;
    default: return point.matchType || `data point ${point.index}`;
  }
}
