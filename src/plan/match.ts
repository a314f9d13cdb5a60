/**
 * Match keys: how a data point and an event find each other.
 * Keys are tuples (type, sub, name), never joined strings, so ':' in a name cannot collide.
 */
import { describeType, isObject, own } from './json.js';

export interface MatchKey {
  /** The data point's match type (`custom_event`, `screen_view`, `product_action`, …). */
  readonly type: string;
  /** custom_event: custom_event_type; application_state_transition: transition type; else ''. */
  readonly sub: string;
  /** custom_event: event_name; screen_view: screen_name; product/promotion action: action; else ''. */
  readonly name: string;
}

export const CUSTOM_EVENT_TYPES = [
  'navigation', 'location', 'search', 'transaction', 'user_content',
  'user_preference', 'social', 'other', 'media', 'unknown', 'attribution',
] as const;

export const PRODUCT_ACTIONS = [
  'add_to_cart', 'remove_from_cart', 'checkout', 'checkout_option', 'click',
  'view_detail', 'purchase', 'refund', 'add_to_wishlist', 'remove_from_wish_list',
] as const;

export const PROMOTION_ACTIONS = ['view', 'click'] as const;

export const TRANSITION_TYPES = [
  'application_initialized', 'application_exit', 'application_background', 'application_foreground',
] as const;

/** Lifecycle types the official Node validator matches by type alone. */
export const LIFECYCLE_TYPES = [
  'session_start', 'session_end', 'first_run', 'opt_out', 'crash_report',
  'breadcrumb', 'network_performance', 'uninstall',
] as const;

/** Match types that find events or batch data. */
export const MATCHABLE_TYPES = [
  'custom_event', 'screen_view', 'product_action', 'promotion_action', 'product_impression',
  'user_attributes', 'user_identities', 'application_state_transition', ...LIFECYCLE_TYPES,
] as const;

/** Types the mParticle UI/API can plan (OAS `MatchType`, minus `unknown`). */
export const PLATFORM_TYPES = new Set([
  'custom_event', 'screen_view', 'product_action', 'promotion_action', 'product_impression',
  'user_attributes', 'user_identities',
]);

/**
 * Event types no data point can plan: an event of one of these is never validated and never
 * reported, whatever the plan holds (docs/semantics.md, "Event types that cannot be planned").
 */
export const UNPLANNABLE_EVENT_TYPES = [
  'push_registration', 'push_message', 'media', 'profile', 'user_attribute_change', 'user_identity_change',
  'pre_attribution', 'push_reaction', 'unknown', 'validation_result',
] as const;

/** Match types that never match anything: the models package's extras, and the unplannable event types. */
export const NEVER_MATCHED_TYPES = [
  'unknown', 'profile', 'commerce', 'user_attribute_change', 'user_identity_chagne', 'media',
  'user_identity_change', 'push_registration', 'push_message', 'pre_attribution', 'push_reaction', 'validation_result',
] as const;

/** Every `event_type` a batch may carry (Events API and models enums). */
export const EVENT_TYPES = new Set<string>([
  'custom_event', 'screen_view', 'commerce_event', 'session_start', 'session_end',
  'application_state_transition', 'crash_report', 'opt_out', 'first_run',
  'network_performance', 'breadcrumb', 'uninstall', ...UNPLANNABLE_EVENT_TYPES,
]);

const EMPTY = '';

export function matchKey(type: string, sub = EMPTY, name = EMPTY): MatchKey {
  return { type, sub, name };
}

/** The Node validator's display form: `custom_event:navigation:Navbar Click`, `screen_view::Home`, … */
export function formatMatchKey(k: MatchKey): string {
  switch (k.type) {
    case 'custom_event':
      return `custom_event:${k.sub}:${k.name}`;
    case 'screen_view':
      return `screen_view::${k.name}`;
    case 'product_action':
    case 'promotion_action':
      return `${k.type}:${k.name}`;
    case 'application_state_transition':
      return `application_state_transition:${k.sub}`;
    default:
      return k.type;
  }
}

/** A readable label: `custom_event "Navbar Click" (navigation)`, `screen_view "Home"`, `product_action add_to_cart`. */
export function describeMatchKey(k: MatchKey): string {
  switch (k.type) {
    case 'custom_event':
      return `custom_event "${k.name}" (${k.sub})`;
    case 'screen_view':
      return `screen_view "${k.name}"`;
    case 'product_action':
      return `product_action ${k.name}`;
    case 'promotion_action':
      return `promotion_action ${k.name}`;
    case 'application_state_transition':
      return `application_state_transition ${k.sub}`;
    default:
      return k.type;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The key a data point's `match` object builds, or undefined when its criteria cannot form one. */
export function pointMatchKey(match: Record<string, unknown>): MatchKey | undefined {
  const type = str(own(match, 'type'));
  if (!type) return undefined;
  const c = isObject(own(match, 'criteria')) ? (own(match, 'criteria') as Record<string, unknown>) : {};
  switch (type) {
    case 'custom_event': {
      const name = str(own(c, 'event_name'));
      const sub = str(own(c, 'custom_event_type'));
      return name !== undefined && sub !== undefined ? matchKey(type, sub, name) : undefined;
    }
    case 'screen_view': {
      const name = str(own(c, 'screen_name'));
      return name !== undefined ? matchKey(type, EMPTY, name) : undefined;
    }
    case 'product_action': {
      const action = str(own(c, 'action'));
      return action !== undefined ? matchKey(type, EMPTY, action) : undefined;
    }
    case 'promotion_action': {
      const action = promotionAction(own(c, 'action'));
      return action !== undefined ? matchKey(type, EMPTY, action) : undefined;
    }
    case 'application_state_transition': {
      const t = str(own(c, 'application_transition_type'));
      return t !== undefined ? matchKey(type, t) : undefined;
    }
    default:
      return (MATCHABLE_TYPES as readonly string[]).includes(type) ? matchKey(type) : undefined;
  }
}

/**
 * The action names the platform reads for an enum's number, in the Events API's order (the web SDK's
 * `ProductActionType` 0–10 and `PromotionType` 1–2 are these numbers). Index = number.
 */
export const PRODUCT_ACTION_NUMBERS: readonly (string | undefined)[] = ['unknown', ...PRODUCT_ACTIONS];
export const PROMOTION_ACTION_NUMBERS: readonly (string | undefined)[] = [undefined, 'view', 'click'];

/** An action as the platform reads it: a name as sent, a number (or its digits) by the enum; else undefined. */
function actionName(v: unknown, byNumber: readonly (string | undefined)[]): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? byNumber[v] : undefined;
  if (typeof v !== 'string') return undefined;
  return /^(0|[1-9]\d?)$/.test(v) ? byNumber[Number(v)] : v;
}

/** Web SDK quirk: promotion actions arrive as PromotionType numbers (1 view, 2 click). */
export function promotionAction(v: unknown): string | undefined {
  return actionName(v, PROMOTION_ACTION_NUMBERS);
}

/** A product action: its name, or a ProductActionType number as the platform reads it (1 add_to_cart, …, 0 unknown). */
export function productAction(v: unknown): string | undefined {
  return actionName(v, PRODUCT_ACTION_NUMBERS);
}

/**
 * A commerce event as the platform reads it: numeric product and promotion actions become their
 * names, so a schema that pins the action (`"action": { "const": "view" }`) sees what matching sees.
 * The event itself when nothing changes; otherwise a shallow copy (the caller's data is never changed).
 */
export function platformEvent(event: unknown): unknown {
  if (!isObject(event)) return event;
  const d = own(event, 'data');
  if (!isObject(d)) return event;
  const product = named(own(d, 'product_action'), productAction);
  const promotion = named(own(d, 'promotion_action'), promotionAction);
  if (!product && !promotion) return event;
  const data = { ...d };
  if (product) data.product_action = product;
  if (promotion) data.promotion_action = promotion;
  return { ...event, data };
}

/** A copy of a product_action or promotion_action with its numeric action named; undefined when nothing changes. */
function named(part: unknown, read: (v: unknown) => string | undefined): Record<string, unknown> | undefined {
  if (!isObject(part)) return undefined;
  const a = own(part, 'action');
  if (typeof a === 'string' && !/^\d/.test(a)) return undefined;
  const n = read(a);
  return n === undefined || n === a ? undefined : { ...part, action: n };
}

/** What an event is, for matching: a key, not plannable, or malformed. */
export type EventKey =
  | { kind: 'key'; key: MatchKey; eventType: string }
  | { kind: 'not_plannable'; eventType: string; reason: string }
  | { kind: 'malformed'; eventType: string | null; reason: string; pointer: string };

function malformed(eventType: string | null, reason: string, pointer = ''): EventKey {
  return { kind: 'malformed', eventType, reason, pointer };
}

/** Build the match key of one batch event (platform semantics: null is absent, numeric promotion actions). */
export function eventMatchKey(event: unknown): EventKey {
  if (!isObject(event)) return malformed(null, `event is ${event === null ? 'null' : Array.isArray(event) ? 'an array' : typeof event}, expected an object with event_type and data`);
  const rawType = own(event, 'event_type');
  if (typeof rawType !== 'string' || rawType === '') return malformed(null, 'event has no event_type (expected a string such as "custom_event")', '/event_type');
  const eventType = rawType.toLowerCase();
  if (!EVENT_TYPES.has(eventType)) return malformed(eventType, `unknown event_type "${rawType}"`, '/event_type');
  const data = own(event, 'data');
  const d = isObject(data) ? data : undefined;
  switch (eventType) {
    case 'custom_event': {
      if (!d) return malformed(eventType, 'custom_event has no data object', '/data');
      const name = str(own(d, 'event_name'));
      if (name === undefined) return malformed(eventType, 'custom_event has no data.event_name (expected a string)', '/data/event_name');
      const sub = str(own(d, 'custom_event_type'));
      if (sub === undefined) return malformed(eventType, 'custom_event has no data.custom_event_type (expected e.g. "navigation")', '/data/custom_event_type');
      return { kind: 'key', key: matchKey('custom_event', sub, name), eventType };
    }
    case 'screen_view': {
      const name = d ? str(own(d, 'screen_name')) : undefined;
      if (name === undefined) return malformed(eventType, 'screen_view has no data.screen_name (expected a string)', '/data/screen_name');
      return { kind: 'key', key: matchKey('screen_view', EMPTY, name), eventType };
    }
    case 'commerce_event': {
      if (!d) return malformed(eventType, 'commerce_event has no data object', '/data');
      // A part that is sent (truthy) but is no object cannot be matched; it does not make way for the other part.
      for (const part of ['product_action', 'promotion_action'] as const) {
        const v = own(d, part);
        if (v && !isObject(v)) {
          const shown = typeof v === 'string' || typeof v === 'number' ? JSON.stringify(v).slice(0, 60) : describeType(v);
          return malformed(eventType, `commerce_event has data.${part} ${shown}, expected an object with an action`, `/data/${part}`);
        }
      }
      if (isObject(own(d, 'product_action'))) return productPart(d, eventType);
      if (isObject(own(d, 'promotion_action'))) return promotionPart(d, eventType);
      if (Array.isArray(own(d, 'product_impressions'))) return { kind: 'key', key: matchKey('product_impression'), eventType };
      return malformed(eventType, 'commerce_event has none of product_action, promotion_action or product_impressions', '/data');
    }
    case 'application_state_transition': {
      const t = d ? str(own(d, 'application_transition_type')) : undefined;
      if (t === undefined) return malformed(eventType, 'application_state_transition has no data.application_transition_type', '/data/application_transition_type');
      return { kind: 'key', key: matchKey(eventType, t), eventType };
    }
    default:
      if ((LIFECYCLE_TYPES as readonly string[]).includes(eventType)) return { kind: 'key', key: matchKey(eventType), eventType };
      return { kind: 'not_plannable', eventType, reason: `${eventType} events cannot be planned` };
  }
}

function productPart(d: Record<string, unknown>, eventType: string): EventKey {
  const raw = own(own(d, 'product_action') as Record<string, unknown>, 'action');
  const action = productAction(raw);
  if (action === undefined) return malformed(eventType, `commerce_event ${sent('product_action', raw)} (expected e.g. "add_to_cart", or a ProductActionType number 0–10)`, '/data/product_action/action');
  return { kind: 'key', key: matchKey('product_action', EMPTY, action), eventType };
}

function promotionPart(d: Record<string, unknown>, eventType: string): EventKey {
  const raw = own(own(d, 'promotion_action') as Record<string, unknown>, 'action');
  const action = promotionAction(raw);
  if (action === undefined) return malformed(eventType, `commerce_event ${sent('promotion_action', raw)} (expected "view" or "click", or the web SDK's 1 or 2)`, '/data/promotion_action/action');
  return { kind: 'key', key: matchKey('promotion_action', EMPTY, action), eventType };
}

function sent(part: string, v: unknown): string {
  return v === undefined || v === null ? `has no data.${part}.action` : `has data.${part}.action ${JSON.stringify(v)}, which is no action`;
}

/**
 * Every part of an event that is matched on its own: one key, except for a commerce event that
 * carries both a product_action and a promotion_action, whose parts are matched and validated
 * each against its own point (product part first).
 */
export function eventMatchKeys(event: unknown): EventKey[] {
  const first = eventMatchKey(event);
  if (first.eventType !== 'commerce_event' || !isObject(event)) return [first];
  const d = own(event, 'data');
  if (!isObject(d) || !isObject(own(d, 'product_action')) || !isObject(own(d, 'promotion_action'))) return [first];
  return [first, promotionPart(d, 'commerce_event')];
}

/** The data point type that plans events of this key's kind (`commerce_event` keys already carry theirs). */
export function isAlwaysPlannable(type: string): boolean {
  return type === 'custom_event' || type === 'screen_view' || type === 'product_action' || type === 'promotion_action' || type === 'product_impression';
}

/** Nested-map index from key to values. */
export class KeyMap<T> {
  private readonly map = new Map<string, Map<string, Map<string, T[]>>>();

  add(k: MatchKey, value: T): T[] {
    let bySub = this.map.get(k.type);
    if (!bySub) this.map.set(k.type, (bySub = new Map()));
    let byName = bySub.get(k.sub);
    if (!byName) bySub.set(k.sub, (byName = new Map()));
    let list = byName.get(k.name);
    if (!list) byName.set(k.name, (list = []));
    list.push(value);
    return list;
  }

  get(k: MatchKey): T[] | undefined {
    return this.map.get(k.type)?.get(k.sub)?.get(k.name);
  }

  hasType(type: string): boolean {
    return this.map.has(type);
  }

  /** Every key of a type, for near-miss suggestions. */
  *keysOfType(type: string): Iterable<MatchKey> {
    const bySub = this.map.get(type);
    if (!bySub) return;
    for (const [sub, byName] of bySub) for (const name of byName.keys()) yield { type, sub, name };
  }
}
