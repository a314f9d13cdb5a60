/**
 * Bytes to batches, in linear time and bounded memory: lines are cut on raw bytes (a long line is
 * kept as a list of chunks, never re-scanned or re-concatenated), checked as UTF-8 before decoding
 * (no silent U+FFFD), capped at `maxLine` bytes, and parsed with a nesting limit, so every output
 * format sees the same values and the same errors. docs/input.md.
 */
import { constants, isUtf8 } from 'node:buffer';

/** Default `--max-line`: the longest line (or single JSON document) read whole. */
export const DEFAULT_MAX_LINE = 256 * 1024 * 1024;
/** The longest text V8 can hold (a line is at least as many bytes as characters). */
export const MAX_LINE_LIMIT = constants.MAX_STRING_LENGTH;
/** Arrays and objects nested deeper than this are an input error (as Jackson's default; real batches nest < 10). */
export const MAX_DEPTH = 1000;

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

export function tooLongMessage(maxLine: number): string {
  return `line longer than ${formatBytes(maxLine)} (--max-line); it is not read`;
}

/** One line of a file: its bytes, or the fact that it was longer than the limit. */
export type RawLine =
  | { line: number; offset: number; bytes: Buffer }
  | { line: number; offset: number; tooLong: true };

/** Cuts a byte stream into lines (LF or CRLF); lines over `maxLine` bytes are dropped as they grow. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private length = 0;
  private skipping = false;
  private line = 1;
  private offset = 0;
  private lineStart = 0;

  constructor(private readonly maxLine: number) {}

  *push(chunk: Buffer): Generator<RawLine> {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.skipping) {
        if (this.length + (end - pos) > this.maxLine) {
          this.skipping = true;
          this.parts = [];
          this.length = 0;
          yield { line: this.line, offset: this.lineStart, tooLong: true };
        } else if (end > pos) {
          this.parts.push(chunk.subarray(pos, end));
          this.length += end - pos;
        }
      }
      this.offset += end - pos;
      if (nl === -1) break;
      if (!this.skipping) yield { line: this.line, offset: this.lineStart, bytes: this.take() };
      this.skipping = false;
      this.line++;
      this.offset++;
      this.lineStart = this.offset;
      pos = nl + 1;
    }
  }

  /** The last line, when the input does not end with a newline. */
  *end(): Generator<RawLine> {
    if (!this.skipping && this.length > 0) yield { line: this.line, offset: this.lineStart, bytes: this.take() };
  }

  private take(): Buffer {
    let b = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    if (b.length > 0 && b[b.length - 1] === 13) b = b.subarray(0, b.length - 1);
    return b;
  }
}

/** Offset of the first ill-formed UTF-8 sequence (its first byte), or -1. */
export function badUtf8(b: Buffer): number {
  if (isUtf8(b)) return -1;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    // Unicode's table of well-formed sequences: the second byte's range depends on the first.
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/** Why bytes cannot be read as UTF-8 text: the offset named in the file, and a hint for UTF-16. */
export function utf8Message(b: Buffer, at: number, fileOffset: number): string {
  const hex = b.subarray(at, at + 4).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  const utf16 = fileOffset + at === 0 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) ? ' (the file is UTF-16; save it as UTF-8)' : '';
  return `invalid UTF-8 at byte offset ${fileOffset + at} (bytes ${hex})${utf16}; batches are UTF-8 JSON`;
}

/** Whether an array or object nests deeper than `max` (`v` is one, at `depth`). Leaves are skipped inline: most values are. */
function tooDeep(v: object, depth: number, max: number): boolean {
  if (depth >= max) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const c: unknown = v[i];
      if (c !== null && typeof c === 'object' && tooDeep(c, depth + 1, max)) return true;
    }
    return false;
  }
  for (const k in v) {
    const c = (v as Record<string, unknown>)[k];
    if (c !== null && typeof c === 'object' && tooDeep(c, depth + 1, max)) return true;
  }
  return false;
}

/**
 * `{` and `[` characters in the text, counted up to just past MAX_DEPTH: an upper bound on its nesting
 * depth (brackets inside strings count too). Counting with indexOf is about three times cheaper than
 * walking the parsed value, and almost every batch has far fewer than MAX_DEPTH of them.
 */
function openers(text: string): number {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n <= MAX_DEPTH; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n <= MAX_DEPTH; i = text.indexOf('[', i + 1)) n++;
  return n;
}

/** Character offset where nesting first goes past `max` in JSON text (strings skipped), or -1. */
export function depthOffset(text: string, max = MAX_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) {
      if (++depth > max) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

export const DEPTH_MESSAGE = `arrays and objects nested deeper than ${MAX_DEPTH} levels; the batch is not read`;

/**
 * Parse one JSON text with the nesting limit. `offset` locates the problem: where nesting went too
 * deep, or undefined for a syntax error (the caller locates it: with deep nesting, the depth wins).
 */
export function parseNested(text: string): { value: unknown } | { error: string; offset?: number } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const at = depthOffset(text);
    return at >= 0 ? { error: DEPTH_MESSAGE, offset: at } : { error: 'syntax' };
  }
  if (value !== null && typeof value === 'object' && text.length > 2 * MAX_DEPTH && openers(text) > MAX_DEPTH && tooDeep(value, 0, MAX_DEPTH)) {
    return { error: DEPTH_MESSAGE, offset: Math.max(0, depthOffset(text)) };
  }
  return { value };
}
