import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { FIX, cli } from './helpers.js';

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as (a: unknown) => void;
const P = (f: string) => join(FIX, 'plans', f);

describe('dataplan compile', () => {
  it('writes a schema per data point and a batch schema that a plain ajv accepts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'dataplan-compile-'));
    const r = await cli(['compile', '--plan', P('acme_web_shop-2.version.json'), '--out', out]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(out, 'points'))).toHaveLength(35);
    expect(readdirSync(join(out, 'points'))).toContain('004-custom_event_navigation_navbar_click.schema.json');
    const bundle = JSON.parse(readFileSync(join(out, 'batch.schema.json'), 'utf8'));
    expect(bundle.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const ajv = new Ajv2020({ logger: false });
    addFormats(ajv);
    const validate = ajv.compile(bundle);
    expect(validate(JSON.parse(readFileSync(join(FIX, 'batches', 'clean-web-shopping-session.json'), 'utf8')))).toBe(true);
    expect(validate(JSON.parse(readFileSync(join(FIX, 'batches', 'violation-minimal.json'), 'utf8')))).toBe(false);
  });
  it('prints draft-07 on request', async () => {
    const r = await cli(['compile', '--plan', P('tiny_plan.document.json'), '--draft', '07']);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.definitions.event).toBeDefined();
    expect(JSON.stringify(schema)).not.toContain('$defs');
  });
});

describe('dataplan plan check', () => {
  it('exit 0 and a one-line summary for a good plan', async () => {
    const r = await cli(['plan', 'check', '--plan', P('acme_web_shop.plan.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/data_plan "acme_web_shop", v1 \(production, 10 points\), v2 \(development, 35 points\): 0 errors, 0 warnings/);
  });
  it('exit 2 with every problem located, as text or JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataplan-check-'));
    const plan = JSON.parse(readFileSync(P('tiny_plan.document.json'), 'utf8'));
    plan.data_points[0].match.type = 'screen_veiw';
    plan.data_points.push(plan.data_points[1]);
    writeFileSync(join(dir, 'p.json'), JSON.stringify(plan));
    const r = await cli(['plan', 'check', '--plan', join(dir, 'p.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${join(dir, 'p.json')}#/data_points/0/match/type: error: unknown match type "screen_veiw"; did you mean "screen_view"?`);
    expect(r.stdout).toMatch(/#\/data_points\/2\/match: warning: duplicate match key custom_event:navigation:Sign Up Clicked/);
    const j = JSON.parse((await cli(['plan', 'check', '--plan', join(dir, 'p.json'), '--format', 'json'])).stdout);
    expect([j.usable, j.errors.length, j.warnings.length]).toEqual([true, 1, 1]);
    const bad = await cli(['plan', 'check', '--plan', P('acme_web_shop.list.json'), '--format', 'json']);
    expect([bad.code, JSON.parse(bad.stdout).usable]).toEqual([2, false]);
  });
  it('finds the plan through mp.config.json when --plan is absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataplan-cfg-'));
    writeFileSync(join(dir, 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanVersionFile: P('tiny_plan.sdk-config.json') } }));
    const r = await cli(['plan', 'check'], { cwd: dir });
    expect(r.stdout).toMatch(/tiny_plan\.sdk-config\.json: sdk_config "tiny_plan"/);
  });
});
