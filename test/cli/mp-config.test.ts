/**
 * mp.config.json as mParticle's tools write it: `dataPlanVersionFile` without ".json" (`testDataPlans/sampleDataPlan`,
 * which mParticle's ESLint plugin loads with `require`) names the file `require` would load, for every command.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlanConfig } from '../../src/plan/index.js';
import { FIX, cli } from './helpers.js';

const SAMPLE = join(FIX, 'lint', 'mparticle-suite', 'testDataPlans', 'sampleDataPlan.json');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A project laid out like mParticle's plugin tests: mp.config.json naming testDataPlans/sampleDataPlan. */
function project(planName = 'sampleDataPlan.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataplan-mpcfg-'));
  made.push(dir);
  mkdirSync(join(dir, 'testDataPlans'));
  copyFileSync(SAMPLE, join(dir, 'testDataPlans', planName));
  writeFileSync(join(dir, 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanVersionFile: 'testDataPlans/sampleDataPlan' } }));
  return dir;
}

const BATCH = {
  environment: 'development', mpid: '1', context: { data_plan: { plan_id: 'rob_test', plan_version: 3 } },
  events: [
    { event_type: 'custom_event', data: { event_name: 'test-nav', custom_event_type: 'navigation' } },
    { event_type: 'custom_event', data: { event_name: 'test-nav-fail', custom_event_type: 'navigation' } },
  ],
};

describe('dataPlanVersionFile without .json', () => {
  it('resolves as require would: the path, then .js, .json, then index.js, index.json', () => {
    const dir = project();
    expect(readPlanConfig(join(dir, 'mp.config.json'), dir)!.planFile).toBe(join(dir, 'testDataPlans', 'sampleDataPlan.json'));
    // from another working directory: relative to the config file's folder
    expect(readPlanConfig(join(dir, 'mp.config.json'), tmpdir())!.planFile).toBe(join(dir, 'testDataPlans', 'sampleDataPlan.json'));
    // a folder with index.json
    const folder = project();
    mkdirSync(join(folder, 'testDataPlans', 'sampleDataPlan'));
    copyFileSync(SAMPLE, join(folder, 'testDataPlans', 'sampleDataPlan', 'index.json'));
    rmSync(join(folder, 'testDataPlans', 'sampleDataPlan.json'));
    expect(readPlanConfig(join(folder, 'mp.config.json'), folder)!.planFile).toBe(join(folder, 'testDataPlans', 'sampleDataPlan', 'index.json'));
  });

  it('a .js module require would load first is refused, naming the config file and key', () => {
    const dir = project();
    writeFileSync(join(dir, 'testDataPlans', 'sampleDataPlan.js'), 'module.exports = {};');
    expect(() => readPlanConfig(join(dir, 'mp.config.json'), dir)).toThrow(/resolves to the JavaScript module .*sampleDataPlan\.js/);
  });

  it('dataplan validate uses it (and says so)', async () => {
    const dir = project();
    writeFileSync(join(dir, 'batch.json'), JSON.stringify(BATCH));
    // mParticle's sample version is not activated ("none"), so only an explicit --version judges the batch.
    const r = await cli(['validate', join(dir, 'batch.json'), '--format', 'json', '--version', '3'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(dir, 'testDataPlans', 'sampleDataPlan.json'));
    const out = JSON.parse(r.stdout);
    expect(out.results[0].violations.map((v: { violation: string; key: string }) => `${v.violation}:${v.key}`)).toEqual(['unplanned_event:test-nav-fail']);
  });

  it('dataplan plan check uses it', async () => {
    const dir = project();
    const r = await cli(['plan', 'check'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sampleDataPlan.json');
  });

  it('a bad config names the file and the key', async () => {
    const dir = project();
    writeFileSync(join(dir, 'testDataPlans', 'sampleDataPlan.js'), 'module.exports = {};');
    const r = await cli(['plan', 'check'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mp\.config\.json#\/planningConfig\/dataPlanVersionFile/);
  });
});
