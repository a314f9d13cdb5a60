/** A group of `dataplan consume` workers on one durable consumer: sharing, a SIGKILLed worker, SIGTERM drain. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIX, metric, publishMany, readStream, removeTempDirs, startNats, startWorker, streamCount, waitFor, type NatsServer, type Proc } from './helpers.js';

let srv: NatsServer;
const running: Proc[] = [];

beforeAll(async () => {
  srv = await startNats();
}, 60_000);
afterAll(async () => {
  for (const p of running) p.kill('SIGKILL');
  await srv?.stop();
  removeTempDirs();
});

const BATCH = JSON.parse(readFileSync(join(FIX, 'batches', 'violation-unplanned-events.json'), 'utf8'));

/** `n` distinct messages (each batch names its message). */
async function feed(subject: string, n: number): Promise<void> {
  await publishMany(srv.client, subject, Array.from({ length: n }, (_, i) => JSON.stringify({ ...BATCH, source_request_id: `msg-${i}` })));
}

async function worker(stream: string, subject: string, extra: string[] = []): Promise<Proc> {
  const p = await startWorker({ url: srv.url, stream, subject, verdicts: `${subject}.verdicts`, durable: 'group', extra: ['--progress', '0', ...extra] });
  running.push(p);
  return p;
}

/** Every message delivered and acknowledged: all the verdicts there will be are stored (ack comes after). */
async function settled(stream: string): Promise<boolean> {
  const c = await srv.jsm.consumers.info(stream, 'group');
  return c.num_pending === 0 && c.num_ack_pending === 0;
}

/** Every input sequence 1..n has exactly one stored verdict, under its Nats-Msg-Id. */
async function expectExactlyOnce(verdictStream: string, stream: string, n: number): Promise<void> {
  const verdicts = await readStream(srv, verdictStream);
  expect(verdicts).toHaveLength(n);
  const seqs = verdicts.map((v) => v.body.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  for (const v of verdicts) {
    expect(v.msgId).toBe(`${stream}:${v.body.seq}`);
    expect(v.body.results).toHaveLength(1);
    expect(v.body.results[0].event_count).toBe(BATCH.events.length);
  }
}

describe('a group of workers', () => {
  it('shares the messages of one durable consumer between two workers', async () => {
    const [a, b] = await Promise.all([worker('SHARE', 'share.in', ['--metrics-port', '0']), worker('SHARE', 'share.in', ['--metrics-port', '0'])]);
    const urls = await Promise.all([a, b].map(async (w) => (await w.waitForStderr(/metrics on (http:\/\/\S+)/))[1]));
    // The workers created the stream; the messages come once both wait for them.
    const n = 2000;
    await feed('share.in', n);
    await waitFor(async () => settled('SHARE'), 120_000, 'all verdicts');
    const counts = await Promise.all(urls.map((u) => metric(u, 'dataplan_consume_messages_total')));
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
    expect(counts[0] + counts[1]).toBeGreaterThanOrEqual(n);
    await expectExactlyOnce('SHARE_VERDICTS', 'SHARE', n);
    a.kill('SIGTERM');
    b.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
  }, 180_000);

  it('loses nothing when a worker is SIGKILLed mid-stream: every message gets exactly one verdict', async () => {
    const n = 5000;
    await srv.jsm.streams.add({ name: 'KILL', subjects: ['kill.in'] });
    await feed('kill.in', n);
    // A short ack wait so the killed worker's messages come back quickly.
    const [a, b] = await Promise.all([worker('KILL', 'kill.in', ['--ack-wait', '2']), worker('KILL', 'kill.in', ['--ack-wait', '2'])]);
    const atKill = await waitFor(async () => {
      const count = await streamCount(srv, 'KILL_VERDICTS');
      return count >= n / 4 ? count : 0;
    }, 120_000, 'a quarter of the verdicts');
    a.kill('SIGKILL');
    expect(atKill).toBeLessThan(n);
    expect(await a.exited).toBe(null);
    const c = await worker('KILL', 'kill.in', ['--ack-wait', '2', '--metrics-port', '0']);
    await waitFor(async () => settled('KILL'), 180_000, 'all verdicts after the kill');
    await expectExactlyOnce('KILL_VERDICTS', 'KILL', n);
    b.kill('SIGTERM');
    c.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(await c.exited).toBe(0);
  }, 300_000);

  it('drains on SIGTERM: what it judged is acknowledged, nothing is judged twice, exit 0', async () => {
    const n = 3000;
    await srv.jsm.streams.add({ name: 'DRAIN', subjects: ['drain.in'] });
    await feed('drain.in', n);
    const first = await worker('DRAIN', 'drain.in', ['--ack-wait', '5', '--concurrency', '32']);
    await waitFor(async () => (await streamCount(srv, 'DRAIN_VERDICTS')) >= n / 10, 120_000, 'some verdicts');
    first.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stderr).toMatch(/SIGTERM: draining \d+ messages in flight/);
    const judged = Number(/drained: (\d+) messages/.exec(first.stderr)?.[1]);
    expect(await streamCount(srv, 'DRAIN_VERDICTS')).toBe(judged);

    // The next worker finds no message the first one judged: none comes back as a duplicate.
    const next = await worker('DRAIN', 'drain.in', ['--metrics-port', '0']);
    const url = (await next.waitForStderr(/metrics on (http:\/\/\S+)/))[1];
    await waitFor(async () => settled('DRAIN'), 180_000, 'the rest of the verdicts');
    expect(await metric(url, 'dataplan_consume_duplicate_verdicts_total')).toBe(0);
    expect(await metric(url, 'dataplan_consume_messages_total')).toBe(n - judged);
    await expectExactlyOnce('DRAIN_VERDICTS', 'DRAIN', n);
    next.kill('SIGTERM');
    expect(await next.exited).toBe(0);
  }, 300_000);
});
