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
