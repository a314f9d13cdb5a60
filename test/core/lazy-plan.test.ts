// A plan loaded with `lazy` (what the ESLint plugin uses) compiles a point when first used and
// gives the same verdicts as one compiled up front.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePlan, loadPlan } from '../../src/validate/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const PLANS = ['acme_web_shop.plan.json', 'acme_web_shop-2.version.json', 'streamly_tv-3.version.json', 'mobile_app-1.version.json', 'tiny_plan.document.json'];

function batches(): unknown[] {
  const out: unknown[] = [];
  for (const f of readdirSync(join(FIX, 'batches'))) {
    const raw = JSON.parse(readFileSync(join(FIX, 'batches', f), 'utf8'));
    out.push(...(Array.isArray(raw) ? raw : [raw]));
  }
  return out;
}

describe('lazy plan compilation', () => {
  const all = batches();

  for (const file of PLANS) {
    it(`${file}: the same results as compiling every point at load`, () => {
      const eager = loadPlan(join(FIX, 'plans', file));
      const lazy = loadPlan(join(FIX, 'plans', file), { lazy: true });
      let violations = 0;
      for (const strictTypes of [false, true]) {
        for (const batch of all) {
          const want = eager.validateBatch(batch, { force: true, strictTypes });
          expect(lazy.validateBatch(batch, { force: true, strictTypes })).toEqual(want);
          violations += want.violations.length;
        }
      }
      expect(violations).toBeGreaterThan(0);
      // Every point compiled by now or not, the schemas agree.
      for (let v = 0; v < eager.versions.length; v++) {
        expect(lazy.versions[v].points.map((p) => [p.schema, p.engine])).toEqual(eager.versions[v].points.map((p) => [p.schema, p.engine]));
      }
    });
  }

  it('a broken schema is reported once its point is first used', () => {
    const plan = {
      data_points: [
        { match: { type: 'custom_event', criteria: { event_name: 'Used', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: { properties: { data: { properties: { custom_attributes: { properties: { code: { type: 'string', pattern: '^[A-Z]{3}$' } } } } } } } } },
        { match: { type: 'custom_event', criteria: { event_name: 'Unused', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: { properties: { data: { properties: { custom_attributes: { properties: { code: { type: 'string', pattern: '([' } } } } } } } } },
      ],
    };
    const eager = compilePlan(plan, 'lazy.json');
    const lazy = compilePlan(plan, 'lazy.json', { lazy: true });
    expect(eager.problems.map((p) => p.code)).toEqual(['invalid_regex']);
    expect(lazy.problems).toEqual([]);
    const batch = { events: [{ event_type: 'custom_event', data: { event_name: 'Used', custom_event_type: 'other', custom_attributes: { code: 'abcd' } } }] };
    const r = lazy.validateBatch(batch, { force: true });
    expect(r.violations.map((v) => `${v.violation}:${v.key}`)).toEqual(['invalid_expected_value:code']);
    expect(lazy.problems).toEqual([]);
    lazy.validateBatch({ events: [{ event_type: 'custom_event', data: { event_name: 'Unused', custom_event_type: 'other', custom_attributes: { code: 'x' } } }] }, { force: true });
    expect(lazy.problems).toEqual(eager.problems);
  });
});
