import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintPlan, loadRuleSet, RULES, RULES_DIR, type Finding } from '../../src/plan-lint/index.js';
import { ruleSetSchema } from '../../src/plan-lint/rule-set.js';
import { BUNDLED_PLAN } from '../../src/cli/plan-option.js';
import { loadPlan } from '../../src/validate/index.js';
import { runCli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const MESSY = join(FIX, 'lint-plan', 'messy_shop-3.json');
const P = '/version_document/data_points';
const CA = '/validator/definition/properties/data/properties/custom_attributes/properties';

const tmp = mkdtempSync(join(tmpdir(), 'dataplan-lint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function lint(file = MESSY, rules = 'default') {
  return lintPlan(loadPlan(file), loadRuleSet(rules));
}
const pick = (f: Finding) => ({ rule: f.rule, severity: f.severity, pointer: f.pointer });

describe('the default rule set on a plan with one of everything', () => {
  const r = lint();
  const by = (rule: string) => r.findings.filter((f) => f.rule === rule).map(pick);

  it('near-duplicate names are errors: case/spacing, one typo, one name with two event types, attribute spellings', () => {
    expect(by('near-duplicate-names')).toEqual([
      { rule: 'near-duplicate-names', severity: 'error', pointer: `${P}/1/match/criteria/event_name` },
      { rule: 'near-duplicate-names', severity: 'error', pointer: `${P}/1${CA}/productId` },
      { rule: 'near-duplicate-names', severity: 'error', pointer: `${P}/3/match/criteria/event_name` },
      { rule: 'near-duplicate-names', severity: 'error', pointer: `${P}/5/match/criteria/event_name` },
      { rule: 'near-duplicate-names', severity: 'error', pointer: `${P}/8${CA}/color` },
    ]);
    const msgs = r.findings.filter((f) => f.rule === 'near-duplicate-names').map((f) => f.message);
    expect(msgs[0]).toBe('event name "Add To Cart" differs from "Add to Cart" (custom_event "Add to Cart" (transaction)) only in case or separators');
    expect(msgs[2]).toMatch(/"Checkout Startd" is one edit away from "Checkout Started"/);
    expect(msgs[3]).toMatch(/"Search" is also planned with custom_event_type "navigation"/);
    // "Step 1 Completed" / "Step 2 Completed" differ in a digit only: deliberate, not reported.
    expect(r.findings.some((f) => f.message.includes('Step 2'))).toBe(false);
  });

  it('catastrophic and invalid patterns are errors', () => {
    expect(by('catastrophic-regex')).toEqual([{ rule: 'catastrophic-regex', severity: 'error', pointer: `${P}/10${CA}/bio/pattern` }]);
    expect(r.findings.find((f) => f.rule === 'catastrophic-regex')!.message).toContain('"(\\\\w+\\\\s?)+" is a repetition nested in a repetition');
    expect(by('invalid-regex')).toEqual([
      { rule: 'invalid-regex', severity: 'error', pointer: `${P}/10${CA}/handle/pattern` },
      { rule: 'invalid-regex', severity: 'error', pointer: `${P}/10${CA}/slug/pattern` },
    ]);
    const [handle, slug] = r.findings.filter((f) => f.rule === 'invalid-regex');
    expect(handle.message).toBe('pattern "^[a-z" is not a valid regular expression: Unterminated character class; it is not checked');
    expect(slug.message).toMatch(/invalid in unicode mode/);
  });

  it('naming conventions per kind are warnings, with the name in the expected casing', () => {
    expect(r.findings.filter((f) => f.rule === 'naming-convention').map((f) => [f.severity, f.message])).toEqual([
      ['warning', 'event attribute "productId" is not snake_case (expected e.g. "product_id")'],
      ['warning', 'screen name "home page" is not Title Case (expected e.g. "Home Page")'],
      ['warning', 'event attribute "ProductName" is not snake_case (expected e.g. "product_name")'],
      ['warning', 'event attribute "Color" is not snake_case (expected e.g. "color")'],
    ]);
  });

  it('descriptions, permissive points, unplannable match types, unsupported keywords are warnings', () => {
    expect(by('description-required')).toEqual([{ rule: 'description-required', severity: 'warning', pointer: `${P}/8/description` }]);
    expect(by('permissive-point')).toEqual([{ rule: 'permissive-point', severity: 'warning', pointer: `${P}/9/validator/definition` }]);
    expect(by('unplannable-match-type')).toEqual([
      { rule: 'unplannable-match-type', severity: 'warning', pointer: `${P}/13/match/type` },
      { rule: 'unplannable-match-type', severity: 'warning', pointer: `${P}/14/match/type` },
    ]);
    expect(by('unsupported-keyword')).toEqual([{ rule: 'unsupported-keyword', severity: 'warning', pointer: `${P}/12${CA}/email/anyOf` }]);
  });

  it('plan-check carries the core problems with their codes', () => {
    expect(r.findings.filter((f) => f.rule === 'plan-check').map((f) => [f.code, f.severity, f.pointer])).toEqual([
      ['invalid_criteria', 'error', `${P}/11/match/criteria/custom_event_type`],
      ['unknown_format', 'warning', `${P}/12${CA}/phone/format`],
    ]);
  });

  it('every finding names the rule, the data point (match key + pointer) and a line', () => {
    for (const f of r.findings) {
      expect(f.data_point).not.toBeNull();
      expect(f.pointer.startsWith(`${P}/${f.data_point}/`)).toBe(true);
      expect(f.line).toBeGreaterThan(1);
    }
    expect(r.findings.find((f) => f.data_point === 1)!.match_key).toBe('custom_event:transaction:Add To Cart');
  });

  it('every rule of the default set is exercised by this fixture', () => {
    const on = [...loadRuleSet('default').rules].filter(([, s]) => s.level !== 'off').map(([id]) => id);
    expect(on.sort()).toEqual(RULES.map((x) => x.id).sort());
    for (const id of on) expect(r.findings.some((f) => f.rule === id), id).toBe(true);
  });
});

describe('lint-plan on the bundled plan', () => {
  it('has warnings only: the bundled plan is clean where it matters', async () => {
    const out = await runCli(['lint-plan']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/0 errors, \d+ warnings/);
    expect(out.stdout).toContain('screen_view::Home');
  });
});

describe('rule sets: extends and overrides', () => {
  it('a project set overrides one option and one level, keeps the rest', () => {
    const file = join(tmp, 'team.rules.json');
    writeFileSync(file, JSON.stringify({ extends: 'default', rules: { 'naming-convention': ['error', { screen_name: 'lower case' }], 'permissive-point': 'off' } }));
    const set = loadRuleSet(file);
    expect(set.rules.get('naming-convention')!.options).toMatchObject({ screen_name: 'lower case', event_name: 'Title Case' });
    const r = lint(MESSY, file);
    const naming = r.findings.filter((f) => f.rule === 'naming-convention');
    expect(naming.every((f) => f.severity === 'error')).toBe(true);
    expect(naming.some((f) => f.message.includes('home page'))).toBe(false);
    expect(r.findings.some((f) => f.rule === 'permissive-point')).toBe(false);
    expect(set.files).toEqual([join(RULES_DIR, 'default.json'), file]);
  });

  it('strict makes every default warning an error and checks attribute descriptions', () => {
    const r = lint(join(FIX, 'plans', 'tiny_plan.document.json'), 'strict');
    expect(r.findings.every((f) => f.severity === 'error')).toBe(true);
    expect(r.findings.some((f) => f.rule === 'description-required' && f.message.includes('"placement"'))).toBe(true);
  });

  it('a custom pattern convention', () => {
    const file = join(tmp, 'prefix.rules.json');
    writeFileSync(file, JSON.stringify({ rules: { 'naming-convention': ['error', { event_name: { pattern: '^[A-Z]', description: 'starts upper case' }, screen_name: null, event_attribute: null, product_attribute: null, user_attribute: null }] } }));
    const r = lint(MESSY, file);
    expect(r.findings).toEqual([]);
  });

  it.each([
    [{ rules: { 'no-such-rule': 'error' } }, '/rules/no-such-rule', /unknown rule "no-such-rule"/],
    [{ rules: { 'naming-convention': 'loud' } }, '/rules/naming-convention', /expected "error", "warning" or "off"/],
    [{ rules: { 'naming-convention': ['error', { event_name: 'Shouty' }] } }, '/rules/naming-convention/1/event_name', /event_name/],
    [{ rules: { 'permissive-point': ['warning', { colour: true }] } }, '/rules/permissive-point/1', /unknown option "colour"/],
    [{ extends: 'nope' }, '', /rule set not found/],
  ])('an unusable rule set exits 2 and names the place: %j', async (doc, pointer, msg) => {
    const file = join(tmp, 'bad.rules.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = await runCli(['lint-plan', '--rules', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(msg);
    if (pointer) expect(out.stderr).toContain(`bad.rules.json#${pointer}`);
  });

  it('extends cycles are reported', () => {
    writeFileSync(join(tmp, 'a.json'), JSON.stringify({ extends: './b.json' }));
    writeFileSync(join(tmp, 'b.json'), JSON.stringify({ extends: './a.json' }));
    expect(() => loadRuleSet(join(tmp, 'a.json'))).toThrow(/cycle/);
  });

  it('dataplan.rules.json in the working directory is picked up', async () => {
    const dir = mkdtempSync(join(tmp, 'proj-'));
    writeFileSync(join(dir, 'dataplan.rules.json'), JSON.stringify({ extends: 'default', rules: { 'near-duplicate-names': 'warning', 'catastrophic-regex': 'warning', 'invalid-regex': 'warning', 'plan-check': 'warning' } }));
    const out = await runCli(['lint-plan', '--plan', MESSY, '--format', 'json'], { cwd: dir });
    expect(out.code).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.summary.errors).toBe(0);
    expect(json.rule_set.files[1]).toBe(join(dir, 'dataplan.rules.json'));
  });

  it('rules/rule-set.schema.json is generated from the rules', () => {
    const onDisk = JSON.parse(readFileSync(join(RULES_DIR, 'rule-set.schema.json'), 'utf8'));
    expect(onDisk, 'regenerate: node -e "import(\'./dist/plan-lint/rule-set.js\').then(m=>console.log(JSON.stringify(m.ruleSetSchema(),null,2)))" > rules/rule-set.schema.json').toEqual(ruleSetSchema());
  });
});

describe('lint-plan CLI', () => {
  it('exits 1 on error findings, prints file:line and the rule', async () => {
    const out = await runCli(['lint-plan', '--plan', MESSY]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/\d+:\d+ +error +event name "Add To Cart" differs .* near-duplicate-names/);
    expect(out.stdout).toMatch(/✗ 9 errors, 10 warnings/);
  });

  it('json output', async () => {
    const out = await runCli(['lint-plan', '--plan', MESSY, '--format', 'json']);
    const json = JSON.parse(out.stdout);
    expect(json.summary).toEqual({ errors: 9, warnings: 10 });
    expect(json.findings[0]).toMatchObject({ rule: 'near-duplicate-names', match_key: 'custom_event:transaction:Add To Cart', version: 3, data_point: 1 });
  });

  it('unusable plans exit 2', async () => {
    const out = await runCli(['lint-plan', '--plan', join(FIX, 'plans', 'acme_web_shop.list.json')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/list of data plans/);
  });

  it('--version and --all-versions choose what is linted', async () => {
    const one = JSON.parse((await runCli(['lint-plan', '--plan', BUNDLED_PLAN, '--version', '1', '--format', 'json'])).stdout);
    expect(one.versions).toEqual([1]);
    const all = JSON.parse((await runCli(['lint-plan', '--all-versions', '--format', 'json'])).stdout);
    expect(all.versions).toEqual([1, 2]);
    expect((await runCli(['lint-plan', '--version', '7'])).code).toBe(2);
  });
});
