/**
 * The package as a user gets it: `npm pack`, installed into an empty project next to ESLint alone
 * (from the npm cache when it can), then the README's eslint.config.js run by that ESLint, the README's
 * API example run by Node, the declarations checked by tsc, and the binary run from node_modules/.bin.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const SLOW = { timeout: 300_000 };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const versionOf = (name: string) => JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced block right after `<!-- marker -->` in the README. */
function readmeBlock(marker: string): string {
  const at = readme.indexOf(`<!-- ${marker}`);
  const m = /```\w*\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !m) throw new Error(`README has no block after <!-- ${marker}`);
  return m[1];
}

let work: string;
let app: string;
let tarball: string;
let install: { status: number | null; stderr: string };

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist', 'index.js')), 'run npm run build first').toBe(true);
  work = mkdtempSync(join(tmpdir(), 'dataplan-packed-'));
  // --ignore-scripts: dist/ is already built by `npm test`; prepack would rebuild it under other tests' feet.
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  tarball = join(work, name);
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const r = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', `eslint@${versionOf('eslint')}`, tarball], { cwd: app, encoding: 'utf8', timeout: 240_000 });
  install = { status: r.status, stderr: r.stderr };
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }), 300_000);

describe('the tarball', SLOW, () => {
  const files = () => execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
  it('has the LICENSE, README, bin and built code, and no source maps', () => {
    const list = files();
    for (const f of ['LICENSE', 'README.md', 'package.json', 'bin/dataplan.js', 'dist/index.js', 'dist/index.d.ts', 'dist/lint/index.js', 'dist/eslint.js', 'docs/rules/no-unplanned-event.md', 'plans/acme_web_shop.json']) expect(list).toContain(f);
    expect(list.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(list.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    const js = list.filter((f) => f.startsWith('dist/') && f.endsWith('.js'));
    const mapped = js.filter((f) => readFileSync(join(app, 'node_modules', 'dataplan', f), 'utf8').includes('sourceMappingURL'));
    expect(mapped).toEqual([]);
  });
  it('builds before packing, not when installed; says where the project lives', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.prepack).toMatch(/build/);
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\//);
    expect(pkg.peerDependencies.eslint).toBe('^9.0.0 || ^10.0.0');
  });
});

describe('installed next to ESLint alone', SLOW, () => {
  it('installs cleanly: no install scripts, no warnings about dataplan', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/dataplan@|prepare|ERESOLVE/);
  });
  it('brings none of the CLI-only heavyweights', () => {
    const nm = join(app, 'node_modules');
    for (const heavy of ['typescript', 'ts-morph', '@ts-morph/common', '@typescript-eslint/typescript-estree']) expect(existsSync(join(nm, heavy)), heavy).toBe(false);
    // Our own dependencies resolve from the package (hoisted or nested), and nothing else dataplan needs is missing.
    const ls = spawnSync('npm', ['ls', '--all', '--omit=dev'], { cwd: app, encoding: 'utf8' });
    expect(ls.stdout + ls.stderr).not.toMatch(/UNMET DEPENDENCY|missing:|invalid:/);
  });

  it('the README\'s eslint.config.js lints a project: per-folder plans, a configured wrapper, a wrapper in another module, configs.strict', () => {
    writeFileSync(join(app, 'eslint.config.js'), readmeBlock('eslint.config.js'));
    mkdirSync(join(app, 'plans'));
    cpSync(join(ROOT, 'plans', 'acme_web_shop.json'), join(app, 'plans', 'acme_web_shop.json'));
    cpSync(join(FIX, 'plans', 'tiny_plan.document.json'), join(app, 'plans', 'kiosk.json'));
    mkdirSync(join(app, 'src'));
    mkdirSync(join(app, 'kiosk'));
    writeFileSync(join(app, 'src', 'track.js'), [
      "import mParticle from '@mparticle/web-sdk';",
      'export function trackNav(label) {',
      "  mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label });",
      '}',
      '',
    ].join('\n'));
    writeFileSync(join(app, 'src', 'app.js'), [
      "import mParticle from '@mparticle/web-sdk';",
      "import { trackNav } from './track.js';",
      'const analytics = window.analytics;',
      "mParticle.logEvent('Navbar Clicked', mParticle.EventType.Navigation);",
      "trackNav('Blog');",
      "analytics.track('Search Performed', 'search', { query: 'boots', result_count: 12, sort: 'cheapest' });",
      "mParticle.logPageView('Home');",
      '',
    ].join('\n'));
    writeFileSync(join(app, 'kiosk', 'screens.js'), [
      "import mParticle from '@mparticle/web-sdk';",
      "mParticle.logPageView('Home');",
      "mParticle.logPageView('Cart');",
      'mParticle.logEvent(window.kioskEvent, mParticle.EventType.Navigation);',
      '',
    ].join('\n'));
    // The project's own ESLint 10, and ESLint 9 (this repository's copy) on the same config.
    const lint = (eslintBin: string) => {
      const r = spawnSync(process.execPath, [eslintBin, '--format', 'json', '.'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(1);
      const results = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number; message: string }[] }[];
      return results.flatMap((f) => f.messages.map((m) => `${f.filePath.slice(app.length + 1)}:${m.line} ${m.ruleId} ${m.message}`)).sort();
    };
    const rows = lint(join(app, 'node_modules', 'eslint', 'bin', 'eslint.js'));
    expect(lint(join(ROOT, 'node_modules', 'eslint9', 'bin', 'eslint.js'))).toEqual(rows);
    expect(rows).toEqual([
      'kiosk/screens.js:3 dataplan/no-unplanned-screen Unplanned event: screen_view "Cart" is not in the data plan',
      'kiosk/screens.js:4 dataplan/no-unverifiable-call Cannot verify mParticle.logEvent against the data plan: event name: `window.kioskEvent` is a global',
      'src/app.js:4 dataplan/no-unplanned-event Unplanned event: custom_event "Navbar Clicked" (navigation) is not in the data plan; did you mean "Navbar Click"?',
      'src/app.js:5 dataplan/valid-attribute-value Attribute "label" on custom_event "Navbar Click" (navigation) should be one of "Shop", "Deals", "Help", "Account", "Cart", got "Blog"',
      'src/app.js:6 dataplan/valid-attribute-value Attribute "sort" on custom_event "Search Performed" (search) should be one of "relevance", "price_asc", "price_desc", "newest", got "cheapest"',
    ]);
  });

  it('every rule links to its page in the repository over https', async () => {
    const script = "import p from 'dataplan/eslint'; console.log(JSON.stringify(Object.entries(p.rules).map(([n, r]) => [n, r.meta.docs.url])));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8' });
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    for (const [name, url] of JSON.parse(out) as [string, string][]) expect(url).toBe(`${repo}/blob/main/docs/rules/${name}.md`);
  });

  it('the README\'s API example runs and prints the violation it promises', () => {
    const example = readmeBlock('api example');
    writeFileSync(join(app, 'api.mjs'), example);
    const out = execFileSync(process.execPath, ['api.mjs'], { cwd: app, encoding: 'utf8' });
    const promised = example.split('\n').filter((l) => l.startsWith('// unplanned_event')).map((l) => l.slice(3));
    expect(promised).toHaveLength(1);
    expect(out.trim().split('\n')).toEqual(promised);
  });

  it('the API is typed: a TypeScript consumer type-checks against the shipped declarations, and a wrong use does not', () => {
    // A TypeScript project has its own typescript (a peer): a second consumer with it and @types/node,
    // on ESLint 9 this time (the peer range takes 9 and 10).
    const ts = join(work, 'ts-app');
    mkdirSync(ts);
    writeFileSync(join(ts, 'package.json'), JSON.stringify({ name: 'ts-consumer', private: true, type: 'module' }));
    const deps = [tarball, `eslint@${versionOf('eslint9')}`, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`];
    const i = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', ...deps], { cwd: ts, encoding: 'utf8', timeout: 240_000 });
    expect(i.status, i.stderr).toBe(0);
    expect(i.stderr).not.toMatch(/ERESOLVE|peer/);
    writeFileSync(join(ts, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: false, types: ['node'] },
      files: ['typed.ts'],
    }));
    writeFileSync(join(ts, 'typed.ts'), [
      "import { loadPlan, validateBatch, validateEvent, VIOLATION_CODES, type BatchResult, type Violation } from 'dataplan';",
      "import dataplan from 'dataplan/eslint';",
      "const plan = loadPlan('plans/acme_web_shop.json');",
      'const result: BatchResult = validateBatch(plan, { events: [] }, { force: true });',
      'const first: Violation | undefined = result.violations[0];',
      'const codes: readonly string[] = VIOLATION_CODES;',
      "const ok: boolean = validateEvent(plan, { event_type: 'screen_view', data: { screen_name: 'Home' } }).violations.length === 0;",
      'const recommended: string[] = Object.keys(dataplan.configs.recommended.rules ?? {});',
      'export { first, codes, ok, recommended };',
      '',
    ].join('\n'));
    const tsc = join(ts, 'node_modules', 'typescript', 'bin', 'tsc');
    const good = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: ts, encoding: 'utf8', timeout: 120_000 });
    expect(good.stdout + good.stderr).toBe('');
    expect(good.status).toBe(0);
    writeFileSync(join(ts, 'typed.ts'), "import { loadPlan, validateBatch } from 'dataplan';\nexport const n: number = validateBatch(loadPlan('p.json'), {}).violations;\n");
    const bad = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: ts, encoding: 'utf8', timeout: 120_000 });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/typed\.ts\(2,14\): error TS2322/);
  });

  it('the binary runs from node_modules/.bin; scan says which peer to install', () => {
    const bin = join(app, 'node_modules', '.bin', 'dataplan');
    const v = spawnSync(bin, ['validate', '--format', 'json'], { cwd: app, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(v.status).toBe(1);
    expect(JSON.parse(v.stdout).summary.batches).toBe(7);
    const s = spawnSync(bin, ['scan'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('dataplan scan needs typescript, @typescript-eslint/typescript-estree');
    expect(s.stderr).toContain('npm install --save-dev typescript');
    const c = spawnSync(bin, ['codegen'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(c.status).toBe(2);
    expect(c.stderr).toContain('dataplan codegen needs ts-morph');
  });

});
