import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTracking } from '../../src/scan/codegen/index.js';
import { loadProjectFiles } from '../../src/scan/index.js';
import { BUNDLED_PLAN } from '../../src/cli/plan-option.js';
import { loadPlan } from '../../src/validate/index.js';
import { runCli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'scan');
const WEB = join(FIX, 'web-shop');
const tmp = mkdtempSync(join(tmpdir(), 'dataplan-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Site { file: string; line: number; column: number; callee: string; via: { name: string; file?: string }[] }
interface Json {
  summary: Record<string, number>;
  configs: string[];
  uncovered: { match_key: string }[];
  unplanned: (Site & { kind: string; name: string; custom_event_type?: string; suggestion?: { key: string } })[];
  unverifiable: (Site & { part: string; reasons: { pointer: string; reason: string }[] })[];
  violations: (Site & { violation: string; key: string })[];
  unreadable: { file: string; line?: number; message: string }[];
  data_points: { match_key: string; status: string; reason?: string; call_sites: Site[]; keys?: { never_set: string[] } }[];
}

async function scanJson(args: string[]): Promise<{ code: number; json: Json; stderr: string }> {
  const out = await runCli(['scan', ...args, '--format', 'json']);
  return { code: out.code, json: JSON.parse(out.stdout) as Json, stderr: out.stderr };
}
const sites = (j: Json, key: string) => j.data_points.find((d) => d.match_key === key)!.call_sites.map((s) => `${s.file}:${s.line}${s.via.length ? ` via ${s.via.map((v) => v.name).join('>')}` : ''}`);

describe('scan a TSX/JS project with tsconfig paths, wrappers and cross-file constants', async () => {
  const { code, json } = await scanJson([WEB]);

  it('honours tsconfig.json: include, exclude, allowJs; node_modules and files outside include are not scanned', () => {
    expect(code).toBe(0);
    expect(json.configs).toEqual([join(WEB, 'tsconfig.json')]);
    expect(json.summary.files).toBe(8);
    const text = JSON.stringify(json);
    for (const never of ['Seed Script Event', 'Storybook Only Event', 'Dependency Event']) expect(text).not.toContain(never);
  });

  it('call sites per data point, through wrappers and constants imported across files (relative and "@/" paths)', () => {
    expect(sites(json, 'screen_view::Home')).toEqual(['src/pages/Home.tsx:5 via trackScreen']);
    expect(sites(json, 'screen_view::Cart')).toEqual(['src/pages/Cart.tsx:6']);
    expect(sites(json, 'custom_event:navigation:Navbar Click')).toEqual(['src/pages/Cart.tsx:11 via trackNav', 'src/pages/Home.tsx:8 via trackNav', 'src/pages/Home.tsx:9 via trackNav']);
    expect(sites(json, 'custom_event:search:Search Performed')).toEqual(['src/App.tsx:11 via search']);
    expect(sites(json, 'product_action:add_to_cart')).toEqual(['src/pages/Cart.tsx:8']);
    expect(sites(json, 'user_attributes')).toEqual(['src/App.tsx:9 via profile']);
    expect(json.data_points.find((d) => d.match_key === 'user_attributes')!.keys!.never_set).not.toContain('loyalty_tier');
  });

  it('data points planned but never called; types no SDK call produces are not counted', () => {
    const uncovered = json.uncovered.map((u) => u.match_key);
    expect(uncovered).toContain('screen_view::Product Detail');
    expect(uncovered).toContain('product_action:purchase');
    expect(uncovered).toContain('user_identities');
    expect(uncovered).not.toContain('session_start');
    expect(json.data_points.find((d) => d.match_key === 'session_start')).toMatchObject({ status: 'not_checked', reason: 'sent by the SDKs themselves' });
    expect(json.summary).toMatchObject({ checked: 26, covered: 7, uncovered: 19, not_checked: 9 });
  });

  it('calls not in the plan, with file:line and the name and type they use', () => {
    expect(json.unplanned.map((u) => [`${u.file}:${u.line}:${u.column}`, u.kind, u.name, u.custom_event_type, u.suggestion?.key])).toEqual([
      ['src/legacy/search.js:8:3', 'custom_event', 'Navbar Clicked', 'navigation', 'Navbar Click'],
      ['src/util/dynamic.ts:15:3', 'user_attributes', 'favourite_colour', undefined, undefined],
    ]);
  });

  it('calls that cannot be verified, and why', () => {
    expect(json.unverifiable.map((u) => [`${u.file}:${u.line}`, u.part, u.reasons.map((r) => r.reason).join('; ')])).toEqual([
      ['src/pages/Cart.tsx:10', 'event', expect.stringMatching(/^the SDK drops this call: ProductActionType.AddToWishList does not exist/)],
      ['src/App.tsx:10', 'attributes', '`...extra` spreads a value not known statically (`extraFromServer` is a global variable)'],
      ['src/util/dynamic.ts:7', 'event', '`nameFromServer()` is a call'],
    ]);
  });

  it('attribute problems of planned calls, at the wrapper call site that passes the value', () => {
    expect(json.violations.map((v) => [`${v.file}:${v.line}`, v.violation, v.key])).toEqual([['src/pages/Home.tsx:9', 'invalid_expected_value', 'label']]);
  });

  it('a file that does not parse is listed; every other file is still scanned', () => {
    expect(json.unreadable).toEqual([{ file: 'src/util/broken.ts', line: 3, column: expect.any(Number), message: "',' expected." }]);
  });
});

describe('project shapes', () => {
  it('no tsconfig: every JS/TS file under the directory except node_modules and dist; Node SDK calls too', async () => {
    const { json } = await scanJson([join(FIX, 'plain-js')]);
    expect(json.configs).toEqual([]);
    expect(json.summary.files).toBe(2);
    expect(sites(json, 'custom_event:navigation:Navbar Click')).toEqual(['server/report.cjs:7']);
    expect(sites(json, 'user_attributes')).toEqual(['server/report.cjs:6']);
    expect(json.unplanned.map((u) => u.name)).toEqual(['Promo Clicked']);
  });

  it('--wrappers: a wrapper from a package, declared like the ESLint settings', async () => {
    const without = await scanJson([join(FIX, 'plain-js')]);
    expect(sites(without.json, 'custom_event:search:Search Performed')).toEqual([]);
    const { json } = await scanJson([join(FIX, 'plain-js'), '--wrappers', join(FIX, 'plain-js', 'wrappers.json')]);
    expect(sites(json, 'custom_event:search:Search Performed')).toEqual(['src/app.js:11 via track']);
  });

  it('a solution-style tsconfig: every referenced project, each with its own include', async () => {
    const root = join(FIX, 'refs');
    const p = loadProjectFiles(root);
    expect(p.configs.map((c) => c.slice(root.length + 1))).toEqual(['tsconfig.json', 'packages/app/tsconfig.json', 'packages/server/tsconfig.server.json']);
    expect(p.files.map((f) => f.slice(root.length + 1))).toEqual(['packages/app/src/main.tsx', 'packages/server/checkout.js']);
    const { json } = await scanJson([root]);
    expect(sites(json, 'promotion_action:view')).toEqual(['packages/server/checkout.js:2']);
  });

  it('uses a generated tracking module: only the functions the app calls cover their data points', async () => {
    const dir = mkdtempSync(join(tmp, 'codegen-'));
    writeFileSync(join(dir, 'tracking.ts'), generateTracking(loadPlan(BUNDLED_PLAN)).text);
    writeFileSync(join(dir, 'app.ts'), [
      "import { logNavbarClick, logCartPageView, setUserAttributes } from './tracking';",
      "logNavbarClick({ label: 'Deals' });",
      'logCartPageView({ item_count: 1 });',
      "setUserAttributes({ loyalty_tier: 'gold' });",
    ].join('\n'));
    const { json } = await scanJson([dir]);
    expect(json.data_points.filter((d) => d.status === 'covered').map((d) => `${d.match_key} ${d.call_sites.map((s) => `${s.file}:${s.line}`).join(',')}`)).toEqual([
      'screen_view::Cart app.ts:3',
      'custom_event:navigation:Navbar Click app.ts:2',
      'user_attributes app.ts:4',
    ]);
    expect(json.unplanned).toEqual([]);
    expect(json.unverifiable).toEqual([]);
    expect(json.violations).toEqual([]);
  });
});

describe('a wrapper nobody in the project calls', () => {
  it('covers nothing, but what its body writes itself is reported, as the ESLint plugin does', async () => {
    const dir = mkdtempSync(join(tmp, 'unused-wrapper-'));
    writeFileSync(join(dir, 'nav.ts'), [
      "import mParticle from '@mparticle/web-sdk';",
      'export function trackNav(label: string) {',
      "  mParticle.logEvent('Navbar Clik', mParticle.EventType.Navigation, { label });",
      '}',
    ].join('\n'));
    const { json } = await scanJson([dir]);
    expect(json.unplanned.map((u) => `${u.file}:${u.line} ${u.name} ${u.suggestion?.key}`)).toEqual(['nav.ts:3 Navbar Clik Navbar Click']);
    expect(json.data_points.filter((d) => d.status === 'covered')).toEqual([]);
  });
});

describe('dataplan scan CLI', () => {
  it('--fail-on: exit 1 only for the categories named', async () => {
    expect((await runCli(['scan', WEB, '--format', 'json'])).code).toBe(0);
    const un = await runCli(['scan', WEB, '--format', 'json', '--fail-on', 'unplanned']);
    expect(un.code).toBe(1);
    expect(un.stderr).toContain('--fail-on: 2 calls not in the plan');
    expect((await runCli(['scan', join(FIX, 'refs'), '--format', 'json', '--fail-on', 'unplanned,unverifiable'])).code).toBe(0);
    expect((await runCli(['scan', join(FIX, 'refs'), '--format', 'json', '--fail-on', 'uncovered'])).code).toBe(1);
    expect((await runCli(['scan', WEB, '--fail-on', 'violations', '--fail-on', 'unverifiable'])).code).toBe(1);
  });

  it.each([
    [['scan', WEB, '--fail-on', 'unplaned'], /unknown category "unplaned"/],
    [['scan', join(tmp, 'nope')], /nope: not a directory/],
    [['scan', WEB, '--plan', join(FIX, '..', 'plans', 'acme_web_shop.list.json')], /list of data plans/],
    [['scan', WEB, '--project', join(WEB, 'missing.json')], /missing.json: project file not found/],
    [['scan', WEB, '--version', '9'], /has no version 9/],
  ])('unusable input exits 2: %j', async (argv, msg) => {
    const out = await runCli(argv);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(msg);
  });

  it('a wrappers file is checked like the ESLint settings', async () => {
    const f = join(tmp, 'wrappers.json');
    writeFileSync(f, JSON.stringify([{ name: 'track', nameArgs: 0 }]));
    const out = await runCli(['scan', WEB, '--wrappers', f]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/wrappers\[0\]\.nameArgs is not a wrapper setting/);
  });

  it('a broken tsconfig is unusable input', async () => {
    const dir = mkdtempSync(join(tmp, 'badcfg-'));
    cpSync(join(FIX, 'plain-js', 'src'), join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "allowJs": true }, "include": ["src"], "extends": "./nope.json" }');
    const out = await runCli(['scan', dir]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/tsconfig.json: cannot read the project config/);
  });

  it('pretty: a table and totals; markdown: a PR comment', async () => {
    const pretty = await runCli(['scan', WEB]);
    expect(pretty.stdout).toMatch(/✓ custom_event:navigation:Navbar Click +3 +src\/pages\/Cart.tsx:11:\d+ via trackNav \+2 more/);
    expect(pretty.stdout).toMatch(/✗ product_action:purchase +0 +never called/);
    expect(pretty.stdout).toMatch(/Coverage: 7 of 26 data points called \(27%\); 19 never called, 9 not checked\. 13 calls: 2 not in the plan, 3 unverifiable, 1 attribute problems\./);
    const md = await runCli(['scan', WEB, '--format', 'markdown']);
    expect(md.stdout).toContain('### Data plan coverage: acme_web_shop v2');
    expect(md.stdout).toContain('**7 of 26** data points called (27%) · 19 never called · 2 calls not in the plan · 3 unverifiable · 8 files scanned');
    expect(md.stdout).toContain('| `src/legacy/search.js:8:3` | `mParticle.logEvent` | custom_event "Navbar Clicked" (navigation) | did you mean "Navbar Click"? |');
  });

  it('a progress bar on stderr when asked (and on a terminal)', async () => {
    const out = await runCli(['scan', WEB, '--progress', '--format', 'json']);
    expect(out.stderr).toMatch(/\rscanning \[█+░*\] \d+\/8 files/);
    expect(out.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect((await runCli(['scan', WEB, '--format', 'json'])).stderr).toBe('');
  });

  it('defaults: the current directory and the bundled plan', async () => {
    const out = await runCli(['scan', '--format', 'json'], { cwd: join(FIX, 'refs') });
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.plan).toBe(BUNDLED_PLAN);
    expect(json.root).toBe(join(FIX, 'refs'));
    expect(readFileSync(BUNDLED_PLAN, 'utf8').length).toBeGreaterThan(0);
  });
});
