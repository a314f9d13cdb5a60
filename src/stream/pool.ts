/**
 * Ingest workers: under load, request bodies are parsed and judged in worker threads (the same core,
 * `judge.ts`), and the main thread only captures, stores and answers. A connection's requests go to
 * one worker while any of them is there, so its batches reach the capture in the order they arrived.
 * A worker that dies hands its requests back: they are judged on the main thread, in order, and a new
 * worker starts on the next request. Nothing is acknowledged before it is captured, so nothing is lost.
 */
import { Worker } from 'node:worker_threads';
import type { PlanSource } from '../plan/types.js';
import type { CompiledPlan, ValidateOptions } from '../validate/index.js';
import { BodyError } from './body.js';
import type { BodyBounds, From, JudgeConfig, JudgedRequest } from './judge.js';
import type { LivePlan } from './live-plan.js';
import type { RejectReason } from './types.js';

export interface WorkerJob {
  id: number;
  body: Uint8Array;
  from: From;
  bounds: BodyBounds;
}

/** Jobs go in batches (one message per tick, not one per request: each message wakes a thread). */
export type ToWorker =
  | { type: 'plan'; source: PlanSource; options: ValidateOptions }
  | { type: 'jobs'; config: JudgeConfig; jobs: WorkerJob[] };

export type WorkerAnswer =
  | { id: number; judged: JudgedRequest }
  | { id: number; refused: { status: number; reason: RejectReason; message: string } }
  | { id: number; failed: string };

/** The answers to one `jobs` message, in its order. */
export type FromWorker = WorkerAnswer[];

interface Job {
  id: number;
  body: Buffer;
  from: From;
  bounds: BodyBounds;
  resolve(j: JudgedRequest): void;
  reject(e: Error): void;
}

interface Slot {
  worker?: Worker;
  /** The plan this worker was last sent. */
  plan?: CompiledPlan;
  /** Requests sent and not answered, oldest first. */
  jobs: Map<number, Job>;
  /** Requests to send at the end of this tick. */
  outbox: WorkerJob[];
  transfer: ArrayBuffer[];
}

function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? '../../dist/stream/ingest-worker.js' : './ingest-worker.js', import.meta.url);
}

/** Judge a job on this thread instead (a worker died with it). */
export type Inline = (body: Buffer, from: From, bounds: BodyBounds) => JudgedRequest;

export class IngestPool {
  private readonly slots: Slot[];
  private readonly conns = new WeakMap<object, { slot: Slot; pending: number }>();
  private nextId = 0;
  private closed = false;
  /** Workers that died with requests or without; each was replaced. */
  crashes = 0;
  /** Requests a worker judged (not handed back to the main thread). */
  judged = 0;

  constructor(size: number, private readonly plan: LivePlan, private readonly config: JudgeConfig, private readonly inline: Inline) {
    this.slots = Array.from({ length: size }, () => ({ jobs: new Map(), outbox: [], transfer: [] }));
  }

  get size(): number {
    return this.slots.length;
  }

  /** Requests in workers now. */
  get pending(): number {
    let n = 0;
    for (const s of this.slots) n += s.jobs.size;
    return n;
  }

  /** Does this connection have requests in a worker (so its next one must follow them there)? */
  busyWith(conn: object): boolean {
    return (this.conns.get(conn)?.pending ?? 0) > 0;
  }

  /** Parse and judge a body in a worker; rejects with BodyError when the body is refused. */
  run(conn: object, body: Buffer, from: From, bounds: BodyBounds): Promise<JudgedRequest> {
    if (this.closed) return Promise.reject(new Error('the receiver is closing'));
    let c = this.conns.get(conn);
    if (!c || c.pending === 0) {
      c = { slot: this.leastBusy(), pending: 0 };
      this.conns.set(conn, c);
    }
    const held = c;
    held.pending++;
    return new Promise<JudgedRequest>((resolve, reject) => {
      const job: Job = {
        id: ++this.nextId, body, from, bounds,
        resolve: (j) => {
          held.pending--;
          resolve(j);
        },
        reject: (e) => {
          held.pending--;
          reject(e);
        },
      };
      this.send(held.slot, job);
    });
  }

  /** Stop worker `i` for a test or a fault drill: its requests are judged on the main thread. */
  kill(i: number): Promise<number> {
    return this.slots[i]?.worker?.terminate() ?? Promise.resolve(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  private leastBusy(): Slot {
    let best = this.slots[0];
    for (const s of this.slots) if (s.jobs.size < best.jobs.size) best = s;
    return best;
  }

  private send(slot: Slot, job: Job): void {
    const w = slot.worker ?? this.start(slot);
    const current = this.plan.current;
    if (slot.plan !== current) {
      this.flush(slot);
      w.postMessage({ type: 'plan', source: current.source, options: this.plan.validateOptions } satisfies ToWorker);
      slot.plan = current;
    }
    if (slot.jobs.size === 0) w.ref();
    slot.jobs.set(job.id, job);
    // A copy of its own, handed over: the request's buffer may share memory with others.
    const copy = new Uint8Array(job.body.length);
    copy.set(job.body);
    if (slot.outbox.length === 0) setImmediate(() => this.flush(slot));
    slot.outbox.push({ id: job.id, body: copy, from: job.from, bounds: { maxBatches: job.bounds.maxBatches, maxEvents: job.bounds.maxEvents } });
    slot.transfer.push(copy.buffer);
  }

  private flush(slot: Slot): void {
    if (slot.outbox.length === 0) return;
    const jobs = slot.outbox;
    const transfer = slot.transfer;
    slot.outbox = [];
    slot.transfer = [];
    // A worker that died meanwhile has handed these back already (its jobs were judged here).
    if (!slot.worker) return;
    slot.worker.postMessage({ type: 'jobs', config: this.config, jobs } satisfies ToWorker, transfer);
  }

  private start(slot: Slot): Worker {
    const w = new Worker(workerUrl());
    slot.worker = w;
    slot.plan = undefined;
    w.unref();
    w.on('message', (answers: FromWorker) => {
      for (const m of answers) {
        const job = slot.jobs.get(m.id);
        if (!job) continue;
        slot.jobs.delete(m.id);
        if ('judged' in m) {
          this.judged++;
          job.resolve(m.judged);
        } else if ('refused' in m) job.reject(new BodyError(m.refused.status, m.refused.reason, m.refused.message));
        else job.reject(new Error(m.failed));
      }
      if (slot.jobs.size === 0) w.unref();
    });
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (slot.worker !== w) return;
      slot.worker = undefined;
      slot.plan = undefined;
      if (!this.closed) this.crashes++;
      // Its requests, in the order they came: judged here instead, or refused if the receiver is closing.
      const jobs = [...slot.jobs.values()];
      slot.jobs.clear();
      slot.outbox = [];
      slot.transfer = [];
      for (const job of jobs) {
        if (this.closed) {
          job.reject(new Error('the receiver is closing'));
          continue;
        }
        try {
          job.resolve(this.inline(job.body, job.from, job.bounds));
        } catch (err) {
          job.reject(err as Error);
        }
      }
    });
    return w;
  }
}
