import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSchemas, diffVersions } from '../../src/diff/index.js';
import { compilePlan } from '../../src/validate/index.js';
import { runCli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'plans');
const tmp = mkdtempSync(join(tmpdir(), 'dataplan-diff-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A UI-style custom event point with the given custom_attributes schema. */
function point(name: string, attrs: Json, extra: Json = {}): Json {
  return {
    description: 'Top navigation item clicked',
    match: { type: 'custom_event', criteria: { event_name: name, custom_event_type: 'navigation' } },
    validator: { type: 'json_schema', definition: { properties: { data: { additionalProperties: true, properties: { custom_attributes: attrs }, required: [], type: 'object' } } } },
    ...extra,
  };
}
const ATTRS: Json = {
  additionalProperties: false,
  properties: {
    label: { description: 'Nav item text', type: 'string', enum: ['Shop', 'Deals', 'Help'] },
    position: { description: '', type: 'number', minimum: 0, maximum: 20 },
    sku: { type: 'string', pattern: '^SKU-[0-9]{5}$' },
    note: { type: ['string', 'null'] },
  },
  required: ['label'],
  type: 'object',
};
function version(n: number, points: Json[]): Json {
  return { version: n, data_plan_id: 'nav', activated_environment: 'development', version_document: { data_points: points } };
}
function diffOf(oldPoints: Json[], newPoints: Json[]) {
  const a = compilePlan(version(1, oldPoints), 'old.json').getVersion()!;
  const b = compilePlan(version(2, newPoints), 'new.json').getVersion()!;
  const ref = (file: string, v: number) => ({ file, plan_id: 'nav', version: v, pointer: '/version_document' });
  return diffVersions(a.version, b.version, { old: ref('old.json', 1), new: ref('new.json', 2) });
}
/** Change one attribute schema and return [class, kind, path] of every change. */
function attrChange(edit: (a: Json) => void) {
  const next = clone(ATTRS);
  edit(next);
  return diffOf([point('Navbar Click', ATTRS)], [point('Navbar Click', next)]).changes.map((c) => [c.class, c.kind, c.path]);
}
const props = (a: Json) => a.properties as Record<string, Json>;

describe('each change class', () => {
  it.each([
    ['removed attribute (closed object)', (a: Json) => delete props(a).sku, [['breaking', 'attribute_removed', 'custom_attributes.sku']]],
    ['removed attribute (open object)', (a: Json) => { delete props(a).sku; a.additionalProperties = true; }, [['compatible', 'attribute_unplanned', 'custom_attributes.sku'], ['compatible', 'additional_properties_allowed', 'custom_attributes']]],
    ['added optional attribute', (a: Json) => (props(a).color = { type: 'string' }), [['compatible', 'attribute_added', 'custom_attributes.color']]],
    ['added required attribute', (a: Json) => { props(a).color = { type: 'string' }; (a.required as string[]).push('color'); }, [['breaking', 'attribute_added_required', 'custom_attributes.color']]],
    ['newly required attribute', (a: Json) => (a.required as string[]).push('position'), [['breaking', 'newly_required', 'custom_attributes.position']]],
    ['no longer required', (a: Json) => (a.required = []), [['compatible', 'no_longer_required', 'custom_attributes.label']]],
    ['narrowed type', (a: Json) => (props(a).note.type = 'string'), [['breaking', 'type_narrowed', 'custom_attributes.note']]],
    ['widened type', (a: Json) => (props(a).position.type = ['number', 'string']), [['compatible', 'type_widened', 'custom_attributes.position']]],
    ['number → integer narrows', (a: Json) => (props(a).position.type = 'integer'), [['breaking', 'type_narrowed', 'custom_attributes.position']]],
    ['changed type', (a: Json) => (props(a).position.type = 'boolean'), [['breaking', 'type_changed', 'custom_attributes.position']]],
    ['narrowed enum', (a: Json) => (props(a).label.enum = ['Shop', 'Deals']), [['breaking', 'enum_narrowed', 'custom_attributes.label']]],
    ['widened enum', (a: Json) => (props(a).label.enum = ['Shop', 'Deals', 'Help', 'Sale']), [['compatible', 'enum_widened', 'custom_attributes.label']]],
    ['enum added', (a: Json) => (props(a).sku.enum = ['SKU-00001']), [['breaking', 'enum_added', 'custom_attributes.sku']]],
    ['enum removed', (a: Json) => delete props(a).label.enum, [['compatible', 'enum_removed', 'custom_attributes.label']]],
    ['narrowed range (maximum down)', (a: Json) => (props(a).position.maximum = 10), [['breaking', 'range_narrowed', 'custom_attributes.position']]],
    ['narrowed range (new minLength)', (a: Json) => (props(a).sku.minLength = 9), [['breaking', 'range_narrowed', 'custom_attributes.sku']]],
    ['widened range (minimum removed)', (a: Json) => delete props(a).position.minimum, [['compatible', 'range_widened', 'custom_attributes.position']]],
    ['pattern changed', (a: Json) => (props(a).sku.pattern = '^SKU-[0-9]{6}$'), [['breaking', 'pattern_changed', 'custom_attributes.sku']]],
    ['pattern removed', (a: Json) => delete props(a).sku.pattern, [['compatible', 'pattern_removed', 'custom_attributes.sku']]],
    ['format added', (a: Json) => (props(a).note.format = 'email'), [['breaking', 'format_added', 'custom_attributes.note']]],
    ['description only', (a: Json) => (props(a).position.description = 'Index in the bar'), [['compatible', 'annotation_changed', 'custom_attributes.position']]],
    ['unsupported keyword added', (a: Json) => (props(a).note.anyOf = [{ minLength: 2 }]), [['breaking', 'schema_changed', 'custom_attributes.note']]],
  ])('%s', (_name, edit, want) => {
    expect(attrChange(edit as (a: Json) => void)).toEqual(want);
  });

  it('object opened to closed is breaking; closed to open compatible', () => {
    const open = { ...clone(ATTRS), additionalProperties: true };
    expect(diffOf([point('Navbar Click', open)], [point('Navbar Click', ATTRS)]).changes.map((c) => [c.class, c.kind])).toEqual([['breaking', 'additional_properties_restricted']]);
    expect(diffOf([point('Navbar Click', ATTRS)], [point('Navbar Click', open)]).changes.map((c) => [c.class, c.kind])).toEqual([['compatible', 'additional_properties_allowed']]);
  });

  it('removed and added data points; a close name is offered as the rename', () => {
    const d = diffOf([point('Navbar Click', ATTRS), point('Search Performed', {})], [point('Navbar Clicked', ATTRS), point('Search Performed', {})]);
    expect(d.changes.map((c) => [c.class, c.kind, c.match_key])).toEqual([
      ['breaking', 'point_removed', 'custom_event:navigation:Navbar Click'],
      ['compatible', 'point_added', 'custom_event:navigation:Navbar Clicked'],
    ]);
    expect(d.changes[0].message).toContain('renamed to "Navbar Clicked"?');
    expect(d.changes[0].old_pointer).toBe('/version_document/data_points/0');
  });

  it('a description-only change of a point is compatible', () => {
    const d = diffOf([point('Navbar Click', ATTRS)], [point('Navbar Click', ATTRS, { description: 'Clicks in the top bar' })]);
    expect(d.changes.map((c) => [c.class, c.kind])).toEqual([['compatible', 'description_changed']]);
  });

  it('nested product schemas are compared too', () => {
    const products = (req: string[]) => ({ properties: { data: { properties: { product_action: { properties: { products: { type: 'array', items: { properties: { id: { type: 'string' }, price: { type: 'number' } }, required: req, type: 'object' } } } } } } } });
    const changes = diffSchemas(products(['id']), products(['id', 'price']));
    expect(changes.map((c) => [c.class, c.kind, c.path])).toEqual([['breaking', 'newly_required', 'data.product_action.products[].price']]);
  });

  it('blocking turned on is breaking', () => {
    const a = compilePlan({ data_points: [] }, 'a.json').getVersion()!;
    const b = compilePlan({ data_points: [], settings: { validation_actions: { event: 'drop_event' } } }, 'b.json').getVersion()!;
    const ref = { file: 'x', plan_id: null, version: null, pointer: '' };
    expect(diffVersions(a.version, b.version, { old: ref, new: ref }).changes.map((c) => [c.class, c.kind, c.path])).toEqual([['breaking', 'blocking_enabled', 'events']]);
  });
});

describe('dataplan diff', () => {
  const write = (name: string, doc: unknown) => {
    const f = join(tmp, name);
    writeFileSync(f, JSON.stringify(doc, null, 2));
    return f;
  };

  it('no arguments: the bundled plan, v1 → v2 (a newly required attribute breaks)', async () => {
    const out = await runCli(['diff']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('acme_web_shop.json@1 → plans/acme_web_shop.json@2');
    expect(out.stdout).toMatch(/breaking +"custom_attributes.category" is now required/);
  });

  it('FILE@N and --from/--to name versions inside one full plan', async () => {
    const full = join(FIX, 'acme_web_shop.plan.json');
    const a = JSON.parse((await runCli(['diff', `${full}@1`, `${full}@2`, '--format', 'json'])).stdout);
    const b = JSON.parse((await runCli(['diff', full, '--from', '1', '--to', '2', '--format', 'json'])).stdout);
    expect(a.old.version).toBe(1);
    expect(a.new.version).toBe(2);
    expect(b.changes).toEqual(a.changes);
    // Reversed: every point v2 added is now removed (breaking).
    const rev = JSON.parse((await runCli(['diff', `${full}@2`, `${full}@1`, '--format', 'json'])).stdout);
    expect(rev.changes.filter((c: { kind: string }) => c.kind === 'point_removed').length).toBe(25);
  });

  it('any shapes: a full plan version against a bare version document of the same content has no changes', async () => {
    const out = await runCli(['diff', `${join(FIX, 'acme_web_shop.plan.json')}@2`, join(FIX, 'acme_web_shop-2.document.json')]);
    expect(out.stdout).toContain('no changes');
    expect(out.code).toBe(0);
  });

  it('compatible changes only (descriptions included) exit 0', async () => {
    const oldF = write('old.json', version(1, [point('Navbar Click', ATTRS)]));
    const next = clone(ATTRS);
    props(next).label.description = 'The text of the item';
    props(next).color = { type: 'string' };
    const newF = write('new.json', version(2, [point('Navbar Click', next), point('Footer Click', {})]));
    const out = await runCli(['diff', oldF, newF]);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('✓ 0 breaking, 3 compatible changes');
  });

  it('markdown for a PR comment lists breaking changes first', async () => {
    const oldF = write('old-md.json', version(1, [point('Navbar Click', ATTRS)]));
    const next = clone(ATTRS);
    props(next).position.maximum = 10;
    props(next).color = { type: 'string' };
    const newF = write('new-md.json', version(2, [point('Navbar Click', next)]));
    const out = await runCli(['diff', oldF, newF, '--format', 'markdown']);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe([
      '### Data plan diff: nav v1 → v2',
      '',
      '**1 breaking** and 1 compatible change.',
      '',
      '| | Data point | Change |',
      '|---|---|---|',
      '| ❌ breaking | custom_event "Navbar Click" (navigation) | maximum of "custom_attributes.position" changed from 20 to 10 |',
      '| ✅ compatible | custom_event "Navbar Click" (navigation) | "custom_attributes.color" was added (optional) |',
      '',
    ].join('\n'));
  });

  it.each([
    [['diff', join(FIX, 'acme_web_shop-2.version.json')], /single version/],
    [['diff', `${join(FIX, 'acme_web_shop.plan.json')}@9`, join(FIX, 'acme_web_shop-2.version.json')], /OLD: there is no version 9 \(the file has 1, 2\)/],
    [['diff', join(FIX, 'acme_web_shop.list.json'), join(FIX, 'acme_web_shop-2.version.json')], /list of data plans/],
    [['diff', join(tmp, 'missing.json'), join(FIX, 'acme_web_shop-2.version.json')], /missing.json: cannot read: file not found/],
    [['diff', `${join(FIX, 'acme_web_shop.plan.json')}@1`, join(FIX, 'acme_web_shop.plan.json'), '--from', '2'], /contradicts/],
  ])('unusable input exits 2: %j', async (argv, msg) => {
    const out = await runCli(argv as string[]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(msg);
  });
});
