import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/validate/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const expectations = JSON.parse(readFileSync(join(FIX, 'expected', 'platform-expectations.json'), 'utf8')) as {
  batches: Record<string, {
    plan: string; version_used: number | null; validated: boolean; not_validated_events?: number[];
    violations?: Array<Record<string, unknown>>;
  }>;
};

const FIELDS = ['event_index', 'event_type', 'match_key', 'violation', 'key', 'error_pointer', 'schema_keyword', 'expected', 'actual', 'batch_key', 'would_block'];

describe('every fixture batch gives exactly the platform violations', () => {
  for (const [name, exp] of Object.entries(expectations.batches)) {
    it(name, () => {
      const plan = loadPlan(join(FIX, exp.plan));
      const raw = JSON.parse(readFileSync(join(FIX, 'batches', name), 'utf8'));
      const batches = Array.isArray(raw) ? raw : [raw];
      const got: Array<Record<string, unknown>> = [];
      batches.forEach((batch, bi) => {
        const r = plan.validateBatch(batch);
        expect(r.validated, r.notice).toBe(exp.validated);
        expect(r.plan_version).toBe(exp.version_used);
        expect(r.errors).toEqual([]);
        if (exp.not_validated_events) expect(r.not_validated_events).toEqual(exp.not_validated_events);
        if (!exp.validated) expect(r.notice).toMatch(/not validated/);
        for (const v of r.violations) {
          expect(v.message.length).toBeGreaterThan(10);
          got.push({ ...v, ...(Array.isArray(raw) ? { batch_index: bi } : {}) });
        }
      });
      const want = exp.violations ?? [];
      // Compare on the fields each expectation states.
      const pick = (v: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.filter((k) => k in v || FIELDS.includes(k)).filter((k) => k in v).map((k) => [k, v[k]]));
      const wantKeys = want.map((w) => Object.keys(w).filter((k) => k !== 'note'));
      expect(got.length, JSON.stringify(got.map((g) => g.message), null, 1)).toBe(want.length);
      const sortKey = (v: Record<string, unknown>) => `${v.batch_index ?? 0}|${v.event_index ?? 999}|${v.violation}|${v.key}`;
      const gotSorted = [...got].sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
      const wantSorted = want.map((w, i) => ({ w, keys: wantKeys[i] })).sort((a, b) => sortKey(a.w).localeCompare(sortKey(b.w)));
      wantSorted.forEach(({ w, keys }, i) => {
        expect(pick(gotSorted[i], keys.filter((k) => k !== 'would_block'))).toEqual(pick(w, keys.filter((k) => k !== 'would_block')));
      });
      // Block expectations are stated for the same points with the SDK config's block settings.
      if (want.some((w) => 'would_block' in w)) {
        const blocking = loadPlan(join(FIX, 'plans', 'tiny_plan.sdk-config.json'));
        const r = blocking.validateBatch(raw);
        for (const w of want) {
          const v = r.violations.find((x) => x.event_index === w.event_index && x.key === w.key)!;
          expect(v.would_block).toBe(w.would_block ?? false);
        }
        expect(r.violations.filter((v) => v.would_block).length).toBe(want.filter((w) => w.would_block).length);
      }
    });
  }
});
