/** How the plugin finds, loads and reloads the plan (settings.dataplan, mp.config.json). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { FIXTURES } from './helpers.js';

const PLANS = join(FIXTURES, 'plans');
const root = mkdtempSync(join(tmpdir(), 'dataplan-plans-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CODE = `mParticle.logPageView('Cart', { item_count: 1 }); mParticle.logPageView('Home');`;

/** Lint CODE as `file` with the given settings; returns the messages. */
function lint(file: string, settings?: Record<string, unknown>, cwd = root): string[] {
  const linter = new Linter({ configType: 'flat', cwd });
  return linter.verify(CODE, [plugin.configs.recommended, ...(settings ? [{ settings: { dataplan: settings } }] : [])], { filename: file })
    .map((m) => `${m.line}:${m.column} ${m.message}`);
}

const CART_UNPLANNED = '1:23 Unplanned event: screen_view "Cart" is not in the data plan';

describe('settings.dataplan.plan', () => {
  it('absolute path, file: URL string and URL object', () => {
    const f = join(PLANS, 'tiny_plan.document.json');
    expect(lint(join(root, 'a.js'), { plan: f })).toEqual([CART_UNPLANNED]);
    expect(lint(join(root, 'a.js'), { plan: pathToFileURL(f).href })).toEqual([CART_UNPLANNED]);
    expect(lint(join(root, 'a.js'), { plan: pathToFileURL(f) })).toEqual([CART_UNPLANNED]);
  });

  it('a relative path resolves against the folder of the eslint.config.* above the file, then the working directory', () => {
    const app = join(root, 'rel', 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    mkdirSync(join(app, 'plans'), { recursive: true });
    writeFileSync(join(app, 'eslint.config.js'), 'export default [];\n');
    writeFileSync(join(app, 'plans', 'p.json'), readFileSync(join(PLANS, 'tiny_plan.document.json')));
    expect(lint(join(app, 'src', 'a.js'), { plan: './plans/p.json' }, join(root, 'rel'))).toEqual([CART_UNPLANNED]);
    // no eslint.config.* above: the working directory
    mkdirSync(join(root, 'cwd', 'src'), { recursive: true });
    writeFileSync(join(root, 'cwd', 'p.json'), readFileSync(join(PLANS, 'tiny_plan.document.json')));
    expect(lint(join(root, 'cwd', 'src', 'a.js'), { plan: 'p.json' }, join(root, 'cwd'))).toEqual([CART_UNPLANNED]);
    expect(lint(join(app, 'src', 'a.js'), { plan: './plans/nope.json' }, join(root, 'rel'))).toEqual([
      `1:1 dataplan: settings.dataplan.plan "./plans/nope.json" was not found (looked in ${app}, ${join(root, 'rel')})`,
    ]);
  });

  it('version picks a version of a full plan', () => {
    const full = join(PLANS, 'acme_web_shop.plan.json');
    expect(lint(join(root, 'a.js'), { plan: full, version: 1 })).toEqual([CART_UNPLANNED]);
    expect(lint(join(root, 'a.js'), { plan: full, version: 2 })).toEqual([]);
    expect(lint(join(root, 'a.js'), { plan: full })).toEqual([]); // latest
    expect(lint(join(root, 'a.js'), { plan: full, version: 7 })).toEqual([`1:1 dataplan: data plan ${full} (from settings.dataplan.plan) has no version 7 (it has 1, 2)`]);
  });
});

describe('mp.config.json', () => {
  it('the nearest one above the linted file names the plan, per folder; its changes are picked up', () => {
    const mono = join(root, 'mono');
    for (const pkg of ['web', 'kiosk']) mkdirSync(join(mono, pkg, 'src'), { recursive: true });
    writeFileSync(join(mono, 'web', 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanVersionFile: join(PLANS, 'acme_web_shop-2.version.json') } }));
    writeFileSync(join(mono, 'kiosk', 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanVersionFile: join(PLANS, 'tiny_plan.document.json') } }));
    expect(lint(join(mono, 'web', 'src', 'a.js'))).toEqual([]);
    expect(lint(join(mono, 'kiosk', 'src', 'a.js'))).toEqual([CART_UNPLANNED]);
    // full plan + versionNumber, as the official CLI's config allows
    writeFileSync(join(mono, 'web', 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanFile: join(PLANS, 'acme_web_shop.plan.json'), versionNumber: 1 } }));
    utimesSync(join(mono, 'web', 'mp.config.json'), new Date(), new Date(Date.now() + 5000));
    expect(lint(join(mono, 'web', 'src', 'a.js'))).toEqual([CART_UNPLANNED]);
  });

  it('none anywhere above the file: one clear diagnostic', () => {
    const lone = join(root, 'lone');
    mkdirSync(lone, { recursive: true });
    expect(lint(join(lone, 'a.js'), undefined, lone)).toEqual([
      `1:1 dataplan: no data plan: set settings.dataplan.plan in the ESLint config, or add an mp.config.json (planningConfig.dataPlanVersionFile) at or above ${lone}`,
    ]);
  });

  it('a broken config names the file and the place', () => {
    const bad = join(root, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, 'mp.config.json'), '{ "planningConfig": { "dataPlanFile": "x.json", "versionNumber": "2" } }');
    expect(lint(join(bad, 'a.js'), undefined, bad)).toEqual([
      `1:1 dataplan: ${join(bad, 'mp.config.json')}#/planningConfig/versionNumber: versionNumber is "2", expected an integer`,
    ]);
  });
});

describe('one diagnostic per file, whichever rules are on', () => {
  it('reported by the first rule only', () => {
    const linter = new Linter({ configType: 'flat' });
    const msgs = linter.verify(`mParticle.logEvent('A'); mParticle.logPageView('B');`, [plugin.configs.strict, { settings: { dataplan: { plan: '/nope.json' } } }], { filename: 'a.js' });
    expect(msgs.map((m) => [m.ruleId, m.line, m.column])).toEqual([['dataplan/no-unplanned-event', 1, 1]]);
  });
});

describe('the plan is read once per process, and again only when its file changes', () => {
  const dir = join(root, 'live');
  const plan = join(dir, 'plan.json');
  // Whole seconds, so the same time can be written back exactly.
  const at = (s: number) => new Date(Math.floor(Date.now() / 1000 + s) * 1000);

  it('an edit between two lints gives the new verdict; the same stamp (mtime, size) means not read again', () => {
    mkdirSync(dir, { recursive: true });
    const files = [join(dir, 'a.js'), join(dir, 'b.js')];
    const lintAll = () => files.map((f) => lint(f, { plan }));
    writeFileSync(plan, readFileSync(join(PLANS, 'tiny_plan.document.json')));
    const t1 = at(-100);
    utimesSync(plan, t1, t1);
    expect(lintAll()).toEqual([[CART_UNPLANNED], [CART_UNPLANNED]]);

    // Edited: a plan with a Cart screen.
    const withCart = readFileSync(join(PLANS, 'acme_web_shop-2.version.json'), 'utf8');
    writeFileSync(plan, withCart);
    const t2 = at(-50);
    utimesSync(plan, t2, t2);
    expect(lintAll()).toEqual([[], []]);

    // Changed behind the cache's back: same size, same mtime. Not read again, so the verdict stands…
    const renamed = withCart.replaceAll('"Cart"', '"Cxrt"');
    expect(renamed).not.toBe(withCart);
    expect(renamed.length).toBe(withCart.length);
    writeFileSync(plan, renamed);
    utimesSync(plan, t2, t2);
    expect(lintAll()).toEqual([[], []]);

    // …until the file's stamp moves.
    const t3 = at(-10);
    utimesSync(plan, t3, t3);
    const renamedVerdict = `${CART_UNPLANNED}; did you mean "Cxrt"?`;
    expect(lintAll()).toEqual([[renamedVerdict], [renamedVerdict]]);
  });
});
