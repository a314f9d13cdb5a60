/**
 * mParticle's own ESLint plugin test suite (mParticle/eslint-plugin, tests/lib/rules/data-planning.js: 14 valid and
 * 11 invalid cases), kept as data in fixtures/lint/mparticle-suite/cases.json and run here through configs.recommended
 * with their plan (testDataPlans/sampleDataPlan.json), named by their mp.config.json without ".json" as their plugin
 * `require`s it. Every case agrees with theirs except the documented semantic differences, listed in
 * docs/semantics.md ("## ESLint plugin").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter, RuleTester } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import type { RuleName } from '../../src/lint/check.js';
import { loadPlan } from '../../src/validate/index.js';
import { FIXTURES } from './helpers.js';

const SUITE = join(FIXTURES, 'lint', 'mparticle-suite');
interface Case {
  name: string;
  code: string;
  /** Their plugin's messages (none: a valid case). */
  theirs: string[];
  /** Ours under configs.recommended. */
  ours: Array<{ rule: RuleName; message: string }>;
  /** The event the web SDK sends for the call, where the verdict turns on a core rule (null attributes are absent). */
  sends?: unknown;
  /** Why we differ, when we do. */
  difference?: string;
}
const data = JSON.parse(readFileSync(join(SUITE, 'cases.json'), 'utf8')) as { theirRuleFor: Record<string, RuleName>; cases: Case[] };
const PLAN = join(SUITE, 'testDataPlans', 'sampleDataPlan.json');
const cases = data.cases;
/** Their RuleTester ran scripts (eslintrc defaults), not modules. */
const LANGUAGE = { sourceType: 'script', ecmaVersion: 2015 } as const;
const FILE = join(SUITE, 'case.js');

function lint(code: string, settings: Record<string, unknown> = {}): Array<{ rule: string; message: string }> {
  const linter = new Linter({ configType: 'flat', cwd: SUITE });
  return linter.verify(code, [{ languageOptions: LANGUAGE, settings: { dataplan: settings } }, plugin.configs.recommended], { filename: FILE })
    .map((m) => ({ rule: m.ruleId!.replace('dataplan/', ''), message: m.message }));
}

/** Same verdict: both clean, or the same number of problems of the same kinds. */
function agrees(c: Case, ours: Array<{ rule: string }>): boolean {
  const theirs = c.theirs.map((m) => data.theirRuleFor[m]).sort();
  return JSON.stringify(theirs) === JSON.stringify(ours.map((o) => o.rule).sort());
}

describe("mParticle's ESLint plugin suite through configs.recommended", () => {
  it('has their 25 cases', () => {
    expect([cases.filter((c) => c.theirs.length === 0).length, cases.filter((c) => c.theirs.length > 0).length]).toEqual([14, 11]);
  });

  for (const c of cases) {
    it(`${c.theirs.length ? 'invalid' : 'valid'}: ${c.name}`, () => {
      const ours = lint(c.code);
      expect(ours).toEqual(c.ours);
      // Agreement with their verdict, or a documented difference.
      expect(agrees(c, ours)).toBe(!c.difference);
    });
  }

  it('where a case turns on a core rule, validate says of the event the SDK sends what the plugin says', () => {
    const core = loadPlan(PLAN);
    const turning = cases.filter((c) => c.sends !== undefined);
    expect(turning).toHaveLength(2);
    for (const c of turning) expect(core.validateEvent(c.sends).violations.map((v) => v.message), c.name).toEqual(c.ours.map((o) => o.message));
  });

  it('every case agrees except the documented semantic differences (convertible values, Node SDK calls)', () => {
    const differ = cases.filter((c) => !agrees(c, lint(c.code)));
    expect(differ.every((c) => c.difference?.startsWith('convertible:') || c.difference?.startsWith('node-sdk:'))).toBe(true);
    expect(cases.length - differ.length).toBe(20);
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'semantics.md'), 'utf8');
    const section = docs.slice(docs.indexOf('\n## ESLint plugin')).replace(/\s+/g, ' ');
    expect(section.length).toBeGreaterThan(20);
    for (const c of differ) expect(section).toContain(c.name);
  });

  it('with strictTypes the convertible cases are reported as theirs are', () => {
    for (const c of cases.filter((x) => x.difference?.startsWith('convertible:'))) {
      expect(lint(c.code, { strictTypes: true }).map((o) => o.rule), c.name).toEqual(['valid-attribute-value']);
    }
  });
});

// The same cases as RuleTester tables, one per rule of configs.recommended that any case reports.
const tester = new RuleTester({ languageOptions: LANGUAGE });
for (const rule of [...new Set(cases.flatMap((c) => c.ours.map((o) => o.rule)))]) {
  tester.run(`mParticle suite: ${rule}`, plugin.rules[rule], {
    valid: cases.filter((c) => !c.ours.some((o) => o.rule === rule)).map((c) => ({ code: c.code, filename: FILE, name: c.name })),
    invalid: cases.filter((c) => c.ours.some((o) => o.rule === rule)).map((c) => ({
      code: c.code, filename: FILE, name: c.name,
      errors: c.ours.filter((o) => o.rule === rule).map((o) => ({ message: o.message })),
    })),
  });
}
