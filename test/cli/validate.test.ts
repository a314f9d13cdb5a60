import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, bin, cli } from './helpers.js';

const B = (f: string) => join(FIX, 'batches', f);
const P = (f: string) => join(FIX, 'plans', f);
const tmp = () => mkdtempSync(join(tmpdir(), 'dataplan-cli-'));

describe('dataplan validate: exit codes', () => {
  it('0 when clean, 1 with violations', async () => {
    expect((await cli(['validate', B('clean-web-shopping-session.json'), '--plan', P('acme_web_shop-2.version.json')])).code).toBe(0);
    const bad = await cli(['validate', B('violation-unplanned-events.json'), '--plan', P('acme_web_shop-2.version.json')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/6 violations in 7 events/);
    expect(bad.stdout).toMatch(/did you mean "Navbar Click"\?/);
  });
  it('runs on the bundled plan and examples without arguments', async () => {
    const r = await cli(['validate']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/plans\/examples\/clean-web-shopping-session\.json \[batch 0\]: 12 events, no violations \(acme_web_shop v2\)/);
    expect(r.stdout).toMatch(/Summary: 7 batches from 7 sources \(6 validated, 1 not validated\)/);
  });
  it('a batch the platform would not validate is a notice, not a failure; --force validates it', async () => {
    const r = await cli(['validate', B('not-validated-no-plan-context.json'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.results[0]).toMatchObject({ validated: false, reason: 'no_plan_context', violations: [] });
    expect(out.results[0].notice).toMatch(/configure the SDK's dataPlan/);
    expect(out.summary.not_validated_batches).toBe(1);
    const forced = await cli(['validate', B('not-validated-no-plan-context.json'), '--plan', P('acme_web_shop-2.version.json'), '--force', '--format', 'json']);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout).results[0].violations[0].key).toBe('Wishlist Shared');
  });
  it('2 for malformed files, naming file, line and column; the other files are still validated', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'broken.json'), '{\n  "events": [\n    { "event_type": "custom_event", }\n  ]\n}\n');
    const r = await cli(['validate', join(dir, 'broken.json'), B('violation-minimal.json'), '--plan', P('tiny_plan.document.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${join(dir, 'broken.json')}:3:37: error: invalid JSON: expected a double-quoted property name, found "}"`);
    expect(r.stdout).toMatch(/violation-minimal\.json \[batch 0\]: 4 violations/);
  });
  it('NDJSON: one bad line is reported by number and the rest are validated', async () => {
    const dir = tmp();
    const good = JSON.stringify(JSON.parse(readFileSync(B('violation-minimal.json'), 'utf8')));
    writeFileSync(join(dir, 'b.ndjson'), `${good}\n{"events": [\n${good}\n`);
    const r = await cli(['validate', join(dir, 'b.ndjson'), '--plan', P('tiny_plan.document.json'), '--format', 'json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: { line: number }) => x.line)).toEqual([1, 3]);
    expect(out.errors).toEqual([expect.objectContaining({ kind: 'input', line: 2, column: 13 })]);
  });
  it('NDJSON: a bad first line does not turn the file into one big document', async () => {
    const dir = tmp();
    const good = JSON.stringify(JSON.parse(readFileSync(B('clean-minimal.json'), 'utf8')));
    writeFileSync(join(dir, 'c.ndjson'), `{oops\n${good}\n`);
    const out = JSON.parse((await cli(['validate', join(dir, 'c.ndjson'), '--plan', P('tiny_plan.document.json'), '--format', 'json'])).stdout);
    expect([out.results.length, out.errors[0].line]).toEqual([1, 1]);
  });
  it('2 for a plan that cannot be used, before validating anything', async () => {
    const r = await cli(['validate', B('clean-minimal.json'), '--plan', P('acme_web_shop.list.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/acme_web_shop\.list\.json#: this is a list of data plans/);
  });
  it('2 when part of the plan is broken, yet everything else is validated and the problem is in the JSON errors', async () => {
    const dir = tmp();
    const plan = JSON.parse(readFileSync(P('tiny_plan.document.json'), 'utf8'));
    plan.data_points[1].validator.definition.properties.data.properties.custom_attributes.properties.placement.pattern = '([';
    writeFileSync(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
    const r = await cli(['validate', B('violation-minimal.json'), '--plan', join(dir, 'plan.json'), '--format', 'json']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.errors[0]).toMatchObject({ kind: 'plan', code: 'invalid_regex', pointer: '/data_points/1/validator/definition/properties/data/properties/custom_attributes/properties/placement/pattern' });
    expect(out.summary.violation_count).toBe(4);
    expect(r.stderr).toMatch(/plan\.json#\/data_points\/1\/validator\/definition\/.*\/pattern: error: invalid pattern/);
  });
  it('2 for usage errors: unknown flags, bad --version, bad format', async () => {
    expect((await cli(['validate', '--bogus'])).code).toBe(2);
    const v = await cli(['validate', '--plan', P('acme_web_shop.plan.json'), '--version', '7']);
    expect([v.code, v.stderr]).toEqual([2, expect.stringMatching(/has no version 7 \(it has 1, 2\)/)]);
    expect((await cli(['validate', '--format', 'xml'])).stderr).toMatch(/Invalid values/);
  });
});

describe('dataplan validate: inputs', () => {
  it('reads NDJSON from stdin with -', async () => {
    const lines = ['clean-minimal.json', 'violation-minimal.json'].map((f) => JSON.stringify(JSON.parse(readFileSync(B(f), 'utf8')))).join('\n');
    const r = await cli(['validate', '-', '--plan', P('tiny_plan.document.json'), '--format', 'json'], { stdin: lines });
    const out = JSON.parse(r.stdout);
    expect(out.results.map((x: { source: string; batch: number; violations: unknown[] }) => [x.source, x.batch, x.violations.length])).toEqual([['<stdin>', 0, 0], ['<stdin>', 1, 4]]);
  });
  it('expands globs and directories; bulk arrays are one result per batch', async () => {
    const r = await cli(['validate', join(FIX, 'batches', 'bulk-*.json'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json']);
    expect(JSON.parse(r.stdout).results.map((x: { batch: number }) => x.batch)).toEqual([0, 1]);
    const d = await cli(['validate', join(FIX, 'batches'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json', '--force']);
    expect(JSON.parse(d.stdout).summary.sources).toBe(readdirSync(join(FIX, 'batches')).length);
    const none = await cli(['validate', join(FIX, 'batches', 'nothing-*.json')]);
    expect([none.code, none.stdout]).toEqual([2, expect.stringMatching(/no files match this pattern/)]);
  });
  it('picks the version the platform would: --version, else the batch\'s plan_version, else the latest active for its environment', async () => {
    const plan = P('acme_web_shop.plan.json');
    const prod = JSON.parse((await cli(['validate', B('version-selection-production.json'), '--plan', plan, '--format', 'json'])).stdout).results[0];
    expect([prod.plan_version, prod.violations.map((v: { key: string }) => v.key)]).toEqual([1, ['Newsletter Signup']]);
    const forced2 = JSON.parse((await cli(['validate', B('version-selection-production.json'), '--plan', plan, '--version', '2', '--format', 'json'])).stdout).results[0];
    expect([forced2.plan_version, forced2.violations.map((v: { key: string }) => v.key)]).toEqual([2, ['category']]);
  });
});

describe('dataplan validate: output formats', () => {
  it('json: one object with results, errors and counts by violation', async () => {
    const r = await cli(['validate', B('violation-user-attributes.json'), B('violation-invalid-types.json'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json']);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['plan', 'results', 'errors', 'summary']);
    expect(Object.keys(out.results[0])).toEqual(expect.arrayContaining(['source', 'batch', 'validated', 'violations', 'errors']));
    expect(out.summary.violations).toMatchObject({ unplanned_user_attribute: 2, invalid_expected_value: 3, invalid_data_type: 5, unplanned_event: 0 });
    expect(out.summary.violation_count).toBe(10);
    const v = out.results[1].violations[0];
    expect(Object.keys(v)).toEqual(expect.arrayContaining(['violation', 'event_index', 'key', 'event_type', 'match_key', 'error_pointer', 'schema_keyword', 'expected', 'actual', 'message']));
    expect([v.expected, v.actual]).toEqual(['number', 'five']);
  });
  it('junit: a suite per file, a case per batch, one failure listing all of a batch\'s violations', async () => {
    const r = await cli(['validate', B('violation-minimal.json'), B('clean-minimal.json'), '--plan', P('tiny_plan.document.json'), '--format', 'junit']);
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="dataplan" tests="2" failures="1" errors="0" skipped="0" time="\d+\.\d{3}">/);
    expect(r.stdout.match(/<failure type="/g)).toHaveLength(1);
    expect(r.stdout).toContain('<failure type="violations" message="4 violations (1 invalid_expected_value, 1 unplanned_event_attribute, 1 missing_required, 1 unplanned_event)">');
    expect(r.stdout).toContain('unplanned_event: Unplanned event: screen_view &quot;Pricing&quot; is not in the data plan [screen_view::Pricing events[2]]');
    expect(r.stdout.match(/<testcase /g)).toHaveLength(2);
  });
  it('sarif: rules for every code, results pointing at the line of the offending value', async () => {
    const r = await cli(['validate', B('violation-user-attributes.json'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(11); // 8 violation codes, 3 kinds of input problem
    const text = readFileSync(B('violation-user-attributes.json'), 'utf8').split('\n');
    const shoe = sarif.runs[0].results.find((x: { properties: { key: string } }) => x.properties.key === 'shoe_size');
    expect(text[shoe.locations[0].physicalLocation.region.startLine - 1]).toContain('"shoe_size"');
    const zip = sarif.runs[0].results.find((x: { properties: { key: string } }) => x.properties.key === '$Zip');
    expect(text[zip.locations[0].physicalLocation.region.startLine - 1]).toContain('"$Zip"');
  });
  it('github: an annotation per violation at file, line and column', async () => {
    const r = await cli(['validate', B('violation-minimal.json'), '--plan', P('tiny_plan.document.json'), '--format', 'github']);
    const lines = r.stdout.trim().split('\n');
    const pricing = lines.find((l) => l.includes('Pricing'))!;
    expect(pricing).toMatch(/^::error file=.*violation-minimal\.json,line=\d+,col=\d+,title=dataplan unplanned_event::Unplanned event: screen_view "Pricing" is not in the data plan$/);
    const line = Number(/line=(\d+)/.exec(pricing)![1]);
    expect(readFileSync(B('violation-minimal.json'), 'utf8').split('\n')[line - 1]).toContain('"screen_name": "Pricing"');
    expect(lines.at(-1)).toMatch(/^dataplan: 4 violation\(s\) in 1 batch\(es\)/);
  });
});

describe('dataplan validate --block', () => {
  it('shows what the block settings would drop and writes the filtered batch', async () => {
    const out = tmp();
    const r = await cli(['validate', B('violation-minimal.json'), '--plan', P('tiny_plan.sdk-config.json'), '--block', '--out', out]);
    expect(r.stdout.match(/\[would be blocked\]/g)).toHaveLength(2);
    const filtered = JSON.parse(readFileSync(join(out, 'violation-minimal.json'), 'utf8'));
    expect(filtered.events).toHaveLength(2);
    expect(filtered.events[0].data.custom_attributes).toEqual({ placement: 'sidebar' });
    expect((await cli(['validate', '--out', out])).code).toBe(2);
  });
});

// Child processes (and worker threads) start slowly on a busy machine.
describe('the executable', { timeout: 60_000 }, () => {
  it('exits with the code and streams NDJSON from a pipe; threads give the same answer as one', () => {
    const dir = tmp();
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) for (const f of ['violation-unplanned-events.json', 'clean-web-shopping-session.json', 'violation-user-identities.json']) lines.push(JSON.stringify(JSON.parse(readFileSync(B(f), 'utf8'))));
    writeFileSync(join(dir, 'many.ndjson'), lines.join('\n') + '\n');
    const one = bin(['validate', join(dir, 'many.ndjson'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json', '--jobs', '1']);
    const two = bin(['validate', join(dir, 'many.ndjson'), '--plan', P('acme_web_shop-2.version.json'), '--format', 'json', '--jobs', '2']);
    expect(one.code).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(one.stdout).summary.violation_count).toBe(50 * 9);
    const piped = bin(['validate', '-', '--plan', P('acme_web_shop-2.version.json'), '-q'], { stdin: lines.slice(0, 3).join('\n') });
    expect(piped.code).toBe(1);
    expect(piped.stdout).toMatch(/9 violations: 6 unplanned_event, 1 unplanned_user_identity, 2 invalid_expected_value/);
  });
  it('--help lists every command with examples', () => {
    const r = bin(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['validate', 'compile', 'plan']) expect(r.stdout).toContain(`dataplan ${c}`);
    for (const c of ['validate', 'compile']) expect(bin([c, '--help']).stdout).toMatch(/Examples:/);
    expect(bin(['plan', 'check', '--help']).stdout).toMatch(/Examples:/);
  });
});
