/**
 * A mobile upload (`{"dt":"h", "msgs":[…]}`) → the Events API batch the platform builds from it, so the
 * core judges it like any other batch. Messages the Events API has no shape for are listed with their
 * reason, never dropped silently; the raw upload is kept beside the translation by the receiver.
 */
import { isObject, own } from '../../plan/index.js';
import {
  ACTION_EVENT_TYPE, APP_FIELDS, ATT_STATUS, COMMERCE_EVENT_TYPES, COMMON_FIELDS, CONSENT_FIELDS, CUSTOM_EVENT_TYPES, DEVICE_FIELDS,
  ENVIRONMENTS, IDENTITY_TYPES, LOCATION_FIELDS, MESSAGE_TYPES, NOT_TRANSLATED, PLATFORM_OS, PRODUCT_ACTION_FIELDS, PRODUCT_ACTIONS,
  PRODUCT_FIELDS, PROMOTION_FIELDS, STATE_FIELDS, TRANSITIONS, TYPE_FIELDS, type FieldMap,
} from './maps.js';

import type { NotTranslated } from '../types.js';

export type { NotTranslated };
export type MobilePlatform = 'ios' | 'android';

export interface Translation {
  /** The Events API batch. */
  batch: Record<string, unknown>;
  platform: MobilePlatform;
  app: { name?: string; version?: string; build?: string };
  /** For each event of `batch.events`, the index of the message in the upload's `msgs` it came from. */
  message_index: number[];
  not_translated: NotTranslated[];
}

type Obj = Record<string, unknown>;

/** Is this parsed body a mobile upload rather than an Events API batch? */
export function isMobileUpload(body: unknown): body is Obj {
  return isObject(body) && (own(body, 'dt') === 'h' || (Array.isArray(own(body, 'msgs')) && own(body, 'events') === undefined));
}

const NUMERIC = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The SDKs send many numbers as strings ("9.99"); the Events API types them as numbers. Unsafe integers stay strings. */
function toNumber(v: unknown): unknown {
  if (typeof v !== 'string' || !NUMERIC.test(v.trim())) return v;
  const n = Number(v.trim());
  return Number.isInteger(n) && !Number.isSafeInteger(n) ? v : n;
}

function toBool(v: unknown): unknown {
  if (v === 'true' || v === '1' || v === 1) return true;
  if (v === 'false' || v === '0' || v === 0) return false;
  return v;
}

function mapFields(src: Obj, map: FieldMap, into: Obj = {}): Obj {
  for (const [k, spec] of Object.entries(map)) {
    const v = own(src, k);
    if (v === undefined) continue;
    if (typeof spec === 'string') into[spec] = v;
    else into[spec.to] = spec.num ? toNumber(v) : spec.bool ? toBool(v) : v;
  }
  return into;
}

function obj(v: unknown): Obj | undefined {
  return isObject(v) ? v : undefined;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** `ctx.dpln {id, v}` → `context.data_plan {plan_id, plan_version}`. */
function dataPlan(ctx: unknown): Obj | undefined {
  const dpln = obj(own(obj(ctx) ?? {}, 'dpln'));
  if (!dpln) return undefined;
  const out: Obj = {};
  if (own(dpln, 'id') !== undefined) out.plan_id = own(dpln, 'id');
  if (own(dpln, 'v') !== undefined) out.plan_version = toNumber(own(dpln, 'v'));
  return { data_plan: out };
}

function consent(con: unknown): Obj | undefined {
  const c = obj(con);
  if (!c) return undefined;
  const out: Obj = {};
  for (const reg of ['gdpr', 'ccpa']) {
    const purposes = obj(own(c, reg));
    if (!purposes) continue;
    const r: Obj = {};
    for (const [purpose, state] of Object.entries(purposes)) r[purpose] = isObject(state) ? mapFields(state, CONSENT_FIELDS) : state;
    out[reg] = r;
  }
  return out;
}

function identity(v: unknown): Obj | null {
  const x = obj(v);
  if (!x) return null;
  const n = toNumber(own(x, 'n'));
  return {
    identity_type: typeof n === 'number' ? (IDENTITY_TYPES[n] ?? String(n)) : n,
    identity: own(x, 'i') ?? null,
    ...(own(x, 'dfs') !== undefined ? { timestamp_unixtime_ms: toNumber(own(x, 'dfs')) } : {}),
    ...(own(x, 'f') !== undefined ? { created_this_batch: toBool(own(x, 'f')) } : {}),
  };
}

function product(p: unknown): unknown {
  return isObject(p) ? mapFields(p, PRODUCT_FIELDS) : p;
}

function products(list: unknown): unknown {
  return Array.isArray(list) ? list.map(product) : list;
}

/** Commerce message (`cm`) → `product_action` / `promotion_action` / `product_impressions` and its `custom_event_type`. */
function commerce(m: Obj, data: Obj): void {
  let eventType: string | undefined;
  const pd = obj(own(m, 'pd'));
  if (pd) {
    const an = text(own(pd, 'an'));
    const action = an === undefined ? undefined : (PRODUCT_ACTIONS[an] ?? an);
    data.product_action = { ...(action !== undefined ? { action } : {}), ...mapFields(pd, PRODUCT_ACTION_FIELDS), ...(own(pd, 'pl') !== undefined ? { products: products(own(pd, 'pl')) } : {}) };
    if (action !== undefined) eventType = ACTION_EVENT_TYPE[action] ?? action;
  }
  const pm = obj(own(m, 'pm'));
  if (pm) {
    const action = text(own(pm, 'an'));
    const list = own(pm, 'pl');
    data.promotion_action = {
      ...(action !== undefined ? { action } : {}),
      ...(list !== undefined ? { promotions: Array.isArray(list) ? list.map((p) => (isObject(p) ? mapFields(p, PROMOTION_FIELDS) : p)) : list } : {}),
    };
    eventType ??= action === 'view' || action === 'click' ? `promotion_${action}` : undefined;
  }
  const pi = own(m, 'pi');
  if (pi !== undefined) {
    data.product_impressions = Array.isArray(pi)
      ? pi.map((imp) => (isObject(imp) ? { product_impression_list: own(imp, 'pil'), products: products(own(imp, 'pl')) } : imp))
      : pi;
    eventType ??= 'impression';
  }
  const et = text(own(m, 'et'));
  if (et !== undefined) eventType = COMMERCE_EVENT_TYPES[et] ?? CUSTOM_EVENT_TYPES[et] ?? eventType;
  if (eventType !== undefined) data.custom_event_type = eventType;
  if (own(m, 'n') !== undefined) data.event_name = own(m, 'n');
}

/** One message → one Events API event, or the reason it has none. */
export function translateMessage(m: unknown): { event: Obj } | { reason: string; dt?: string } {
  if (!isObject(m)) return { reason: `message is ${m === null ? 'null' : typeof m}, expected an object` };
  const dt = text(own(m, 'dt'));
  if (dt === undefined) return { reason: 'message has no "dt" (message type)' };
  const eventType = MESSAGE_TYPES[dt];
  if (!eventType) return { dt, reason: NOT_TRANSLATED[dt] ?? `unknown message type "${dt}": not in the iOS or Android SDK` };
  const data = mapFields(m, COMMON_FIELDS);
  const extra = TYPE_FIELDS[dt];
  if (extra) mapFields(m, extra, data);
  const lc = obj(own(m, 'lc'));
  if (lc) data.location = mapFields(lc, LOCATION_FIELDS);
  const cs = obj(own(m, 'cs'));
  if (cs) data.device_current_state = mapFields(cs, STATE_FIELDS);
  switch (dt) {
    case 'e': {
      const et = text(own(m, 'et'));
      if (et !== undefined) data.custom_event_type = CUSTOM_EVENT_TYPES[et] ?? et.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
      break;
    }
    case 'cm':
      commerce(m, data);
      break;
    case 'ast': {
      const t = text(own(m, 't'));
      if (t !== undefined) data.application_transition_type = TRANSITIONS[t] ?? t;
      break;
    }
    case 'uic':
      data.new = identity(own(m, 'ni'));
      data.old = identity(own(m, 'oi'));
      break;
    case 'uac':
      if (data.old === undefined) data.old = null;
      break;
  }
  return { event: { event_type: eventType, data } };
}

/** Which SDK sent it: the device platform, else the User-Agent, else the SDK's own shape (iOS sends the MPID as a number). */
export function platformOf(upload: Obj, userAgent?: string): MobilePlatform {
  const dp = text(own(obj(own(upload, 'di')) ?? {}, 'dp'));
  if (dp && /android|fire/i.test(dp)) return 'android';
  if (dp && /ios|tvos|ipados|watchos|mac/i.test(dp)) return 'ios';
  if (userAgent && /android/i.test(userAgent)) return 'android';
  if (userAgent && /iphone|ipad|ipod|ios|cfnetwork|darwin/i.test(userAgent)) return 'ios';
  if (own(upload, 'a') !== undefined || typeof own(upload, 'mpid') === 'number') return 'ios';
  return 'android';
}

/** Translate a whole upload. */
export function translateUpload(upload: Obj, userAgent?: string): Translation {
  const batch: Obj = {};
  const notTranslated: NotTranslated[] = [];
  const ai = obj(own(upload, 'ai')) ?? {};
  const di = obj(own(upload, 'di')) ?? {};

  const env = text(own(ai, 'env'));
  if (env !== undefined && ENVIRONMENTS[env]) batch.environment = ENVIRONMENTS[env];
  const context = dataPlan(own(upload, 'ctx'));
  if (context) batch.context = context;
  if (own(upload, 'id') !== undefined) batch.source_request_id = own(upload, 'id');
  const mpid = text(own(upload, 'mpid'));
  if (mpid !== undefined) batch.mpid = mpid;
  if (own(upload, 'das') !== undefined) batch.mp_deviceid = own(upload, 'das');
  if (own(upload, 'ct') !== undefined) batch.timestamp_unixtime_ms = toNumber(own(upload, 'ct'));
  if (own(upload, 'sdk') !== undefined) batch.sdk_version = own(upload, 'sdk');

  const ua = obj(own(upload, 'ua'));
  if (ua) batch.user_attributes = ua;
  if (Array.isArray(own(upload, 'uad'))) batch.deleted_user_attributes = own(upload, 'uad');
  const ui = own(upload, 'ui');
  if (Array.isArray(ui)) {
    const ids: Obj = {};
    ui.forEach((x, i) => {
      const n = toNumber(own(obj(x) ?? {}, 'n'));
      const name = typeof n === 'number' ? IDENTITY_TYPES[n] : undefined;
      if (name === undefined) notTranslated.push({ pointer: `/ui/${i}`, reason: `identity type ${JSON.stringify(n ?? null)} is not one of the ${IDENTITY_TYPES.length} Events API identity types (0–${IDENTITY_TYPES.length - 1})` });
      else ids[name] = own(obj(x) ?? {}, 'i') ?? null;
    });
    batch.user_identities = ids;
  }
  const con = consent(own(upload, 'con'));
  if (con) batch.consent_state = con;
  if (isObject(own(upload, 'ia'))) batch.integration_attributes = own(upload, 'ia');

  const app = mapFields(ai, APP_FIELDS);
  const dp = text(own(di, 'dp'));
  if (dp && PLATFORM_OS[dp]) app.os = PLATFORM_OS[dp];
  if (own(ai, 'sideloaded_kits_count') !== undefined) app.sideloaded_kits_count = toNumber(own(ai, 'sideloaded_kits_count'));
  if (Object.keys(app).length) batch.application_info = app;
  const device = mapFields(di, DEVICE_FIELDS);
  const att = text(own(di, 'atts'));
  if (att !== undefined) device.att_authorization_status = ATT_STATUS[att] ?? att;
  if (Object.keys(device).length) batch.device_info = device;

  const events: Obj[] = [];
  const messageIndex: number[] = [];
  const msgs = own(upload, 'msgs');
  if (msgs !== undefined && !Array.isArray(msgs)) notTranslated.push({ pointer: '/msgs', reason: `msgs is ${typeof msgs}, expected an array of messages` });
  (Array.isArray(msgs) ? msgs : []).forEach((m, i) => {
    const r = translateMessage(m);
    if ('event' in r) {
      events.push(r.event);
      messageIndex.push(i);
    } else notTranslated.push({ pointer: `/msgs/${i}`, ...(r.dt !== undefined ? { dt: r.dt } : {}), message_index: i, reason: r.reason });
  });
  batch.events = events;

  const appName = text(own(ai, 'an')) ?? text(own(ai, 'apn'));
  return {
    batch,
    platform: platformOf(upload, userAgent),
    app: {
      ...(appName !== undefined ? { name: appName } : {}),
      ...(text(own(ai, 'av')) !== undefined ? { version: text(own(ai, 'av')) } : {}),
      ...(text(own(ai, 'abn')) !== undefined ? { build: text(own(ai, 'abn')) } : {}),
    },
    message_index: messageIndex,
    not_translated: notTranslated,
  };
}
