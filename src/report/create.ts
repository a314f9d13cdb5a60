/** The reporter for an output format name (what `--format` takes). */
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { prettyReporter } from './pretty.js';
import { sarifReporter } from './sarif.js';
import type { Reporter, Write } from './types.js';

export const FORMATS = ['pretty', 'json', 'junit', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export function createReporter(format: Format, write: Write, opts: { color?: boolean; block?: boolean; quiet?: boolean; version: string }): Reporter {
  switch (format) {
    case 'json': return jsonReporter(write);
    case 'junit': return junitReporter(write);
    case 'sarif': return sarifReporter(write, opts.version);
    case 'github': return githubReporter(write);
    default: return prettyReporter(write, opts.color === true, { block: opts.block, quiet: opts.quiet });
  }
}
