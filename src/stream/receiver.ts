/**
 * The receiver without its transports: judge each batch with the core, append it to the capture,
 * then store, count, tell viewers, and acknowledge. HTTP and WebSocket handlers call `ingest`.
 */
import { formatSize } from './body.js';
import { captureLine, type CaptureRecord, type CaptureWriter } from './capture.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { LivePlan } from './live-plan.js';
import { AckBudget, batchAck, batchRecord, eventRecords, type Arrival } from './records.js';
import { Store } from './store.js';
import type { Ack, BatchOrigin, FeedMessage, Rejection, Summary } from './types.js';

export const DEFAULT_BUFFER = 10_000;
export const DEFAULT_BUFFER_BYTES = 256 * 1024 * 1024;

export interface ReceiverOptions {
  plan: LivePlan;
  capture?: CaptureWriter;
  /** How many recent events (and batches) memory keeps. */
  buffer?: number;
  /** How many bytes of recent events and batches memory keeps. */
  bufferBytes?: number;
  /** Sizes the platform refuses (we accept them with a warning), and the detail one acknowledgement lists. */
  platformBatchBytes?: number;
  platformRequestBytes?: number;
  ackDetailBytes?: number;
}

/** The bytes a request's batches arrived as, when the transport knows them. */
export interface BodySizes {
  sizes: number[];
  bytes: number;
  /** Each batch's bytes, where they parse to exactly the batch on one line (`ParsedBody.raw`). */
  raw?: (Buffer | undefined)[];
}

export interface IngestOptions {
  body?: BodySizes;
  origins?: Array<BatchOrigin | undefined>;
}

export type Listener = (m: FeedMessage) => void;

export class Receiver {
  readonly store: Store;
  readonly plan: LivePlan;
  readonly capture?: CaptureWriter;
  readonly startedAt = new Date().toISOString();
  private readonly listeners = new Set<Listener>();
  private readonly limits: { batch: number; request: number; ackDetail: number };
  private batchSeq = 0;
  private eventSeq = 0;

  constructor(opts: ReceiverOptions) {
    this.plan = opts.plan;
    this.capture = opts.capture;
    this.store = new Store(opts.buffer ?? DEFAULT_BUFFER, opts.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    this.limits = {
      batch: opts.platformBatchBytes ?? DEFAULT_LIMITS.platformBatchBytes,
      request: opts.platformRequestBytes ?? DEFAULT_LIMITS.platformRequestBytes,
      ackDetail: opts.ackDetailBytes ?? DEFAULT_LIMITS.ackDetailBytes,
    };
    if (opts.capture) opts.capture.onNotice = (text, level) => this.notice(text, level);
  }

  /** What the platform would say about sizes; we accept, but the developer should know. */
  private warnings(size: number, body: BodySizes): string[] | undefined {
    const out: string[] = [];
    if (size > this.limits.batch) out.push(`batch is ${formatSize(size)}: the mParticle platform rejects batches over ${formatSize(this.limits.batch)}`);
    if (body.bytes > this.limits.request) out.push(`request is ${formatSize(body.bytes)}: the mParticle platform rejects requests over ${formatSize(this.limits.request)}`);
    return out.length ? out : undefined;
  }

  /**
   * Accept parsed batches. Resolves with a bounded acknowledgement once they are durably in the
   * capture file; rejects (nothing stored) if the capture cannot be written. `o.body`: the bytes the
   * batches arrived as; `o.origins[i]`: batch i was translated from this upload (mobile).
   */
  async ingest(batches: unknown[], from: Omit<Arrival, 'received_at'>, o: IngestOptions = {}): Promise<Ack> {
    const arrival: Arrival = { ...from, received_at: new Date().toISOString() };
    const body = o.body;
    const sized = body ?? { sizes: batches.map((b) => Buffer.byteLength(JSON.stringify(b) ?? '')), bytes: 0 };
    const judged = batches.map((batch, i) => ({
      id: ++this.batchSeq, batch, result: this.plan.validate(batch), origin: o.origins?.[i],
      size: sized.sizes[i] ?? 0, warnings: body ? this.warnings(sized.sizes[i] ?? 0, body) : undefined,
    }));
    // How many characters of verdict each batch's capture line holds: its acknowledgement detail fits in that.
    const detail: (number | undefined)[] = [];
    if (this.capture) {
      const parts: Buffer[] = [];
      judged.forEach(({ id, batch, result, origin, warnings }, i) => {
        const record: CaptureRecord = {
          capture: 1, batch_id: id, received_at: arrival.received_at, endpoint: arrival.endpoint, source: arrival.source,
          ...(arrival.api_key ? { api_key: arrival.api_key } : {}), ...(warnings ? { warnings } : {}), result, batch,
          ...(origin ? { raw: origin.raw, ...(origin.app ? { app: origin.app } : {}), not_translated: origin.not_translated ?? [] } : {}),
        };
        const line = captureLine(record, origin ? undefined : body?.raw?.[i]);
        parts.push(...line.parts);
        detail.push(line.chars);
      });
      await this.capture.appendLines(parts, judged.length);
    }
    const ack: Ack = { accepted: judged.length, events: 0, batches: [] };
    const budget = new AckBudget(this.limits.ackDetail);
    for (const [i, { id, batch, result, origin, size, warnings }] of judged.entries()) {
      const rec = batchRecord(id, batch, result, arrival, origin, warnings);
      const events = eventRecords(rec, batch, result, () => ++this.eventSeq, origin);
      this.store.add(rec, events, size);
      ack.events += events.length;
      ack.batches.push(batchAck(id, result, budget, warnings, detail[i]));
      this.emit({ type: 'batch', batch: rec, events });
    }
    return ack;
  }

  reject(r: Omit<Rejection, 'at'>): Rejection {
    // A rejection repeats what the client sent (its path): keep it short.
    const rejection = { at: new Date().toISOString(), ...r, path: r.path.slice(0, 300), message: r.message.slice(0, 1000) };
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

  notice(text: string, level: 'info' | 'error' = 'info'): void {
    this.emit({ type: 'notice', level, text });
  }

  /** A snapshot: nothing in it is shared with the live counts. */
  summary(): Summary {
    const mem = process.memoryUsage();
    const c = this.store.counts;
    const s = this.store;
    return {
      started_at: this.startedAt,
      plan: this.plan.info(),
      ...c,
      violations: { ...c.violations },
      rejected_by_reason: { ...c.rejected_by_reason },
      stored: { events: s.events.length, batches: s.batches.length, capacity: s.capacity, bytes: Math.round(s.bytes), byte_budget: s.byteBudget },
      last_event_id: this.eventSeq,
      last_batch_id: this.batchSeq,
      capture: this.capture ? { file: this.capture.file, records: this.capture.records, torn_bytes: this.capture.tornBytes, reopened: this.capture.reopened } : null,
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
