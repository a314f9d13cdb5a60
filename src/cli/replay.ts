/** `dataplan replay CAPTURE…`: re-judge a recorded session offline (a CI check), or send it to a receiver. */
import type { Argv } from 'yargs';
import type { InputError } from '../plan/index.js';
import { FORMATS, createReporter, problemLine, type Format } from '../report/index.js';
import { sendBatches } from '../stream/client.js';
import { readCapture } from '../stream/capture.js';
import type { BatchAck } from '../stream/types.js';
import type { BatchResult } from '../validate/index.js';
import { emptySummary, exitCode, noBatches, tally } from '../validate/run.js';
import type { CliIO } from './io.js';
import { fail, openChosenPlan, PLAN_OPTION, UsageError } from './plan-option.js';
import { VERSION } from './version.js';

export interface ReplayArgs {
  captures?: string[];
  plan?: string;
  version?: number;
  force?: boolean;
  strictTypes?: boolean;
  format?: Format;
  quiet?: boolean;
  to?: string;
  token?: string;
  failOnSkip?: boolean;
}

export function replayBuilder(y: Argv): Argv<ReplayArgs> {
  return y
    .positional('captures', { type: 'string', array: true, describe: 'capture files from `dataplan stream --capture` (bare batch NDJSON works too)' })
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'judge every batch with this plan version' })
    .option('force', { type: 'boolean', describe: 'judge every batch, even those the platform would skip (no plan context, another plan)' })
    .option('strict-types', { type: 'boolean', describe: 'no platform type conversion ("42" is not a number)' })
    .option('format', { choices: FORMATS, default: 'pretty' as Format, describe: 'output format (as `dataplan validate`)' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'pretty format: print only batches with problems and the summary' })
    .option('fail-on-skip', { type: 'boolean', describe: 'exit 1 when any batch was not validated (no plan context, no active version, not a batch) or a capture held no batch' })
    .option('to', { type: 'string', describe: 'send the batches to a running receiver instead (http://HOST:PORT or ws://HOST:PORT); it judges them' })
    .option('token', { type: 'string', describe: 'with --to: the receiver\'s --token' })
    .demandOption('captures')
    .example('$0 replay session.ndjson', 're-validate a recorded session against the current plan; exit 1 on violations')
    .example('$0 replay session.ndjson --format junit > replay.xml', 'as a CI check')
    .example('$0 replay session.ndjson --fail-on-skip', 'in CI: also fail on batches the plan never judged')
    .example('$0 replay session.ndjson --to ws://127.0.0.1:8787', 'play it into a running `dataplan stream`') as unknown as Argv<ReplayArgs>;
}

/** A receiver's acknowledgement, in the shape the reporters take. */
function ackResult(a: BatchAck): BatchResult {
  return {
    validated: a.validated, ...(a.reason ? { reason: a.reason } : {}), ...(a.notice ? { notice: a.notice } : {}),
    plan_id: a.plan_id, plan_version: a.plan_version, event_count: a.event_count, not_validated_events: [], violations: a.violations, errors: a.errors,
  };
}

export async function replayCommand(args: ReplayArgs, io: CliIO): Promise<number> {
  try {
    const files = args.captures ?? [];
    if (files.length === 0) throw new UsageError('name at least one capture file');
    const format = args.format ?? 'pretty';
    const reporter = createReporter(format, io.stdout, { color: io.color, quiet: args.quiet, version: VERSION, cwd: io.cwd });
    const summary = emptySummary();
    let unusable = 0;
    const inputError = (e: InputError) => {
      reporter.inputError(e);
      summary.input_errors++;
      unusable++;
    };
    const count = (result: BatchResult, source: string, index: number, line?: number) => {
      if (tally(summary, result)) unusable++;
      reporter.result({ source, batch: index, line, result });
    };
    // Every capture is named in the output, even one with nothing in it (as `validate` does).
    const empty = (source: string, plan?: { id?: string }) => {
      summary.empty_sources++;
      reporter.result({ source, batch: 0, result: noBatches(plan) });
    };
    const finish = () => {
      summary.exit_code = exitCode(summary, unusable, args.failOnSkip);
      reporter.end(summary);
      if (args.failOnSkip && summary.exit_code === 1 && (summary.not_validated_batches > 0 || summary.empty_sources > 0)) {
        io.stderr(`dataplan: --fail-on-skip: ${summary.not_validated_batches} batch(es) not validated, ${summary.empty_sources} file(s) without batches\n`);
      }
      return summary.exit_code;
    };
    // A write cut short by a crash or a full disk: said, not judged, and the rest still is.
    const torn = (e: InputError) => io.stderr(`dataplan: warning: ${e.line !== undefined ? `${e.file}:${e.line}` : e.file}: the last line is torn (no newline, not JSON: a write cut short by a crash or a full disk); it is skipped\n`);

    if (args.to) {
      if (args.plan || args.version !== undefined || args.force || args.strictTypes) throw new UsageError('with --to the receiver judges the batches with its own plan and flags; drop --plan/--version/--force/--strict-types');
      reporter.start({ planFile: args.to, problems: [] });
      for (const file of files) {
        summary.sources++;
        const items: { index: number; line?: number; batch: unknown }[] = [];
        let seen = 0;
        for await (const item of readCapture(file)) {
          seen++;
          if ('error' in item) inputError(item.error);
          else if ('torn' in item) torn(item.torn);
          else items.push(item);
        }
        if (seen === 0) empty(file);
        if (items.length === 0) continue;
        const acks = await sendBatches(args.to, items.map((i) => i.batch), { token: args.token });
        let k = 0;
        for (const ack of acks) for (const b of ack.batches) {
          const item = items[k++];
          count(ackResult(b), file, item.index, item.line);
          // Answers are bounded: what the receiver counted but did not list still counts.
          const omitted = (b.violations_omitted ?? 0) + (b.errors_omitted ?? 0);
          if (omitted > 0) {
            summary.violation_count += b.violations_omitted ?? 0;
            summary.input_errors += b.errors_omitted ?? 0;
            io.stderr(`dataplan: ${file} [batch ${item.index}]: the receiver listed ${b.violations.length} of ${b.violation_count} violations; replay without --to for all of them\n`);
          }
        }
      }
      const code = finish();
      io.stderr(`dataplan: sent ${summary.batches} batches (${summary.events} events) to ${args.to}\n`);
      return code;
    }

    const { plan, version } = openChosenPlan(args.plan, args.version, io);
    if (format !== 'pretty') for (const p of plan.problems) io.stderr(`dataplan: ${problemLine(p)}\n`);
    summary.plan_errors = plan.problems.filter((p) => p.severity === 'error').length;
    summary.plan_warnings = plan.problems.length - summary.plan_errors;
    reporter.start({ planFile: plan.file, planId: plan.id, planName: plan.name, version, problems: plan.problems });
    for (const file of files) {
      summary.sources++;
      let seen = 0;
      for await (const item of readCapture(file)) {
        seen++;
        if ('error' in item) inputError(item.error);
        else if ('torn' in item) torn(item.torn);
        else count(plan.validateBatch(item.batch, { version, force: args.force, strictTypes: args.strictTypes }), file, item.index, item.line);
      }
      if (seen === 0) empty(file, plan);
    }
    return finish();
  } catch (err) {
    return fail(err, io.stderr);
  }
}
