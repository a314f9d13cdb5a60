/** Turn a batch and the core's verdict on it into the records the receiver stores and streams. */
import { batchIdentities, eventMatchKey, formatMatchKey, isObject, own } from '../plan/index.js';
import type { BatchResult, Violation } from '../validate/index.js';
import type { BatchAck, BatchOrigin, BatchRecord, BatchVerdict, EventRecord, Source } from './types.js';

export interface Arrival {
  endpoint: string;
  source: Source;
  api_key?: string;
  received_at: string;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** Who a batch is about: customer id, else email, else MPID. */
function who(batch: Record<string, unknown>): { user?: string; device?: string } {
  const ids = batchIdentities(batch);
  const pick = (name: string) => text(ids.find((i) => i.name === name)?.value);
  const device = pick('device_application_stamp') ?? ids.find((i) => i.batchKey.startsWith('device_info.'))?.value;
  return { user: pick('customerid') ?? pick('email') ?? text(own(batch, 'mpid')), device: text(device) };
}

/** What to call an event in a list: its name, screen, action, or what a bookkeeping event is about. */
export function eventName(event: unknown): { name: string; custom_event_type?: string; match_key?: string } {
  const ek = eventMatchKey(event);
  if (ek.kind === 'key') {
    const k = ek.key;
    const name = k.type === 'application_state_transition' ? k.sub : k.type === 'product_impression' ? 'product_impression' : k.name;
    return { name, ...(k.type === 'custom_event' ? { custom_event_type: k.sub } : {}), match_key: formatMatchKey(k) };
  }
  const data = isObject(event) && isObject(own(event, 'data')) ? (own(event, 'data') as Record<string, unknown>) : {};
  if (ek.eventType === 'user_attribute_change') return { name: text(own(data, 'user_attribute_name')) ?? '' };
  if (ek.eventType === 'user_identity_change') {
    const nu = own(data, 'new');
    return { name: isObject(nu) ? (text(own(nu, 'identity_type')) ?? '') : '' };
  }
  return { name: text(own(data, 'event_name')) ?? text(own(data, 'screen_name')) ?? '' };
}

export function batchRecord(id: number, batch: unknown, result: BatchResult, arrival: Arrival, origin?: BatchOrigin, warnings?: string[]): BatchRecord {
  const b = isObject(batch) ? batch : {};
  const { device } = who(b);
  const pick = (k: string) => (own(b, k) === undefined ? {} : { [k]: own(b, k) });
  return {
    batch_id: id,
    received_at: arrival.received_at,
    endpoint: arrival.endpoint,
    source: arrival.source,
    ...(arrival.api_key ? { api_key: arrival.api_key } : {}),
    ...(typeof own(b, 'environment') === 'string' ? { environment: own(b, 'environment') as string } : {}),
    ...(text(own(b, 'mpid')) !== undefined ? { mpid: text(own(b, 'mpid')) } : {}),
    ...(device !== undefined ? { mp_deviceid: device } : {}),
    ...pick('context'),
    ...pick('user_attributes'),
    ...pick('user_identities'),
    ...pick('device_info'),
    ...pick('application_info'),
    ...(warnings ? { warnings } : {}),
    ...(origin?.app ? { app: origin.app } : {}),
    ...(origin ? { not_translated: origin.not_translated ?? [] } : {}),
    ...verdict(result, true),
  };
}

/** The core's verdict; `batchLevel` keeps only the violations and errors that belong to no event. */
function verdict(result: BatchResult, batchLevel: boolean): BatchVerdict {
  return {
    validated: result.validated,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.notice ? { notice: result.notice } : {}),
    plan_id: result.plan_id,
    plan_version: result.plan_version,
    event_count: result.event_count,
    violation_count: result.violations.length,
    violations: batchLevel ? result.violations.filter((v) => v.event_index === null) : result.violations,
    errors: batchLevel ? result.errors.filter((e) => e.event_index === null) : result.errors,
  };
}

/**
 * One record per event, carrying its own violations. `nextId` hands out global event ids. A translated
 * batch's events also name their message; its messages without a translation follow, not validated, with why.
 */
export function eventRecords(rec: BatchRecord, batch: unknown, result: BatchResult, nextId: () => number, origin?: BatchOrigin): EventRecord[] {
  const events = isObject(batch) && Array.isArray(own(batch, 'events')) ? (own(batch, 'events') as unknown[]) : [];
  const byEvent = new Map<number, Violation[]>();
  for (const v of result.violations) {
    if (v.event_index === null) continue;
    const list = byEvent.get(v.event_index);
    if (list) list.push(v);
    else byEvent.set(v.event_index, [v]);
  }
  const errors = new Map<number, string>();
  for (const e of result.errors) if (e.event_index !== null) errors.set(e.event_index, e.message);
  const notPlannable = new Set(result.not_validated_events);
  const { user, device } = who(isObject(batch) ? batch : {});
  const app = origin?.app ? { app: origin.app } : {};
  const records: EventRecord[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const ev = isObject(event) ? event : {};
    const t = own(ev, 'event_type');
    const error = errors.get(i);
    const reason = !result.validated ? result.reason : error !== undefined ? 'malformed' as const : notPlannable.has(i) ? 'not_plannable' as const : undefined;
    const named = eventName(event);
    // Built field by field (no spreads): this runs for every event received.
    const r: EventRecord = {
      id: nextId(), batch_id: rec.batch_id, event_index: i, received_at: rec.received_at,
      event_type: typeof t === 'string' ? t.toLowerCase() : '', name: named.name,
    } as EventRecord;
    if (named.custom_event_type !== undefined) r.custom_event_type = named.custom_event_type;
    if (named.match_key !== undefined) r.match_key = named.match_key;
    r.validated = reason === undefined;
    if (reason) r.reason = reason;
    r.violations = byEvent.get(i) ?? [];
    if (error !== undefined) r.error = error;
    r.source = rec.source;
    if (origin?.app) r.app = origin.app;
    const mi = origin?.message_index?.[i];
    if (mi !== undefined) r.message_index = mi;
    if (user !== undefined) r.user = user;
    if (device !== undefined) r.device = device;
    r.plan_version = result.plan_version;
    r.data = own(ev, 'data') ?? null;
    records[i] = r;
  }
  if (!origin) return records;
  const msgs = isObject(origin.raw) && Array.isArray(own(origin.raw, 'msgs')) ? (own(origin.raw, 'msgs') as unknown[]) : [];
  for (const nt of origin.not_translated ?? []) {
    if (nt.message_index === undefined) continue;
    const m = msgs[nt.message_index];
    records.push({
      id: nextId(), batch_id: rec.batch_id, event_index: -1, received_at: rec.received_at, event_type: nt.dt ?? 'unknown',
      name: (isObject(m) ? text(own(m, 'n')) : undefined) ?? '', validated: false, reason: 'not_translated', not_translated: nt.reason, violations: [],
      source: rec.source, ...app, message_index: nt.message_index, ...(user !== undefined ? { user } : {}), ...(device !== undefined ? { device } : {}),
      plan_version: result.plan_version, data: m ?? null,
    });
  }
  return records;
}

/** Bytes of violation and error detail one acknowledgement may still list. */
export class AckBudget {
  constructor(private left: number) {}

  /** Take `bound` (the serialised length of a whole verdict) at once if it fits; else measure item by item. */
  takeAll(bound: number | undefined): boolean {
    if (bound === undefined || bound > this.left) return false;
    this.left -= bound;
    return true;
  }

  /** The leading items that fit, and how many did not. */
  take<T>(items: T[]): { listed: T[]; omitted: number } {
    let i = 0;
    for (; i < items.length && this.left > 0; i++) this.left -= JSON.stringify(items[i]).length;
    if (this.left < 0 && i > 0) i--;
    if (this.left <= 0) this.left = 0;
    return { listed: i === items.length ? items : items.slice(0, i), omitted: items.length - i };
  }
}

/**
 * The answer for one batch: the verdict with as much detail as the budget allows (the counts are always
 * whole). `bound`: the serialised length of the verdict, when known (the capture line has it).
 */
export function batchAck(id: number, result: BatchResult, budget: AckBudget, warnings?: string[], bound?: number): BatchAck {
  const v = verdict(result, false);
  const whole = budget.takeAll(bound);
  const violations = whole ? { listed: v.violations, omitted: 0 } : budget.take(v.violations);
  const errors = whole ? { listed: v.errors, omitted: 0 } : budget.take(v.errors);
  return {
    batch_id: id, ...v, violations: violations.listed, errors: errors.listed,
    ...(violations.omitted ? { violations_omitted: violations.omitted } : {}),
    ...(errors.omitted ? { errors_omitted: errors.omitted } : {}),
    ...(warnings ? { warnings } : {}),
  };
}
