/** A validation run: sources in, reporter out, an exit code CI can rely on. */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { glob } from 'tinyglobby';
import { InputError, isObject } from '../plan/index.js';
import type { Reporter, Summary } from '../report/types.js';
import { BlockFile, applyBlocking, planBlockOutput } from './block.js';
import { readBatches, uniqueFiles, type ReadItem } from './input.js';
import { addCounts, emptyCounts, tally, type ChunkResult } from './chunk.js';
import { WorkerPool, autoJobs, estimateCompileMs, isLineFile, validateChunks } from './parallel.js';
import type { BatchResult, CompiledPlan, ValidateOptions } from './plan.js';

export interface RunOptions extends ValidateOptions {
  plan: CompiledPlan;
  /** Paths, globs, directories, or `-` for stdin. */
  sources: string[];
  reporter: Reporter;
  stdin?: Readable;
  /** Keep batch text so reports can give line:column (SARIF, GitHub annotations). */
  keepText?: boolean;
  /** Write filtered batches (what blocking would leave) into this directory. */
  blockOut?: string;
  /** Threads for NDJSON files, the main thread included (default: from the input's size; 1 = no workers). */
  jobs?: number;
  /** Fail the run (exit 1) when a batch was not validated or a source held no batch. */
  failOnSkip?: boolean;
  /** The longest line (or single JSON document) read, in bytes (default 256 MB). */
  maxLine?: number;
  /** Worker threads started early (see `prestartPool`); the run uses them and closes them. */
  pool?: WorkerPool;
}

const DATA_FILES = '**/*.{json,ndjson,jsonl}';

/** Expand globs and directories; a pattern that matches nothing is an input error. */
export async function expandSources(sources: string[]): Promise<{ files: string[]; errors: InputError[] }> {
  const files: string[] = [];
  const errors: InputError[] = [];
  for (const s of sources) {
    if (s === '-') {
      files.push(s);
      continue;
    }
    let isDir = false;
    try {
      isDir = statSync(s).isDirectory();
    } catch {
      /* not a plain path: maybe a glob */
    }
    if (isDir) {
      const found = (await glob(DATA_FILES, { cwd: s, absolute: false })).sort().map((f) => display(join(s, f)));
      if (found.length === 0) errors.push(new InputError('directory contains no .json, .ndjson or .jsonl files', s));
      files.push(...found);
    } else if (/[*?[\]{}]/.test(s)) {
      const found = (await glob(s, { absolute: false })).sort();
      if (found.length === 0) errors.push(new InputError('no files match this pattern', s));
      files.push(...found);
    } else files.push(s);
  }
  return { files: uniqueFiles(files), errors };
}

/** Items of one source, read and validated here (chunked NDJSON files go through `chunksOf`). */
function itemsOf(file: string, o: RunOptions): AsyncGenerator<ReadItem> {
  return readBatches(file, file === '-' ? (o.stdin ?? process.stdin) : undefined, { keepText: o.keepText || Boolean(o.blockOut), maxLine: o.maxLine });
}

/** Size of an NDJSON file read in chunks, or undefined for a source read as a stream (stdin, --block, JSON, UTF-16, missing). */
function chunkable(file: string, o: RunOptions): number | undefined {
  if (file === '-' || o.blockOut || !isLineFile(file)) return undefined;
  try {
    const st = statSync(file);
    if (!st.isFile()) return undefined;
    // A UTF-16 file gets readBatches' one error for the whole file.
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(2);
    readSync(fd, head, 0, 2, 0);
    closeSync(fd);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return undefined;
    return st.size;
  } catch {
    return undefined;
  }
}

/**
 * Start worker threads before the plan is compiled (they compile their own copy meanwhile), when
 * the named NDJSON files are worth them; the plan's compile time is estimated from its size.
 */
export function prestartPool(planFile: string, sources: string[], o: { jobs?: number; blockOut?: string }): WorkerPool | undefined {
  if (o.blockOut || o.jobs === 1) return undefined;
  let bytes = 0;
  try {
    for (const s of sources) if (s !== '-' && isLineFile(s) && existsSync(s)) bytes += statSync(s).size;
    if (bytes === 0) return undefined;
    const asked = o.jobs !== undefined && Number.isFinite(o.jobs) ? Math.floor(o.jobs) : undefined;
    const jobs = asked ?? autoJobs(bytes, estimateCompileMs(statSync(planFile).size));
    if (jobs < 2) return undefined;
    const pool = new WorkerPool(planFile, jobs - 1);
    pool.start();
    return pool;
  } catch {
    return undefined;
  }
}

/** Paths under the working directory are shown relative to it. */
function display(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

export { tally };

export function emptySummary(): Summary {
  const { unusable: _, ...counts } = emptyCounts();
  return { sources: 0, empty_sources: 0, ...counts, plan_errors: 0, plan_warnings: 0, exit_code: 0 };
}

/**
 * 2: unusable input (plan errors, unreadable or malformed files/batches); 1: violations or malformed
 * events (or, with `failOnSkip`, input that was never judged); 0: clean.
 */
export function exitCode(s: Summary, batchErrors: number, failOnSkip = false): number {
  if (s.plan_errors > 0 || batchErrors > 0) return 2;
  if (failOnSkip && (s.not_validated_batches > 0 || s.empty_sources > 0)) return 1;
  return s.violation_count > 0 || s.input_errors > 0 ? 1 : 0;
}

/** The notice for a source that holds no batch at all (`[]`, or only blank lines). */
export function noBatches(plan?: { readonly id?: string }): BatchResult {
  return {
    validated: false, reason: 'no_batches', notice: 'no batches: the input holds no batch (an empty array, or only blank lines); nothing was validated',
    plan_id: plan?.id ?? null, plan_version: null, event_count: 0, not_validated_events: [], violations: [], errors: [],
  };
}

export async function runValidation(o: RunOptions): Promise<Summary> {
  const { plan, reporter } = o;
  const summary = emptySummary();
  summary.plan_errors = plan.problems.filter((p) => p.severity === 'error').length;
  summary.plan_warnings = plan.problems.length - summary.plan_errors;
  const { files, errors } = await expandSources(o.sources);
  // Refused before any output: a copy that would replace an input, a link in the --out folder.
  const blockOut = o.blockOut ? planBlockOutput(o.blockOut, files) : undefined;
  reporter.start({ planFile: plan.file, planId: plan.id, planName: plan.name, version: o.version, problems: plan.problems });
  let unusable = 0;
  for (const e of errors) {
    reporter.inputError(e);
    summary.input_errors++;
    unusable++;
  }
  const sizes = new Map<string, number>();
  for (const f of files) {
    const n = chunkable(f, o);
    if (n !== undefined) sizes.set(f, n);
  }
  // Threads: as many as asked, or as the input's size is worth (the main thread is one of them).
  let bytes = 0;
  for (const n of sizes.values()) bytes += n;
  const asked = o.jobs !== undefined && Number.isFinite(o.jobs) ? Math.floor(o.jobs) : undefined;
  const jobs = Math.max(1, asked ?? autoJobs(bytes, plan.compileMs));
  let pool = o.pool;
  if (!pool && jobs > 1 && sizes.size > 0 && existsSync(plan.file)) pool = new WorkerPool(plan.file, jobs - 1);
  if (sizes.size === 0) {
    await pool?.close();
    pool = undefined;
  }
  pool?.start();
  try {
    for (const file of files) {
      summary.sources++;
      const size = sizes.get(file);
      if (size !== undefined) {
        let items = 0;
        const base = { next: 0 };
        const render = reporter.render && reporter.rendered ? reporter.render : undefined;
        for await (const r of validateChunks(plan, file, size, pool, { options: { version: o.version, force: o.force, strictTypes: o.strictTypes }, keepText: o.keepText === true, maxLine: o.maxLine, render })) {
          items += r.count + r.errors.length;
          unusable += emitChunk(r, file, base, summary, reporter, render !== undefined, o.keepText === true);
        }
        if (items === 0) {
          summary.empty_sources++;
          reporter.result({ source: file, batch: 0, result: noBatches(plan) });
        }
        continue;
      }
      unusable += await readSource(file, o, summary, blockOut);
    }
  } finally {
    await pool?.close();
  }
  summary.exit_code = exitCode(summary, unusable, o.failOnSkip);
  reporter.end(summary);
  return summary;
}

/** Report one chunk's batches and errors in file order; `base.next` is the index of the source's next batch. Returns the chunk's unusable count. */
function emitChunk(r: ChunkResult, file: string, base: { next: number }, summary: Summary, reporter: Reporter, rendered: boolean, keepText: boolean): number {
  let unusable = 0;
  let e = 0;
  const error = (i: number) => {
    for (; e < r.errors.length && r.errors[e].after <= i; e++) {
      const er = r.errors[e];
      reporter.inputError(new InputError(er.message, file, undefined, er.line, er.column));
      summary.input_errors++;
      unusable++;
    }
  };
  if (rendered) {
    unusable += addCounts(summary, r.counts!);
    const parts = r.rendered!;
    for (let i = 0; i < parts.length; i++) {
      error(i);
      const p = parts[i];
      const index = base.next++;
      reporter.rendered!(p.length === 1 ? p[0] : p[0] + index + p[1]);
    }
  } else {
    const items = r.items!;
    for (let i = 0; i < items.length; i++) {
      error(i);
      const it = items[i];
      if (tally(summary, it.result)) unusable++;
      reporter.result({ source: file, batch: base.next++, line: it.line, text: keepText ? it.text : undefined, result: it.result });
    }
  }
  error(Infinity);
  return unusable;
}

/** One source read as a stream of batches; returns its unusable count. */
async function readSource(file: string, o: RunOptions, summary: Summary, blockOut: ReturnType<typeof planBlockOutput> | undefined): Promise<number> {
  const { plan, reporter } = o;
  let unusable = 0;
  let out: { file: BlockFile; lines: boolean; bulk: boolean; items: unknown[] } | undefined;
  let items = 0;
  for await (const item of itemsOf(file, o)) {
    items++;
    if ('error' in item) {
      reporter.inputError(item.error);
      summary.input_errors++;
      unusable++;
      continue;
    }
    const result = plan.validateBatch(item.batch, o);
    if (tally(summary, result)) unusable++;
    reporter.result({ source: item.source, batch: item.index, line: item.line, text: o.keepText ? item.text : undefined, result });
    if (blockOut && isObject(item.batch)) {
      out ??= { file: new BlockFile(blockOut.targets.get(file)!, blockOut.root), lines: item.layout === 'lines', bulk: item.bulk, items: [] };
      const filtered = result.validated ? applyBlocking(item.batch, result.violations).batch : item.batch;
      if (out.lines) await out.file.write(JSON.stringify(filtered) + '\n');
      else out.items.push(filtered);
    }
  }
  if (items === 0) {
    // Every input is named in the output, even one with nothing in it.
    summary.empty_sources++;
    reporter.result({ source: file === '-' ? '<stdin>' : file, batch: 0, result: noBatches(plan) });
  }
  if (out) {
    if (!out.lines) out.file.write(JSON.stringify(out.bulk ? out.items : out.items[0], null, 2) + '\n');
    await out.file.close();
  }
  return unusable;
}
