/** What the receiver remembers: bounded rings of recent batches and events, and running counts. */
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

const REJECT_REASONS: RejectReason[] = ['malformed_json', 'too_large', 'not_found', 'unauthorized', 'bad_request', 'capture_failed'];

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

/** Add one stored batch to the counts (the receiver and every viewer count the same way). */
export function countBatch(c: Counts, batch: BatchRecord, events: EventRecord[]): void {
  c.batches++;
  if (batch.validated) c.validated_batches++;
  else c.not_validated_batches++;
  c.events += events.length;
  c.violation_count += batch.violation_count;
  c.input_errors += batch.errors.length;
  for (const v of batch.violations) c.violations[v.violation]++;
  for (const e of events) {
    if (e.validated) c.validated_events++;
    else c.not_validated_events++;
    if (e.violations.length > 0) c.events_with_violations++;
    if (e.error !== undefined) c.input_errors++;
    for (const v of e.violations) c.violations[v.violation]++;
  }
}

export function countRejection(c: Counts, r: Rejection): void {
  c.rejected++;
  c.rejected_by_reason[r.reason]++;
}

export interface EventQuery {
  violationsOnly?: boolean;
  type?: string;
  name?: string;
  batchId?: number;
  limit?: number;
}

export class Store {
  readonly events: Ring<EventRecord>;
  readonly batches: Ring<BatchRecord>;
  readonly rejections = new Ring<Rejection>(100);
  counts = emptyCounts();

  constructor(readonly capacity: number) {
    this.events = new Ring(capacity);
    this.batches = new Ring(capacity);
  }

  add(batch: BatchRecord, events: EventRecord[]): void {
    this.batches.push(batch);
    for (const e of events) this.events.push(e);
    countBatch(this.counts, batch, events);
  }

  reject(r: Rejection): void {
    this.rejections.push(r);
    countRejection(this.counts, r);
  }

  reset(): void {
    this.events.clear();
    this.batches.clear();
    this.rejections.clear();
    this.counts = emptyCounts();
  }

  /** Stored events, oldest first, filtered the way the query API spells it. */
  queryEvents(q: EventQuery): EventRecord[] {
    const type = q.type?.toLowerCase();
    const out: EventRecord[] = [];
    for (const e of this.events) {
      if (q.violationsOnly && e.violations.length === 0) continue;
      if (type !== undefined && e.event_type !== type && e.custom_event_type !== type) continue;
      if (q.name !== undefined && e.name !== q.name) continue;
      if (q.batchId !== undefined && e.batch_id !== q.batchId) continue;
      out.push(e);
    }
    return q.limit !== undefined && out.length > q.limit ? out.slice(out.length - q.limit) : out;
  }
}
