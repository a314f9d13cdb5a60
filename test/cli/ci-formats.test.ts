/**
 * `lint-plan`, `plan check` and `scan` in the machine formats `validate` has, through the real binary:
 * JSON, SARIF checked against the SARIF 2.1.0 schema, GitHub workflow commands located in the files.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';
import { sarif } from './sarif-check.js';

const SLOW = { timeout: 120_000 };
const MESSY = 'test/fixtures/lint-plan/messy_shop-3.json';
const WEB = 'test/fixtures/scan/web-shop';

function run(args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dataplan.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Annotation { level: string; props: Record<string, string>; message: string }

/** Parse workflow commands the way the runner does (and check each line is one). */
function annotations(text: string): { items: Annotation[]; other: string[] } {
  const items: Annotation[] = [];
  const other: string[] = [];
  for (const line of text.trimEnd().split('\n')) {
    const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
    if (!m) {
      other.push(line);
      continue;
    }
    const props = Object.fromEntries(m[2].split(',').map((kv) => kv.split('=')).map(([k, v]) => [k, decodeURIComponent(v)]));
    items.push({ level: m[1], props, message: decodeURIComponent(m[3]) });
  }
  return { items, other };
}

/** The text at line:column of a file, to check a location points where it says. */
function at(file: string, line: number, column: number, length = 40): string {
  return readFileSync(join(ROOT, file), 'utf8').split('\n')[line - 1].slice(column - 1, column - 1 + length);
}

describe('dataplan lint-plan --format', SLOW, () => {
  it('json is unchanged: one object with the findings', () => {
    const r = run(['lint-plan', '--plan', MESSY, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).summary).toEqual({ errors: 9, warnings: 10 });
  });
  it('sarif: a valid log, results at the finding in the plan file, exit status in invocations', () => {
    const r = run(['lint-plan', '--plan', MESSY, '--format', 'sarif']);
    expect(r.code).toBe(1);
    const { run: sr, results } = sarif(r.stdout);
    expect(results).toHaveLength(19);
    expect(sr.invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
    expect(sr.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('near-duplicate-names');
    expect(sr.tool.driver.rules[0].helpUri).toMatch(/^https:\/\/github\.com\/.+\/docs\/plan-rules\/.+\.md$/);
    const dup = results.find((x) => x.ruleId === 'near-duplicate-names')!;
    expect(dup.level).toBe('error');
    const loc = dup.locations[0].physicalLocation;
    expect(loc.artifactLocation).toEqual({ uri: MESSY, uriBaseId: '%SRCROOT%' });
    expect(at(MESSY, loc.region.startLine, loc.region.startColumn)).toMatch(/^"Add To Cart"/);
    expect(Object.values(dup.partialFingerprints)[0]).toMatch(/^[0-9a-f]{32}$/);
    // Fingerprints tell findings apart.
    expect(new Set(results.map((x) => Object.values(x.partialFingerprints)[0])).size).toBe(results.length);
  });
  it('github: one annotation per finding on the plan file, then a summary line', () => {
    const r = run(['lint-plan', '--plan', MESSY, '--format', 'github']);
    expect(r.code).toBe(1);
    const { items, other } = annotations(r.stdout);
    expect(items).toHaveLength(19);
    expect(items.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(other).toEqual(['dataplan lint-plan: 9 error(s), 10 warning(s)']);
    const dup = items.find((a) => a.props.title === 'dataplan lint-plan near-duplicate-names')!;
    expect(dup.props.file).toBe(MESSY);
    expect(at(MESSY, Number(dup.props.line), Number(dup.props.col))).toMatch(/^"Add To Cart"/);
  });
  it('an unusable plan is reported in the format too, exit 2', () => {
    const r = run(['lint-plan', '--plan', 'test/fixtures/plans/acme_web_shop.list.json', '--format', 'sarif']);
    expect(r.code).toBe(2);
    const { run: sr, results } = sarif(r.stdout);
    expect(sr.invocations[0]).toEqual({ executionSuccessful: false, exitCode: 2 });
    expect(results[0]).toMatchObject({ ruleId: 'input/unusable', level: 'error' });
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/fixtures/plans/acme_web_shop.list.json');
    const g = run(['lint-plan', '--plan', 'test/fixtures/plans/acme_web_shop.list.json', '--format', 'github']);
    expect(g.code).toBe(2);
    expect(annotations(g.stdout).items[0]).toMatchObject({ level: 'error', props: { file: 'test/fixtures/plans/acme_web_shop.list.json' } });
  });
});

describe('dataplan plan check --format', SLOW, () => {
  it('sarif: each plan problem at its JSON pointer, codes as rule ids', () => {
    const r = run(['plan', 'check', '--plan', MESSY, '--format', 'sarif']);
    expect(r.code).toBe(2);
    const { run: sr, results } = sarif(r.stdout);
    expect(sr.invocations[0].exitCode).toBe(2);
    expect(results.map((x) => x.level).sort()).toEqual(['error', 'error', 'error', 'error', 'warning', 'warning']);
    const phone = results.find((x) => x.ruleId === 'plan/unknown_format')!;
    const loc = phone.locations[0].physicalLocation;
    expect(at(MESSY, loc.region.startLine, loc.region.startColumn, 7)).toBe('"phone"');
  });
  it('github: annotations with line and column', () => {
    const r = run(['plan', 'check', '--plan', MESSY, '--format', 'github']);
    expect(r.code).toBe(2);
    const { items, other } = annotations(r.stdout);
    expect(items).toHaveLength(6);
    expect(other).toEqual(['dataplan plan check: 4 error(s), 2 warning(s)']);
    const w = items.find((a) => a.level === 'warning' && a.props.title === 'dataplan plan unmatched_match_type')!;
    expect(at(MESSY, Number(w.props.line), Number(w.props.col), 9)).toBe('"profile"');
  });
  it('a clean plan: an empty, valid log and exit 0', () => {
    const r = run(['plan', 'check', '--format', 'sarif']);
    expect(r.code).toBe(0);
    expect(sarif(r.stdout).results).toEqual([]);
    expect(run(['plan', 'check', '--format', 'github']).stdout).toBe('dataplan plan check: 0 error(s), 0 warning(s)\n');
  });
});

describe('dataplan scan --format', SLOW, () => {
  it('sarif: calls at their line in the source, never-called points in the plan; --fail-on decides errors', () => {
    const r = run(['scan', WEB, '--format', 'sarif', '--fail-on', 'unplanned']);
    expect(r.code).toBe(1);
    const { run: sr, results } = sarif(r.stdout);
    expect(sr.invocations[0].exitCode).toBe(1);
    const unplanned = results.filter((x) => x.ruleId === 'scan/unplanned');
    expect(unplanned).toHaveLength(2);
    expect(unplanned.every((x) => x.level === 'error')).toBe(true);
    const nav = unplanned.find((x) => x.message.text.includes('Navbar Clicked'))!;
    const loc = nav.locations[0].physicalLocation;
    expect(loc.artifactLocation.uri).toBe(`${WEB}/src/legacy/search.js`);
    expect(at(loc.artifactLocation.uri, loc.region.startLine, loc.region.startColumn, 18)).toBe('mParticle.logEvent');
    expect(results.filter((x) => x.ruleId === 'scan/unverifiable').every((x) => x.level === 'warning')).toBe(true);
    const uncovered = results.filter((x) => x.ruleId === 'scan/uncovered');
    expect(uncovered).toHaveLength(19);
    expect(uncovered[0]).toMatchObject({ level: 'note' });
    const point = uncovered[0].locations[0].physicalLocation;
    expect(point.artifactLocation.uri).toBe('plans/acme_web_shop.json');
    expect(point.region.startLine).toBeGreaterThan(1);
    expect(at('plans/acme_web_shop.json', point.region.startLine, point.region.startColumn, 1)).toBe('{');
    expect(results.find((x) => x.ruleId === 'invalid_expected_value')?.message.text).toContain('"label"');
  });
  it('github: annotations on the calls; exit 0 without --fail-on', () => {
    const r = run(['scan', WEB, '--format', 'github']);
    expect(r.code).toBe(0);
    const { items, other } = annotations(r.stdout);
    expect(other).toHaveLength(1);
    expect(other[0]).toMatch(/^dataplan scan: 7 of 26 data points called/);
    const nav = items.find((a) => a.message.includes('Navbar Clicked'))!;
    expect(nav).toMatchObject({ level: 'warning', props: { file: `${WEB}/src/legacy/search.js`, line: '8', col: '3' } });
    expect(items.find((a) => a.props.title === 'dataplan: file not scanned')?.props.file).toBe(`${WEB}/src/util/broken.ts`);
  });
  it('an unusable project is reported in the format, exit 2', () => {
    const r = run(['scan', 'test/fixtures/no-such-dir', '--format', 'github']);
    expect(r.code).toBe(2);
    expect(annotations(r.stdout).items[0]).toMatchObject({ level: 'error', props: { file: 'test/fixtures/no-such-dir' } });
  });
});

describe('dataplan scan progress', SLOW, () => {
  it('shows on stderr when stderr is a terminal, even with stdout redirected', () => {
    const out = join(ROOT, 'test', '.scan-progress.json');
    const cmd = `'${process.execPath}' '${join(ROOT, 'bin', 'dataplan.js')}' scan '${WEB}' --format json > '${out}'`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    try {
      expect(r.stdout).toMatch(/scanning \[[█░]+\] \d+\/8 files/);
      const json = JSON.parse(readFileSync(out, 'utf8'));
      expect(json.summary.files).toBe(8);
    } finally {
      spawnSync('rm', ['-f', out]);
    }
  });
  it('not when stderr is not a terminal; --progress forces it', () => {
    expect(run(['scan', WEB, '--format', 'json']).stderr).not.toContain('scanning [');
    expect(run(['scan', WEB, '--format', 'json', '--progress']).stderr).toContain('scanning [');
  });
});
