/** Hot reload: edit the plan file, and the next event is judged by the new plan; a broken edit keeps the old one. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LivePlan, type FeedMessage, type PlanInfo, type RunningStream } from '../../src/stream/index.js';
import { loadPlan } from '../../src/validate/index.js';
import { example, get, PLAN, post, start, tempDir, removeTempDirs, waitFor } from './helpers.js';

let s: RunningStream;
let file: string;
const plans: PlanInfo[] = [];
const original = JSON.parse(readFileSync(PLAN, 'utf8'));

beforeAll(async () => {
  file = join(tempDir(), 'plan.json');
  writeFileSync(file, JSON.stringify(original, null, 2));
  s = await start({ planFile: file, watch: true });
  s.receiver.subscribe((m: FeedMessage) => {
    if (m.type === 'plan') plans.push(m.plan);
  });
});
afterAll(async () => {
  await s.close();
  removeTempDirs();
});

const wishlist = () => {
  const b = example('violation-unplanned-events');
  return { ...b, events: (b.events as unknown[]).slice(0, 1) };
};
const lastEvent = async () => (await get(`${s.url}/dataplan/events?limit=1`))[0];

describe('hot reload', () => {
  it('judges the next event with the changed plan', async () => {
    await post(`${s.url}/v2/events`, wishlist());
    expect((await lastEvent()).violations.map((v: { violation: string }) => v.violation)).toEqual(['unplanned_event']);

    const next = structuredClone(original);
    const v2 = next.data_plan_versions.find((v: { version: number }) => v.version === 2);
    v2.version_document.data_points.push({
      description: 'added while streaming',
      match: { type: 'custom_event', criteria: { event_name: 'Wishlist Shared', custom_event_type: 'social' } },
      validator: { type: 'json_schema', definition: { properties: { data: { additionalProperties: true, properties: {} } } } },
    });
    writeFileSync(file, JSON.stringify(next, null, 2));
    await waitFor(() => plans.length >= 1, 5000, 'the reload');
    expect(plans[0]).toMatchObject({ error: null, reloads: 1 });

    await post(`${s.url}/v2/events`, wishlist());
    expect(await lastEvent()).toMatchObject({ name: 'Wishlist Shared', validated: true, violations: [] });
  });

  it('keeps the last good plan when the file breaks, and says why', async () => {
    writeFileSync(file, '{ "data_plan_id": "acme_web_shop", ');
    await waitFor(() => plans.length >= 2, 5000, 'the failed reload');
    expect(plans[1].error?.message).toMatch(/plan\.json/);
    expect(plans[1].error?.message).toMatch(/keeping the plan loaded at/);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.plan.error.message).toBe(plans[1].error?.message);
    expect(sum.plan.reloads).toBe(1);
    // Still the edited plan: Wishlist Shared stays planned.
    await post(`${s.url}/v2/events`, wishlist());
    expect((await lastEvent()).violations).toEqual([]);

    // Fixing the file brings the original back and clears the error.
    writeFileSync(file, JSON.stringify(original, null, 2));
    await waitFor(() => plans.length >= 3, 5000, 'the recovery');
    expect(plans[2]).toMatchObject({ error: null, reloads: 2 });
    await post(`${s.url}/v2/events`, wishlist());
    expect((await lastEvent()).violations.map((v: { violation: string }) => v.violation)).toEqual(['unplanned_event']);
  });
});

describe('a plan version the plan does not have', () => {
  it('is refused at start with the versions it does have, worded as validate words it', () => {
    const have = loadPlan(PLAN).versions.map((v) => v.version.version);
    expect(() => new LivePlan(PLAN, { version: 99 })).toThrow(`${PLAN} has no version 99 (it has ${have.join(', ')})`);
  });
});
