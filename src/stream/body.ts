/** Request bodies: read within size, time and memory limits, decompress, parse as JSON whatever the content type says. */
import { isAscii, isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { brotliDecompress, gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import { lineColumn } from '../plan/index.js';
import { DEFAULT_LIMITS } from './limits.js';
import { arraySpans, isSpace } from './spans.js';
import type { RejectReason } from './types.js';

export const DEFAULT_MAX_BODY = DEFAULT_LIMITS.maxBody;

export class BodyError extends Error {
  constructor(readonly status: number, readonly reason: RejectReason, message: string) {
    super(message);
  }
}

/** `4mb`, `512kb`, `1gb`, `1000000` → bytes. */
export function parseSize(s: string | number): number {
  if (typeof s === 'number') return s;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|kib|mb|m|mib|gb|g|gib)?\s*$/i.exec(s);
  if (!m) throw new Error(`"${s}" is not a size (expected e.g. 4mb, 512kb or a number of bytes)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

export function formatSize(n: number): string {
  if (n >= 1024 ** 3 && n % 1024 ** 3 === 0) return `${n / 1024 ** 3} GB`;
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/**
 * Bytes of request bodies held at once, all requests together. Each request takes a lease, grows it
 * as its body arrives, and gives it back when it is answered (the parsed batches live until then).
 */
export class Inflight {
  used = 0;
  constructor(readonly limit: number) {}

  lease(): Lease {
    let held = 0;
    return {
      limit: this.limit,
      add: (n: number) => {
        if (this.used + n > this.limit) return false;
        this.used += n;
        held += n;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

export interface Lease {
  readonly limit: number;
  /** Take `n` more bytes; false (nothing taken) if that would pass the limit. */
  add(n: number): boolean;
  release(): void;
}

export const busy = (limit: number) => new BodyError(503, 'busy', `the receiver is busy: ${formatSize(limit)} of request bodies are being read; try again shortly`);

export interface ReadOptions {
  /** Largest body, before and after decompression. */
  limit: number;
  /** Cut the body with 408 when no byte arrives for this long (ms). */
  stallMs?: number;
  lease?: Lease;
}

const tooLarge = (limit: number) => new BodyError(413, 'too_large', `request body is larger than the limit of ${formatSize(limit)} (raise it with --max-body)`);

function collect(req: IncomingMessage, o: ReadOptions): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.limit) return Promise.reject(tooLarge(o.limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const stall = o.stallMs ? setTimeout(() => finish(new BodyError(408, 'timeout', `request body stalled: no data for ${o.stallMs! / 1000} s`)), o.stallMs) : undefined;
    const finish = (err?: BodyError) => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      if (err) {
        // Nothing more of this body is wanted; the answer closes the connection.
        req.resume();
        reject(err);
      } else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      stall?.refresh();
      size += chunk.length;
      if (size > o.limit) return finish(tooLarge(o.limit));
      if (o.lease && !o.lease.add(chunk.length)) return finish(busy(o.lease.limit));
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = (e: Error) => finish(new BodyError(400, 'bad_request', `request body: ${e.message}`));
    const onClose = () => finish(new BodyError(400, 'bad_request', 'the client closed the connection before the body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** Read the whole body within `o.limit` bytes (before and after decompression). */
export async function readBody(req: IncomingMessage, o: ReadOptions): Promise<Buffer> {
  const raw = await collect(req, o);
  const enc = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  const unzip = enc === 'gzip' || enc === 'x-gzip' ? gunzip : enc === 'deflate' ? inflate : enc === 'br' ? brotliDecompress : undefined;
  if (!unzip) throw new BodyError(415, 'bad_request', `unsupported Content-Encoding "${enc}" (expected gzip, deflate or br)`);
  let out: Buffer;
  try {
    out = await new Promise<Buffer>((resolve, reject) => {
      (unzip as (b: InputType, o: ZlibOptions, cb: (e: Error | null, r: Buffer) => void) => void)(raw, { maxOutputLength: o.limit }, (e, r) => (e ? reject(e) : resolve(r)));
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test((err as Error).message)) throw tooLarge(o.limit);
    throw new BodyError(400, 'bad_request', `cannot decode ${enc} body: ${(err as Error).message}`);
  }
  if (o.lease && !o.lease.add(out.length)) throw busy(o.lease.limit);
  return out;
}

/** 64-bit ids sent as bare JSON numbers would lose digits in JSON.parse; keep them as strings. */
const BIG_IDS = /"(mpid|previous_mpid|event_id|session_id)"(\s*):(\s*)(-?\d{16,})(?=\s*[,}\]])/g;

const ID_KEYS = ['"mpid"', '"previous_mpid"', '"event_id"', '"session_id"'];
const isDigit = (c: number) => c >= 48 && c <= 57;

/**
 * Every id `BIG_IDS` quotes ends in `id"` and is followed by a bare run of 16 digits: one scan that
 * finds none (most bodies) rules them all out.
 */
const BARE_LONG_ID = /id"\s*:\s*-?\d{16}/;

/** Is one of those ids a bare number of 16 digits or more? */
function bareBigId(text: string): boolean {
  if (!BARE_LONG_ID.test(text)) return false;
  for (const key of ID_KEYS) {
    for (let i = text.indexOf(key); i >= 0; i = text.indexOf(key, i + 1)) {
      let j = i + key.length;
      while (isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 0x3a) continue;
      j++;
      while (isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 0x2d) j++;
      let n = 0;
      while (isDigit(text.charCodeAt(j + n))) n++;
      if (n >= 16) return true;
    }
  }
  return false;
}

/** Where in the text a JSON.parse error happened, as line:column. */
function at(text: string, msg: string): string {
  const m = /position (\d+)/.exec(msg);
  if (!m) return '';
  const { line, column } = lineColumn(text, Number(m[1]));
  return ` at line ${line}, column ${column}`;
}

/** Parse a body as JSON (SDKs send JSON as text/plain too). */
export function parseJsonBody(buf: Buffer): unknown {
  return parseJsonText(buf).value;
}

/** The parsed body, and whether a big id had to be quoted (the value then differs from the bytes). */
function parseJsonText(buf: Buffer, ascii = isAscii(buf)): { value: unknown; quoted: boolean } {
  // ASCII (most bodies) reads as Latin-1, a plain copy; anything else is decoded as UTF-8.
  let text = ascii ? buf.toString('latin1') : buf.toString('utf8');
  let quoted = false;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new BodyError(400, 'malformed_json', 'empty request body (expected a JSON batch object or an array of batches)');
  if (text.length > 30 && bareBigId(text)) {
    text = text.replace(BIG_IDS, (m, k, a, b, n) => {
      if (Number.isSafeInteger(Number(n))) return m;
      quoted = true;
      return `"${k}"${a}:${b}"${n}"`;
    });
  }
  try {
    return { value: JSON.parse(text), quoted };
  } catch (err) {
    const msg = (err as Error).message;
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/ \(line \d+ column \d+\)$/, '');
    throw new BodyError(400, 'malformed_json', `malformed JSON${at(text, msg)}: ${reason.slice(0, 200)} (expected a batch object or an array of batches)`);
  }
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** A body is one batch object or an array of batch objects. */
export function batchesOf(body: unknown): Record<string, unknown>[] {
  if (Array.isArray(body)) {
    if (body.length === 0) throw new BodyError(400, 'bad_request', 'empty array: expected at least one batch');
    const bad = body.findIndex((b) => b === null || typeof b !== 'object' || Array.isArray(b));
    if (bad >= 0) throw new BodyError(400, 'bad_request', `element ${bad} of the array is ${kindOf(body[bad])}: expected batch objects`);
    return body as Record<string, unknown>[];
  }
  if (body !== null && typeof body === 'object') return [body as Record<string, unknown>];
  throw new BodyError(400, 'bad_request', `body is ${kindOf(body)}, expected a batch object or an array of batches`);
}

export interface ParsedBody {
  batches: Record<string, unknown>[];
  /** Bytes of each batch as sent. */
  sizes: number[];
  /** Bytes of the whole (decoded) body. */
  bytes: number;
  /**
   * Each batch's own bytes, when they parse to exactly the batch and fit on one line: the capture
   * writes them as they are instead of serialising the batch again. Absent (or an absent entry): serialise.
   */
  raw?: (Buffer | undefined)[];
}

function eventCount(batches: Record<string, unknown>[]): number {
  let n = 0;
  for (const b of batches) if (Array.isArray(b.events)) n += b.events.length;
  return n;
}

const tooManyBatches = (n: string, max: number) =>
  new BodyError(413, 'too_large', `${n} batches in one request: the platform accepts at most ${max} per request (POST /v2/bulkevents); send them in several requests`);

/**
 * What one request may make the receiver judge: at most `maxBatches` batches and `maxEvents` events
 * (a 4 MB body of empty events would cost seconds). `bytes`: the body's size, shared among the batches
 * when their own sizes are not known.
 */
export function bounded(batches: Record<string, unknown>[], bytes: number, maxBatches: number, maxEvents: number, sizes?: number[]): ParsedBody {
  if (batches.length > maxBatches) throw tooManyBatches(String(batches.length), maxBatches);
  const events = eventCount(batches);
  if (events > maxEvents) {
    throw new BodyError(413, 'too_large', `${events} events in one request: the receiver judges at most ${maxEvents} at once (--max-events; the platform's 256 KB request limit holds far fewer); send them in several requests`);
  }
  const known = sizes && sizes.length === batches.length ? sizes : batches.length === 1 ? [bytes] : batches.map(() => Math.ceil(bytes / batches.length));
  return { batches, sizes: known, bytes };
}


/** `buf[start, end)` without surrounding whitespace, if it is one JSON object on one line. */
function oneLineObject(buf: Buffer, start: number, end: number): Buffer | undefined {
  while (start < end && isSpace(buf[start])) start++;
  while (end > start && isSpace(buf[end - 1])) end--;
  if (buf[start] !== 0x7b || buf[end - 1] !== 0x7d) return undefined;
  const slice = buf.subarray(start, end);
  // Inside valid JSON a line break can only be whitespace, but a capture record must stay one line.
  return slice.includes(0x0a) || slice.includes(0x0d) ? undefined : slice;
}

/** Parse a body into batches, refusing more than `maxBatches` before building any of them. */
export function parseBatches(buf: Buffer, maxBatches: number, maxEvents = Number.POSITIVE_INFINITY): ParsedBody {
  const spans = arraySpans(buf, maxBatches);
  if (spans.kind === 'array' && (spans.more || spans.sizes.length > maxBatches)) {
    throw tooManyBatches(spans.more ? `more than ${maxBatches}` : String(spans.sizes.length), maxBatches);
  }
  const ascii = isAscii(buf);
  const { value, quoted } = parseJsonText(buf, ascii);
  const parsed = bounded(batchesOf(value), buf.length, maxBatches, maxEvents, spans.kind === 'array' ? spans.sizes : undefined);
  // Invalid UTF-8 was read as U+FFFD and a quoted id is a string now: the bytes are not the batch.
  if (quoted || !(ascii || isUtf8(buf))) return parsed;
  if (spans.kind === 'single') parsed.raw = [oneLineObject(buf, buf[0] === 0xef ? 3 : 0, buf.length)];
  else if (spans.starts.length === parsed.batches.length) parsed.raw = spans.starts.map((s, i) => oneLineObject(buf, s, s + spans.sizes[i]));
  return parsed;
}
