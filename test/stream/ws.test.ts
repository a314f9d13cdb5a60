/** The WebSocket ingest endpoint and the viewers' feed, on a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectFeed, socketUrl } from '../../src/stream/client.js';
import type { FeedMessage, RunningStream } from '../../src/stream/index.js';
import { example, get, post, start, waitFor } from './helpers.js';

let s: RunningStream;
beforeAll(async () => {
  s = await start({ maxBody: 32 * 1024 });
});
afterAll(() => s.close());

function open(path: string): Promise<WebSocket> {
  const ws = new WebSocket(socketUrl(s.url, path));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Send, and wait for the next reply. */
function ask(ws: WebSocket, data: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(String(d))));
    ws.send(data);
  });
}

describe('WS /dataplan/ingest', () => {
  it('acknowledges each message with the violations found', async () => {
    const ws = await open('/dataplan/ingest');
    const one = await ask(ws, JSON.stringify(example('violation-unplanned-events')));
    expect(one).toMatchObject({ type: 'ack', seq: 1, accepted: 1, events: 7 });
    expect(one.batches[0].violations.map((v: { key: string }) => v.key)).toEqual(['Wishlist Shared', 'About Us', 'Navbar Click', 'navbar click', 'click', 'checkout_option']);
    const two = await ask(ws, JSON.stringify([example('clean-web-shopping-session'), example('violation-user-attributes')]));
    expect(two).toMatchObject({ type: 'ack', seq: 2, accepted: 2, events: 13 });
    expect(two.batches.map((b: { violation_count: number }) => b.violation_count)).toEqual([0, 5]);
    const events = await get(`${s.url}/dataplan/events?batch_id=${one.batches[0].batch_id}`);
    expect(events).toHaveLength(7);
    expect(events[0].source).toBe('ws');
    ws.close();
  });

  it('answers malformed messages with an error, counts them, and keeps the connection', async () => {
    const before = (await get(`${s.url}/dataplan/summary`)).rejected;
    const ws = await open('/dataplan/ingest');
    const bad = await ask(ws, '{"events": [');
    expect(bad).toMatchObject({ type: 'error', seq: 1, status: 400, reason: 'malformed_json' });
    expect(bad.message).toMatch(/malformed JSON/);
    const notBatch = await ask(ws, '42');
    expect(notBatch).toMatchObject({ type: 'error', seq: 2, reason: 'bad_request' });
    const good = await ask(ws, JSON.stringify(example('violation-user-attributes')));
    expect(good.type).toBe('ack');
    expect((await get(`${s.url}/dataplan/summary`)).rejected).toBe(before + 2);
    ws.close();
  });

  it('closes a connection that sends an oversize message (1009) and counts it', async () => {
    const before = (await get(`${s.url}/dataplan/summary`)).rejected_by_reason.too_large;
    const ws = await open('/dataplan/ingest');
    const code = await new Promise<number>((resolve) => {
      ws.once('close', (c) => resolve(c));
      ws.send(JSON.stringify({ events: [], pad: 'x'.repeat(40 * 1024) }));
    });
    expect(code).toBe(1009);
    await waitFor(async () => (await get(`${s.url}/dataplan/summary`)).rejected_by_reason.too_large === before + 1, 2000, 'the rejection');
  });

  it('refuses unknown socket paths', async () => {
    const ws = new WebSocket(socketUrl(s.url, '/nope'));
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0)));
    expect(status).toBe(404);
  });
});

describe('WS /dataplan/feed', () => {
  it('greets with the summary, replays the backlog, then streams batches, rejections and resets', async () => {
    await post(`${s.url}/dataplan/reset`, '');
    await post(`${s.url}/v2/events`, example('violation-invalid-values'));
    const got: FeedMessage[] = [];
    const feed = connectFeed(socketUrl(s.url, '/dataplan/feed', { backlog: '10' }), (m) => got.push(m));
    await feed.opened;
    await waitFor(() => got.length >= 2, 2000, 'hello and backlog');
    expect(got[0]).toMatchObject({ type: 'hello', summary: { batches: 1, events: 6 } });
    expect(got[1]).toMatchObject({ type: 'batch', backlog: true });
    await post(`${s.url}/v3/JS/k/events`, JSON.stringify(example('violation-unplanned-events')), { 'content-type': 'text/plain' });
    await post(`${s.url}/v3/JS/k/events`, '{oops', { 'content-type': 'text/plain' });
    await post(`${s.url}/dataplan/reset`, '');
    await waitFor(() => got.some((m) => m.type === 'reset'), 2000, 'reset');
    const live = got.slice(2);
    expect(live.map((m) => m.type)).toEqual(['batch', 'rejected', 'reset']);
    const b = live[0] as Extract<FeedMessage, { type: 'batch' }>;
    expect(b.backlog).toBeUndefined();
    expect(b.batch.source).toBe('web');
    expect(b.events.filter((e) => e.violations.length > 0).map((e) => e.name)).toEqual(['Wishlist Shared', 'About Us', 'Navbar Click', 'navbar click', 'click', 'checkout_option']);
    feed.close();
    await feed.closed;
  });

  it('a viewer that falls behind misses messages and is told how many, instead of holding memory', async () => {
    const { listen } = await import('../../src/stream/index.js');
    const small = await listen({ receiver: s.receiver, port: 0, feedLimit: 64 * 1024 });
    try {
      const got: FeedMessage[] = [];
      const ws = new WebSocket(socketUrl(small.url, '/dataplan/feed', { backlog: 'not-a-number' }));
      ws.on('message', (d) => got.push(JSON.parse(String(d))));
      await new Promise((r) => ws.once('open', r));
      await waitFor(() => got.length === 1, 2000, 'hello');
      expect(got[0].type).toBe('hello');
      (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
      const batch = example('clean-web-shopping-session');
      for (let i = 0; i < 1500; i++) await s.receiver.ingest([batch], { endpoint: 'WS /dataplan/ingest', source: 'ws' });
      (ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const lag = await waitFor(() => got.find((m) => m.type === 'lagged'), 5000, 'the lagged notice');
      expect((lag as { dropped: number }).dropped).toBeGreaterThan(0);
      const batches = got.filter((m) => m.type === 'batch').length;
      expect(batches + (lag as { dropped: number }).dropped).toBe(1500);
      ws.terminate();
    } finally {
      await small.close();
    }
  }, 15_000);

  it('a viewer that stops reading does not hold up ingest', async () => {
    const ws = await open('/dataplan/feed');
    // Stop reading: the socket's buffers fill, the receiver must carry on regardless.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const batch = example('clean-web-shopping-session');
    const t = Date.now();
    for (let i = 0; i < 200; i++) expect((await post(`${s.url}/v2/events`, batch)).status).toBe(202);
    expect(Date.now() - t).toBeLessThan(10_000);
    ws.terminate();
  });
});
