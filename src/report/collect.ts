/** Formats that need everything before they can print (JUnit, SARIF) collect entries here. */
import type { InputError } from '../plan/index.js';
import type { Reporter, ResultEntry, RunInfo, Summary } from './types.js';

export interface Collected {
  info: RunInfo;
  entries: ResultEntry[];
  inputErrors: InputError[];
  summary: Summary;
}

export function collectingReporter(done: (c: Collected) => void): Reporter {
  let info: RunInfo;
  const entries: ResultEntry[] = [];
  const inputErrors: InputError[] = [];
  return {
    start(i) {
      info = i;
    },
    result(e) {
      // Keep only what the formats print: clean batches need no text.
      entries.push(e.result.violations.length || e.result.errors.length ? e : { ...e, text: undefined });
    },
    inputError(e) {
      inputErrors.push(e);
    },
    end(summary) {
      done({ info, entries, inputErrors, summary });
    },
  };
}
