/**
 * What `judgeBatches` writes as text (acknowledgements, capture lines) is what serialising the objects
 * gives: the acknowledgement `batchAck` makes, the capture record with the batch as sent. Every fixture
 * batch, sent alone (its bytes written as they are) or in an array, with acknowledgement budgets that
 * list the whole verdict, part of it, or none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSize, parseBatches } from '../../src/stream/body.js';
import { captureParts, judgeBatches, lineText } from '../../src/stream/judge.js';
import { AckBudget, batchAck } from '../../src/stream/records.js';
import { loadPlan } from '../../src/validate/index.js';
import { FIX, example } from './helpers.js';

const expectations = JSON.parse(readFileSync(join(FIX, 'expected', 'platform-expectations.json'), 'utf8')).batches as Record<string, unknown>;
const batches: unknown[] = [
  ...['clean-web-shopping-session', 'violation-invalid-values', 'violation-unplanned-events', 'web-sdk-quirks', 'violation-user-attributes'].map(example),
  ...Object.keys(expectations).flatMap((file) => {
    const raw = JSON.parse(readFileSync(join(FIX, 'batches', file), 'utf8'));
    return Array.isArray(raw) ? raw : [raw];
  }),
];
const plan = loadPlan(join(FIX, 'plans', 'acme_web_shop.plan.json'));
const validate = (b: unknown) => plan.validateBatch(b);
const from = { endpoint: 'POST /v2/bulkevents', source: 'node' as const, api_key: 'k', received_at: '2026-01-02T03:04:05.000Z' };

/** The acknowledgement and the capture record of batch `b` as objects, serialised, for an acknowledgement budget of `detail` bytes shared in order. */
function reference(list: unknown[], detail: number, platformBatchBytes: number): { acks: string[]; records: unknown[] } {
  const budget = new AckBudget(detail);
  const acks: string[] = [];
  const records: unknown[] = [];
  for (const b of list) {
    const result = validate(b);
    const size = Buffer.byteLength(JSON.stringify(b));
    const warnings = size > platformBatchBytes ? [`batch is ${formatSize(size)}: the mParticle platform rejects batches over ${formatSize(platformBatchBytes)}`] : undefined;
    const record = { capture: 1, batch_id: 0, received_at: from.received_at, endpoint: from.endpoint, source: from.source, api_key: from.api_key, ...(warnings ? { warnings } : {}), result, batch: b };
    const bound = JSON.stringify({ ...record, batch: undefined }).length;
    acks.push(JSON.stringify(batchAck(0, result, budget, warnings, bound)).slice('{"batch_id":0'.length));
    records.push(record);
  }
  return { acks, records };
}

describe('judged text', () => {
  it.each([['the whole verdict', 1 << 20], ['part of it', 400], ['none of it', 0]])('acknowledges %s as batchAck does, and captures each batch as sent', (_, detail) => {
    expect(batches.length).toBeGreaterThan(20);
    const config = { platformBatchBytes: 128 * 1024, platformRequestBytes: 256 * 1024, ackDetailBytes: detail, capture: true };
    let whole = 0;
    for (const b of batches) {
      const body = parseBatches(Buffer.from(JSON.stringify(b)), 100);
      expect(body.raw?.[0]).toBeDefined();
      const j = judgeBatches(validate, body.batches, from, config, body);
      const ref = reference([b], detail, config.platformBatchBytes);
      expect(j.batches[0].ack).toBe(ref.acks[0]);
      if (!j.batches[0].ack.includes('_omitted')) whole++;
      expect(JSON.parse(`{"capture":1,"batch_id":0${lineText(j.batches[0].line)}`)).toEqual(ref.records[0]);
    }
    // Each budget was exercised as named.
    if (detail === 0) expect(whole).toBeLessThan(batches.length);
    if (detail > 1000) expect(whole).toBe(batches.length);
  });

  it('shares one budget across the batches of an array, with and without their own bytes', () => {
    const config = { platformBatchBytes: 3000, platformRequestBytes: 256 * 1024, ackDetailBytes: 3000, capture: true };
    for (const text of [JSON.stringify(batches), `[\n${batches.map((b) => JSON.stringify(b, null, 1)).join(',\n')}\n]`]) {
      const body = parseBatches(Buffer.from(text), 1000);
      const j = judgeBatches(validate, body.batches, from, config, body);
      const sizes = body.sizes;
      const budget = new AckBudget(config.ackDetailBytes);
      j.batches.forEach((got, i) => {
        const result = validate(batches[i]);
        const warnings = sizes[i] > config.platformBatchBytes ? [`batch is ${formatSize(sizes[i])}: the mParticle platform rejects batches over ${formatSize(config.platformBatchBytes)}`] : undefined;
        const record = { capture: 1, batch_id: 0, received_at: from.received_at, endpoint: from.endpoint, source: from.source, api_key: from.api_key, ...(warnings ? { warnings } : {}), result, batch: batches[i] };
        // The bound is the capture line without its batch when the batch's bytes are written as they are, else the whole line.
        const bound = JSON.stringify(got.line.raw ? { ...record, batch: undefined } : record).length;
        expect(JSON.parse(`{"capture":1,"batch_id":0${lineText(got.line)}`)).toEqual(record);
        expect(got.ack).toBe(JSON.stringify(batchAck(0, result, budget, warnings, bound)).slice('{"batch_id":0'.length));
      });
    }
  });

  it('joins capture lines with their ids, one per line', () => {
    const config = { platformBatchBytes: 128 * 1024, platformRequestBytes: 256 * 1024, ackDetailBytes: 1000, capture: true };
    const text = `[${JSON.stringify(batches[0])}, ${JSON.stringify(batches[1], null, 2)}, ${JSON.stringify(batches[2])}]`;
    const body = parseBatches(Buffer.from(text), 10);
    const j = judgeBatches(validate, body.batches, from, config, body);
    expect(j.batches.map((b) => b.line.raw !== undefined)).toEqual([true, false, true]);
    const parts = captureParts([7, 8, 9], j.batches.map((b) => b.line));
    const lines = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l).batch_id)).toEqual([7, 8, 9]);
    expect(lines.map((l) => JSON.parse(l).batch)).toEqual(batches.slice(0, 3));
  });
});
