// Platform semantics the fixtures do not spell out, one behaviour per test.
import type { ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PLAIN, compileEval, createAjv, evaluate, isMultipleOf } from '../../src/schema/index.js';
import { compilePlan } from '../../src/validate/index.js';

const attrs = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({
  properties: { data: { additionalProperties: true, properties: { custom_attributes: { additionalProperties: false, properties, required, type: 'object', ...extra } }, required: [], type: 'object' } },
});
const point = (match: Record<string, unknown>, definition: unknown = {}) => ({ match, validator: { type: 'json_schema', definition } });
const custom = (name: string, type: string, definition?: unknown) => point({ type: 'custom_event', criteria: { event_name: name, custom_event_type: type } }, definition);
const plan = (...data_points: unknown[]) => compilePlan({ data_points }, 'test-plan.json');
const ev = (name: string, type: string, custom_attributes?: unknown, more: Record<string, unknown> = {}) => ({ event_type: 'custom_event', data: { event_name: name, custom_event_type: type, ...(custom_attributes !== undefined ? { custom_attributes } : {}), ...more } });
const batch = (events: unknown[], more: Record<string, unknown> = {}) => ({ environment: 'development', context: { data_plan: { plan_id: 'p' } }, events, ...more });
const codes = (r: { violations: { violation: string; key: string }[] }) => r.violations.map((v) => `${v.violation}:${v.key}`).sort();

describe('values', () => {
  const p = plan(custom('E', 'other', attrs({ n: { type: 'number', minimum: 1 }, b: { type: 'boolean' }, s: { type: 'string', pattern: '^-?\\d+$' }, i: { type: 'integer' } })));
  it('accepts convertible strings and numbers (platform), rejects them with strictTypes', () => {
    const b = batch([ev('E', 'other', { n: '3', b: 'TRUE', s: 42, i: '7' })]);
    expect(codes(p.validateBatch(b))).toEqual([]);
    expect(codes(p.validateBatch(b, { strictTypes: true }))).toEqual(['invalid_data_type:b', 'invalid_data_type:i', 'invalid_data_type:n', 'invalid_data_type:s']);
  });
  it('checks converted values against the rule: "0" is below minimum 1', () => {
    const v = p.validateBatch(batch([ev('E', 'other', { n: '0' })])).violations;
    expect(v.map((x) => [x.violation, x.schema_keyword, x.expected, x.actual])).toEqual([['invalid_expected_value', 'minimum', 1, '0']]);
  });
  it('reports one violation per attribute when the type is wrong, with real JSON expected/actual', () => {
    const v = p.validateBatch(batch([ev('E', 'other', { i: 2.5, b: [true] })])).violations;
    expect(v.map((x) => [x.key, x.violation, x.expected, x.actual]).sort()).toEqual([['b', 'invalid_data_type', 'boolean', [true]], ['i', 'invalid_data_type', 'integer', 2.5]]);
  });
  it('does not change the batch it validates', () => {
    const b = batch([ev('E', 'other', { n: '3', b: null, s: 4 })]);
    const before = JSON.stringify(b);
    p.validateBatch(b);
    expect(JSON.stringify(b)).toBe(before);
  });
});

describe('null and absence', () => {
  const p = plan(custom('E', 'other', attrs({ a: { type: 'string' }, b: { type: ['string', 'null'] } }, ['a'])));
  it('a required attribute sent as null is missing; an optional one is fine; an unplanned null key is still unplanned', () => {
    expect(codes(p.validateBatch(batch([ev('E', 'other', { a: null, b: null, tag: null })])))).toEqual(['missing_required:a', 'unplanned_event_attribute:tag']);
  });
  it('required attributes count even when custom_attributes is absent or null', () => {
    expect(codes(p.validateBatch(batch([ev('E', 'other')])))).toEqual(['missing_required:a']);
    expect(codes(p.validateBatch(batch([ev('E', 'other', null)])))).toEqual(['missing_required:a']);
  });
});

describe('keys that look like JavaScript internals are plain data', () => {
  const p = plan(custom('E', 'other', attrs({ constructor: { type: 'string' } }, ['constructor'])));
  it('__proto__ and toString are unplanned attributes; a planned "constructor" must really be sent', () => {
    const e = JSON.parse('{"event_type":"custom_event","data":{"event_name":"E","custom_event_type":"other","custom_attributes":{"__proto__":{"x":1},"toString":"y"}}}');
    expect(codes(p.validateBatch(batch([e])))).toEqual(['missing_required:constructor', 'unplanned_event_attribute:__proto__', 'unplanned_event_attribute:toString']);
    const ok = JSON.parse('{"event_type":"custom_event","data":{"event_name":"E","custom_event_type":"other","custom_attributes":{"constructor":"c"}}}');
    expect(codes(p.validateBatch(batch([ok])))).toEqual([]);
  });
});

describe('malformed events', () => {
  const p = plan(custom('E', 'other'));
  it('give a per-event error and never hide the other events\' results', () => {
    const r = p.validateBatch(batch([null, { data: {} }, { event_type: 'made_up' }, { event_type: 'commerce_event', data: {} }, ev('Nope', 'other'), ev('E', 'other')]));
    expect(r.errors.map((e) => [e.event_index, e.pointer])).toEqual([[0, '/events/0'], [1, '/events/1/event_type'], [2, '/events/2/event_type'], [3, '/events/3/data']]);
    expect(r.errors.every((e) => e.message.startsWith(`events[${e.event_index}]: `))).toBe(true);
    expect(codes(r)).toEqual(['unplanned_event:Nope']);
  });
  it('a batch that is not an object is an error, not a crash', () => {
    expect(p.validateBatch(42).errors[0].message).toMatch(/batch is number/);
    expect(p.validateBatch({ ...batch([]), events: 'x' }).errors[0].pointer).toBe('/events');
  });
});

describe('matching', () => {
  it('lifecycle events are validated only when the plan has a point for their type', () => {
    const without = plan(custom('E', 'other'));
    const withPoint = plan(custom('E', 'other'), point({ type: 'application_state_transition', criteria: { application_transition_type: 'application_initialized' } }));
    const b = batch([{ event_type: 'session_start', data: {} }, { event_type: 'application_state_transition', data: { application_transition_type: 'application_background' } }, { event_type: 'user_attribute_change', data: {} }]);
    expect(without.validateBatch(b).not_validated_events).toEqual([0, 1, 2]);
    const r = withPoint.validateBatch(b);
    expect(r.not_validated_events).toEqual([0, 2]);
    expect(codes(r)).toEqual(['unplanned_event:application_background']);
  });
  it('numeric promotion actions from the web SDK match view/click; wishlist spellings are exact', () => {
    const p = plan(point({ type: 'promotion_action', criteria: { action: 'click' } }), point({ type: 'product_action', criteria: { action: 'remove_from_wish_list' } }));
    const r = p.validateBatch(batch([
      { event_type: 'commerce_event', data: { promotion_action: { action: 2, promotions: [] } } },
      { event_type: 'commerce_event', data: { promotion_action: { action: 1, promotions: [] } } },
      { event_type: 'commerce_event', data: { product_action: { action: 'remove_from_wish_list' } } },
      { event_type: 'commerce_event', data: { product_action: { action: 'remove_from_wishlist' } } },
    ]));
    expect(r.violations.map((v) => [v.event_index, v.match_key, v.suggestion?.key])).toEqual([[1, 'promotion_action:view', undefined], [3, 'product_action:remove_from_wishlist', 'remove_from_wish_list']]);
  });
  it('a schema that pins the action sees the name the platform reads, in both engines and validateEvent', () => {
    const pinned = (type: string, action: string, s: unknown) => point({ type, criteria: { action } }, {
      properties: { data: { properties: { [type]: { properties: { action: s }, required: ['action'] } } } },
    });
    for (const engine of ['auto', 'ajv'] as const) {
      const p = compilePlan({ data_points: [
        pinned('promotion_action', 'view', { const: 'view' }), pinned('promotion_action', 'click', { enum: ['click'] }),
        pinned('product_action', 'add_to_cart', { const: 'add_to_cart' }), pinned('product_action', 'remove_from_wish_list', { enum: ['remove_from_wish_list'] }),
      ] }, 'test-plan.json', { engine });
      const commerce = (data: Record<string, unknown>) => ({ event_type: 'commerce_event', data });
      const events = [
        commerce({ promotion_action: { action: 1, promotions: [] } }), commerce({ promotion_action: { action: '2', promotions: [] } }),
        commerce({ product_action: { action: 1 } }), commerce({ product_action: { action: '10' } }),
        commerce({ product_action: { action: 1 }, promotion_action: { action: 2 } }),
      ];
      const b = batch(events);
      const before = JSON.stringify(b);
      const r = p.validateBatch(b);
      expect(r.violations.map((v) => v.message), engine).toEqual([]);
      expect(r.errors).toEqual([]);
      expect(JSON.stringify(b), 'the caller\'s batch is not changed').toBe(before);
      expect(events.map((e) => p.validateEvent(e)).map((x) => [x.status, x.match_key, x.violations.length])).toEqual([
        ['validated', 'promotion_action:view', 0], ['validated', 'promotion_action:click', 0],
        ['validated', 'product_action:add_to_cart', 0], ['validated', 'product_action:remove_from_wish_list', 0],
        ['validated', 'product_action:add_to_cart', 0],
      ]);
    }
  });
  it('an action number no enum names is a per-event error that says what was sent', () => {
    const p = plan(point({ type: 'promotion_action', criteria: { action: 'view' } }));
    const r = p.validateBatch(batch([
      { event_type: 'commerce_event', data: { promotion_action: { action: 0, promotions: [] } } },
      { event_type: 'commerce_event', data: { promotion_action: { action: 3, promotions: [] } } },
      { event_type: 'commerce_event', data: { product_action: { action: 42 } } },
      { event_type: 'commerce_event', data: { product_action: { action: 1.5 } } },
      { event_type: 'commerce_event', data: { product_action: {} } },
    ]));
    expect(r.errors.map((e) => [e.pointer, e.message])).toEqual([
      ['/events/0/data/promotion_action/action', 'events[0]: commerce_event has data.promotion_action.action 0, which is no action (expected "view" or "click", or the web SDK\'s 1 or 2)'],
      ['/events/1/data/promotion_action/action', 'events[1]: commerce_event has data.promotion_action.action 3, which is no action (expected "view" or "click", or the web SDK\'s 1 or 2)'],
      ['/events/2/data/product_action/action', 'events[2]: commerce_event has data.product_action.action 42, which is no action (expected e.g. "add_to_cart", or a ProductActionType number 0–10)'],
      ['/events/3/data/product_action/action', 'events[3]: commerce_event has data.product_action.action 1.5, which is no action (expected e.g. "add_to_cart", or a ProductActionType number 0–10)'],
      ['/events/4/data/product_action/action', 'events[4]: commerce_event has no data.product_action.action (expected e.g. "add_to_cart", or a ProductActionType number 0–10)'],
    ]);
  });
  it('a commerce part sent but not an object is a per-event error, even next to a usable part (the other events are judged)', () => {
    const p = plan(point({ type: 'promotion_action', criteria: { action: 'view' } }));
    const r = p.validateBatch(batch([
      { event_type: 'commerce_event', data: { product_action: 'purchase', promotion_action: { action: 'view', promotions: [] } } },
      { event_type: 'commerce_event', data: { product_action: { action: 'view_detail' }, promotion_action: [] } },
      { event_type: 'commerce_event', data: { product_action: false, promotion_action: { action: 'view', promotions: [] } } },
      { event_type: 'commerce_event', data: { promotion_action: { action: 'click', promotions: [] } } },
    ]));
    expect(r.errors.map((e) => [e.pointer, e.message])).toEqual([
      ['/events/0/data/product_action', 'events[0]: commerce_event has data.product_action "purchase", expected an object with an action'],
      ['/events/1/data/promotion_action', 'events[1]: commerce_event has data.promotion_action an array, expected an object with an action'],
    ]);
    expect(codes(r)).toEqual(['unplanned_event:click']);
  });
  it('keys are tuples: a ":" in a name cannot collide', () => {
    const p = plan(custom('b', 'a:x'), custom('x:b', 'a'));
    expect(p.problems.filter((x) => x.code === 'duplicate_match_key')).toEqual([]);
    expect(codes(p.validateBatch(batch([ev('b', 'a:x'), ev('x:b', 'a'), ev('x', 'a:b')])))).toEqual(['unplanned_event:x']);
  });
  it('duplicate match keys warn, and every duplicate\'s schema applies', () => {
    const p = plan(custom('E', 'other', attrs({ a: { type: 'string' } })), custom('E', 'other', attrs({ a: { type: 'string', enum: ['x'] }, b: {} })));
    expect(p.problems.map((x) => [x.severity, x.code, x.pointer])).toEqual([['warning', 'duplicate_match_key', '/data_points/1/match']]);
    expect(codes(p.validateBatch(batch([ev('E', 'other', { a: 'y', b: 1 })])))).toEqual(['invalid_expected_value:a', 'unplanned_event_attribute:b']);
  });
  it('suggests the same name under another type, another case, a close spelling', () => {
    const p = plan(custom('Add to Cart', 'transaction'), custom('Checkout Started', 'transaction'));
    const r = p.validateBatch(batch([ev('Add to Cart', 'navigation'), ev('add_to_cart', 'transaction'), ev('Chekout Started', 'transaction'), ev('Something Else', 'transaction')]));
    expect(r.violations.map((v) => [v.key, v.suggestion?.reason, v.suggestion?.key])).toEqual([
      ['Add to Cart', 'other_event_type', 'Add to Cart'], ['add_to_cart', 'case_or_spacing', 'Add to Cart'], ['Chekout Started', 'close_spelling', 'Checkout Started'], ['Something Else', undefined, undefined],
    ]);
    expect(r.violations[0].message).toBe('Unplanned event: custom_event "Add to Cart" (navigation) is not in the data plan; "Add to Cart" is planned as custom_event_type transaction');
  });
});

describe('user attributes and identities', () => {
  const p = plan(
    custom('E', 'other'),
    point({ type: 'user_attributes' }, { additionalProperties: false, properties: { tier: { type: 'string', enum: ['gold'] }, age: { type: 'number' } } }),
    point({ type: 'user_identities' }, { additionalProperties: false, properties: { customerid: { type: 'string', pattern: '^C' }, ios_idfa: { type: 'string' } } }),
  );
  it('never reports deleted_user_attributes; suggests close names', () => {
    const r = p.validateBatch(batch([], { user_attributes: { tier: 'gold', Age: '3', gone: 'x' }, deleted_user_attributes: ['gone'] }));
    expect(r.violations.map((v) => [v.violation, v.key, v.suggestion?.key])).toEqual([['unplanned_user_attribute', 'Age', 'age']]);
  });
  it('maps batch identity keys to IDSync names and reports where each sits in the batch', () => {
    const r = p.validateBatch(batch([], { user_identities: { customer_id: 'X1', other_id_2: 'o' }, device_info: { ios_advertising_id: 'idfa', android_advertising_id: 'aaid' }, mp_deviceid: 'das' }));
    expect(r.violations.map((v) => [v.violation, v.key, v.batch_key]).sort()).toEqual([
      ['invalid_expected_value', 'customerid', 'customer_id'],
      ['unplanned_user_identity', 'android_aaid', 'device_info.android_advertising_id'],
      ['unplanned_user_identity', 'device_application_stamp', 'mp_deviceid'],
      ['unplanned_user_identity', 'other2', 'other_id_2'],
    ]);
  });
  it('accepts the Node SDK\'s customerid key, and plans written with batch names', () => {
    const q = plan(point({ type: 'user_identities' }, { additionalProperties: false, properties: { customer_id: { type: 'string' } } }));
    expect(q.validateBatch(batch([], { user_identities: { customerid: 'C1' } })).violations).toEqual([]);
  });
});

describe('decimal-exact multipleOf, in both engines', () => {
  const CASES: [number, number, boolean][] = [
    [19.99, 0.01, true], [10.005, 0.01, false], [0.3, 0.1, true], [0.07, 0.01, true], [1.1, 0.01, true], [-19.99, 0.01, true],
    [1e-7, 0.01, false], [1.5e-7, 5e-8, true], [1e21, 5, true], [7, 0.5, true], [7.25, 0.5, false], [0, 0.01, true], [4.35, 0.05, true], [4.36, 0.05, false],
  ];
  it('isMultipleOf reads each number as the decimal it prints as', () => {
    expect(CASES.map(([x, m]) => isMultipleOf(x, m))).toEqual(CASES.map((c) => c[2]));
  });
  it('the evaluator and ajv give the same answers', () => {
    const ajv = createAjv();
    for (const [x, m, want] of CASES) {
      expect(ajv.validate({ multipleOf: m }, x), `ajv ${x} / ${m}`).toBe(want);
      const errors: ErrorObject[] = [];
      evaluate(compileEval({ multipleOf: m }, ajv), x, [], errors, PLAIN);
      expect(errors.length === 0, `evaluator ${x} / ${m}`).toBe(want);
    }
    ajv.validate({ multipleOf: 0.01 }, 10.005);
    expect(ajv.errors?.[0]).toMatchObject({ keyword: 'multipleOf', params: { multipleOf: 0.01 } });
  });
});

describe('numeric strings', () => {
  const p = plan(custom('E', 'other', attrs({ n: { type: 'number' }, i: { type: 'integer' } })));
  const bad = (n: unknown) => codes(p.validateBatch(batch([ev('E', 'other', { n })]))).length > 0;
  it('convert with a sign, a decimal point, an exponent and surrounding spaces', () => {
    expect(['42', ' 42 ', '\t42\n', '+5', '-5', '5.', '.5', '1e3', '1E-3'].map(bad)).toEqual(Array(9).fill(false));
  });
  it('do not convert when blank, grouped, hexadecimal, padded with other spaces, or not finite', () => {
    expect(['', '  ', '1,000', '1 000', '0x10', '\u00a042', 'Infinity', 'NaN', '1e999', '$5', '5%'].map(bad)).toEqual(Array(11).fill(true));
  });
  it('an integer takes an integral value: "7.0" is 7, "7.5" is not an integer', () => {
    expect(codes(p.validateBatch(batch([ev('E', 'other', { i: '7.0' })])))).toEqual([]);
    expect(codes(p.validateBatch(batch([ev('E', 'other', { i: '7.5' })])))).toEqual(['invalid_data_type:i']);
  });
});

describe('which version judges a batch (activation)', () => {
  const home = point({ type: 'screen_view', criteria: { screen_name: 'Home' } });
  const version = (n: number, env: unknown, withDoc = true) => ({ version: n, activated_environment: env, ...(withDoc ? { version_document: { data_points: [home] } } : {}) });
  const full = (...versions: unknown[]) => compilePlan({ data_plan_id: 'shop', data_plan_versions: versions }, 'shop.json');
  const nowhere = (env: string, planVersion?: number) => ({
    environment: env, context: { data_plan: { plan_id: 'shop', ...(planVersion !== undefined ? { plan_version: planVersion } : {}) } },
    events: [{ event_type: 'screen_view', data: { screen_name: 'Nowhere' } }],
  });
  it('a version the batch names judges it only where that version is active', () => {
    const p = full(version(1, 'none'), version(2, 'development'));
    const r = p.validateBatch(nowhere('development', 1));
    expect([r.validated, r.reason]).toEqual([false, 'no_active_version']);
    expect(r.notice).toMatch(/names version 1 of "shop", which is not active for environment "development"/);
    expect(p.validateBatch(nowhere('development', 2)).validated).toBe(true);
    expect(p.validateBatch(nowhere('production', 2)).validated).toBe(false);
    // --version and --force still choose
    expect(p.validateBatch(nowhere('development', 1), { version: 1 }).validated).toBe(true);
    expect(p.validateBatch(nowhere('development', 1), { force: true }).validated).toBe(true);
  });
  it('an activated_environment that is none of the three is not active (as its warning says)', () => {
    const p = full(version(1, 'staging'));
    expect(p.problems.map((x) => [x.severity, x.code])).toEqual([['warning', 'invalid_environment']]);
    expect(p.validateBatch(nowhere('production')).reason).toBe('no_active_version');
  });
  it('the latest active version listed without its document is not replaced by an older one', () => {
    const p = full(version(2, 'production', false), version(1, 'production'));
    const r = p.validateBatch(nowhere('production'));
    expect([r.validated, r.reason]).toEqual([false, 'version_not_found']);
    expect(r.notice).toMatch(/version 2 of "shop" is the latest active for environment "production", and the plan file lists it without its version_document/);
    expect(p.validateBatch(nowhere('production', 2)).notice).toMatch(/lists without its version_document/);
    expect(codes(p.validateBatch(nowhere('production'), { version: 1 }))).toEqual(['unplanned_event:Nowhere']);
    expect(p.validateBatch(nowhere('production'), { force: true }).plan_version).toBe(1);
  });
});

describe('plan schemas: what is only annotation or unknown', () => {
  it('a non-string description or title is ignored; an unknown format is a warning and is not checked', () => {
    const p = plan(custom('E', 'other', attrs({ zip: { type: 'string', format: 'zip-code', description: null }, s: { type: 'string', title: 3 } }, [], { description: null })));
    expect(p.problems.map((x) => [x.severity, x.code])).toEqual([['warning', 'unknown_format']]);
    expect(codes(p.validateBatch(batch([ev('E', 'other', { zip: 'anything', s: 'x' })])))).toEqual([]);
  });
});

describe('lifecycle events without their type', () => {
  it('an application_state_transition without a transition type is not validated when the plan has no such point', () => {
    const p = plan(custom('E', 'other'));
    const r = p.validateBatch(batch([{ event_type: 'application_state_transition', data: { is_first_run: true } }]));
    expect([r.errors, r.not_validated_events]).toEqual([[], [0]]);
    const withPoint = plan(custom('E', 'other'), point({ type: 'application_state_transition', criteria: { application_transition_type: 'application_initialized' } }));
    expect(withPoint.validateBatch(batch([{ event_type: 'application_state_transition', data: {} }])).errors).toHaveLength(1);
  });
});
