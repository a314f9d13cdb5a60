/** A real nats-server with JetStream on a random 127.0.0.1 port, workers as real processes, and a plain client. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIX = join(ROOT, 'test', 'fixtures');
export const PLAN = join(FIX, 'plans', 'acme_web_shop.plan.json');
const BIN = join(ROOT, 'bin', 'dataplan.js');

const dirs: string[] = [];

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dataplan-nats-'));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

function natsServerBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin', '/usr/local/bin')) {
    const f = join(dir, 'nats-server');
    if (dir && existsSync(f)) return f;
  }
  throw new Error('nats-server is not installed (Debian: apt-get install nats-server; .ci/run does it)');
}

export interface NatsServer {
  url: string;
  client: NatsConnection;
  jsm: JetStreamManager;
  stop(): Promise<void>;
}

/** nats-server -js on 127.0.0.1, a port it picks itself (-p -1), its store in a temp dir. */
export async function startNats(): Promise<NatsServer> {
  const dir = tempDir();
  const proc = spawn(natsServerBinary(), ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not start:\n${log}`)), 30_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /Listening for client connections on (127\.0\.0\.1:\d+)/.exec(log);
      if (m && /Server is ready/.test(log)) {
        clearTimeout(timer);
        resolve(`nats://${m[1]}`);
      }
    };
    proc.stderr.on('data', onData);
    proc.stdout.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${log}`)));
  });
  const client = await connect({ servers: url });
  const jsm = await jetstreamManager(client);
  return {
    url, client, jsm,
    async stop() {
      await client.close();
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

/** Publish raw payloads on `subject` (a stream must store it); returns their stream sequences. */
export async function publishRaw(nc: NatsConnection, subject: string, payloads: (string | Uint8Array)[]): Promise<number[]> {
  const js = jetstream(nc);
  const seqs: number[] = [];
  for (const p of payloads) seqs.push((await js.publish(subject, p)).seq);
  return seqs;
}

/** Publish many payloads quickly (up to 256 awaiting their ack); order in the stream is not guaranteed. */
export async function publishMany(nc: NatsConnection, subject: string, payloads: string[]): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < payloads.length; i += 256) await Promise.all(payloads.slice(i, i + 256).map((p) => js.publish(subject, p)));
}

export interface StoredVerdict {
  msgId: string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** Every message stored in `stream`, in order. */
export async function readStream(srv: NatsServer, stream: string): Promise<StoredVerdict[]> {
  const info = await srv.jsm.streams.info(stream);
  const out: StoredVerdict[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await srv.jsm.streams.getMessage(stream, { seq });
    if (!m) throw new Error(`${stream} has no message ${seq}`);
    out.push({ msgId: m.header?.get('Nats-Msg-Id'), body: m.json() });
  }
  return out;
}

export async function streamCount(srv: NatsServer, stream: string): Promise<number> {
  try {
    return (await srv.jsm.streams.info(stream)).state.messages;
  } catch {
    return 0;
  }
}

export async function waitFor<T>(fn: () => T | Promise<T>, ms: number, what: string): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A `dataplan` process (built dist/), its stderr kept for assertions. */
export class Proc {
  readonly child: ChildProcess;
  stderr = '';
  stdout = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], cwd = ROOT) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (b: Buffer) => void (this.stderr += b.toString()));
    this.child.stdout!.on('data', (b: Buffer) => void (this.stdout += b.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve(signal ? null : code)));
  }

  waitForStderr(re: RegExp, ms = 60_000): Promise<RegExpExecArray> {
    return waitFor(() => re.exec(this.stderr), ms, `${re} on stderr; so far:\n${this.stderr}`);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

export interface WorkerFlags {
  url: string;
  stream: string;
  subject: string;
  durable?: string;
  verdicts: string;
  plan?: string;
  extra?: string[];
}

/** Start `dataplan consume` and wait until it is consuming. */
export async function startWorker(f: WorkerFlags): Promise<Proc> {
  const p = new Proc(['consume', '--nats', f.url, '--stream', f.stream, '--subject', f.subject, '--durable', f.durable ?? 'workers', '--verdicts', f.verdicts, '--plan', f.plan ?? PLAN, ...(f.extra ?? [])]);
  await Promise.race([
    p.waitForStderr(/dataplan: consuming /),
    p.exited.then((code) => {
      throw new Error(`worker exited (${code}) before consuming:\n${p.stderr}`);
    }),
  ]);
  return p;
}

/** GET the worker's /metrics and read one sample. */
export async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in metrics:\n${text}`);
  return Number(line.slice(name.length + 1));
}
