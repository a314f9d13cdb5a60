/**
 * One input message in, one verdict out. The message is read as `validate` reads a file (a batch,
 * an array of batches, or NDJSON) and each batch's result is the object `validate --format json`
 * prints, so a verdict and a validate report of the same batches agree field for field.
 */
import { Readable } from 'node:stream';
import type { InputError } from '../plan/index.js';
import { jsonInputError, jsonResult } from '../report/json.js';
import type { BatchResult } from '../validate/index.js';
import { readBatches } from '../validate/input.js';
import type { InputMessage } from './transport.js';

/** What judges a batch, and names the plan it judged with. */
export interface Judge {
  validate(batch: unknown): BatchResult;
  /** The plan, as `validate --format json` names it, plus when this worker loaded it. */
  plan(): VerdictPlan;
}

export interface VerdictPlan {
  file: string;
  id: string | null;
  name: string | null;
  /** The pinned plan version, if any (each result names the version that judged it). */
  version: number | null;
  loaded_at: string;
}

export interface Verdict {
  stream: string;
  seq: number;
  subject: string;
  plan: VerdictPlan;
  results: Record<string, unknown>[];
  /** Why the message, or part of it, could not be read: as in `validate --format json` errors. */
  errors: Record<string, unknown>[];
}

export interface Judged {
  verdict: Verdict;
  /** The core's results, for counting. */
  batches: BatchResult[];
  inputErrors: InputError[];
}

const decoder = new TextDecoder();

type Item = { batch: unknown; line?: number } | { error: InputError };

/** Most messages are one line of JSON: judged right away. Undefined when the file reader must look. */
function oneLine(text: string): Item[] | undefined {
  if (text.includes('\n')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return (Array.isArray(value) ? value : [value]).map((batch) => ({ batch, line: 1 }));
}

function verdictOf(m: InputMessage, judge: Judge, items: Iterable<Item>): Judged {
  const results: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  const batches: BatchResult[] = [];
  const inputErrors: InputError[] = [];
  let index = 0;
  for (const item of items) {
    if ('error' in item) {
      inputErrors.push(item.error);
      errors.push(jsonInputError(item.error));
      continue;
    }
    const result = judge.validate(item.batch);
    batches.push(result);
    results.push(jsonResult({ source: m.id, batch: index++, line: item.line, result }));
  }
  return { verdict: { stream: m.stream, seq: m.seq, subject: m.subject, plan: judge.plan(), results, errors }, batches, inputErrors };
}

/**
 * Judge one message: synchronously when it is one line of JSON (so a worker can judge a burst of
 * messages and send their verdicts together), else through the file reader, for the same errors.
 */
export function judgeMessage(m: InputMessage, judge: Judge): Judged | Promise<Judged> {
  const text = decoder.decode(m.data);
  const items = oneLine(text);
  if (items) return verdictOf(m, judge, items);
  return (async () => {
    const read: Item[] = [];
    for await (const item of readBatches(m.id, Readable.from([text]))) read.push(item);
    return verdictOf(m, judge, read);
  })();
}
