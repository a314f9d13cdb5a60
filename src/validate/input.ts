/**
 * Read batches from files or stdin: one JSON document (a batch or a bulk array of batches), or
 * NDJSON streamed line by line in constant memory. A bad line is reported and the rest still read.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InputError, jsonError } from '../plan/index.js';

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
}

export type ReadItem = BatchItem | { source: string; error: InputError };

function parseError(_err: unknown, text: string, source: string, lineOffset: number): InputError {
  return jsonError(text, source, 'a batch object, an array of batches, or one batch per line', lineOffset);
}

/** Yield the batches of one source. `source` is a path, or `-` for `stream`. */
export async function* readBatches(source: string, stream?: Readable, opts: ReadOptions = {}): AsyncGenerator<ReadItem> {
  let input: Readable;
  try {
    input = stream ?? createReadStream(source);
  } catch (err) {
    yield { source, error: new InputError(`cannot read: ${(err as Error).message}`, source) };
    return;
  }
  const name = source === '-' ? '<stdin>' : source;
  // An .ndjson/.jsonl file is one batch per line from the start: a bad first line is just a bad line.
  let mode: 'unknown' | 'lines' | 'document' = /\.(ndjson|jsonl)$/i.test(source) ? 'lines' : 'unknown';
  let doc: string[] = [];
  let pending = '';
  let lineNo = 0;
  let index = 0;
  let firstLine = 0;

  function* emit(value: unknown, text: string, line: number, layout: 'document' | 'lines'): Generator<ReadItem> {
    const bulk = Array.isArray(value);
    const arr = bulk ? value : [value];
    for (const b of arr) yield { source: name, index: index++, batch: b, line, layout, bulk, ...(opts.keepText ? { text } : {}) };
  }

  function* onLine(line: string): Generator<ReadItem> {
    lineNo++;
    if (mode === 'document') {
      doc.push(line);
      return;
    }
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      if (mode === 'unknown') {
        // Not one JSON value per line: a pretty-printed document.
        mode = 'document';
        firstLine = lineNo;
        doc = [line];
        return;
      }
      yield { source: name, error: parseError(err, line, name, lineNo - 1) };
      return;
    }
    mode = 'lines';
    yield* emit(value, line, lineNo, 'lines');
  }

  try {
    input.setEncoding?.('utf8');
    for await (const chunk of input as AsyncIterable<string>) {
      let text = pending + chunk;
      if (lineNo === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      let start = 0;
      for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
        const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield* onLine(text.slice(start, end));
        start = nl + 1;
      }
      pending = text.slice(start);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    yield { source: name, error: new InputError(`cannot read: ${why}`, name) };
    return;
  }
  if (pending !== '') yield* onLine(pending.replace(/\r$/, ''));
  const finalMode = mode as 'unknown' | 'lines' | 'document';
  if (finalMode === 'document') {
    const text = doc.join('\n');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield { source: name, error: parseError(err, text, name, firstLine - 1) };
      return;
    }
    yield* emit(value, text, firstLine, 'document');
  } else if (finalMode === 'unknown') {
    yield { source: name, error: new InputError('empty input (expected a batch object, an array of batches, or one batch per line)', name) };
  }
}
