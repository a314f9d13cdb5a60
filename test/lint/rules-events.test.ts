/** RuleTester tables: events, screens, event types, commerce. */
import plugin from '../../src/lint/index.js';
import { MODULES, tester, ts, tsx } from './helpers.js';
import { join } from 'node:path';

const { rules } = plugin;

tester().run('no-unplanned-event', rules['no-unplanned-event'], {
  valid: [
    `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Shop' })`,
    `window.mParticle.logEvent('Navbar Click', 1, { label: 'Shop' })`,
    `globalThis.mParticle?.logEvent('Search Performed', mParticle.EventType.Search, { query: 'x', result_count: 1 })`,
    `import mp from '@mparticle/web-sdk'; mp.logEvent('Navbar Click', mp.EventType.Navigation, { label: 'Shop' })`,
    `import { logEvent, EventType } from '@mparticle/web-sdk'; logEvent('Navbar Click', EventType.Navigation, { label: 'Shop' })`,
    `const mp = window.mParticle; const { logEvent } = mp; logEvent('Navbar Click', 1, { label: 'Shop' })`,
    `mParticle.getInstance().logEvent('Navbar Click', 1, { label: 'Shop' })`,
    { code: `enum E { Nav = 'Navbar Click' } mParticle.logEvent(E.Nav, 1 as const, { label: 'Shop' }!)`, ...ts },
    { code: `const App = () => <button onClick={() => mParticle.logEvent('Navbar Click', 1, { label: 'Shop' })} />;`, ...tsx },
    `const mParticle = require('mparticle'); new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, 'Navbar Click');`,
    `const mParticle = require('mparticle'); const e = new mParticle.AppEvent(); e.event_name = 'Navbar Click'; e.custom_event_type = 'navigation';`,
    // false-positive traps: other objects, shadowing, strings, comments, other libraries
    `analytics.logEvent('Nope'); gtag('event', 'Nope'); firebase.analytics().logEvent('Nope');`,
    `function send(mParticle) { mParticle.logEvent('Nope', 1) }`,
    `{ const mParticle = { logEvent() {} }; mParticle.logEvent('Nope', 1) }`,
    `function f(window) { window.mParticle.logEvent('Nope', 1) }`,
    `const s = "mParticle.logEvent('Nope', 1)"; // mParticle.logEvent('Nope', 1)`,
    `/* mParticle.logEvent('Nope') */ import { logEvent } from 'firebase/analytics'; logEvent(analytics, 'Nope');`,
    // not resolvable: left to no-unverifiable-call
    `function f(name) { mParticle.logEvent(name, 1) } f(window.name)`,
  ],
  invalid: [
    {
      code: `mParticle.logEvent('Navbar Clik', mParticle.EventType.Navigation, { label: 'Shop' })`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clik" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 1, column: 20,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Shop' })` }],
      }],
    },
    {
      code: 'window.mParticle?.logEvent(`navbar click`, 1, { label: "Shop" })',
      errors: [{
        message: 'Unplanned event: custom_event "navbar click" (navigation) is not in the data plan; did you mean "Navbar Click"?',
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: 'window.mParticle?.logEvent(`Navbar Click`, 1, { label: "Shop" })' }],
      }],
    },
    {
      code: `const EVENTS = { CHAT: 'Chat Opened' } as const;\nmParticle.logEvent(EVENTS.CHAT, mParticle.EventType.Other);`,
      ...ts,
      errors: [{ message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 2, column: 20 }],
    },
    {
      code: `const mParticle = require('mparticle');\nconst e = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.other, 'Chat Opened');`,
      errors: [{ message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 2, column: 76 }],
    },
    {
      // TypeScript's CommonJS import: the file is still checked, and the Node SDK is known through it
      code: `import express = require('express');\nimport mp = require('mparticle');\nconst app = express();\nmParticle.logEvent('Chat Opened', 8);\nnew mp.AppEvent(mp.AppEvent.CustomEventType.other, 'Chat Opened');`,
      ...ts,
      errors: [
        { message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 4 },
        { message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 5 },
      ],
    },
    {
      // named after construction, as the Node SDK's usage example does
      code: `const mParticle = require('mparticle');\nvar appEvent = new mParticle.AppEvent();\nappEvent.event_name = 'Test App Event';\nappEvent.custom_event_type = 'other';\nbatch.addEvent(appEvent);`,
      errors: [{ message: 'Unplanned event: custom_event "Test App Event" (other) is not in the data plan', line: 3 }],
    },
    {
      code: `function track(name, attrs) { mParticle.logEvent(name, mParticle.EventType.Other, attrs) }\ntrack('Chat Opened', { page: 'help' });`,
      errors: [{ message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 2, column: 7 }],
    },
    {
      code: `import { trackSearch } from './analytics';\nimport { EVENTS } from './events';\nmParticle.logEvent(EVENTS.NAV + '!', 1, { label: 'Shop' });`,
      filename: join(MODULES, 'virtual.ts'), ...{ languageOptions: ts.languageOptions },
      errors: [{ message: 'Unplanned event: custom_event "Navbar Click!" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 3, column: 20 }],
    },
    {
      code: `mParticle.logLink('#chat', 'Chat Opened', mParticle.EventType.Other, { page: 'help' });\nmParticle.logForm('#signup', 'Form Sent');`,
      errors: [
        { message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 1, column: 28 },
        { message: 'Unplanned event: custom_event "Form Sent" (other) is not in the data plan', line: 2, column: 30 },
      ],
    },
    {
      code: `mParticle.logBaseEvent({ name: 'Chat Opened', eventType: mParticle.EventType.Other, messageType: 4 });\nmParticle.logBaseEvent({ name: 'Not Uploaded', eventType: 8 });`,
      errors: [{ message: 'Unplanned event: custom_event "Chat Opened" (other) is not in the data plan', line: 1, column: 26 }],
    },
    {
      code: `mParticle.logEvent(42, 1)`,
      errors: [{ message: 'The event name must be a string, got 42: the SDK drops this event', column: 20 }],
    },
  ],
});

tester({ wrappers: [{ name: 'analytics.track', typeArg: 2 }] }).run('no-unplanned-event (declared wrappers)', rules['no-unplanned-event'], {
  valid: [`analytics.track('Navbar Click', { label: 'Shop' }, 'navigation')`, `other.track('Nope', {}, 'navigation')`],
  invalid: [{
    code: `analytics.track('Navbar Clicked', { label: 'Shop' }, 'navigation')`,
    errors: [{
      message: 'Unplanned event: custom_event "Navbar Clicked" (navigation) is not in the data plan; did you mean "Navbar Click"?',
      suggestions: [{ desc: 'Rename to "Navbar Click"', output: `analytics.track('Navbar Click', { label: 'Shop' }, 'navigation')` }],
    }],
  }],
});

tester().run('no-wrong-event-type', rules['no-wrong-event-type'], {
  valid: [
    `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation)`,
    `mParticle.logEvent('Chat Opened', mParticle.EventType.Other)`,
    `const mParticle = require('mparticle'); new mParticle.AppEvent('navigation', 'Navbar Click')`,
  ],
  invalid: [
    {
      code: `mParticle.logEvent('Navbar Click', mParticle.EventType.Other, { label: 'Shop' })`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Click" (other) is not in the data plan; "Navbar Click" is planned as custom_event_type navigation', column: 36,
        suggestions: [{ desc: 'Use custom_event_type navigation (planned as custom_event:navigation:Navbar Click)', output: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Shop' })` }],
      }],
    },
    {
      code: `mParticle.logEvent('Search Performed', 8, { query: 'x', result_count: 1 })`,
      errors: [{
        message: 'Unplanned event: custom_event "Search Performed" (other) is not in the data plan; "Search Performed" is planned as custom_event_type search',
        suggestions: [{ desc: 'Use custom_event_type search (planned as custom_event:search:Search Performed)', output: `mParticle.logEvent('Search Performed', 3, { query: 'x', result_count: 1 })` }],
      }],
    },
    {
      code: `window.mParticle.logEvent('Navbar Click')`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Click" (unknown) is not in the data plan; "Navbar Click" is planned as custom_event_type navigation', column: 27,
        suggestions: [{ desc: 'Use custom_event_type navigation (planned as custom_event:navigation:Navbar Click)', output: `window.mParticle.logEvent('Navbar Click', window.mParticle.EventType.Navigation)` }],
      }],
    },
    {
      code: `const { logEvent } = mParticle; logEvent('Navbar Click')`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Click" (unknown) is not in the data plan; "Navbar Click" is planned as custom_event_type navigation',
        suggestions: [{ desc: 'Use custom_event_type navigation (planned as custom_event:navigation:Navbar Click)', output: `const { logEvent } = mParticle; logEvent('Navbar Click', 1)` }],
      }],
    },
    {
      code: `const mParticle = require('mparticle'); new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.other, 'Navbar Click')`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Click" (other) is not in the data plan; "Navbar Click" is planned as custom_event_type navigation',
        suggestions: [{ desc: 'Use custom_event_type navigation (planned as custom_event:navigation:Navbar Click)', output: `const mParticle = require('mparticle'); new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, 'Navbar Click')` }],
      }],
    },
    {
      code: `mParticle.logEvent('Navbar Click', 42)`,
      errors: [{ message: '42 is not an mParticle.EventType (Unknown = 0, Navigation = 1, Location = 2, Search = 3, Transaction = 4, UserContent = 5, UserPreference = 6, Social = 7, Other = 8, Media = 9): the SDK drops this event', column: 36 }],
    },
    {
      code: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigaton)`,
      errors: [{
        message: 'EventType.Navigaton does not exist (undefined at run time), so the SDK sends the event as EventType.Unknown; did you mean EventType.Navigation?',
        suggestions: [{ desc: 'Use EventType.Navigation', output: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation)` }],
      }],
    },
    {
      // written in a wrapper: reported once, in the wrapper
      code: `function track(name) { mParticle.logEvent(name, mParticle.EventType.Navigaton, { label: 'Shop' }) }\ntrack('Navbar Click');\ntrack('Search Performed');`,
      errors: [{
        message: 'EventType.Navigaton does not exist (undefined at run time), so the SDK sends the event as EventType.Unknown; did you mean EventType.Navigation?', line: 1,
        suggestions: [{ desc: 'Use EventType.Navigation', output: `function track(name) { mParticle.logEvent(name, mParticle.EventType.Navigation, { label: 'Shop' }) }\ntrack('Navbar Click');\ntrack('Search Performed');` }],
      }],
    },
    {
      code: `const mParticle = require('mparticle'); new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.Navigation, 'Navbar Click')`,
      errors: [{
        message: 'AppEvent.CustomEventType.Navigation does not exist (undefined at run time), so the event is sent without custom_event_type; did you mean AppEvent.CustomEventType.navigation?',
        suggestions: [{ desc: 'Use AppEvent.CustomEventType.navigation', output: `const mParticle = require('mparticle'); new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, 'Navbar Click')` }],
      }],
    },
  ],
});

tester().run('no-unplanned-screen', rules['no-unplanned-screen'], {
  valid: [
    `mParticle.logPageView('Home')`,
    `mParticle.logPageView('Cart', { item_count: 2 })`,
    { code: `import { Screen } from './events'; mParticle.logPageView(Screen.Cart, { item_count: 1 })`, filename: join(MODULES, 'virtual.ts'), languageOptions: ts.languageOptions },
    `const mParticle = require('mparticle'); new mParticle.ScreenViewEvent('Checkout')`,
    `router.logPageView('Nope')`,
  ],
  invalid: [
    { code: `mParticle.logPageView('Wishlist', { items: 2 })`, errors: [{ message: 'Unplanned event: screen_view "Wishlist" is not in the data plan', column: 23 }] },
    {
      code: `mParticle.logPageView("cart", { item_count: 1 })`,
      errors: [{ message: 'Unplanned event: screen_view "cart" is not in the data plan; did you mean "Cart"?', suggestions: [{ desc: 'Rename to "Cart"', output: `mParticle.logPageView("Cart", { item_count: 1 })` }] }],
    },
    { code: `const { ScreenViewEvent } = require('mparticle'); new ScreenViewEvent('Search Results')`, errors: [{ message: 'Unplanned event: screen_view "Search Results" is not in the data plan' }] },
    { code: `const { ScreenViewEvent } = require('mparticle'); const sv = new ScreenViewEvent('Cart');\nsv.screen_name = 'Search Results';`, errors: [{ message: 'Unplanned event: screen_view "Search Results" is not in the data plan', line: 2 }] },
    { code: `mParticle.logPageView()`, errors: [{ message: 'Unplanned event: screen_view "PageView" is not in the data plan' }] },
  ],
});

const product = `mParticle.eCommerce.createProduct('Trail Runner', 'SKU-10001', 89.99, 1)`;
tester().run('no-unplanned-commerce-action', rules['no-unplanned-commerce-action'], {
  valid: [
    `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, ${product}, { source: 'pdp' })`,
    `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.RemoveFromWishlist, [${product}])`,
    `mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionView, mParticle.eCommerce.createPromotion('P1'))`,
    `mParticle.eCommerce.logImpression(mParticle.eCommerce.createImpression('Search Results', ${product}))`,
    `mParticle.eCommerce.logPurchase({ Id: 'ORD-000001' }, ${product}, false, { payment_method: 'card' })`,
    `mParticle.eCommerce.logRefund(mParticle.eCommerce.createTransactionAttributes('ORD-000001'), [${product}])`,
    `mParticle.eCommerce.logCheckout(1, 'standard')`,
    `mParticle.eCommerce.logPromotion(2, [mParticle.eCommerce.createPromotion('P1', 'banner', 'Spring', 'hero')], { placement: 'hero' })`,
    `const mParticle = require('mparticle'); const c = new mParticle.CommerceEvent(); c.product_action = new mParticle.ProductAction(mParticle.ProductAction.Action.refund, 'ORD-000001');`,
    `shop.eCommerce.logProductAction(99, {})`,
  ],
  invalid: [
    { code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Click, ${product})`, errors: [{ message: 'Unplanned event: product_action click is not in the data plan', column: 38 }] },
    { code: `mParticle.eCommerce.logProductAction(4, [])`, errors: [{ message: 'Unplanned event: product_action checkout_option is not in the data plan' }] },
    {
      code: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishList, ${product})`,
      errors: [{
        message: 'ProductActionType.AddToWishList does not exist (undefined at run time), so the SDK drops this event; did you mean ProductActionType.AddToWishlist?',
        suggestions: [{ desc: 'Use ProductActionType.AddToWishlist', output: `mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishlist, ${product})` }],
      }],
    },
    { code: `mParticle.eCommerce.logPromotion(mParticle.PromotionType.Unknown, {})`, errors: [{ message: '0 is not a promotion action a plan can match (mParticle.PromotionType.PromotionView = 1 or PromotionClick = 2)' }] },
    {
      code: `const mParticle = require('mparticle');\nconst c = new mParticle.CommerceEvent();\nc.product_action = new mParticle.ProductAction(mParticle.ProductAction.Action.click, 'T1');`,
      errors: [{ message: 'Unplanned event: product_action click is not in the data plan', line: 3 }],
    },
  ],
});
