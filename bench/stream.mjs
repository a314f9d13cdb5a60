#!/usr/bin/env node
/**
 * Live Stream throughput: a real `dataplan stream` process (validation and capture on, its own
 * process), and N WebSocket plus N HTTP (keep-alive) clients in this process sending a fixed number of
 * events; the clients are kept cheap (see below), the receiver does all its usual work.
 * Prints events/s, accepted = stored = captured events (must be equal), the receiver's peak RSS, and
 * CPU seconds of the receiver, of the clients and of everything else on the machine during the run
 * (the machine is shared: the receiver's share says whether the clients or others starved it), and
 * the receiver's events per CPU second against JSON.parse + validate of the same batches in this process.
 *
 *   node bench/stream.mjs [--events 1000000] [--ws 4] [--http 4] [--batch 10] [--window 4]
 *                         [--no-capture] [--json] [--cpu-prof DIR] [--bin PATH] [--workers N]
 *
 * --json: the figures as one JSON object on stdout (the human lines go to stderr).
 * --cpu-prof DIR: the receiver writes a V8 CPU profile into DIR when it stops.
 * --bin PATH: run this bin/dataplan.js instead (another build, to compare in the same session).
 * --workers N: the receiver's ingest worker threads (its default: `defaultWorkers`, none on 2 cores or fewer; 0: main thread only).
 * Needs `npm run build` first (it runs bin/dataplan.js).
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const arg = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} ${argv[i + 1]}: expected a whole number`);
  return n;
};
const TOTAL = arg('events', 1_000_000);
const WS_CLIENTS = arg('ws', 4);
const HTTP_CLIENTS = arg('http', 4);
const PER_BATCH = arg('batch', 10);
const WINDOW = arg('window', 4);
const CAPTURE = !argv.includes('--no-capture');
const JSON_OUT = argv.includes('--json');
const PROF_AT = argv.indexOf('--cpu-prof');
const PROF_DIR = PROF_AT >= 0 ? resolve(argv[PROF_AT + 1] ?? '.') : undefined;
const BIN_AT = argv.indexOf('--bin');
const BIN = BIN_AT >= 0 ? resolve(argv[BIN_AT + 1]) : join(root, 'bin', 'dataplan.js');
const WORKERS = argv.includes('--workers') ? arg('workers', 0) : undefined;
const BUFFER = 10_000;
if (TOTAL % PER_BATCH !== 0 || WS_CLIENTS + HTTP_CLIENTS === 0) throw new Error('--events must be a multiple of --batch, and there must be a client');

/** Human lines: stdout, or stderr when stdout carries the JSON. */
const say = (s = '') => (JSON_OUT ? process.stderr : process.stdout).write(`${s}\n`);

// Payloads: real example events (clean and violating) in web-SDK-shaped batches tagged with the plan.
const load = (f) => JSON.parse(readFileSync(join(root, 'plans', 'examples', f), 'utf8'));
const base = load('clean-web-shopping-session.json');
const pool = ['clean-web-shopping-session.json', 'violation-invalid-values.json', 'violation-unplanned-events.json', 'web-sdk-quirks.json'].flatMap((f) => load(f).events);
const payloads = Array.from({ length: 32 }, (_, k) => JSON.stringify({
  ...base, source_request_id: `bench-${k}`, events: Array.from({ length: PER_BATCH }, (_, i) => pool[(k * PER_BATCH + i) % pool.length]),
}));

const dir = mkdtempSync(join(tmpdir(), 'dataplan-bench-'));
const capture = join(dir, 'capture.ndjson');
const server = spawn(process.execPath, [
  ...(PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`] : []),
  BIN, 'stream', '--no-ui', '--quiet', '--no-watch', '--no-https', '--port', '0', '--buffer', String(BUFFER),
  '--plan', join(root, 'plans', 'acme_web_shop.json'), ...(CAPTURE ? ['--capture', capture] : []),
  ...(WORKERS !== undefined ? ['--workers', String(WORKERS)] : []),
], { stdio: ['ignore', 'pipe', 'pipe'] });
let banner = '';
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (d) => {
    banner += d;
    const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(banner);
    if (m) resolve(m[1]);
  });
  server.on('exit', (code) => reject(new Error(`receiver exited (${code}): ${banner}`)));
});
const port = new URL(url).port;

// What /proc says about the receiver and the machine (Linux; elsewhere the figures are left out).
const TICK = 100; // USER_HZ: clock ticks per second in /proc
const procStatus = (pid, field) => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
};
const rssOf = (pid) => procStatus(pid, 'VmRSS');
/** CPU seconds (user + system) a process has used so far. */
const cpuOf = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / TICK;
  } catch {
    return NaN;
  }
};
/** CPU seconds of a process's threads, by thread name (the main thread as `main`). */
const threadsCpu = (pid) => {
  const out = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = tid === String(pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.split(') ')[1].split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / TICK;
    }
  } catch {
    // Not Linux: left out.
  }
  return out;
};
/** CPU seconds the whole machine has been busy (all cores), and how many cores it has. */
const machineCpu = () => {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return f.slice(0, 8).reduce((a, b) => a + b, 0) / TICK - idle / TICK;
  } catch {
    return NaN;
  }
};
const clientCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n) => n.toLocaleString('en-US');
const pct = (n) => `${(n * 100).toFixed(0)}%`;

let sent = 0; // events handed to a client (claimed)
let accepted = 0; // events acknowledged by the receiver
let failures = 0;
const claim = () => {
  if (sent >= TOTAL) return false;
  sent += PER_BATCH;
  return true;
};
const ACK_EVENTS = /"events":(\d+)/;

const samples = [];
let nextSample = TOTAL / 10;
let t0 = 0;
const progress = () => {
  while (accepted >= nextSample && samples.length < 10) {
    samples.push({ events: accepted, rss: rssOf(server.pid), s: (performance.now() - t0) / 1000 });
    nextSample += TOTAL / 10;
  }
};

// The clients are made cheap (they share the machine with the receiver): bodies are encoded once, the
// WebSocket frames carry a zero mask (nothing to XOR on this side; the receiver unmasks as always), and
// HTTP requests are written as prepared bytes on keep-alive sockets, their answers read by Content-Length.
const bodies = payloads.map((p) => Buffer.from(p));

function wsClient() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/dataplan/ingest`, { perMessageDeflate: false, generateMask: () => undefined });
    let inflight = 0;
    let k = 0;
    const pump = () => {
      while (inflight < WINDOW && claim()) {
        inflight++;
        ws.send(bodies[k++ % bodies.length], { binary: false });
      }
      if (inflight === 0) {
        ws.close();
        resolve();
      }
    };
    ws.on('open', pump);
    ws.on('message', (d) => {
      inflight--;
      const text = d.toString('latin1', 0, 120);
      if (text.startsWith('{"type":"ack"')) accepted += Number(ACK_EVENTS.exec(text)[1]);
      else failures++;
      progress();
      pump();
    });
    ws.on('error', reject);
  });
}

/** Each body as a whole HTTP/1.1 request (the web SDK's path and content type). */
const requests = bodies.map((b) => Buffer.concat([
  Buffer.from(`POST /v3/JS/bench-key/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: ${b.length}\r\nConnection: keep-alive\r\n\r\n`),
  b,
]));

/** One keep-alive connection sending a request, reading its answer, and so on. */
function httpClient(n) {
  return new Promise((resolve, reject) => {
    let k = n * 7;
    let held = Buffer.alloc(0);
    const sock = connect({ host: '127.0.0.1', port: Number(port) });
    sockets.push(sock);
    const next = () => {
      if (!claim()) {
        sock.end();
        return resolve();
      }
      sock.write(requests[k++ % requests.length]);
    };
    sock.on('connect', next);
    sock.on('data', (chunk) => {
      held = held.length ? Buffer.concat([held, chunk]) : chunk;
      for (;;) {
        const end = held.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = held.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (held.length < end + 4 + length) return;
        const text = held.toString('latin1', end + 4, Math.min(end + 4 + length, end + 4 + 120));
        if (head.startsWith('HTTP/1.1 202')) accepted += Number(ACK_EVENTS.exec(text)[1]);
        else failures++;
        held = held.subarray(end + 4 + length);
        progress();
        next();
      }
    });
    sock.on('error', reject);
  });
}
const sockets = [];

say(`dataplan stream benchmark: ${fmt(TOTAL)} events in batches of ${PER_BATCH}, ${WS_CLIENTS} WebSocket clients (window ${WINDOW}) + ${HTTP_CLIENTS} HTTP clients (keep-alive), plan acme_web_shop, capture ${CAPTURE ? 'on' : 'off'}, ring ${fmt(BUFFER)} events`);
say(`receiver pid ${server.pid} at ${url}; RSS at start ${mb(rssOf(server.pid))}; clients in this process (pid ${process.pid})`);
const before = { receiver: cpuOf(server.pid), clients: clientCpu(), machine: machineCpu(), threads: threadsCpu(server.pid) };
t0 = performance.now();
await Promise.all([...Array.from({ length: WS_CLIENTS }, wsClient), ...Array.from({ length: HTTP_CLIENTS }, (_, i) => httpClient(i))]);
const wall = (performance.now() - t0) / 1000;
const cpu = { receiver: cpuOf(server.pid) - before.receiver, clients: clientCpu() - before.clients, machine: machineCpu() - before.machine };
const threads = Object.fromEntries(Object.entries(threadsCpu(server.pid)).map(([k, v]) => [k, Number((v - (before.threads[k] ?? 0)).toFixed(2))]).filter(([, v]) => v > 0));
const others = Math.max(0, cpu.machine - cpu.receiver - cpu.clients);
for (const sock of sockets) sock.destroy();

const summary = await (await globalThis.fetch(`${url}/dataplan/summary`)).json();
say('\n  events      elapsed   receiver RSS');
for (const s of samples) say(`  ${fmt(s.events).padStart(9)}   ${s.s.toFixed(1).padStart(6)} s   ${mb(s.rss).padStart(7)}`);

let capturedEvents = 0;
let records = 0;
if (CAPTURE) {
  const rl = createInterface({ input: createReadStream(capture), crlfDelay: Infinity });
  const EC = /"event_count":(\d+)/;
  for await (const line of rl) {
    if (!line) continue;
    records++;
    capturedEvents += Number(EC.exec(line)[1]);
  }
}
// The floor: parsing and judging the same batches in this process, no transport, no capture.
const { loadPlan } = await import(join(root, 'dist', 'index.js'));
const plan = loadPlan(join(root, 'plans', 'acme_web_shop.json'));
const floorBatches = Math.min(TOTAL / PER_BATCH, 20_000);
const floorStart = clientCpu();
for (let i = 0; i < floorBatches; i++) plan.validateBatch(JSON.parse(payloads[i % payloads.length]));
const floorRate = Math.round((floorBatches * PER_BATCH) / (clientCpu() - floorStart));

const rss = rssOf(server.pid);
const peakRss = procStatus(server.pid, 'VmHWM');
const rate = Math.round(accepted / wall);
const share = cpu.receiver / (cpu.receiver + cpu.clients);
say('');
say(`accepted (acknowledged to clients): ${fmt(accepted)} events${failures ? `, ${failures} failed requests` : ''}`);
say(`stored (receiver's count):          ${fmt(summary.events)} events in ${fmt(summary.batches)} batches; ring holds ${fmt(summary.stored.events)}`);
if (CAPTURE) say(`captured (capture file):            ${fmt(capturedEvents)} events in ${fmt(records)} records, ${mb(statSync(capture).size)}`);
say(`violations found:                   ${fmt(summary.violation_count)} in ${fmt(summary.events_with_violations)} events; ${summary.rejected} rejected requests`);
say(`throughput:                         ${fmt(rate)} events/s (${wall.toFixed(1)} s wall, validation${CAPTURE ? ' and capture' : ''} included)`);
say(`receiver memory:                    peak RSS ${mb(peakRss)}, ${mb(rss)} at the end (heap used ${mb(summary.memory.heap_used)})`);
say(`CPU during the run:                 receiver ${cpu.receiver.toFixed(1)} s (${pct(cpu.receiver / wall)} of a core), clients ${cpu.clients.toFixed(1)} s (${pct(cpu.clients / wall)}), other processes ${others.toFixed(1)} s`);
if (threads.main !== undefined) say(`receiver threads (CPU s):           ${Object.entries(threads).map(([k, v]) => `${k} ${v}`).join(', ')}; main thread ${fmt(Math.round(accepted / threads.main))} events per CPU second`);
say(`receiver's share of bench CPU:      ${pct(share)}; ${fmt(Math.round(accepted / cpu.receiver))} events per receiver CPU second = ${(accepted / cpu.receiver / floorRate).toFixed(2)}× JSON.parse + validate alone (${fmt(floorRate)} per CPU second here)`);
const ok = accepted === TOTAL && summary.events === accepted && (!CAPTURE || capturedEvents === accepted) && failures === 0;
say(ok ? 'OK: accepted = stored = captured' : 'MISMATCH between accepted, stored and captured events');

if (JSON_OUT) {
  process.stdout.write(`${JSON.stringify({
    bench: 'stream', events: TOTAL, batch: PER_BATCH, ws_clients: WS_CLIENTS, http_clients: HTTP_CLIENTS, window: WINDOW, capture: CAPTURE,
    wall_s: Number(wall.toFixed(3)), events_per_s: rate,
    accepted, stored: summary.events, captured: CAPTURE ? capturedEvents : null, capture_records: CAPTURE ? records : null, failures,
    violations: summary.violation_count, rejected: summary.rejected,
    receiver: { pid: server.pid, peak_rss: peakRss, rss_end: rss, cpu_s: Number(cpu.receiver.toFixed(2)), events_per_cpu_s: Math.round(accepted / cpu.receiver), threads_cpu_s: threads },
    clients: { cpu_s: Number(cpu.clients.toFixed(2)) },
    parse_validate_events_per_cpu_s: floorRate,
    others_cpu_s: Number(others.toFixed(2)), receiver_cpu_share: Number(share.toFixed(3)),
    ok,
  })}\n`);
}

server.kill('SIGINT');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
if (PROF_DIR) say(`receiver CPU profile written to ${PROF_DIR}`);
process.exitCode = ok ? 0 : 1;
