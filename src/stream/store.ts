/** What the receiver remembers: recent batches and events, bounded by count and by bytes, and running counts. */
import { VIOLATION_CODES, type ViolationCode } from '../validate/index.js';
import type { BatchRecord, Counts, EventRecord, Rejection, RejectReason } from './types.js';

/** Fixed-capacity FIFO: once full, each push drops the oldest. Memory stays flat. */
export class Ring<T> {
  private items: (T | undefined)[];
  private start = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Adds an item; returns the one that fell out, if any. */
  push(item: T): T | undefined {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size++) % this.capacity] = item;
      return undefined;
    }
    const dropped = this.items[this.start];
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return dropped;
  }

  /** The oldest item, if any. */
  peek(): T | undefined {
    return this.size > 0 ? this.items[this.start] : undefined;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.start];
    this.items[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.size--;
    return item;
  }

  clear(): void {
    this.items = new Array(this.capacity);
    this.start = 0;
    this.size = 0;
  }

  /** Oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.start + i) % this.capacity] as T;
  }

  toArray(): T[] {
    return [...this];
  }
}

const REJECT_REASONS: RejectReason[] = ['malformed_json', 'too_large', 'not_found', 'unauthorized', 'forbidden', 'bad_request', 'timeout', 'busy', 'capture_failed'];

export function emptyCounts(): Counts {
  return {
    batches: 0, validated_batches: 0, not_validated_batches: 0,
    events: 0, validated_events: 0, not_validated_events: 0, events_with_violations: 0,
    violation_count: 0, violations: Object.fromEntries(VIOLATION_CODES.map((c) => [c, 0])) as Record<ViolationCode, number>,
    input_errors: 0,
    rejected: 0, rejected_by_reason: Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>,
    identity_requests: 0,
  };
}

/** What one batch adds to the counts: enough to count it without its records. */
export interface Tally {
  validated: boolean;
  events: number;
  validated_events: number;
  events_with_violations: number;
  violation_count: number;
  input_errors: number;
  /** The code of every violation, batch-level and per event. */
  codes: ViolationCode[];
}

/** The tally of a batch from its records. */
export function tallyRecords(batch: BatchRecord, events: EventRecord[]): Tally {
  const t: Tally = { validated: batch.validated, events: events.length, validated_events: 0, events_with_violations: 0, violation_count: batch.violation_count, input_errors: batch.errors.length, codes: [] };
  for (const v of batch.violations) t.codes.push(v.violation);
  for (const e of events) {
    if (e.validated) t.validated_events++;
    if (e.violations.length > 0) t.events_with_violations++;
    if (e.error !== undefined) t.input_errors++;
    for (const v of e.violations) t.codes.push(v.violation);
  }
  return t;
}

export function addTally(c: Counts, t: Tally): void {
  c.batches++;
  if (t.validated) c.validated_batches++;
  else c.not_validated_batches++;
  c.events += t.events;
  c.validated_events += t.validated_events;
  c.not_validated_events += t.events - t.validated_events;
  c.events_with_violations += t.events_with_violations;
  c.violation_count += t.violation_count;
  c.input_errors += t.input_errors;
  for (const code of t.codes) c.violations[code]++;
}

/** Add one stored batch to the counts (the receiver and every viewer count the same way). */
export function countBatch(c: Counts, batch: BatchRecord, events: EventRecord[]): void {
  addTally(c, tallyRecords(batch, events));
}

export function countRejection(c: Counts, r: Rejection): void {
  c.rejected++;
  c.rejected_by_reason[r.reason]++;
}

export interface EventQuery {
  /** `only`: events with violations; `none`: judged events without any. */
  violations?: 'only' | 'none';
  type?: string;
  name?: string;
  batchId?: number;
  /** Only events with a larger id (a cursor: the last id the caller has seen). */
  since?: number;
  /** At most this many: the oldest after `since`, else the newest. */
  limit?: number;
}

export interface BatchQuery {
  violations?: 'only' | 'none';
  since?: number;
  limit?: number;
}

/** Bytes one violation record holds beyond the event it is about (message, key, pointers). */
export function violationBytes(vs: readonly { message: string }[]): number {
  let n = 0;
  for (const v of vs) n += 200 + v.message.length;
  return n;
}

/** Fixed cost of a record object beyond its payload. */
export const RECORD_BYTES = 300;

/** Estimated bytes a batch's records hold: the batch's own, and each event's. `size`: the bytes the batch arrived as. */
export interface RecordBytes {
  batch: number;
  events: number[];
}

export function recordBytes(batch: BatchRecord, events: EventRecord[], size: number): RecordBytes {
  const share = size / (events.length + 1);
  return {
    batch: RECORD_BYTES + share + violationBytes(batch.violations) + violationBytes(batch.errors),
    events: events.map((e) => RECORD_BYTES + share + violationBytes(e.violations) + (e.error?.length ?? 0)),
  };
}

/**
 * A stored batch. Its records are built when first read (a query, a viewer), from what `load` is given:
 * under load most batches leave the ring unread, and building records costs as much as judging.
 */
export class StoredBatch {
  private made?: { batch: BatchRecord; events: EventRecord[] };
  private load?: () => { batch: BatchRecord; events: EventRecord[] };

  constructor(readonly batch_id: number, readonly firstEventId: number, readonly eventCount: number, readonly tally: Tally, readonly bytes: RecordBytes, load: () => { batch: BatchRecord; events: EventRecord[] }) {
    this.load = load;
  }

  private built(): { batch: BatchRecord; events: EventRecord[] } {
    if (!this.made) {
      this.made = this.load!();
      this.load = undefined;
    }
    return this.made;
  }

  get record(): BatchRecord {
    return this.built().batch;
  }

  get events(): EventRecord[] {
    return this.built().events;
  }
}

/** One stored event: its batch and place in it (the record is built with the batch's). */
export interface StoredEvent {
  id: number;
  batch_id: number;
  batch: StoredBatch;
  index: number;
}

/** The `limit` newest (or, after a cursor, oldest) of a filtered list. */
function page<T>(list: T[], since: number | undefined, limit: number | undefined): T[] {
  if (limit === undefined || list.length <= limit) return list;
  return since !== undefined ? list.slice(0, limit) : list.slice(list.length - limit);
}

export class Store {
  readonly events: Ring<StoredEvent>;
  readonly batches: Ring<StoredBatch>;
  readonly rejections = new Ring<Rejection>(100);
  counts = emptyCounts();
  /** Bytes the stored records hold (estimated from the bytes they arrived as). */
  bytes = 0;
  private readonly eventBytes: Ring<number>;
  private readonly batchBytes: Ring<number>;

  constructor(readonly capacity: number, readonly byteBudget = Number.POSITIVE_INFINITY) {
    this.events = new Ring(capacity);
    this.batches = new Ring(capacity);
    this.eventBytes = new Ring(capacity);
    this.batchBytes = new Ring(capacity);
  }

  /** Store a batch and its events. Oldest records make room. */
  add(b: StoredBatch): void {
    const own = b.bytes.batch;
    this.bytes += own;
    this.bytes -= this.batchBytes.push(own) ?? 0;
    this.batches.push(b);
    for (let i = 0; i < b.eventCount; i++) {
      const n = b.bytes.events[i];
      this.bytes += n;
      this.bytes -= this.eventBytes.push(n) ?? 0;
      this.events.push({ id: b.firstEventId + i, batch_id: b.batch_id, batch: b, index: i });
    }
    addTally(this.counts, b.tally);
    // Over budget: drop the oldest events, and each batch once none of its events is left; the newest batch stays.
    while (this.bytes > this.byteBudget && this.batches.length > 1) {
      const oldestBatch = this.batches.peek()!;
      const oldestEvent = this.events.peek();
      if (oldestEvent && oldestEvent.batch_id <= oldestBatch.batch_id) {
        this.events.shift();
        this.bytes -= this.eventBytes.shift()!;
      } else {
        this.batches.shift();
        this.bytes -= this.batchBytes.shift()!;
      }
    }
  }

  reject(r: Rejection): void {
    this.rejections.push(r);
    countRejection(this.counts, r);
  }

  reset(): void {
    this.events.clear();
    this.batches.clear();
    this.eventBytes.clear();
    this.batchBytes.clear();
    this.rejections.clear();
    this.bytes = 0;
    this.counts = emptyCounts();
  }

  /** Stored events, oldest first, filtered the way the query API spells it. */
  queryEvents(q: EventQuery): EventRecord[] {
    const type = q.type?.toLowerCase();
    const out: EventRecord[] = [];
    for (const stored of this.events) {
      if (q.since !== undefined && stored.id <= q.since) continue;
      if (q.batchId !== undefined && stored.batch_id !== q.batchId) continue;
      const e = stored.batch.events[stored.index];
      if (q.violations === 'only' && e.violations.length === 0) continue;
      if (q.violations === 'none' && (!e.validated || e.violations.length > 0)) continue;
      if (type !== undefined && e.event_type !== type && e.custom_event_type !== type) continue;
      if (q.name !== undefined && e.name !== q.name) continue;
      out.push(e);
    }
    return page(out, q.since, q.limit);
  }

  /** Stored batches, oldest first. `none`: judged, without violations or errors. */
  queryBatches(q: BatchQuery): BatchRecord[] {
    const out: BatchRecord[] = [];
    for (const stored of this.batches) {
      if (q.since !== undefined && stored.batch_id <= q.since) continue;
      const b = stored.record;
      if (q.violations === 'only' && b.violation_count === 0) continue;
      if (q.violations === 'none' && (!b.validated || b.violation_count > 0 || b.errors.length > 0)) continue;
      out.push(b);
    }
    return page(out, q.since, q.limit);
  }
}
