/** `dataplan publish FILES --nats URL --subject SUBJECT`: feed a JetStream stream from batch files, in constant memory. */
import type { Argv } from 'yargs';
import { openNatsFeed, publishFiles, type PublishTotals } from '../consume/index.js';
import { inputErrorLine } from '../report/index.js';
import type { CliIO } from './io.js';
import { fail, STDIN_ARG, UsageError } from './plan-option.js';

export interface PublishArgs {
  files?: string[];
  nats: string;
  subject: string;
  stream?: string;
}

export function publishBuilder(y: Argv): Argv<PublishArgs> {
  return y
    .positional('files', { type: 'string', array: true, describe: 'batch files, directories or globs (NDJSON: one message per line; JSON: one per batch); - for stdin' })
    .option('nats', { type: 'string', describe: 'NATS server URL(s), comma-separated (nats://host:4222)' })
    .option('subject', { type: 'string', describe: 'subject to publish on; a JetStream stream must store it' })
    .option('stream', { type: 'string', describe: 'create this stream for --subject when no stream stores it' })
    .demandOption(['nats', 'subject'])
    .example('$0 publish export/*.ndjson --nats nats://127.0.0.1:4222 --subject events.batches', 'feed the stream `dataplan consume` workers read')
    .example('zcat day.ndjson.gz | $0 publish - --nats nats://127.0.0.1:4222 --subject events.batches', 'from a pipe') as unknown as Argv<PublishArgs>;
}

export async function publishCommand(args: PublishArgs, io: CliIO): Promise<number> {
  const files = (args.files ?? []).map((f) => (f === STDIN_ARG ? '-' : f));
  const totals: PublishTotals = { files: 0, messages: 0, batches: 0, events: 0, input_errors: 0 };
  let close: (() => Promise<void>) | undefined;
  try {
    if (files.length === 0) throw new UsageError('name the files to publish (- for stdin)');
    if (!args.nats || !args.subject) throw new UsageError('--nats and --subject must not be empty');
    const { feed, connection, notes } = await openNatsFeed({ url: args.nats, subject: args.subject, stream: args.stream });
    close = () => connection.close();
    for (const n of notes) io.stderr(`dataplan: ${n}\n`);
    const started = performance.now();
    const timer = setInterval(() => io.stderr(`dataplan: published ${totals.messages} messages (${totals.events} events) so far\n`), 5000);
    timer.unref();
    try {
      await publishFiles(feed, { sources: files, stdin: io.stdin, onError: (e) => io.stderr(`dataplan: ${inputErrorLine(e)}\n`) }, totals);
    } finally {
      clearInterval(timer);
    }
    const s = (performance.now() - started) / 1000;
    io.stderr(`dataplan: published ${totals.messages} messages (${totals.batches} batches, ${totals.events} events) from ${totals.files} sources to ${feed.describe} in ${s.toFixed(1)}s${totals.input_errors ? `; ${totals.input_errors} unreadable inputs skipped` : ''}\n`);
    return totals.input_errors > 0 ? 2 : 0;
  } catch (err) {
    if (totals.messages > 0) io.stderr(`dataplan: ${totals.messages} messages were stored before this error\n`);
    return fail(err, io.stderr);
  } finally {
    await close?.().catch(() => undefined);
  }
}
