/** Request bodies: read within a size limit, decompress, parse as JSON whatever the content type says. */
import type { IncomingMessage } from 'node:http';
import { brotliDecompress, gunzip, inflate, type InputType, type ZlibOptions } from 'node:zlib';
import { lineColumn } from '../plan/index.js';

export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

export class BodyError extends Error {
  constructor(readonly status: number, readonly reason: 'malformed_json' | 'too_large' | 'bad_request', message: string) {
    super(message);
  }
}

/** `4mb`, `512kb`, `1000000` → bytes. */
export function parseSize(s: string | number): number {
  if (typeof s === 'number') return s;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|kib|mb|m|mib)?\s*$/i.exec(s);
  if (!m) throw new Error(`"${s}" is not a size (expected e.g. 4mb, 512kb or a number of bytes)`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1;
  return Math.floor(Number(m[1]) * mult);
}

export function formatSize(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

const tooLarge = (limit: number) => new BodyError(413, 'too_large', `request body is larger than the limit of ${formatSize(limit)} (raise it with --max-body)`);

/** Read the whole body; stop at `limit` bytes (before or after decompression). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
  const enc = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  const unzip = enc === 'gzip' || enc === 'x-gzip' ? gunzip : enc === 'deflate' ? inflate : enc === 'br' ? brotliDecompress : undefined;
  if (!unzip) throw new BodyError(415, 'bad_request', `unsupported Content-Encoding "${enc}" (expected gzip, deflate or br)`);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      (unzip as (b: InputType, o: ZlibOptions, cb: (e: Error | null, r: Buffer) => void) => void)(raw, { maxOutputLength: limit }, (e, r) => (e ? reject(e) : resolve(r)));
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /larger than|maxOutputLength/i.test((err as Error).message)) throw tooLarge(limit);
    throw new BodyError(400, 'bad_request', `cannot decode ${enc} body: ${(err as Error).message}`);
  }
}

/** 64-bit ids sent as bare JSON numbers would lose digits in JSON.parse; keep them as strings. */
const BIG_IDS = /"(mpid|previous_mpid|event_id|session_id)"(\s*):(\s*)(-?\d{16,})(?=\s*[,}\]])/g;

/** Where in the text a JSON.parse error happened, as line:column. */
function at(text: string, msg: string): string {
  const m = /position (\d+)/.exec(msg);
  if (!m) return '';
  const { line, column } = lineColumn(text, Number(m[1]));
  return ` at line ${line}, column ${column}`;
}

/** Parse a body as JSON (SDKs send JSON as text/plain too). */
export function parseJsonBody(buf: Buffer): unknown {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new BodyError(400, 'malformed_json', 'empty request body (expected a JSON batch object or an array of batches)');
  if (text.length > 30 && /\d{16}/.test(text)) text = text.replace(BIG_IDS, (_m, k, a, b, n) => (Number.isSafeInteger(Number(n)) ? `"${k}"${a}:${b}${n}` : `"${k}"${a}:${b}"${n}"`));
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const reason = msg.replace(/ in JSON at position \d+.*$/, '').replace(/, "[\s\S]*" is not valid JSON$/, '').replace(/ \(line \d+ column \d+\)$/, '');
    throw new BodyError(400, 'malformed_json', `malformed JSON${at(text, msg)}: ${reason} (expected a batch object or an array of batches)`);
  }
}

/** A body is one batch or an array of batches. */
export function batchesOf(body: unknown): unknown[] {
  if (Array.isArray(body)) {
    if (body.length === 0) throw new BodyError(400, 'bad_request', 'empty array: expected at least one batch');
    return body;
  }
  if (body !== null && typeof body === 'object') return [body];
  throw new BodyError(400, 'bad_request', `body is ${body === null ? 'null' : typeof body}, expected a batch object or an array of batches`);
}
