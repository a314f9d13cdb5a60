/** The platform rules of docs/semantics.md through the receiver's HTTP ingest: the same verdict as `validate`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { FIX, get, post, start } from './helpers.js';

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

let s: RunningStream;
beforeAll(async () => {
  s = await start({ planFile: join(DIR, 'plan.json') });
});
afterAll(() => s.close());
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
