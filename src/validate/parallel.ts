/**
 * NDJSON files in chunks: the file is cut at line boundaries, the main thread reads each chunk (and
 * counts its lines, so every result knows its line), and validates it itself or hands it to a
 * worker thread (each with the plan compiled once) that is ready; results come back in file order.
 * Workers start while the main thread is already validating, so a small file never waits for
 * them, and at most a few chunks are in flight, so memory stays bounded at any file size.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RenderSpec } from '../report/render.js';
import { validateChunk, type ChunkJob, type ChunkResult } from './chunk.js';
import { DEFAULT_MAX_LINE } from './lines.js';
import type { CompiledPlan, ValidateOptions } from './plan.js';

export interface WorkerSetup {
  planFile: string;
}

/** A worker's answer to a job: its result (as JSON text when it holds result objects) and the job's bytes, handed back. */
export interface WorkerReply {
  result: ChunkResult | string;
  bytes?: Uint8Array;
}

/**
 * A chunk's results (rendered text) are held until the whole chunk is done; with 1 MB chunks they
 * outlived young-generation collections and were copied into the old generation. 256 KB chunks cut
 * garbage collection from about 180 to 130 ms on the issue-11 workload with `--jobs 1` (CPU profiles).
 */
const CHUNK = 256 * 1024;
/** The smallest chunk: at the start of a file, and at its end when threads share it (see `chunkSize`). */
const MIN_CHUNK = 64 * 1024;

/**
 * How many bytes the chunk starting at `start` covers. With worker threads, the first chunks are
 * small and double up to CHUNK, so the main thread (busy with its own chunk while a worker gets
 * ready) gives the new worker its first job soon; and the last ones shrink, so no thread is left
 * waiting long for another's final chunk. Measured on the issue-11 workload with one worker: about
 * 100 ms of idle worker at the start and as much at the end, with 1 MB chunks throughout.
 */
export function chunkSize(start: number, size: number, index: number, threads: number): number {
  if (threads <= 1) return CHUNK;
  const ramp = Math.min(CHUNK, MIN_CHUNK * 2 ** index);
  const tail = Math.ceil((size - start) / (2 * threads));
  return Math.max(MIN_CHUNK, Math.min(ramp, tail));
}

/**
 * The cost model behind the default thread count (measured with bench/run.mjs on the issue-11
 * workload): one thread validates about 35 MB of NDJSON a second, and a worker is ready after
 * about 80 ms plus the time the plan took to compile. A worker pays off when the input would keep
 * the main thread busy well past the moment the worker could join.
 */
const BYTES_PER_SECOND = 35 * 1024 * 1024;
const WORKER_START_MS = 80;

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Threads for `bytes` of NDJSON when `--jobs` is not given. */
export function autoJobs(bytes: number, compileMs: number): number {
  const cores = defaultJobs();
  const ready = (WORKER_START_MS + compileMs) / 1000;
  // Twice the bytes the main thread gets through before a worker is ready.
  const worth = 2 * BYTES_PER_SECOND * ready;
  return bytes < worth ? 1 : Math.min(cores, 1 + Math.floor(bytes / worth));
}

/** Compile time of a plan of `bytes` before it is compiled (about 1 ms a KB of plan JSON, measured on bench plans). */
export function estimateCompileMs(bytes: number): number {
  return bytes / 1024;
}

export function isLineFile(file: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(file);
}

function workerUrl(): URL {
  // Under the test runner this module is TypeScript; the worker always runs the built JavaScript.
  return new URL(import.meta.url.endsWith('.ts') ? '../../dist/validate/worker.js' : './worker.js', import.meta.url);
}

/**
 * Chunk boundaries aligned to line ends. A line still running `maxLine` bytes past a chunk's end
 * is a chunk of its own marked too long (never read whole), so memory stays bounded by the limit.
 */
function* boundaries(fd: number, size: number, maxLine: number, threads: number): Generator<{ start: number; end: number; tooLong?: boolean }> {
  const probe = Buffer.allocUnsafe(64 * 1024);
  /** Offset just past the next newline at or after `from` (or the end of the file), and the bytes scanned. */
  const nextLine = (from: number, limit: number): { at: number; over: boolean } => {
    for (let at = from; at < size; ) {
      const n = readSync(fd, probe, 0, probe.length, at);
      if (n === 0) break;
      const nl = probe.subarray(0, n).indexOf(10);
      if (nl !== -1) return { at: at + nl + 1, over: false };
      at += n;
      if (at - from > limit) return { at, over: true };
    }
    return { at: size, over: false };
  };
  let start = 0;
  for (let index = 0; start < size; index++) {
    const cut = Math.min(size, start + chunkSize(start, size, index, threads));
    const next = cut < size ? nextLine(cut, maxLine) : { at: size, over: false };
    if (!next.over) {
      yield { start, end: next.at };
      start = next.at;
      continue;
    }
    // The line crossing `cut` is too long: the whole lines before it, then it, unread.
    let lineStart = start;
    for (let at = cut; at > start; ) {
      const from = Math.max(start, at - probe.length);
      const n = readSync(fd, probe, 0, at - from, from);
      const nl = probe.subarray(0, n).lastIndexOf(10);
      if (nl !== -1) {
        lineStart = from + nl + 1;
        break;
      }
      at = from;
    }
    if (lineStart > start) yield { start, end: lineStart };
    const end = nextLine(next.at, Infinity).at;
    yield { start: lineStart, end, tooLong: true };
    start = end;
  }
}

/** Read buffers, reused: each its own ArrayBuffer, so it can be transferred to a worker and back without a copy. */
const spare: ArrayBuffer[] = [];

function readRange(fd: number, start: number, end: number): Buffer {
  const need = end - start;
  let ab: ArrayBuffer | undefined;
  while (spare.length && !ab) {
    const b = spare.pop()!;
    if (b.byteLength >= need) ab = b;
  }
  const buf = Buffer.from(ab ?? new ArrayBuffer(Math.max(need, CHUNK + 64 * 1024)), 0, need);
  let read = 0;
  while (read < buf.length) {
    const n = readSync(fd, buf, read, buf.length - read, start + read);
    if (n === 0) break;
    read += n;
  }
  return read === buf.length ? buf : buf.subarray(0, read);
}

/** Keep a chunk's buffer for the next read (a few at most). */
function recycle(bytes: Uint8Array): void {
  if (spare.length < 8) spare.push(bytes.buffer as ArrayBuffer);
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) n++;
  return n;
}

/** Jobs queued per worker: one to work on and two waiting, so it does not idle while the main thread validates a chunk and writes output (with two, it did: measured in CPU profiles). */
const DEPTH = 3;

/** Worker threads kept for a whole run (several files share them); started on first use. */
export class WorkerPool {
  readonly workers: Worker[] = [];
  readonly ready: Worker[] = [];
  failure?: Error;
  private listeners = new Set<() => void>();
  /** Per worker, what to do with each result it still owes, in order. */
  private queues = new Map<Worker, ((r: ChunkResult) => void)[]>();

  /** `mainShare: false` keeps every chunk on the workers (tests use it to be sure they ran). */
  constructor(private readonly planFile: string, readonly size: number, readonly opts: { mainShare?: boolean } = {}) {}

  start(): void {
    if (this.workers.length) return;
    for (let i = 0; i < this.size; i++) {
      const w = new Worker(workerUrl(), { workerData: { planFile: this.planFile } satisfies WorkerSetup });
      const queue: ((r: ChunkResult) => void)[] = [];
      this.queues.set(w, queue);
      w.on('message', (m: 'ready' | WorkerReply) => {
        if (m === 'ready') this.ready.push(w);
        else {
          if (m.bytes) recycle(m.bytes);
          queue.shift()?.(typeof m.result === 'string' ? (JSON.parse(m.result) as ChunkResult) : m.result);
        }
        this.notify();
      });
      w.on('error', (err) => {
        this.failure = err;
        this.notify();
      });
      this.workers.push(w);
    }
  }

  /** Whether a ready worker can take another job. */
  get open(): boolean {
    return this.ready.some((w) => this.queues.get(w)!.length < DEPTH);
  }

  /** Send a job to the ready worker with the fewest jobs; false when all are full. */
  send(job: ChunkJob, done: (r: ChunkResult) => void): boolean {
    let best: Worker | undefined;
    for (const w of this.ready) if (this.queues.get(w)!.length < DEPTH && (!best || this.queues.get(w)!.length < this.queues.get(best)!.length)) best = w;
    if (!best) return false;
    this.queues.get(best)!.push(done);
    best.postMessage(job, job.bytes ? [job.bytes.buffer as ArrayBuffer] : []);
    return true;
  }

  /** Resolves at the next message or failure. */
  next(): Promise<void> {
    return new Promise((res) => this.listeners.add(res));
  }

  private notify(): void {
    const ls = [...this.listeners];
    this.listeners.clear();
    for (const l of ls) l();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export interface ChunkRunOptions {
  options: ValidateOptions;
  keepText: boolean;
  maxLine?: number;
  render?: RenderSpec;
}

/** Validate one NDJSON file in chunks, with the pool's workers when given; chunk results in file order. */
export async function* validateChunks(plan: CompiledPlan, file: string, size: number, pool: WorkerPool | undefined, o: ChunkRunOptions): AsyncGenerator<ChunkResult> {
  const maxLine = o.maxLine ?? DEFAULT_MAX_LINE;
  const fd = openSync(file, 'r');
  try {
    const cuts = boundaries(fd, size, maxLine, (pool?.size ?? 0) + 1);
    const done = new Map<number, ChunkResult>();
    const lookahead = (DEPTH + 1) * ((pool?.size ?? 0) + 1) + 1;
    let nextId = 0;
    let emitted = 0;
    let line = 1;
    let exhausted = false;
    const nextJob = (): ChunkJob | undefined => {
      if (exhausted) return undefined;
      const c = cuts.next();
      if (c.done) {
        exhausted = true;
        return undefined;
      }
      const { start, end, tooLong } = c.value;
      const bytes = tooLong ? undefined : readRange(fd, start, end);
      const job: ChunkJob = { id: nextId++, bytes, offset: start, line, source: file, options: o.options, keepText: o.keepText, maxLine, render: o.render };
      line += bytes ? countLines(bytes) : 1;
      return job;
    };
    for (;;) {
      if (pool?.failure) throw pool.failure;
      const r = done.get(emitted);
      if (r) {
        done.delete(emitted);
        emitted++;
        yield r;
        continue;
      }
      if (exhausted && emitted >= nextId) break;
      // Ready workers take the next chunks; the main thread takes one itself when none is idle.
      let job: ChunkJob | undefined;
      while (pool && nextId - emitted < lookahead && !exhausted && pool.open) {
        job = nextJob();
        if (!job) break;
        if (!pool.send(job, (res) => done.set(res.id, res))) throw new Error('no idle worker');
        job = undefined;
      }
      const mainShare = !pool || pool.opts.mainShare !== false;
      if (mainShare && nextId - emitted < lookahead && !exhausted && (job = nextJob())) {
        done.set(job.id, validateChunk(plan, job));
        if (job.bytes) recycle(job.bytes);
        // Let finished workers' messages in before deciding again, and output drain (an async
        // stdout holds what it has not written yet).
        await new Promise((res) => setImmediate(res));
        continue;
      }
      if (done.has(emitted) || (exhausted && emitted >= nextId)) continue;
      if (!pool) throw new Error('chunk lost');
      await pool.next();
    }
  } finally {
    closeSync(fd);
  }
}
