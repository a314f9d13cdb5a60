import { join } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { Unknown, parseSource, recognize, recognizeFile, type RecognizedCall, type SourceLike } from '../../src/lint/recognize/index.js';

const MODULES = join(import.meta.dirname, '..', 'fixtures', 'lint', 'modules');

function calls(code: string, file = '/virtual/app.ts', wrappers = []): RecognizedCall[] {
  return recognize(parseSource(code, file), { file, wrappers });
}
const one = (code: string, file?: string) => {
  const cs = calls(code, file);
  expect(cs).toHaveLength(1);
  return cs[0];
};
const json = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('recognize: what each SDK call sends', () => {
  it('logEvent builds the custom event the web SDK converter builds', () => {
    const c = one(`mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Shop', position: 2, nested: { a: 1 } }, { flag: 'x' });`);
    expect(c.kind).toBe('custom_event');
    expect(c.sdk).toBe('web');
    expect(c.method).toBe('logEvent');
    expect(c.callee).toBe('mParticle.logEvent');
    // object values are dropped by the SDK's attribute sanitiser
    expect(c.payload).toEqual({ event_type: 'custom_event', data: { event_name: 'Navbar Click', custom_event_type: 'navigation', custom_flags: { flag: 'x' }, custom_attributes: { label: 'Shop', position: 2 } } });
    expect(c.key).toEqual({ type: 'custom_event', sub: 'navigation', name: 'Navbar Click' });
    expect(c.unknowns).toEqual([]);
    expect(c.sites['#/data/custom_attributes/label'].key?.type).toBe('Identifier');
    expect(c.sites['#/data/event_name'].literal).toMatchObject({ type: 'Literal', value: 'Navbar Click' });
  });

  it('a missing or falsy event type is unknown; attributes absent are null', () => {
    expect(json(one(`mParticle.logEvent('A')`).payload).data).toEqual({ event_name: 'A', custom_event_type: 'unknown', custom_flags: {}, custom_attributes: null });
    expect(one(`mParticle.logEvent('A', 0)`).key?.sub).toBe('unknown');
    expect(one(`mParticle.logEvent('A', 9)`).key?.sub).toBe('media');
  });

  it('logPageView without attributes sends hostname and title (not known statically)', () => {
    const c = one(`mParticle.logPageView('Cart')`);
    expect(c.key).toEqual({ type: 'screen_view', sub: '', name: 'Cart' });
    expect(Object.keys((c.payload as { data: { custom_attributes: object } }).data.custom_attributes)).toEqual(['hostname', 'title']);
    expect(c.unknowns.map((u) => u.pointer)).toEqual(['#/data/custom_attributes/hostname', '#/data/custom_attributes/title']);
    expect(one(`mParticle.logPageView()`).key?.name).toBe('PageView');
  });

  it('commerce: logProductAction with createProduct and transaction attributes', () => {
    const c = one(`
      const p = mParticle.eCommerce.createProduct('Trail Runner', 'SKU-10001', '89.99', 2, 'Blue', 'Footwear', 'Acme', 1, undefined, { size: 'M' });
      const t = mParticle.eCommerce.createTransactionAttributes('ORD-000123', 'web', undefined, 179.98, 4.99, 6.4);
      mParticle.eCommerce.logProductAction(mParticle.ProductActionType.Purchase, [p], { payment_method: 'card' }, undefined, t);`);
    expect(c.kind).toBe('product_action');
    expect(c.key).toEqual({ type: 'product_action', sub: '', name: 'purchase' });
    expect(json(c.payload).data.product_action).toEqual({
      action: 'purchase', transaction_id: 'ORD-000123', affiliation: 'web', total_amount: 179.98, shipping_amount: 4.99, tax_amount: 6.4,
      products: [{ id: 'SKU-10001', name: 'Trail Runner', brand: 'Acme', category: 'Footwear', variant: 'Blue', total_product_amount: 179.98, position: 1, price: 89.99, quantity: 2, custom_attributes: { size: 'M' } }],
    });
    expect(json(c.payload).data.custom_attributes).toEqual({ payment_method: 'card' });
  });

  it('commerce: the wishlist removal keeps the plan spelling; a misspelt enum member is reported, not matched', () => {
    expect(one(`mParticle.eCommerce.logProductAction(mParticle.ProductActionType.RemoveFromWishlist, {})`).key?.name).toBe('remove_from_wish_list');
    expect(one(`mParticle.eCommerce.logProductAction(10, {})`).key?.name).toBe('remove_from_wish_list');
    const bad = one(`mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishList, {})`);
    expect(bad.key).toBeUndefined();
    expect(bad.sdkProblems).toMatchObject([{ code: 'invalid_enum_member', enumName: 'ProductActionType', actual: 'AddToWishList', suggestion: 'AddToWishlist' }]);
    expect(one(`mParticle.logEvent('x', 42)`).sdkProblems).toMatchObject([{ code: 'invalid_enum_value', enumName: 'EventType', actual: '42' }]);
  });

  it('commerce: promotions send the numeric type; impressions carry their list name', () => {
    const pr = one(`mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionClick, mParticle.eCommerce.createPromotion('P1', 'banner', 'Spring', 'hero'), { placement: 'hero' })`);
    expect(pr.key).toEqual({ type: 'promotion_action', sub: '', name: 'click' });
    expect(json(pr.payload).data.promotion_action).toEqual({ action: 2, promotions: [{ id: 'P1', name: 'Spring', creative: 'banner', position: 'hero' }] });
    const im = one(`mParticle.eCommerce.logImpression(mParticle.eCommerce.createImpression('Search Results', [mParticle.eCommerce.createProduct('A', 'SKU-1', 1)]))`);
    expect(im.key).toEqual({ type: 'product_impression', sub: '', name: '' });
    expect(json(im.payload).data.product_impressions[0].product_impression_list).toBe('Search Results');
    expect(one(`mParticle.eCommerce.logPurchase({ Id: 'T1', Revenue: 10 }, [], false, { payment_method: 'card' })`).key?.name).toBe('purchase');
    expect(json(one(`mParticle.eCommerce.logCheckout(2, 'express')`).payload).data.product_action).toEqual({ action: 'checkout', checkout_step: 2, checkout_options: 'express' });
  });

  it('user attributes and identities', () => {
    const cs = calls(`
      const user = mParticle.Identity.getCurrentUser();
      user?.setUserAttribute('loyalty_tier', 'gold');
      user.setUserAttributeList('favorite_categories', ['Footwear']);
      user.setUserTag('vip');
      user.removeUserAttribute('old_attr');
      mParticle.Identity.modify({ userIdentities: { email: 'a@b.co', customerid: null } }, (r) => r.getUser().setUserAttributes({ $FirstName: 'Jane' }));`);
    expect(cs.map((c) => [c.kind, c.method, json(c.payload)])).toEqual([
      ['user_attributes', 'setUserAttribute', { loyalty_tier: 'gold' }],
      ['user_attributes', 'setUserAttributeList', { favorite_categories: ['Footwear'] }],
      ['user_attributes', 'setUserTag', { vip: null }],
      ['user_attribute_remove', 'removeUserAttribute', { old_attr: null }],
      ['user_identities', 'Identity.modify', { email: 'a@b.co', customerid: null }],
      ['user_attributes', 'setUserAttributes', { $FirstName: 'Jane' }],
    ]);
    expect(cs[0].sites['#/loyalty_tier'].keyLiteral).toMatchObject({ value: 'loyalty_tier' });
  });

  it('Node SDK: AppEvent (type first), ScreenViewEvent, CommerceEvent and batch user attributes', () => {
    const cs = calls(`
      const mParticle = require('mparticle');
      const batch = new mParticle.Batch(mParticle.Batch.Environment.development);
      batch.user_attributes = { loyalty_tier: 'gold' };
      const e = new mParticle.AppEvent(mParticle.AppEvent.CustomEventType.navigation, 'Navbar Click');
      e.custom_attributes = { label: 'Deals' };
      e.custom_attributes.position = 1;
      batch.addEvent(e);
      batch.addEvent(new mParticle.ScreenViewEvent('Home'));
      const c = new mParticle.CommerceEvent();
      c.product_action = new mParticle.ProductAction(mParticle.ProductAction.Action.remove_from_wish_list, 'T1', 1, [new mParticle.Product('SKU-1', 'A', 1, 1)]);
      batch.addEvent(c);`, '/virtual/server.js');
    expect(cs.map((c) => [c.kind, c.sdk, c.method, c.key && `${c.key.type}:${c.key.sub}:${c.key.name}`])).toEqual([
      ['user_attributes', 'node', 'batch.user_attributes', undefined],
      ['custom_event', 'node', 'new AppEvent', 'custom_event:navigation:Navbar Click'],
      ['screen_view', 'node', 'new ScreenViewEvent', 'screen_view::Home'],
      ['product_action', 'node', 'new CommerceEvent', 'product_action::remove_from_wish_list'],
    ]);
    expect(json(cs[1].payload).data.custom_attributes).toEqual({ label: 'Deals', position: 1 });
  });
});

describe('recognize: receivers', () => {
  const forms: Array<[string, string]> = [
    ['global', `mParticle.logEvent('A', 1)`],
    ['window', `window.mParticle.logEvent('A', 1)`],
    ['globalThis with optional chaining', `globalThis.mParticle?.logEvent?.('A', 1)`],
    ['computed member', `window['mParticle']['logEvent']('A', 1)`],
    ['default import', `import mp from '@mparticle/web-sdk'; mp.logEvent('A', 1)`],
    ['namespace import', `import * as mp from '@mparticle/web-sdk'; mp.default.logEvent('A', 1)`],
    ['named import', `import { logEvent, EventType } from '@mparticle/web-sdk'; logEvent('A', EventType.Navigation)`],
    ['require', `const mp = require('@mparticle/web-sdk'); mp.logEvent('A', 1)`],
    ['alias', `const mp = window.mParticle; mp.logEvent('A', 1)`],
    ['instance', `mParticle.getInstance('other').logEvent('A', 1)`],
    ['destructuring', `const { logEvent: log, EventType: { Navigation } } = mParticle; log('A', Navigation)`],
    ['method alias', `const log = mParticle.logEvent; log('A', 1)`],
    ['TS ambient declaration', `declare const mParticle: any; mParticle.logEvent('A', 1 as const)`],
  ];
  for (const [name, code] of forms) {
    it(name, () => {
      expect(one(code).key).toEqual({ type: 'custom_event', sub: 'navigation', name: 'A' });
    });
  }

  const traps: Array<[string, string]> = [
    ['another object\'s logEvent', `analytics.logEvent('A', 1); firebase.analytics().logEvent('A')`],
    ['a shadowing parameter', `function f(mParticle) { mParticle.logEvent('A', 1) }`],
    ['a shadowing local', `{ const mParticle = { logEvent() {} }; mParticle.logEvent('A', 1) }`],
    ['a shadowing window', `function f(window) { window.mParticle.logEvent('A', 1) }`],
    ['a named import of another library', `import { logEvent } from 'firebase/analytics'; logEvent(a, 'A')`],
    ['strings and comments', `const s = "mParticle.logEvent('A', 1)"; // mParticle.logEvent('B')`],
  ];
  for (const [name, code] of traps) {
    it(`not the SDK: ${name}`, () => {
      expect(calls(code, '/virtual/app.js')).toEqual([]);
    });
  }
});

describe('recognize: values', () => {
  const forms: Array<[string, string]> = [
    ['template literal', 'mParticle.logEvent(`A`, 1)'],
    ['const binding', `const N = 'A'; mParticle.logEvent(N, 1)`],
    ['let never reassigned', `let N = 'A'; mParticle.logEvent(N, 1)`],
    ['object map as const', `const E = { a: { name: 'A' } } as const; mParticle.logEvent(E.a.name, 1)`],
    ['computed member with const key', `const E = { x: 'A' }; const k = 'x'; mParticle.logEvent(E[k], 1)`],
    ['TS enum', `enum E { A = 'A' } mParticle.logEvent(E.A, 1)`],
    ['numeric TS enum for the type', `enum T { U, Navigation } mParticle.logEvent('A', T.Navigation)`],
    ['non-null and as', `const N: string | undefined = 'A'; mParticle.logEvent(N! as string, 1 as number)`],
    ['concatenation and template of constants', 'const P = \'\'; mParticle.logEvent(`${P}A`, 0 + 1)'],
    ['Object.freeze', `const E = Object.freeze({ a: 'A' }); mParticle.logEvent(E.a, 1)`],
    ['destructured const with default', `const { a = 'A' } = {}; mParticle.logEvent(a, 1)`],
  ];
  for (const [name, code] of forms) {
    it(name, () => {
      expect(one(code).key).toEqual({ type: 'custom_event', sub: 'navigation', name: 'A' });
    });
  }

  it('negative numbers and spreads of known objects', () => {
    const c = one(`const base = { a: 1, b: 2 }; mParticle.logEvent('A', 1, { ...base, b: -3, ...null })`);
    expect(json(c.payload).data.custom_attributes).toEqual({ a: 1, b: -3 });
    // the spread property is located at its own definition (same file)
    expect(c.sites['#/data/custom_attributes/a'].node.loc.start.column).toBe(15);
  });

  it('unresolved values are Unknown with a reason, located where they are written', () => {
    const c = one(`let n = 'A'; if (ok) n = 'B'; mParticle.logEvent('E', 1, { a: n, b: f(1), c: document.title, ...rest })`);
    const attrs = (c.payload as { data: { custom_attributes: Record<string, unknown> } }).data.custom_attributes;
    expect(attrs.a).toBeInstanceOf(Unknown);
    expect(c.unknowns.map((u) => [u.pointer, u.part, u.reason])).toEqual([
      ['#/data/custom_attributes', 'keys', '`...rest` spreads a value not known statically (`rest` is a global variable)'],
      ['#/data/custom_attributes/a', 'value', '`n` is reassigned (it is assigned in a branch before the call)'],
      ['#/data/custom_attributes/b', 'value', '`f(1)` is a call'],
      ['#/data/custom_attributes/c', 'value', '`document` is a global variable'],
    ]);
    expect(c.key).toBeDefined();
  });

  it('an unknown name means no match key', () => {
    const c = one(`items.forEach((item) => mParticle.logEvent(item.name, 1))`);
    expect(c.key).toBeUndefined();
    expect(c.unknowns).toMatchObject([{ pointer: '#/data/event_name', part: 'value', reason: '`item` is a parameter of an inline function' }]);
  });
});

describe('recognize: wrappers', () => {
  it('a local wrapper: its body is marked, its call sites are calls of their own', () => {
    const cs = calls(`
      function track(name, attrs) { mParticle.logEvent(name, mParticle.EventType.Navigation, attrs) }
      const page = (screen) => window.mParticle.logPageView(screen, { item_count: 1 });
      track('Navbar Click', { label: 'Shop' });
      page('Cart');`, '/virtual/app.js');
    expect(cs.map((c) => [c.callee, c.wrapper?.name, c.via.map((v) => `${v.name}:${v.how}`), c.key?.name, c.loc.start.line])).toEqual([
      ['mParticle.logEvent', 'track', [], undefined, 2],
      ['window.mParticle.logPageView', 'page', [], undefined, 3],
      ['track', undefined, ['track:detected'], 'Navbar Click', 4],
      ['page', undefined, ['page:detected'], 'Cart', 5],
    ]);
    // in the body, what the parameters receive is unknown and says so
    expect(cs[0].unknowns.map((u) => [u.pointer, u.parameter])).toEqual([['#/data/event_name', 'name'], ['#/data/custom_attributes', 'attrs']]);
    expect(json(cs[2].payload).data.custom_attributes).toEqual({ label: 'Shop' });
    expect(cs[2].sites['#/data/custom_attributes/label'].node.loc.start.line).toBe(4);
    // what the body writes is marked as the wrapper's
    expect(cs[3].sites['#/data/custom_attributes/item_count']).toMatchObject({ keyInWrapper: true, valueInWrapper: true });
    expect(cs[3].sites['#/data/screen_name'].valueInWrapper).toBeUndefined();
  });

  it('a wrapper passed around as a callback stays unverifiable in its body', () => {
    const cs = calls(`const handler = (e) => mParticle.logEvent(e.type, 1); el.addEventListener('click', handler);`);
    expect(cs).toHaveLength(1);
    expect(cs[0].key).toBeUndefined();
    expect(cs[0].wrapper).toBeUndefined();
    expect(cs[0].unknowns[0].parameter).toBeUndefined();
  });

  it('wrappers of wrappers, default parameters and object methods', () => {
    const cs = calls(`
      function track(name, type = mParticle.EventType.Other, attrs) { mParticle.logEvent(name, type, attrs) }
      const nav = (label) => track('Navbar Click', mParticle.EventType.Navigation, { label });
      const analytics = { screen(name) { mParticle.logPageView(name, {}) } };
      nav('Deals');
      track('Chat Opened');
      analytics.screen('Home');`, '/virtual/app.js').filter((c) => !c.wrapper);
    expect(cs.map((c) => [c.key && `${c.key.type}:${c.key.sub}:${c.key.name}`, c.via.map((v) => v.name).join('>')])).toEqual([
      ['custom_event:navigation:Navbar Click', 'nav>track'],
      ['custom_event:other:Chat Opened', 'track'],
      ['screen_view::Home', 'analytics.screen'],
    ]);
  });

  it('wrappers declared in settings', () => {
    const cs = recognize(parseSource(`trackEvent('Navbar Click', { label: 'Shop' }, 'navigation'); analytics.page('Home', { a: 1 });`, '/v/a.js'), {
      wrappers: [{ name: 'trackEvent', typeArg: 2 }, { name: 'analytics.page', kind: 'screen_view' }],
    });
    expect(cs.map((c) => [c.key && `${c.key.type}:${c.key.sub}:${c.key.name}`, c.via[0].how])).toEqual([
      ['custom_event:navigation:Navbar Click', 'settings'],
      ['screen_view::Home', 'settings'],
    ]);
  });
});

describe('recognize: project modules', () => {
  it('follows constants, enums, namespaces, default and re-exports, and imported wrappers', () => {
    const cs = recognizeFile(join(MODULES, 'app.ts'));
    expect(cs.every((c) => !c.wrapper)).toBe(true);
    expect(cs.map((c) => [c.loc.start.line, c.key && `${c.key.type}:${c.key.sub}:${c.key.name}`, c.via.map((v) => v.name).join('>')])).toEqual([
      [8, 'custom_event:navigation:Navbar Click', ''],
      [9, 'screen_view::Cart', ''],
      [10, 'custom_event:search:Search Performed', ''],
      [11, 'custom_event:user_preference:Newsletter Signup', ''],
      [12, 'custom_event:navigation:Navbar Click', ''],
      [13, 'custom_event:search:Search Performed', 'trackSearch'],
      [14, 'custom_event:navigation:Navbar Click', 'navigate'],
      [15, 'screen_view::Home', ''],
    ]);
    expect(json(cs[0].payload).data.custom_attributes).toEqual({ label: 'Shop', source: 'web' });
    expect(json(cs[5].payload).data.custom_attributes).toEqual({ query: 'shoes', sort: 'price_asc', result_count: 0 });
    // a value from another file is located at the use in this file
    expect(cs[0].sites['#/data/custom_attributes/source'].node.type).toBe('SpreadElement');
    expect(cs[0].sites['#/data/event_name'].literal).toBeUndefined();
    expect(cs[2].unknowns[0].reason).toBe('`formatPrice(3)` is a call');
  });

  it('the module with the wrappers: exported wrappers are marked, the other call is a plain call', () => {
    const cs = recognizeFile(join(MODULES, 'analytics.ts'));
    expect(cs.map((c) => [c.wrapper?.name, c.key?.name])).toEqual([['trackSearch', 'Search Performed'], ['trackNav', 'Navbar Click'], [undefined, 'App Ready']]);
    expect(cs[0].unknowns.map((u) => u.parameter)).toEqual(['query', 'sort']);
  });
});

describe('recognize: works on ESLint SourceCode from espree and typescript-eslint', () => {
  function viaLinter(code: string, parser?: Linter.Parser): RecognizedCall[] {
    let got: RecognizedCall[] = [];
    const linter = new Linter({ configType: 'flat' });
    const messages = linter.verify(code, [{
      files: ['**/*.ts', '**/*.js'],
      ...(parser ? { languageOptions: { parser } } : {}),
      plugins: { t: { rules: { r: { create(context) { got = recognize(context.sourceCode as unknown as SourceLike, { file: context.filename }); return {}; } } } } },
      rules: { 't/r': 'error' },
    }], parser ? 'app.ts' : 'app.js');
    expect(messages).toEqual([]);
    return got;
  }
  const code = `const mp = window.mParticle; const { EventType } = mp; function f(mParticle) { mParticle.logEvent('x') } mp.logEvent('A', EventType.Search, { q: 1 });`;
  it('espree', () => {
    expect(viaLinter(code).map((c) => c.key?.name)).toEqual(['A']);
  });
  it('typescript-eslint', async () => {
    const ts = await import('typescript-eslint');
    expect(viaLinter(code + ' enum E { A = 1 } mp.logEvent(`B`, E.A as number);', ts.parser as Linter.Parser).map((c) => c.key?.name)).toEqual(['A', 'B']);
  });
});

describe('recognize: values inside wrappers are read per call site', () => {
  it('a local derived from a parameter is not cached across call sites', () => {
    const cs = calls(`
      function track(name, label, type) {
        const n = name;
        const attrs = { label };
        const t = type ?? mParticle.EventType.Other;
        mParticle.logEvent(n, t, attrs);
      }
      track('A', 'x', 1);
      track('B', 'y');`, '/virtual/app.js').filter((c) => !c.wrapper);
    expect(cs.map((c) => [c.key && `${c.key.sub}:${c.key.name}`, json(c.payload).data.custom_attributes])).toEqual([
      ['navigation:A', { label: 'x' }],
      ['other:B', { label: 'y' }],
    ]);
  });
});
