/**
 * Issue 11 (Live Stream row): under concurrent HTTP and WebSocket load, with capture on, nothing is
 * lost: every acknowledged event is stored and captured once, each capture line holds the batch as it
 * was sent. Correctness only; `npm run bench:stream` measures the speed.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseBatches } from '../../src/stream/body.js';
import { socketUrl } from '../../src/stream/client.js';
import { example, get, removeTempDirs, start, tempDir } from './helpers.js';

afterAll(removeTempDirs);

const shop = example('clean-web-shopping-session');
const pool = ['clean-web-shopping-session', 'violation-invalid-values', 'violation-unplanned-events', 'web-sdk-quirks', 'violation-user-attributes'].flatMap((n) => example(n).events as unknown[]);

/** Batch k: a few real events, tagged so its capture line can be found again. */
function batch(k: number): Record<string, unknown> {
  return { ...shop, source_request_id: `load-${k}`, events: Array.from({ length: 1 + (k % 7) }, (_, i) => pool[(k + i) % pool.length]) };
}

/** The bodies clients send: compact, pretty-printed, with a BOM, arrays of batches, an unsafe 64-bit mpid. */
function body(k: number): { text: string; batches: number[] } {
  switch (k % 6) {
    case 0: return { text: JSON.stringify([batch(k), batch(k + 1)]), batches: [k, k + 1] };
    case 1: return { text: JSON.stringify(batch(k), null, 2), batches: [k] };
    case 2: return { text: `\ufeff ${JSON.stringify(batch(k))}\n`, batches: [k] };
    case 3: return { text: JSON.stringify(batch(k)).replace(/"mpid":"?-?\d+"?/, '"mpid":-9223372036854775807'), batches: [k] };
    case 4: return { text: `[\n${JSON.stringify(batch(k))},\n ${JSON.stringify(batch(k + 1), null, 1)}\n]`, batches: [k, k + 1] };
    default: return { text: JSON.stringify(batch(k)), batches: [k] };
  }
}

interface Ack { events: number; batches: Array<{ batch_id: number; event_count: number }> }

function httpPost(port: number, agent: Agent, text: string): Promise<Ack> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v3/JS/load-key/events', agent, headers: { 'content-type': 'text/plain;charset=UTF-8' } }, (res) => {
      let out = '';
      res.setEncoding('utf8').on('data', (c: string) => (out += c)).on('end', () => {
        if (res.statusCode !== 202) reject(new Error(`HTTP ${res.statusCode}: ${out}`));
        else resolve(JSON.parse(out) as Ack);
      });
    });
    req.on('error', reject);
    req.end(text);
  });
}

/** A WebSocket client keeping `window` messages in flight; resolves with every acknowledgement. */
function wsClient(url: string, next: () => number | undefined, window: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(url, '/dataplan/ingest'));
    const acks: Ack[] = [];
    let inflight = 0;
    const pump = () => {
      for (let k = inflight < window ? next() : undefined; k !== undefined; k = inflight < window ? next() : undefined) {
        inflight++;
        ws.send(body(k).text);
      }
      if (inflight === 0) {
        ws.close();
        resolve(acks);
      }
    };
    ws.on('open', pump);
    ws.on('message', (d) => {
      inflight--;
      const m = JSON.parse(String(d));
      if (m.type !== 'ack') return reject(new Error(`not acknowledged: ${String(d)}`));
      acks.push(m);
      pump();
    });
    ws.on('error', reject);
  });
}

describe('concurrent HTTP and WebSocket clients, capture on', () => {
  it.each([['on the main thread', { workers: 0 }], ['in ingest workers', { workers: 2, offloadAt: 0 }]] as const)('stores and captures every acknowledged event exactly once, each batch as sent, judged %s', async (_, threads) => {
    const capture = join(tempDir(), 'load.ndjson');
    const s = await start({ capture, buffer: 100, ...threads });
    try {
      const TOTAL = 600;
      let k = 0;
      // Each client takes the next body number; array bodies carry two batches (k and k + 1).
      const next = () => {
        if (k >= TOTAL) return undefined;
        const mine = k;
        k += body(mine).batches.length;
        return mine;
      };
      const agents = Array.from({ length: 3 }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
      const http = agents.map(async (agent) => {
        const acks: Ack[] = [];
        for (let n = next(); n !== undefined; n = next()) acks.push(await httpPost(Number(new URL(s.url).port), agent, body(n).text));
        return acks;
      });
      const ws = Array.from({ length: 3 }, () => wsClient(s.url, next, 4));
      const acks = (await Promise.all([...http, ...ws])).flat();
      for (const a of agents) a.destroy();

      const acked = acks.reduce((n, a) => n + a.events, 0);
      const ids = acks.flatMap((a) => a.batches.map((b) => b.batch_id));
      const sent = Array.from({ length: TOTAL }, (_, i) => batch(i).events as unknown[]);
      expect(acked).toBe(sent.reduce((n, e) => n + e.length, 0));

      const summary = await get(`${s.url}/dataplan/summary`);
      expect(summary.events).toBe(acked);
      expect(summary.batches).toBe(TOTAL);
      expect(summary.rejected).toBe(0);
      expect(summary.capture.records).toBe(TOTAL);
      // The workers' variant really ran in workers.
      expect((s.receiver.pool?.judged ?? 0) > 0).toBe(threads.workers > 0);

      const text = readFileSync(capture, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const records = text.slice(0, -1).split('\n').map((l) => JSON.parse(l));
      expect(records).toHaveLength(TOTAL);
      expect(records.reduce((n, r) => n + r.result.event_count, 0)).toBe(acked);
      expect(records.map((r) => r.batch_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      for (const r of records) {
        const n = Number(String(r.batch.source_request_id).slice('load-'.length));
        const want = batch(n);
        // The unsafe 64-bit mpid is kept as its digits (a string), not rounded.
        if (n % 6 === 3) want.mpid = '-9223372036854775807';
        expect(r.batch, `batch ${n}`).toEqual(want);
        expect(Object.keys(r).at(-1)).toBe('batch');
      }
    } finally {
      await s.close();
    }
  });
});

describe('the bytes of a batch, kept for the capture', () => {
  const bytes = (s: string) => Buffer.from(s);
  const rawOf = (text: string | Buffer) => parseBatches(typeof text === 'string' ? bytes(text) : text, 100).raw;

  it('are the batch itself when it parses to exactly that on one line', () => {
    const one = JSON.stringify(batch(1));
    expect(rawOf(`\ufeff  ${one}\r\n`)?.map(String)).toEqual([one]);
    const two = JSON.stringify(batch(2));
    const raw = rawOf(`[ ${one} ,\n${two}\n]`);
    expect(raw?.map(String)).toEqual([one, two]);
    for (const r of raw!) expect(JSON.parse(String(r))).toEqual(JSON.parse(r === raw![0] ? one : two));
  });

  it('are not used where a line break, a rewritten id or invalid UTF-8 would make the line differ', () => {
    const one = JSON.stringify(batch(1));
    expect(rawOf(JSON.stringify(batch(1), null, 2))).toEqual([undefined]);
    expect(rawOf(`[${JSON.stringify(batch(1), null, 1)},${one}]`)?.map((r) => r && String(r))).toEqual([undefined, one]);
    expect(rawOf(one.replace(/"mpid":"?-?\d+"?/, '"mpid":9223372036854775807'))).toBeUndefined();
    expect(rawOf(Buffer.concat([bytes('{"events":[],"x":"'), Buffer.from([0xff]), bytes('"}')]))).toBeUndefined();
  });
});
