// The exported schemas, run by a plain third-party ajv, must give the engine's verdicts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { exportSchemas } from '../../src/schema/index.js';
import { compilePlan, loadPlan, type CompiledPlan } from '../../src/validate/index.js';

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: unknown) => void;
const FIX = join(import.meta.dirname, '..', 'fixtures');
// Each test compiles every exported schema with a fresh ajv: slow on a busy machine, hence the timeouts.
const expectations = JSON.parse(readFileSync(join(FIX, 'expected', 'platform-expectations.json'), 'utf8')).batches as Record<string, { plan: string }>;

function thirdParty(draft: '2020-12' | '07') {
  // Defaults on purpose: strict mode, unicode regexps — what a user's validator would do.
  const ajv = draft === '07' ? new Ajv({ allErrors: true, logger: false }) : new Ajv2020({ allErrors: true, logger: false });
  addFormats(ajv);
  return ajv;
}

function exported(plan: CompiledPlan, version: number | undefined, draft: '2020-12' | '07') {
  const cv = plan.getVersion(version)!;
  return exportSchemas({ planId: plan.id, planName: plan.name, version: cv.version.version, points: cv.points }, { draft });
}

describe('dataplan compile output', () => {
  for (const draft of ['2020-12', '07'] as const) {
    it(`bundle schema (draft ${draft}) gives the engine's verdict on every fixture batch`, () => {
      const cache = new Map<string, ReturnType<ReturnType<typeof thirdParty>['compile']>>();
      for (const name of readdirSync(join(FIX, 'batches'))) {
        const exp = expectations[name];
        const plan = loadPlan(join(FIX, exp.plan));
        const raw = JSON.parse(readFileSync(join(FIX, 'batches', name), 'utf8'));
        for (const batch of Array.isArray(raw) ? raw : [raw]) {
          const r = plan.validateBatch(batch, { force: true });
          const engineValid = r.violations.length === 0 && r.errors.length === 0;
          const ck = `${exp.plan}@${r.plan_version}`;
          const validate = cache.get(ck) ?? thirdParty(draft).compile(exported(plan, r.plan_version ?? undefined, draft).bundle);
          cache.set(ck, validate);
          const ok = validate(batch);
          expect(ok, `${name} (${draft}): ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(engineValid);
        }
      }
    }, 60_000);
  }

  it('per-point schemas give the engine\'s verdict on every event of the fixture batches', () => {
    let checked = 0;
    for (const name of readdirSync(join(FIX, 'batches'))) {
      const plan = loadPlan(join(FIX, expectations[name].plan));
      const raw = JSON.parse(readFileSync(join(FIX, 'batches', name), 'utf8'));
      for (const batch of Array.isArray(raw) ? raw : [raw]) {
        const r = plan.validateBatch(batch, { force: true });
        const ex = exported(plan, r.plan_version ?? undefined, '2020-12');
        const ajv = thirdParty('2020-12');
        const byKey = new Map(ex.points.map((p) => [p.match_key, ajv.compile(p.schema)]));
        (batch.events as unknown[]).forEach((event, i) => {
          const bad = r.violations.filter((v) => v.event_index === i);
          const key = bad[0]?.match_key ?? plan.validateEvent(event, { version: r.plan_version ?? undefined }).match_key;
          const validate = key ? byKey.get(key) : undefined;
          if (!validate || bad.some((v) => v.violation === 'unplanned_event')) return;
          expect(validate(event), `${name} events[${i}] ${key}`).toBe(bad.length === 0);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThan(60);
  }, 60_000);

  it('a pinned action accepts the numbers the platform reads as its name, and only those', () => {
    const pinned = (type: string, action: string, s: unknown) => ({ match: { type, criteria: { action } }, validator: { type: 'json_schema', definition: {
      properties: { data: { properties: { [type]: { properties: { action: s }, required: ['action'] } } } },
    } } });
    const plan = compilePlan({ data_points: [
      pinned('promotion_action', 'view', { const: 'view' }),
      pinned('product_action', 'refund', { enum: ['refund'] }),
      // Contradictory on purpose: the action can never be what the schema asks.
      pinned('product_action', 'purchase', { const: 'checkout' }),
    ] }, 'pinned.json');
    const commerce = (part: string, action: unknown) => ({ event_type: 'commerce_event', data: { [part]: { action, ...(part === 'promotion_action' ? { promotions: [] } : {}) } } });
    const events = [
      commerce('promotion_action', 1), commerce('promotion_action', '1'), commerce('promotion_action', 'view'),
      commerce('product_action', 8), commerce('product_action', '8'), commerce('product_action', 'refund'),
      commerce('product_action', 7), commerce('product_action', 'purchase'),
    ];
    const bundle = thirdParty('2020-12').compile(exported(plan, undefined, '2020-12').bundle);
    const verdicts = events.map((e) => [plan.validateEvent(e).violations.length === 0, bundle({ events: [e] })]);
    expect(verdicts).toEqual([[true, true], [true, true], [true, true], [true, true], [true, true], [true, true], [false, false], [false, false]]);
  });

  it('documents the limit: a range on a number sent as a string is checked by the engine only', () => {
    const plan = loadPlan(join(FIX, 'plans', 'streamly_tv-3.version.json'));
    const ua = exported(plan, undefined, '2020-12').points.find((p) => p.match_key === 'user_attributes')!;
    const validate = thirdParty('2020-12').compile(ua.schema);
    expect(plan.validateUserAttributes({ $Age: '9' }).map((v) => v.key)).toEqual(['$Age']);
    expect(validate({ $Age: '9' })).toBe(true);
    expect(validate({ $Age: 9 })).toBe(false);
  });
});
