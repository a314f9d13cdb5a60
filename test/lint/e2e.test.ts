/**
 * End to end: ESLint's Node API (ESLint 10 and ESLint 9) with the fixture app's own eslint.config.js
 * (configs.recommended; web/ planned by mp.config.json, kiosk/ by settings.dataplan.plan), JS + TS + TSX + CJS.
 */
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import { ESLint as ESLint9 } from 'eslint9';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { FIXTURES } from './helpers.js';

const APP = join(FIXTURES, 'lint', 'app');

type Row = [file: string, line: number, column: number, rule: string | null, message: string];

async function lint(Eslint: typeof ESLint | typeof ESLint9, options: Record<string, unknown> = {}): Promise<Row[]> {
  const eslint = new (Eslint as typeof ESLint)({ cwd: APP, ...options });
  const results = await eslint.lintFiles(['.']);
  const rows: Row[] = [];
  for (const r of results) for (const m of r.messages) rows.push([relative(APP, r.filePath), m.line, m.column, m.ruleId, m.message]);
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return rows.sort((a, b) => cmp(a[0], b[0]) || a[1] - b[1] || a[2] - b[2] || cmp(a[4], b[4]));
}

const RECOMMENDED: Row[] = [
  ['kiosk/screens.ts', 6, 20, 'dataplan/no-unplanned-event', 'Unplanned event: custom_event "Sign Up Click" (navigation) is not in the data plan; did you mean "Sign Up Clicked"?'],
  ['kiosk/screens.ts', 7, 73, 'dataplan/valid-attribute-value', 'Attribute "placement" on custom_event "Sign Up Clicked" (navigation) should be one of "header", "footer", got "sidebar"'],
  ['kiosk/screens.ts', 8, 23, 'dataplan/no-unplanned-screen', 'Unplanned event: screen_view "Cart" is not in the data plan'],
  ['web/server/report.cjs', 6, 51, 'dataplan/valid-user-attribute-value', 'User attribute "lifetime_orders" should be >= 0, got -2'],
  ['web/server/report.cjs', 8, 47, 'dataplan/no-unplanned-attribute', 'Unplanned attribute "referrer" on custom_event "Navbar Click" (navigation)'],
  ['web/src/Header.tsx', 7, 34, 'dataplan/valid-attribute-value', 'Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Blog"'],
  ['web/src/Header.tsx', 9, 41, 'dataplan/valid-attribute-value', 'Attribute "channel" on custom_event "Product Shared" (social) should be one of "facebook", "x", "email", "copy_link", got "fax"'],
  ['web/src/checkout.ts', 4, 134, 'dataplan/valid-attribute-value', 'Product attribute "size" (product 0) on product_action add_to_cart should be one of "XS", "S", "M", "L", "XL", got "XXL"'],
  ['web/src/checkout.ts', 4, 134, 'dataplan/valid-attribute-value', 'Product attribute "size" (product 0) on product_action view_detail should be one of "XS", "S", "M", "L", "XL", got "XXL"'],
  ['web/src/checkout.ts', 16, 40, 'dataplan/no-unplanned-commerce-action', 'ProductActionType.AddToWishList does not exist (undefined at run time), so the SDK drops this event; did you mean ProductActionType.AddToWishlist?'],
  ['web/src/checkout.ts', 20, 22, 'dataplan/no-unplanned-event', 'Unplanned event: custom_event "Coupon Applyed" (transaction) is not in the data plan; did you mean "Coupon Applied"?'],
  ['web/src/checkout.ts', 25, 39, 'dataplan/valid-user-attribute-value', 'User attribute "loyalty_tier" should be one of "bronze", "silver", "gold", "platinum", got "Gold"'],
  ['web/src/checkout.ts', 26, 39, 'dataplan/no-unplanned-user-attribute', 'Unplanned user attribute "shoe_size"'],
  ['web/src/nav.js', 7, 38, 'dataplan/no-wrong-event-type', 'Unplanned event: custom_event "Navbar Click" (other) is not in the data plan; "Navbar Click" is planned as custom_event_type navigation'],
  ['web/src/nav.js', 11, 100, 'dataplan/valid-attribute-value', 'Attribute "sort" on custom_event "Search Performed" (search) should be one of "relevance", "price_asc", "price_desc", "newest", got "cheapest"'],
  ['web/src/nav.js', 15, 50, 'dataplan/no-unplanned-attribute', 'Unplanned attribute "cart_total" on screen_view "Cart"'],
];

describe('ESLint Node API over the fixture app with configs.recommended', () => {
  it('ESLint 10: exactly the expected diagnostics', async () => {
    expect(await lint(ESLint)).toEqual(RECOMMENDED);
  });

  it('ESLint 9: the same diagnostics', async () => {
    expect(await lint(ESLint9)).toEqual(RECOMMENDED);
  });

  it('configs.strict adds the calls that cannot be verified', async () => {
    const rows = await lint(ESLint, { overrideConfig: [{ rules: { 'dataplan/no-unverifiable-call': 'error' } }] });
    const extra = rows.filter((r) => r[3] === 'dataplan/no-unverifiable-call');
    expect(extra).toEqual([
      ['web/src/nav.js', 24, 72, 'dataplan/no-unverifiable-call', 'Cannot verify mParticle.logEvent against the data plan: event name: `a` is a parameter of an inline function'],
    ]);
    expect(rows.length).toBe(RECOMMENDED.length + 1);
  });
});

describe('plan loading through the Node API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataplan-lint-'));
  const planFile = join(dir, 'plan.json');
  const tiny = readFileSync(join(FIXTURES, 'plans', 'tiny_plan.document.json'), 'utf8');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const eslintFor = (Eslint: typeof ESLint | typeof ESLint9) => new (Eslint as typeof ESLint)({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      plugin.configs.recommended,
      { settings: { dataplan: { plan: planFile } } },
    ],
  });
  const code = `mParticle.logPageView('Home'); mParticle.logPageView('Settings');\nmParticle.logEvent('Sign Up Clicked', 1, { placement: 'header' });`;
  const run = async (Eslint: typeof ESLint | typeof ESLint9 = ESLint) => (await eslintFor(Eslint).lintText(code, { filePath: join(dir, 'a.ts') }))[0].messages.map((m) => `${m.line}:${m.column} ${m.message}`);

  it('reloads the plan when its file changes, without a new process', async () => {
    writeFileSync(planFile, tiny);
    expect(await run()).toEqual(['1:54 Unplanned event: screen_view "Settings" is not in the data plan']);
    const plan = JSON.parse(tiny);
    plan.data_points[0].match.criteria.screen_name = 'Settings';
    writeFileSync(planFile, JSON.stringify(plan));
    utimesSync(planFile, new Date(), new Date(Date.now() + 5000));
    expect(await run(ESLint9)).toEqual(['1:23 Unplanned event: screen_view "Home" is not in the data plan']);
  });

  it('a broken plan is one diagnostic per file naming the file and the problem, then recovers', async () => {
    writeFileSync(planFile, '{ "data_points": [ }');
    utimesSync(planFile, new Date(), new Date(Date.now() + 10000));
    const msgs = await run();
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(new RegExp(`^1:1 dataplan: data plan ${planFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from settings\\.dataplan\\.plan\\) cannot be used: ${planFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:\\d+: `));
    writeFileSync(planFile, tiny);
    utimesSync(planFile, new Date(), new Date(Date.now() + 15000));
    expect(await run()).toEqual(['1:54 Unplanned event: screen_view "Settings" is not in the data plan']);
  });
});
