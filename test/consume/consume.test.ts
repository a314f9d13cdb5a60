/**
 * `dataplan consume` against a real nats-server -js: verdicts match `dataplan validate`, unreadable
 * messages get a verdict, workers share one durable consumer, a killed worker loses nothing, SIGTERM
 * drains, the plan hot-reloads, metrics and progress report what happened.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DiscardPolicy } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';
import { FIX, metric, PLAN, publishRaw, readStream, removeTempDirs, startNats, startWorker, streamCount, tempDir, waitFor, type NatsServer } from './helpers.js';

let srv: NatsServer;

beforeAll(async () => {
  srv = await startNats();
}, 60_000);
afterAll(async () => {
  await srv?.stop();
  removeTempDirs();
});

/** Create a stream for `subject`, as a user (or `dataplan publish --stream`) would. */
async function stream(name: string, subject: string): Promise<void> {
  await srv.jsm.streams.add({ name, subjects: [subject] });
}

/** What `validate --format json` and a verdict both say about a batch, without where it came from. */
function judged(r: Record<string, unknown>): Record<string, unknown> {
  const { source: _s, batch: _b, line: _l, ...rest } = r;
  return rest;
}

const BATCH_FILES = readdirSync(join(FIX, 'batches')).filter((f) => f.endsWith('.json')).sort();

describe('dataplan consume', () => {
  it('publishes one verdict per message, with the results `dataplan validate` gives for the same batches', async () => {
    await stream('FIXTURES', 'fixtures.in');
    // One message per batch file; a bulk file stays one message (an array of batches).
    const texts = BATCH_FILES.map((f) => JSON.stringify(JSON.parse(readFileSync(join(FIX, 'batches', f), 'utf8'))));
    const seqs = await publishRaw(srv.client, 'fixtures.in', texts);
    const w = await startWorker({ url: srv.url, stream: 'FIXTURES', subject: 'fixtures.in', verdicts: 'fixtures.verdicts', extra: ['--metrics-port', '0', '--progress', '1'] });
    const metricsUrl = (await w.waitForStderr(/metrics on (http:\/\/\S+)/))[1];
    await waitFor(async () => (await streamCount(srv, 'FIXTURES_VERDICTS')) === texts.length, 60_000, 'all verdicts');

    // Verdicts are stored as they are judged, not necessarily in input order.
    const verdicts = (await readStream(srv, 'FIXTURES_VERDICTS')).sort((a, b) => a.body.seq - b.body.seq);
    expect(verdicts.map((v) => v.body.seq)).toEqual(seqs);
    const report = await cli(['validate', ...BATCH_FILES.map((f) => join(FIX, 'batches', f)), '--plan', PLAN, '--format', 'json']);
    const expected = JSON.parse(report.stdout);
    let events = 0;
    for (const [i, v] of verdicts.entries()) {
      expect(v.msgId).toBe(`FIXTURES:${seqs[i]}`);
      expect(v.body).toMatchObject({ stream: 'FIXTURES', seq: seqs[i], subject: 'fixtures.in', plan: { id: 'acme_web_shop', name: expect.any(String), loaded_at: expect.any(String) }, errors: [] });
      const file = join(FIX, 'batches', BATCH_FILES[i]);
      const want = expected.results.filter((r: { source: string }) => r.source === file || r.source.endsWith(`/${BATCH_FILES[i]}`));
      expect(want.length).toBeGreaterThan(0);
      expect(v.body.results.map(judged)).toEqual(want.map(judged));
      expect(v.body.results.map((r: { source: string; batch: number }) => [r.source, r.batch])).toEqual(want.map((_: unknown, k: number) => [`FIXTURES:${seqs[i]}`, k]));
      for (const r of v.body.results) events += r.event_count;
    }
    expect(events).toBe(expected.summary.events);

    // Metrics count what the verdicts say; progress lines report throughput and lag.
    expect(await metric(metricsUrl, 'dataplan_consume_messages_total')).toBe(texts.length);
    expect(await metric(metricsUrl, 'dataplan_consume_batches_total')).toBe(expected.summary.batches);
    expect(await metric(metricsUrl, 'dataplan_consume_events_total')).toBe(expected.summary.events);
    for (const [code, n] of Object.entries(expected.summary.violations)) expect(await metric(metricsUrl, `dataplan_consume_violations_total{code="${code}"}`)).toBe(n);
    expect(await metric(metricsUrl, 'dataplan_consume_processing_seconds_count')).toBe(texts.length);
    expect(await metric(metricsUrl, 'dataplan_consume_redeliveries_total')).toBe(0);
    await waitFor(async () => (await metric(metricsUrl, 'dataplan_consume_consumer_lag')) === 0, 30_000, 'lag 0 in the metrics');
    await w.waitForStderr(new RegExp(`${texts.length} messages, ${expected.summary.batches} batches, ${expected.summary.events} events \\(\\d+ events/s\\), \\d+ violations, \\d+ input errors, lag \\d+`));

    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 120_000);

  it('gives an unreadable message a verdict naming the input error, and keeps going', async () => {
    await stream('BAD', 'bad.in');
    const good = readFileSync(join(FIX, 'batches', 'clean-web-shopping-session.json'), 'utf8');
    const payloads = [
      '{"events": [',                                   // cut short
      '',                                               // empty
      new Uint8Array([0xff, 0xfe, 0x00, 0x01]),         // not text
      `${JSON.stringify(JSON.parse(good))}\nnot json\n`, // NDJSON with one bad line
      '[42]',                                           // an array holding a non-batch
      good,                                             // pretty-printed: still read
    ];
    const seqs = await publishRaw(srv.client, 'bad.in', payloads);
    const w = await startWorker({ url: srv.url, stream: 'BAD', subject: 'bad.in', verdicts: 'bad.verdicts' });
    await waitFor(async () => (await streamCount(srv, 'BAD_VERDICTS')) === payloads.length, 60_000, 'all verdicts');
    const v = (await readStream(srv, 'BAD_VERDICTS')).map((x) => x.body).sort((a, b) => a.seq - b.seq);
    expect(v.map((x) => x.seq)).toEqual(seqs);

    expect(v[0].results).toEqual([]);
    expect(v[0].errors).toEqual([{ kind: 'input', file: `BAD:${seqs[0]}`, line: 1, column: 13, message: expect.stringMatching(/^invalid JSON: .*ends too early/) }]);
    expect(v[1].errors).toEqual([{ kind: 'input', file: `BAD:${seqs[1]}`, message: expect.stringMatching(/^empty input/) }]);
    expect(v[2].results).toEqual([]);
    expect(v[2].errors).toHaveLength(1);
    expect(v[2].errors[0]).toMatchObject({ kind: 'input', file: `BAD:${seqs[2]}`, line: 1 });
    // The good line is judged, the bad one reported at its line.
    expect(v[3].results).toHaveLength(1);
    expect(v[3].results[0]).toMatchObject({ source: `BAD:${seqs[3]}`, batch: 0, line: 1, validated: true });
    expect(v[3].errors).toEqual([expect.objectContaining({ kind: 'input', file: `BAD:${seqs[3]}`, line: 2, column: 1 })]);
    expect(v[4].results).toHaveLength(1);
    expect(v[4].results[0].errors[0]).toMatchObject({ event_index: null });
    expect(v[5].results).toHaveLength(1);
    expect(v[5].errors).toEqual([]);

    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 120_000);

  it('judges with the changed plan after the file is edited, and names the reloaded plan', async () => {
    await stream('RELOAD', 'reload.in');
    const file = join(tempDir(), 'plan.json');
    const original = JSON.parse(readFileSync(PLAN, 'utf8'));
    writeFileSync(file, JSON.stringify(original, null, 2));
    const b = JSON.parse(readFileSync(join(FIX, 'batches', 'violation-unplanned-events.json'), 'utf8'));
    const wishlist = JSON.stringify({ ...b, events: b.events.slice(0, 1) });
    const w = await startWorker({ url: srv.url, stream: 'RELOAD', subject: 'reload.in', verdicts: 'reload.verdicts', plan: file });

    await publishRaw(srv.client, 'reload.in', [wishlist]);
    await waitFor(async () => (await streamCount(srv, 'RELOAD_VERDICTS')) === 1, 60_000, 'the first verdict');
    const next = structuredClone(original);
    next.data_plan_versions.find((v: { version: number }) => v.version === 2).version_document.data_points.push({
      description: 'added while consuming',
      match: { type: 'custom_event', criteria: { event_name: 'Wishlist Shared', custom_event_type: 'social' } },
      validator: { type: 'json_schema', definition: { properties: { data: { additionalProperties: true, properties: {} } } } },
    });
    writeFileSync(file, JSON.stringify(next, null, 2));
    await w.waitForStderr(/plan reloaded/);
    await publishRaw(srv.client, 'reload.in', [wishlist]);
    await waitFor(async () => (await streamCount(srv, 'RELOAD_VERDICTS')) === 2, 60_000, 'the second verdict');

    const [before, after] = (await readStream(srv, 'RELOAD_VERDICTS')).map((x) => x.body).sort((a, b) => a.seq - b.seq);
    expect(before.results[0].violations.map((x: { violation: string }) => x.violation)).toEqual(['unplanned_event']);
    expect(after.results[0]).toMatchObject({ validated: true, plan_version: 2, violations: [] });
    expect(after.plan.loaded_at > before.plan.loaded_at).toBe(true);
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 120_000);

  it('acknowledges a message only once JetStream stored its verdict: a refused verdict brings the message back', async () => {
    await stream('REFUSE', 'refuse.in');
    // The verdict stream takes 3 messages, then refuses new ones until the limit is lifted.
    await srv.jsm.streams.add({ name: 'REFUSE_OUT', subjects: ['refuse.verdicts'], max_msgs: 3, discard: DiscardPolicy.New });
    const good = JSON.stringify(JSON.parse(readFileSync(join(FIX, 'batches', 'clean-web-shopping-session.json'), 'utf8')));
    const seqs = await publishRaw(srv.client, 'refuse.in', Array.from({ length: 6 }, () => good));
    const w = await startWorker({ url: srv.url, stream: 'REFUSE', subject: 'refuse.in', verdicts: 'refuse.verdicts', extra: ['--metrics-port', '0'] });
    const url = (await w.waitForStderr(/metrics on (http:\/\/\S+)/))[1];
    await waitFor(async () => (await metric(url, 'dataplan_consume_verdict_failures_total')) >= 3, 60_000, 'refused verdicts');
    await w.waitForStderr(/could not store the verdict of REFUSE:\d+: .*maximum messages.*; the message will be redelivered/);
    expect(await streamCount(srv, 'REFUSE_OUT')).toBe(3);
    expect((await srv.jsm.consumers.info('REFUSE', 'workers')).num_ack_pending).toBe(3);

    const info = await srv.jsm.streams.info('REFUSE_OUT');
    await srv.jsm.streams.update('REFUSE_OUT', { ...info.config, max_msgs: -1 });
    await waitFor(async () => (await streamCount(srv, 'REFUSE_OUT')) === 6, 60_000, 'the refused verdicts, stored on redelivery');
    expect((await readStream(srv, 'REFUSE_OUT')).map((v) => v.body.seq).sort((a, b) => a - b)).toEqual(seqs);
    w.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 120_000);

  it('refuses a --verdicts subject the input stream stores (verdicts would be judged as input)', async () => {
    await stream('LOOP', 'loop.>');
    const r = await cli(['consume', '--nats', srv.url, '--stream', 'LOOP', '--subject', 'loop.in', '--durable', 'w', '--verdicts', 'loop.out', '--plan', PLAN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/verdicts on loop\.out would be stored in the input stream LOOP/);
  }, 60_000);

  it('says so when no NATS server answers', async () => {
    const r = await cli(['consume', '--nats', 'nats://127.0.0.1:1', '--stream', 'S', '--subject', 's', '--durable', 'w', '--verdicts', 'v', '--plan', PLAN]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot connect to NATS at nats:\/\/127\.0\.0\.1:1/);
  }, 60_000);

  it('rejects bad numbers in flags', async () => {
    const r = await cli(['consume', '--nats', srv.url, '--stream', 'S', '--subject', 's', '--durable', 'w', '--verdicts', 'v', '--concurrency', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--concurrency must be a whole number of at least 1/);
  });
});
