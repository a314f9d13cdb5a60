/**
 * `--format junit` as CI reads it: parsed by junit2json (xml2js underneath, as test-report actions
 * use), on real outputs of the binary. Every count must add up, and each case has one outcome.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { afterAll, describe, expect, it } from 'vitest';
import { FIX, ROOT, bin } from './helpers.js';

type Root = TestSuites & { skipped?: number };
const COUNTS = ['tests', 'failures', 'errors', 'skipped'] as const;

const outcome = (c: TestCase) => (c.error ? 'error' : c.failure ? 'failure' : c.skipped ? 'skipped' : 'passed');

/** Parse, and check what any JUnit consumer relies on: totals are sums, one outcome per case, times everywhere. */
async function junit(xml: string): Promise<{ root: Root; suites: TestSuite[]; cases: TestCase[] }> {
  const root = (await parse(xml)) as Root;
  expect(root.name).toBe('dataplan');
  const suites = root.testsuite ?? [];
  const cases: TestCase[] = [];
  for (const s of suites) {
    const list = s.testcase ?? [];
    cases.push(...list);
    expect(s.tests, s.name).toBe(list.length);
    expect(s.failures, s.name).toBe(list.filter((c) => outcome(c) === 'failure').length);
    expect(s.errors, s.name).toBe(list.filter((c) => outcome(c) === 'error').length);
    expect(s.skipped, s.name).toBe(list.filter((c) => outcome(c) === 'skipped').length);
    expect(typeof s.time, s.name).toBe('number');
    expect(s.time!).toBeCloseTo(list.reduce((n, c) => n + c.time!, 0), 6);
    for (const c of list) {
      expect(typeof c.time, `${s.name} ${c.name}`).toBe('number');
      // One outcome element, at most once.
      expect((c.failure?.length ?? 0) + (c.error?.length ?? 0) + (c.skipped?.length ?? 0), `${s.name} ${c.name}`).toBeLessThanOrEqual(1);
    }
  }
  for (const k of COUNTS) expect(root[k], k).toBe(suites.reduce((n, s) => n + (s[k] ?? 0), 0));
  expect(typeof root.time).toBe('number');
  expect(root.time!).toBeCloseTo(suites.reduce((n, s) => n + s.time!, 0), 6);
  return { root, suites, cases };
}

const dir = mkdtempSync(join(tmpdir(), 'dataplan-junit-'));
const BROKEN = join(dir, 'broken.json');
const BAD_LINES = join(dir, 'bad.ndjson');
writeFileSync(BROKEN, '{"events": [');
// A malformed event (no data), then a line that is not a batch at all.
writeFileSync(BAD_LINES, `${JSON.stringify({ events: [{ event_type: 'custom_event' }], context: { data_plan: { plan_id: 'acme_web_shop' } } })}\n[1]\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const EXAMPLE = (f: string) => `plans/examples/${f}`;

describe('dataplan validate --format junit, parsed as CI parses it', { timeout: 120_000 }, () => {
  it('the bundled examples: a case per batch, one failure per violating batch holding all its violations', async () => {
    const r = bin(['validate', '--format', 'junit']);
    expect(r.code).toBe(1);
    const { root, cases } = await junit(r.stdout);
    const json = JSON.parse(bin(['validate', '--format', 'json']).stdout);
    expect(root).toMatchObject({ tests: json.summary.batches, errors: 0, skipped: json.summary.not_validated_batches });
    const violating = json.results.filter((x: { violations: unknown[] }) => x.violations.length > 0);
    expect(root.failures).toBe(violating.length);
    for (const res of violating as { source: string; batch: number; violations: { violation: string; message: string }[] }[]) {
      const c = cases.find((x) => x.classname === res.source && x.name === `batch ${res.batch}`)!;
      const f = c.failure![0];
      const lines = f.inner!.split('\n');
      expect(lines).toHaveLength(res.violations.length);
      expect(lines.map((l) => l.slice(0, l.indexOf(': ')))).toEqual(res.violations.map((v) => v.violation));
      expect(lines[0]).toContain(res.violations[0].message);
      expect(f.message).toMatch(new RegExp(`^${res.violations.length} violations? \\(`));
    }
    const skipped = cases.find((c) => outcome(c) === 'skipped')!;
    expect(skipped.classname).toBe(EXAMPLE('not-validated-no-plan-context.json'));
    expect(skipped.skipped![0].message).toMatch(/^not validated: the batch has no context\.data_plan\.plan_id/);
  });

  it('input errors: an unreadable file, a malformed event, a non-batch line are errors, counted alike at every level', async () => {
    const r = bin(['validate', BROKEN, BAD_LINES, EXAMPLE('violation-user-attributes.json'), '--format', 'junit']);
    expect(r.code).toBe(2);
    const { root, suites } = await junit(r.stdout);
    expect(root).toMatchObject({ tests: 4, failures: 1, errors: 3, skipped: 0 });
    const inputs = suites.find((s) => s.name === 'inputs')!;
    expect(inputs.testcase![0].name).toBe(`${BROKEN}:1:13`);
    expect(inputs.testcase![0].error![0].message).toMatch(/^invalid JSON/);
    const bad = suites.find((s) => s.name === BAD_LINES)!.testcase!;
    expect(bad.map(outcome)).toEqual(['error', 'error']);
    expect(bad[0].error![0]).toMatchObject({ type: 'input_error', message: '1 input error' });
    expect(bad[0].error![0].inner).toContain('custom_event has no data object');
    expect(bad[1].error![0].inner).toContain('batch is number');
    // The JSON summary counts the same three input errors.
    expect(JSON.parse(bin(['validate', BROKEN, BAD_LINES, '--format', 'json']).stdout).summary.input_errors).toBe(3);
  });

  it('a plan with problems: one case for the plan, an error for its errors, warnings in its output', async () => {
    const plan = 'test/fixtures/lint-plan/messy_shop-3.json';
    const r = bin(['validate', EXAMPLE('violation-user-attributes.json'), EXAMPLE('clean-s2s-order-string-values.json'), '--plan', plan, '--force', '--format', 'junit']);
    expect(r.code).toBe(2);
    const { root, suites } = await junit(r.stdout);
    const planSuite = suites.find((s) => s.name === `plan ${plan}`)!;
    expect(planSuite).toMatchObject({ tests: 1, errors: 1, failures: 0 });
    const c = planSuite.testcase![0];
    expect(c.error![0].message).toBe('4 plan errors');
    expect(c.error![0].inner!.split('\n')).toHaveLength(4);
    expect(c['system-out']![0]).toContain('[unmatched_match_type]');
    expect(root.tests).toBe(3);
    expect(root.errors).toBe(1);
  });

  it('a file without batches is a skipped case, not a missing one', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '[]\n');
    const { root, cases } = await junit(bin(['validate', empty, EXAMPLE('clean-web-shopping-session.json'), '--format', 'junit']).stdout);
    expect(root).toMatchObject({ tests: 2, failures: 0, errors: 0, skipped: 1 });
    expect(cases[0].skipped![0].message).toMatch(/^no batches/);
  });

  it('replay: the same format, and the same counts, for a capture', async () => {
    const capture = join(dir, 'session.ndjson');
    const lines = ['violation-user-attributes.json', 'clean-s2s-order-string-values.json', 'violation-unplanned-events.json']
      .map((f) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, EXAMPLE(f)), 'utf8'))));
    writeFileSync(capture, lines.join('\n') + '\nnot json\n' + lines[0] + '\n');
    const r = bin(['replay', capture, '--format', 'junit']);
    expect(r.code).toBe(2);
    const { root, cases } = await junit(r.stdout);
    expect(root).toMatchObject({ tests: 5, failures: 3, errors: 1, skipped: 0 });
    expect(cases.filter((c) => c.classname === capture).map((c) => c.name)).toEqual(['batch 0', 'batch 1 (line 2)', 'batch 2 (line 3)', 'batch 3 (line 5)']);
  });
});

describe('dataplan validate --format junit: names that need escaping', () => {
  it('stay well-formed XML and come back as given', async () => {
    const odd = join(dir, 'a & b <"quoted">.json');
    writeFileSync(odd, readFileSync(join(FIX, 'batches', 'violation-minimal.json')));
    const r = bin(['validate', odd, '--plan', join(FIX, 'plans', 'tiny_plan.document.json'), '--format', 'junit']);
    const { suites } = await junit(r.stdout);
    expect(suites[0].name).toBe(odd);
  });
});
