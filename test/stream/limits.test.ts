/**
 * Issue 10 items 2 and 3: memory is bounded by bytes, and one request cannot cost more than it is
 * worth (at most 100 batches, bounded answers, platform size notices, no non-object batches).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { sendBatches, socketUrl } from '../../src/stream/client.js';
import type { RunningStream } from '../../src/stream/index.js';
import { example, get, post, start } from './helpers.js';

// Real servers, sockets and processes: room for a busy machine (no timing is asserted).
vi.setConfig({ testTimeout: 30_000 });

let s: RunningStream;
beforeAll(async () => {
  s = await start({ bufferBytes: 400 * 1024, ackDetailBytes: 8 * 1024 });
});
afterAll(() => s.close());
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

/** A batch of `n` events, each carrying `pad` bytes in an attribute. */
function big(n: number, pad: number, name = 'Product Viewed'): Record<string, unknown> {
  const base = example('clean-web-shopping-session');
  return {
    ...base,
    events: Array.from({ length: n }, (_, i) => ({ event_type: 'custom_event', data: { event_name: name, custom_event_type: 'other', custom_attributes: { note: 'x'.repeat(pad), i } } })),
  };
}

describe('memory is bounded by bytes', () => {
  it('keeps only what fits in --buffer-bytes, oldest out first, and still counts everything', async () => {
    for (let i = 0; i < 30; i++) expect((await post(`${s.url}/v2/events`, big(1, 60 * 1024))).status).toBe(202);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.batches).toBe(30);
    expect(sum.events).toBe(30);
    expect(sum.stored.byte_budget).toBe(400 * 1024);
    expect(sum.stored.bytes).toBeLessThanOrEqual(400 * 1024);
    // Far fewer than the 10,000 the count limit allows: each of these is 60 KB.
    expect(sum.stored.events).toBeLessThan(8);
    expect(sum.stored.events).toBeGreaterThan(2);
    const events = await get(`${s.url}/dataplan/events`);
    expect(events).toHaveLength(sum.stored.events);
    // The newest are kept.
    expect(events.at(-1).id).toBe(sum.last_event_id);
    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches.at(-1).batch_id).toBe(sum.last_batch_id);
    expect(batches.length).toBeLessThanOrEqual(sum.stored.events + 1);
  });
});

describe('one request costs what it is worth', () => {
  it('accepts 100 batches in a request and refuses 101 with 413 and the reason', async () => {
    const one = example('violation-user-attributes');
    const ok = await post(`${s.url}/v2/bulkevents`, Array.from({ length: 100 }, () => one));
    expect(ok.status).toBe(202);
    expect(ok.json.accepted).toBe(100);
    const over = await post(`${s.url}/v2/bulkevents`, Array.from({ length: 101 }, () => one));
    expect(over.status).toBe(413);
    expect(over.json.error).toMatchObject({ reason: 'too_large' });
    expect(over.json.error.message).toMatch(/101 batches in one request: the platform accepts at most 100/);
    expect((await get(`${s.url}/dataplan/summary`)).batches).toBe(100);
  });

  it('refuses a body of a million tiny batches without building them, and keeps serving', async () => {
    const body = `[${'{},'.repeat(1_000_000)}{}]`;
    const r = await post(`${s.url}/dataplan/ingest`, body);
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/more than 100 batches in one request/);
    expect(r.text.length).toBeLessThan(1000);
    expect((await post(`${s.url}/v2/events`, example('violation-user-attributes'))).status).toBe(202);
    // Over a WebSocket too.
    const ws = new WebSocket(socketUrl(s.url, '/dataplan/ingest'));
    await new Promise((res) => ws.once('open', res));
    const reply = await new Promise<Record<string, unknown>>((res) => {
      ws.once('message', (d) => res(JSON.parse(String(d))));
      ws.send(`[${'{},'.repeat(200)}{}]`);
    });
    expect(reply).toMatchObject({ type: 'error', status: 413, reason: 'too_large' });
    ws.close();
  });

  it('refuses more than --max-events events in one request before judging them', async () => {
    const empties = `{"events":[${Array(1_300_000).fill('{}').join(',')}]}`;
    const r = await post(`${s.url}/v2/events`, empties);
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/^1300000 events in one request: the receiver judges at most 10000 at once \(--max-events/);
    expect((await get(`${s.url}/dataplan/summary`)).events).toBe(0);
    // `replay --to` keeps its requests within the bound.
    const small = await start({ maxEvents: 20 });
    try {
      const acks = await sendBatches(small.url, [example('clean-web-shopping-session'), example('clean-web-shopping-session'), example('violation-invalid-values')], { events: 20 });
      expect(acks.map((a) => a.events)).toEqual([12, 18]);
    } finally {
      await small.close();
    }
  });

  it('answers with a bounded summary, never an echo proportional to the input', async () => {
    // 3,000 unplanned events: 3,000 violations, each quoting a long event name.
    const flood = big(3000, 0, `Unplanned ${'y'.repeat(200)}`);
    const r = await post(`${s.url}/v2/events`, flood);
    expect(r.status).toBe(202);
    const [ack] = r.json.batches;
    expect(ack.violation_count).toBe(3000);
    expect(ack.violations.length).toBeGreaterThan(0);
    expect(ack.violations.length + ack.violations_omitted).toBe(3000);
    expect(r.text.length).toBeLessThan(16 * 1024);
    // Everything is still stored and queryable in full.
    expect((await get(`${s.url}/dataplan/summary`)).violation_count).toBe(3000);
  });

  it('accepts batches over 128 KB and requests over 256 KB with a notice that the platform would refuse them', async () => {
    const large = await post(`${s.url}/v2/events`, big(1, 130 * 1024));
    expect(large.status).toBe(202);
    expect(large.json.batches[0].warnings).toEqual([expect.stringMatching(/^batch is 130\.\d KB: the mParticle platform rejects batches over 128 KB$/)]);
    const bulk = await post(`${s.url}/v2/bulkevents`, [big(1, 100 * 1024), big(1, 100 * 1024), big(1, 100 * 1024)]);
    expect(bulk.status).toBe(202);
    for (const b of bulk.json.batches) expect(b.warnings).toEqual([expect.stringMatching(/^request is 30\d\.\d KB: the mParticle platform rejects requests over 256 KB$/)]);
    const small = await post(`${s.url}/v2/events`, example('violation-user-attributes'));
    expect(small.json.batches[0].warnings).toBeUndefined();
    const stored = await get(`${s.url}/dataplan/batches`);
    expect(stored[0].warnings).toHaveLength(1);
    expect(stored.at(-1).warnings).toBeUndefined();
  });

  it('refuses an array of non-objects with 400 instead of taking each as a batch', async () => {
    for (const body of ['[1,2,3]', '[{"events":[]}, "x"]', '[null]', '[[{}]]']) {
      const r = await post(`${s.url}/v2/bulkevents`, body);
      expect(r.status, body).toBe(400);
      expect(r.json.error.message, body).toMatch(/^element \d of the array is (a number|a string|null|an array): expected batch objects$/);
    }
    expect((await get(`${s.url}/dataplan/summary`)).batches).toBe(0);
  });
});
