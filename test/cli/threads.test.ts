// Threads never change the answer: the same bytes for --jobs 1, --jobs 2 and the default, results in
// input order, and streamed output equal to results collected batch by batch from the library.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePlan, writeWorkload, ISSUE_MIX } from '../../bench/workload.mjs';
import { jsonReporter, jsonResult, prettyReporter } from '../../src/report/index.js';
import { loadPlan } from '../../src/validate/index.js';
import { WorkerPool, chunkSize } from '../../src/validate/parallel.js';
import { runValidation } from '../../src/validate/run.js';
import { FIX, ROOT } from './helpers.js';

/** The real executable, with room for a few MB of output. */
function bin(argv: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dataplan.js'), ...argv], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

interface Report {
  results: { source: string; batch: number; line?: number; violations: unknown[] }[];
  errors: { file: string; line?: number; column?: number; message: string }[];
  summary: { batches: number; violation_count: number; input_errors: number; sources: number };
}

const dir = mkdtempSync(join(tmpdir(), 'dataplan-threads-'));
const plan = join(dir, 'plan.json');
const big = join(dir, 'big.ndjson');
const small = join(dir, 'small.ndjson');
const single = join(FIX, 'batches', 'violation-unplanned-events.json');
/** 1-based lines of what was put in: a broken line, a bulk line, a number, a line with bad UTF-8. */
const at = { broken: 0, bulk: 0, number: 0, utf8: 0 };

beforeAll(() => {
  writeFileSync(plan, JSON.stringify(makePlan(160, 30)));
  // ~6 MB of generated batches (several 2 MB chunks) with input errors spread through it.
  writeWorkload(big, 2000, 160, 30, ISSUE_MIX);
  const lines = readFileSync(big, 'utf8').trimEnd().split('\n');
  lines.splice(5, 0, '{"events": [');
  lines.splice(700, 0, '', '   ');
  lines.splice(900, 0, `[${lines[10]},${lines[11]}]`);
  lines.splice(1300, 0, '42');
  lines.splice(1600, 0, '{"events":[{"event_type":"custom_event","data":{"event_name":"x\u00e9"}}]}');
  at.broken = lines.indexOf('{"events": [') + 1;
  at.bulk = lines.findIndex((l) => l.startsWith('[')) + 1;
  at.number = lines.indexOf('42') + 1;
  at.utf8 = lines.findIndex((l) => l.includes('x\u00e9')) + 1;
  const bytes = Buffer.from(lines.join('\n') + '\n');
  // Invalid UTF-8 on one line near the end: an error naming its byte offset.
  bytes[bytes.lastIndexOf('x\u00e9') + 1] = 0xff;
  writeFileSync(big, bytes);
  writeWorkload(small, 50, 160, 30, ISSUE_MIX);
});

const args = (format: string) => ['validate', big, single, small, '--plan', plan, '--format', format];

describe('validate with threads', { timeout: 120_000 }, () => {
  it('prints the same bytes with --jobs 1, --jobs 2 and the default, JSON and pretty', () => {
    for (const format of ['json', 'pretty']) {
      const one = bin([...args(format), '--jobs', '1']);
      const two = bin([...args(format), '--jobs', '2']);
      const auto = bin(args(format));
      expect(one.code).toBe(2);
      expect(one.stderr).toBe('');
      expect(two.stdout).toBe(one.stdout);
      expect(auto.stdout).toBe(one.stdout);
      expect([two.code, auto.code]).toEqual([2, 2]);
    }
  });

  it('keeps input order: sources as given, batches by index, errors by line', () => {
    const out = JSON.parse(bin([...args('json'), '--jobs', '2']).stdout) as Report;
    expect(out.summary.sources).toBe(3);
    const sources = [...new Set(out.results.map((r) => r.source))];
    expect(sources).toEqual([big, single, small]);
    const ofBig = out.results.filter((r) => r.source === big);
    expect(ofBig.map((r) => r.batch)).toEqual(ofBig.map((_, i) => i));
    const lines = ofBig.map((r) => r.line!);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    // The bulk line holds two batches on one line.
    expect(lines.filter((l) => l === at.bulk)).toHaveLength(2);
    expect(lines).toContain(at.number);
    expect(out.errors.map((e) => [e.file, e.line])).toEqual([[big, at.broken], [big, at.utf8]]);
    expect(out.errors[0].message).toMatch(/^invalid JSON: expected/);
    expect(out.errors[1].message).toMatch(/^invalid UTF-8 at byte offset \d+ \(bytes ff/);
    // The number is a batch with an error of its own, in its place.
    expect(out.summary.input_errors).toBe(3);
  });

  it('worker threads render exactly what one thread collects batch by batch', async () => {
    const compiled = loadPlan(plan);
    // Expected: each line validated on its own through the library, rendered with jsonResult.
    const expected: unknown[] = [];
    let index = 0;
    readFileSync(small, 'utf8').trimEnd().split('\n').forEach((line, i) => {
      expected.push(jsonResult({ source: small, batch: index++, line: i + 1, result: compiled.validateBatch(JSON.parse(line)) }));
    });
    for (const make of [jsonReporter, (w: (s: string) => void) => prettyReporter(w)]) {
      const outputs: string[] = [];
      for (const pool of [undefined, new WorkerPool(plan, 2, { mainShare: false })]) {
        let text = '';
        await runValidation({ plan: compiled, sources: [small, big], reporter: make((s) => void (text += s)), jobs: pool ? 3 : 1, pool });
        outputs.push(text);
      }
      expect(outputs[1]).toBe(outputs[0]);
      if (make === jsonReporter) {
        const report = JSON.parse(outputs[0]) as Report;
        expect(report.results.filter((r) => r.source === small)).toEqual(expected);
        expect(report.summary.violation_count).toBe(report.results.reduce((n, r) => n + r.violations.length, 0));
      }
    }
  });
});

describe('chunk sizes', () => {
  const KB = 1024;
  const MB = 1024 * KB;
  it('one thread reads 256 KB chunks throughout', () => {
    expect([0, 1, 5].map((i) => chunkSize(i * 256 * KB, 60 * MB, i, 1))).toEqual([256 * KB, 256 * KB, 256 * KB]);
    expect(chunkSize(60 * MB - 1000, 60 * MB, 50, 1)).toBe(256 * KB);
  });
  it('with workers, the first chunks double from 64 KB up to 256 KB', () => {
    expect([0, 1, 2, 3, 9].map((i) => chunkSize(i * MB, 60 * MB, i, 2) / KB)).toEqual([64, 128, 256, 256, 256]);
  });
  it('with workers, the last chunks shrink to a share of what is left, never under 64 KB', () => {
    expect(chunkSize(59 * MB, 60 * MB, 400, 2)).toBe(256 * KB);
    expect(chunkSize(60 * MB - 512 * KB, 60 * MB, 401, 2)).toBe(128 * KB);
    expect(chunkSize(60 * MB - 1000, 60 * MB, 500, 2)).toBe(64 * KB);
    expect(chunkSize(58 * MB, 60 * MB, 400, 4)).toBe(256 * KB);
    expect(chunkSize(60 * MB - 1 * MB, 60 * MB, 401, 4)).toBe(128 * KB);
  });
});
