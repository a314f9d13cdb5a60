/** Worker thread for parallel validation: compiles the plan once, then validates NDJSON chunks it is sent. */
import { openSync, readSync, closeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { jsonError } from '../plan/index.js';
import { loadPlan } from './plan.js';
import type { ChunkJob, ChunkResult, WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const plan = loadPlan(setup.planFile);

function lineError(text: string, line: number): { line: number; column: number; message: string } {
  const e = jsonError(text, '', 'one batch per line');
  return { line, column: e.column ?? 1, message: e.message };
}

parentPort!.on('message', (job: ChunkJob) => {
  const fd = openSync(job.file, 'r');
  const buf = Buffer.allocUnsafe(job.end - job.start);
  let read = 0;
  while (read < buf.length) {
    const n = readSync(fd, buf, read, buf.length - read, job.start + read);
    if (n === 0) break;
    read += n;
  }
  closeSync(fd);
  const text = buf.toString('utf8', 0, read);
  const out: ChunkResult = { id: job.id, lines: 0, items: [], errors: [] };
  let start = 0;
  let line = 0;
  while (start < text.length) {
    let nl = text.indexOf('\n', start);
    if (nl === -1) nl = text.length;
    line++;
    const raw = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
    start = nl + 1;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      out.errors.push(lineError(raw, line));
      continue;
    }
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
