#!/usr/bin/env node
/**
 * Hostile traffic against a real `dataplan stream` on 127.0.0.1, as in issue 10, with the figures
 * printed: foreign pages, huge events, a million tiny batches, silent and flooding connections, a
 * stalled body, 500 viewers, SIGKILLs during capture, terminal escapes. Bounded in count and time,
 * loopback only, stops by itself (about two minutes; `--quick` for a smaller run).
 *
 *   npm run probe [-- --quick] [-- --only 2,4]
 *
 * Needs `npm run build` first (it runs bin/dataplan.js). Figures depend on the machine: ratios are
 * against baselines measured in the same run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(root, 'bin', 'dataplan.js');
const PLAN = join(root, 'plans', 'acme_web_shop.json');
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('probe: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const QUICK = process.argv.includes('--quick');
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',').map(Number) : undefined;
const run = (n) => !ONLY || ONLY.includes(n);
const dir = mkdtempSync(join(tmpdir(), 'dataplan-probe-'));
const children = new Set();
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (n) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const ms = (n) => `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms`;
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const line = (what, figure) => console.log(`  ${what.padEnd(58)} ${figure}`);
const head = (title) => console.log(`\n${title}`);

/** Start a receiver (under `ulimit -n 1024`, as in the issue), resolve with its URL and pid. */
async function receiver(extra = [], { quiet = true } = {}) {
  const args = [BIN, 'stream', '--no-ui', ...(quiet ? ['--quiet'] : []), '--no-watch', '--no-https', '--port', '0', '--plan', PLAN, ...extra];
  const child = spawn('sh', ['-c', 'ulimit -n 1024 && exec "$0" "$@"', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.add(child);
  let err = '';
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const url = await new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}): ${err}`)));
  });
  const exited = new Promise((r) => child.once('exit', (code, sig) => r(sig ?? code)));
  return {
    url, port: Number(new URL(url).port), pid: child.pid, child, exited, out: () => out, err: () => err,
    alive: () => child.exitCode === null && child.signalCode === null,
    async stop(sig = 'SIGTERM') {
      child.kill(sig);
      await exited;
      children.delete(child);
    },
  };
}

const status = (pid) => readFileSync(`/proc/${pid}/status`, 'utf8');
const rss = (pid) => Number(/VmRSS:\s+(\d+) kB/.exec(status(pid))?.[1] ?? NaN) * 1024;
const peak = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(status(pid))?.[1] ?? NaN) * 1024;
const fds = (pid) => readdirSync(`/proc/${pid}/fd`).length;

function http(url, { method = 'GET', headers = {}, body, agent = false, timeout = 60_000 } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = request(url, { method, headers, agent, timeout }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on('data', (d) => {
        bytes += d.length;
        if (bytes < 1 << 20) chunks.push(d);
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, bytes, text: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
      res.on('error', (e) => resolve({ status: 0, error: e.code ?? e.message, ms: performance.now() - t0 }));
    });
    req.on('error', (e) => resolve({ status: 0, error: e.code ?? e.message, ms: performance.now() - t0 }));
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}
const json = (body) => ({ body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const summary = async (r) => JSON.parse((await http(`${r.url}/dataplan/summary`)).text);

const load = (f) => JSON.parse(readFileSync(join(root, 'plans', 'examples', f), 'utf8'));
const BATCH = load('violation-user-attributes.json');

console.log(`dataplan probe: hostile traffic on 127.0.0.1 (${QUICK ? 'quick' : 'full'} run; receivers under ulimit -n 1024)`);

// 1. Foreign pages and names.
if (run(1)) {
  head('1. foreign pages (no --token)');
  const r = await receiver();
  const text = { 'content-type': 'text/plain' };
  await http(`${r.url}/v2/events`, { method: 'POST', ...json(BATCH) });
  const read = await http(`${r.url}/dataplan/events`, { headers: { origin: 'https://evil.example' } });
  line('GET /dataplan/events, Origin: https://evil.example', `${read.status}, ACAO ${read.headers['access-control-allow-origin'] ?? 'none'}, ${read.text.includes('pat@example.com') ? 'LEAKS stored emails' : 'no stored data'}`);
  const reset = await http(`${r.url}/dataplan/reset`, { method: 'POST', body: '', headers: { ...text, origin: 'https://evil.example' } });
  line('cross-origin text/plain POST /dataplan/reset', `${reset.status}; events still stored: ${(await summary(r)).events}`);
  const rebound = await http(`${r.url}/dataplan/events`, { headers: { host: 'evil.example' } });
  line('Host: evil.example (DNS rebinding)', String(rebound.status));
  const ws = await new Promise((resolve) => {
    const s = new WebSocket(`ws://127.0.0.1:${r.port}/dataplan/feed`, { headers: { origin: 'https://evil.example' } });
    s.once('open', () => (s.terminate(), resolve(101)));
    s.once('unexpected-response', (_q, res) => resolve(res.statusCode));
    s.once('error', () => resolve('error'));
  });
  line('WebSocket upgrade to /dataplan/feed from a foreign origin', String(ws));
  const sdk = await http(`${r.url}/v3/JS/key/events`, { method: 'POST', body: JSON.stringify(BATCH), headers: { ...text, origin: 'https://shop.example' } });
  line('web SDK upload from the app\'s origin', `${sdk.status}, ACAO ${sdk.headers['access-control-allow-origin']}`);
  await r.stop();
}

// 2. Memory is bounded by bytes.
if (run(2)) {
  const posts = QUICK ? 150 : 1200;
  head(`2. ${fmt(posts)} posts of one 3.6 MB event (default --buffer-bytes 256 MB)`);
  const r = await receiver();
  const event = { event_type: 'custom_event', data: { event_name: 'Big', custom_event_type: 'other', custom_attributes: { blob: 'b'.repeat(3.6 * 1024 * 1024) } } };
  const body = JSON.stringify({ ...BATCH, events: [event] });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const base = rss(r.pid);
  let ok = 0;
  let failed = 0;
  const marks = [];
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < posts && r.alive()) {
      next++;
      const a = await http(`${r.url}/v2/events`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, agent });
      if (a.status === 202) ok++;
      else failed++;
      if ((ok + failed) % Math.ceil(posts / 4) === 0) marks.push(`${fmt(ok + failed)}: ${mb(rss(r.pid))}`);
    }
  }));
  agent.destroy();
  if (!r.alive()) line('receiver', `DIED after ${ok} posts`);
  else {
    const s = await summary(r);
    line('accepted / failed', `${fmt(ok)} / ${fmt(failed)}, receiver alive`);
    line('RSS at start → as posts went on', `${mb(base)} → ${marks.join(', ')}`);
    line('peak RSS (VmHWM)', mb(peak(r.pid)));
    line('stored now', `${fmt(s.stored.events)} events, ${mb(s.stored.bytes)} of ${mb(s.stored.byte_budget)}; counted ${fmt(s.events)}`);
  }
  await r.stop();
}

// 3. One request cannot cost more than it is worth.
if (run(3)) {
  head('3. a 4 MB text/plain body of 1.4 M `{}` batches, and other costly requests');
  const r = await receiver();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const small = () => http(`${r.url}/v2/events`, { method: 'POST', ...json(BATCH), agent });
  const samples = [];
  for (let i = 0; i < 20; i++) samples.push((await small()).ms);
  samples.sort((a, b) => a - b);
  const baseline = samples[10];
  // Just under the default --max-body of 4 MB.
  const body = `[${'{},'.repeat(1_398_000)}{}]`;
  const before = rss(r.pid);
  const during = [];
  let done = false;
  const big = http(`${r.url}/v3/JS/key/events`, { method: 'POST', body, headers: { 'content-type': 'text/plain;charset=UTF-8' } }).then((a) => ((done = true), a));
  while (!done) during.push((await small()).ms);
  const a = await big;
  line('answer', a.status ? `${a.status} in ${ms(a.ms)}, ${fmt(a.bytes)} bytes: ${JSON.parse(a.text).error?.message.slice(0, 60) ?? ''}…` : `failed: ${a.error}`);
  line('RSS before → peak', `${mb(before)} → ${mb(peak(r.pid))}`);
  line('another client, slowest request meanwhile vs its median alone', `${ms(Math.max(...during))} vs ${ms(baseline)} (×${(Math.max(...during) / baseline).toFixed(1)})`);
  const arr = await http(`${r.url}/v2/bulkevents`, { method: 'POST', ...json('[1,2,3]') });
  line('body [1,2,3]', `${arr.status}: ${JSON.parse(arr.text).error.message}`);
  const unplanned = (n) => ({ ...BATCH, events: Array.from({ length: n }, (_, i) => ({ event_type: 'custom_event', data: { event_name: `Unplanned ${i}`, custom_event_type: 'other' } })) });
  const flood = JSON.stringify(unplanned(10_000));
  const f = await http(`${r.url}/v2/events`, { method: 'POST', ...json(flood) });
  const fj = JSON.parse(f.text);
  line(`one batch of 10,000 unplanned events (${mb(flood.length)})`, `answer ${fmt(f.bytes)} bytes in ${ms(f.ms)}: ${fmt(fj.batches[0].violations.length)} listed, ${fmt(fj.batches[0].violations_omitted ?? 0)} counted only`);
  const empties = `{"events":[${Array(1_300_000).fill('{}').join(',')}]}`;
  const e = await http(`${r.url}/v2/events`, { method: 'POST', ...json(empties) });
  line('one batch of 1.3 M empty events (3.9 MB)', `${e.status} in ${ms(e.ms)}: ${JSON.parse(e.text).error?.message.slice(0, 50)}…`);
  agent.destroy();
  await r.stop();
}

// 4. Connections are bounded.
if (run(4)) {
  const n = QUICK ? 1200 : 2000;
  head(`4. ${fmt(n)} silent connections, a stalled body, and a normal client (defaults: 10 s idle, 30 s body, 1,000 connections)`);
  const r = await receiver();
  const fds0 = fds(r.pid);
  const t0 = performance.now();
  // A body that never ends.
  const stall = connect(r.port, '127.0.0.1');
  let stallAnswer = '';
  let stallAt = 0;
  stall.on('data', (d) => {
    stallAnswer += d;
    stallAt ||= performance.now() - t0;
  });
  stall.on('error', () => undefined);
  stall.write('POST /v2/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"events": [');
  const socks = [];
  let closedEarly = 0;
  for (let i = 0; i < n; i++) {
    // They never read: closing them is up to the receiver.
    const s = connect(r.port, '127.0.0.1');
    s.on('error', () => undefined);
    s.on('close', () => {
      if (performance.now() - t0 < 5000) closedEarly++;
    });
    socks.push(s);
    if (i % 200 === 199) await sleep(20);
  }
  await sleep(1500);
  const during = await http(`${r.url}/v2/events`, { method: 'POST', ...json(BATCH) });
  line('receiver file descriptors: before → with the flood in', `${fds0} → ${fds(r.pid)} (limit 1,024)`);
  line('connections past the cap, closed by the receiver within 5 s', fmt(closedEarly));
  line('a normal client during the flood', `${during.status || during.error}${during.status === 503 ? ` (Retry-After ${during.headers['retry-after']})` : ''}`);
  await sleep(Math.max(0, 12_500 - (performance.now() - t0)));
  const held = fds(r.pid) - fds0;
  line('connections the receiver still holds after 12.5 s', `${fmt(held)} (the stalled body${held > 1 ? ' and others' : ''}); file descriptors ${fds(r.pid)}`);
  const after = await http(`${r.url}/v2/events`, { method: 'POST', ...json(BATCH) });
  line('a normal client after that', `${after.status || after.error}`);
  while (!stallAnswer && performance.now() - t0 < 40_000) await sleep(200);
  line('a body that stalls', stallAnswer ? `${stallAnswer.split('\r\n')[0]} after ${(stallAt / 1000).toFixed(1)} s` : 'no answer in 40 s');
  for (const s of socks) s.destroy();
  stall.destroy();
  await r.stop();
}

// 5. Viewers do not slow ingest.
if (run(5)) {
  const viewersWanted = QUICK ? 100 : 500;
  const batches = QUICK ? 2000 : 6000;
  head(`5. ingest with ${viewersWanted} viewers asking to read the feed (--max-viewers 32)`);
  const r = await receiver();
  const payload = JSON.stringify(BATCH);
  const rate = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let next = 0;
    const t = performance.now();
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next++ < batches) await http(`${r.url}/v2/events`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json' }, agent });
    }));
    agent.destroy();
    return batches / ((performance.now() - t) / 1000);
  };
  const alone = await rate();
  let accepted = 0;
  let refused = 0;
  let received = 0;
  const sockets = [];
  await Promise.all(Array.from({ length: viewersWanted }, () => new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${r.port}/dataplan/feed`, { perMessageDeflate: false });
    ws.on('message', () => received++);
    ws.once('open', () => (accepted++, sockets.push(ws), resolve()));
    ws.once('unexpected-response', (_q, res) => (res.statusCode === 503 && refused++, resolve()));
    ws.once('error', () => resolve());
  })));
  const watched = await rate();
  line('viewers connected / refused with 503', `${accepted} / ${refused}`);
  line('batches/s alone → with the viewers reading', `${fmt(alone)} → ${fmt(watched)} (×${(watched / alone).toFixed(2)})`);
  await sleep(500);
  line('feed messages the viewers read', fmt(received));
  for (const ws of sockets) ws.terminate();
  await r.stop();
}

// 6. The capture survives SIGKILL.
if (run(6)) {
  const rounds = QUICK ? 4 : 10;
  head(`6. ${rounds} SIGKILLs while 8 clients upload with --capture`);
  let lost = 0;
  let torn = 0;
  let acked = 0;
  const replayCodes = [];
  let wholeAfter = 0;
  for (let k = 0; k < rounds; k++) {
    const file = join(dir, `kill-${k}.ndjson`);
    const r = await receiver(['--capture', file]);
    const ids = new Set();
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    let stop = false;
    const clients = Array.from({ length: 8 }, async () => {
      while (!stop) {
        const a = await http(`${r.url}/v2/bulkevents`, { method: 'POST', body: JSON.stringify([BATCH, BATCH, BATCH]), headers: { 'content-type': 'application/json' }, agent });
        if (a.status !== 202) break;
        for (const b of JSON.parse(a.text).batches) ids.add(b.batch_id);
      }
    });
    await sleep(300 + Math.random() * 700);
    r.child.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    await r.exited;
    children.delete(r.child);
    agent.destroy();
    acked += ids.size;
    const text = readFileSync(file, 'utf8');
    if (!text.endsWith('\n')) torn++;
    const onDisk = new Set(text.split('\n').filter(Boolean).flatMap((l) => {
      try {
        return [JSON.parse(l).batch_id];
      } catch {
        return [];
      }
    }));
    for (const id of ids) if (!onDisk.has(id)) lost++;
    replayCodes.push(spawnSync(process.execPath, [BIN, 'replay', file, '--plan', PLAN, '--format', 'json'], { stdio: 'ignore' }).status);
    // Restart on the same file: the tail is made whole before anything is appended.
    const again = await receiver(['--capture', file]);
    await http(`${again.url}/v2/events`, { method: 'POST', ...json(BATCH) });
    await again.stop();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    if (lines.every((l) => { try { JSON.parse(l); return true; } catch { return false; } })) wholeAfter++;
  }
  line('acknowledged batches / lost', `${fmt(acked)} / ${lost}`);
  line('capture files ending in a torn line right after the kill', `${torn} of ${rounds}`);
  line('`replay` exit codes on the killed files (2 = unusable)', replayCodes.join(' '));
  line('files whose every line parses after a restart and one more batch', `${wholeAfter} of ${rounds}`);
}

// 7. Terminal safety.
if (run(7)) {
  head('7. control characters in names and paths, --no-ui');
  const r = await receiver([], { quiet: false });
  const evil = { ...BATCH, events: [{ event_type: 'custom_event', data: { event_name: 'Buy\u001b]0;pwned\u0007\u001b[2J', custom_event_type: 'other' } }] };
  await http(`${r.url}/v2/events`, { method: 'POST', ...json(evil) });
  await sleep(300);
  await r.stop('SIGINT');
  // eslint-disable-next-line no-control-regex
  const raw = (r.out().match(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g) ?? []).length;
  line('raw control characters on stdout', String(raw));
  line('the event line', r.out().split('\n').find((l) => l.includes('Buy'))?.trim().slice(0, 60) ?? '(none)');
}

console.log('\nmeasured on this machine; compare ratios, not absolute figures');
