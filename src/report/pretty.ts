/** Human output: one block per batch with violations, one line per notice, a summary. */
import type { InputError } from '../plan/index.js';
import { buffered } from './buffered.js';
import { inputErrorLine, palette, problemLine } from './format.js';
import { createRenderer, joinRendering, prettyPlanLabel, type RenderSpec, type Renderer } from './render.js';
import type { Reporter, ResultEntry, RunInfo, Summary, Write } from './types.js';

export function prettyReporter(output: Write, color = false, opts: { block?: boolean; quiet?: boolean } = {}): Reporter {
  const { write, flush } = buffered(output);
  const c = palette(color);
  let render: Renderer | undefined;
  const reporter: Reporter = {
    start(info: RunInfo) {
      const spec: RenderSpec = { format: 'pretty', color, quiet: opts.quiet === true, block: opts.block === true, plan: prettyPlanLabel(info.planId, info.planFile) };
      render = createRenderer(spec);
      reporter.render = spec;
      for (const p of info.problems) write(`${p.severity === 'error' ? c.red('plan error') : c.yellow('plan warning')} ${problemLine(p)}\n`);
    },
    result(entry: ResultEntry) {
      write(joinRendering(render!(entry), entry.batch));
    },
    rendered(text: string) {
      write(text);
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
      flush();
    },
  };
  return reporter;
}
