/** One JSON object: { plan, results: [...], errors: [...], summary }. Results stream out as they come. */
import type { InputError } from '../plan/index.js';
import { buffered } from './buffered.js';
import { joinRendering, createRenderer } from './render.js';
import type { Reporter, ResultEntry, RunInfo, Summary, Write } from './types.js';

export { jsonResult } from './render.js';

/** One unreadable input in `errors`. */
export function jsonInputError(err: InputError): Record<string, unknown> {
  return { kind: 'input', file: err.file, ...(err.line !== undefined ? { line: err.line, column: err.column } : {}), ...(err.pointer !== undefined ? { pointer: err.pointer } : {}), message: err.message };
}

export function jsonReporter(output: Write): Reporter {
  const { write, flush } = buffered(output);
  const render = createRenderer({ format: 'json' });
  let first = true;
  const errors: unknown[] = [];
  const rendered = (text: string) => {
    write((first ? '\n' : ',\n') + text);
    first = false;
  };
  return {
    render: { format: 'json' },
    start(info: RunInfo) {
      for (const p of info.problems) errors.push({ kind: 'plan', ...p });
      write(`{"plan":${JSON.stringify({ file: info.planFile, id: info.planId ?? null, name: info.planName ?? null, version: info.version ?? null })},"results":[`);
    },
    result(entry: ResultEntry) {
      rendered(joinRendering(render(entry), entry.batch));
    },
    rendered,
    inputError(err: InputError) {
      errors.push(jsonInputError(err));
    },
    end(summary: Summary) {
      write(`\n],"errors":${JSON.stringify(errors)},"summary":${JSON.stringify(summary)}}\n`);
      flush();
    },
  };
}
