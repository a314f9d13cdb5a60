/**
 * The platform rules of docs/semantics.md through the receiver's HTTP and WebSocket ingest and through `dataplan replay`
 * of a capture holding them: the same verdict as `validate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { socketUrl } from '../../src/stream/client.js';
import type { RunningStream } from '../../src/stream/index.js';
import { FIX, get, post, removeTempDirs, start, tempDir } from './helpers.js';

const DIR = join(FIX, 'semantics');
type Row = [number | null, string, string, string, string];
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  cases: Record<string, { batches: { validated: boolean; reason?: string; not_validated_events: number[]; violations: Row[] }[] }>;
};
const batchesOf = (file: string): unknown[] => {
  const raw = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  return Array.isArray(raw) ? raw : [raw];
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const PLAN = join(DIR, 'plan.json');
const CASES = Object.entries(expected.cases).filter(([, c]) => c.batches.length > 0);
const rows = (b: Json): Row[] => b.violations.map((v: Json) => [v.event_index, v.violation, v.key, v.match_key, v.error_pointer]);

let s: RunningStream;
beforeAll(async () => {
  s = await start({ planFile: PLAN });
});
afterAll(async () => {
  await s.close();
  removeTempDirs();
});
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

describe('HTTP ingest judges every case as the core does', () => {
  for (const [file, c] of Object.entries(expected.cases)) {
    if (c.batches.length === 0) continue;
    it(file, async () => {
      const r = await post(`${s.url}/v2/bulkevents`, batchesOf(file));
      expect(r.status).toBe(202);
      expect(r.json.batches.map((b: Json) => ({ validated: b.validated, reason: b.reason })))
        .toEqual(c.batches.map((w) => ({ validated: w.validated, reason: w.reason })));
      expect(r.json.batches.map((b: Json) => b.violations.map((v: Json) => [v.event_index, v.violation, v.key, v.match_key, v.error_pointer])))
        .toEqual(c.batches.map((w) => w.violations));
      expect(r.json.batches.every((b: Json) => b.errors.length === 0)).toBe(true);
    });
  }

  it('events that cannot be planned are stored as not validated, never as violations', async () => {
    await post(`${s.url}/v2/events`, batchesOf('unplannable-events.json')[0]);
    const events = await get(`${s.url}/dataplan/events`);
    expect(events).toHaveLength(10);
    expect(events.every((e: Json) => e.validated === false && e.reason === 'not_plannable' && e.violations.length === 0 && e.error === undefined)).toBe(true);
    expect((await get(`${s.url}/dataplan/summary`)).violation_count).toBe(0);
  });

  it('a batch of another environment and a body that is not a batch carry the notice why', async () => {
    await post(`${s.url}/v2/events`, batchesOf('environments.json')[0]);
    await post(`${s.url}/v2/events`, batchesOf('not-a-batch.json')[0]);
    const [qa, pkg] = await get(`${s.url}/dataplan/batches`);
    expect(qa.notice).toMatch(/environment is "qa"/);
    expect(pkg.notice).toMatch(/does not look like a batch/);
  });

  it('the two parts of a commerce event are one stored event with the violations of both', async () => {
    await post(`${s.url}/v2/events`, batchesOf('commerce-both-parts.json')[0]);
    const [e] = await get(`${s.url}/dataplan/events`);
    expect(e.violations.map((v: Json) => v.match_key)).toEqual(['product_action:purchase', 'product_action:purchase', 'promotion_action:view']);
  });
});

describe('WebSocket ingest judges every case as the core does', () => {
  it('one message per case file, acknowledged with each batch\'s verdict', async () => {
    const ws = new WebSocket(socketUrl(s.url, '/dataplan/ingest'));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const ask = (data: unknown) => new Promise<Json>((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(String(d))));
      ws.send(JSON.stringify(data));
    });
    for (const [file, c] of CASES) {
      const ack = await ask(batchesOf(file));
      expect(ack.type, file).toBe('ack');
      expect(ack.batches.map((b: Json) => ({ validated: b.validated, reason: b.reason })), file).toEqual(c.batches.map((w) => ({ validated: w.validated, reason: w.reason })));
      expect(ack.batches.map(rows), file).toEqual(c.batches.map((w) => w.violations));
      expect(ack.batches.every((b: Json) => b.errors.length === 0), file).toBe(true);
    }
    ws.close();
  });
});

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (x) => void out.push(x), stderr: (x) => void err.push(x), stdin: new PassThrough(), cwd: DIR, color: false, out, err };
}

describe('dataplan replay of a capture holding every case', () => {
  let capture: string;
  beforeAll(async () => {
    capture = join(tempDir(), 'semantics.ndjson');
    const rec = await start({ planFile: PLAN, capture });
    try {
      for (const [file] of CASES) expect((await post(`${rec.url}/v2/bulkevents`, batchesOf(file))).status).toBe(202);
    } finally {
      await rec.close();
    }
  });

  it('gives every batch the verdict validate gives it, in capture order', async () => {
    const o = io();
    expect(await main(['replay', capture, '--plan', PLAN, '--format', 'json'], o)).toBe(1);
    const out = JSON.parse(o.out.join(''));
    const want = CASES.flatMap(([, c]) => c.batches);
    expect(out.results).toHaveLength(want.length);
    expect(out.results.map((r: Json) => ({ validated: r.validated, reason: r.reason }))).toEqual(want.map((w) => ({ validated: w.validated, reason: w.reason })));
    expect(out.results.map((r: Json) => rows(r))).toEqual(want.map((w) => w.violations));
    expect(out.summary).toMatchObject({ sources: 1, empty_sources: 0, input_errors: 0, plan_warnings: 3, exit_code: 1 });
  });

  it('--fail-on-skip fails on the batches the plan never judged, and says so', async () => {
    const skipped = CASES.flatMap(([, c]) => c.batches).filter((b) => !b.validated).length;
    expect(skipped).toBeGreaterThan(0);
    const o = io();
    expect(await main(['replay', capture, '--plan', PLAN, '--fail-on-skip', '--format', 'json'], o)).toBe(1);
    expect(JSON.parse(o.out.join('')).summary.not_validated_batches).toBe(skipped);
    expect(o.err.join('')).toContain(`dataplan: --fail-on-skip: ${skipped} batch(es) not validated, 0 file(s) without batches`);
  });
});

describe('dataplan replay names every capture, as validate does', () => {
  const dir = tempDir();
  const empty = join(dir, 'empty.ndjson');
  const blank = join(dir, 'blank.ndjson');
  const clean = join(dir, 'clean.ndjson');
  const other = join(dir, 'other-environment.ndjson');
  writeFileSync(empty, '');
  writeFileSync(blank, '\n\n');
  writeFileSync(clean, JSON.stringify({ ...(batchesOf('unplannable-events.json')[0] as object) }) + '\n');
  writeFileSync(other, JSON.stringify(batchesOf('environments.json')[0]) + '\n');

  it('a capture without batches gets a "no batches" notice in every format, and exit 0', async () => {
    const pretty = io();
    expect(await main(['replay', empty, blank, clean, '--plan', PLAN], pretty)).toBe(0);
    const text = pretty.out.join('');
    expect(text).toContain(`– ${empty}: no batches`);
    expect(text).toContain(`– ${blank}: no batches`);
    expect(text).toMatch(/2 sources without batches/);
    const json = io();
    expect(await main(['replay', empty, clean, '--plan', PLAN, '--format', 'json'], json)).toBe(0);
    const out = JSON.parse(json.out.join(''));
    expect(out.results.map((r: Json) => [r.source, r.validated, r.reason ?? null])).toEqual([[empty, false, 'no_batches'], [clean, true, null]]);
    expect(out.summary).toMatchObject({ sources: 2, empty_sources: 1, exit_code: 0 });
    const junit = io();
    await main(['replay', empty, '--plan', PLAN, '--format', 'junit'], junit);
    expect(junit.out.join('')).toContain(`<testsuite name="${empty}" tests="1" failures="0" errors="0" skipped="1" time="`);
  });

  it('--fail-on-skip: a capture without batches or a batch not validated fails the run; a clean one does not', async () => {
    for (const f of [empty, other]) {
      const o = io();
      expect(await main(['replay', f, '--plan', PLAN, '--fail-on-skip'], o), f).toBe(1);
      expect(o.err.join('')).toMatch(/--fail-on-skip: \d batch\(es\) not validated, \d file\(s\) without batches/);
    }
    expect(await main(['replay', other, '--plan', PLAN], io())).toBe(0);
    expect(await main(['replay', clean, '--plan', PLAN, '--fail-on-skip'], io())).toBe(0);
  });

  it('--to: an empty capture is named and sends nothing; --fail-on-skip fails on it', async () => {
    const o = io();
    expect(await main(['replay', empty, clean, '--to', s.url, '--format', 'json', '--fail-on-skip'], o)).toBe(1);
    const out = JSON.parse(o.out.join(''));
    expect(out.results.map((r: Json) => [r.source, r.reason ?? null])).toEqual([[empty, 'no_batches'], [clean, null]]);
    expect(out.summary).toMatchObject({ sources: 2, empty_sources: 1, batches: 1 });
  });
});
