/**
 * The capture file: NDJSON, one record per accepted batch, appended before the batch is acknowledged.
 * Writes are grouped: records that arrive while a write is in flight go out together in the next one.
 */
import { open, type FileHandle } from 'node:fs/promises';
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

export class CaptureWriter {
  private queue: { line: string; n: number; done: (err?: Error) => void }[] = [];
  private writing = false;
  private closed = false;
  records = 0;

  private constructor(readonly file: string, private readonly handle: FileHandle) {}

  /** Open for appending (created if missing; an existing capture is continued, never truncated). */
  static async open(file: string): Promise<CaptureWriter> {
    return new CaptureWriter(file, await open(file, 'a'));
  }

  /** Resolves once the records are written to the file; rejects if the write fails. */
  append(records: CaptureRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new CaptureError(`capture file ${this.file} is closed`));
    let line = '';
    for (const r of records) line += JSON.stringify(r) + '\n';
    return new Promise((resolve, reject) => {
      this.queue.push({ line, n: records.length, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      try {
        await this.handle.appendFile(group.map((g) => g.line).join(''));
        for (const g of group) {
          this.records += g.n;
          g.done();
        }
      } catch (err) {
        const e = new CaptureError(`cannot write capture file ${this.file}: ${(err as Error).message}`);
        for (const g of group) g.done(e);
      }
    }
    this.writing = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await new Promise((r) => setTimeout(r, 5));
    await this.handle.close();
  }
}

export type CaptureItem =
  | { line?: number; index: number; record?: CaptureRecord; batch: unknown }
  | { error: InputError };

/** Is this parsed line a capture record (rather than a bare batch)? */
export function isCaptureRecord(v: unknown): v is CaptureRecord {
  return isObject(v) && own(v, 'capture') !== undefined && own(v, 'batch') !== undefined;
}

/**
 * Read a capture file with the core's reader (line-numbered errors, constant memory). Lines that are
 * bare batches, or a batch file, are accepted too, so any recorded traffic can be replayed.
 */
export async function* readCapture(file: string): AsyncGenerator<CaptureItem> {
  for await (const item of readBatches(file)) {
    if ('error' in item) {
      yield { error: item.error };
      continue;
    }
    const v = item.batch;
    if (isCaptureRecord(v)) yield { line: item.line, index: item.index, record: v, batch: v.batch };
    else yield { line: item.line, index: item.index, batch: v };
  }
}
