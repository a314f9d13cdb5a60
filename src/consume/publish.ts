/**
 * Feed a stream from files: each NDJSON line becomes one message as written (a batch or an array
 * of batches), each batch of a JSON document its own message. Files are read as `validate` reads
 * them, line by line, with a bounded number of messages awaiting the server's ack: constant memory.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../plan/index.js';
import { readBatches } from '../validate/input.js';
import { expandSources } from '../validate/run.js';
import type { Feed } from './transport.js';

export interface PublishOptions {
  sources: string[];
  stdin?: Readable;
  /** Messages awaiting the server's ack, at most. */
  window?: number;
  onError: (err: InputError) => void;
}

export interface PublishTotals {
  files: number;
  messages: number;
  batches: number;
  events: number;
  input_errors: number;
}

const encoder = new TextEncoder();

function eventCount(batch: unknown): number {
  const events = (batch as { events?: unknown } | null)?.events;
  return Array.isArray(events) ? events.length : 0;
}

export async function publishFiles(feed: Feed, o: PublishOptions, totals: PublishTotals = { files: 0, messages: 0, batches: 0, events: 0, input_errors: 0 }): Promise<PublishTotals> {
  const window = o.window ?? 256;
  const pending = new Set<Promise<void>>();
  let failure: Error | undefined;
  const send = async (data: Uint8Array, batches: unknown[]) => {
    if (failure) throw failure;
    const p: Promise<void> = feed.send(data).then(
      () => {
        totals.messages++;
        totals.batches += batches.length;
        for (const b of batches) totals.events += eventCount(b);
      },
      (err: Error) => {
        failure ??= err;
      },
    ).finally(() => pending.delete(p));
    pending.add(p);
    if (pending.size >= window) await Promise.race(pending);
  };
  const error = (e: InputError) => {
    totals.input_errors++;
    o.onError(e);
  };

  const { files, errors } = await expandSources(o.sources);
  errors.forEach(error);
  for (const file of files) {
    totals.files++;
    // A line holding an array of batches is one message; its batches arrive one by one with the same line.
    let line: { at: number; text: string; batches: unknown[] } | undefined;
    const flushLine = async () => {
      if (!line) return;
      const l = line;
      line = undefined;
      const data = encoder.encode(l.text);
      if (data.length <= feed.maxPayload) return send(data, l.batches);
      // Too big for one message: its batches go one by one.
      for (const b of l.batches) await sendBatch(b, l.at);
    };
    const sendBatch = async (batch: unknown, at: number | undefined) => {
      const data = encoder.encode(JSON.stringify(batch));
      if (data.length > feed.maxPayload) error(new InputError(`batch of ${data.length} bytes is larger than the server's ${feed.maxPayload}-byte message limit`, file === '-' ? '<stdin>' : file, undefined, at, 1));
      else await send(data, [batch]);
    };
    for await (const item of readBatches(file, file === '-' ? (o.stdin ?? process.stdin) : undefined, { keepText: true })) {
      if ('error' in item) {
        error(item.error);
        continue;
      }
      if (item.layout === 'lines') {
        if (line && line.at !== item.line) await flushLine();
        if (line) line.batches.push(item.batch);
        else line = { at: item.line ?? 0, text: item.text ?? JSON.stringify(item.batch), batches: [item.batch] };
      } else await sendBatch(item.batch, item.line);
    }
    await flushLine();
  }
  await Promise.all(pending);
  if (failure) throw failure;
  return totals;
}
