// No plan can freeze a run: catastrophic patterns are plan errors, and patterns run in linear time.
// On the old code, validating this batch took minutes (2^32 backtracking steps per value).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/validate/index.js';
import { FIX, bin, cli } from './helpers.js';

const PLAN = join(FIX, 'redos', 'redos_plan.document.json');
const BATCH = join(FIX, 'redos', 'almost-matching-values.json');
const ATTRS = '/validator/definition/properties/data/properties/custom_attributes';

interface Out {
  errors: { kind: string; code: string; pointer: string; message: string }[];
  results: { violations: { event_index: number; key: string; violation: string }[] }[];
}

describe('plan patterns that backtrack catastrophically', () => {
  it('validate judges 33-character almost-matching values at once, in the evaluator and in ajv', async () => {
    const r = await cli(['validate', BATCH, '--plan', PLAN, '--format', 'json']);
    const out = JSON.parse(r.stdout) as Out;
    expect(out.results[0].violations.map((v) => [v.event_index, v.key, v.violation])).toEqual([
      [0, 'query', 'invalid_expected_value'], // ^(a+)+$, run by re2js
      [1, 'code', 'invalid_expected_value'], // a lookahead: run by V8, it is safe there
      [2, 'level', 'invalid_expected_value'], // ^(b+)+$ inside anyOf: ajv, with the same engine
      [3, 'c'.repeat(32) + '!', 'unplanned_event_attribute'], // patternProperties ^(c+)+$ in ajv
    ]);
    // Plan errors: the run exits 2, as for any broken plan.
    expect(r.code).toBe(2);
    expect(out.errors.filter((e) => e.code === 'catastrophic_regex').map((e) => e.pointer)).toEqual([
      `/data_points/0${ATTRS}/properties/query/pattern`,
      `/data_points/0${ATTRS}/properties/tag/pattern`,
      `/data_points/1${ATTRS}/properties/level/anyOf/0/pattern`,
      `/data_points/2${ATTRS}/patternProperties/^(c+)+$`,
    ]);
  });

  it('the real binary does not hang either', () => {
    const r = bin(['validate', BATCH, '--plan', PLAN, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Attribute "query" on custom_event "Search" (search) should match the pattern "^(a+)+$", got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"');
  }, 30_000); // a child process on a busy machine; the old code took minutes

  it('plan check refuses them as errors, naming the repetition; one only V8 could run is not checked', async () => {
    const r = await cli(['plan', 'check', '--plan', PLAN]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`redos_plan.document.json#/data_points/0${ATTRS}/properties/query/pattern: error: pattern "^(a+)+$": "(a+)+" is a repetition nested in a repetition, so a backtracking matcher (JavaScript, ajv) can take exponential time on a long value that almost matches; dataplan checks it in linear time, but other tools that read this plan can hang`);
    expect(r.stdout).toMatch(/properties\/tag\/pattern: error: pattern "\^\(a\+\)\+\\\\1\$": .*its backreference or lookaround leaves no linear-time form; the pattern is not checked/);
    expect(r.stdout).toMatch(/4 errors, 0 warnings/);
  });

  it('the lookahead pattern that is safe is not an error', async () => {
    const out = JSON.parse((await cli(['plan', 'check', '--plan', PLAN, '--format', 'json'])).stdout) as { errors: { pointer: string }[] };
    expect(out.errors.some((e) => e.pointer.includes('/code/'))).toBe(false);
  });

  it('lint-plan reports each once, under catastrophic-regex', async () => {
    const r = await cli(['lint-plan', '--plan', PLAN, '--format', 'json']);
    const findings = (JSON.parse(r.stdout) as { findings: { rule: string; pointer: string }[] }).findings.filter((f) => f.rule === 'catastrophic-regex' || f.rule === 'plan-check');
    expect(findings.map((f) => f.rule).sort()).toEqual(['catastrophic-regex', 'catastrophic-regex', 'catastrophic-regex', 'catastrophic-regex']);
  });

  it('the core: a catastrophic pattern that RE2 can express is still checked; one it cannot is dropped', () => {
    const plan = loadPlan(PLAN);
    const ok = plan.validateEvent({ event_type: 'custom_event', data: { event_name: 'Search', custom_event_type: 'search', custom_attributes: { query: 'a'.repeat(10_000), tag: 'a'.repeat(40) + '!' } } });
    expect(ok.violations).toEqual([]);
    const bad = plan.validateEvent({ event_type: 'custom_event', data: { event_name: 'Search', custom_event_type: 'search', custom_attributes: { query: 'a'.repeat(10_000) + 'b' } } });
    expect(bad.violations.map((v) => v.key)).toEqual(['query']);
  });
});
