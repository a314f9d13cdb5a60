/** A plan pattern cannot stall the receiver: a 1.3 KB body took it 10 s on a backtracking matcher. */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { FIX, fixture, get, post, start } from './helpers.js';

let s: RunningStream;
beforeAll(async () => {
  s = await start({ planFile: join(FIX, 'redos', 'redos_plan.document.json') });
});
afterAll(() => s.close());

it('judges almost-matching values of ^(a+)+$ at once, and keeps answering', async () => {
  const batch = fixture('redos/almost-matching-values.json') as { events: unknown[] };
  const r = await post(`${s.url}/v2/events`, batch);
  expect(r.status).toBe(202);
  const bad = await get(`${s.url}/dataplan/events?violations=only`);
  expect(bad.map((e: { violations: { key: string }[] }) => e.violations.map((v) => v.key)).flat()).toEqual(['query', 'code', 'level', 'c'.repeat(32) + '!']);
});
