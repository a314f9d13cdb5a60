/** One JSON object: { plan, results: [...], errors: [...], summary }. Results stream out as they come. */
import type { InputError } from '../plan/index.js';
import type { Reporter, ResultEntry, RunInfo, Summary, Write } from './types.js';

/** One batch in `results`: what `validate --format json` prints and `dataplan consume` publishes. */
export function jsonResult({ source, batch, line, result: r }: ResultEntry): Record<string, unknown> {
  return {
    source, batch, ...(line !== undefined ? { line } : {}),
    validated: r.validated, plan_version: r.plan_version,
    ...(r.notice ? { notice: r.notice, reason: r.reason } : {}),
    event_count: r.event_count, not_validated_events: r.not_validated_events,
    violations: r.violations, errors: r.errors,
  };
}

/** One unreadable input in `errors`. */
export function jsonInputError(err: InputError): Record<string, unknown> {
  return { kind: 'input', file: err.file, ...(err.line !== undefined ? { line: err.line, column: err.column } : {}), ...(err.pointer !== undefined ? { pointer: err.pointer } : {}), message: err.message };
}

export function jsonReporter(write: Write): Reporter {
  let first = true;
  const errors: unknown[] = [];
  return {
    start(info: RunInfo) {
      for (const p of info.problems) errors.push({ kind: 'plan', ...p });
      write(`{"plan":${JSON.stringify({ file: info.planFile, id: info.planId ?? null, name: info.planName ?? null, version: info.version ?? null })},"results":[`);
    },
    result(entry: ResultEntry) {
      write((first ? '\n' : ',\n') + JSON.stringify(jsonResult(entry)));
      first = false;
    },
    inputError(err: InputError) {
      errors.push(jsonInputError(err));
    },
    end(summary: Summary) {
      write(`\n],"errors":${JSON.stringify(errors)},"summary":${JSON.stringify(summary)}}\n`);
    },
  };
}
