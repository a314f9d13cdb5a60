/**
 * The receiver without its transports: judge each batch with the core, append it to the capture,
 * then store, count, tell viewers, and acknowledge. HTTP and WebSocket handlers call `ingest`.
 */
import type { CaptureRecord, CaptureWriter } from './capture.js';
import type { LivePlan } from './live-plan.js';
import { batchAck, batchRecord, eventRecords, type Arrival } from './records.js';
import { Store } from './store.js';
import type { Ack, BatchOrigin, FeedMessage, Rejection, Summary } from './types.js';

export const DEFAULT_BUFFER = 10_000;

export interface ReceiverOptions {
  plan: LivePlan;
  capture?: CaptureWriter;
  /** How many recent events (and batches) memory keeps. */
  buffer?: number;
}

export type Listener = (m: FeedMessage) => void;

export class Receiver {
  readonly store: Store;
  readonly plan: LivePlan;
  readonly capture?: CaptureWriter;
  readonly startedAt = new Date().toISOString();
  private readonly listeners = new Set<Listener>();
  private batchSeq = 0;
  private eventSeq = 0;

  constructor(opts: ReceiverOptions) {
    this.plan = opts.plan;
    this.capture = opts.capture;
    this.store = new Store(opts.buffer ?? DEFAULT_BUFFER);
  }

  /**
   * Accept parsed batches. Resolves with the acknowledgement once they are in the capture file;
   * rejects (nothing stored) if the capture cannot be written. `origins[i]`: batch i was translated from this upload.
   */
  async ingest(batches: unknown[], from: Omit<Arrival, 'received_at'>, origins: Array<BatchOrigin | undefined> = []): Promise<Ack> {
    const arrival: Arrival = { ...from, received_at: new Date().toISOString() };
    const judged = batches.map((batch, i) => ({ id: ++this.batchSeq, batch, result: this.plan.validate(batch), origin: origins[i] }));
    if (this.capture) {
      const records: CaptureRecord[] = judged.map(({ id, batch, result, origin }) => ({
        capture: 1, batch_id: id, received_at: arrival.received_at, endpoint: arrival.endpoint, source: arrival.source,
        ...(arrival.api_key ? { api_key: arrival.api_key } : {}), result, batch,
        ...(origin ? { raw: origin.raw, ...(origin.app ? { app: origin.app } : {}), not_translated: origin.not_translated ?? [] } : {}),
      }));
      await this.capture.append(records);
    }
    const ack: Ack = { accepted: judged.length, events: 0, batches: [] };
    for (const { id, batch, result, origin } of judged) {
      const rec = batchRecord(id, batch, result, arrival, origin);
      const events = eventRecords(rec, batch, result, () => ++this.eventSeq, origin);
      this.store.add(rec, events);
      ack.events += events.length;
      ack.batches.push(batchAck(id, result));
      this.emit({ type: 'batch', batch: rec, events });
    }
    return ack;
  }

  reject(r: Omit<Rejection, 'at'>): Rejection {
    const rejection = { at: new Date().toISOString(), ...r };
    this.store.reject(rejection);
    this.emit({ type: 'rejected', rejection });
    return rejection;
  }

  identityRequest(): void {
    this.store.counts.identity_requests++;
  }

  reset(): void {
    this.store.reset();
    this.emit({ type: 'reset' });
  }

  /** Tell viewers the plan changed (or failed to). */
  planChanged(): void {
    this.emit({ type: 'plan', plan: this.plan.info() });
  }

  /** A snapshot: nothing in it is shared with the live counts. */
  summary(): Summary {
    const mem = process.memoryUsage();
    const c = this.store.counts;
    return {
      started_at: this.startedAt,
      plan: this.plan.info(),
      ...c,
      violations: { ...c.violations },
      rejected_by_reason: { ...c.rejected_by_reason },
      stored: { events: this.store.events.length, batches: this.store.batches.length, capacity: this.store.capacity },
      capture: this.capture ? { file: this.capture.file, records: this.capture.records } : null,
      memory: { rss: mem.rss, heap_used: mem.heapUsed },
    };
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(m: FeedMessage): void {
    for (const fn of this.listeners) {
      try {
        fn(m);
      } catch {
        // A broken viewer must not break ingest.
      }
    }
  }
}
