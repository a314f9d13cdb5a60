/**
 * `validate` and `replay` in SARIF through the real binary, checked against the SARIF 2.1.0 schema:
 * fingerprints on every result that survive another run and another checkout, the exit status in
 * `invocations`, and locations relative to the working directory, input errors included.
 */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, bin } from './helpers.js';
import { FINGERPRINT, sarif, type SarifResult } from './sarif-check.js';

const where = (r: SarifResult) => r.locations[0].physicalLocation;

/** The bundled examples, and a broken file, in a fresh directory (another checkout of the same repo). */
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dataplan-sarif-'));
  made.push(dir);
  mkdirSync(join(dir, 'batches'));
  cpSync(join(ROOT, 'plans', 'examples'), join(dir, 'batches', 'examples'), { recursive: true });
  writeFileSync(join(dir, 'batches', 'broken.json'), '{"events": [');
  writeFileSync(join(dir, 'batches', 'odd name #1.json'), readFileSync(join(ROOT, 'plans', 'examples', 'violation-user-attributes.json')));
  return dir;
}

describe('dataplan validate --format sarif', { timeout: 120_000 }, () => {
  it('the bundled examples: valid, relative locations, exit status in invocations', () => {
    const r = bin(['validate', '--format', 'sarif']);
    expect(r.code).toBe(1);
    const { run, results } = sarif(r.stdout);
    expect(run.invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${ROOT}/`);
    const json = JSON.parse(bin(['validate', '--format', 'json']).stdout);
    expect(results.filter((x) => x.level === 'error')).toHaveLength(json.summary.violation_count);
    for (const x of results) {
      expect(where(x).artifactLocation).toEqual({ uri: expect.stringMatching(/^plans\/examples\/[\w-]+\.json$/), uriBaseId: '%SRCROOT%' });
    }
    // Each result points at the offending value in its file.
    const zip = results.find((x) => x.message.text.includes('"$Zip"'))!;
    const line = readFileSync(join(ROOT, where(zip).artifactLocation.uri), 'utf8').split('\n')[where(zip).region.startLine - 1];
    expect(line).toMatch(/^\s*"\$Zip": "ABCDE"/);
    expect(line.slice(where(zip).region.startColumn - 1)).toMatch(/^"ABCDE"/);
  });

  it('fingerprints are the same in another run and another checkout; lines and absolute paths do not enter them', () => {
    const a = checkout();
    const b = checkout();
    const args = ['validate', 'batches', '--format', 'sarif'];
    const first = sarif(bin(args, { cwd: a }).stdout).results;
    const again = sarif(bin(args, { cwd: a }).stdout).results;
    const other = sarif(bin(args, { cwd: b }).stdout).results;
    const prints = (rs: SarifResult[]) => rs.map((x) => [x.ruleId, where(x).artifactLocation.uri, x.partialFingerprints[FINGERPRINT]]);
    expect(prints(again)).toEqual(prints(first));
    expect(prints(other)).toEqual(prints(first));
    // An unrelated edit above a finding moves its line, not its fingerprint.
    const file = join(b, 'batches', 'examples', 'violation-user-attributes.json');
    writeFileSync(file, '\n\n' + readFileSync(file, 'utf8'));
    const moved = sarif(bin(args, { cwd: b }).stdout).results;
    expect(prints(moved)).toEqual(prints(first));
    const zip = (rs: SarifResult[]) => rs.find((x) => x.message.text.includes('"$Zip"'))!;
    expect(where(zip(moved)).region.startLine).toBe(where(zip(first)).region.startLine + 2);
  });

  it('input errors: an unreadable file and malformed events are results at relative locations; exit 2 in invocations', () => {
    const dir = checkout();
    writeFileSync(join(dir, 'batches', 'bad.ndjson'), `${JSON.stringify({ events: [{ event_type: 'custom_event' }], context: { data_plan: { plan_id: 'acme_web_shop' } } })}\n`);
    const r = bin(['validate', 'batches/broken.json', 'batches/bad.ndjson', 'batches/odd name #1.json', '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(2);
    const { run, results } = sarif(r.stdout);
    expect(run.invocations).toEqual([{ executionSuccessful: false, exitCode: 2 }]);
    const broken = results.find((x) => x.ruleId === 'input/unusable')!;
    expect(where(broken)).toEqual({ artifactLocation: { uri: 'batches/broken.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1, startColumn: 13 } });
    const malformed = results.find((x) => x.ruleId === 'input/malformed')!;
    expect(where(malformed).artifactLocation).toEqual({ uri: 'batches/bad.ndjson', uriBaseId: '%SRCROOT%' });
    expect(malformed.message.text).toContain('custom_event has no data object');
    // A name that is not a plain URI path is percent-encoded.
    expect(results.filter((x) => where(x).artifactLocation.uri === 'batches/odd%20name%20%231.json')).toHaveLength(5);
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['input/unusable', 'input/malformed', 'input/not-validated']));
  });

  it('plan problems are results in the plan file; stdin is named too', () => {
    const plan = 'test/fixtures/lint-plan/messy_shop-3.json';
    const r = bin(['validate', '-', '--plan', plan, '--format', 'sarif'], { stdin: readFileSync(join(ROOT, 'plans', 'examples', 'violation-user-attributes.json'), 'utf8') });
    expect(r.code).toBe(2);
    const { results } = sarif(r.stdout);
    const planResults = results.filter((x) => x.ruleId.startsWith('plan/'));
    expect(planResults).toHaveLength(6);
    for (const x of planResults) expect(where(x).artifactLocation).toEqual({ uri: plan, uriBaseId: '%SRCROOT%' });
    expect(results.find((x) => x.ruleId === 'input/not-validated')).toBeDefined();
    expect(where(results.find((x) => x.ruleId === 'input/not-validated')!).artifactLocation.uri).toBe('%3Cstdin%3E');
  });

  it('github annotations are the same findings at the same places', () => {
    const s = sarif(bin(['validate', '--format', 'sarif']).stdout).results;
    const g = bin(['validate', '--format', 'github']).stdout.trim().split('\n').filter((l) => l.startsWith('::'));
    expect(g).toHaveLength(s.length);
    for (const x of s) {
      const l = where(x);
      expect(g).toContainEqual(expect.stringContaining(`file=${l.artifactLocation.uri},line=${l.region.startLine},col=${l.region.startColumn},`));
    }
  });
});

describe('dataplan replay --format sarif', { timeout: 120_000 }, () => {
  it('valid, fingerprinted, relative, with the exit status', () => {
    const dir = checkout();
    const lines = ['violation-user-attributes.json', 'violation-unplanned-events.json'].map((f) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'plans', 'examples', f), 'utf8'))));
    writeFileSync(join(dir, 'session.ndjson'), lines.join('\n') + '\n');
    const r = bin(['replay', 'session.ndjson', '--format', 'sarif'], { cwd: dir });
    expect(r.code).toBe(1);
    const { run, results } = sarif(r.stdout);
    expect(run.invocations).toEqual([{ executionSuccessful: true, exitCode: 1 }]);
    expect(results).toHaveLength(11);
    for (const x of results) expect(where(x).artifactLocation).toEqual({ uri: 'session.ndjson', uriBaseId: '%SRCROOT%' });
    // The same violation in two batches is two alerts.
    expect(new Set(results.map((x) => x.partialFingerprints[FINGERPRINT])).size).toBe(11);
  });
});
