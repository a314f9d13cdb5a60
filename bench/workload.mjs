// Deterministic benchmark workload: a ~200-point plan and N batches of 10 events as NDJSON.
// Used by bench/validate.mjs; run directly to (re)generate: node bench/workload.mjs
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export const WORK = join(import.meta.dirname, '.work');

function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['navigation', 'search', 'transaction', 'user_content', 'user_preference', 'social', 'other', 'media', 'location'];
const ACTIONS = ['add_to_cart', 'remove_from_cart', 'view_detail', 'checkout', 'purchase', 'refund', 'add_to_wishlist', 'remove_from_wish_list'];

const eventSchema = (attrs, required, closed = true) => ({
  properties: {
    data: {
      additionalProperties: true,
      properties: { custom_attributes: { additionalProperties: !closed, properties: attrs, required, type: 'object' } },
      required: required.length ? ['custom_attributes'] : [],
      type: 'object',
    },
  },
});

// A pool of shared attribute definitions, as real plans reuse attributes across events,
// plus one attribute unique to each event.
const POOL = (() => {
  const r = rng(7);
  const pool = [];
  for (let i = 0; i < 60; i++) {
    const kind = i % 6;
    const name = `attr_${i}`;
    if (kind === 0) pool.push([name, { type: 'string', enum: Array.from({ length: 2 + (i % 5) }, (_, k) => `v${i}_${k}`) }]);
    else if (kind === 1) pool.push([name, { type: 'number', minimum: 0, maximum: 10 + Math.floor(r() * 1000) }]);
    else if (kind === 2) pool.push([name, { type: 'string', pattern: `^[A-Z]{2}-[0-9]{${2 + (i % 4)}}$` }]);
    else if (kind === 3) pool.push([name, { type: 'boolean' }]);
    else if (kind === 4) pool.push([name, { type: 'string' }]);
    else pool.push([name, { type: 'string', format: 'email' }]);
  }
  return pool;
})();

function attrValue(name, schema, r, bad) {
  if (schema.enum) return bad ? 'other' : schema.enum[Math.floor(r() * schema.enum.length)];
  if (schema.type === 'number') return bad ? schema.maximum + 5 : (r() < 0.3 ? String(Math.floor(r() * 10)) : Math.floor(r() * 10));
  if (schema.pattern) return bad ? 'bad' : `AB-${'7'.repeat(2 + (Number(name.slice(5)) % 4))}`;
  if (schema.type === 'boolean') return r() < 0.5 ? 'true' : false;
  if (schema.format === 'email') return bad ? 'pat@' : 'pat@example.com';
  return 'text';
}

/** The attributes planned for custom event i: 3–7 from the pool and one of its own. */
function plannedAttrs(i) {
  const r = rng(1000 + i);
  const n = 3 + Math.floor(r() * 5);
  const picked = new Map();
  while (picked.size < n) {
    const [name, schema] = POOL[Math.floor(r() * POOL.length)];
    picked.set(name, schema);
  }
  picked.set(`only_${i}`, { type: 'string', maxLength: 20 + (i % 30) });
  return picked;
}

function customAttrs(i) {
  return Object.fromEntries(plannedAttrs(i));
}

/** A plan version file with `points` custom events plus screens, commerce, user attributes and identities. */
export function makePlan(customEvents = 150, screens = 30) {
  const points = [];
  for (let i = 0; i < customEvents; i++) {
    points.push({
      description: `Custom event ${i}`,
      match: { type: 'custom_event', criteria: { event_name: `Event ${i}`, custom_event_type: TYPES[i % TYPES.length] } },
      validator: { type: 'json_schema', definition: eventSchema(customAttrs(i), [[...plannedAttrs(i).keys()][0]]) },
    });
  }
  for (let i = 0; i < screens; i++) {
    points.push({
      description: `Screen ${i}`,
      match: { type: 'screen_view', criteria: { screen_name: `Screen ${i}` } },
      validator: { type: 'json_schema', definition: eventSchema({ referrer: { type: 'string' }, position: { type: 'number', minimum: 0 } }, []) },
    });
  }
  for (const action of ACTIONS) {
    const product = { type: 'object', additionalProperties: false, required: ['id', 'name', 'price'], properties: {
      id: { type: 'string', pattern: '^SKU-[0-9]{5}$' }, name: { type: 'string' }, price: { type: 'number', minimum: 0 }, quantity: { type: 'number', minimum: 1 },
      custom_attributes: { type: 'object', additionalProperties: false, properties: { size: { type: 'string', enum: ['S', 'M', 'L'] } } },
    } };
    points.push({
      description: `Product action ${action}`,
      match: { type: 'product_action', criteria: { action } },
      validator: { type: 'json_schema', definition: { properties: { data: { additionalProperties: true, type: 'object', properties: {
        custom_attributes: { type: 'object', additionalProperties: false, properties: { source: { type: 'string' } } },
        product_action: { type: 'object', additionalProperties: true, properties: { action: { type: 'string' }, products: { type: 'array', items: product } } },
      } } } } },
    });
  }
  points.push({
    description: 'User Attributes', match: { type: 'user_attributes', criteria: {} },
    validator: { type: 'json_schema', definition: { additionalProperties: false, type: 'object', properties: {
      loyalty_tier: { type: 'string', enum: ['bronze', 'silver', 'gold'] }, lifetime_orders: { type: 'number', minimum: 0 }, $Zip: { type: 'string', pattern: '^[0-9]{5}$' },
    } } },
  });
  points.push({
    description: 'User Identities', match: { type: 'user_identities', criteria: {} },
    validator: { type: 'json_schema', definition: { additionalProperties: false, type: 'object', properties: {
      customerid: { type: 'string', pattern: '^C[0-9]{7}$' }, email: { type: 'string', format: 'email' }, device_application_stamp: { type: 'string' },
    } } },
  });
  return { version: 1, data_plan_id: 'bench_plan', version_description: 'benchmark', activated_environment: 'production', version_document: { data_points: points } };
}

function uuid(r) {
  const h = () => Math.floor(r() * 0x100000000).toString(16).padStart(8, '0');
  const a = h() + h() + h() + h();
  return `${a.slice(0, 8)}-${a.slice(8, 12)}-${a.slice(12, 16)}-${a.slice(16, 20)}-${a.slice(20, 32)}`;
}

// Events carry the fields the web SDK really sends (see test/fixtures/captured), so parse cost is realistic.
function common(r, ts, lean) {
  if (lean) return { source_message_id: uuid(r) };
  return { timestamp_unixtime_ms: ts, session_uuid: 'F2870ACC-5EE3-4ECA-F97F-FAD5C2396B0E', session_start_unixtime_ms: 1718203000000, location: null, source_message_id: uuid(r), custom_flags: {} };
}

function event(r, i, customEvents, screens, mix) {
  const lean = mix.lean;
  const ts = 1718203001000 + i;
  const roll = r();
  if (roll < 0.6) {
    const n = Math.floor(r() * (customEvents + mix.unplanned));
    const bad = r();
    const attrs = {};
    let first = true;
    for (const [name, schema] of plannedAttrs(n)) {
      if (first || r() < 0.97) attrs[name] = name.startsWith('only_') ? 'some text' : attrValue(name, schema, r, first && bad < mix.bad);
      first = false;
    }
    if (bad > 1 - mix.bad) attrs.colour = 'red';
    return { event_type: 'custom_event', data: { event_name: `Event ${n}`, custom_event_type: TYPES[n % TYPES.length], custom_attributes: attrs, ...common(r, ts, lean) } };
  }
  if (roll < 0.85) {
    const n = Math.floor(r() * (screens + 1));
    return { event_type: 'screen_view', data: { screen_name: `Screen ${n}`, custom_attributes: { referrer: 'home', position: String(Math.floor(r() * 5)) }, ...common(r, ts, lean) } };
  }
  if (roll < 0.97) {
    const action = ACTIONS[Math.floor(r() * ACTIONS.length)];
    const products = [{ id: `SKU-${10000 + Math.floor(r() * 89999)}`, name: 'Sneaker', price: r() < 0.97 ? 59.99 : 'free', quantity: 1, custom_attributes: { size: r() < 0.95 ? ['S', 'M', 'L'][Math.floor(r() * 3)] : 'XL' } }];
    return { event_type: 'commerce_event', data: { product_action: { action, products, total_amount: 59.99 }, currency_code: 'USD', custom_attributes: null, ...common(r, ts, lean) } };
  }
  return { event_type: 'user_attribute_change', data: { user_attribute_name: 'loyalty_tier', new: 'gold', old: 'silver', deleted: false, is_new_attribute: false, ...common(r, ts, lean) } };
}

/** How often events go wrong. The default is the original mix; `ISSUE_MIX` is issue 11's workload (60 MB, ~47k violations). */
const DEFAULT_MIX = { lean: false, bad: 0.05, unplanned: 3, tier: 20 };
export const ISSUE_MIX = { lean: true, bad: 0.135, unplanned: 12, tier: 2 };

/** Writes `batches` NDJSON lines of 10 events each; returns the path. */
export function writeWorkload(file, batches = 20000, customEvents = 150, screens = 30, mix = DEFAULT_MIX) {
  mkdirSync(WORK, { recursive: true });
  const r = rng(42);
  const out = [];
  for (let b = 0; b < batches; b++) {
    const events = [];
    for (let e = 0; e < 10; e++) events.push(event(r, b * 10 + e, customEvents, screens, mix));
    out.push(JSON.stringify({
      source_request_id: uuid(r), mpid: String(8000000000 + b), timestamp_unixtime_ms: 1718203001000 + b * 10,
      environment: 'production', events, mp_deviceid: uuid(r), sdk_version: '2.68.0',
      ...(mix.lean ? {} : {
        application_info: { application_name: 'Bench Shop', application_version: '4.12.0', package: 'shop.bench.example' },
        device_info: { platform: 'web', screen_width: 1440, screen_height: 900 },
      }),
      context: { data_plan: { plan_id: 'bench_plan', plan_version: 1 } }, consent_state: null, integration_attributes: {},
      user_attributes: { loyalty_tier: b % mix.tier === 0 ? 'diamond' : ['bronze', 'silver', 'gold'][b % 3], lifetime_orders: String(b % 50) },
      user_identities: { customer_id: `C${String(1000000 + b).slice(-7)}`, email: `user${b}@example.com` },
    }));
  }
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

export function ensureWorkload(batches = 20000) {
  mkdirSync(WORK, { recursive: true });
  const planFile = join(WORK, 'bench_plan-1.json');
  const dataFile = join(WORK, `batches-${batches}.ndjson`);
  if (!existsSync(planFile)) writeFileSync(planFile, JSON.stringify(makePlan(), null, 1));
  if (!existsSync(dataFile)) writeWorkload(dataFile, batches);
  return { planFile, dataFile };
}

/** Issue 11's workload: a 200-point plan, `batches` lean batches of 10 events (20k: ~60 MB, ~47k violations). */
export function ensureIssueWorkload(batches = 20000) {
  mkdirSync(WORK, { recursive: true });
  const planFile = join(WORK, 'issue_plan-1.json');
  const dataFile = join(WORK, `issue-batches-${batches}.ndjson`);
  if (!existsSync(planFile)) writeFileSync(planFile, JSON.stringify(makePlan(160, 30), null, 1));
  if (!existsSync(dataFile)) writeWorkload(dataFile, batches, 160, 30, ISSUE_MIX);
  return { planFile, dataFile };
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { planFile, dataFile } = ensureWorkload(Number(process.argv[2] ?? 20000));
  process.stdout.write(`${planFile}\n${dataFile}\n`);
}
