/**
 * Ingest workers (issue 11): requests judged in worker threads get the core's verdicts and the same
 * capture lines, acknowledgements and stored records as on the main thread; a connection's batches
 * are captured in the order it sent them; a worker that dies loses nothing and hangs nothing. The
 * receivers here send every request to a worker (`offloadAt: 0`) or none (`workers: 0`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socketUrl } from '../../src/stream/client.js';
import { judgeBatches, recordsFromLine, tallyOf } from '../../src/stream/judge.js';
import { batchRecord, eventRecords } from '../../src/stream/records.js';
import { recordBytes, tallyRecords } from '../../src/stream/store.js';
import { defaultWorkers, type RunningStream } from '../../src/stream/index.js';
import { loadPlan } from '../../src/validate/index.js';
import { FIX, example, get, post, removeTempDirs, start, tempDir } from './helpers.js';

afterAll(removeTempDirs);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const expectations = JSON.parse(readFileSync(join(FIX, 'expected', 'platform-expectations.json'), 'utf8')).batches as Record<string, { plan: string }>;
const fixtureBatches = (file: string): unknown[] => {
  const raw = JSON.parse(readFileSync(join(FIX, 'batches', file), 'utf8'));
  return Array.isArray(raw) ? raw : [raw];
};
const examples = ['clean-web-shopping-session', 'violation-invalid-values', 'violation-unplanned-events', 'web-sdk-quirks', 'violation-user-attributes'].map(example);
const pool = examples.flatMap((b) => b.events as unknown[]);

/** Batch k of connection c: real events, tagged so its capture line can be found again. */
function tagged(c: number, k: number): Record<string, unknown> {
  return { ...examples[0], source_request_id: `c${c}-${k}`, events: Array.from({ length: 1 + ((c + k) % 5) }, (_, i) => pool[(c * 7 + k + i) % pool.length]) };
}

/** Capture lines as records, without the time they arrived. */
function captured(file: string): Json[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => {
    const r = JSON.parse(l);
    delete r.received_at;
    return r;
  });
}

const noTimes = (list: Json[]) => list.map(({ received_at: _, ...rest }) => rest);

/** Send over one WebSocket, `window` in flight; resolves with the answers by seq. */
function wsSend(url: string, bodies: string[], window = 8): Promise<Json[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(socketUrl(url, '/dataplan/ingest'));
    const answers: Json[] = [];
    let sent = 0;
    let inflight = 0;
    const pump = () => {
      while (inflight < window && sent < bodies.length) {
        inflight++;
        ws.send(bodies[sent++]);
      }
      if (inflight === 0) {
        ws.close();
        resolve(answers.sort((a, b) => a.seq - b.seq));
      }
    };
    ws.on('open', pump);
    ws.on('message', (d) => {
      inflight--;
      answers.push(JSON.parse(String(d)));
      pump();
    });
    ws.on('error', reject);
  });
}

describe('worker-thread ingest', () => {
  it('gives every spec fixture batch the core\'s verdict, and the same acknowledgements, capture lines and records as the main thread', async () => {
    const byPlan = new Map<string, string[]>();
    for (const [file, e] of Object.entries(expectations)) byPlan.set(e.plan, [...(byPlan.get(e.plan) ?? []), file]);
    for (const [planRel, files] of byPlan) {
      const planFile = join(FIX, planRel);
      const core = loadPlan(planFile);
      const bodies = files.map((f) => fixtureBatches(f));
      const results: Record<string, { acks: Json[]; capture: Json[]; events: Json[]; batches: Json[]; summary: Json }> = {};
      for (const mode of ['main', 'workers'] as const) {
        const capture = join(tempDir(), `${mode}.ndjson`);
        const s = await start({ planFile, capture, ...(mode === 'main' ? { workers: 0 } : { workers: 2, offloadAt: 0 }) });
        try {
          expect(s.receiver.pool?.size ?? 0).toBe(mode === 'main' ? 0 : 2);
          const acks: Json[] = [];
          for (const b of bodies) {
            const r = await post(`${s.url}/v2/bulkevents`, b);
            expect(r.status, planRel).toBe(202);
            acks.push(r.json);
          }
          const ws = await wsSend(s.url, bodies.map((b) => JSON.stringify(b)), 1);
          acks.push(...ws.map(({ type: _, seq: __, ...ack }) => ack));
          // Workers really judged these (none handed back), and none is still out.
          if (mode === 'workers') expect([s.receiver.pool!.judged > 0, s.receiver.pool!.pending]).toEqual([true, 0]);
          const summary = await get(`${s.url}/dataplan/summary`);
          results[mode] = {
            acks, capture: captured(capture), summary: { ...summary, started_at: 0, plan: 0, memory: 0, capture: 0 },
            events: noTimes(await get(`${s.url}/dataplan/events?limit=100000`)),
            batches: noTimes(await get(`${s.url}/dataplan/batches?limit=100000`)),
          };
        } finally {
          await s.close();
        }
      }
      const w = results.workers;
      const want = [...bodies, ...bodies].flat().map((b) => core.validateBatch(b).violations);
      expect(w.acks.flatMap((a) => a.batches.map((b: Json) => b.violations)), planRel).toEqual(JSON.parse(JSON.stringify(want)));
      expect(w.capture.map((r) => r.result.violations)).toEqual(JSON.parse(JSON.stringify(want)));
      expect(w.acks, planRel).toEqual(results.main.acks);
      expect(w.capture, planRel).toEqual(results.main.capture);
      expect(w.events, planRel).toEqual(results.main.events);
      expect(w.batches, planRel).toEqual(results.main.batches);
      expect(w.summary, planRel).toEqual(results.main.summary);
    }
  });

  it('refuses what the main thread refuses, with the same answer', async () => {
    const s = await start({ workers: 1, offloadAt: 0, maxEvents: 5, maxBatches: 2 });
    try {
      const cases = ['{"events":[', '[]', '42', JSON.stringify([tagged(0, 0), tagged(0, 1), tagged(0, 2)]), JSON.stringify({ ...tagged(0, 0), events: Array(6).fill(pool[0]) })];
      const got = [];
      for (const c of cases) {
        const r = await post(`${s.url}/v2/bulkevents`, c);
        got.push([r.status, r.json.error.reason, r.json.error.message]);
      }
      const ws = await wsSend(s.url, cases, 1);
      const s0 = await start({ workers: 0, maxEvents: 5, maxBatches: 2 });
      try {
        const want = [];
        for (const c of cases) {
          const r = await post(`${s0.url}/v2/bulkevents`, c);
          want.push([r.status, r.json.error.reason, r.json.error.message]);
        }
        expect(got).toEqual(want);
        expect(new Set(got.map((g) => g[0]))).toEqual(new Set([400, 413]));
        expect(ws.map((m) => [m.type, m.status, m.reason, m.message])).toEqual(want.map((w) => ['error', ...w]));
      } finally {
        await s0.close();
      }
    } finally {
      await s.close();
    }
  });

  it('captures each connection\'s batches in the order sent and loses none, HTTP and WebSocket together', async () => {
    const capture = join(tempDir(), 'order.ndjson');
    const s = await start({ capture, workers: 2, offloadAt: 0, buffer: 50 });
    try {
      const PER = 120;
      const ws = [0, 1, 2].map((c) => wsSend(s.url, Array.from({ length: PER }, (_, k) => JSON.stringify(tagged(c, k)))));
      const http = [3, 4].map(async (c) => {
        const acks: Json[] = [];
        for (let k = 0; k < PER; k++) acks.push((await post(`${s.url}/v3/JS/key/events`, tagged(c, k))).json);
        return acks;
      });
      const answers = [...(await Promise.all(ws)).flat(), ...(await Promise.all(http)).flat()];
      expect(answers.every((a) => a.accepted === 1)).toBe(true);
      const lines = captured(capture);
      expect(lines).toHaveLength(5 * PER);
      for (let c = 0; c < 5; c++) {
        const mine = lines.filter((r) => String(r.batch.source_request_id).startsWith(`c${c}-`));
        expect(mine.map((r) => r.batch.source_request_id)).toEqual(Array.from({ length: PER }, (_, k) => `c${c}-${k}`));
        expect(mine.map((r) => r.batch)).toEqual(Array.from({ length: PER }, (_, k) => tagged(c, k)));
      }
      const ids = lines.map((r) => r.batch_id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      const summary = await get(`${s.url}/dataplan/summary`);
      expect(summary.batches).toBe(5 * PER);
      expect(summary.events).toBe(answers.reduce((n, a) => n + a.events, 0));
      expect(summary.events).toBe(lines.reduce((n, r) => n + r.result.event_count, 0));
    } finally {
      await s.close();
    }
  });

  it('a worker that dies mid-load hands its requests back: every request is answered, every acknowledged batch captured', async () => {
    const capture = join(tempDir(), 'crash.ndjson');
    const s: RunningStream = await start({ capture, workers: 2, offloadAt: 0 });
    try {
      const PER = 150;
      let killed = false;
      let done = false;
      const ws = [0, 1, 2, 3].map((c) => wsSend(s.url, Array.from({ length: PER }, (_, k) => JSON.stringify(tagged(c, k))), 16));
      // Kill both workers once requests are in them (each connection keeps 16 in flight); give up when all are answered.
      const killer = (async () => {
        while (!killed && !done) {
          if (s.receiver.pool!.pending > 8) {
            killed = true;
            await Promise.all([s.receiver.pool!.kill(0), s.receiver.pool!.kill(1)]);
          } else await new Promise((r) => setImmediate(r));
        }
      })();
      const answers = (await Promise.all(ws)).flat();
      done = true;
      await killer;
      expect(killed).toBe(true);
      expect(s.receiver.pool!.crashes).toBeGreaterThanOrEqual(1);
      expect(answers.map((a) => a.type)).toEqual(Array(4 * PER).fill('ack'));
      const lines = captured(capture);
      expect(lines).toHaveLength(4 * PER);
      for (let c = 0; c < 4; c++) {
        const mine = lines.filter((r) => String(r.batch.source_request_id).startsWith(`c${c}-`));
        expect(mine.map((r) => r.batch.source_request_id)).toEqual(Array.from({ length: PER }, (_, k) => `c${c}-${k}`));
      }
      // New workers take the next requests.
      const after = await wsSend(s.url, [JSON.stringify(tagged(9, 0))]);
      expect(after[0].type).toBe('ack');
      expect(s.receiver.pool!.size).toBe(2);
      const summary = await get(`${s.url}/dataplan/summary`);
      expect(summary.batches).toBe(4 * PER + 1);
    } finally {
      await s.close();
    }
  });
});

describe('a batch counted without building its records', () => {
  it('counts and weighs every fixture batch as its records would', () => {
    const plan = loadPlan(join(FIX, 'plans', 'acme_web_shop.plan.json'));
    const batches = [...examples, ...Object.keys(expectations).flatMap(fixtureBatches)];
    expect(batches.length).toBeGreaterThan(20);
    let violating = 0;
    for (const [i, b] of batches.entries()) {
      for (const force of [false, true]) {
        const result = plan.validateBatch(b, { force });
        violating += result.violations.length;
        const rec = batchRecord(1, b, result, { endpoint: 'x', source: 'web', received_at: 'now' });
        const events = eventRecords(rec, b, result, () => 0);
        const size = 1000 + i;
        expect(tallyOf(b, result, size), `batch ${i}`).toEqual({ tally: { ...tallyRecords(rec, events), codes: expect.any(Array) }, bytes: recordBytes(rec, events, size) });
        expect(tallyOf(b, result, size).tally.codes.sort()).toEqual(tallyRecords(rec, events).codes.sort());
      }
    }
    expect(violating).toBeGreaterThan(0);
  });

  it('builds, when read, the records the main thread builds at once', () => {
    const plan = loadPlan(join(FIX, 'plans', 'acme_web_shop.plan.json'));
    const config = { platformBatchBytes: 128 * 1024, platformRequestBytes: 256 * 1024, ackDetailBytes: 1000, capture: true };
    const j = judgeBatches((b) => plan.validateBatch(b), examples, { endpoint: 'POST /v2/bulkevents', source: 'node', api_key: 'k' }, config);
    const arrival = { endpoint: 'POST /v2/bulkevents', source: 'node' as const, api_key: 'k', received_at: j.received_at };
    let next = 100;
    for (const [i, b] of examples.entries()) {
      const result = plan.validateBatch(b);
      const rec = batchRecord(7 + i, b, result, arrival);
      const events = eventRecords(rec, b, result, () => next++);
      const built = recordsFromLine(j.batches[i].line, 7 + i, events[0].id);
      expect(built).toEqual(JSON.parse(JSON.stringify({ batch: rec, events })));
    }
  });
});

describe('dataplan stream --workers', () => {
  it('takes a whole number, and refuses anything else with exit 2', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { PassThrough } = await import('node:stream');
    let err = '';
    const code = await main(['stream', '--workers', '-1', '--no-ui', '--port', '0', '--no-https'], { stdout: () => undefined, stderr: (s) => void (err += s), stdin: new PassThrough(), cwd: FIX, color: false });
    expect(code).toBe(2);
    expect(err).toMatch(/--workers -1: expected a whole number/);
  });
});

describe('default ingest workers', () => {
  it('are none on 2 cores or fewer (they cost more CPU than they save there), one per further core beyond', () => {
    expect([1, 2, 3, 4, 8, 16].map((cores) => defaultWorkers(cores))).toEqual([0, 0, 2, 3, 7, 15]);
  });
});
