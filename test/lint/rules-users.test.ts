/** RuleTester tables: user attributes, identities, unverifiable calls, plan problems. */
import plugin from '../../src/lint/index.js';
import { tester, ts } from './helpers.js';

const { rules } = plugin;
const user = `mParticle.Identity.getCurrentUser()`;

tester().run('no-unplanned-user-attribute', rules['no-unplanned-user-attribute'], {
  valid: [
    `${user}.setUserAttribute('loyalty_tier', 'gold')`,
    `${user}?.setUserAttributeList('favorite_categories', ['Footwear'])`,
    `const u = ${user}; u.setUserAttribute('$FirstName', 'Jane'); u.setUserAttribute(key, 'x');`,
    // removals are not values: removing a no-longer-planned attribute is fine
    `${user}.removeUserAttribute('legacy_segment')`,
    `session.getCurrentUser().setUserAttribute('nope', 1)`,
    // a named function that is also used otherwise (or reassigned) may get something else than the identity result
    `function cb(result) { result.getUser().setUserAttribute('nope', 1); }\nmParticle.Identity.login(request, cb);\nother(request, cb);`,
    `let cb = (result) => result.getUser().setUserAttribute('nope', 1);\ncb = other;\nmParticle.Identity.login(request, cb);`,
    `const mParticle = require('mparticle'); const b = new mParticle.Batch('development'); b.user_attributes = { loyalty_tier: 'gold' };`,
  ],
  invalid: [
    {
      code: `${user}.setUserAttribute('loyalty_teir', 'gold')`,
      errors: [{
        message: 'Unplanned user attribute "loyalty_teir"; did you mean "loyalty_tier"?', column: 54,
        suggestions: [{ desc: 'Rename to "loyalty_tier"', output: `${user}.setUserAttribute('loyalty_tier', 'gold')` }],
      }],
    },
    {
      // a wrapper that takes the whole attribute map is checked where it is called
      code: `function setAttrs(attrs) { mParticle.Identity.getCurrentUser().setUserAttributes(attrs); }\nsetAttrs({ loyalty_tier: 'gold', favorite_colour: 'red' });`,
      errors: [{ message: /^Unplanned user attribute "favorite_colour"/, line: 2 }],
    },
    {
      code: `mParticle.Identity.login({ userIdentities: { email: 'a@b.co' } }, (result) => result.getUser().setUserTag('vip'))`,
      errors: [{ message: 'Unplanned user attribute "vip"' }],
    },
    {
      // the callback by name, as mParticle's IDSync docs write it
      code: `var identityCallback = function (result) { result.getUser().setUserAttribute('Nickname', 'x'); };\nmParticle.Identity.login({ userIdentities: { email: 'a@b.co' } }, identityCallback);`,
      errors: [{ message: 'Unplanned user attribute "Nickname"', line: 1 }],
    },
    {
      // the web SDK's init config
      code: `window.mParticle = { config: { isDevelopmentMode: true, identityCallback(result) { result.getUser().setUserAttribute('age', '25'); } } };`,
      errors: [{ message: 'Unplanned user attribute "age"' }],
    },
    {
      code: `mParticle.init('key', { identityCallback: (result) => result.getUser().setUserTag('vip') });`,
      errors: [{ message: 'Unplanned user attribute "vip"' }],
    },
    {
      code: `function onIdentified(result) { result.getUser()?.setUserTag('vip'); }\nmParticle.Identity.identify(request, onIdentified);\nmParticle.Identity.modify(request, onIdentified);`,
      errors: [{ message: 'Unplanned user attribute "vip"' }],
    },
    {
      code: `const KEYS = { tier: 'tier' } as const;\n${user}.setUserAttribute(KEYS.tier, 'gold')`,
      ...ts,
      errors: [{ message: 'Unplanned user attribute "tier"', line: 2, column: 54 }],
    },
    {
      code: `const mParticle = require('mparticle');\nconst b = new mParticle.Batch(mParticle.Batch.Environment.development);\nb.user_attributes = { loyalty_tier: 'gold', shoe_size: 42 };`,
      errors: [{ message: 'Unplanned user attribute "shoe_size"', line: 3, column: 45 }],
    },
  ],
});

tester().run('valid-user-attribute-value', rules['valid-user-attribute-value'], {
  valid: [`${user}.setUserAttribute('lifetime_orders', 3)`, `${user}.setUserAttribute('loyalty_tier', tierFromServer)`],
  invalid: [
    {
      code: `${user}.setUserAttribute('loyalty_tier', 'Gold')`,
      errors: [{ message: 'User attribute "loyalty_tier" should be one of "bronze", "silver", "gold", "platinum", got "Gold"', suggestions: [{ desc: 'Use "gold"', output: `${user}.setUserAttribute('loyalty_tier', 'gold')` }] }],
    },
    { code: `${user}.setUserAttribute('lifetime_orders', -1)`, errors: [{ message: 'User attribute "lifetime_orders" should be >= 0, got -1' }] },
    { code: `${user}.setUserAttribute('$Zip', 'ABCDE')`, errors: [{ message: 'User attribute "$Zip" should match the pattern "^[0-9]{5}$", got "ABCDE"' }] },
  ],
});

tester().run('no-unplanned-user-identity', rules['no-unplanned-user-identity'], {
  valid: [
    `mParticle.Identity.login({ userIdentities: { customerid: 'C1234567', email: 'jane@example.com' } })`,
    `mParticle.Identity.modify({ userIdentities: { other5: null } })`,
    `mParticle.Identity.identify(request)`,
    `mParticle.init('key', { identifyRequest: { userIdentities: { email: 'jane@example.com' } } })`,
    // identifyRequest means something only in the SDK's init config
    `const other = { identifyRequest: { userIdentities: { nope: 'x' } } }; analytics.init('k', { identifyRequest: { userIdentities: { nope: 'x' } } });`,
  ],
  invalid: [
    {
      // a wrapper that takes the whole identity map is checked where it is called (segment-style identify(traits))
      code: `function identify(userParams) { mParticle.Identity.login({ userIdentities: userParams }); }\nidentify({ customerid: 'C1234567', emial: 'x@y.z' });`,
      errors: [{ message: 'Unplanned user identity "emial"; did you mean "email"?', line: 2, suggestions: 1 }],
    },
    {
      // the init config's identifyRequest is the SDK's first identify call
      code: `mParticle.init('key', { isDevelopmentMode: true, identifyRequest: { userIdentities: { emial: 'jane@example.com' } } });\nwindow.mParticle = { config: { identifyRequest: { userIdentities: { other5: 'x' } } } };`,
      errors: [
        {
          message: 'Unplanned user identity "emial"; did you mean "email"?', line: 1,
          suggestions: [{ desc: 'Rename to "email"', output: `mParticle.init('key', { isDevelopmentMode: true, identifyRequest: { userIdentities: { email: 'jane@example.com' } } });\nwindow.mParticle = { config: { identifyRequest: { userIdentities: { other5: 'x' } } } };` }],
        },
        { message: 'Unplanned user identity "other5"', line: 2 },
      ],
    },
    {
      code: `mParticle.Identity.identify({ userIdentities: { customerid: 'C1234567', emial: 'jane@example.com' } })`,
      errors: [{ message: 'Unplanned user identity "emial"; did you mean "email"?', column: 73, suggestions: [{ desc: 'Rename to "email"', output: `mParticle.Identity.identify({ userIdentities: { customerid: 'C1234567', email: 'jane@example.com' } })` }] }],
    },
  ],
});

tester().run('valid-user-identity-value', rules['valid-user-identity-value'], {
  valid: [`mParticle.Identity.login({ userIdentities: { customerid: customerId } })`],
  invalid: [
    { code: `mParticle.Identity.login({ userIdentities: { customerid: 'X1' } })`, errors: [{ message: 'User identity "customerid" should match the pattern "^C[0-9]{7}$", got "X1"' }] },
  ],
});

tester().run('no-unverifiable-call', rules['no-unverifiable-call'], {
  valid: [
    `mParticle.logEvent('Navbar Click', 1, { label: 'Shop' })`,
    // Home accepts anything, so an unknown value cannot break it
    `mParticle.logPageView('Home', { from: document.referrer })`,
    // `query` is planned as any string... but as a string only: unknown values of typed attributes are reported (see invalid)
    `mParticle.logEvent('Landing Button Click', 8, { cta: props.cta })`,
    // the wrapper's body is checked at its call sites
    `function track(name) { mParticle.logEvent(name, 8) } track('Chat Opened')`,
    // unplanned anyway: reported by no-unplanned-event
    `mParticle.logEvent('Chat Opened', 8, { page: location.pathname })`,
  ],
  invalid: [
    {
      // the plan requires transaction fields the call cannot show statically
      code: `mParticle.eCommerce.logPurchase(makeTransaction(), [])`,
      errors: [{ message: 'Cannot verify mParticle.eCommerce.logPurchase against the data plan: "product_action": the transaction attributes are not known statically (`makeTransaction()` is a call)' }],
    },
    {
      code: `${user}.setUserAttribute(key, value)`,
      errors: [{ message: 'Cannot verify mParticle.Identity.getCurrentUser().setUserAttribute against the data plan: user attribute names: `key` is a global variable', column: 54 }],
    },
    {
      code: `items.forEach((item) => mParticle.logEvent(item.name, mParticle.EventType.Navigation))`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event name: `item` is a parameter of an inline function', column: 44 }],
    },
    {
      code: `mParticle.logEvent('Navbar Click', type, { label: 'Shop' })`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event type: `type` is a global variable', column: 36 }],
    },
    {
      code: `mParticle.logEvent('Navbar Click', 1, { label: menu.label, ...extra })`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: attribute names: `...extra` spreads a value not known statically (`extra` is a global variable); attribute "label": `menu` is a global variable', column: 1 }],
    },
    {
      code: `mParticle.logEvent('Search Performed', 3, buildAttributes())`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: attributes: `buildAttributes()` is a call', column: 43 }],
    },
    {
      code: `function track(name, attrs) { mParticle.logEvent(name, 1, attrs) }\ntrack(getName(), { label: 'Shop' });`,
      errors: [{ message: 'Cannot verify track (through track) against the data plan: event name: `getName()` is a call', line: 2, column: 7 }],
    },
    {
      // unknown at the call site: reported there; the wrapper's own spread parameter is not reported in its body
      code: `function track(attrs) { mParticle.logEvent('Navbar Click', 1, { label: 'Shop', ...attrs }) }\ntrack(getAttrs());\ntrack({ position: 2 });`,
      errors: [{ message: 'Cannot verify track (through track) against the data plan: attribute names: `...attrs` spreads a value not known statically (`getAttrs()` is a call)', line: 2, column: 7 }],
    },
    {
      // unknown inside the wrapper: reported once, in the wrapper
      code: `function track(label) { mParticle.logEvent('Navbar Click', 1, { label, position: window.pos }) }\ntrack('Shop');\ntrack('Help');`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: attribute "position": `window.pos` is a global', line: 1, column: 82 }],
    },
    {
      code: `const handler = (e) => mParticle.logEvent(e.type, 1); button.addEventListener('click', handler);`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event name: `e` is a parameter of `handler`', column: 43 }],
    },
    {
      code: `let tier = 'gold'; tier = pick(); ${user}.setUserAttribute('loyalty_tier', tier)`,
      errors: [{ message: 'Cannot verify mParticle.Identity.getCurrentUser().setUserAttribute against the data plan: user attribute "loyalty_tier": `pick()` is a call' }],
    },
  ],
});

// A plan that cannot be used: one diagnostic per file, at 1:1, from the first rule; never a crash.
tester({ plan: '/nonexistent/plan.json' }).run('missing plan', rules['no-unplanned-event'], {
  valid: [],
  invalid: [{
    code: `mParticle.logEvent('A'); mParticle.logEvent('B');`,
    errors: [{ message: 'dataplan: data plan /nonexistent/plan.json (from settings.dataplan.plan) cannot be used: the file does not exist', line: 1, column: 1 }],
  }],
});

tester({ wrappers: [{ nam: 'track' }] }).run('bad settings', rules['no-unplanned-screen'], {
  // a file without any analytics call needs no plan and gets no diagnostic
  valid: [`const x = 1; analytics.track('A');`],
  invalid: [{
    code: `mParticle.logPageView('Home')`,
    errors: [{ message: 'dataplan: settings.dataplan.wrappers[0].nam is not a wrapper setting (expected name, kind, nameArg, attributesArg, typeArg, type); settings.dataplan.wrappers[0].name must be the callee as written, e.g. "track" or "analytics.track"' }],
  }],
});
