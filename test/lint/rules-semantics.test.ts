/**
 * RuleTester tables: the platform rules of docs/semantics.md as the plugin sees them, on the plan the core, `validate`
 * and the receiver are tested with (test/fixtures/semantics/plan.json). Each call sends what a fixture batch holds;
 * the plugin must give the core's verdict on it.
 */
import { join } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { FIXTURES, tester } from './helpers.js';

const { rules } = plugin;
const PLAN = join(FIXTURES, 'semantics', 'plan.json');
const t = tester({ plan: PLAN });

const node = `const mParticle = require('mparticle');\n`;
const batch = `${node}const batch = new mParticle.Batch(mParticle.Batch.Environment.development);\n`;
/** A Node SDK commerce event carrying both a product_action and a promotion_action. */
const both = (product: string, promotion: string) => `${node}const c = new mParticle.CommerceEvent();\nc.product_action = ${product};\nc.promotion_action = ${promotion};`;
const purchase = `{ action: 'purchase', transaction_id: 'T1' }`;
const product = (price: unknown, extra = '') => `mParticle.eCommerce.createProduct('A', 'SKU1', ${JSON.stringify(price)}, 1${extra})`;
const buy = (products: string, revenue: unknown) => `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Purchase, ${products}, {}, {}, { Id: 'T1', Revenue: ${JSON.stringify(revenue)} })`;
const rate = (attrs: string) => `mParticle.logEvent('Rate', mParticle.EventType.UserContent, ${attrs})`;
const score = (attrs: string) => `mParticle.logEvent('Score', mParticle.EventType.Other, ${attrs})`;
const user = `mParticle.Identity.getCurrentUser()`;

// Rules 1 and 2: both parts of a commerce event, each against its own point; product-level vs promotion keys.
t.run('no-unplanned-attribute', rules['no-unplanned-attribute'], {
  valid: [
    both(`{ action: 'purchase', transaction_id: 'T1', products: [{ id: 'SKU1', custom_attributes: { size: 'M' } }] }`, `{ action: 'view', promotions: [{ id: 'P1', name: 'Spring' }] }`),
    both(purchase, `new mParticle.PromotionAction(mParticle.PromotionAction.Action.view, [new mParticle.Promotion('P1', 'Spring')])`),
    // the web SDK's promotion fields are the planned ones
    `mParticle.eCommerce.logPromotion(1, mParticle.eCommerce.createPromotion('P1', 'banner', 'Spring', 'hero'))`,
  ],
  invalid: [
    {
      code: both(`{ action: 'purchase', transaction_id: 'T1', products: [{ id: 'SKU1', gift: true, custom_attributes: { size: 'M', color: 'red' } }] }`, `{ action: 'view', promotions: [{ id: 'P1', name: 'Spring', extra: 'x' }] }`),
      errors: [
        { message: 'Unplanned product attribute "gift" (product 0) on product_action purchase', line: 3, column: 89 },
        { message: 'Unplanned product attribute "color" (product 0) on product_action purchase', line: 3, column: 133 },
        { message: 'Unplanned attribute "extra" (promotion 0) on promotion_action view', line: 4, column: 81 },
      ],
    },
    {
      // the web SDK adds each product's total_product_amount, which this plan's closed products do not list
      code: `mParticle.eCommerce.logProductAction(7, ${product(10, ', undefined, undefined, undefined, undefined, undefined, { size: \'M\', color: \'red\' }')}, {}, {}, { Id: 'T1' })`,
      errors: [
        { message: 'Unplanned product attribute "total_product_amount" (product 0) on product_action purchase' },
        { message: 'Unplanned product attribute "color" (product 0) on product_action purchase' },
      ],
    },
  ],
});

// Rule 1: a part whose action is not planned is an unplanned event of its own; the web SDK's 1 / 2 are view / click.
t.run('no-unplanned-commerce-action', rules['no-unplanned-commerce-action'], {
  valid: [
    both(purchase, `{ action: 'view', promotions: [] }`),
    `mParticle.eCommerce.logPromotion(1, mParticle.eCommerce.createPromotion('P1'))`,
    `mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionView, [mParticle.eCommerce.createPromotion('P1')])`,
    `mParticle.eCommerce.logProductAction(8, ${product(1)}, {}, {}, { Id: 'T8' })`,
    `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Refund, ${product(1)}, {}, {}, { Id: 'T8' })`,
  ],
  invalid: [
    { code: both(purchase, `{ action: 'click', promotions: [{ id: 'P1' }] }`), errors: [{ message: 'Unplanned event: promotion_action click is not in the data plan', line: 3 }] },
    { code: both(`{ action: 'add_to_cart' }`, `{ action: 'view', promotions: [] }`), errors: [{ message: 'Unplanned event: product_action add_to_cart is not in the data plan', line: 3 }] },
    { code: `mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionClick, mParticle.eCommerce.createPromotion('P1'))`, errors: [{ message: 'Unplanned event: promotion_action click is not in the data plan' }] },
    { code: `mParticle.eCommerce.logProductAction(10, ${product(1)})`, errors: [{ message: 'Unplanned event: product_action remove_from_wish_list is not in the data plan' }] },
  ],
});

// Rule 9: null is absent, whatever the schema says about its type (an untyped custom_attributes, a `{}` schema, a
// type that takes null); the pinned refund point judges the web SDK's action number 8 as "refund".
t.run('no-missing-required-attribute', rules['no-missing-required-attribute'], {
  valid: [
    `mParticle.logEvent('Sign Up', mParticle.EventType.Navigation, { plan: 'pro', source: 'ad' })`,
    `${node}const e = new mParticle.AppEvent('navigation', 'Sign Up');\ne.custom_attributes = { plan: 'pro', source: 'ad' };\ne.custom_flags = { a: 'b' };`,
    `mParticle.eCommerce.logProductAction(8, ${product(1)}, {}, {}, { Id: 'T8' })`,
    // set on the product action, or through the commerce event, after it was put there
    `${node}const pa = new mParticle.ProductAction('purchase');\npa.transaction_id = 'T1';\nconst ce = new mParticle.CommerceEvent();\nce.product_action = pa;`,
    `${node}const pa = new mParticle.ProductAction('purchase');\nconst ce = new mParticle.CommerceEvent();\nce.product_action = pa;\nce.product_action.transaction_id = 'T1';`,
    // an optional user attribute sent as null is not checked; no user_attributes map has nothing to check
    `${batch}batch.user_attributes = { tier: 'gold', vip: null };`,
    `${batch}batch.user_attributes = null;`,
    `${batch}batch.addEvent(new mParticle.ScreenViewEvent('Home'));`,
  ],
  invalid: [
    { code: `mParticle.logEvent('Sign Up', mParticle.EventType.Navigation)`, errors: [{ message: 'Missing required attribute "custom_attributes" on custom_event "Sign Up" (navigation)' }] },
    { code: `mParticle.logEvent('Sign Up', 1, null)`, errors: [{ message: 'Missing required attribute "custom_attributes" on custom_event "Sign Up" (navigation)' }] },
    { code: `var attributes;\nmParticle.logEvent('Sign Up', 1, attributes)`, errors: [{ message: 'Missing required attribute "custom_attributes" on custom_event "Sign Up" (navigation)', line: 2 }] },
    {
      code: `mParticle.logEvent('Sign Up', 1, { plan: null, source: null })`,
      errors: [
        { message: 'Missing required attribute "plan" on custom_event "Sign Up" (navigation)' },
        { message: 'Missing required attribute "source" on custom_event "Sign Up" (navigation)' },
      ],
    },
    {
      code: `mParticle.logEvent('Sign Up', 1, {})`,
      errors: [
        { message: 'Missing required attribute "plan" on custom_event "Sign Up" (navigation)' },
        { message: 'Missing required attribute "source" on custom_event "Sign Up" (navigation)' },
      ],
    },
    {
      // the Node SDK sends no custom_flags unless they are set; the point requires them without describing them
      code: `${node}const e = new mParticle.AppEvent('navigation', 'Sign Up');\ne.custom_attributes = { plan: null, source: 'ad' };`,
      errors: [
        { message: 'Missing required attribute "custom_flags" on custom_event "Sign Up" (navigation)', line: 2 },
        { message: 'Missing required attribute "plan" on custom_event "Sign Up" (navigation)', line: 3 },
      ],
    },
    { code: `${batch}batch.user_attributes = { tier: null };`, errors: [{ message: 'Missing required user attribute "tier"', line: 3 }] },
    { code: `${batch}batch.user_attributes = {};`, errors: [{ message: 'Missing required user attribute "tier"', line: 3 }] },
    { code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Refund, ${product(1)})`, errors: [{ message: 'Missing required attribute "transaction_id" on product_action refund' }] },
    {
      // the Node SDK docs' commerce example: the product action held in a variable, then set on the commerce event
      code: `${node}const pa = new mParticle.ProductAction('purchase');\nconst ce = new mParticle.CommerceEvent();\nce.product_action = pa;\nbatch.addEvent(ce);`,
      errors: [{ message: 'Missing required attribute "transaction_id" on product_action purchase' }],
    },
  ],
});

// Rule 9 (conversion through every subschema), rule 7 (decimal-exact multipleOf), rule 5 (every duplicate applies),
// rule 1 (a pinned action judges the name the platform reads).
t.run('valid-attribute-value', rules['valid-attribute-value'], {
  valid: [
    score(`{ score_a: 13, other: 14, level: '3', flag: true }`),
    score(`{ level: ' 42 ' }`),
    rate(`{ stars: '4', mood: '3', code: '150', unit: 'pct', value: '50' }`),
    rate(`{ stars: 5, mood: 'TRUE', code: 'false', unit: 'abs', value: ' 7 ' }`),
    `mParticle.eCommerce.logPromotion(1, mParticle.eCommerce.createPromotion('P1'))`,
    `mParticle.eCommerce.logProductAction(8, ${product(1)}, {}, {}, { Id: 'T8' })`,
    buy(`[${product(19.99)}, ${product('19.99')}, ${product(0.07)}]`, 0.3),
    buy(product(1.1), 19.99),
    `mParticle.logPageView('Home', { section: 'top' })`,
  ],
  invalid: [
    { code: score(`{ level: ' 42 ', score_d: 'x' }`), errors: [{ message: 'Attribute "score_d" on custom_event "Score" (other) should match the pattern "^\\\\d+$", got "x"' }] },
    {
      code: rate(`{ stars: '7', mood: '-1', code: 'x', unit: 'pct', value: '150' }`),
      errors: [
        { message: 'Attribute "stars" on custom_event "Rate" (user_content) should be <= 5, got "7"' },
        { message: 'Attribute "mood" on custom_event "Rate" (user_content) should match at least one of the schemas in anyOf, got "-1"' },
        { message: 'Attribute "code" on custom_event "Rate" (user_content) should match exactly one of the schemas in oneOf, got "x"' },
        { message: 'Attribute "value" on custom_event "Rate" (user_content) should be <= 100, got "150"' },
      ],
    },
    {
      code: rate(`{ stars: '4.5', mood: 'maybe', unit: 'abs', value: '2.5' }`),
      errors: [
        { message: 'Attribute "stars" on custom_event "Rate" (user_content) should be an integer, got "4.5"' },
        { message: 'Attribute "mood" on custom_event "Rate" (user_content) should match at least one of the schemas in anyOf, got "maybe"' },
        { message: 'Attribute "value" on custom_event "Rate" (user_content) should be an integer, got "2.5"' },
      ],
    },
    { code: buy(`[${product(19.99)}, ${product(10.005)}]`, 19.99), errors: [{ message: 'Attribute "price" on product_action purchase should be a multiple of 0.01, got 10.005' }] },
    { code: buy(product(1), 1e-7), errors: [{ message: 'Attribute "total_amount" on product_action purchase should be a multiple of 0.01, got 1e-7' }] },
    { code: `mParticle.logPageView('Home', { section: 'middle' })`, errors: [{ message: 'Attribute "section" on screen_view "Home" should be one of "top", "bottom", got "middle"' }] },
  ],
});

// Rule 6 (user_attributes that is not an object) and conversion under items / prefixItems.
t.run('valid-user-attribute-value', rules['valid-user-attribute-value'], {
  valid: [
    `${user}.setUserAttributeList('tags', [1, true, 'x'])`,
    `${user}.setUserAttributeList('scores', ['3', 'TRUE'])`,
    `${user}.setUserAttribute('age', ' 42 ')`,
    `${batch}batch.user_attributes = { tier: 'gold', age: '7' };`,
    `${batch}batch.user_attributes = undefined;`,
  ],
  invalid: [
    {
      code: `${user}.setUserAttributeList('scores', ['x', 'maybe'])`,
      errors: [{ message: 'User attribute "scores" should be an integer, got "x"' }, { message: 'User attribute "scores" should be a boolean, got "maybe"' }],
    },
    { code: `${user}.setUserAttribute('age', '4.5')`, errors: [{ message: 'User attribute "age" should be an integer, got "4.5"' }] },
    { code: `${batch}batch.user_attributes = ['gold'];`, errors: [{ message: 'The user_attributes map should be an object, got ["gold"]', line: 3 }] },
    { code: `${batch}batch.user_attributes = 'gold';`, errors: [{ message: 'The user_attributes map should be an object, got "gold"', line: 3 }] },
    { code: `${batch}batch.user_attributes = 42;`, errors: [{ message: 'The user_attributes map should be an object, got 42', line: 3 }] },
  ],
});

describe('rule 3: events of a type that cannot be planned are never reported, by any rule', () => {
  // The plan has points for media and push_registration events: they still match nothing.
  const code = [
    `mParticle.logBaseEvent({ name: 'Video', messageType: 20, data: { any: 1 } });`,
    `${batch}batch.addEvent(new mParticle.PushRegistrationEvent());`,
    `batch.addEvent(new mParticle.PushMessageEvent());`,
    `batch.addEvent(new mParticle.ProfileEvent());`,
    `batch.addEvent(new mParticle.UserAttributeChangeEvent());`,
    `batch.addEvent(new mParticle.UserIdentityChangeEvent());`,
  ].join('\n');
  it('configs.strict reports nothing', () => {
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(code, [{ languageOptions: { sourceType: 'module' } }, plugin.configs.strict, { settings: { dataplan: { plan: PLAN } } }], { filename: join(FIXTURES, 'app.js') });
    expect(messages).toEqual([]);
  });
});
