// The plan-subset evaluator must agree with ajv, the reference JSON Schema engine: on plain JSON
// Schema semantics error by error, and on platform semantics violation by violation.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PLAIN, compileEval, createAjv, evaluate } from '../../src/schema/index.js';
import { compilePlan, loadPlan } from '../../src/validate/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const PLANS = ['acme_web_shop-2.version.json', 'acme_web_shop-1.version.json', 'streamly_tv-3.version.json', 'tiny_plan.document.json'];
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

function batches(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of readdirSync(join(FIX, 'batches'))) {
    const raw = read(join(FIX, 'batches', f));
    out.push(...(Array.isArray(raw) ? raw : [raw]));
  }
  for (const dir of readdirSync(join(FIX, 'captured'))) {
    if (dir.endsWith('.md')) continue;
    for (const f of readdirSync(join(FIX, 'captured', dir))) {
      const body = read(join(FIX, 'captured', dir, f)).body;
      if (body && typeof body === 'object') out.push(...(Array.isArray(body) ? body : [body]).filter((b) => b && Array.isArray(b.events)));
    }
  }
  return out;
}

/** A deterministic stream of awkward values. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
}
const WEIRD: unknown[] = [null, 0, -1, 1.5, 42, '42', '4.20', '-7', '', ' ', 'true', 'TRUE', 'False', 'yes', true, false, [], ['a'], [1, 2], {}, { a: 1 }, 'x'.repeat(300), '😀😀', 'SKU-12345', 'C1234567', 'pat@example.com', '2024-06-12', 'https://a.example/x', 1e21, -0];

const weird = (r: () => number) => structuredClone(WEIRD[Math.floor(r() * WEIRD.length)]);

function mutate(event: unknown, r: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(event));
  const data = copy?.data;
  const targets = [data?.custom_attributes, data?.product_action, data?.product_action?.products?.[0], data?.product_action?.products?.[0]?.custom_attributes, data?.product_impressions?.[0], data].filter((x) => x && typeof x === 'object' && !Array.isArray(x));
  for (let n = 0; n < 3 && targets.length; n++) {
    const t = targets[Math.floor(r() * targets.length)];
    const keys = Object.keys(t);
    const roll = r();
    if (roll < 0.6 && keys.length) t[keys[Math.floor(r() * keys.length)]] = weird(r);
    else if (roll < 0.8 && keys.length) delete t[keys[Math.floor(r() * keys.length)]];
    // defineProperty: an own `__proto__` member, as JSON.parse makes it (assignment would set the prototype).
    else Object.defineProperty(t, ['extra', '__proto__', 'constructor', 'toString', 'Label'][Math.floor(r() * 5)], { value: weird(r), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const norm = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => `${e.instancePath} ${e.keyword} ${JSON.stringify(e.params)}`).sort();

describe('evaluator agrees with ajv', () => {
  const all = batches();
  const r = rng(7);
  const events = all.flatMap((b) => (b.events as unknown[]) ?? []);
  const mutated = events.flatMap((e) => [mutate(e, r), mutate(e, r), mutate(e, r)]);

  // Thousands of comparisons: generous timeouts for a busy machine.
  it('plain JSON Schema: the same errors for every point and every (mutated) fixture event', { timeout: 60_000 }, () => {
    const ajv = createAjv();
    let compared = 0;
    for (const file of PLANS) {
      const plan = loadPlan(join(FIX, 'plans', file));
      for (const cp of plan.getVersion()!.points) {
        if (!cp.schema || cp.engine !== 'evaluator') continue;
        const node = compileEval(cp.schema, ajv);
        const reference = ajv.compile(cp.schema);
        const subjects = cp.kind === 'event' ? [...events, ...mutated] : all.map((b) => b.user_attributes ?? {});
        for (const subject of subjects) {
          const errors: ErrorObject[] = [];
          evaluate(node, subject, [], errors, PLAIN);
          // Keys named like Object.prototype members are where ajv reads inherited values; skip those.
          if (JSON.stringify(subject).includes('"constructor"') || JSON.stringify(subject).includes('"toString"')) continue;
          reference(subject);
          expect(norm(errors), `${file} ${cp.point.matchKey}: ${JSON.stringify(subject).slice(0, 200)}`).toEqual(norm(reference.errors));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10000);
  });

  it('platform semantics: the same violations with the evaluator as with ajv plus in-place conversion', { timeout: 60_000 }, () => {
    let compared = 0;
    const withMutations = all.map((b, i) => (i % 2 ? b : { ...b, events: ((b.events as unknown[]) ?? []).map((e) => mutate(e, r)) }));
    for (const file of PLANS) {
      const fast = loadPlan(join(FIX, 'plans', file));
      const reference = loadPlan(join(FIX, 'plans', file), { engine: 'ajv' });
      for (const batch of [...all, ...withMutations]) {
        for (const strictTypes of [false, true]) {
          const before = JSON.stringify(batch);
          const a = fast.validateBatch(batch, { force: true, strictTypes });
          const b = reference.validateBatch(batch, { force: true, strictTypes });
          expect(JSON.stringify(batch), 'validation must not change the batch').toBe(before);
          if (before.includes('"constructor"') || before.includes('"toString"')) continue;
          expect(a.violations.map((v) => v.message).sort(), file).toEqual(b.violations.map((v) => v.message).sort());
          expect(a.violations.length).toBe(b.violations.length);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});

describe('evaluator agrees with ajv on the generated benchmark workload', () => {
  it('same violations on 300 generated batches against the 190-point plan', { timeout: 60_000 }, async () => {
    const { makePlan, writeWorkload } = await import('../../bench/workload.mjs');
    const { mkdtempSync, writeFileSync, readFileSync: read2 } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'dataplan-eval-'));
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(makePlan()));
    writeWorkload(join(dir, 'b.ndjson'), 300);
    const fast = loadPlan(join(dir, 'plan.json'));
    const reference = loadPlan(join(dir, 'plan.json'), { engine: 'ajv' });
    let violations = 0;
    for (const line of read2(join(dir, 'b.ndjson'), 'utf8').trim().split('\n')) {
      const batch = JSON.parse(line);
      const a = fast.validateBatch(batch).violations.map((v) => v.message).sort();
      const b = reference.validateBatch(batch).violations.map((v) => v.message).sort();
      expect(a).toEqual(b);
      violations += a.length;
    }
    expect(violations).toBeGreaterThan(50);
  });
});

describe('type conversion and null follow every subschema: one answer whatever the schema\'s shape or engine', () => {
  // Each attribute rule S, written as `properties: { a: S }` (the evaluator's reference) and in every
  // other place a value can be checked (ajv with the conversion pass), must judge `a` the same.
  const RULES: Record<string, unknown>[] = [
    { type: 'string' }, { type: 'number', minimum: 3 }, { type: 'boolean' }, { type: 'integer' }, { enum: [1, 2, 3] },
    { type: ['string', 'null'], enum: ['x'] }, { type: 'string', pattern: '^\\d+$' }, { type: 'number', multipleOf: 0.01 }, {},
  ];
  const VALUES: unknown[] = [13, '13', ' 42 ', '+5', 'true', 'False', true, null, [], {}, 'x', '', '  ', 19.99, '19.99', 10.005, 2.5, '2.0', 1e-7];
  const shapes: Record<string, (s: unknown, required: boolean) => Record<string, unknown>> = {
    additionalProperties: (s, r) => ({ additionalProperties: s, ...(r ? { required: ['a'] } : {}) }),
    patternProperties: (s, r) => ({ patternProperties: { '^a$': s }, ...(r ? { required: ['a'] } : {}) }),
    allOf: (s, r) => ({ allOf: [{ properties: { a: s }, ...(r ? { required: ['a'] } : {}) }] }),
    anyOf: (s, r) => ({ anyOf: [{ properties: { a: s }, ...(r ? { required: ['a'] } : {}) }] }),
    oneOf: (s, r) => ({ oneOf: [{ properties: { a: s }, ...(r ? { required: ['a'] } : {}) }] }),
    'if/then': (s, r) => ({ if: { type: 'object' }, then: { properties: { a: s }, ...(r ? { required: ['a'] } : {}) } }),
    'if/else': (s, r) => ({ if: { required: ['zz'] }, else: { properties: { a: s }, ...(r ? { required: ['a'] } : {}) } }),
    $ref: (s, r) => ({ $ref: '#/$defs/attrs', $defs: { attrs: { properties: { a: s }, ...(r ? { required: ['a'] } : {}) } } }),
  };
  // Errors of a composition are reported as the composition's own keyword: compare the verdict there.
  const VERDICT_ONLY = new Set(['anyOf', 'oneOf']);
  const userPlan = (definition: unknown, engine?: 'ajv') =>
    compilePlan({ data_points: [{ match: { type: 'user_attributes' }, validator: { type: 'json_schema', definition } }] }, 'shape.json', engine ? { engine } : {});
  const judge = (plan: ReturnType<typeof compilePlan>, attrs: unknown, strictTypes: boolean) =>
    plan.validateUserAttributes(attrs, { strictTypes }).map((v) => `${v.violation}:${v.key}:${v.schema_keyword}`).sort();

  it('maps and compositions', () => {
    let compared = 0;
    for (const rule of RULES) {
      for (const required of [false, true]) {
        const reference = userPlan({ properties: { a: rule }, ...(required ? { required: ['a'] } : {}) });
        const referenceAjv = userPlan({ properties: { a: rule }, ...(required ? { required: ['a'] } : {}) }, 'ajv');
        const plans = Object.entries(shapes).map(([name, shape]) => [name, userPlan(shape(rule, required))] as const);
        for (const value of VALUES) {
          for (const strict of [false, true]) {
            const attrs = { a: structuredClone(value) };
            const want = judge(reference, attrs, strict);
            const where = `${JSON.stringify(rule)} required=${required} a=${JSON.stringify(value)} strict=${strict}`;
            expect(judge(referenceAjv, attrs, strict), `ajv, ${where}`).toEqual(want);
            for (const [name, plan] of plans) {
              const got = judge(plan, attrs, strict);
              if (VERDICT_ONLY.has(name)) expect(got.length === 0, `${name}, ${where}: ${got}`).toBe(want.length === 0);
              else expect(got, `${name}, ${where}`).toEqual(want);
              compared++;
            }
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  }, 120_000);

  it('arrays: items and prefixItems', { timeout: 60_000 }, () => {
    for (const rule of RULES) {
      const reference = userPlan({ properties: { list: { type: 'array', items: rule } } });
      const referenceAjv = userPlan({ properties: { list: { type: 'array', items: rule } } }, 'ajv');
      const prefix = userPlan({ properties: { list: { type: 'array', prefixItems: [rule, rule] } } });
      const mixed = userPlan({ properties: { list: { type: 'array', prefixItems: [{}], items: rule } } });
      for (const value of VALUES) {
        for (const strict of [false, true]) {
          const attrs = { list: [structuredClone(value), structuredClone(value)] };
          const want = judge(reference, attrs, strict);
          expect(judge(referenceAjv, attrs, strict)).toEqual(want);
          expect(judge(prefix, attrs, strict), `prefixItems ${JSON.stringify(rule)} ${JSON.stringify(value)}`).toEqual(want);
          // Element 0 is the open prefix; element 1 follows `items`.
          const second = judge(reference, { list: [structuredClone(value)] }, strict);
          expect(judge(mixed, attrs, strict).length, `items after prefixItems ${JSON.stringify(value)}`).toBe(second.length);
        }
      }
    }
  });

  it('a lone planned key is read as an own member, as when the schema plans several', () => {
    for (const key of ['a', '__proto__', 'constructor', 'toString']) {
      for (const extra of [{}, { b: { type: 'string' } }]) {
        const def = { properties: { [key]: { type: 'number' }, ...extra } };
        const sent = JSON.parse(`{"b":"x",${JSON.stringify(key)}:"not a number"}`);
        const inherited = JSON.parse('{"b":"x"}');
        // ajv's generated code reads prototype names through the prototype chain: compare on a plain name only.
        for (const engine of key === 'a' ? ([undefined, 'ajv'] as const) : [undefined]) {
          const plan = userPlan(def, engine);
          expect(judge(plan, sent, true), `${key} ${engine ?? 'evaluator'}`).toEqual([`invalid_data_type:${key}:type`]);
          expect(judge(plan, inherited, true), `${key} ${engine ?? 'evaluator'}`).toEqual([]);
        }
      }
    }
  });

  it('null members are absent for every map keyword, and the batch comes back exactly as it was', () => {
    const plan = userPlan({ patternProperties: { '^p_': { type: 'string' } }, additionalProperties: { type: 'number' }, properties: { a: { type: 'string' } }, required: ['p_req', 'a'] }, 'ajv');
    const attrs = JSON.parse('{"z":null,"p_1":null,"a":null,"p_req":null,"__proto__":null,"n":"5","p_2":7,"last":1}');
    const before = JSON.stringify(attrs);
    expect(judge(plan, attrs, false)).toEqual(['missing_required:a:required', 'missing_required:p_req:required']);
    expect(JSON.stringify(attrs)).toBe(before);
    expect(Object.getPrototypeOf(attrs)).toBe(Object.prototype);
  });
});
