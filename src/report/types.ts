import type { InputError } from '../plan/index.js';
import type { PlanProblem } from '../plan/types.js';
import type { BatchResult } from '../validate/plan.js';
import type { ViolationCode } from '../validate/violation.js';

/** One batch's outcome, as every output format sees it. */
export interface ResultEntry {
  source: string;
  /** 0-based index of the batch in its source. */
  batch: number;
  /** 1-based line of the batch in its source. */
  line?: number;
  /** The batch's JSON text, when kept, to locate pointers. */
  text?: string;
  result: BatchResult;
}

export interface Summary {
  sources: number;
  /** Sources that held no batch (`[]`, blank lines): each gets a "no batches" notice. */
  empty_sources: number;
  batches: number;
  validated_batches: number;
  not_validated_batches: number;
  events: number;
  violation_count: number;
  violations: Record<ViolationCode, number>;
  /** Malformed events, batches or files. */
  input_errors: number;
  plan_errors: number;
  plan_warnings: number;
  exit_code: number;
}

export interface RunInfo {
  planFile: string;
  planId?: string;
  planName?: string;
  /** Explicit --version, if any. */
  version?: number;
  problems: PlanProblem[];
}

export interface Reporter {
  start(info: RunInfo): void;
  result(entry: ResultEntry): void;
  inputError(err: InputError): void;
  end(summary: Summary): void;
}

/**
 * Where a format prints. `closed` (when the sink can tell) says nobody reads any more, e.g. a pipe
 * into `head` that has exited: formatting work can stop then.
 */
export type Write = ((s: string) => void) & { closed?: () => boolean };
