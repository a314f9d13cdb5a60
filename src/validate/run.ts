/** A validation run: sources in, reporter out, an exit code CI can rely on. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { glob } from 'tinyglobby';
import { InputError, isObject } from '../plan/index.js';
import type { Reporter, Summary } from '../report/types.js';
import { BlockFile, applyBlocking, planBlockOutput } from './block.js';
import { readBatches, uniqueFiles, type BatchItem, type ReadItem } from './input.js';
import { PARALLEL_MIN_BYTES, defaultJobs, isLineFile, validateParallel } from './parallel.js';
import type { BatchResult, CompiledPlan, ValidateOptions } from './plan.js';
import { VIOLATION_CODES, type ViolationCode } from './violation.js';

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
  /** Worker threads for large NDJSON files (default: one per core; 1 = never). */
  jobs?: number;
  /** Fail the run (exit 1) when a batch was not validated or a source held no batch. */
  failOnSkip?: boolean;
  /** The longest line (or single JSON document) read, in bytes (default 256 MB). */
  maxLine?: number;
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

/** Paths under the working directory are shown relative to it. */
/** Items of one source: read and validated here, or by worker threads for big NDJSON files. */
type Validated = Omit<BatchItem, 'batch'> & { result: BatchResult };

async function* itemsOf(file: string, o: RunOptions): AsyncGenerator<ReadItem | Validated> {
  const jobs = o.jobs ?? defaultJobs();
  let size = 0;
  try {
    size = file === '-' ? 0 : statSync(file).size;
  } catch {
    /* readBatches reports it */
  }
  // Threads pay off on big NDJSON files; an explicit --jobs asks for them whatever the size.
  if (jobs > 1 && !o.blockOut && isLineFile(file) && (size >= PARALLEL_MIN_BYTES || o.jobs !== undefined) && existsSync(o.plan.file)) {
    for await (const it of validateParallel(o.plan.file, file, { version: o.version, force: o.force, strictTypes: o.strictTypes }, jobs, o.keepText === true, o.maxLine)) {
      if ('error' in it) yield { source: file, error: it.error };
      else yield { source: file, index: it.index, line: it.line, layout: 'lines', bulk: it.bulk, result: it.result, text: it.text };
    }
    return;
  }
  yield* readBatches(file, file === '-' ? (o.stdin ?? process.stdin) : undefined, { keepText: o.keepText || Boolean(o.blockOut), maxLine: o.maxLine });
}

function display(p: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
}

export function emptySummary(): Summary {
  return {
    sources: 0, empty_sources: 0, batches: 0, validated_batches: 0, not_validated_batches: 0, events: 0, violation_count: 0,
    violations: Object.fromEntries(VIOLATION_CODES.map((c) => [c, 0])) as Record<ViolationCode, number>,
    input_errors: 0, plan_errors: 0, plan_warnings: 0, exit_code: 0,
  };
}

/**
 * Count one batch's result into the summary. True when the batch itself was unusable (not even an
 * object): that is unusable input; a malformed event is a data problem.
 */
export function tally(summary: Summary, result: BatchResult): boolean {
  summary.batches++;
  summary.events += result.event_count;
  if (result.validated) summary.validated_batches++;
  else summary.not_validated_batches++;
  for (const v of result.violations) summary.violations[v.violation]++;
  summary.violation_count += result.violations.length;
  summary.input_errors += result.errors.length;
  return result.errors.some((e) => e.event_index === null);
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
  for (const file of files) {
    summary.sources++;
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
      const result = 'result' in item ? item.result : plan.validateBatch(item.batch, o);
      if (tally(summary, result)) unusable++;
      reporter.result({ source: item.source, batch: item.index, line: item.line, text: o.keepText ? item.text : undefined, result });
      if (blockOut && 'batch' in item && isObject(item.batch)) {
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
  }
  summary.exit_code = exitCode(summary, unusable, o.failOnSkip);
  reporter.end(summary);
  return summary;
}
