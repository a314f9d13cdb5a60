// The JSON renderer writes each result field by field; it must give JSON.stringify(jsonResult(...))'s bytes.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRenderer, joinRendering, jsonResult } from '../../src/report/render.js';
import { loadPlan } from '../../src/validate/plan.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');

describe('JSON rendering', () => {
  it('gives the bytes of JSON.stringify(jsonResult(entry)) for every fixture batch under every plan', () => {
    const render = createRenderer({ format: 'json' });
    const plans = ['acme_web_shop.plan.json', 'acme_web_shop-1.version.json', 'streamly_tv-3.version.json', 'mobile_app-1.version.json', 'tiny_plan.document.json'].map((f) => loadPlan(join(FIX, 'plans', f)));
    const batches: unknown[] = [];
    for (const f of readdirSync(join(FIX, 'batches')).sort()) {
      const v = JSON.parse(readFileSync(join(FIX, 'batches', f), 'utf8')) as unknown;
      batches.push(...(Array.isArray(v) ? v : [v]));
    }
    // Not a batch at all, and an unusable one: results with a notice, or with input errors.
    batches.push({ name: 'package.json' }, 42, { events: 'x', context: { data_plan: { plan_id: 'acme_web_shop' } } });
    let compared = 0;
    const kinds = new Set<string>();
    for (const plan of plans) {
      batches.forEach((b, i) => {
        const result = plan.validateBatch(b);
        // Sources with characters JSON escapes, and results with and without a line.
        for (const [source, line] of [['batches/a.ndjson', i + 1], ['dir "quoted"\\é\u2028.json', undefined]] as const) {
          const entry = { source, batch: i, line, result };
          expect(joinRendering(render({ source, line, result }), i)).toBe(JSON.stringify(jsonResult(entry)));
          compared++;
        }
        kinds.add(result.notice ? 'notice' : result.errors.length ? 'errors' : result.violations.length ? 'violations' : 'clean');
      });
    }
    expect(compared).toBeGreaterThan(100);
    expect([...kinds].sort()).toEqual(['clean', 'errors', 'notice', 'violations']);
  });
});
