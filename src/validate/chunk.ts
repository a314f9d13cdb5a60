/**
 * One piece of an NDJSON file, whole lines, validated in one go: by the main thread or by a worker
 * thread, with the same code, so every `--jobs` setting gives the same bytes. Lines are checked as
 * readBatches checks them (lines.ts): UTF-8 named by byte offset, `--max-line`, nesting limit.
 */
import { isUtf8 } from 'node:buffer';
import { jsonError, lineColumn } from '../plan/index.js';
import { createRenderer, type RenderSpec, type Renderer } from '../report/render.js';
import { badUtf8, parseNested, tooLongMessage, utf8Message } from './lines.js';
import type { BatchResult, CompiledPlan, ValidateOptions } from './plan.js';
import { VIOLATION_CODES, type ViolationCode } from './violation.js';

export const EXPECTED = 'a batch object, an array of batches, or one batch per line';

export interface ChunkJob {
  id: number;
  /** The chunk's bytes (whole lines); absent for a line longer than `maxLine`, which is not read. */
  bytes?: Uint8Array;
  /** Byte offset of the chunk in the file, and the number of its first line. */
  offset: number;
  line: number;
  /** The name results carry. */
  source: string;
  options: ValidateOptions;
  keepText: boolean;
  maxLine: number;
  /** Render results as text (the reporter takes them as they are) rather than return them. */
  render?: RenderSpec;
}

export interface ChunkItem {
  line: number;
  bulk: boolean;
  result: BatchResult;
  text?: string;
}

export interface ChunkError {
  /** How many of the chunk's batches come before it. */
  after: number;
  line: number;
  column: number;
  message: string;
}

export interface ChunkResult {
  id: number;
  /** Batches in the chunk. */
  count: number;
  /** With `render`: each batch's rendering (text before and after its index); else the results. */
  rendered?: ([string] | [string, string])[];
  items?: ChunkItem[];
  /** With `render`: the chunk's part of the summary (see `addCounts`). */
  counts?: ChunkCounts;
  errors: ChunkError[];
}

/** What a summary counts of its batches: a whole run's `Summary`, or one chunk's part of it (plain data, posted by workers). */
export interface BatchCounts {
  batches: number;
  events: number;
  validated_batches: number;
  not_validated_batches: number;
  violation_count: number;
  violations: Record<ViolationCode, number>;
  input_errors: number;
}

/** A chunk's counts, with its unusable batches (a batch-level input error makes the run exit 2). */
export interface ChunkCounts extends BatchCounts {
  unusable: number;
}

export function emptyCounts(): ChunkCounts {
  return {
    // The order of a summary's fields in JSON output.
    batches: 0, validated_batches: 0, not_validated_batches: 0, events: 0, violation_count: 0,
    violations: Object.fromEntries(VIOLATION_CODES.map((c) => [c, 0])) as Record<ViolationCode, number>, input_errors: 0, unusable: 0,
  };
}

/** Count one batch's result; true when the batch itself was unusable (an input error not tied to an event). */
export function tally(c: BatchCounts, r: BatchResult): boolean {
  c.batches++;
  c.events += r.event_count;
  if (r.validated) c.validated_batches++;
  else c.not_validated_batches++;
  for (const v of r.violations) c.violations[v.violation]++;
  c.violation_count += r.violations.length;
  c.input_errors += r.errors.length;
  return r.errors.some((e) => e.event_index === null);
}

/** Add a chunk's counts to a summary; returns the chunk's unusable batches. */
export function addCounts(s: BatchCounts, c: ChunkCounts): number {
  s.batches += c.batches;
  s.events += c.events;
  s.validated_batches += c.validated_batches;
  s.not_validated_batches += c.not_validated_batches;
  s.violation_count += c.violation_count;
  s.input_errors += c.input_errors;
  for (const code of VIOLATION_CODES) s.violations[code] += c.violations[code];
  return c.unusable;
}

const renderers = new Map<string, Renderer>();

function rendererFor(spec: RenderSpec): Renderer {
  const key = JSON.stringify(spec);
  let r = renderers.get(key);
  if (!r) renderers.set(key, (r = createRenderer(spec)));
  return r;
}

export function validateChunk(plan: CompiledPlan, job: ChunkJob): ChunkResult {
  const out: ChunkResult = { id: job.id, count: 0, errors: [] };
  const render = job.render ? rendererFor(job.render) : undefined;
  const counts = render ? emptyCounts() : undefined;
  if (render) out.rendered = [];
  else out.items = [];
  const fail = (line: number, column: number, message: string) => out.errors.push({ after: out.count, line, column, message });
  if (!job.bytes) {
    fail(job.line, 1, tooLongMessage(job.maxLine));
    return out;
  }
  const buf = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const clean = isUtf8(buf);
  const size = buf.length;
  let start = 0;
  let line = job.line - 1;
  while (start < size) {
    let nl = buf.indexOf(10, start);
    if (nl === -1) nl = size;
    line++;
    const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    const at = start;
    start = nl + 1;
    if (end - at > job.maxLine) {
      fail(line, 1, tooLongMessage(job.maxLine));
      continue;
    }
    if (!clean) {
      const bytes = buf.subarray(at, end);
      const bad = badUtf8(bytes);
      if (bad >= 0) {
        fail(line, bytes.subarray(0, bad).toString('utf8').length + 1, utf8Message(bytes, bad, job.offset + at));
        continue;
      }
    }
    let text = buf.toString('utf8', at, end);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') continue;
    const r = parseNested(text);
    if (!('value' in r)) {
      if (r.offset !== undefined) fail(line, lineColumn(text, r.offset).column, r.error);
      else {
        const e = jsonError(text, job.source, EXPECTED, line - 1);
        fail(e.line ?? line, e.column ?? 1, e.message);
      }
      continue;
    }
    const bulk = Array.isArray(r.value);
    const batches = bulk ? (r.value as unknown[]) : [r.value];
    for (const b of batches) {
      const result = plan.validateBatch(b, job.options);
      out.count++;
      if (render) {
        if (tally(counts!, result)) counts!.unusable++;
        out.rendered!.push(render({ source: job.source, line, result }));
      } else {
        const bad = result.violations.length > 0 || result.errors.length > 0;
        out.items!.push({ line, bulk, result, ...(job.keepText && bad ? { text } : {}) });
      }
    }
  }
  if (counts) out.counts = counts;
  return out;
}
