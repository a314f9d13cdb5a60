// Plan files in every shape users have, and plan problems reported with file, pointer and expectation.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PlanError, findConfigFile, readPlanConfig } from '../../src/plan/index.js';
import { compilePlan, loadPlan } from '../../src/validate/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'plans');

describe('every plan shape loads', () => {
  const cases: [string, string, number, string | undefined, (number | undefined)[]][] = [
    ['acme_web_shop.plan.json', 'data_plan', 45, 'acme_web_shop', [1, 2]],
    ['acme_web_shop-2.version.json', 'plan_version', 35, 'acme_web_shop', [2]],
    ['acme_web_shop-1.version.json', 'plan_version', 10, 'acme_web_shop', [1]],
    ['acme_web_shop-2.document.json', 'version_document', 35, undefined, [undefined]],
    ['streamly_tv-3.version.json', 'plan_version', 32, 'streamly_tv', [3]],
    ['tiny_plan.document.json', 'version_document', 2, undefined, [undefined]],
    ['tiny_plan.builder-export.json', 'builder_export', 2, undefined, [undefined]],
    ['tiny_plan.sdk-config.json', 'sdk_config', 2, 'tiny_plan', [1]],
  ];
  for (const [file, shape, points, id, versions] of cases) {
    it(file, () => {
      const plan = loadPlan(join(FIX, file));
      expect(plan.source.shape).toBe(shape);
      expect(plan.id).toBe(id);
      expect(plan.versions.map((v) => v.version.version)).toEqual(versions);
      expect(plan.versions.reduce((n, v) => n + v.points.length, 0)).toBe(points);
      expect(plan.errors).toEqual([]);
    });
  }
  it('reads block settings from the SDK wrapper and from validation_actions', () => {
    expect(loadPlan(join(FIX, 'tiny_plan.sdk-config.json')).getVersion()!.version.blocking).toEqual({ events: true, eventAttributes: true, userAttributes: false, userIdentities: false });
    const p = compilePlan({ data_points: [], settings: { validation_actions: { event: 'drop_event', event_attribute: 'allow', user_attribute: 'drop_attribute' } } });
    expect(p.getVersion()!.version.blocking).toEqual({ events: true, eventAttributes: false, userAttributes: true, userIdentities: false });
  });
  it('accepts a validate-API request body ({document, batch})', () => {
    expect(compilePlan({ document: { data_points: [] }, batch: {} }).source.shape).toBe('validate_request');
  });
});

describe('unusable plans stop with a clear error', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dataplan-plans-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(tmp, name), text);
    return join(tmp, name);
  };
  const err = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e as PlanError;
    }
    throw new Error('expected an error');
  };
  it('a plan list', () => {
    const e = err(() => loadPlan(join(FIX, 'acme_web_shop.list.json')));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.message).toMatch(/list of data plans/);
  });
  it('invalid JSON, with line and column', () => {
    const e = err(() => loadPlan(write('bad.json', '{\n  "data_points": [\n    {"match": }\n  ]\n}')));
    expect([e.file.endsWith('bad.json'), e.line, e.column]).toEqual([true, 3, 15]);
    expect(e.where).toMatch(/bad\.json:3:15$/);
  });
  it('no data_points, a missing file, not a plan at all', () => {
    expect(err(() => loadPlan(write('empty.json', '{"data_points": {}}'))).pointer).toBe('/data_points');
    expect(err(() => loadPlan(join(tmp, 'nope.json'))).message).toMatch(/file not found/);
    expect(err(() => loadPlan(write('other.json', '{"hello": 1}'))).message).toMatch(/not a data plan/);
    expect(err(() => loadPlan(write('versions.json', '{"data_plan_versions": [{"version": 1}]}'))).message).toMatch(/no version of this plan carries a version_document/);
  });
});

describe('plan problems: reported with a pointer, confined to the broken part', () => {
  const def = (attr: Record<string, unknown>) => ({ properties: { data: { properties: { custom_attributes: { additionalProperties: false, properties: { a: attr, ok: { type: 'string', enum: ['x'] } } } } } } });
  const plan = compilePlan({
    data_points: [
      { match: { type: 'custom_event', criteria: { event_name: 'Bad Regex', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: def({ type: 'string', pattern: '([a-z' }) } },
      { match: { type: 'custom_event', criteria: { event_name: 'Bad Format', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: def({ type: 'string', format: 'emial' }) } },
      { match: { type: 'custom_events', criteria: { event_name: 'X', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: {} } },
      { match: { type: 'custom_event', criteria: { event_name: 'Bad Type', custom_event_type: 'Navigation' } }, validator: { type: 'json_schema', definition: {} } },
      { match: { type: 'screen_view', criteria: { screen_name: 'No Validator' } } },
      { match: { type: 'screen_view', criteria: { screen_name: 'Other Validator' } }, validator: { type: 'regex', definition: {} } },
      { match: { type: 'custom_event', criteria: { event_name: 'Bad Keyword', custom_event_type: 'other' } }, validator: { type: 'json_schema', definition: def({ type: 'string', minLength: 'three' }) } },
    ],
  }, 'plan.json');
  const found = plan.problems.map((p) => [p.severity, p.code, p.pointer]);
  it('finds each problem at its JSON pointer', () => {
    expect(found).toEqual([
      ['error', 'invalid_regex', '/data_points/0/validator/definition/properties/data/properties/custom_attributes/properties/a/pattern'],
      ['warning', 'unknown_format', '/data_points/1/validator/definition/properties/data/properties/custom_attributes/properties/a/format'],
      ['error', 'unknown_match_type', '/data_points/2/match/type'],
      ['error', 'invalid_criteria', '/data_points/3/match/criteria/custom_event_type'],
      ['error', 'missing_validator', '/data_points/4/validator'],
      ['error', 'unsupported_validator', '/data_points/5/validator/type'],
      ['error', 'invalid_schema', '/data_points/6/validator/definition/properties/data/properties/custom_attributes/properties/a/minLength'],
    ]);
    expect(plan.problems.every((p) => p.file === 'plan.json' && p.expected && p.message)).toBe(true);
    expect(plan.problems[2].message).toMatch(/did you mean "custom_event"/);
    expect(plan.problems[3].message).toMatch(/did you mean "navigation"/);
  });
  it('still checks the rest of each broken point, and counts its events as planned', () => {
    const b = (name: string, screen = false, a: unknown = 'zz') => screen
      ? { event_type: 'screen_view', data: { screen_name: name, custom_attributes: { anything: 1 } } }
      : { event_type: 'custom_event', data: { event_name: name, custom_event_type: 'other', custom_attributes: { a, ok: 'y', extra: 1 } } };
    const r = plan.validateBatch({ events: [b('Bad Regex'), b('Bad Format'), b('No Validator', true), b('Other Validator', true), b('Bad Keyword', false, 'ab')] }, { force: true });
    expect(r.violations.map((v) => `${v.event_index}:${v.violation}:${v.key}`)).toEqual([
      '0:invalid_expected_value:ok', '0:unplanned_event_attribute:extra',
      '1:invalid_expected_value:ok', '1:unplanned_event_attribute:extra',
      '4:invalid_expected_value:ok', '4:unplanned_event_attribute:extra',
    ]);
  });
});

describe('mp.config.json', () => {
  it('is found walking up, and its paths resolve against the working directory first, then the config folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'dataplan-cfg-'));
    mkdirSync(join(root, 'plans'));
    mkdirSync(join(root, 'app', 'src'), { recursive: true });
    writeFileSync(join(root, 'plans', 'v2.json'), '{"data_points": []}');
    writeFileSync(join(root, 'mp.config.json'), JSON.stringify({ global: { workspaceId: '1', clientId: 'a', clientSecret: 'b' }, planningConfig: { dataPlanVersionFile: './plans/v2.json' } }));
    const found = findConfigFile(join(root, 'app', 'src'))!;
    expect(found).toBe(join(root, 'mp.config.json'));
    const fromRoot = readPlanConfig(found, root)!;
    expect([fromRoot.planFile, fromRoot.warnings]).toEqual([join(root, 'plans', 'v2.json'), []]);
    const fromDeep = readPlanConfig(found, join(root, 'app', 'src'))!;
    expect(fromDeep.planFile).toBe(join(root, 'plans', 'v2.json'));
    expect(fromDeep.warnings[0]).toMatch(/relative to the config file's folder/);
  });
  it('honours dataPlanFile + versionNumber', () => {
    const root = mkdtempSync(join(tmpdir(), 'dataplan-cfg-'));
    writeFileSync(join(root, 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanFile: 'plan.json', versionNumber: 2 } }));
    expect(readPlanConfig(join(root, 'mp.config.json'), root)).toMatchObject({ planFile: join(root, 'plan.json'), version: 2 });
  });
});

describe('version numbers', () => {
  const doc = { data_points: [] };
  it('a version number listed twice is an error at the second; the first is used', () => {
    const p = compilePlan({ data_plan_id: 'p', data_plan_versions: [{ version: 2, activated_environment: 'production', version_document: doc }, { version: 2, activated_environment: 'none', version_document: doc }] }, 'p.json');
    expect(p.problems.map((x) => [x.severity, x.code, x.pointer])).toEqual([['error', 'duplicate_version', '/data_plan_versions/1/version']]);
    expect(p.problems[0].message).toBe('version 2 is listed twice (also at /data_plan_versions/0); the first is used');
    expect(p.versions.map((v) => [v.version.version, v.version.environment])).toEqual([[2, 'production']]);
  });
  it('version 0 is not a version number (a positive integer)', () => {
    const p = compilePlan({ data_plan_id: 'p', version: 0, version_document: doc }, 'p.json');
    expect(p.problems.map((x) => [x.severity, x.code])).toEqual([['error', 'invalid_version']]);
  });
});
