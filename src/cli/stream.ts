/** `dataplan stream`: the local receiver with its terminal UI (or printed lines), or a viewer of one elsewhere. */
import type { Argv } from 'yargs';
import { connectFeed, socketUrl } from '../stream/client.js';
import { DEFAULT_BUFFER, DEFAULT_BUFFER_BYTES, DEFAULT_HOST, DEFAULT_HTTPS_PORT, DEFAULT_LIMITS, DEFAULT_MAX_BODY, DEFAULT_PORT, formatSize, parseSize, startStream, type RunningStream, type StreamOptions } from '../stream/index.js';
import { planLine, summaryLines } from '../tui/lines.js';
import { openView, untilSignal, type View } from '../tui/view.js';
import type { CliIO } from './io.js';
import { choosePlan, fail, PLAN_OPTION, UsageError } from './plan-option.js';

export interface StreamArgs {
  plan?: string;
  version?: number;
  port?: number;
  host?: string;
  capture?: string;
  ui?: boolean;
  json?: boolean;
  quiet?: boolean;
  force?: boolean;
  strictTypes?: boolean;
  token?: string;
  maxBody?: string;
  buffer?: number;
  bufferBytes?: string;
  allowedHost?: string[];
  allowOrigin?: string[];
  maxEvents?: number;
  workers?: number;
  maxConnections?: number;
  maxViewers?: number;
  idleTimeout?: number;
  bodyTimeout?: number;
  watch?: boolean;
  connect?: string;
  https?: boolean;
  httpsPort?: number;
  cert?: string;
  key?: string;
}

type ReceiverArgs = Pick<StreamArgs, 'host' | 'token' | 'maxBody' | 'buffer' | 'bufferBytes' | 'allowedHost' | 'allowOrigin' | 'maxEvents' | 'maxConnections' | 'maxViewers' | 'idleTimeout' | 'bodyTimeout' | 'capture' | 'workers'>;

function positive(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isFinite(v) || v <= 0) throw new UsageError(`--${name} ${v}: expected a positive number`);
  return v;
}

function workerCount(v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < 0) throw new UsageError(`--workers ${v}: expected a whole number (0: judge on the main thread only)`);
  return v;
}

/** The receiver's bounds and access rules as `stream` and `demo` take them from flags. */
export function receiverConfig(a: ReceiverArgs): Partial<StreamOptions> {
  const size = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    try {
      return positive(name, parseSize(v));
    } catch (err) {
      throw new UsageError(`--${name}: ${(err as Error).message}`);
    }
  };
  const seconds = (name: string, v: number | undefined) => (positive(name, v) === undefined ? undefined : v! * 1000);
  return {
    host: a.host, token: a.token, capture: a.capture, buffer: positive('buffer', a.buffer),
    maxBody: size('max-body', a.maxBody), bufferBytes: size('buffer-bytes', a.bufferBytes),
    allowedHosts: a.allowedHost, allowOrigins: a.allowOrigin, maxEvents: positive('max-events', a.maxEvents),
    maxConnections: positive('max-connections', a.maxConnections), maxViewers: positive('max-viewers', a.maxViewers),
    idleTimeout: seconds('idle-timeout', a.idleTimeout), bodyTimeout: seconds('body-timeout', a.bodyTimeout),
    workers: workerCount(a.workers),
  };
}

/** Flags `stream` and `demo` share. */
export function receiverOptions(y: Argv): Argv {
  return y
    .option('port', { type: 'number', describe: `port to listen on (0 picks a free one)`, default: DEFAULT_PORT })
    .option('host', { type: 'string', describe: 'address to bind; anything but loopback exposes the receiver to your network', default: DEFAULT_HOST })
    .option('capture', { type: 'string', describe: 'append every accepted batch to this NDJSON file (before acknowledging it)' })
    .option('ui', { type: 'boolean', default: true, describe: 'full-screen UI on a terminal; --no-ui prints one line per event' })
    .option('json', { type: 'boolean', describe: 'without the UI: print NDJSON (batch, event, rejected, plan, summary records)' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'without the UI: no event lines, only rejections, plan changes and the summary' })
    .option('token', { type: 'string', describe: 'require this token on every request (Bearer header or ?token=; SDKs: as the API key)' })
    .option('max-body', { type: 'string', describe: `largest request body or WebSocket message accepted (e.g. 2mb); default ${formatSize(DEFAULT_MAX_BODY)}` })
    .option('buffer', { type: 'number', describe: `recent events kept in memory for the query API and viewers`, default: DEFAULT_BUFFER })
    .option('buffer-bytes', { type: 'string', describe: `memory those recent events may hold (e.g. 64mb); the oldest go first; default ${formatSize(DEFAULT_BUFFER_BYTES)}` })
    .option('allowed-host', { type: 'string', array: true, describe: 'another name the receiver answers to in the Host header (repeatable; .example.com for a domain and its subdomains); loopback names always work' })
    .option('allow-origin', { type: 'string', array: true, describe: 'a web origin (http://localhost:3000) allowed to read the query API, reset and watch the feed (repeatable); SDK routes answer any origin' })
    .option('max-events', { type: 'number', describe: `events one request may carry, all its batches together; more are answered 413 (default ${DEFAULT_LIMITS.maxEvents})` })
    .option('max-connections', { type: 'number', describe: `open connections; more are answered 503 (default ${DEFAULT_LIMITS.maxConnections})` })
    .option('max-viewers', { type: 'number', describe: `feed viewers (WS /dataplan/feed, --connect); more are answered 503 (default ${DEFAULT_LIMITS.maxViewers})` })
    .option('idle-timeout', { type: 'number', describe: `seconds a connection may stay silent before it is closed (default ${DEFAULT_LIMITS.idleTimeout / 1000})` })
    .option('workers', { type: 'number', describe: 'threads that parse and judge requests under load (default: one per core beyond the first, none on 2 cores or fewer; 0: the main thread only)' })
    .option('body-timeout', { type: 'number', describe: `seconds a request body may stall before it is cut with 408 (default ${DEFAULT_LIMITS.bodyTimeout / 1000})` });
}

export function streamBuilder(y: Argv): Argv<StreamArgs> {
  return receiverOptions(y)
    .option('plan', PLAN_OPTION)
    .option('version', { type: 'number', describe: 'judge every batch with this plan version (default: the batch\'s plan_version, else the latest active for its environment)' })
    .option('force', { type: 'boolean', describe: 'judge every batch against the plan, even those the platform would skip (no plan context, another plan)' })
    .option('strict-types', { type: 'boolean', describe: 'no platform type conversion ("42" is not a number)' })
    .option('watch', { type: 'boolean', default: true, describe: 'reload the plan when its file changes (--no-watch to keep it fixed)' })
    .option('connect', { type: 'string', describe: 'view a receiver running elsewhere (ws://HOST:PORT) instead of starting one' })
    .option('https', { type: 'boolean', default: true, describe: 'also serve every route over HTTPS, as the iOS and Android SDKs need (--no-https: HTTP only)' })
    .option('https-port', { type: 'number', describe: `HTTPS port (default ${DEFAULT_HTTPS_PORT}; 0 picks a free one, as does --port 0 without --https-port)` })
    .option('cert', { type: 'string', describe: 'HTTPS certificate (PEM), e.g. from mkcert; default: one generated for 127.0.0.1, ::1, localhost and 10.0.2.2 and kept in your config directory' })
    .option('key', { type: 'string', describe: 'the private key (PEM) of --cert' })
    .example('$0 stream', 'receive on 127.0.0.1:8787 with the plan from mp.config.json (or the bundled example)')
    .example('$0 stream --plan plan.json --capture session.ndjson', 'record the session for `dataplan replay`')
    .example('$0 stream --no-ui --json | jq .', 'NDJSON for scripts')
    .example('$0 stream --connect ws://127.0.0.1:8787', 'the UI for a receiver started elsewhere')
    .example('sudo $0 stream --https-port 443', 'for the iOS simulator, whose host must match exactly (README, iOS)') as unknown as Argv<StreamArgs>;
}

/** The HTTPS port asked for: --https-port, else a free one when --port is 0, else 8443. */
export function httpsPortOf(args: Pick<StreamArgs, 'port' | 'httpsPort'>): number {
  return args.httpsPort ?? (args.port === 0 ? 0 : DEFAULT_HTTPS_PORT);
}

/** The lines that tell a mobile developer where the HTTPS side is and which certificate to trust. */
export function httpsLines(running: RunningStream): string[] {
  if (!running.httpsUrl || !running.tls) return [];
  const t = running.tls;
  return [
    `  https:    ${running.httpsUrl}   (iOS simulator: 127.0.0.1 on port 443; Android emulator: 10.0.2.2)`,
    `  cert:     ${t.certFile}${t.generated ? ' (generated now)' : ''}`,
    `  SHA-256:  ${t.fingerprint256}`,
  ];
}

/** The lines that tell a user where to point their SDKs. */
export function sdkHints(url: string, planId: string | null, version: number | null): string[] {
  const hostPort = url.replace(/^https?:\/\//, '');
  const plan = planId ? `, dataPlan: { planId: '${planId}'${version !== null ? `, planVersion: ${version}` : ''} }` : '';
  return [
    `  web SDK:  mParticle.init(KEY, { isDevelopmentMode: true, forceHttps: false, requestConfig: false, domain: '${hostPort}'${plan} })`,
    `  Node SDK: api.apiClient.basePath = '${url}/v2'`,
    `  query:    ${url}/dataplan/events   ${url}/dataplan/summary`,
  ];
}

/** Show a running receiver until the person quits or a signal arrives; then close it and print the summary. */
export async function watchReceiver(running: RunningStream, view: View, io: CliIO, args: { ui: boolean; json?: boolean; quiet?: boolean }, stopWhen?: Promise<unknown>, announce?: () => void): Promise<number> {
  const sig = untilSignal();
  // Only now say where to send and how to stop: a Ctrl-C right after the banner must find the handler.
  announce?.();
  view.feed({ type: 'hello', summary: running.receiver.summary(), url: running.url });
  // Printed lines without events (--quiet) need no batch records: none are built for them.
  const off = running.receiver.subscribe((m) => view.feed(m), () => args.ui || !args.quiet);
  try {
    await Promise.race([view.quit, sig.promise, ...(stopWhen ? [stopWhen] : [])]);
  } finally {
    sig.dispose();
    off();
    view.close();
  }
  const summary = running.receiver.summary();
  await running.close();
  if (args.json && !args.ui) io.stdout(JSON.stringify({ type: 'summary', ...summary }) + '\n');
  else io.stdout(`\n${summaryLines(summary).join('\n')}\n`);
  if (summary.capture) io.stderr(`dataplan: ${summary.capture.records} batches captured in ${summary.capture.file}\n`);
  return 0;
}

function useUi(args: { ui?: boolean }, io: CliIO): boolean {
  return args.ui !== false && io.interactive === true;
}

export async function streamCommand(args: StreamArgs, io: CliIO): Promise<number> {
  try {
    const ui = useUi(args, io);
    if (args.connect) return await viewRemote(args, io, ui);
    const choice = choosePlan(args.plan, io.cwd);
    if (!ui) for (const n of choice.notes) io.stderr(`dataplan: ${n}\n`);
    let running: RunningStream;
    try {
      running = await startStream({
        ...receiverConfig(args), planFile: choice.file, version: args.version ?? choice.version, force: args.force, strictTypes: args.strictTypes,
        port: args.port, watch: args.watch,
        ...(args.https !== false ? { https: { port: httpsPortOf(args), certFile: args.cert, keyFile: args.key } } : {}),
      });
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { port?: number };
      if (e.code === 'EADDRINUSE' && args.https !== false && e.port === httpsPortOf(args) && e.port !== args.port) {
        throw new UsageError(`HTTPS port ${e.port} on ${args.host} is in use; pass --https-port N (0 picks a free one) or --no-https`);
      }
      if (e.code === 'EADDRINUSE') throw new UsageError(`port ${args.port} on ${args.host} is in use; pass --port N (0 picks a free one)`);
      if (e.code === 'EACCES' && args.https !== false) throw new UsageError(`not allowed to listen on port ${e.port ?? httpsPortOf(args)}: ports below 1024 need root (sudo) or, on Linux, setcap cap_net_bind_service`);
      throw err;
    }
    const info = running.plan.info();
    const view = openView({ ui, where: running.url.replace(/^http:\/\//, ''), write: io.stdout, note: io.stderr, color: io.color, json: args.json, quiet: args.quiet });
    const announce = () => {
      if (!ui) {
        io.stderr(`dataplan stream: listening on ${running.url}\n  plan: ${planLine(info)}${choice.from === 'bundled' ? ' (bundled example)' : ''}\n`);
        for (const p of running.plan.current.problems) io.stderr(`  plan ${p.severity}: ${p.message} (${p.file}#${p.pointer})\n`);
        if (args.capture) io.stderr(`  capture: ${args.capture}\n`);
        if (running.receiver.capture?.recovered) io.stderr(`  ${running.receiver.capture.recovered}\n`);
        for (const l of httpsLines(running)) io.stderr(`${l}\n`);
        io.stderr(`${sdkHints(running.url, info.id, null).join('\n')}\n  Ctrl-C to stop\n`);
      } else {
        const problems = running.plan.current.problems.length;
        const tls = running.tls ? [`HTTPS ${running.httpsUrl} (cert ${running.tls.certFile}, SHA-256 ${running.tls.fingerprint256})`] : [];
        view.notice([`listening on ${running.url}: point your SDK here (README, Live Stream)`, ...tls, ...choice.notes,
          ...(problems ? [`the plan has ${problems} problem(s): dataplan plan check`] : []), ...(running.receiver.capture?.recovered ? [running.receiver.capture.recovered] : [])].join(' · '));
      }
    };
    return await watchReceiver(running, view, io, { ui, json: args.json, quiet: args.quiet }, undefined, announce);
  } catch (err) {
    return fail(err, io.stderr);
  }
}

async function viewRemote(args: StreamArgs, io: CliIO, ui: boolean): Promise<number> {
  const url = socketUrl(args.connect!, '/dataplan/feed', { token: args.token, backlog: String(args.buffer ?? DEFAULT_BUFFER) });
  const shown = url.replace(/[?&]token=[^&]*/, '');
  const view = openView({ ui, where: shown.replace(/\?.*$/, ''), write: io.stdout, note: io.stderr, color: io.color, json: args.json, quiet: args.quiet });
  const client = connectFeed(url, (m) => view.feed(m), { reconnect: ui, onStatus: (t, level) => view.notice(t, level) });
  const sig = untilSignal();
  try {
    await client.opened;
    if (!ui) io.stderr(`dataplan stream: following ${shown}; Ctrl-C to stop\n`);
    await Promise.race([view.quit, sig.promise, client.closed]);
    return 0;
  } catch (err) {
    view.close();
    return fail(err, io.stderr);
  } finally {
    sig.dispose();
    client.close();
    view.close();
  }
}
