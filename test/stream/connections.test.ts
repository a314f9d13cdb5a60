/**
 * Issue 10 item 6: connections are bounded. Silent connections are closed, stalled bodies cut with
 * 408, connections and feed viewers capped, and viewers cost ingest one shared write each, the
 * slowest dropped first.
 */
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { socketUrl } from '../../src/stream/client.js';
import { FeedHub } from '../../src/stream/feed.js';
import type { FeedMessage, RunningStream } from '../../src/stream/index.js';
import { example, get, post, removeTempDirs, start, tempDir, waitFor } from './helpers.js';

// Real servers, sockets and processes: room for a busy machine (no timing is asserted).
vi.setConfig({ testTimeout: 30_000 });

const open: Array<{ close(): Promise<void> }> = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of open.splice(0)) await s.close();
});
afterAll(removeTempDirs);

async function server(o: Parameters<typeof start>[0]): Promise<RunningStream> {
  const s = await start(o);
  open.push(s);
  return s;
}

/** A raw TCP connection, with everything it receives and whether it closed; `read: false` never reads. */
async function tcp(port: number, read = true): Promise<{ sock: Socket; got: () => string; closed: Promise<void> }> {
  const sock = connect(port, '127.0.0.1');
  sockets.push(sock);
  let got = '';
  if (read) sock.on('data', (d) => (got += d));
  sock.on('error', () => undefined);
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  await new Promise((r) => sock.once('connect', r));
  return { sock, got: () => got, closed };
}

const batch = example('violation-user-attributes');

describe('timeouts', () => {
  it('closes a connection that sends nothing within the idle timeout', async () => {
    const s = await server({ idleTimeout: 300 });
    const silent = await tcp(s.server.port);
    // One that does not even read what it is sent must not keep the socket half-open either.
    await tcp(s.server.port, false);
    await waitFor(() => s.server.connections === 2, 3000, 'two connections');
    await silent.closed;
    await waitFor(() => s.server.connections === 0, 8000, 'both connections to be closed on the receiver\'s side');
    // Clients that do talk are unaffected.
    expect((await post(`${s.url}/v2/events`, batch)).status).toBe(202);
  });

  it('cuts a body that stalls with 408 and counts it, and the receiver keeps serving', async () => {
    const s = await server({ bodyTimeout: 300 });
    const slow = await tcp(s.server.port);
    slow.sock.write(`POST /v2/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"events": [`);
    await waitFor(() => slow.got().length > 0, 8000, 'an answer');
    expect(slow.got()).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.got()).toMatch(/request body stalled: no data for 0\.3 s/);
    await slow.closed;
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.rejected_by_reason.timeout).toBe(1);
    expect((await post(`${s.url}/v2/events`, batch)).status).toBe(202);
  });

  it('answers a request head that never ends with 408, not 400', async () => {
    const s = await server({ idleTimeout: 300 });
    const slow = await tcp(s.server.port);
    slow.sock.write('GET /dataplan/summary HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await slow.closed;
    expect(slow.got()).toMatch(/^HTTP\/1\.1 408 /);
  });
});

describe('caps', () => {
  it('answers connections past --max-connections with 503, and takes new ones once others close', async () => {
    const s = await server({ maxConnections: 4 });
    const held = await Promise.all([1, 2, 3, 4].map(() => tcp(s.server.port)));
    await waitFor(() => s.server.connections === 4, 3000, 'four connections');
    const r = await post(`${s.url}/v2/events`, batch);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.json.error.message).toMatch(/more than 4 connections are open \(--max-connections\)/);
    for (const h of held) h.sock.destroy();
    await waitFor(() => s.server.connections === 0, 3000, 'the connections to close');
    expect((await post(`${s.url}/v2/events`, batch)).status).toBe(202);
    expect((await get(`${s.url}/dataplan/summary`)).rejected_by_reason.busy).toBe(1);
  });

  it('answers feed viewers past --max-viewers with 503', async () => {
    const s = await server({ maxViewers: 2 });
    const viewer = () => new Promise<{ ws: WebSocket; status: number }>((resolve) => {
      const ws = new WebSocket(socketUrl(s.url, '/dataplan/feed'));
      ws.once('open', () => resolve({ ws, status: 101 }));
      ws.once('unexpected-response', (_q, res) => resolve({ ws, status: res.statusCode ?? 0 }));
    });
    const a = await viewer();
    const b = await viewer();
    const c = await viewer();
    expect([a.status, b.status, c.status]).toEqual([101, 101, 503]);
    a.ws.terminate();
    await waitFor(() => s.server.viewers === 1, 3000, 'the viewer to leave');
    const d = await viewer();
    expect(d.status).toBe(101);
    b.ws.terminate();
    d.ws.terminate();
  });
});

describe('the HTTPS listener', () => {
  function https(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, { message: string }> }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { ca, headers, agent: false, servername: 'localhost' }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text || '{}') }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('has the same checks, one connection count with HTTP, and the idle timeout', async () => {
    const s = await server({ https: { port: 0, dir: tempDir() }, maxConnections: 3, idleTimeout: 500 });
    const ca = s.tls!.cert;
    expect((await https(`${s.httpsUrl}/dataplan/summary`, ca)).status).toBe(200);
    expect((await https(`${s.httpsUrl}/dataplan/summary`, ca, { host: 'evil.example' })).status).toBe(403);
    expect((await https(`${s.httpsUrl}/dataplan/summary`, ca, { origin: 'https://evil.example' })).status).toBe(403);
    // Three connections held on the HTTP port fill the cap for HTTPS too.
    await Promise.all([1, 2, 3].map(() => tcp(s.server.port)));
    await waitFor(() => s.server.connections === 3, 3000, 'three connections');
    const busy = await https(`${s.httpsUrl}/dataplan/summary`, ca);
    expect(busy.status).toBe(503);
    expect(busy.json.error.message).toMatch(/more than 3 connections/);
    // The held ones say nothing and are closed; then HTTPS is served again.
    await waitFor(() => s.server.connections === 0, 8000, 'the idle connections to close');
    expect((await https(`${s.httpsUrl}/dataplan/summary`, ca)).status).toBe(200);
    // A connection to the HTTPS port that never starts TLS is closed as well.
    const silent = await tcp(Number(new URL(s.httpsUrl!).port));
    await silent.closed;
  }, 20_000);
});

describe('viewers', () => {
  it('many reading viewers all get every batch, in order', async () => {
    const s = await server({});
    const viewers = await Promise.all(Array.from({ length: 20 }, () => new Promise<{ ws: WebSocket; got: FeedMessage[] }>((resolve) => {
      const got: FeedMessage[] = [];
      const ws = new WebSocket(socketUrl(s.url, '/dataplan/feed'));
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      ws.once('open', () => resolve({ ws, got }));
    })));
    const acks = await Promise.all(Array.from({ length: 60 }, () => post(`${s.url}/v2/events`, batch)));
    const ids = acks.map((a) => a.json.batches[0].batch_id).sort((x, y) => x - y);
    for (const v of viewers) {
      await waitFor(() => v.got.filter((m) => m.type === 'batch').length === 60, 5000, 'every batch');
      expect(v.got[0].type).toBe('hello');
      expect(v.got.flatMap((m) => (m.type === 'batch' ? [m.batch.batch_id] : []))).toEqual(ids);
      v.ws.terminate();
    }
  });

  it('drops the slowest viewers first when together they fall too far behind; the others keep everything', async () => {
    const s = await server({ feedLimit: 256 * 1024, feedBudget: 512 * 1024 });
    const join = (paused: boolean) => new Promise<{ ws: WebSocket; got: FeedMessage[] }>((resolve) => {
      const got: FeedMessage[] = [];
      const ws = new WebSocket(socketUrl(s.url, '/dataplan/feed'));
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      ws.once('open', () => {
        if (paused) (ws as unknown as { _socket: Socket })._socket.pause();
        resolve({ ws, got });
      });
    });
    const readers = [await join(false), await join(false)];
    const stalled = [await join(true), await join(true), await join(true)];
    await waitFor(() => s.server.viewers === 5, 3000, 'five viewers');
    // Large enough that the kernel's socket buffers fill and the paused viewers fall behind.
    const big = { ...batch, user_attributes: { note: 'z'.repeat(100 * 1024) } };
    for (let i = 0; i < 400; i++) {
      await s.receiver.ingest([big], { endpoint: 'WS /dataplan/ingest', source: 'ws' });
      // As between requests: the readers get to read.
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => s.server.viewers <= 3, 5000, 'the slowest viewers to be dropped');
    for (const r of readers) {
      await waitFor(() => r.got.filter((m) => m.type === 'batch').length + r.got.filter((m) => m.type === 'lagged').reduce((n, m) => n + (m as { dropped: number }).dropped, 0) === 400, 5000, 'the readers to get every batch');
      r.ws.terminate();
    }
    for (const w of stalled) w.ws.terminate();
  }, 20_000);
});

describe('the fan-out', () => {
  /** A socket that records its writes and drains at once. */
  function fakeViewer() {
    const writes: Buffer[] = [];
    const socket = new Writable({ write: (c, _e, cb) => (writes.push(c as Buffer), cb()) });
    const ws = { readyState: 1, OPEN: 1, on: () => undefined, terminate: () => socket.destroy() };
    return { writes, socket, ws: ws as unknown as WebSocket };
  }

  it('serialises each message once and writes one shared buffer per viewer per tick, however many messages', async () => {
    const hub = new FeedHub({ feedLimit: 1 << 20, feedBudget: 1 << 24, maxViewers: 100 });
    const viewers = Array.from({ length: 50 }, fakeViewer);
    for (const v of viewers) hub.join(v.ws, v.socket, []);
    const stringify = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((...a: Parameters<typeof stringify>) => (calls++, stringify(...a))) as typeof stringify;
    try {
      for (let i = 0; i < 30; i++) hub.publish({ type: 'reset' });
    } finally {
      JSON.stringify = stringify;
    }
    await new Promise((r) => setImmediate(r));
    expect(calls).toBe(30);
    for (const v of viewers) expect(v.writes).toHaveLength(1);
    expect(new Set(viewers.map((v) => v.writes[0])).size).toBe(1);
    // Thirty WebSocket text frames of {"type":"reset"}.
    const frame = viewers[0].writes[0];
    expect(frame.length).toBe(30 * (2 + '{"type":"reset"}'.length));
    expect(frame[0]).toBe(0x81);
  });
});
