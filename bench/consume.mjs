// Scale-out figures, in one run: one `dataplan validate` process against `dataplan consume` workers
// on a real nats-server -js (1 and 2 workers), on the same workload (bench/workload.mjs), and the
// SIGKILL-at-25 % scenario with its exactly-once check. Whole processes, wall-clock.
// Usage: node bench/consume.mjs [batches]   (default 20000 batches = 200k events; needs nats-server and a built dist/)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ensureWorkload } from './workload.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'dataplan.js');
const BATCHES = Number(process.env.BENCH_BATCHES ?? process.argv[2] ?? 20000);

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench/consume.mjs: build first (npm run build)');
  process.exit(2);
}

// A run that stalls says where, instead of hanging.
let phase = 'start';
setTimeout(() => {
  console.error(`bench/consume.mjs: no result after 20 minutes, stuck in: ${phase}`);
  process.exit(3);
}, 20 * 60_000).unref();

const scratch = mkdtempSync(join(tmpdir(), 'dataplan-bench-nats-'));
const LOG = join(scratch, 'processes.log');
const children = new Set();
process.on('exit', (code) => {
  if (code !== 0 && existsSync(LOG)) console.error(`--- stderr of the dataplan processes ---\n${readFileSync(LOG, 'utf8').slice(-4000)}`);
  for (const c of children) c.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function natsServerBinary() {
  for (const dir of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/usr/bin')) if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
}

/** CPU seconds a process has used so far (Linux), to show what nats-server itself costs. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

let runs = 0;
/**
 * A dataplan process, wrapped so it records its own CPU time and peak RSS when it exits (a
 * SIGKILLed one records nothing).
 */
function run(args, { stdout = false } = {}) {
  const usageFile = join(scratch, `usage-${runs++}.json`);
  const wrapper = [
    "import { writeFileSync } from 'node:fs';",
    `process.argv = [process.argv[0], ${JSON.stringify(BIN)}, ...${JSON.stringify(args)}];`,
    'process.on("exit", () => {',
    '  const u = process.resourceUsage();',
    `  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1e6, rssMB: u.maxRSS / 1024 }));`,
    '});',
    `await import(${JSON.stringify(BIN)});`,
  ].join('\n');
  // stderr (notes, progress) goes to a log, shown if the run fails.
  const child = spawn(process.execPath, ['--input-type=module', '-e', wrapper], { cwd: ROOT, stdio: ['ignore', stdout ? 'pipe' : 'ignore', openSync(LOG, 'a')] });
  children.add(child);
  let text = '';
  child.stdout?.on('data', (b) => void (text += b));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    let usage = { cpu: NaN, rssMB: NaN };
    try {
      usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    } catch {
      /* killed */
    }
    resolve({ code, signal, stdout: text, ...usage });
  }));
  return { child, exited };
}

async function startNats() {
  const dir = join(scratch, 'nats');
  const proc = spawn(natsServerBinary(), ['-js', '-a', '127.0.0.1', '-p', '-1', '-sd', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const onData = (b) => {
      log += b;
      const m = /Listening for client connections on (127\.0\.0\.1:\d+)/.exec(log);
      if (m && /Server is ready/.test(log)) resolve(`nats://${m[1]}`);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}):\n${log}`)));
  });
  return { url, pid: proc.pid, stop: () => proc.kill('SIGTERM') };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const { planFile, dataFile } = ensureWorkload(BATCHES);
const mb = statSync(dataFile).size / 1e6;
console.log(`dataplan consume bench: ${BATCHES} batches (${mb.toFixed(0)} MB NDJSON), plan ${planFile}`);

// 1. The baseline: one validate process, one thread.
phase = 'validate';
let t = performance.now();
const v = await run(['validate', dataFile, '--plan', planFile, '--format', 'json', '--jobs', '1'], { stdout: true }).exited;
const validateS = (performance.now() - t) / 1000;
const expected = JSON.parse(v.stdout).summary;
const EVENTS = expected.events;

// 2. A real JetStream server, and a client to watch it.
const server = await startNats();
const nc = await connect({ servers: server.url });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);

async function publish(stream) {
  const started = performance.now();
  const p = await run(['publish', dataFile, '--nats', server.url, '--subject', `${stream.toLowerCase()}.in`, '--stream', stream]).exited;
  if (p.code !== 0) throw new Error(`publish exited ${p.code}`);
  return { seconds: (performance.now() - started) / 1000, rssMB: p.rssMB };
}

function worker(stream, extra = []) {
  return run(['consume', '--nats', server.url, '--stream', stream, '--subject', `${stream.toLowerCase()}.in`, '--durable', 'bench', '--verdicts', `${stream.toLowerCase()}.verdicts`, '--plan', planFile, '--progress', '0', ...extra]);
}

async function settled(stream) {
  try {
    const c = await jsm.consumers.info(stream, 'bench');
    return c.num_pending === 0 && c.num_ack_pending === 0 && c.delivered.stream_seq > 0;
  } catch {
    return false;
  }
}

async function verdictCount(stream) {
  try {
    return (await jsm.streams.info(`${stream}_VERDICTS`)).state.messages;
  } catch {
    return 0;
  }
}

/** Start `n` workers on a full stream; seconds until every message is judged and acknowledged. */
async function scale(stream, n) {
  const cpu0 = cpuSeconds(server.pid);
  const started = performance.now();
  const ws = Array.from({ length: n }, () => worker(stream));
  while (!(await settled(stream))) await sleep(50);
  const seconds = (performance.now() - started) / 1000;
  const serverCpu = cpuSeconds(server.pid) - cpu0;
  for (const w of ws) w.child.kill('SIGTERM');
  const done = await Promise.all(ws.map((w) => w.exited));
  if (done.some((c) => c.code !== 0)) throw new Error(`a worker exited ${JSON.stringify(done.map((d) => d.code))}`);
  if ((await verdictCount(stream)) !== BATCHES) throw new Error(`${stream}: ${await verdictCount(stream)} verdicts for ${BATCHES} messages`);
  return { seconds, serverCpu, workerCpu: done.reduce((n, d) => n + d.cpu, 0) };
}

phase = 'publish ONE';
const fed = await publish('ONE');
phase = '1 worker';
const one = await scale('ONE', 1);
phase = 'publish TWO';
await publish('TWO');
phase = '2 workers';
const two = await scale('TWO', 2);

// 3. Two workers, one SIGKILLed at 25 %, a third started; then count the verdicts.
phase = 'publish KILL';
await publish('KILL');
phase = 'SIGKILL scenario';
const ackWait = ['--ack-wait', '5'];
const a = worker('KILL', ackWait);
const b = worker('KILL', ackWait);
let atKill;
while ((atKill = await verdictCount('KILL')) < BATCHES / 4) await sleep(20);
a.child.kill('SIGKILL');
await a.exited;
const c = worker('KILL', ackWait);
while (!(await settled('KILL'))) await sleep(100);
b.child.kill('SIGTERM');
c.child.kill('SIGTERM');
phase = 'waiting for the workers to drain';
await Promise.all([b.exited, c.exited]);

phase = 'reading the verdicts back';
const seen = new Map();
let events = 0;
const violations = Object.fromEntries(Object.keys(expected.violations).map((k) => [k, 0]));
let inputErrors = 0;
const stored = await verdictCount('KILL');
// A plain pull consumer, read in fetches: every stored verdict, once.
await jsm.consumers.add('KILL_VERDICTS', { durable_name: 'count', ack_policy: AckPolicy.None });
const reader = await js.consumers.get('KILL_VERDICTS', 'count');
let read = 0;
while (read < stored) {
  const batch = await reader.fetch({ max_messages: 1000, expires: 5000 });
  for await (const m of batch) {
    const verdict = m.json();
    seen.set(verdict.seq, (seen.get(verdict.seq) ?? 0) + 1);
    inputErrors += verdict.errors.length;
    for (const r of verdict.results) {
      events += r.event_count;
      for (const x of r.violations) violations[x.violation]++;
    }
    read++;
  }
}
phase = 'closing';
await nc.close();
server.stop();

const missing = Array.from({ length: BATCHES }, (_, i) => i + 1).filter((s) => !seen.has(s)).length;
const extra = [...seen.values()].reduce((n, k) => n + k - 1, 0);
const sameViolations = Object.entries(expected.violations).every(([k, n]) => violations[k] === n);
const exactlyOnce = stored === BATCHES && missing === 0 && extra === 0 && events === EVENTS && sameViolations && inputErrors === 0;

const rate = (s) => Math.round(EVENTS / s);
const cpu = (x) => `${x.toFixed(1).padStart(5)} CPU s`;
const row = (name, s, note) => console.log(`${name.padEnd(31)} ${s.toFixed(2).padStart(6)} s ${rate(s).toLocaleString('en').padStart(9)} events/s ${(validateS / s).toFixed(2).padStart(5)}x   ${note}`);
console.log(`\nwhole processes, wall clock until every message is judged (and acknowledged); ratio = events/s against the validate run in this run; ${availableParallelism()} cores`);
row('validate (1 process, 1 thread)', validateS, `${cpu(v.cpu)}`);
row('consume, 1 worker', one.seconds, `${cpu(one.workerCpu)} in the worker + ${cpu(one.serverCpu)} in nats-server`);
row('consume, 2 workers', two.seconds, `${cpu(two.workerCpu)} in the workers + ${cpu(two.serverCpu)} in nats-server`);
console.log(`publish (feeding the stream)    ${fed.seconds.toFixed(2).padStart(6)} s ${Math.round(BATCHES / fed.seconds).toLocaleString('en').padStart(9)} messages/s, peak RSS ${fed.rssMB.toFixed(0)} MB for ${mb.toFixed(0)} MB of NDJSON`);
console.log(`\nSIGKILL at 25 %: worker killed at ${atKill} verdicts, a third started (ack wait 5 s)`);
console.log(`  ${stored} verdicts stored for ${BATCHES} messages: ${missing} missing, ${extra} duplicates`);
console.log(`  events ${events} (validate: ${EVENTS}); violations by code ${sameViolations ? 'equal' : 'DIFFER from'} validate's (${expected.violation_count}); input errors ${inputErrors}`);
console.log(`  exactly once: ${exactlyOnce ? 'yes' : 'NO'}`);
process.exitCode = exactlyOnce ? 0 : 1;
