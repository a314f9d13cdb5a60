/** ajv-style schema errors → violations: classification, keys, expected/actual, messages. */
import type { ErrorObject } from 'ajv';
import { isObject, own, unescapePointer, type BlockSettings } from '../plan/index.js';
import { plannedKeysAt, type CompiledPoint } from '../schema/index.js';
import { violationMessage } from './messages.js';
import { suggestKey } from './suggest.js';
import { isUnplanned, type Suggestion, type Violation, type ViolationCode } from './violation.js';

/** Keywords whose own error stands for the errors of their branches. */
const COMPOSITE = new Set(['anyOf', 'oneOf', 'contains', 'not', 'propertyNames']);

/** A product (of product_action, product_impressions or shopping_cart), or its custom_attributes. */
const PRODUCT_KEYS = /\/products\/(\d+)(?:\/custom_attributes)?$/;
const PRODUCT_ITEM = /\/products\/(\d+)(?:\/|$)/;
const PROMOTION_KEYS = /\/promotion_action\/promotions\/(\d+)$/;

/** The patterns search the whole path from every offset: most paths hold neither part, so look for it first. */
const products = (path: string) => (path.indexOf('/products/') === -1 ? null : PRODUCT_ITEM.exec(path));

/** Where an instance path leads in the data: the value there, whether its parent is an array, and the last two segments. */
interface Located {
  value: unknown;
  parentIsArray: boolean;
  last: string;
  prev: string;
  count: number;
}

/** Walks the path's segments in place (no split arrays); the data is read as own properties. */
function locate(root: unknown, instancePath: string): Located {
  let cur: unknown = root;
  let parentIsArray = false;
  let walking = true;
  let last = '';
  let prev = '';
  let count = 0;
  let start = instancePath.indexOf('/');
  while (start !== -1) {
    const end = instancePath.indexOf('/', start + 1);
    const raw = end === -1 ? instancePath.slice(start + 1) : instancePath.slice(start + 1, end);
    const seg = raw.indexOf('~') === -1 ? raw : unescapePointer(raw);
    prev = last;
    last = seg;
    count++;
    if (walking) {
      if (Array.isArray(cur)) {
        parentIsArray = true;
        cur = cur[Number(seg)];
      } else if (isObject(cur)) {
        parentIsArray = false;
        cur = own(cur, seg);
      } else {
        walking = false;
        cur = undefined;
        parentIsArray = false;
      }
    }
    start = end;
  }
  return { value: cur, parentIsArray, last, prev, count };
}

/** One step further than `locate`, by an unescaped key. */
function member(container: unknown, key: string): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return isObject(container) ? own(container, key) : undefined;
}

/** The key a value error names: `favorite_categories/1` names the attribute, not the index. */
function lastKey(at: Located): string {
  if (at.count >= 2 && at.parentIsArray && /^\d+$/.test(at.last)) return at.prev;
  return at.last;
}

function expectedOf(e: ErrorObject): unknown {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const t = String(p.type);
      return t.includes(',') ? t.split(',') : t;
    }
    case 'enum': return p.allowedValues;
    case 'const': return p.allowedValue;
    case 'pattern': return p.pattern;
    case 'format': return p.format;
    case 'multipleOf': return p.multipleOf;
    case 'required':
    case 'dependentRequired': return p.missingProperty;
    default:
      return 'limit' in p ? p.limit : e.message;
  }
}

export function mapErrors(
  cp: CompiledPoint, errors: ErrorObject[], original: unknown, subject: string, eventType: string | null, eventIndex: number | null,
  matchKey: string, blocking: BlockSettings,
): Violation[] {
  let composite: string[] | null = null;
  for (const e of errors) if (COMPOSITE.has(e.keyword)) (composite ??= []).push(e.schemaPath + '/');
  const out: Violation[] = [];
  let typeFailures = 0;
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    if (composite !== null && composite.some((prefix) => e.schemaPath.startsWith(prefix))) continue;
    const path = e.instancePath;
    let code: ViolationCode;
    let key: string;
    let actual: unknown;
    let expected: unknown;
    let suggestion;
    let product: number | undefined;
    let promotion: number | undefined;
    if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
      key = String((e.params as Record<string, unknown>).additionalProperty ?? (e.params as Record<string, unknown>).unevaluatedProperty);
      if (cp.kind === 'user_attributes') code = 'unplanned_user_attribute';
      else if (cp.kind === 'user_identities') code = 'unplanned_user_identity';
      else {
        // A key inside a product is a product attribute; a key on a promotion is an event attribute.
        const m = path.indexOf('/products/') === -1 ? null : PRODUCT_KEYS.exec(path);
        code = m ? 'unplanned_product_attribute' : 'unplanned_event_attribute';
        if (m) product = Number(m[1]);
        const pm = m || path.indexOf('/promotion_action/promotions/') === -1 ? null : PROMOTION_KEYS.exec(path);
        if (pm) promotion = Number(pm[1]);
      }
      const container = locate(original, path).value;
      actual = member(container, key);
      suggestion = attributeSuggestion(cp, path, key);
      // A planned key the data already carries is not what the sender meant.
      if (suggestion && isObject(container) && Object.prototype.hasOwnProperty.call(container, suggestion.key)) suggestion = undefined;
    } else if (e.keyword === 'required' || e.keyword === 'dependentRequired') {
      code = 'missing_required';
      key = String((e.params as Record<string, unknown>).missingProperty);
      expected = key;
      const m = products(path);
      if (m && cp.kind === 'event') product = Number(m[1]);
    } else {
      code = e.keyword === 'type' ? 'invalid_data_type' : 'invalid_expected_value';
      const at = locate(original, path);
      key = lastKey(at);
      expected = expectedOf(e);
      actual = at.value;
      if (code === 'invalid_data_type') typeFailures++;
      const m = products(path);
      if (m && cp.kind === 'event' && /custom_attributes/.test(path)) product = Number(m[1]);
    }
    out.push(finish({
      violation: code, event_index: eventIndex, key, event_type: eventType, match_key: matchKey, error_pointer: '#' + path,
      schema_keyword: e.keyword, expected, actual,
    }, subject, blocking, product, suggestion, promotion));
  }
  // A value that is not even of the planned type gets one violation, not one per keyword.
  if (typeFailures === 0) return out;
  const typeFailed = new Set(out.filter((v) => v.violation === 'invalid_data_type').map((v) => v.error_pointer));
  return out.filter((v) => v.violation !== 'invalid_expected_value' || !typeFailed.has(v.error_pointer));
}

const attributeSuggestions = new WeakMap<CompiledPoint, Map<string, Suggestion | null>>();

/** The planned key closest to an unplanned one, worked out once per point, path (array indexes folded) and key. */
function attributeSuggestion(cp: CompiledPoint, path: string, key: string): Suggestion | undefined {
  let cache = attributeSuggestions.get(cp);
  if (!cache) attributeSuggestions.set(cp, (cache = new Map()));
  const shape = path.replace(/\/\d+(?=\/|$)/g, '/0');
  const id = `${shape}\u0000${key}`;
  let s = cache.get(id);
  if (s === undefined) {
    s = suggestKey(key, plannedKeysAt(cp.schema, shape)) ?? null;
    if (cache.size > 5000) cache.clear();
    cache.set(id, s);
  }
  return s ?? undefined;
}

type Draft = Pick<Violation, 'violation' | 'event_index' | 'key' | 'event_type' | 'match_key' | 'error_pointer'> & Partial<Pick<Violation, 'schema_keyword' | 'expected' | 'actual'>>;

export function finish(d: Draft, subject: string, b: BlockSettings, product?: number, suggestion?: Violation['suggestion'], promotion?: number): Violation {
  const code = d.violation;
  const blockable = isUnplanned(code);
  const would_block = blockable && (
    code === 'unplanned_event' ? b.events
      : code === 'unplanned_user_attribute' ? b.userAttributes
        : code === 'unplanned_user_identity' ? b.userIdentities
          : b.eventAttributes);
  // One fixed shape for every violation (fast, and JSON.stringify drops the undefined fields).
  return {
    violation: code, event_index: d.event_index, key: d.key, event_type: d.event_type, match_key: d.match_key, error_pointer: d.error_pointer,
    schema_keyword: d.schema_keyword, expected: d.expected, actual: d.actual,
    message: violationMessage({ violation: code, key: d.key, subject, schema_keyword: d.schema_keyword, expected: d.expected, actual: d.actual, product, promotion, suggestion }),
    suggestion, source_message_id: undefined, batch_key: undefined, blockable, would_block,
  };
}

export function sourceMessageId(event: unknown): string | undefined {
  const data = isObject(event) ? own(event, 'data') : undefined;
  const id = isObject(data) ? own(data, 'source_message_id') : undefined;
  return typeof id === 'string' ? id : undefined;
}
