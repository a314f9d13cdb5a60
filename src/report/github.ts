/** GitHub Actions workflow commands: each finding annotates its file, printed as batches arrive. */
import { githubCommand, inputErrorFinding, planProblemFinding } from './ci.js';
import { batchFindings } from './sarif.js';
import type { Reporter, Write } from './types.js';

export function githubReporter(write: Write, opts: { cwd: string }): Reporter {
  const print = (f: Parameters<typeof githubCommand>[0]) => write(githubCommand(f, opts.cwd));
  return {
    start(info) {
      info.problems.map(planProblemFinding).forEach(print);
    },
    result(e) {
      batchFindings(e).forEach(print);
    },
    inputError(e) {
      print(inputErrorFinding(e));
    },
    end(summary) {
      write(`dataplan: ${summary.violation_count} violation(s) in ${summary.batches} batch(es), ${summary.input_errors} input error(s), ${summary.plan_errors} plan error(s)\n`);
    },
  };
}
