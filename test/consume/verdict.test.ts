/** The verdict of one message: read as `validate` reads a file, and kept within the message limit. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fit, judgeMessage, type InputMessage, type Judge, type Verdict } from '../../src/consume/index.js';
import { loadPlan } from '../../src/validate/index.js';
import { FIX, PLAN } from './helpers.js';

const plan = loadPlan(PLAN);
const judge: Judge = {
  validate: (b) => plan.validateBatch(b),
  plan: () => ({ file: PLAN, id: plan.id ?? null, name: plan.name ?? null, version: null, loaded_at: '2026-01-01T00:00:00.000Z' }),
};
const message = (text: string, seq = 7): InputMessage => ({
  stream: 'S', seq, subject: 'in', id: `S:${seq}`, data: new TextEncoder().encode(text), redelivered: false, ack: () => {}, retry: () => {},
});
const pretty = readFileSync(join(FIX, 'batches', 'violation-invalid-values.json'), 'utf8');

describe('judgeMessage', () => {
  it.each([
    ['one line', JSON.stringify(JSON.parse(pretty))],
    ['pretty-printed', pretty],
    ['with a byte order mark', `\ufeff${JSON.stringify(JSON.parse(pretty))}`],
  ])('reads a batch written %s the same way', async (_, text) => {
    const { verdict, batches } = await judgeMessage(message(text), judge);
    expect(verdict.errors).toEqual([]);
    expect(batches).toHaveLength(1);
    expect(verdict.results).toEqual([expect.objectContaining({ source: 'S:7', batch: 0, line: 1, violations: plan.validateBatch(JSON.parse(pretty)).violations })]);
  });

  it('reads an array of batches as one result per batch', async () => {
    const b = JSON.parse(pretty);
    const { verdict } = await judgeMessage(message(JSON.stringify([b, b])), judge);
    expect(verdict.results.map((r) => r.batch)).toEqual([0, 1]);
  });
});

describe('fit', () => {
  const big = async (): Promise<Verdict> => {
    const b = JSON.parse(pretty);
    return (await judgeMessage(message(JSON.stringify(Array.from({ length: 40 }, () => b))), judge)).verdict;
  };

  it('leaves a verdict within the limit as it is', async () => {
    const v = await big();
    expect(JSON.parse(new TextDecoder().decode(fit(v, 10_000_000)))).toEqual(v);
  });

  it('cuts violations to fit, and says how many were left out', async () => {
    const v = await big();
    const size = JSON.stringify(v).length;
    const out = fit(v, Math.floor(size / 3));
    expect(out.length).toBeLessThanOrEqual(Math.floor(size / 3));
    const got = JSON.parse(new TextDecoder().decode(out));
    expect(got.truncated).toBe(true);
    expect(got.results).toHaveLength(40);
    expect(got.errors.at(-1)).toMatchObject({ kind: 'verdict', file: 'S:7', message: expect.stringMatching(/^the verdict was larger than the \d+-byte message limit: \d+ of \d+ violations left out/) });
  });

  it('keeps only the note when even the results without violations do not fit', async () => {
    const got = JSON.parse(new TextDecoder().decode(fit(await big(), 2000)));
    expect(got).toMatchObject({ stream: 'S', seq: 7, results: [], truncated: true, errors: [{ kind: 'verdict' }] });
  });
});
