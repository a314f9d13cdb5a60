/** GitHub Actions workflow commands: each violation becomes an annotation on the batch file. */
import { ghEscape as esc, ghProperty as prop } from './ci.js';
import { collectingReporter } from './collect.js';
import { batchLocation, bulkIndexOf, violationPointer } from './sarif.js';
import type { Reporter, Write } from './types.js';

export function githubReporter(write: Write): Reporter {
  return collectingReporter(({ info, entries, inputErrors, summary }) => {
    for (const p of info.problems) {
      write(`::${p.severity === 'error' ? 'error' : 'warning'} file=${prop(p.file)},title=${prop(`dataplan plan ${p.code}`)}::${esc(`${p.pointer}: ${p.message}`)}\n`);
    }
    for (const e of entries) {
      const bulk = bulkIndexOf(e);
      if (!e.result.validated) {
        write(`::notice file=${prop(e.source)},line=${e.line ?? 1},title=${prop('dataplan: batch not validated')}::${esc(e.result.notice ?? '')}\n`);
        continue;
      }
      for (const v of e.result.violations) {
        const at = violationPointer(v, bulk);
        const loc = batchLocation(e, at);
        write(`::error file=${prop(e.source)},line=${loc.line},col=${loc.column},title=${prop(`dataplan ${v.violation}`)}::${esc(v.message)}\n`);
      }
      for (const er of e.result.errors) write(`::error file=${prop(e.source)},line=${e.line ?? 1},title=${prop('dataplan input error')}::${esc(er.message)}\n`);
    }
    for (const e of inputErrors) write(`::error file=${prop(e.file)},line=${e.line ?? 1},col=${e.column ?? 1},title=${prop('dataplan input error')}::${esc(e.message)}\n`);
    write(`dataplan: ${summary.violation_count} violation(s) in ${summary.batches} batch(es), ${summary.input_errors} input error(s), ${summary.plan_errors} plan error(s)\n`);
  });
}
