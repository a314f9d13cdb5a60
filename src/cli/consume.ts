/** `dataplan consume`: a worker judging a NATS JetStream stream; start more, anywhere, to share the work. */
import type { Argv } from 'yargs';
import { LiveJudge, Metrics, openNatsWorker, serveMetrics, watchProgress, Worker } from '../consume/index.js';
import { problemLine } from '../report/index.js';
import { LivePlan } from '../stream/live-plan.js';
import type { CliIO } from './io.js';
import { choosePlan, fail, PLAN_OPTION, UsageError } from './plan-option.js';

export interface ConsumeArgs {
  nats: string;
  stream: string;
  subject: string;
  durable: string;
  verdicts: string;
  plan?: string;
  version?: number;
  force?: boolean;
  strictTypes?: boolean;
  concurrency?: number;
  ackWait?: number;
  metricsPort?: number;
  metricsHost?: string;
  progress?: number;
  watch?: boolean;
}

export function consumeBuilder(y: Argv): Argv<ConsumeArgs> {
  return y
    .option('nats', { type: 'string', describe: 'NATS server URL(s), comma-separated (nats://host:4222)' })
    .option('stream', { type: 'string', describe: 'JetStream stream holding the batches (created for --subject if missing)' })
    .option('subject', { type: 'string', describe: 'subject of the input messages (one batch, or a JSON array of batches, each)' })
    .option('durable', { type: 'string', describe: 'durable pull consumer every worker of the group shares (created if missing)' })
    .option('verdicts', { type: 'string', describe: 'subject to publish one verdict per input message on (a stream for it is created if none stores it)' })
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'judge every batch with this plan version (default: the batch\'s plan_version, else the latest active for its environment)' })
    .option('force', { type: 'boolean', describe: 'judge every batch against the plan, even those the platform would skip (no plan context, another plan)' })
    .option('strict-types', { type: 'boolean', describe: 'no platform type conversion ("42" is not a number)' })
    .option('concurrency', { type: 'number', default: 64, describe: 'messages this worker holds at once (judged, verdict being stored); add workers for more cores' })
    .option('ack-wait', { type: 'number', describe: 'seconds JetStream waits for a worker\'s ack before redelivering (sets the consumer\'s ack_wait; default 30 when creating it)' })
    .option('metrics-port', { type: 'number', describe: 'serve Prometheus metrics on this port at /metrics (0 picks a free one)' })
    .option('metrics-host', { type: 'string', default: '127.0.0.1', describe: 'address the metrics port binds (0.0.0.0 to let a Prometheus on another machine scrape it)' })
    .option('progress', { type: 'number', default: 5, describe: 'seconds between progress lines on stderr (0: none)' })
    .option('watch', { type: 'boolean', default: true, describe: 'reload the plan when its file changes (--no-watch to keep it fixed)' })
    .demandOption(['nats', 'stream', 'subject', 'durable', 'verdicts'])
    .example('$0 consume --nats nats://127.0.0.1:4222 --stream EVENTS --subject events.batches --durable dataplan --verdicts events.verdicts --plan plan.json', 'one worker; run the same command on more machines to share the work')
    .example('$0 consume … --metrics-port 9464 --metrics-host 0.0.0.0', 'let Prometheus scrape the worker') as unknown as Argv<ConsumeArgs>;
}

function check(args: ConsumeArgs): void {
  const positiveInt = (v: number | undefined, flag: string) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new UsageError(`--${flag} must be a whole number of at least 1`);
  };
  positiveInt(args.concurrency, 'concurrency');
  if (args.ackWait !== undefined && !(args.ackWait >= 1)) throw new UsageError('--ack-wait must be at least 1 second');
  if (args.metricsPort !== undefined && (!Number.isInteger(args.metricsPort) || args.metricsPort < 0 || args.metricsPort > 65535)) throw new UsageError('--metrics-port must be a port number (0 picks a free one)');
  if (args.progress !== undefined && !(args.progress >= 0)) throw new UsageError('--progress must be a number of seconds (0: none)');
  for (const flag of ['nats', 'stream', 'subject', 'durable', 'verdicts'] as const) if (!args[flag]) throw new UsageError(`--${flag} must not be empty`);
}

export async function consumeCommand(args: ConsumeArgs, io: CliIO): Promise<number> {
  const cleanup: (() => unknown)[] = [];
  try {
    check(args);
    const choice = choosePlan(args.plan, io.cwd);
    for (const n of choice.notes) io.stderr(`dataplan: ${n}\n`);
    const live = new LivePlan(choice.file, { version: args.version ?? choice.version, force: args.force, strictTypes: args.strictTypes });
    cleanup.push(() => live.close());
    for (const p of live.current.problems) io.stderr(`dataplan: ${problemLine(p)}\n`);
    const judge = new LiveJudge(live);
    const metrics = new Metrics();

    const concurrency = args.concurrency ?? 64;
    const nats = await openNatsWorker({ url: args.nats, stream: args.stream, subject: args.subject, durable: args.durable, verdicts: args.verdicts, ackWait: args.ackWait, buffer: concurrency });
    cleanup.push(() => nats.connection.close());
    for (const n of nats.notes) io.stderr(`dataplan: ${n}\n`);

    if (args.watch !== false) {
      await live.watch((r) => {
        if (r.ok) {
          metrics.planReloads++;
          judge.refresh();
          io.stderr(`dataplan: plan reloaded from ${live.file}; verdicts from now on name it (loaded_at ${judge.plan().loaded_at})\n`);
        } else {
          metrics.planReloadFailures++;
          io.stderr(`dataplan: plan change refused: ${r.message}\n`);
        }
      });
    }
    if (args.metricsPort !== undefined) {
      const server = await serveMetrics(metrics, args.metricsPort, args.metricsHost ?? '127.0.0.1');
      cleanup.push(() => server.close());
      io.stderr(`dataplan: metrics on ${server.url}\n`);
    }

    const worker = new Worker({
      source: nats.source, sink: nats.sink, judge, metrics, concurrency, maxVerdictBytes: nats.sink.maxPayload,
      warn: (m) => io.stderr(`dataplan: ${m}\n`),
    });
    let lost: Error | undefined;
    void nats.connection.closed().then((err) => {
      if (worker.stopped) return;
      lost = err ?? new Error('the NATS connection closed');
      worker.stop();
    });
    const onSignal = (signal: NodeJS.Signals) => {
      if (worker.stopped) {
        io.stderr(`dataplan: ${signal} again: stopping now; unacknowledged messages will be redelivered to other workers\n`);
        process.exit(1);
      }
      io.stderr(`dataplan: ${signal}: draining ${metrics.inFlight} messages in flight\n`);
      worker.stop();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    cleanup.push(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
    const stopProgress = watchProgress(metrics, nats.source, args.progress ?? 5, io.stderr);
    cleanup.push(stopProgress);

    io.stderr(`dataplan: consuming ${nats.source.describe}; verdicts on ${nats.sink.describe}; plan ${live.file}${live.current.id ? ` (${live.current.id})` : ''}\n`);
    await worker.run();
    if (lost) throw new Error(`lost the NATS connection: ${lost.message}`);
    io.stderr(`dataplan: drained: ${metrics.messages} messages (${metrics.batches} batches, ${metrics.events} events, ${metrics.violations} violations) judged by this worker\n`);
    return 0;
  } catch (err) {
    return fail(err, io.stderr);
  } finally {
    for (const c of cleanup.reverse()) {
      try {
        await c();
      } catch (err) {
        io.stderr(`dataplan: while stopping: ${(err as Error).message}\n`);
      }
    }
  }
}
