// Every malformed input: exit 2, a message that says where and what was expected, never a stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, bin } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'dataplan-bad-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const okPlan = join(FIX, 'plans', 'tiny_plan.document.json');
const okBatch = join(FIX, 'batches', 'clean-minimal.json');
mkdirSync(join(dir, 'a-directory.json'));

const cases: [string, string[], RegExp][] = [
  ['plan: invalid JSON', ['validate', okBatch, '--plan', file('p1.json', '{"data_points": [}')], /p1\.json:1:18: invalid JSON: expected a value/],
  ['plan: a list of plans', ['validate', okBatch, '--plan', join(FIX, 'plans', 'acme_web_shop.list.json')], /acme_web_shop\.list\.json#: this is a list of data plans/],
  ['plan: data_points not an array', ['validate', okBatch, '--plan', file('p2.json', '{"data_points": {"a": 1}}')], /p2\.json#\/data_points: data_points is not an array/],
  ['plan: no plan at all', ['validate', okBatch, '--plan', file('p3.json', '[]')], /p3\.json#: this is a list of data plans/],
  ['plan: versions without documents', ['validate', okBatch, '--plan', file('p4.json', '{"data_plan_versions": [{"version": 1}]}')], /p4\.json#\/data_plan_versions: no version of this plan carries a version_document/],
  ['plan: not a plan', ['validate', okBatch, '--plan', file('p5.json', '{"name": "x"}')], /p5\.json#: not a data plan: expected a full plan/],
  ['plan: missing file', ['validate', okBatch, '--plan', join(dir, 'missing.json')], /missing\.json: cannot read: file not found/],
  ['plan: a broken point', ['validate', okBatch, '--plan', file('p6.json', '{"data_points": [{"match": {"type": "screen_view", "criteria": {"screen_name": "Home"}}, "validator": {"type": "json_schema", "definition": {"properties": {"data": {"pattern": "(("}}}}}]}')], /p6\.json#\/data_points\/0\/validator\/definition\/properties\/data\/pattern: error: invalid pattern/],
  ['batch: invalid JSON', ['validate', file('b1.json', '{\n "events": [1,,2]\n}'), '--plan', okPlan], /b1\.json:2:15: error: invalid JSON: expected a value/],
  ['batch: empty file', ['validate', file('b2.json', ''), '--plan', okPlan], /b2\.json: error: empty input/],
  ['batch: not an object', ['validate', file('b3.json', '42'), '--plan', okPlan], /batch is number, expected an object with events/],
  ['batch: a directory named like a file', ['validate', join(dir, 'a-directory.json'), '--plan', okPlan], /a-directory\.json: error: directory contains no \.json/],
  ['batch: missing file', ['validate', join(dir, 'nope.json'), '--plan', okPlan], /nope\.json: error: cannot read: file not found/],
  ['batch: NDJSON with a broken line', ['validate', file('b4.ndjson', '{"events": []}\n{"events": [\n'), '--plan', okPlan, '--force'], /b4\.ndjson:2:13: error: invalid JSON/],
  ['compile: broken plan', ['compile', '--plan', file('p7.json', '{"data_points": 3}')], /p7\.json#\/data_points: data_points is not an array/],
  ['plan check: invalid JSON', ['plan', 'check', '--plan', file('p8.json', '{')], /p8\.json:1:2: invalid JSON/],
  ['usage: unknown command', ['frobnicate'], /Unknown argument: frobnicate/],
  ['usage: --out without --block', ['validate', '--out', dir], /--out goes with --block/],
];

// Each case starts the executable: slow on a busy machine.
describe('malformed input', { timeout: 60_000 }, () => {
  for (const [name, args, message] of cases) {
    it(name, () => {
      const r = bin(args);
      const all = r.stdout + r.stderr;
      expect(r.code, all).toBe(2);
      expect(all).toMatch(message);
      expect(all).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    });
  }
});
