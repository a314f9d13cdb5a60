/** RuleTester tables: event and product attributes, required attributes, values. */
import { join } from 'node:path';
import plugin from '../../src/lint/index.js';
import { MODULES, tester, ts } from './helpers.js';

const { rules } = plugin;
const nav = (attrs: string) => `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, ${attrs})`;

tester().run('no-unplanned-attribute', rules['no-unplanned-attribute'], {
  valid: [
    nav(`{ label: 'Shop', position: 1 }`),
    // Home allows any attribute
    `mParticle.logPageView('Home', { anything: 1 })`,
    `mParticle.logPageView('Home')`,
    // unknown keys are never guessed at
    nav(`{ label: 'Shop', ...props }`),
    nav(`attrs`),
    `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('A', 'SKU-10001', 1, 1, undefined, undefined, undefined, undefined, undefined, { size: 'M', color: 'red' }), { source: 'pdp' })`,
    // unplanned event: its attributes are not judged
    `mParticle.logEvent('Chat Opened', 8, { whatever: 1 })`,
    // object values are dropped by the SDK, so they are never sent
    nav(`{ label: 'Shop', meta: { a: 1 } }`),
    // undefined values are not sent either
    `const mParticle = require('mparticle'); const e = new mParticle.AppEvent('navigation', 'Navbar Click'); e.custom_attributes = { label: 'Shop', note: undefined };`,
  ],
  invalid: [
    {
      code: nav(`{ lable: 'Shop' }`),
      errors: [{
        message: 'Unplanned attribute "lable" on custom_event "Navbar Click" (navigation); did you mean "label"?', column: 70,
        suggestions: [{ desc: 'Rename to "label"', output: nav(`{ label: 'Shop' }`) }],
      }],
    },
    {
      code: `const lable = 'Shop'; ${nav(`{ lable, 'posit-ion': 2 }`)}`,
      errors: [
        { message: 'Unplanned attribute "lable" on custom_event "Navbar Click" (navigation); did you mean "label"?', suggestions: [{ desc: 'Rename to "label"', output: `const lable = 'Shop'; ${nav(`{ label: lable, 'posit-ion': 2 }`)}` }] },
        { message: 'Unplanned attribute "posit-ion" on custom_event "Navbar Click" (navigation); did you mean "position"?', suggestions: [{ desc: 'Rename to "position"', output: `const lable = 'Shop'; ${nav(`{ lable, 'position': 2 }`)}` }] },
      ],
    },
    {
      code: `const COMMON = { source: 'web' };\n${nav(`{ label: 'Shop', ...COMMON }`)}`,
      errors: [{ message: 'Unplanned attribute "source" on custom_event "Navbar Click" (navigation)', line: 1, column: 18 }],
    },
    {
      code: `import { COMMON } from './events';\n${nav(`{ label: 'Shop', ...COMMON }`)}`,
      filename: join(MODULES, 'virtual.ts'), languageOptions: ts.languageOptions,
      errors: [{ message: 'Unplanned attribute "source" on custom_event "Navbar Click" (navigation)', line: 2, column: 85 }],
    },
    {
      code: `mParticle.logPageView('Cart', undefined)`,
      errors: [
        { message: 'Unplanned attribute "hostname" on screen_view "Cart"', column: 1 },
        { message: 'Unplanned attribute "title" on screen_view "Cart"', column: 1 },
      ],
    },
    {
      code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('A', 'SKU-10001', 1, 1, undefined, undefined, undefined, undefined, undefined, { size: 'M', colour: 'red' }), { source: 'pdp' })`,
      errors: [{
        message: 'Unplanned product attribute "colour" (product 0) on product_action add_to_cart; did you mean "color"?',
        suggestions: [{ desc: 'Rename to "color"', output: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('A', 'SKU-10001', 1, 1, undefined, undefined, undefined, undefined, undefined, { size: 'M', color: 'red' }), { source: 'pdp' })` }],
      }],
    },
    {
      // written in the wrapper: reported once, in the wrapper, not at each call site
      code: `function track(label) { mParticle.logEvent('Navbar Click', 1, { label, from: 'menu' }) }\ntrack('Shop');\ntrack('Help');`,
      errors: [{ message: 'Unplanned attribute "from" on custom_event "Navbar Click" (navigation)', line: 1, column: 72 }],
    },
    {
      // the key is written in the wrapper: reported there, whatever callers pass (and not where it is left undefined)
      code: `function track(label, extra) { mParticle.logEvent('Navbar Click', 1, { label, extra }) }\ntrack('Shop');\ntrack('Help', 1);`,
      errors: [{ message: 'Unplanned attribute "extra" on custom_event "Navbar Click" (navigation)', line: 1, column: 79 }],
    },
    {
      // passed in at a call site: reported there
      code: `function track(attrs) { mParticle.logEvent('Navbar Click', 1, { label: 'Shop', ...attrs }) }\ntrack({ from: 'menu' });\ntrack({});`,
      errors: [{ message: 'Unplanned attribute "from" on custom_event "Navbar Click" (navigation)', line: 2, column: 9 }],
    },
    {
      code: `const mParticle = require('mparticle');\nconst e = new mParticle.AppEvent('navigation', 'Navbar Click');\ne.custom_attributes = { label: 'Shop', lable: 'x' };`,
      errors: [{ message: 'Unplanned attribute "lable" on custom_event "Navbar Click" (navigation)', line: 3, column: 40 }],
    },
  ],
});

tester().run('no-missing-required-attribute', rules['no-missing-required-attribute'], {
  valid: [
    nav(`{ label: 'Shop' }`),
    nav(`{ ...attrs }`),
    nav(`getAttrs()`),
    `mParticle.logEvent('Store Locator Used', mParticle.EventType.Location, { postal_code: '94107' })`,
    // a null required value is the SDK's business (sent as null): not "missing" in the code
    `mParticle.logPageView('Checkout')`,
    // transaction attributes known only at run time may carry transaction_id and the rest
    `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Purchase, [], { payment_method: 'card' }, {}, makeTransaction())`,
    `mParticle.eCommerce.logPurchase(order.transaction, [], false, { payment_method: 'card' })`,
  ],
  invalid: [
    { code: nav(`{ position: 1 }`), errors: [{ message: 'Missing required attribute "label" on custom_event "Navbar Click" (navigation)', column: 68 }] },
    { code: `mParticle.logEvent('Navbar Click', 1)`, errors: [{ message: 'Missing required attribute "custom_attributes" on custom_event "Navbar Click" (navigation)', column: 1 }] },
    {
      code: `mParticle.logEvent('Search Performed', mParticle.EventType.Search, { query: 'x' })`,
      errors: [{ message: 'Missing required attribute "result_count" on custom_event "Search Performed" (search)' }],
    },
    {
      code: `function t(attrs) { mParticle.logEvent('Navbar Click', 1, attrs) }\nt({ position: 1 });\nt({ label: 'Shop' });`,
      errors: [{ message: 'Missing required attribute "label" on custom_event "Navbar Click" (navigation)', line: 2, column: 3 }],
    },
    {
      code: `function t(pos) { mParticle.logEvent('Navbar Click', 1, { position: pos }) }\nt(1);\nt(2);`,
      errors: [{ message: 'Missing required attribute "label" on custom_event "Navbar Click" (navigation)', line: 1, column: 57 }],
    },
    {
      code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Purchase, [], {})`,
      errors: [
        { message: 'Missing required attribute "transaction_id" on product_action purchase' },
        { message: 'Missing required attribute "total_amount" on product_action purchase' },
        { message: 'Missing required attribute "payment_method" on product_action purchase' },
      ],
    },
  ],
});

tester().run('valid-attribute-value', rules['valid-attribute-value'], {
  valid: [
    nav(`{ label: 'Shop', position: 0 }`),
    // platform conversion: "3" is a number
    nav(`{ label: 'Help', position: '3' }`),
    // values not known statically are never judged
    nav(`{ label: someLabel, position: index + 1 }`),
    { code: `enum L { Shop = 'Shop' } ${nav(`{ label: L.Shop }`)}`, ...ts },
    `mParticle.logEvent('Store Locator Used', mParticle.EventType.Location, { postal_code: '94107', radius_km: 25, use_gps: true })`,
  ],
  invalid: [
    {
      code: nav(`{ label: 'Shp' }`),
      errors: [{
        message: 'Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Shp"', column: 70,
        suggestions: [{ desc: 'Use "Shop"', output: nav(`{ label: 'Shop' }`) }],
      }],
    },
    { code: nav(`{ label: 'Shop', position: 25 }`), errors: [{ message: 'Attribute "position" on custom_event "Navbar Click" (navigation) should be <= 20, got 25' }] },
    { code: nav(`{ label: 'Shop', position: -1 }`), errors: [{ message: 'Attribute "position" on custom_event "Navbar Click" (navigation) should be >= 0, got -1' }] },
    { code: nav(`{ label: 'Shop', position: 'first' }`), errors: [{ message: 'Attribute "position" on custom_event "Navbar Click" (navigation) should be a number, got "first"' }] },
    {
      code: `const LABELS = { deals: 'deals' } as const;\n${nav(`{ label: LABELS.deals }`)}`,
      ...ts,
      errors: [{
        message: 'Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "deals"', line: 2,
        suggestions: [{ desc: 'Use "Deals"', output: `const LABELS = { deals: 'Deals' } as const;\n${nav(`{ label: LABELS.deals }`)}` }],
      }],
    },
    {
      code: `mParticle.logEvent('Product Shared', mParticle.EventType.Social, { channel: 'email', product_id: 'SKU-1' })`,
      errors: [{ message: 'Attribute "product_id" on custom_event "Product Shared" (social) should match the pattern "^SKU-[0-9]{5}$", got "SKU-1"' }],
    },
    {
      code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('A', 'SKU-10001', 1, 1, undefined, undefined, undefined, undefined, undefined, { size: 'XXL' }), { source: 'pdp' })`,
      errors: [{ message: 'Product attribute "size" (product 0) on product_action add_to_cart should be one of "XS", "S", "M", "L", "XL", got "XXL"', suggestions: [{ desc: 'Use "XL"', output: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('A', 'SKU-10001', 1, 1, undefined, undefined, undefined, undefined, undefined, { size: 'XL' }), { source: 'pdp' })` }] }],
    },
    {
      code: `mParticle.logEvent('Newsletter Signup', mParticle.EventType.UserPreference, { email: 'not-an-email', source: 'footer' })`,
      errors: [{ message: 'Attribute "email" on custom_event "Newsletter Signup" (user_preference) should be a valid email, got "not-an-email"' }],
    },
  ],
});
