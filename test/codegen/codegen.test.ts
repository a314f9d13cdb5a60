import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { Project } from 'ts-morph';
import dataplan from '../../src/lint/index.js';
import { generateTracking } from '../../src/scan/codegen/index.js';
import { BUNDLED_PLAN } from '../../src/cli/plan-option.js';
import { loadPlan } from '../../src/validate/index.js';
import { runCli } from '../helpers/cli.js';
import { STRICT, typecheck } from '../helpers/compile.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'plans');
const acme = loadPlan(BUNDLED_PLAN);
const tmp = mkdtempSync(join(tmpdir(), 'dataplan-codegen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const GOOD_USE = `
import { DATA_PLAN, identityRequest, logCartPageView, logHomePageView, logNavbarClick, logProductPurchase, logPromotionView, logProductImpression, logReviewSubmitted, setUserAttributes } from './acme.js';
export const config = { dataPlan: DATA_PLAN };
logHomePageView();
logHomePageView({ anything: 'goes' });
logCartPageView({ item_count: 2, cart_value: 59.9 });
logNavbarClick({ label: 'Deals', position: 2 });
logReviewSubmitted({ rating: 5, has_photo: true });
logProductPurchase({
  products: [{ name: 'Tee', sku: 'SKU-00001', price: 20, quantity: 1, attributes: { size: 'M' } }],
  transaction: { id: 'ORD-000001', revenue: 20 },
  attributes: { payment_method: 'card' },
});
logPromotionView({ promotions: [{ id: 'summer', creative: 'hero.png' }] });
logProductImpression({ impressions: [{ list: 'Search results', products: [{ name: 'Tee', sku: 'SKU-00001', price: 20 }] }] });
setUserAttributes({ loyalty_tier: 'gold', lifetime_orders: 3, favorite_categories: ['Apparel'] });
export const request = identityRequest({ customerid: 'C1234567', email: 'a@b.co' });
`;

// Each line breaks the plan; the compiler must say so (line → TypeScript error code).
const BAD_USE: [string, number, string][] = [
  ["logNavbarClick({ label: 'Sale' });", 2322, '"Sale"'], // not in the enum
  ['logNavbarClick({ position: 1 });', 2345, 'label'], // label is required
  ["logNavbarClick({ label: 'Deals', colour: 'red' });", 2353, 'colour'], // unplanned attribute (closed object)
  ["logNavbarClick({ label: 'Deals', position: '2' });", 2322, 'number'], // number expected
  ['logReviewSubmitted({ rating: 6 });', 2322, '6'], // numeric enum
  ['logCartPageView({ cart_value: 3 });', 2345, 'item_count'], // item_count required
  ["logProductPurchase({ products: [{ name: 'Tee', sku: 'SKU-00001', price: 20 }], transaction: { id: 'ORD-000001', revenue: 1 }, attributes: { payment_method: 'card' } });", 2322, 'quantity'], // quantity required on purchase products
  ["logProductPurchase({ products: [], transaction: { id: 'ORD-000001' }, attributes: { payment_method: 'card' } });", 2322, 'revenue'], // total_amount required
  ["setUserAttributes({ loyalty_tier: 'diamond' });", 2322, '"diamond"'],
  ["setUserAttributes({ newsletter_opt_in: 'yes' });", 2322, 'boolean'],
];

describe('codegen', () => {
  const imported = generateTracking(acme, { source: 'acme_web_shop.json' });
  const global = generateTracking(acme, { sdk: 'global', source: 'acme_web_shop.json' });
  const streamly = generateTracking(loadPlan(join(FIX, 'streamly_tv-3.version.json')));

  it('one function per callable data point, named after it', () => {
    const v2 = acme.getVersion()!.version.points;
    expect(imported.functions.length + imported.skipped.length).toBe(v2.length);
    expect(imported.functions.slice(0, 6).map((f) => `${f.name} ${f.match_key}`)).toEqual([
      'logHomePageView screen_view::Home',
      'logProductDetailPageView screen_view::Product Detail',
      'logCartPageView screen_view::Cart',
      'logCheckoutPageView screen_view::Checkout',
      'logNavbarClick custom_event:navigation:Navbar Click',
      'logSearchPerformed custom_event:search:Search Performed',
    ]);
    expect(imported.skipped.map((s) => s.match_key)).toEqual(['application_state_transition:application_initialized', 'session_start', 'session_end', 'first_run', 'breadcrumb', 'network_performance', 'uninstall']);
  });

  it('types attribute objects from the schemas: enums as unions, required vs optional, numbers, booleans', () => {
    expect(imported.text).toContain([
      'export type NavbarClickAttributes = {',
      '  /** Text of the nav item */',
      "  label: 'Shop' | 'Deals' | 'Help' | 'Account' | 'Cart';",
      '  /**',
      '   * 0-based index',
      '   * Must match: minimum 0, maximum 20.',
      '   */',
      '  position?: number;',
      '};',
    ].join('\n'));
    expect(imported.text).toContain('  rating: 1 | 2 | 3 | 4 | 5;\n  has_photo?: boolean;');
    expect(imported.text).toContain("  mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, attributes);");
    expect(imported.text).toContain('mParticle.eCommerce.logProductAction(mParticle.ProductActionType.RemoveFromWishlist,');
    expect(imported.text).toContain("export const DATA_PLAN = { planId: 'acme_web_shop', planVersion: 2 } as const;");
  });

  it('is deterministic and already formatted', () => {
    expect(generateTracking(acme, { source: 'acme_web_shop.json' }).text).toBe(imported.text);
    const f = new Project({ useInMemoryFileSystem: true }).createSourceFile('x.ts', imported.text);
    f.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
    expect(f.getFullText()).toBe(imported.text);
  });

  it('compiles under tsc --strict against @mparticle/web-sdk + @types/mparticle__web-sdk, and its types reject off-plan calls', () => {
    const bad = `import { logNavbarClick, logReviewSubmitted, logCartPageView, logProductPurchase, setUserAttributes } from './acme.js';\n${BAD_USE.map(([l]) => l).join('\n')}\n`;
    const diags = typecheck({ 'acme.ts': imported.text, 'acme-global.ts': global.text, 'streamly.ts': streamly.text, 'use.ts': GOOD_USE, 'bad.ts': bad }, STRICT);
    expect(diags.filter((d) => d.file !== 'bad.ts')).toEqual([]);
    const byLine = new Map(diags.filter((d) => d.file === 'bad.ts').map((d) => [d.line, d]));
    BAD_USE.forEach(([line, code, mentions], i) => {
      expect(byLine.get(i + 2)?.code, line).toBe(code);
      expect(byLine.get(i + 2)!.message, line).toContain(mentions);
    });
    expect(byLine.size).toBe(BAD_USE.length);
  }, 30_000);

  it('passes dataplan/eslint (every rule, strict) with no diagnostics, and the plugin checks its call sites through it', async () => {
    const dir = mkdtempSync(join(tmp, 'lint-'));
    const files: Record<string, string> = {
      'acme.ts': imported.text, 'acme-global.ts': global.text, 'streamly.ts': streamly.text, 'use.ts': GOOD_USE,
      'bad.ts': `import { logNavbarClick, setUserAttributes } from './acme.js';\nlogNavbarClick({ label: 'Sale' });\nsetUserAttributes({ loyalty_tier: 'diamond' });\n`,
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const eslint = new ESLint({
      cwd: dir, overrideConfigFile: true,
      overrideConfig: [
        { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
        dataplan.configs.strict,
        { settings: { dataplan: { plan: BUNDLED_PLAN } } },
        { files: ['streamly.ts'], settings: { dataplan: { plan: join(FIX, 'streamly_tv-3.version.json') } } },
      ],
    });
    const results = await eslint.lintFiles(Object.keys(files).map((f) => join(dir, f)));
    const rows = results.flatMap((r) => r.messages.map((m) => `${r.filePath.slice(dir.length + 1)}:${m.line} ${m.ruleId} ${m.message}`));
    expect(rows).toEqual([
      'bad.ts:2 dataplan/valid-attribute-value Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Sale"',
      'bad.ts:3 dataplan/valid-user-attribute-value User attribute "loyalty_tier" should be one of "bronze", "silver", "gold", "platinum", got "diamond"',
    ]);
  }, 30_000);

  it('dataplan codegen --out writes the module; --check tells stale from current', async () => {
    const out = join(tmp, 'src', 'tracking.ts');
    const w = await runCli(['codegen', '--plan', BUNDLED_PLAN, '--out', out]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/wrote .*tracking.ts: 28 functions, 7 data points without one/);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('Generated by `dataplan codegen` from ../../');
    expect((await runCli(['codegen', '--plan', BUNDLED_PLAN, '--out', out, '--check'])).code).toBe(0);
    writeFileSync(out, text.replace('Navbar Click', 'Navbar Clicks'));
    const stale = await runCli(['codegen', '--plan', BUNDLED_PLAN, '--out', out, '--check']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/is stale/);
    expect((await runCli(['codegen', '--plan', BUNDLED_PLAN, '--out', join(tmp, 'none.ts'), '--check'])).code).toBe(1);
  });

  it('prints to stdout by default and picks a version', async () => {
    const v1 = await runCli(['codegen', '--version', '1']);
    expect(v1.code).toBe(0);
    expect(v1.stdout).toContain("planVersion: 1 }");
    expect(v1.stdout).not.toContain('logProductRefund');
    expect((await runCli(['codegen', '--version', '5'])).code).toBe(2);
    expect((await runCli(['codegen', '--check'])).code).toBe(2);
  });
});
