/**
 * Read batches from files or stdin: one JSON document (a batch or a bulk array of batches), or
 * NDJSON streamed line by line in constant memory (see lines.ts for the limits). A bad line is
 * reported and the rest still read.
 */
import { createReadStream, realpathSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError, jsonError, lineColumn } from '../plan/index.js';
import { DEFAULT_MAX_LINE, LineSplitter, badUtf8, formatBytes, parseNested, tooLongMessage, utf8Message, type RawLine } from './lines.js';

export interface BatchItem {
  source: string;
  /** 0-based index of the batch within its source. */
  index: number;
  batch: unknown;
  /** 1-based line where the batch starts (NDJSON), for reports. */
  line?: number;
  /** The text of the document or line, kept only when asked (for locating pointers). */
  text?: string;
  /** How the source was written: one document, or one JSON value per line. */
  layout: 'document' | 'lines';
  /** The batch came from an array of batches (a bulk upload body). */
  bulk: boolean;
}

export interface ReadOptions {
  /** Keep each batch's text so reports can turn pointers into line:column. */
  keepText?: boolean;
  /** The longest line (or single JSON document) read, in bytes; default 256 MB. */
  maxLine?: number;
}

export type ReadItem = BatchItem | { source: string; error: InputError };

const EXPECTED = 'a batch object, an array of batches, or one batch per line';

/** Yield the batches of one source. `source` is a path, or `-` for `stream`. */
export async function* readBatches(source: string, stream?: Readable, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  const maxLine = opts.maxLine ?? DEFAULT_MAX_LINE;
  let input: Readable;
  try {
    input = stream ?? createReadStream(source, { highWaterMark: 1 << 20 });
  } catch (err) {
    yield { source, error: new InputError(`cannot read: ${(err as Error).message}`, source) };
    return;
  }
  const name = source === '-' ? '<stdin>' : source;
  let failed = false;
  const fail = (message: string, line?: number, column?: number): ReadItem => {
    failed = true;
    return { source: name, error: new InputError(message, name, undefined, line, column) };
  };
  // An .ndjson/.jsonl file is one batch per line from the start: a bad first line is just a bad line.
  let mode: 'unknown' | 'lines' | 'document' = /\.(ndjson|jsonl)$/i.test(source) ? 'lines' : 'unknown';
  /** A pretty-printed document: its lines, decoded; undefined once it cannot be read. */
  let doc: string[] | undefined = [];
  let docBytes = 0;
  let docLine = 0;
  let index = 0;
  let stop = false;

  function* emit(value: unknown, text: string, line: number, layout: 'document' | 'lines'): Generator<ReadItem> {
    const bulk = Array.isArray(value);
    const arr = bulk ? value : [value];
    for (const b of arr) yield { source: name, index: index++, batch: b, line, layout, bulk, ...(opts.keepText ? { text } : {}) };
  }

  function* onLine(raw: RawLine): Generator<ReadItem> {
    if (mode === 'document') {
      if (!doc) return;
      docBytes += ('bytes' in raw ? raw.bytes.length : maxLine) + 1;
      if (docBytes > maxLine) {
        doc = undefined;
        yield fail(`the JSON document from line ${docLine} is larger than ${formatBytes(maxLine)} (--max-line); it is not read (write one batch per line, NDJSON, or raise --max-line)`, docLine);
        return;
      }
    }
    if ('tooLong' in raw) {
      const whole = raw.line === 1 && mode === 'unknown' ? ' (no line break before it: the file is read as one line)' : '';
      yield fail(`${tooLongMessage(maxLine)}${whole}`, raw.line, 1);
      return;
    }
    const text = decode(raw);
    if (typeof text !== 'string') {
      if (mode === 'document') doc = undefined;
      yield text;
      return;
    }
    if (mode === 'document') {
      doc!.push(text);
      return;
    }
    if (text.trim() === '') return;
    const r = parseNested(text);
    if ('value' in r) {
      mode = 'lines';
      yield* emit(r.value, text, raw.line, 'lines');
    } else if (r.offset !== undefined) {
      mode = 'lines';
      const at = lineColumn(text, r.offset);
      yield fail(r.error, raw.line, at.column);
    } else if (mode === 'unknown') {
      // Not one JSON value per line: a pretty-printed document.
      mode = 'document';
      docLine = raw.line;
      docBytes = raw.bytes.length + 1;
      doc = [text];
    } else yield { source: name, error: jsonError(text, name, EXPECTED, raw.line - 1) };
  }

  /** A line's text, or the error for bytes that are not UTF-8 (named by their offset in the file). */
  function decode(raw: RawLine & { bytes: Buffer }): string | ReadItem {
    const bad = badUtf8(raw.bytes);
    // A UTF-16 file is not read line by line at all: one error says what it is.
    if (bad === 0 && raw.offset === 0 && (raw.bytes[0] === 0xff || raw.bytes[0] === 0xfe) && (raw.bytes[1] === 0xfe || raw.bytes[1] === 0xff)) stop = true;
    if (bad >= 0) return fail(utf8Message(raw.bytes, bad, raw.offset), raw.line, raw.bytes.subarray(0, bad).toString('utf8').length + 1);
    const text = raw.bytes.toString('utf8');
    return raw.line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  const lines = new LineSplitter(maxLine);
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      for (const raw of lines.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)) {
        yield* onLine(raw);
        if (stop) break;
      }
      if (stop) break;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    yield { source: name, error: new InputError(`cannot read: ${why}`, name) };
    return;
  }
  if (stop) {
    input.destroy();
    return;
  }
  for (const raw of lines.end()) yield* onLine(raw);
  const finalMode = mode as 'unknown' | 'lines' | 'document';
  if (finalMode === 'document' && doc) {
    const text = doc.join('\n');
    const r = parseNested(text);
    if ('value' in r) yield* emit(r.value, text, docLine, 'document');
    else if (r.offset !== undefined) {
      const at = lineColumn(text, r.offset);
      yield fail(r.error, at.line + docLine - 1, at.column);
    } else yield { source: name, error: jsonError(text, name, EXPECTED, docLine - 1) };
  } else if (finalMode === 'unknown' && !failed) {
    yield { source: name, error: new InputError(`empty input (expected ${EXPECTED})`, name) };
  }
}

/**
 * Each file once: a path named twice, a symlink to a file also listed, or a directory reached again
 * through a symlink loop is read the first time only (the first name is the one reported).
 */
export function uniqueFiles(files: string[]): string[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    let key = f;
    try {
      if (f !== '-') key = realpathSync(f);
    } catch {
      // Missing or unreadable: readBatches reports it under the name given.
    }
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
