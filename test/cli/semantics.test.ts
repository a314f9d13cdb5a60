// The platform rules of docs/semantics.md through `dataplan validate`, in every output format.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FIX, cli } from './helpers.js';

const DIR = join(FIX, 'semantics');
const PLAN = join(DIR, 'plan.json');
const S = (f: string) => join(DIR, f);
type Row = [number | null, string, string, string, string];
const expected = JSON.parse(readFileSync(S('expected.json'), 'utf8')) as {
  cases: Record<string, { batches: { validated: boolean; reason?: string; not_validated_events: number[]; violations: Row[] }[] }>;
};
const FILES = Object.keys(expected.cases);
const validate = (args: string[], stdin?: string) => cli(['validate', ...args, '--plan', PLAN], { stdin });
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('dataplan validate --format json: every case gives the core\'s verdict', () => {
  it('one result per batch, and one per file that holds none', async () => {
    const r = await validate([...FILES.map(S), '--format', 'json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    for (const file of FILES) {
      const got = out.results.filter((x: Json) => x.source === S(file));
      const want = expected.cases[file].batches;
      if (want.length === 0) {
        expect(got).toEqual([expect.objectContaining({ validated: false, reason: 'no_batches', violations: [] })]);
        expect(got[0].notice).toMatch(/^no batches/);
        continue;
      }
      expect(got.map((x: Json) => ({ validated: x.validated, reason: x.reason, not_validated_events: x.not_validated_events })), file)
        .toEqual(want.map((w) => ({ validated: w.validated, reason: w.reason, not_validated_events: w.not_validated_events })));
      expect(got.map((x: Json) => x.violations.map((v: Json) => [v.event_index, v.violation, v.key, v.match_key, v.error_pointer])), file).toEqual(want.map((w) => w.violations));
    }
    expect(out.summary).toMatchObject({ sources: FILES.length, empty_sources: 1, input_errors: 0, plan_errors: 0, plan_warnings: 3, exit_code: 1 });
    expect(out.errors.map((e: Json) => `${e.kind}:${e.severity}:${e.code}`)).toEqual(['plan:warning:duplicate_match_key', 'plan:warning:unmatched_match_type', 'plan:warning:unmatched_match_type']);
  });
});

describe('exit codes follow the rules', () => {
  it('unplannable events: nothing reported, exit 0, even with points for their types in the plan', async () => {
    const r = await validate([S('unplannable-events.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/unplannable-events\.json \[batch 0\]: 10 events, no violations/);
  });
  it('duplicate match keys: a warning; the violations of both points decide the exit code (1, not 2)', async () => {
    const r = await validate([S('duplicate-keys.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/plan warning .*duplicate match key screen_view::Home/);
    expect(r.stdout).toMatch(/Unplanned attribute "tab" on screen_view "Home"/);
    expect(r.stdout).toMatch(/Attribute "section" on screen_view "Home" should be one of "top", "bottom", got "middle"/);
  });
  it('batches of another environment, a file that is not a batch, an empty array: notices, exit 0', async () => {
    const r = await validate([S('environments.json'), S('not-a-batch.json'), S('no-batches.json')]);
    expect(r.stdout).toContain(`– ${S('environments.json')} [batch 0]: not validated: the batch's environment is "qa"`);
    expect(r.stdout).toContain(`– ${S('not-a-batch.json')} [batch 0]: not validated: this does not look like a batch`);
    expect(r.stdout).toContain(`– ${S('no-batches.json')}: no batches`);
    expect(r.stdout).toMatch(/Summary: 5 batches from 3 sources \(1 validated, 4 not validated\)/);
    expect(r.stdout).toMatch(/1 source without batches/);
    expect(r.code).toBe(1); // the "Production" batch has an unplanned screen
    const quiet = await validate([S('not-a-batch.json'), S('no-batches.json')]);
    expect(quiet.code).toBe(0);
  });
  it('--fail-on-skip: a batch not validated, or a file without batches, fails the run', async () => {
    for (const f of ['not-a-batch.json', 'no-batches.json']) {
      const r = await validate([S(f), '--fail-on-skip']);
      expect(r.code, f).toBe(1);
      expect(r.stderr).toMatch(/--fail-on-skip: \d batch\(es\) not validated, \d file\(s\) without batches/);
    }
    const env = await validate([S('environments.json'), '--fail-on-skip', '--format', 'json']);
    expect(JSON.parse(env.stdout).summary).toMatchObject({ not_validated_batches: 3, exit_code: 1 });
    expect((await validate([S('unplannable-events.json'), '--fail-on-skip'])).code).toBe(0);
    // Events that cannot be planned are not skipped batches (above); a validated batch is judged as usual.
    const two = await validate([S('no-user-attributes.json'), '--fail-on-skip', '--format', 'json']);
    expect(JSON.parse(two.stdout).summary).toMatchObject({ not_validated_batches: 0, violation_count: 1, exit_code: 1 });
  });
  it('--fail-on-skip still exits 2 for unusable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dataplan-skip-'));
    writeFileSync(join(dir, 'broken.json'), '{"events": [');
    expect((await validate([join(dir, 'broken.json'), S('no-batches.json'), '--fail-on-skip'])).code).toBe(2);
  });
});

describe('every input file is named, in every format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dataplan-named-'));
  writeFileSync(join(dir, 'blank.ndjson'), '\n\n   \n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'vitest' } }, null, 2));
  writeFileSync(join(dir, 'empty.json'), '[]\n');
  const inputs = ['blank.ndjson', 'package.json', 'empty.json'].map((f) => join(dir, f));

  it('pretty', async () => {
    const r = await validate(inputs);
    expect(r.code).toBe(0);
    for (const f of inputs) expect(r.stdout).toContain(f);
  });
  it('json', async () => {
    const out = JSON.parse((await validate([...inputs, '--format', 'json'])).stdout);
    expect(out.results.map((x: Json) => [x.source, x.reason])).toEqual([[inputs[0], 'no_batches'], [inputs[1], 'no_plan_context'], [inputs[2], 'no_batches']]);
  });
  it('junit: a skipped test case per file', async () => {
    const r = await validate([...inputs, '--format', 'junit']);
    for (const f of inputs) expect(r.stdout).toContain(`<testsuite name="${f}" tests="1" failures="0" errors="0" skipped="1" time="`);
    expect(r.stdout).toContain('<testsuites name="dataplan" tests="4"');
  });
  it('sarif: a note per file', async () => {
    const sarif = JSON.parse((await validate([...inputs, '--format', 'sarif'])).stdout);
    const notes = sarif.runs[0].results.filter((x: Json) => x.ruleId === 'input/not-validated');
    // Outside the working directory: absolute file URIs.
    expect(notes.map((n: Json) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri])).toEqual(inputs.map((f) => ['note', pathToFileURL(f).href]));
  });
  it('github: a notice per file', async () => {
    const r = await validate([...inputs, '--format', 'github']);
    for (const f of inputs) expect(r.stdout).toContain(`::notice file=${f.replace(/:/g, '%3A').replace(/,/g, '%2C')},line=1`);
  });
  it('stdin holding an empty array', async () => {
    const r = await cli(['validate', '-', '--plan', PLAN], { stdin: '[]' });
    expect(r.stdout).toContain('– <stdin>: no batches');
    expect(r.code).toBe(0);
  });
});

describe('the other rules, as CI sees them', () => {
  it('pretty names products, promotions and the user_attributes map', async () => {
    const r = await validate([S('commerce-both-parts.json'), S('user-attributes-not-object.json'), S('decimal-multiple-of.json')]);
    expect(r.stdout).toMatch(/unplanned_product_attribute\s+Unplanned product attribute "gift" \(product 0\) on product_action purchase/);
    expect(r.stdout).toMatch(/unplanned_event_attribute\s+Unplanned attribute "extra" \(promotion 0\) on promotion_action view/);
    expect(r.stdout).toMatch(/invalid_data_type\s+The user_attributes map should be an object, got "gold"/);
    expect(r.stdout).toMatch(/Attribute "price" on product_action purchase should be a multiple of 0\.01, got 10\.005 #\/data\/product_action\/products\/2\/price/);
    expect(r.stdout).not.toMatch(/got 19\.99/);
  });
  it('sarif and github point at the offending keys', async () => {
    const sarif = JSON.parse((await validate([S('null-is-absent.json'), '--format', 'sarif'])).stdout);
    const results = sarif.runs[0].results.filter((x: Json) => x.ruleId === 'missing_required');
    expect(results.map((x: Json) => x.properties.key).sort()).toEqual(['custom_attributes', 'custom_flags', 'plan', 'source', 'tier']);
    const gh = await validate([S('commerce-both-parts.json'), '--format', 'github']);
    expect(gh.stdout.match(/^::error /gm)).toHaveLength(3);
  });
});
