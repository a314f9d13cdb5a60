/** The view without a terminal: one line per event, or NDJSON. */
import { describe, expect, it } from 'vitest';
import { LivePlan, Receiver } from '../../src/stream/index.js';
import { linePrinter, summaryLines } from '../../src/tui/index.js';
import { example, PLAN } from '../stream/helpers.js';

async function run(json: boolean, names: string[]): Promise<{ text: string; receiver: Receiver }> {
  const out: string[] = [];
  const receiver = new Receiver({ plan: new LivePlan(PLAN) });
  receiver.subscribe(linePrinter((s) => out.push(s), { json }));
  for (const n of names) await receiver.ingest([example(n)], { endpoint: 'POST /v2/events', source: 'node' });
  receiver.reject({ method: 'POST', path: '/v2/events', status: 400, reason: 'malformed_json', message: 'malformed JSON at line 1, column 2' });
  return { text: out.join(''), receiver };
}

describe('line output', () => {
  it('prints one line per event with its mark, and the violation messages under it', async () => {
    const { text, receiver } = await run(false, ['violation-unplanned-events', 'not-validated-no-plan-context', 'violation-user-attributes']);
    const lines = text.split('\n');
    expect(lines.filter((l) => /^\d\d:\d\d:\d\d [✓✗–!] /.test(l))).toHaveLength(7 + 1 + 1 + 3);
    expect(text).toMatch(/✗ custom_event {3}Wishlist Shared \(social\) \[batch 1#0 · C0012345\] 1 violation\n\s+unplanned_event Unplanned event: custom_event "Wishlist Shared" \(social\) is not in the data plan/);
    expect(text).toMatch(/✓ custom_event {3}Navbar Click \(navigation\) \[batch 1#6/);
    expect(text).toMatch(/– batch 2 \(node\): not validated: the batch has no context\.data_plan\.plan_id/);
    expect(text).toMatch(/– custom_event {3}Wishlist Shared \(social\) \[batch 2#0/);
    // The batch line, then its five violations (in the order of the attributes in the batch).
    expect(text).toMatch(/✗ batch 3 \(node\): 5 batch-level violations\n(\s+(unplanned_user_attribute|invalid_expected_value) .+\n){5}/);
    expect(text).toMatch(/\n\s+unplanned_user_attribute Unplanned user attribute "shoe_size"\n/);
    expect(text).toMatch(/! rejected POST \/v2\/events: 400 malformed_json: malformed JSON at line 1, column 2/);
    expect(text.includes('\u001b[')).toBe(false);
    expect(summaryLines(receiver.summary())).toEqual([
      'Summary: 3 batches (2 validated, 1 not validated), 9 events',
      '  11 violations: 6 unplanned_event, 2 unplanned_user_attribute, 3 invalid_expected_value; 6 of 9 events with violations',
      '  1 rejected request',
    ]);
  });

  it('prints NDJSON records with --json', async () => {
    const { text } = await run(true, ['violation-invalid-values']);
    const recs = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs.map((r) => r.type)).toEqual(['batch', 'event', 'event', 'event', 'event', 'event', 'event', 'rejected']);
    expect(recs[1]).toMatchObject({ type: 'event', batch_id: 1, event_index: 0, event_type: 'screen_view', name: 'Product Detail', validated: true });
    expect(recs[1].violations.map((v: { key: string }) => v.key)).toEqual(['product_id', 'category', 'referrer']);
    expect(recs[7]).toMatchObject({ type: 'rejected', status: 400, reason: 'malformed_json' });
  });
});
