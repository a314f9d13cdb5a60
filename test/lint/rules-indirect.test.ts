/**
 * RuleTester tables: calls written indirectly. Conditional names and values (every branch is checked), class fields
 * and `this.sdk`, wrappers and hooks from another module called from JSX handlers, TypeScript literal types (a
 * parameter typed `'A' | 'B'`, a `declare const` in a .d.ts), template literals with known parts; with typed linting,
 * what only the type checker knows.
 */
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe } from 'vitest';
import plugin from '../../src/lint/index.js';
import { FIXTURES, PLAN, tester, ts, tsx } from './helpers.js';

const { rules } = plugin;
const INDIRECT = join(FIXTURES, 'lint', 'indirect');
/** A TSX file next to the fixture modules (hooks.ts, tracker.ts, types.ts, events.d.ts). */
const app = { ...tsx, filename: join(INDIRECT, 'component.tsx') };
const tsApp = { ...ts, filename: join(INDIRECT, 'module.ts') };

tester().run('no-unplanned-event (indirect)', rules['no-unplanned-event'], {
  valid: [
    // conditional names: every branch planned
    `mParticle.logEvent(open ? 'Navbar Click' : 'Search Performed', open ? 1 : 3, open ? { label: 'Shop' } : { query: 'q', result_count: 1 })`,
    `const name = wide ? 'Navbar Click' : 'Navbar Click'; mParticle.logEvent(name, 1, { label: 'Shop' })`,
    // a branch that is not a constant is left to no-unverifiable-call, the other one is checked
    `mParticle.logEvent(props.eventName || 'Navbar Click', 1, { label: 'Shop' })`,
    `mParticle.logEvent(props.eventName ?? 'Navbar Click', 1, { label: 'Shop' })`,
    // template literals with known parts
    'const section = "Navbar"; mParticle.logEvent(`${section} Click`, 1, { label: "Shop" })',
    // class fields, methods and this.sdk
    `class T { sdk = mParticle; nav = () => this.sdk.logEvent('Navbar Click', this.sdk.EventType.Navigation, { label: 'Shop' }); }`,
    `class T { constructor() { this.sdk = window.mParticle; } go() { this.sdk.logEvent('Navbar Click', 1, { label: 'Shop' }); } }`,
    { code: `class T { constructor(private sdk: typeof mParticle) {} go() { this.sdk.logEvent('Navbar Click', 1, { label: 'Shop' }); } }`, ...ts },
    { code: `class T { constructor(private readonly sdk: typeof mParticle = mParticle) {} go() { this.sdk.logEvent('Navbar Click', 1, { label: 'Shop' }); } }`, ...ts },
    // an object method and `this`
    `const analytics = { sdk: mParticle, nav(label) { this.sdk.logEvent('Navbar Click', 1, { label }); } }; analytics.nav('Shop');`,
    // TS literal types
    { code: `function track(name: 'Navbar Click' | 'Landing Button Click') { mParticle.logEvent(name, name === 'Navbar Click' ? 1 : 8, { label: 'Shop' }); }`, ...ts },
    { code: `import { COUPON_EVENT } from './events';\nmParticle.logEvent(COUPON_EVENT, mParticle.EventType.Transaction, { coupon_code: 'SAVE10', discount_pct: 10 });`, ...tsApp },
    { code: `declare const NAV: 'Navbar Click';\nmParticle.logEvent(NAV, 1, { label: 'Shop' });`, ...ts },
    // hooks from another module, called from JSX handlers
    {
      code: `import { useTracking } from './hooks';\nexport function Nav() {\n  const { track, trackNav } = useTracking();\n  return <nav><a onClick={() => track('Landing Button Click', { color: 'red' })} /><a onClick={() => trackNav('Shop')} /></nav>;\n}`,
      ...app,
    },
    { code: `import { tracker } from './tracker';\ntracker.nav('Shop');\ntracker.share('email');`, ...tsApp },
    // another object's logEvent is not the SDK
    `class T { sdk = firebase.analytics(); go() { this.sdk.logEvent('Nope', 1); } }`,
    // a static field that is reassigned is not followed
    `class D { static s = mParticle; static reset() { this.s = firebase.analytics(); } }\nD.s.logEvent('Nope', 1);`,
    // an IIFE run with another object
    `(function (mp) { mp.logEvent('Nope', 1); })(firebase.analytics());`,
    // a private field is its own name: #sdk is not the sdk field
    `class T { sdk = mParticle; #sdk = firebase.analytics(); go() { this.#sdk.logEvent('Nope', 1); } }`,
  ],
  invalid: [
    {
      // a static field holding the SDK, or a name
      code: `class C { static sdk = mParticle; static NAME = 'Footer Click'; }\nC.sdk.logEvent(C.NAME, 1);`,
      errors: [{ message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan', line: 2 }],
    },
    {
      // a TypeScript parameter property defaulting to the SDK
      code: `class T { constructor(private sdk = mParticle) {} go() { this.sdk.logEvent('Footer Click', 1); } }`,
      ...ts,
      errors: [{ message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan' }],
    },
    {
      // the IIFE boilerplate: parameters are the arguments it is run with
      code: `(function (window, document) {\n  window.mParticle.logEvent('Footer Click', window.mParticle.EventType.Navigation);\n})(window, document);\n(function (mp) { mp.logEvent('Footer Click', 1); })(window.mParticle);`,
      errors: [
        { message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan', line: 2 },
        { message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan', line: 4 },
      ],
    },
    {
      code: `((mp, name) => mp.logEvent(name, 1))(mParticle, 'Footer Click');`,
      errors: [{ message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan', column: 49 }],
    },
    {
      code: `import mp from '@mparticle/web-sdk';\nclass B { #sdk = mp; m() { this.#sdk.logEvent('Private Field Event', 8); } }`,
      errors: [{ message: 'Unplanned event: custom_event "Private Field Event" (other) is not in the data plan', line: 2 }],
    },
    {
      code: `class B { #sdk; constructor() { this.#sdk = window.mParticle; } m() { this.#sdk.logEvent('Private Field Event', 8); } }`,
      errors: [{ message: 'Unplanned event: custom_event "Private Field Event" (other) is not in the data plan' }],
    },
    {
      code: `mParticle.logEvent(open ? 'Navbar Click' : 'Navbar Clik', 1, { label: 'Shop' })`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clik" (navigation) is not in the data plan; did you mean "Navbar Click"?', column: 44,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `mParticle.logEvent(open ? 'Navbar Click' : 'Navbar Click', 1, { label: 'Shop' })` }],
      }],
    },
    {
      code: `mParticle.logEvent(props.eventName || 'Navbar Clik', 1, { label: 'Shop' })`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clik" (navigation) is not in the data plan; did you mean "Navbar Click"?', column: 39,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `mParticle.logEvent(props.eventName || 'Navbar Click', 1, { label: 'Shop' })` }],
      }],
    },
    {
      code: 'const section = wide ? "Navbar" : "Footer";\nmParticle.logEvent(`${section} Click`, 1, { label: "Shop" })',
      errors: [{ message: 'Unplanned event: custom_event "Footer Click" (navigation) is not in the data plan', line: 2, column: 20 }],
    },
    {
      code: `class T {\n  sdk = mParticle;\n  nav = (label) => this.sdk.logEvent('Navbar Clik', 1, { label });\n}`,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clik" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 3, column: 38,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `class T {\n  sdk = mParticle;\n  nav = (label) => this.sdk.logEvent('Navbar Click', 1, { label });\n}` }],
      }],
    },
    {
      code: `function track(name: 'Navbar Click' | 'Navbar Clack') {\n  mParticle.logEvent(name, 1, { label: 'Shop' });\n}`,
      ...ts,
      errors: [{
        message: 'Unplanned event: custom_event "Navbar Clack" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 1, column: 39,
        suggestions: [{ desc: 'Rename to "Navbar Click"', output: `function track(name: 'Navbar Click' | 'Navbar Click') {\n  mParticle.logEvent(name, 1, { label: 'Shop' });\n}` }],
      }],
    },
    {
      code: `import { SHARE_EVENT } from './events';\nmParticle.logEvent(SHARE_EVENT, mParticle.EventType.Social, { channel: 'email' });`,
      ...tsApp,
      errors: [{ message: 'Unplanned event: custom_event "Product Share" (social) is not in the data plan; did you mean "Product Shared"?', line: 2, column: 20 }],
    },
    {
      code: `import { useTracking } from './hooks';\nexport function Nav() {\n  const { track } = useTracking();\n  return <button onClick={() => track('Landing Button Clik')} />;\n}`,
      ...app,
      errors: [{
        message: 'Unplanned event: custom_event "Landing Button Clik" (other) is not in the data plan; did you mean "Landing Button Click"?', line: 4, column: 39,
        suggestions: [{ desc: 'Rename to "Landing Button Click"', output: `import { useTracking } from './hooks';\nexport function Nav() {\n  const { track } = useTracking();\n  return <button onClick={() => track('Landing Button Click')} />;\n}` }],
      }],
    },
  ],
});

tester().run('valid-attribute-value (indirect)', rules['valid-attribute-value'], {
  valid: [
    `mParticle.logEvent('Navbar Click', 1, { label: open ? 'Shop' : 'Deals' })`,
    { code: `import type { NavLabel } from './types';\nexport function nav(label: NavLabel) { mParticle.logEvent('Navbar Click', 1, { label }); }`, ...tsApp },
  ],
  invalid: [
    {
      code: `mParticle.logEvent('Navbar Click', 1, { label: open ? 'Shop' : 'Blog' })`,
      errors: [{
        // located on the branch that sends it
        message: 'Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Blog"', column: 64,
      }],
    },
    {
      code: `import type { ShareChannel } from './types';\nexport function share(channel: ShareChannel | 'fax') {\n  mParticle.logEvent('Product Shared', mParticle.EventType.Social, { channel });\n}`,
      ...tsApp,
      // located on the literal type that lets it through
      errors: [{ message: 'Attribute "channel" on custom_event "Product Shared" (social) should be one of "facebook", "x", "email", "copy_link", got "fax"', line: 2, column: 47 }],
    },
    {
      code: `import { tracker } from './tracker';\ntracker.nav('Blog');\ntracker.share('fax');`,
      ...tsApp,
      errors: [
        { message: 'Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Blog"', line: 2, column: 13 },
        { message: 'Attribute "channel" on custom_event "Product Shared" (social) should be one of "facebook", "x", "email", "copy_link", got "fax"', line: 3, column: 15 },
      ],
    },
    {
      code: `import { useSearchTracking } from './hooks';\nexport function Search() {\n  const { search } = useSearchTracking();\n  return <input onChange={(e) => search(e.target.value, -1)} />;\n}`,
      ...app,
      errors: [{ message: 'Attribute "result_count" on custom_event "Search Performed" (search) should be >= 0, got -1', line: 4, column: 57 }],
    },
  ],
});

tester().run('no-missing-required-attribute (indirect)', rules['no-missing-required-attribute'], {
  valid: [
    // Vue's options API runs methods on the component, not on the object they are written in
    `export default { data() { return { query: '' }; }, methods: { submit() { const a = {}; a.query = this.query; a.result_count = 0; mParticle.logEvent('Search Performed', 3, a); } } };`,
    // conditions written the same way choose together
    `mParticle.logPageView(page === 'cart' ? 'Cart' : 'Home', page === 'cart' ? { item_count: n } : {});`,
    `const isCart = page === 'cart'; const name = isCart ? 'Cart' : 'Home'; const attrs = isCart ? { item_count: n } : {}; mParticle.logPageView(name, attrs);`,
    // a class's object fields may be filled by its methods
    `class P { fields = {}; set(k, v) { this.fields[k] = v; } send() { mParticle.logEvent('Navbar Click', 1, this.fields); } }`,
  ],
  invalid: [{
    code: `const legacy = { sdk: mParticle, search(q) { this.sdk.logEvent('Search Performed', this.sdk.EventType.Search, { query: q }); } };`,
    errors: [{ message: 'Missing required attribute "result_count" on custom_event "Search Performed" (search)', column: 111 }],
  }],
});

tester().run('no-unverifiable-call (indirect)', rules['no-unverifiable-call'], {
  valid: [
    `mParticle.logEvent(open ? 'Navbar Click' : 'Search Performed', open ? 1 : 3, open ? { label: 'Shop' } : { query: 'q', result_count: 1 })`,
    { code: `declare const NAV: 'Navbar Click';\nmParticle.logEvent(NAV, 1, { label: 'Shop' });`, ...ts },
  ],
  invalid: [
    {
      // without typed linting an ambient constant declared elsewhere is not known
      code: `mParticle.logEvent(LANDING_EVENT, mParticle.EventType.Other);`,
      ...tsApp,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event name: `LANDING_EVENT` is a global variable' }],
    },
    {
      code: `mParticle.logEvent(props.eventName || 'Navbar Click', 1, { label: 'Shop' })`,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event name: `props` is a global variable' }],
    },
  ],
});

describe('typed linting (parserServices with a program)', () => {
  // With CI=true typescript-eslint would build one program from the files on disk and never see each test's code.
  const typed = {
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: INDIRECT, ecmaFeatures: { jsx: true }, disallowAutomaticSingleRunInference: true },
    },
    settings: { dataplan: { plan: PLAN } },
  } as const;
  const file = join(INDIRECT, 'component.tsx');
  const rt = new RuleTester(typed as unknown as ConstructorParameters<typeof RuleTester>[0]);
  rt.run('no-unplanned-event (types)', rules['no-unplanned-event'], {
    valid: [
      // an ambient constant from globals.d.ts
      { code: `mParticle.logEvent(LANDING_EVENT, mParticle.EventType.Other);`, filename: file },
      // a function's declared return type
      { code: `declare function eventName(): 'Navbar Click';\nmParticle.logEvent(eventName(), 1, { label: 'Shop' });`, filename: file },
      // a typed property
      { code: `declare const props: { name: 'Navbar Click' | 'Search Performed' };\nmParticle.logEvent(props.name, props.name === 'Navbar Click' ? 1 : 3, props.name === 'Navbar Click' ? { label: 'Shop' } : { query: 'q', result_count: 1 });`, filename: file },
      // types that are not literals stay unknown
      { code: `declare const name: string;\nmParticle.logEvent(name, 1);`, filename: file },
    ],
    invalid: [
      {
        code: `mParticle.logEvent(LEGACY_EVENT, mParticle.EventType.Other);`, filename: file,
        errors: [{ message: 'Unplanned event: custom_event "Landing Button Clicked" (other) is not in the data plan; did you mean "Landing Button Click"?', column: 20 }],
      },
      {
        code: `declare const props: { name: 'Navbar Click' | 'Navbar Clack' };\nmParticle.logEvent(props.name, 1, { label: 'Shop' });`, filename: file,
        errors: [{ message: 'Unplanned event: custom_event "Navbar Clack" (navigation) is not in the data plan; did you mean "Navbar Click"?', line: 2, column: 20 }],
      },
    ],
  });
  rt.run('no-unverifiable-call (types)', rules['no-unverifiable-call'], {
    valid: [{ code: `mParticle.logEvent(LANDING_EVENT, mParticle.EventType.Other);`, filename: file }],
    invalid: [{
      code: `declare const name: string;\nmParticle.logEvent(name, 1);`, filename: file,
      errors: [{ message: 'Cannot verify mParticle.logEvent against the data plan: event name: `name` is a global variable' }],
    }],
  });
});

/**
 * A commerce wrapper whose body leaves something out (no custom attributes; the total_product_amount createProduct
 * adds): the problem is the body's, reported there once, not again at every call site. When the caller decides the
 * action, the caller's call is where the point is known, so it is reported there.
 */
const AMOUNTS = join(FIXTURES, 'lint', 'plans', 'sdk-amounts.version.json');
const addToCart = `const addToCart = (product) => {\n  mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart,\n    mParticle.eCommerce.createProduct(product.name, 'SKU-12345', 10, 1));\n};\n`;
tester({ plan: AMOUNTS }).run('no-missing-required-attribute (commerce wrappers)', rules['no-missing-required-attribute'], {
  valid: [],
  invalid: [
    { code: `${addToCart}addToCart(p1);\naddToCart(p2);`, errors: [{ message: 'Missing required attribute "source" on product_action add_to_cart', line: 2 }] },
    {
      code: `const logCart = (action, product) => mParticle.eCommerce.logProductAction(action, product);\nlogCart(mParticle.ProductActionType.AddToCart, mParticle.eCommerce.createProduct('a', 'SKU-1', 10, 1));`,
      errors: [{ message: 'Missing required attribute "source" on product_action add_to_cart', line: 2 }],
    },
  ],
});
tester({ plan: AMOUNTS }).run('no-unplanned-attribute (commerce wrappers)', rules['no-unplanned-attribute'], {
  valid: [],
  invalid: [{
    code: `const addToCart = (src) => {\n  mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart,\n    mParticle.eCommerce.createProduct('Shoe', 'SKU-12345', 10, 1), { source: src });\n};\naddToCart('a');\naddToCart('b');`,
    errors: [{ message: 'Unplanned product attribute "total_product_amount" (product 0) on product_action add_to_cart', line: 3 }],
  }],
});

/**
 * A wrapper that dispatches on its parameter: with the caller's arguments bound, a branch they rule out does not run,
 * so its call is not checked with them (an if/else, a switch with breaks).
 */
const dispatch = `function track(kind, value) {\n  if (kind === 'search') mParticle.logEvent('Search Performed', mParticle.EventType.Search, { query: 'x', result_count: value });\n  else mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: value });\n}\n`;
const switched = `function sw(kind, value) {\n  switch (kind) {\n    case 'search': mParticle.logEvent('Search Performed', 3, { query: 'x', result_count: value }); break;\n    case 'nav': mParticle.logEvent('Navbar Click', 1, { label: value }); break;\n  }\n}\n`;
tester().run('valid-attribute-value (wrappers that dispatch)', rules['valid-attribute-value'], {
  valid: [`${dispatch}track('search', 5);\ntrack('nav', 'Shop');`, `${switched}sw('search', 5);\nsw('nav', 'Shop');`],
  invalid: [
    { code: `${dispatch}track('nav', 'Shp');`, errors: [{ message: /^Attribute "label" on custom_event "Navbar Click" \(navigation\) should be one of .*got "Shp"$/, line: 5, suggestions: 1 }] },
    { code: `${switched}sw('search', 'many');`, errors: [{ message: 'Attribute "result_count" on custom_event "Search Performed" (search) should be a number, got "many"', line: 7 }] },
  ],
});
