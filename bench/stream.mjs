#!/usr/bin/env node
/**
 * Live Stream throughput: a real `dataplan stream` process (validation and capture on), N WebSocket and
 * N HTTP clients sending a fixed number of events. Prints accepted vs stored vs captured events (must
 * be equal), events/s, and the receiver's RSS as it goes (flat once the ring is full).
 *
 *   node bench/stream.mjs [--events 1000000] [--ws 4] [--http 4] [--batch 10] [--window 4] [--no-capture]
 *
 * Needs `npm run build` first (it runs bin/dataplan.js).
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
};
const TOTAL = arg('events', 1_000_000);
const WS_CLIENTS = arg('ws', 4);
const HTTP_CLIENTS = arg('http', 4);
const PER_BATCH = arg('batch', 10);
const WINDOW = arg('window', 4);
const CAPTURE = !process.argv.includes('--no-capture');
const BUFFER = 10_000;

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
  join(root, 'bin', 'dataplan.js'), 'stream', '--no-ui', '--quiet', '--no-watch', '--port', '0', '--buffer', String(BUFFER),
  '--plan', join(root, 'plans', 'acme_web_shop.json'), ...(CAPTURE ? ['--capture', capture] : []),
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

const rssOf = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
};
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n) => n.toLocaleString('en-US');

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
const t0 = performance.now();
const progress = () => {
  while (accepted >= nextSample && samples.length < 10) {
    samples.push({ events: accepted, rss: rssOf(server.pid), s: (performance.now() - t0) / 1000 });
    nextSample += TOTAL / 10;
  }
};

function wsClient() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/dataplan/ingest`, { perMessageDeflate: false });
    let inflight = 0;
    let k = 0;
    const pump = () => {
      while (inflight < WINDOW && claim()) {
        inflight++;
        ws.send(payloads[k++ % payloads.length]);
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

function httpClient(n) {
  let k = n * 7;
  const one = () => new Promise((resolve, reject) => {
    const body = payloads[k++ % payloads.length];
    const req = request({ host: '127.0.0.1', port, path: '/v3/JS/bench-key/events', method: 'POST', agent: agentFor(n), headers: { 'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('latin1', 0, 120);
        if (res.statusCode === 202) accepted += Number(ACK_EVENTS.exec(text)[1]);
        else failures++;
        progress();
        resolve();
      });
    });
    req.on('error', reject);
    req.end(body);
  });
  return (async () => {
    while (claim()) await one();
  })();
}
const agents = new Map();
function agentFor(n) {
  if (!agents.has(n)) agents.set(n, new Agent({ keepAlive: true, maxSockets: 1 }));
  return agents.get(n);
}

console.log(`dataplan stream benchmark: ${fmt(TOTAL)} events in batches of ${PER_BATCH}, ${WS_CLIENTS} WebSocket clients (window ${WINDOW}) + ${HTTP_CLIENTS} HTTP clients (keep-alive), plan acme_web_shop, capture ${CAPTURE ? 'on' : 'off'}, ring ${fmt(BUFFER)} events`);
console.log(`receiver pid ${server.pid} at ${url}; RSS at start ${mb(rssOf(server.pid))}`);
await Promise.all([...Array.from({ length: WS_CLIENTS }, wsClient), ...Array.from({ length: HTTP_CLIENTS }, (_, i) => httpClient(i))]);
const wall = (performance.now() - t0) / 1000;
for (const a of agents.values()) a.destroy();

const summary = await (await globalThis.fetch(`${url}/dataplan/summary`)).json();
console.log('\n  events      elapsed   receiver RSS');
for (const s of samples) console.log(`  ${fmt(s.events).padStart(9)}   ${s.s.toFixed(1).padStart(6)} s   ${mb(s.rss).padStart(7)}`);

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
const rss = rssOf(server.pid);
console.log('');
console.log(`accepted (acknowledged to clients): ${fmt(accepted)} events${failures ? `, ${failures} failed requests` : ''}`);
console.log(`stored (receiver's count):          ${fmt(summary.events)} events in ${fmt(summary.batches)} batches; ring holds ${fmt(summary.stored.events)}`);
if (CAPTURE) console.log(`captured (capture file):            ${fmt(capturedEvents)} events in ${fmt(records)} records, ${mb(statSync(capture).size)}`);
console.log(`violations found:                   ${fmt(summary.violation_count)} in ${fmt(summary.events_with_violations)} events; ${summary.rejected} rejected requests`);
console.log(`throughput:                         ${fmt(Math.round(accepted / wall))} events/s (${wall.toFixed(1)} s wall, validation${CAPTURE ? ' and capture' : ''} included)`);
console.log(`receiver RSS after ${fmt(accepted)} events: ${mb(rss)} (heap used ${mb(summary.memory.heap_used)})`);
const ok = accepted === TOTAL && summary.events === accepted && (!CAPTURE || capturedEvents === accepted);
console.log(ok ? 'OK: accepted = stored = captured' : 'MISMATCH between accepted, stored and captured events');

server.kill('SIGINT');
await new Promise((r) => server.on('exit', r));
rmSync(dir, { recursive: true, force: true });
process.exitCode = ok ? 0 : 1;
