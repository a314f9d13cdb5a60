/** Human output: one block per batch with violations, one line per notice, a summary. */
import { basename } from 'node:path';
import type { InputError } from '../plan/index.js';
import type { Violation } from '../validate/violation.js';
import { inputErrorLine, palette, problemLine } from './format.js';
import type { Reporter, ResultEntry, RunInfo, Summary, Write } from './types.js';

export function prettyReporter(write: Write, color = false, opts: { block?: boolean; quiet?: boolean } = {}): Reporter {
  const c = palette(color);
  let plan = '';
  return {
    start(info: RunInfo) {
      plan = info.planId ?? basename(info.planFile);
      for (const p of info.problems) write(`${p.severity === 'error' ? c.red('plan error') : c.yellow('plan warning')} ${problemLine(p)}\n`);
    },
    result({ source, batch, line, result: r }: ResultEntry) {
      // A source with no batch at all is named on its own.
      const where = r.reason === 'no_batches' ? source : `${source}${line !== undefined && line > 1 ? `:${line}` : ''} [batch ${batch}]`;
      if (!r.validated) {
        if (!opts.quiet) write(`${c.yellow('–')} ${where}: ${r.notice}\n`);
        for (const e of r.errors) write(`  ${c.red('error')} ${e.message}\n`);
        return;
      }
      const n = r.violations.length;
      const bad = n > 0 || r.errors.length > 0;
      if (!bad) {
        if (!opts.quiet) write(`${c.green('✓')} ${where}: ${r.event_count} events, no violations (${plan} v${r.plan_version ?? '-'})\n`);
        return;
      }
      write(`${c.red('✗')} ${c.bold(where)}: ${n} violation${n === 1 ? '' : 's'} in ${r.event_count} events (${plan} v${r.plan_version ?? '-'})\n`);
      for (const e of r.errors) write(`  ${c.red('error')} ${e.message} ${c.dim('#' + e.pointer)}\n`);
      const groups = new Map<string, Violation[]>();
      for (const v of r.violations) {
        const g = v.event_index === null ? v.match_key.replace('_', ' ') : `events[${v.event_index}]`;
        const list = groups.get(g);
        if (list) list.push(v);
        else groups.set(g, [v]);
      }
      for (const [g, vs] of groups) {
        for (const v of vs) {
          const blocked = opts.block && v.would_block ? c.yellow(' [would be blocked]') : '';
          write(`  ${c.dim(g.padEnd(15))} ${c.red(v.violation.padEnd(27))} ${v.message}${blocked} ${c.dim(v.error_pointer)}\n`);
        }
      }
    },
    inputError(err: InputError) {
      write(`${c.red('✗')} ${inputErrorLine(err)}\n`);
    },
    end(s: Summary) {
      const codes = Object.entries(s.violations).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
      write('\n');
      write(`${c.bold('Summary')}: ${s.batches} batch${s.batches === 1 ? '' : 'es'} from ${s.sources} source${s.sources === 1 ? '' : 's'} ` +
        `(${s.validated_batches} validated, ${s.not_validated_batches} not validated), ${s.events} events\n`);
      write(`  ${s.violation_count === 0 ? c.green('no violations') : c.red(`${s.violation_count} violation${s.violation_count === 1 ? '' : 's'}`)}${codes ? `: ${codes}` : ''}\n`);
      if (s.empty_sources) write(`  ${c.yellow(`${s.empty_sources} source${s.empty_sources === 1 ? '' : 's'} without batches`)}\n`);
      if (s.input_errors) write(`  ${c.red(`${s.input_errors} input error${s.input_errors === 1 ? '' : 's'}`)}\n`);
      if (s.plan_errors) write(`  ${c.red(`${s.plan_errors} plan error${s.plan_errors === 1 ? '' : 's'}`)} (the broken parts were not checked)\n`);
    },
  };
}
