/** The capture file (written before the acknowledgement) and `dataplan replay`, offline and into a receiver. */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import type { RunningStream } from '../../src/stream/index.js';
import { example, get, PLAN, post, start, tempDir, removeTempDirs } from './helpers.js';

function io(cwd: string): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), stdin: new PassThrough(), cwd, color: false, out, err };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

let dir: string;
let capture: string;
let s: RunningStream;
beforeAll(async () => {
  dir = tempDir();
  capture = join(dir, 'session.ndjson');
  s = await start({ capture });
});
afterAll(async () => {
  await s.close();
  removeTempDirs();
});

describe('capture', () => {
  it('holds each accepted batch, with its verdict, by the time it is acknowledged', async () => {
    const r1 = await post(`${s.url}/v2/events`, example('clean-web-shopping-session'));
    expect(lines(capture)).toHaveLength(1);
    const r2 = await post(`${s.url}/v3/JS/web-key/events`, JSON.stringify(example('violation-invalid-values')), { 'content-type': 'text/plain' });
    const recs = lines(capture);
    expect(recs).toHaveLength(2);
    expect(recs[1]).toMatchObject({
      capture: 1, batch_id: r2.json.batches[0].batch_id, endpoint: 'POST /v3/JS/web-key/events', source: 'web', api_key: 'web-key',
      result: { validated: true, plan_id: 'acme_web_shop', plan_version: 2, event_count: 6 },
    });
    expect(Object.keys(recs[1])).toEqual(['capture', 'batch_id', 'received_at', 'endpoint', 'source', 'api_key', 'result', 'batch']);
    expect(recs[1].result.violations).toHaveLength(9);
    expect(recs[1].batch).toEqual(example('violation-invalid-values'));
    expect(Date.parse(recs[0].received_at)).not.toBeNaN();
    expect(r1.json.batches[0].batch_id).toBe(recs[0].batch_id);
    // Rejected requests are not batches: nothing is written.
    await post(`${s.url}/v2/events`, '{nope');
    expect(lines(capture)).toHaveLength(2);
    expect((await get(`${s.url}/dataplan/summary`)).capture).toEqual({ file: capture, records: 2, torn_bytes: 0, reopened: 0 });
  });

  it('keeps order and loses nothing under concurrent uploads', async () => {
    const before = lines(capture).length;
    const acks = await Promise.all(Array.from({ length: 40 }, () => post(`${s.url}/v2/bulkevents`, [example('violation-user-attributes'), example('violation-unplanned-events')])));
    const ids = acks.flatMap((a) => a.json.batches.map((b: { batch_id: number }) => b.batch_id));
    const recs = lines(capture).slice(before);
    expect(recs).toHaveLength(80);
    expect(recs.map((r) => r.batch_id).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(recs.map((r) => r.batch_id)).toEqual([...recs.map((r) => r.batch_id)].sort((a, b) => a - b));
  });
});

describe('a capture that cannot be written', () => {
  it('refuses the batch (503) instead of acknowledging what it could not keep', async () => {
    const t = await start({ capture: join(dir, 'closing.ndjson') });
    try {
      await t.receiver.capture!.close();
      const r = await post(`${t.url}/v2/events`, example('violation-user-attributes'));
      expect(r.status).toBe(503);
      expect(r.json.error).toMatchObject({ reason: 'capture_failed' });
      const sum = await get(`${t.url}/dataplan/summary`);
      expect(sum).toMatchObject({ batches: 0, events: 0, rejected: 1 });
    } finally {
      await t.close();
    }
  });
});

describe('dataplan replay', () => {
  it('re-validates a capture offline and fails on violations, like validate', async () => {
    const file = join(dir, 'two.ndjson');
    writeFileSync(file, readFileSync(capture, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    const o = io(dir);
    const code = await main(['replay', file, '--plan', PLAN], o);
    expect(code).toBe(1);
    const text = o.out.join('');
    expect(text).toMatch(/✓ .*two\.ndjson \[batch 0\]: 12 events, no violations/);
    expect(text).toMatch(/✗ .*two\.ndjson:2 \[batch 1\]: 9 violations in 6 events/);
    expect(text).toMatch(/Attribute "sort" on custom_event "Search Performed" \(search\) should be one of/);
  });

  it('exits 0 on a clean session and writes JSON for scripts', async () => {
    const file = join(dir, 'clean.ndjson');
    writeFileSync(file, readFileSync(capture, 'utf8').split('\n')[0] + '\n');
    const o = io(dir);
    expect(await main(['replay', file, '--plan', PLAN, '--format', 'json'], o)).toBe(0);
    const report = JSON.parse(o.out.join(''));
    expect(report.summary).toMatchObject({ batches: 1, events: 12, violation_count: 0 });
  });

  it('reports a broken line with its line number and still judges the rest', async () => {
    const file = join(dir, 'broken.ndjson');
    writeFileSync(file, readFileSync(capture, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    appendFileSync(file, '{"capture":1,"batch":{"events":[\n');
    const o = io(dir);
    expect(await main(['replay', file, '--plan', PLAN], o)).toBe(2);
    expect(o.out.join('')).toMatch(/broken\.ndjson:3:\d+: error: invalid JSON/);
    expect(o.out.join('')).toMatch(/2 batches/);
  });

  it('sends a capture into a running receiver over WebSocket or HTTP, which judges it', async () => {
    const file = join(dir, 'two-again.ndjson');
    writeFileSync(file, readFileSync(capture, 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    const target = await start();
    try {
      const o = io(dir);
      expect(await main(['replay', file, '--to', target.url.replace('http', 'ws')], o)).toBe(1);
      expect(o.err.join('')).toMatch(/sent 2 batches \(18 events\)/);
      const o2 = io(dir);
      expect(await main(['replay', file, '--to', target.url, '--format', 'json'], o2)).toBe(1);
      expect(JSON.parse(o2.out.join('')).summary).toMatchObject({ batches: 2, violation_count: 9 });
      const sum = await get(`${target.url}/dataplan/summary`);
      expect(sum).toMatchObject({ batches: 4, events: 36, violation_count: 18 });
      const [b] = await get(`${target.url}/dataplan/batches?limit=1`);
      expect(b.source).toBe('replay');
    } finally {
      await target.close();
    }
  });

  it('says so when the receiver is not there', async () => {
    const file = join(dir, 'clean.ndjson');
    const o = io(dir);
    expect(await main(['replay', file, '--to', 'ws://127.0.0.1:1'], o)).toBe(2);
    expect(o.err.join('')).toMatch(/cannot connect to ws:\/\/127\.0\.0\.1:1/);
  });
});
