/** Worker thread for parallel validation: compiles the plan once, then validates NDJSON chunks it is sent. */
import { openSync, readSync, closeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isUtf8 } from 'node:buffer';
import { jsonError, lineColumn } from '../plan/index.js';
import { badUtf8, parseNested, tooLongMessage, utf8Message } from './lines.js';
import { loadPlan } from './plan.js';
import type { ChunkJob, ChunkResult, WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const plan = loadPlan(setup.planFile);

function lineError(text: string, line: number): { line: number; column: number; message: string } {
  const e = jsonError(text, '', 'one batch per line');
  return { line, column: e.column ?? 1, message: e.message };
}

parentPort!.on('message', (job: ChunkJob) => {
  if (job.tooLong) {
    parentPort!.postMessage(JSON.stringify({ id: job.id, lines: 1, items: [], errors: [{ line: 1, column: 1, message: tooLongMessage(job.maxLine) }] } satisfies ChunkResult));
    return;
  }
  const fd = openSync(job.file, 'r');
  const buf = Buffer.allocUnsafe(job.end - job.start);
  let read = 0;
  while (read < buf.length) {
    const n = readSync(fd, buf, read, buf.length - read, job.start + read);
    if (n === 0) break;
    read += n;
  }
  closeSync(fd);
  const out: ChunkResult = { id: job.id, lines: 0, items: [], errors: [] };
  // The same checks as the one-thread reader (lines.ts): UTF-8 named by byte offset, nesting limit.
  const clean = isUtf8(buf.subarray(0, read));
  let start = 0;
  let line = 0;
  while (start < read) {
    let nl = buf.indexOf(10, start);
    if (nl === -1 || nl >= read) nl = read;
    line++;
    const bytes = buf.subarray(start, nl > start && buf[nl - 1] === 13 ? nl - 1 : nl);
    const offset = job.start + start;
    start = nl + 1;
    if (bytes.length > job.maxLine) {
      out.errors.push({ line, column: 1, message: tooLongMessage(job.maxLine) });
      continue;
    }
    const bad = clean ? -1 : badUtf8(bytes);
    if (bad >= 0) {
      out.errors.push({ line, column: bytes.subarray(0, bad).toString('utf8').length + 1, message: utf8Message(bytes, bad, offset) });
      continue;
    }
    let raw = bytes.toString('utf8');
    if (offset === 0 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    if (raw.trim() === '') continue;
    const r = parseNested(raw);
    if (!('value' in r)) {
      out.errors.push(r.offset !== undefined ? { line, column: lineColumn(raw, r.offset).column, message: r.error } : lineError(raw, line));
      continue;
    }
    const value = r.value;
    const batches = Array.isArray(value) ? value : [value];
    for (const b of batches) {
      const result = plan.validateBatch(b, job.options);
      const bad = result.violations.length > 0 || result.errors.length > 0;
      out.items.push({ line, bulk: Array.isArray(value), result, ...(job.keepText && bad ? { text: raw } : {}) });
    }
  }
  out.lines = line;
  // One string is cheaper to hand over than a graph of result objects (structured clone).
  parentPort!.postMessage(JSON.stringify(out));
});
