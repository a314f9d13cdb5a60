/** JUnit XML: a test suite per source, a test case per batch, a failure per violation. */
import { problemLine } from './format.js';
import { collectingReporter } from './collect.js';
import type { Reporter, Write } from './types.js';

export function xml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!)
    // Control characters are not allowed in XML 1.0.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function junitReporter(write: Write): Reporter {
  return collectingReporter(({ info, entries, inputErrors, summary }) => {
    const bySource = new Map<string, typeof entries>();
    for (const e of entries) {
      const list = bySource.get(e.source);
      if (list) list.push(e);
      else bySource.set(e.source, [e]);
    }
    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    const failures = summary.violation_count + summary.input_errors;
    out.push(`<testsuites name="dataplan" tests="${summary.batches + summary.empty_sources + (info.problems.length ? 1 : 0)}" failures="${failures}" errors="${summary.plan_errors}">`);
    if (info.problems.length) {
      const errs = info.problems.filter((p) => p.severity === 'error');
      out.push(`  <testsuite name="plan ${xml(info.planFile)}" tests="1" failures="0" errors="${errs.length ? 1 : 0}">`);
      out.push(`    <testcase classname="plan" name="${xml(info.planFile)}">`);
      if (errs.length) out.push(`      <error message="${errs.length} plan error(s)">${xml(errs.map(problemLine).join('\n'))}</error>`);
      const warns = info.problems.filter((p) => p.severity === 'warning');
      if (warns.length) out.push(`      <system-out>${xml(warns.map(problemLine).join('\n'))}</system-out>`);
      out.push('    </testcase>', '  </testsuite>');
    }
    for (const [source, list] of bySource) {
      const f = list.reduce((n, e) => n + (e.result.violations.length || e.result.errors.length ? 1 : 0), 0);
      const skipped = list.filter((e) => !e.result.validated).length;
      out.push(`  <testsuite name="${xml(source)}" tests="${list.length}" failures="${f}" skipped="${skipped}">`);
      for (const e of list) {
        const r = e.result;
        out.push(`    <testcase classname="${xml(source)}" name="batch ${e.batch}${e.line !== undefined && e.line > 1 ? ` (line ${e.line})` : ''}">`);
        if (!r.validated) out.push(`      <skipped message="${xml(r.notice ?? 'not validated')}"/>`);
        for (const v of r.violations) {
          out.push(`      <failure type="${v.violation}" message="${xml(v.message)}">${xml(`${v.match_key} ${v.error_pointer}${v.event_index !== null ? ` events[${v.event_index}]` : ''}`)}</failure>`);
        }
        for (const er of r.errors) out.push(`      <failure type="input_error" message="${xml(er.message)}">${xml('#' + er.pointer)}</failure>`);
        out.push('    </testcase>');
      }
      out.push('  </testsuite>');
    }
    if (inputErrors.length) {
      out.push(`  <testsuite name="inputs" tests="${inputErrors.length}" errors="${inputErrors.length}">`);
      for (const e of inputErrors) out.push(`    <testcase classname="inputs" name="${xml(e.file)}"><error message="${xml(e.message)}">${xml(e.where)}</error></testcase>`);
      out.push('  </testsuite>');
    }
    out.push('</testsuites>');
    write(out.join('\n') + '\n');
  });
}
