/**
 * Issue 14, receiver query API: clean events only (`?violations=none`), a cursor (`?since=`), unknown
 * parameters answered 400 with the valid ones, and bad queries not counted as SDK rejections.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { example, get, post, raw, start } from './helpers.js';

// Real servers, sockets and processes: room for a busy machine (no timing is asserted).
vi.setConfig({ testTimeout: 30_000 });

let s: RunningStream;
beforeAll(async () => {
  s = await start();
});
afterAll(() => s.close());
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

describe('GET /dataplan/events?violations=none', () => {
  it('lists only events judged against the plan and found clean', async () => {
    await post(`${s.url}/v2/bulkevents`, [example('violation-unplanned-events'), example('not-validated-no-plan-context'), example('web-sdk-quirks'), example('clean-web-shopping-session')]);
    const all = await get(`${s.url}/dataplan/events`);
    const clean = await get(`${s.url}/dataplan/events?violations=none`);
    const bad = await get(`${s.url}/dataplan/events?violations=only`);
    expect(clean.length).toBeGreaterThan(0);
    expect(clean.every((e: { validated: boolean; violations: unknown[] }) => e.validated && e.violations.length === 0)).toBe(true);
    expect(clean.map((e: { name: string }) => e.name)).toContain('Navbar Click');
    // Clean, violating, and not judged (no plan context, SDK bookkeeping) add up.
    const notJudged = all.filter((e: { validated: boolean }) => !e.validated);
    expect(notJudged.length).toBeGreaterThan(0);
    expect(clean.length + bad.length + notJudged.length).toBe(all.length);
    const batches = await get(`${s.url}/dataplan/batches`);
    const cleanBatches = await get(`${s.url}/dataplan/batches?violations=none`);
    expect(cleanBatches.map((b: { batch_id: number }) => b.batch_id)).toEqual([batches[3].batch_id]);
  });
});

describe('GET /dataplan/events?since=ID', () => {
  it('is a cursor: a test takes the last id, sends, and gets exactly what it sent', async () => {
    await post(`${s.url}/v2/events`, example('clean-web-shopping-session'));
    const { last_event_id: cursor, last_batch_id: batchCursor } = await get(`${s.url}/dataplan/summary`);
    expect(cursor).toBeGreaterThan(0);
    expect(await get(`${s.url}/dataplan/events?since=${cursor}`)).toEqual([]);
    const ack = await post(`${s.url}/v2/events`, example('violation-unplanned-events'));
    const mine = await get(`${s.url}/dataplan/events?since=${cursor}`);
    expect(mine).toHaveLength(7);
    expect(mine.every((e: { batch_id: number }) => e.batch_id === ack.json.batches[0].batch_id)).toBe(true);
    expect(mine[0].id).toBe(cursor + 1);
    // With a limit, a cursor pages forward: the oldest after it.
    const page1 = await get(`${s.url}/dataplan/events?since=${cursor}&limit=3`);
    const page2 = await get(`${s.url}/dataplan/events?since=${page1.at(-1).id}&limit=3`);
    expect([...page1, ...page2].map((e: { id: number }) => e.id)).toEqual(mine.slice(0, 6).map((e: { id: number }) => e.id));
    expect((await get(`${s.url}/dataplan/events?since=${cursor}&violations=only`)).length).toBe(6);
    const batches = await get(`${s.url}/dataplan/batches?since=${batchCursor}`);
    expect(batches.map((b: { batch_id: number }) => b.batch_id)).toEqual([ack.json.batches[0].batch_id]);
    // Ids keep growing across a reset, so an old cursor never sees old events again.
    await post(`${s.url}/dataplan/reset`, '');
    await post(`${s.url}/v2/events`, example('violation-user-attributes'));
    expect((await get(`${s.url}/dataplan/events?since=${cursor}`))[0].id).toBeGreaterThan(cursor + 7);
  });
});

describe('bad queries', () => {
  it('answer 400 naming the valid parameters', async () => {
    const typo = await raw(`${s.url}/dataplan/events?violation=only`);
    expect(typo.status).toBe(400);
    expect(typo.json.error.message).toBe('unknown query parameter "violation" for /dataplan/events (valid: violations, type, name, batch_id, since, limit)');
    const sum = await raw(`${s.url}/dataplan/summary?verbose=1`);
    expect(sum.status).toBe(400);
    expect(sum.json.error.message).toMatch(/unknown query parameter "verbose" for \/dataplan\/summary \(it takes none\)/);
    expect((await raw(`${s.url}/dataplan/batches?limit=x`)).json.error.message).toBe('?limit=x: expected a non-negative integer');
    expect((await raw(`${s.url}/dataplan/events?violations=maybe`)).json.error.message).toMatch(/expected only .* or none/);
    expect((await raw(`${s.url}/dataplan/events?since=1&since=2`)).status).toBe(400);
  });

  it('are not counted as SDK rejections (nor shown as such), while a bad SDK request still is', async () => {
    await raw(`${s.url}/dataplan/events?violation=only`);
    await raw(`${s.url}/dataplan/events?since=-1`);
    await raw(`${s.url}/dataplan/nope`);
    await raw(`${s.url}/dataplan/reset`);
    const before = await get(`${s.url}/dataplan/summary`);
    expect(before.rejected).toBe(0);
    expect(await get(`${s.url}/dataplan/rejected`)).toEqual([]);
    await post(`${s.url}/v3/JS/k/events`, '{oops', { 'content-type': 'text/plain' });
    expect((await get(`${s.url}/dataplan/summary`)).rejected).toBe(1);
  });
});
