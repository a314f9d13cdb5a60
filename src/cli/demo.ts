/**
 * `dataplan demo` (what `npm start` runs): a receiver on the bundled plan fed by built-in traffic, clean
 * and violating. On a terminal: the UI, until q. Otherwise: one pass of traffic printed, a summary, exit.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { startStream, type RunningStream } from '../stream/index.js';
import { runTraffic } from '../stream/traffic.js';
import { planLine } from '../tui/lines.js';
import { openView } from '../tui/view.js';
import type { CliIO } from './io.js';
import { BUNDLED_BATCHES, BUNDLED_PLAN, fail, PLAN_OPTION } from './plan-option.js';
import { receiverConfig, receiverOptions, sdkHints, watchReceiver, type StreamArgs } from './stream.js';

export interface DemoArgs extends Omit<StreamArgs, 'version' | 'force' | 'strictTypes' | 'watch' | 'connect'> {
  rate?: number;
  count?: number;
  duration?: number;
}

export function demoBuilder(y: Argv): Argv<DemoArgs> {
  return receiverOptions(y)
    .option('plan', { ...PLAN_OPTION, describe: 'judge the built-in traffic against this plan instead (as with --force, since the traffic is tagged for the bundled plan); default: the bundled plan' })
    .option('rate', { type: 'number', describe: 'events per second the traffic generator sends (default: 4 in the UI, 40 without)' })
    .option('count', { type: 'number', describe: 'stop the traffic after this many events (without the UI: then exit)' })
    .option('duration', { type: 'number', describe: 'stop the traffic after this many seconds (without the UI: then exit)' })
    .example('$0 demo', 'the terminal UI with live demo traffic; q quits')
    .example('$0 demo --no-ui', 'print one pass of demo traffic and a summary, then exit')
    .example('$0 demo --no-ui --duration 30 --rate 10', 'print demo traffic for 30 seconds')
    .example('$0 demo --plan plans/my_plan.json', 'the same traffic judged against your plan') as unknown as Argv<DemoArgs>;
}

export async function demoCommand(args: DemoArgs, io: CliIO): Promise<number> {
  try {
    const ui = args.ui !== false && io.interactive === true;
    const config = receiverConfig(args);
    const start = (port: number | undefined) => startStream({
      ...config, planFile: args.plan ? resolve(io.cwd, args.plan) : BUNDLED_PLAN, force: args.plan !== undefined, port, watch: false,
    });
    let running: RunningStream;
    try {
      running = await start(args.port);
    } catch (err) {
      // The demo must just work: if the usual port is taken, take any.
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      running = await start(0);
    }
    const view = openView({ ui, where: running.url.replace(/^http:\/\//, ''), write: io.stdout, note: io.stderr, color: io.color, json: args.json, quiet: args.quiet });
    const info = running.plan.info();
    if (!ui) {
      io.stderr(`dataplan demo: a receiver on ${running.url} with ${args.plan ?? 'the bundled plan'}, ${planLine(info)}\n`);
      io.stderr(`  sending the built-in traffic (clean and violating events; one upload is deliberately broken)\n`);
    } else {
      view.notice(`demo traffic → ${running.url}; your own SDK can send here too`);
    }
    const abort = new AbortController();
    const traffic = runTraffic({
      url: running.url, examplesDir: BUNDLED_BATCHES, rate: args.rate ?? (ui ? 4 : 40), count: args.count, duration: args.duration,
      loop: ui && args.count === undefined && args.duration === undefined, jitter: ui, token: args.token, signal: abort.signal,
    });
    // Without the UI the demo ends when its traffic does; in the UI it runs until q.
    const code = await watchReceiver(running, view, io, { ui, json: args.json }, ui ? undefined : traffic);
    abort.abort();
    const sent = await traffic;
    if (!ui && sent.failed > 0) io.stderr(`dataplan demo: ${sent.failed} uploads failed\n`);
    if (!ui) io.stderr(`Point your own SDK at a receiver with \`dataplan stream\`:\n${sdkHints('http://127.0.0.1:8787', info.id, null).join('\n')}\n`);
    return code;
  } catch (err) {
    return fail(err, io.stderr);
  }
}
