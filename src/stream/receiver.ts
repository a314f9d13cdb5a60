/**
 * The receiver without its transports: judge each batch with the core (here, or in an ingest worker
 * under load), append it to the capture, then store, count, tell viewers, and acknowledge. HTTP and
 * WebSocket handlers call `ingestBody`; translated mobile uploads call `ingest`.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ParsedBody } from './body.js';
import type { CaptureWriter } from './capture.js';
import { arrivalTime, captureParts, judgeBatches, judgeBody, recordsFromLine, type BodyBounds, type From, type JudgeConfig, type JudgedRequest } from './judge.js';
import { DEFAULT_LIMITS } from './limits.js';
import type { LivePlan } from './live-plan.js';
import { IngestPool } from './pool.js';
import type { Arrival } from './records.js';
import { Store, StoredBatch } from './store.js';
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
  /** Ingest worker threads (0: judge everything on the main thread). */
  workers?: number;
  /** Judge on the main thread while at most this many requests are in progress; more go to workers. */
  offloadAt?: number;
}

/**
 * Small loads stay on the main thread: a worker round trip costs more than it saves there. Past this
 * many requests in progress, work goes to workers while the machine has idle cores (with none, handing
 * over only adds the cost of handing over). `offloadAt: 0`: always to workers.
 */
export const DEFAULT_OFFLOAD_AT = 2;
/** Idle cores the machine must have had lately for workers to take requests. */
const SPARE_CORES = 0.5;

/** How many cores the machine had idle lately (all processes), measured at most every half second. */
class SpareCpu {
  private at = 0;
  private idle = 0;
  private last = Number.POSITIVE_INFINITY;

  cores(): number {
    const now = performance.now();
    if (now - this.at < 500) return this.last;
    let idle = 0;
    for (const c of cpus()) idle += c.times.idle;
    if (this.at > 0) this.last = (idle - this.idle) / (now - this.at);
    this.at = now;
    this.idle = idle;
    return this.last;
  }
}

export interface IngestOptions {
  /** The bytes the batches arrived as (sizes, platform warnings, capture bytes). */
  body?: ParsedBody;
  origins?: Array<BatchOrigin | undefined>;
}

export type Listener = (m: FeedMessage) => void;

export class Receiver {
  readonly store: Store;
  readonly plan: LivePlan;
  readonly capture?: CaptureWriter;
  readonly startedAt = new Date().toISOString();
  /** Ingest workers, when there are any. */
  readonly pool?: IngestPool;
  private readonly listeners = new Set<{ fn: Listener; wantsBatches: () => boolean }>();
  private readonly config: JudgeConfig;
  private readonly offloadAt: number;
  /** Requests between arrival and answer. */
  private busy = 0;
  private readonly spare = new SpareCpu();
  private batchSeq = 0;
  private eventSeq = 0;

  constructor(opts: ReceiverOptions) {
    this.plan = opts.plan;
    this.capture = opts.capture;
    this.store = new Store(opts.buffer ?? DEFAULT_BUFFER, opts.bufferBytes ?? DEFAULT_BUFFER_BYTES);
    this.config = {
      platformBatchBytes: opts.platformBatchBytes ?? DEFAULT_LIMITS.platformBatchBytes,
      platformRequestBytes: opts.platformRequestBytes ?? DEFAULT_LIMITS.platformRequestBytes,
      ackDetailBytes: opts.ackDetailBytes ?? DEFAULT_LIMITS.ackDetailBytes,
      capture: opts.capture !== undefined,
    };
    this.offloadAt = opts.offloadAt ?? DEFAULT_OFFLOAD_AT;
    if (opts.workers) this.pool = new IngestPool(opts.workers, this.plan, this.config, (body, from, bounds) => this.judgeHere(body, from, bounds));
    if (opts.capture) opts.capture.onNotice = (text, level) => this.notice(text, level);
  }

  private judgeHere(body: Buffer, from: From, bounds: BodyBounds): JudgedRequest {
    return judgeBody((b) => this.plan.validate(b), body, from, this.config, bounds, this.batchViewers);
  }

  /**
   * Accept parsed batches. Resolves with a bounded acknowledgement once they are durably in the
   * capture file; rejects (nothing stored) if the capture cannot be written. `o.body`: the bytes the
   * batches arrived as; `o.origins[i]`: batch i was translated from this upload (mobile).
   */
  async ingest(batches: unknown[], from: Omit<Arrival, 'received_at'>, o: IngestOptions = {}): Promise<Ack> {
    return JSON.parse(await this.commit(judgeBatches((b) => this.plan.validate(b), batches, from, this.config, o.body, o.origins, this.batchViewers))) as Ack;
  }

  /**
   * Accept a request body (a batch or an array of batches): parsed within `bounds` (BodyError when
   * refused), judged, captured, stored. Resolves with the acknowledgement as JSON text. `conn`: the
   * connection it came on; its requests are captured in the order they arrived.
   */
  async ingestBody(body: Buffer, from: Omit<Arrival, 'received_at'>, bounds: BodyBounds, conn: object): Promise<string> {
    const received_at = arrivalTime();
    // Written out, not spread: the two callers' objects have different shapes, and this runs for every request.
    const arrived: From = from.api_key === undefined
      ? { endpoint: from.endpoint, source: from.source, received_at }
      : { endpoint: from.endpoint, source: from.source, api_key: from.api_key, received_at };
    this.busy++;
    try {
      const pool = this.pool;
      const offload = pool && (pool.busyWith(conn) || (this.busy > this.offloadAt && (this.offloadAt === 0 || this.spare.cores() >= SPARE_CORES)));
      const judged = offload ? await pool.run(conn, body, arrived, bounds) : this.judgeHere(body, arrived, bounds);
      return await this.commit(judged);
    } finally {
      this.busy--;
    }
  }

  /** Hand out ids, capture (durably), then store, tell viewers and answer, as JSON text. */
  private async commit(j: JudgedRequest): Promise<string> {
    const n = j.batches.length;
    const ids = new Array<number>(n);
    for (let i = 0; i < n; i++) ids[i] = ++this.batchSeq;
    for (const b of j.batches) {
      // A line kept for records on demand is kept as bytes; the capture copies them as they are.
      if (!b.made && typeof b.line.text === 'string') b.line.text = Buffer.from(b.line.text);
    }
    if (this.capture) await this.capture.appendLines(captureParts(ids, j.batches.map((b) => b.line)), n);
    let events = 0;
    let text = '';
    const viewers = this.batchViewers;
    for (let i = 0; i < n; i++) {
      const { line, ack, tally, bytes, made } = j.batches[i];
      const id = ids[i];
      const first = this.eventSeq + 1;
      const count = made ? made.events.length : tally.events;
      this.eventSeq += count;
      if (made) {
        made.batch.batch_id = id;
        made.events.forEach((e, k) => {
          e.id = first + k;
          e.batch_id = id;
        });
      }
      const stored = new StoredBatch(id, first, count, tally, bytes, made ? () => made : () => recordsFromLine(line, id, first));
      this.store.add(stored);
      events += count;
      text += `${i ? ',' : ''}{"batch_id":${id}${ack}`;
      if (viewers) this.emit({ type: 'batch', batch: stored.record, events: stored.events });
    }
    return `{"accepted":${n},"events":${events},"batches":[${text}]}`;
  }

  async close(): Promise<void> {
    await this.pool?.close();
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

  /**
   * Hear what happens. `wantsBatches`: whether `fn` wants `batch` messages now (building a batch's records
   * for nobody costs as much as judging it); by default always.
   */
  subscribe(fn: Listener, wantsBatches: () => boolean = () => true): () => void {
    const entry = { fn, wantsBatches };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** Whether any listener wants batch messages now. */
  private get batchViewers(): boolean {
    for (const l of this.listeners) if (l.wantsBatches()) return true;
    return false;
  }

  private emit(m: FeedMessage): void {
    for (const { fn, wantsBatches } of this.listeners) {
      if (m.type === 'batch' && !wantsBatches()) continue;
      try {
        fn(m);
      } catch {
        // A broken viewer must not break ingest.
      }
    }
  }
}
