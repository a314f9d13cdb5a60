/**
 * RuleTester tables: what the web SDK does with a call before any plan applies. Numeric enums are read as the SDK and
 * the platform read them (promotion types 1/2 are view/click, product action and event type numbers their names),
 * absent or null attributes are an empty map, and a call the SDK drops is reported.
 */
import { join } from 'node:path';
import plugin from '../../src/lint/index.js';
import { FIXTURES, tester } from './helpers.js';

const { rules } = plugin;
/** Promotion and product action points whose schemas pin the action (`const: "view"`), and events with required attributes. */
const SEMANTICS = join(FIXTURES, 'lint', 'plans', 'sdk-semantics.version.json');
const promo = `const promo = mParticle.eCommerce.createPromotion('P1', 'banner', 'Spring', 'hero');\n`;
const product = `const p = mParticle.eCommerce.createProduct('Shoe', 'SKU-1', 10);\n`;

tester({ plan: SEMANTICS }).run('no-unplanned-commerce-action (numeric enums)', rules['no-unplanned-commerce-action'], {
  valid: [
    `${promo}mParticle.eCommerce.logPromotion(1, promo, { placement: 'hero' });`,
    `${promo}mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionView, promo);`,
    `${promo}mParticle.eCommerce.logPromotion(2, [promo], { placement: 'sidebar' });`,
    `${promo}const t = mParticle.PromotionType.PromotionClick; mParticle.eCommerce.logPromotion(t, promo);`,
    `${product}mParticle.eCommerce.logProductAction(1, p);`,
    `${product}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.RemoveFromWishlist, p);`,
    `${product}mParticle.eCommerce.logProductAction(10, p);`,
  ],
  invalid: [
    {
      code: `${promo}mParticle.eCommerce.logPromotion(3, promo);`,
      errors: [{ message: '3 is not a promotion action a plan can match (mParticle.PromotionType.PromotionView = 1 or PromotionClick = 2)', line: 2, column: 34 }],
    },
    {
      code: `${product}mParticle.eCommerce.logProductAction(42, p);`,
      errors: [{ message: '42 is not an mParticle.ProductActionType (Unknown = 0, AddToCart = 1, RemoveFromCart = 2, Checkout = 3, CheckoutOption = 4, Click = 5, ViewDetail = 6, Purchase = 7, Refund = 8, AddToWishlist = 9, RemoveFromWishlist = 10): the SDK drops this event', line: 2, column: 38 }],
    },
    {
      code: `${product}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishList, p);`,
      errors: [{
        message: 'ProductActionType.AddToWishList does not exist (undefined at run time), so the SDK drops this event; did you mean ProductActionType.AddToWishlist?', line: 2, column: 38,
        suggestions: [{ desc: 'Use ProductActionType.AddToWishlist', output: `${product}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishlist, p);` }],
      }],
    },
  ],
});

tester({ plan: SEMANTICS }).run('valid-attribute-value (numeric promotion types)', rules['valid-attribute-value'], {
  valid: [`${promo}mParticle.eCommerce.logPromotion(1, promo, { placement: 'hero' });`],
  invalid: [{
    code: `${promo}mParticle.eCommerce.logPromotion(1, promo, { placement: 'footer' });`,
    errors: [{ message: 'Attribute "placement" on promotion_action view should be one of "hero", "sidebar", got "footer"', line: 2, column: 46 }],
  }],
});

tester({ plan: SEMANTICS }).run('no-missing-required-attribute (absent and null attributes)', rules['no-missing-required-attribute'], {
  valid: [
    `mParticle.logEvent('Login', mParticle.EventType.Other, { method: 'sso' });`,
    `mParticle.logEvent('Page Scrolled', 1);`,
    // attributes not known statically: not reported
    `mParticle.logEvent('Login', 8, getAttributes());`,
  ],
  invalid: [
    {
      code: `mParticle.logEvent('Login', mParticle.EventType.Other);`,
      errors: [{ message: 'Missing required attribute "method" on custom_event "Login" (other)', line: 1, column: 1 }],
    },
    {
      code: `mParticle.logEvent('Login', 8, null);`,
      errors: [{ message: 'Missing required attribute "method" on custom_event "Login" (other)', line: 1, column: 32 }],
    },
    {
      code: `var attributes;\nmParticle.logEvent('Login', 8, attributes);`,
      errors: [{ message: 'Missing required attribute "method" on custom_event "Login" (other)', line: 2, column: 32 }],
    },
  ],
});

tester({ plan: SEMANTICS }).run('no-unplanned-event (calls the SDK drops)', rules['no-unplanned-event'], {
  valid: [
    `mParticle.logEvent('Login', 8, { method: 'sso' });`,
    // a name that is not known statically is not a dropped call
    `mParticle.logEvent(getName(), 8);`,
  ],
  invalid: [
    {
      code: `mParticle.logEvent();`,
      errors: [{ message: 'The event has no name: the SDK drops this event (logEvent needs the event name as its first argument)', line: 1, column: 1 }],
    },
    {
      code: `mParticle.logEvent(undefined, 1);`,
      errors: [{ message: 'The event name must be a string, got undefined: the SDK drops this event', column: 20 }],
    },
    {
      code: `let name;\nmParticle.logEvent(name, 1);`,
      errors: [{ message: 'The event name must be a string, got undefined: the SDK drops this event', line: 2, column: 20 }],
    },
    {
      code: `mParticle.logBaseEvent({ messageType: 4, eventType: 1 });`,
      errors: [{ message: 'The event has no name: the SDK drops this event (logEvent needs the event name as its first argument)', column: 1 }],
    },
  ],
});

tester({ plan: SEMANTICS }).run('no-wrong-event-type (numbers that are not EventTypes)', rules['no-wrong-event-type'], {
  valid: [`mParticle.logEvent('Page Scrolled', 1);`, `mParticle.logEvent('Page Scrolled', mParticle.EventType.Navigation);`],
  invalid: [{
    // a CommerceEventType is not an EventType
    code: `mParticle.logEvent('Page Scrolled', mParticle.CommerceEventType.ProductClick);`,
    errors: [{ message: '14 is not an mParticle.EventType (Unknown = 0, Navigation = 1, Location = 2, Search = 3, Transaction = 4, UserContent = 5, UserPreference = 6, Social = 7, Other = 8, Media = 9): the SDK drops this event', column: 37 }],
  }],
});

/**
 * Commerce amounts as the web SDK sends them: createProduct reads price and quantity with parseNumber (text that is no
 * number is 0) and sets a position that is not a number to null; logProductAction runs each set amount through
 * sanitizeAmount, and the transaction's Revenue, Shipping and Tax always (an absent one, from createTransactionAttributes, is 0).
 */
const AMOUNTS = join(FIXTURES, 'lint', 'plans', 'sdk-amounts.version.json');
const buyWith = (productArgs: string, tx = `{ Id: 'T1', Revenue: 10, Shipping: 5, Tax: 1 }`) =>
  `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Purchase, mParticle.eCommerce.createProduct(${productArgs}), null, null, ${tx});`;
tester({ plan: AMOUNTS }).run('valid-attribute-value (the SDK\'s number conversions)', rules['valid-attribute-value'], {
  valid: [
    // 'abc' and '2-foo' become 0, 'x' as a position becomes null (absent): what is sent passes
    buyWith(`'iPhone', 'sku1', 'abc', '2-foo', undefined, undefined, undefined, 'x'`),
    buyWith(`'iPhone', 'sku1', '12.50', '3'`),
    buyWith(`'iPhone', 'sku1', Infinity, 1`),
    // a product written as an object: logProductAction's sanitizeAmount
    `mParticle.eCommerce.logProductAction(7, { Name: 'A', Sku: 'S', Price: 'abc', Quantity: '1', Position: '2' }, null, null, { Id: 'T1', Revenue: '10', Shipping: '5.5', Tax: 'none' });`,
  ],
  invalid: [
    {
      // Revenue text that is no number is sent as 0
      code: buyWith(`'iPhone', 'sku1', 10, 1`, `{ Id: 'T1', Revenue: 'string', Shipping: 5 }`),
      errors: [{ message: 'Attribute "total_amount" on product_action purchase should be >= 1, got 0' }],
    },
    {
      // createTransactionAttributes sets Shipping even when it is not given; the SDK then sends 0
      code: buyWith(`'iPhone', 'sku1', 10, 1`, `mParticle.eCommerce.createTransactionAttributes('T1', null, null, 10)`),
      errors: [{ message: 'Attribute "shipping_amount" on product_action purchase should be >= 1, got 0' }],
    },
    {
      // a product object's negative quantity stays what it is
      code: `mParticle.eCommerce.logProductAction(7, { Name: 'A', Sku: 'S', Price: 1, Quantity: '-2' }, null, null, { Id: 'T1', Revenue: 10, Shipping: 5 });`,
      errors: [{ message: 'Attribute "quantity" on product_action purchase should be >= 0, got -2' }],
    },
  ],
});

// setUserAttribute refuses undefined, objects and arrays (nothing is sent); setUserAttributes sets each member that way.
tester({ plan: AMOUNTS }).run('no-unplanned-user-attribute (values the SDK refuses)', rules['no-unplanned-user-attribute'], {
  valid: [
    `mParticle.Identity.getCurrentUser().setUserAttribute('gender', { bad: 'bad' });`,
    `mParticle.Identity.getCurrentUser().setUserAttribute('gender', ['x']);`,
    `mParticle.Identity.getCurrentUser().setUserAttribute('gender');`,
    `mParticle.Identity.getCurrentUser().setUserAttributes({ age: 3, gender: { bad: 'bad' } });`,
  ],
  invalid: [
    { code: `mParticle.Identity.getCurrentUser().setUserAttribute('gender', 'f');`, errors: [{ messageId: 'violation' }] },
    { code: `mParticle.Identity.getCurrentUser().setUserAttributes({ age: 3, gender: 'f' });`, errors: [{ messageId: 'violation' }] },
  ],
});
tester({ plan: AMOUNTS }).run('valid-user-attribute-value (values the SDK refuses)', rules['valid-user-attribute-value'], {
  valid: [`mParticle.Identity.getCurrentUser().setUserAttribute('age', ['1']);`],
  invalid: [{ code: `mParticle.Identity.getCurrentUser().setUserAttribute('age', '1x');`, errors: 1 }],
});
