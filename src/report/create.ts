/** The reporter for an output format name (what `--format` takes). */
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { prettyReporter } from './pretty.js';
import { sarifReporter } from './sarif.js';
import type { Reporter, Write } from './types.js';

export const FORMATS = ['pretty', 'json', 'junit', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface ReporterOptions {
  color?: boolean;
  block?: boolean;
  quiet?: boolean;
  /** The tool version SARIF names (default: package.json's). */
  version?: string;
  /** What paths in SARIF and annotations are relative to (default: the process's). */
  cwd?: string;
}

export function createReporter(format: Format, write: Write, opts: ReporterOptions): Reporter {
  const cwd = opts.cwd ?? process.cwd();
  const r = format === 'json' ? jsonReporter(write)
    : format === 'junit' ? junitReporter(write, { cwd })
      : format === 'sarif' ? sarifReporter(write, { cwd, version: opts.version })
        : format === 'github' ? githubReporter(write, { cwd })
          : prettyReporter(write, opts.color === true, { block: opts.block, quiet: opts.quiet });
  return write.closed ? untilClosed(r, write.closed) : r;
}

/** Once nobody reads the output (`| head`), formatting it is wasted work: the run goes on silently for its exit code. */
function untilClosed(r: Reporter, closed: () => boolean): Reporter {
  return {
    start: (info) => void (closed() || r.start(info)),
    result: (e) => void (closed() || r.result(e)),
    inputError: (e) => void (closed() || r.inputError(e)),
    end: (s) => void (closed() || r.end(s)),
  };
}
