/**
 * Within one lint run the plugin trusts its last look at the plan (and imported modules) for a short while
 * (src/lint/recognize/fresh.ts) instead of a stat per linted file; an edit is still seen by the same ESLint instance
 * once that while has passed, and at once by a new run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { CHECK_MS, noteRun, stampOf } from '../../src/lint/recognize/fresh.js';
import { FIXTURES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dataplan-fresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tiny = readFileSync(join(FIXTURES, 'plans', 'tiny_plan.document.json'), 'utf8');
const planFile = join(dir, 'plan.json');
const settingsPlan = JSON.parse(tiny);
settingsPlan.data_points[0].match.criteria.screen_name = 'Settings';
const withSettings = JSON.stringify(settingsPlan);

const eslint = () => new ESLint({
  cwd: dir,
  overrideConfigFile: true,
  overrideConfig: [plugin.configs.recommended, { settings: { dataplan: { plan: planFile } } }],
});
const code = `mParticle.logPageView('Home'); mParticle.logPageView('Settings');\n`;
const lint = async (e: ESLint, name = 'a.js') => (await e.lintText(code, { filePath: join(dir, name) }))[0].messages.map((m) => `${m.line}:${m.column} ${m.message}`);

const SETTINGS_UNPLANNED = ['1:54 Unplanned event: screen_view "Settings" is not in the data plan'];
const HOME_UNPLANNED = ['1:23 Unplanned event: screen_view "Home" is not in the data plan'];

describe('the plan within one lint run', () => {
  it('one ESLint instance (an editor) sees an edit of the plan once the check interval has passed', async () => {
    writeFileSync(planFile, tiny);
    const e = eslint();
    expect(await lint(e)).toEqual(SETTINGS_UNPLANNED);
    expect(await lint(e, 'b.js')).toEqual(SETTINGS_UNPLANNED);
    writeFileSync(planFile, withSettings);
    utimesSync(planFile, new Date(), new Date(Date.now() + 5000));
    await sleep(CHECK_MS + 50);
    expect(await lint(e)).toEqual(HOME_UNPLANNED);
    expect(await lint(e, 'b.js')).toEqual(HOME_UNPLANNED);
  });

  it('a new lint run sees the edit at once', async () => {
    writeFileSync(planFile, tiny);
    utimesSync(planFile, new Date(), new Date(Date.now() + 10000));
    expect(await lint(eslint())).toEqual(SETTINGS_UNPLANNED);
    writeFileSync(planFile, withSettings);
    utimesSync(planFile, new Date(), new Date(Date.now() + 15000));
    expect(await lint(eslint())).toEqual(HOME_UNPLANNED);
  });

  it('a plan that appears later is found by a new run, and a missing one is one diagnostic', async () => {
    const later = join(dir, 'later');
    mkdirSync(later);
    const file = join(later, 'plan.json');
    const e = new ESLint({ cwd: later, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, { settings: { dataplan: { plan: file } } }] });
    const msgs = (await e.lintText(code, { filePath: join(later, 'a.js') }))[0].messages;
    expect(msgs.map((m) => m.message)).toEqual([`dataplan: data plan ${file} (from settings.dataplan.plan) cannot be used: the file does not exist`]);
    writeFileSync(file, tiny);
    const again = new ESLint({ cwd: later, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended, { settings: { dataplan: { plan: file } } }] });
    expect((await again.lintText(code, { filePath: join(later, 'a.js') }))[0].messages.map((m) => m.message)).toEqual([
      'Unplanned event: screen_view "Settings" is not in the data plan',
    ]);
  });
});

describe('stampOf', () => {
  it('a new run takes the stat again; within a run, once the interval has passed', async () => {
    const f = join(dir, 'stamped.txt');
    writeFileSync(f, 'a');
    noteRun({});
    expect(stampOf(f)?.size).toBe(1);
    writeFileSync(f, 'abc');
    noteRun({});
    expect(stampOf(f)?.size).toBe(3);
    writeFileSync(f, 'abcdef');
    await sleep(CHECK_MS + 50);
    expect(stampOf(f)?.size).toBe(6);
    rmSync(f);
    noteRun({});
    expect(stampOf(f)).toBeUndefined();
  });
});
