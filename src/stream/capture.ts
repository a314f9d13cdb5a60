/**
 * The capture file: NDJSON, one record per accepted batch, made durable before the batch is
 * acknowledged. Writes are grouped (records that arrive while groups are being written and synced go
 * out together in the next; see `inFlight`), each group is durable before it is acknowledged
 * (written through an O_DSYNC handle, or followed by `fdatasync`). A torn tail (a crash, a full disk)
 * is cut before anything else is appended, and kept in `FILE.torn`, so every line parses. A capture
 * file deleted or replaced while running is noticed, made again, and the unacknowledged group rewritten.
 */
import { constants, statSync } from 'node:fs';
import { appendFile, open, type FileHandle } from 'node:fs/promises';
import { isObject, own, type InputError } from '../plan/index.js';
import type { BatchResult } from '../validate/index.js';
import { readBatches } from '../validate/input.js';
import type { AppInfo, NotTranslated, Source } from './types.js';

/** Format version of a capture record; bump when a field changes meaning. */
export const CAPTURE_VERSION = 1;

/** One line of a capture file. */
export interface CaptureRecord {
  capture: typeof CAPTURE_VERSION;
  batch_id: number;
  received_at: string;
  endpoint: string;
  source: Source;
  api_key?: string;
  /** Platform size limits this batch passes (accepted here, refused by mParticle). */
  warnings?: string[];
  /** The core's verdict when the batch arrived (plan id and version that judged it, violations with messages). */
  result: BatchResult;
  /** The batch exactly as parsed (for a mobile upload: its Events API translation, judged as `result`). */
  batch: unknown;
  /** A translated upload as it was sent, with its app and what the translation did not carry. */
  raw?: unknown;
  app?: AppInfo;
  not_translated?: NotTranslated[];
}

/** The capture could not be written: the batch is not accepted. */
export class CaptureError extends Error {
  override name = 'CaptureError';
}

/** What the writer needs of an open file (a `FileHandle`); tests wrap one to fail part-way. */
export type CaptureHandle = Pick<FileHandle, 'write' | 'read' | 'datasync' | 'truncate' | 'stat' | 'close'>;

/** The file system calls the writer makes; tests pass their own to simulate a full disk. */
export interface CaptureFs {
  open(file: string): Promise<CaptureHandle>;
  identity(file: string): Promise<{ dev: number; ino: number } | undefined>;
  appendFile(file: string, data: Buffer): Promise<void>;
  /**
   * A write through a handle `open` gave is durable when it returns (the file is opened O_DSYNC), so a
   * group needs no `fdatasync` of its own. Absent or false: each group is synced after it is written.
   */
  syncedWrites?: boolean;
}

/**
 * O_DSYNC where the platform has it (Linux, macOS): each group is then one durable write instead of a
 * write and an `fdatasync`, one trip through libuv's thread pool fewer. On the Live Stream bench this
 * took receiver CPU down and throughput up by 5–10 % (three interleaved pairs of runs).
 */
const DSYNC = constants.O_DSYNC ?? 0;

export const nodeCaptureFs: CaptureFs = {
  syncedWrites: DSYNC !== 0,
  open: (file) => open(file, constants.O_RDWR | constants.O_CREAT | DSYNC, 0o644),
  async identity(file) {
    try {
      // Synchronous on purpose: asked once a group, it is one stat of a path whose inode is cached (microseconds), while
      // a trip through libuv's thread pool cost the receiver's main thread more (a thread wake-up each way).
      const s = statSync(file);
      return { dev: s.dev, ino: s.ino };
    } catch {
      return undefined;
    }
  },
  appendFile: (file, data) => appendFile(file, data),
};

const NL = 0x0a;
/**
 * Groups on their way to disk at once, each acknowledged in order. With a write and an `fdatasync` per
 * group, two: the next group is written while the one before syncs, so a batch waits for about one
 * sync, not one and a half. With O_DSYNC a group is one durable write, and one at a time did better:
 * the groups are larger, so each batch costs the main thread less (Live Stream bench, five interleaved
 * pairs of runs: 52,600–58,200 events/s against 48,300–53,800 with two).
 */
function inFlight(fs: CaptureFs): number {
  return fs.syncedWrites ? 1 : 2;
}

type Group = { parts: Array<string | Uint8Array>; n: number; done: (err?: Error) => void }[];
type Outcome = 'ok' | 'moved' | Error;

async function readAt(h: CaptureHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(end - start);
  let off = 0;
  while (off < buf.length) {
    const { bytesRead } = await h.read(buf, off, buf.length - off, start + off);
    if (bytesRead === 0) break;
    off += bytesRead;
  }
  return buf.subarray(0, off);
}

/** Where the line that ends just before `end` starts (the byte after the previous newline, or 0). */
async function lineStart(h: CaptureHandle, end: number): Promise<number> {
  const CHUNK = 64 * 1024;
  for (let hi = end; hi > 0; hi -= CHUNK) {
    const lo = Math.max(0, hi - CHUNK);
    const i = (await readAt(h, lo, hi)).lastIndexOf(NL);
    if (i >= 0) return lo + i + 1;
  }
  return 0;
}

function parses(buf: Buffer): boolean {
  try {
    JSON.parse(buf.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

/**
 * How much of a file of `size` bytes is whole lines: the unterminated tail that does not parse (a write
 * cut short) and lines of NUL bytes (blocks a crash left unwritten) are not. `newline`: the kept text
 * ends in a complete line without its newline (a file made by hand).
 */
async function wholeLines(h: CaptureHandle, size: number): Promise<{ keep: number; newline: boolean }> {
  let keep = size;
  let newline = false;
  if (size > 0 && (await readAt(h, size - 1, size))[0] !== NL) {
    const start = await lineStart(h, size);
    const tail = await readAt(h, start, size);
    if (!tail.includes(0) && parses(tail)) newline = true;
    else keep = start;
  }
  while (keep > 0 && !newline) {
    const start = await lineStart(h, keep - 1);
    if (!(await readAt(h, start, keep - 1)).includes(0)) break;
    keep = start;
  }
  return { keep, newline };
}

/**
 * Buffers of groups that landed, for the next groups (a new one each time cost an allocation of tens of
 * KB per group, on the receiver's busiest thread). Only a group whose write completed gives its buffer back.
 */
const spareBuffers: ArrayBuffer[] = [];

/** A group's pieces, whole lines, in one buffer. */
function join(group: Group): Buffer {
  let total = 0;
  for (const g of group) for (const p of g.parts) total += typeof p === 'string' ? Buffer.byteLength(p) : p.byteLength;
  let ab: ArrayBuffer | undefined;
  for (let i = 0; i < spareBuffers.length; i++) {
    if (spareBuffers[i].byteLength >= total) {
      ab = spareBuffers[i];
      spareBuffers.splice(i, 1);
      break;
    }
  }
  const buf = Buffer.from(ab ?? new ArrayBuffer(Math.max(total, 64 * 1024)), 0, total);
  let at = 0;
  for (const g of group) {
    for (const p of g.parts) {
      if (typeof p === 'string') at += buf.write(p, at);
      else {
        buf.set(p, at);
        at += p.byteLength;
      }
    }
  }
  return buf.subarray(0, at);
}

async function writeAll(h: CaptureHandle, buf: Buffer, position: number): Promise<void> {
  for (let off = 0; off < buf.length;) {
    const { bytesWritten } = await h.write(buf, off, buf.length - off, position + off);
    if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
    off += bytesWritten;
  }
}

export interface CaptureOptions {
  fs?: CaptureFs;
}

export class CaptureWriter {
  private queue: Group = [];
  /** Groups written or being written, oldest first, with where they start in the file. */
  private flying: { group: Group; buf: Buffer; at: number; outcome: Promise<Outcome> }[] = [];
  /** Where the next group is written: past every group in flight. */
  private written = 0;
  /** Something went wrong: groups go one at a time, the careful way, until it is sorted out. */
  private careful = false;
  private draining?: Promise<void>;
  private closed = false;
  private handle?: CaptureHandle;
  private id?: { dev: number; ino: number };
  /** Bytes of whole, synced records: the next record goes here. */
  private size = 0;
  /** A write failed part-way: the bytes past `size` must go before anything else is written. */
  private dirty = false;
  records = 0;
  /** Bytes cut from the end of the file and kept in `FILE.torn`. */
  tornBytes = 0;
  /** Times the file vanished (deleted, replaced) and was made again. */
  reopened = 0;
  /** Told about torn tails and vanished files (the receiver passes it on to viewers). */
  onNotice?: (text: string, level: 'info' | 'error') => void;
  /** What opening the file found, for the command to print. */
  recovered?: string;

  private constructor(readonly file: string, private readonly fs: CaptureFs) {}

  /** Open for appending (created if missing; an existing capture is continued, its torn tail cut). */
  static async open(file: string, o: CaptureOptions = {}): Promise<CaptureWriter> {
    const w = new CaptureWriter(file, o.fs ?? nodeCaptureFs);
    await w.openFile();
    return w;
  }

  get tornFile(): string {
    return `${this.file}.torn`;
  }

  private async openFile(): Promise<void> {
    const h = await this.fs.open(this.file);
    try {
      const st = await h.stat();
      const { keep, newline } = await wholeLines(h, st.size);
      if (keep < st.size) {
        const note = await this.cut(h, keep, st.size, 'ended in a torn line (a write cut short)');
        this.recovered = note;
      }
      this.size = keep;
      if (newline) {
        await writeAll(h, Buffer.from('\n'), keep);
        await h.datasync();
        this.size++;
      }
      this.written = this.size;
      this.id = { dev: st.dev, ino: st.ino };
      this.handle = h;
      this.dirty = false;
    } catch (err) {
      await h.close().catch(() => undefined);
      throw err;
    }
  }

  /** Move bytes [keep, end) into FILE.torn and truncate to `keep`. */
  private async cut(h: CaptureHandle, keep: number, end: number, why: string): Promise<string> {
    const torn = await readAt(h, keep, end);
    await this.fs.appendFile(this.tornFile, Buffer.concat([torn, Buffer.from('\n')]));
    await h.truncate(keep);
    await h.datasync();
    this.tornBytes += torn.length;
    return `capture file ${this.file} ${why}: moved its last ${torn.length} bytes to ${this.tornFile}`;
  }

  /** After a failed write: cut what it left past the last whole record. */
  private async recover(): Promise<void> {
    const h = this.handle!;
    const st = await h.stat();
    if (st.size > this.size) {
      try {
        // Cut first: `onNotice?.(await …)` would skip the cut itself when nobody listens.
        const notice = await this.cut(h, this.size, st.size, 'could not be written to the end');
        this.onNotice?.(notice, 'error');
      } catch {
        // No room even for FILE.torn: these bytes were never acknowledged, so dropping them loses nothing.
        await h.truncate(this.size);
        await h.datasync();
        this.tornBytes += st.size - this.size;
      }
    }
    this.dirty = false;
  }

  private async sameFile(): Promise<boolean> {
    const now = await this.fs.identity(this.file);
    return now !== undefined && now.dev === this.id!.dev && now.ino === this.id!.ino;
  }

  private async reopen(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    try {
      await this.openFile();
    } catch (err) {
      throw new CaptureError(`capture file ${this.file} disappeared and cannot be made again: ${(err as Error).message}`);
    }
    this.reopened++;
    this.onNotice?.(`capture file ${this.file} was deleted or replaced while running; writing to a new ${this.file} from now on (the ${this.records} batches captured before are not in it)`, 'error');
  }

  /** Write one group at the end of the whole records and make it durable; on failure leave the file as it was. */
  private async commit(buf: Buffer, attempt = 0): Promise<void> {
    if (!this.handle) await this.reopen();
    let outcome: Outcome;
    try {
      if (this.dirty) await this.recover();
      outcome = await this.fly(this.handle!, buf, this.size);
    } catch (err) {
      outcome = err as Error;
    }
    if (outcome instanceof Error) {
      this.dirty = true;
      await this.recover().catch(() => undefined);
      throw new CaptureError(`cannot write capture file ${this.file}: ${outcome.message}`);
    }
    this.size += buf.length;
    if (outcome === 'moved') {
      // The group went into a file nobody can see any more: write it again into a new one.
      if (attempt > 1) throw new CaptureError(`capture file ${this.file} keeps disappearing`);
      await this.reopen();
      await this.commit(buf, attempt + 1);
    }
  }

  /** Resolves once the records are written and synced to the file; rejects if they could not be. */
  append(records: object[]): Promise<void> {
    let text = '';
    for (const r of records) text += JSON.stringify(r) + '\n';
    return this.appendLines([text], records.length);
  }

  /** As `append`, for `n` records already encoded as whole lines, in pieces (text, and bytes as they are). */
  appendLines(parts: Array<string | Uint8Array>, n: number): Promise<void> {
    if (this.closed) return Promise.reject(new CaptureError(`capture file ${this.file} is closed`));
    return new Promise((resolve, reject) => {
      this.queue.push({ parts, n, done: (err) => (err ? reject(err) : resolve()) });
      this.launch();
    });
  }

  /** Start writing what is queued as one group, if a place is free and the file is in a known state. */
  private launch(): void {
    if (this.queue.length > 0 && this.flying.length < inFlight(this.fs) && this.handle && !this.dirty && !this.careful) {
      const group = this.queue;
      this.queue = [];
      const buf = join(group);
      const at = this.written;
      this.written += buf.length;
      this.flying.push({ group, buf, at, outcome: this.fly(this.handle, buf, at) });
    }
    this.draining ??= this.drain();
  }

  /** Write a group at `at` and sync it; and whether the file is still the one named (asked once the bytes are written). */
  private async fly(h: CaptureHandle, buf: Buffer, at: number): Promise<Outcome> {
    try {
      await writeAll(h, buf, at);
      const same = this.sameFile();
      same.catch(() => undefined);
      if (!this.fs.syncedWrites) await h.datasync();
      return (await same) ? 'ok' : 'moved';
    } catch (err) {
      return err as Error;
    }
  }

  private settle(group: Group, err?: unknown): void {
    if (err === undefined) {
      for (const g of group) {
        this.records += g.n;
        g.done();
      }
      return;
    }
    const e = err instanceof CaptureError ? err : new CaptureError(`cannot write capture file ${this.file}: ${(err as Error).message}`);
    for (const g of group) g.done(e);
  }

  /** Acknowledge groups in order as they land; anything unusual is handled one group at a time. */
  private async drain(): Promise<void> {
    for (;;) {
      const f = this.flying[0];
      if (!f) {
        if (this.queue.length === 0) break;
        // No file open, or a failed write to clean up: one group through `commit`, which sorts that out.
        const group = this.queue;
        this.queue = [];
        this.careful = true;
        try {
          await this.commit(join(group));
          this.settle(group);
        } catch (err) {
          this.settle(group, err);
        }
        this.careful = false;
        this.written = this.size;
        this.launch();
        continue;
      }
      const outcome = await f.outcome;
      this.flying.shift();
      if (outcome === 'ok') {
        this.size = f.at + f.buf.length;
        if (spareBuffers.length < 4) spareBuffers.push(f.buf.buffer as ArrayBuffer);
        this.settle(f.group);
        this.launch();
        continue;
      }
      // Let the later groups land, then write them again after this one is dealt with as before.
      this.careful = true;
      const later = this.flying.splice(0);
      await Promise.all(later.map((l) => l.outcome));
      this.queue = [...later.flatMap((l) => l.group), ...this.queue];
      try {
        if (outcome === 'moved') {
          // The group went into a file nobody can see any more: write it again into a new one.
          await this.reopen();
          await this.commit(f.buf, 1);
          this.settle(f.group);
        } else {
          this.dirty = true;
          await this.recover().catch(() => undefined);
          this.settle(f.group, new CaptureError(`cannot write capture file ${this.file}: ${outcome.message}`));
        }
      } catch (err) {
        this.settle(f.group, err);
      }
      this.careful = false;
      this.written = this.size;
      this.launch();
    }
    this.draining = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }
}

export type CaptureItem =
  | { line?: number; index: number; record?: CaptureRecord; batch: unknown }
  | { error: InputError }
  /** The last line ends without a newline and does not parse: a write cut short. A warning, not an error. */
  | { torn: InputError };

/** Is this parsed line a capture record (rather than a bare batch)? */
export function isCaptureRecord(v: unknown): v is CaptureRecord {
  return isObject(v) && own(v, 'capture') !== undefined && own(v, 'batch') !== undefined;
}

async function endsWithNewline(file: string): Promise<boolean> {
  let h: FileHandle | undefined;
  try {
    h = await open(file, 'r');
    const { size } = await h.stat();
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, size - 1);
    return b[0] === NL;
  } catch {
    return true;
  } finally {
    await h?.close();
  }
}

/**
 * Read a capture file with the core's reader (line-numbered errors, constant memory). Lines that are
 * bare batches, or a batch file, are accepted too, so any recorded traffic can be replayed. A torn
 * last line (line-per-batch files only) comes as `torn`, so the rest is judged as usual.
 */
export async function* readCapture(file: string): AsyncGenerator<CaptureItem> {
  const lineFile = /\.(ndjson|jsonl)$/i.test(file);
  let lines = false;
  let held: InputError | undefined;
  for await (const item of readBatches(file)) {
    if (held) yield { error: held };
    held = undefined;
    if ('error' in item) {
      held = item.error;
      continue;
    }
    lines ||= item.layout === 'lines';
    const v = item.batch;
    if (isCaptureRecord(v)) yield { line: item.line, index: item.index, record: v, batch: v.batch };
    else yield { line: item.line, index: item.index, batch: v };
  }
  if (!held) return;
  if ((lines || lineFile) && held.line !== undefined && !(await endsWithNewline(file))) yield { torn: held };
  else yield { error: held };
}
