// The platform rules of docs/semantics.md, one fixture file a rule (test/fixtures/semantics), through
// the core with both engines and through the exported JSON Schema bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { exportSchemas } from '../../src/schema/index.js';
import { loadPlan, type BatchResult } from '../../src/validate/index.js';

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: unknown) => void;
const DIR = join(import.meta.dirname, '..', 'fixtures', 'semantics');
const PLAN = join(DIR, 'plan.json');
type Row = [number | null, string, string, string, string];
interface Expected { validated: boolean; reason?: string; not_validated_events: number[]; violations: Row[] }
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { cases: Record<string, { note: string; batches: Expected[] }> };
const batchesOf = (file: string): unknown[] => {
  const raw = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
  return Array.isArray(raw) ? raw : [raw];
};
const rows = (r: BatchResult): Row[] => r.violations.map((v) => [v.event_index, v.violation, v.key, v.match_key, v.error_pointer]);

describe('platform rules, case by case, with both engines', () => {
  const engines = { evaluator: loadPlan(PLAN), ajv: loadPlan(PLAN, { engine: 'ajv' }) };
  for (const [file, c] of Object.entries(expected.cases)) {
    it(`${file}: ${c.note}`, () => {
      const batches = batchesOf(file);
      expect(batches).toHaveLength(c.batches.length);
      batches.forEach((batch, i) => {
        const before = JSON.stringify(batch);
        const results = Object.values(engines).map((p) => p.validateBatch(batch));
        expect(JSON.stringify(batch), 'validation must not change the batch (key order included)').toBe(before);
        for (const r of results) {
          const want = c.batches[i];
          expect({ validated: r.validated, reason: r.reason, not_validated_events: r.not_validated_events }).toEqual({ validated: want.validated, reason: want.reason, not_validated_events: want.not_validated_events });
          expect(rows(r)).toEqual(want.violations);
          expect(r.errors).toEqual([]);
        }
        expect(results[0].violations.map((v) => v.message)).toEqual(results[1].violations.map((v) => v.message));
      });
    });
  }

  it('plan points for unplannable types and duplicate match keys are warnings, never errors', () => {
    const p = engines.evaluator;
    expect(p.problems.map((x) => [x.severity, x.code])).toEqual([
      ['warning', 'duplicate_match_key'], ['warning', 'unmatched_match_type'], ['warning', 'unmatched_match_type'],
    ]);
    expect(p.problems[2].message).toBe('match type "push_registration" never matches any event (push_registration events cannot be planned); the point checks nothing');
  });

  it('says why a batch was not validated', () => {
    const p = engines.evaluator;
    const [qa, empty, num] = batchesOf('environments.json').map((b) => p.validateBatch(b).notice);
    expect(qa).toBe('not validated: the batch\'s environment is "qa"; plan versions are active only for "development" or "production" batches, so none is active for it; use --force to validate it anyway');
    expect(empty).toMatch(/environment is ""/);
    expect(num).toMatch(/environment is 1;/);
    expect(p.validateBatch(batchesOf('not-a-batch.json')[0]).notice).toBe(
      'not validated: this does not look like a batch (it has none of events, user_attributes, user_identities, mpid, environment, context, …), so it carries no plan context');
  });

  it('--force validates a batch of any environment, but never something that is not a batch', () => {
    const p = engines.evaluator;
    const forced = p.validateBatch(batchesOf('environments.json')[0], { force: true });
    expect([forced.validated, rows(forced)]).toEqual([true, [[0, 'unplanned_event', 'Nowhere', 'screen_view::Nowhere', '#']]]);
    expect(p.validateBatch(batchesOf('not-a-batch.json')[0], { force: true }).validated).toBe(false);
  });

  it('messages name the product and the promotion', () => {
    const r = engines.evaluator.validateBatch(batchesOf('commerce-both-parts.json')[0]);
    expect(r.violations.map((v) => v.message)).toEqual([
      'Unplanned product attribute "gift" (product 0) on product_action purchase',
      'Unplanned product attribute "color" (product 0) on product_action purchase',
      'Unplanned attribute "extra" (promotion 0) on promotion_action view',
    ]);
    const ua = engines.evaluator.validateBatch(batchesOf('user-attributes-not-object.json')[0]).violations[0];
    expect(ua).toMatchObject({ schema_keyword: 'type', expected: 'object', actual: ['gold'], event_index: null, message: 'The user_attributes map should be an object, got ["gold"]' });
  });

  it('messages for composed schemas read as sentences, with the value as sent', () => {
    const r = engines.evaluator.validateBatch(batchesOf('conversion-composition.json')[1]);
    expect(r.violations.filter((v) => v.event_index === 0).map((v) => v.message)).toEqual([
      'Attribute "value" on custom_event "Rate" (user_content) should be <= 100, got "150"',
      'Attribute "stars" on custom_event "Rate" (user_content) should be <= 5, got "7"',
      'Attribute "mood" on custom_event "Rate" (user_content) should match at least one of the schemas in anyOf, got "-1"',
      'Attribute "code" on custom_event "Rate" (user_content) should match exactly one of the schemas in oneOf, got "x"',
    ]);
  });

  it('event violations carry the event\'s source_message_id, batch-level ones none', () => {
    const r = engines.evaluator.validateBatch(batchesOf('matching-details.json')[0]);
    expect(r.violations.map((v) => [v.key, v.source_message_id])).toEqual([['home', 'm2'], ['tag', undefined]]);
    expect(r.violations[0].suggestion).toMatchObject({ key: 'Home', reason: 'case_or_spacing' });
  });

  it('strict types keep null handling and drop only the conversion', () => {
    const r = engines.evaluator.validateBatch(batchesOf('conversion-subschemas.json')[0], { strictTypes: true });
    const a = engines.ajv.validateBatch(batchesOf('conversion-subschemas.json')[0], { strictTypes: true });
    expect(rows(r)).toEqual(rows(a));
    expect(rows(r).map((x) => `${x[0]}:${x[1]}:${x[2]}`).sort()).toEqual([
      '0:invalid_data_type:flag', '0:invalid_data_type:level', '0:invalid_data_type:other', '0:invalid_data_type:score_a',
      '1:invalid_data_type:level', '1:invalid_data_type:other', '1:invalid_data_type:score_b', '1:invalid_expected_value:score_d',
      'null:invalid_data_type:age',
    ]);
  });
});

describe('the exported bundle gives the same verdict on every case', () => {
  it('valid exactly when the core finds no violation', () => {
    const plan = loadPlan(PLAN);
    const cv = plan.getVersion()!;
    const ajv = new Ajv2020({ allErrors: true, logger: false });
    addFormats(ajv);
    const validate = ajv.compile(exportSchemas({ planId: plan.id, version: 1, points: cv.points }).bundle);
    let compared = 0;
    for (const file of Object.keys(expected.cases)) {
      for (const batch of batchesOf(file)) {
        const r = plan.validateBatch(batch, { force: true });
        if (!r.validated) continue;
        // A plain JSON Schema cannot excuse deleted_user_attributes (docs/compile.md, "What standard JSON Schema cannot say").
        if (Array.isArray((batch as { deleted_user_attributes?: unknown }).deleted_user_attributes)) continue;
        expect(validate(batch), `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(r.violations.length === 0);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(12);
  }, 60_000);
});
