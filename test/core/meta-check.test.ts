/**
 * The meta-schema check done without ajv (schema/meta.ts) never accepts what ajv's 2020-12 meta-schema rejects, and
 * accepts the plan vocabulary, so plans in it load without ajv. Real plan schemas and hand-made broken ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAjv, eachSchema, prepareSchema, type SchemaObject } from '../../src/schema/index.js';
import { metaValid } from '../../src/schema/meta.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ajv = createAjv();

/** Every point schema, and every subschema of one, in the fixture plans and the bundled plan. */
function planSchemas(): SchemaObject[] {
  const files = [
    ...readdirSync(join(ROOT, 'test', 'fixtures', 'plans')).filter((f) => f.endsWith('.json')).map((f) => join(ROOT, 'test', 'fixtures', 'plans', f)),
    join(ROOT, 'plans', 'acme_web_shop.json'),
  ];
  const out: SchemaObject[] = [];
  const find = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(find);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const def = (o.validator as { definition?: unknown } | undefined)?.definition;
      if (def && typeof def === 'object') eachSchema(def, (node) => out.push(node));
      Object.values(o).forEach(find);
    }
  };
  for (const f of files) find(JSON.parse(readFileSync(f, 'utf8')));
  return out;
}

const BROKEN: SchemaObject[] = [
  { type: 'text' }, { type: [] }, { type: ['string', 'string'] }, { type: 5 },
  { enum: 'a' }, { required: 'id' }, { required: ['a', 'a'] }, { required: [1] },
  { minimum: '5' }, { maxLength: -1 }, { maxLength: 1.5 }, { minItems: '2' }, { multipleOf: 0 }, { multipleOf: -2 },
  { pattern: 5 }, { format: 7 }, { uniqueItems: 'yes' }, { description: 3 }, { examples: {} },
  { properties: [] }, { properties: { a: 5 } }, { additionalProperties: 'no' }, { items: [{ type: 'string' }] }, { items: 'x' },
  { properties: { data: { properties: { custom_attributes: { properties: { n: { type: 'number', minimum: 'low' } } } } } } },
];

describe('metaValid', () => {
  it('accepts only what the meta-schema accepts, on every schema of the fixture plans', () => {
    const schemas = planSchemas();
    expect(schemas.length).toBeGreaterThan(200);
    let accepted = 0;
    for (const s of schemas) {
      if (!metaValid(s)) continue;
      accepted++;
      expect(ajv.validateSchema(s), JSON.stringify(s)).toBe(true);
    }
    // The plan vocabulary is what these plans use: nearly all are decided without ajv.
    expect(accepted / schemas.length).toBeGreaterThan(0.9);
  });

  it('leaves every broken schema to ajv, which rejects it', () => {
    for (const s of BROKEN) {
      expect(metaValid(s), JSON.stringify(s)).toBe(false);
      expect(ajv.validateSchema(s), JSON.stringify(s)).toBe(false);
    }
  });

  it('broken keywords are still reported and removed by prepareSchema (through ajv)', () => {
    const { schema, problems } = prepareSchema({ type: 'object', properties: { n: { type: 'number', minimum: 'low' } } }, 'plan.json', '/p');
    expect(problems.map((p) => [p.code, p.pointer])).toEqual([['invalid_schema', '/p/properties/n/minimum']]);
    expect(schema).toEqual({ type: 'object', properties: { n: { type: 'number' } } });
  });
});
