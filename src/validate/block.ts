/** What the plan's block settings would drop, applied to a copy of the batch. */
import { isObject, own, unescapePointer } from '../plan/index.js';
import type { Violation } from './violation.js';

export interface BlockReport {
  events: number;
  event_attributes: number;
  user_attributes: number;
  user_identities: number;
}

function at(root: unknown, ptr: string): unknown {
  let cur = root;
  for (const raw of ptr.replace(/^#/, '').split('/').slice(1)) {
    const seg = unescapePointer(raw);
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = own(cur, seg);
    else return undefined;
  }
  return cur;
}

/** A copy of `batch` with every violation marked `would_block` removed. */
export function applyBlocking(batch: Record<string, unknown>, violations: Violation[]): { batch: Record<string, unknown>; dropped: BlockReport } {
  const out = structuredClone(batch);
  const dropped: BlockReport = { events: 0, event_attributes: 0, user_attributes: 0, user_identities: 0 };
  const dropEvents = new Set<number>();
  const events = Array.isArray(out.events) ? (out.events as unknown[]) : [];
  for (const v of violations) {
    if (!v.would_block) continue;
    switch (v.violation) {
      case 'unplanned_event':
        if (v.event_index !== null) dropEvents.add(v.event_index);
        break;
      case 'unplanned_event_attribute':
      case 'unplanned_product_attribute': {
        const holder = v.event_index === null ? undefined : at(events[v.event_index], v.error_pointer);
        if (isObject(holder) && Object.prototype.hasOwnProperty.call(holder, v.key)) {
          delete holder[v.key];
          dropped.event_attributes++;
        }
        break;
      }
      case 'unplanned_user_attribute': {
        const ua = out.user_attributes;
        if (isObject(ua) && Object.prototype.hasOwnProperty.call(ua, v.key)) {
          delete ua[v.key];
          dropped.user_attributes++;
        }
        break;
      }
      case 'unplanned_user_identity': {
        const bk = v.batch_key ?? v.key;
        const [holder, key] = bk === 'mp_deviceid' ? [out, 'mp_deviceid'] : bk.startsWith('device_info.') ? [out.device_info, bk.slice(12)] : [out.user_identities, bk];
        if (isObject(holder) && Object.prototype.hasOwnProperty.call(holder, key)) {
          delete holder[key];
          dropped.user_identities++;
        }
        break;
      }
    }
  }
  if (dropEvents.size) {
    out.events = events.filter((_, i) => !dropEvents.has(i));
    dropped.events = dropEvents.size;
  }
  return { batch: out, dropped };
}
