/**
 * The `dataplan/eslint` entry (dist/eslint.js) runs the plugin's bundle with a V8 code cache: real ESLint
 * processes over a small project, with the cache cold, warm, damaged, turned off and unwritable, all giving
 * the same diagnostics.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheDir, cacheName } from '../../src/lint/compile-cache.js';
import { FIX, ROOT } from '../cli/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'dataplan-compile-cache-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const project = join(tmp, 'project');
mkdirSync(join(project, 'src'), { recursive: true });
writeFileSync(join(project, 'src', 'page.js'), `import mParticle from '@mparticle/web-sdk';
export function open() {
  mParticle.logEvent('Navbar Clik', mParticle.EventType.Navigation);
  mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Blog' });
}
`);
writeFileSync(join(project, 'eslint.config.mjs'), `import dataplan from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'eslint.js')).href)};
export default [dataplan.configs.recommended, { settings: { dataplan: { plan: ${JSON.stringify(join(FIX, 'plans', 'acme_web_shop-2.version.json'))} } } }];
`);

/** ESLint over the project: its diagnostics, and the cache status the entry reported. */
function lint(cache: string): { rows: string[]; status: string; stderr: string } {
  const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const r = spawnSync(process.execPath, [eslint, '--format', 'json', 'src'], {
    cwd: project, encoding: 'utf8', env: { ...process.env, DATAPLAN_COMPILE_CACHE: cache, DATAPLAN_COMPILE_CACHE_DEBUG: '1' },
  });
  const files = JSON.parse(r.stdout) as { messages: { ruleId: string; line: number; column: number; message: string }[] }[];
  const rows = files.flatMap((f) => f.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`));
  const status = /dataplan: compile cache (\w+)/.exec(r.stderr)?.[1] ?? '';
  return { rows, status, stderr: r.stderr.replace(/^dataplan: compile cache .*\n/m, '') };
}

describe('the ESLint entry\'s code cache', () => {
  const dir = join(tmp, 'cache');
  let expected: string[];

  it('is made by the first run and taken by the next, with the same diagnostics', () => {
    const first = lint(dir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe('miss');
    expect(first.rows.map((r) => r.split(' ')[1])).toEqual(['dataplan/no-unplanned-event', 'dataplan/valid-attribute-value']);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(new RegExp(`^eslint-bundle\\.cjs-[0-9a-f]+-\\d+-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.v8$`));
    const second = lint(dir);
    expect(second.status).toBe('hit');
    expect(second.rows).toEqual(first.rows);
    expected = first.rows;
  });

  it('is rewritten when V8 refuses it (made by another V8, or under other flags)', () => {
    const file = join(dir, readdirSync(dir)[0]!);
    // Intact as a file (its checksum matches), but not data V8 made.
    const data = Buffer.alloc(4096, 7);
    const sealed = Buffer.concat([Buffer.alloc(4), data]);
    sealed.writeUInt32LE(crc32(data), 0);
    writeFileSync(file, sealed);
    const refused = lint(dir);
    expect(refused.status).toBe('rejected');
    expect(refused.rows).toEqual(expected);
    expect(readFileSync(file).equals(sealed)).toBe(false);
    expect(lint(dir).status).toBe('hit');
  });

  it('a damaged file is never handed to V8 (it checks only the header), and is rewritten', () => {
    const file = join(dir, readdirSync(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(file, bytes);
    const damaged = lint(dir);
    expect(damaged.stderr).toBe('');
    expect(damaged.status).toBe('rejected');
    expect(damaged.rows).toEqual(expected);
    expect(lint(dir).status).toBe('hit');
  });

  it('a new cache replaces an earlier build\'s under the same Node, and leaves other Node versions\' alone', () => {
    const old = join(dir, `eslint-bundle.cjs-deadbeef-12345-${process.version}-${process.arch}.v8`);
    const otherNode = join(dir, `eslint-bundle.cjs-deadbeef-12345-v99.0.0-${process.arch}.v8`);
    writeFileSync(old, 'old build');
    writeFileSync(otherNode, 'other node');
    const current = readdirSync(dir).find((f) => f !== basename(old) && f !== basename(otherNode))!;
    rmSync(join(dir, current));
    expect(lint(dir).status).toBe('miss');
    expect(readdirSync(dir).sort()).toEqual([current, basename(otherNode)].sort());
  });

  it('is written by a process that lints, not by one that only loads the plugin', () => {
    const fresh = join(tmp, 'fresh');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'eslint.js')).href)}); console.log(Object.keys(m).join(','), Object.keys(m.default.rules).length);`], {
      encoding: 'utf8', env: { ...process.env, DATAPLAN_COMPILE_CACHE: fresh, DATAPLAN_COMPILE_CACHE_DEBUG: '1' },
    });
    // The plugin is the entry's only export (the cache's hook stays inside the bundle).
    const [names, rules] = r.stdout.trim().split(' ');
    expect(names).toBe('default');
    expect(Number(rules)).toBeGreaterThan(10);
    expect(r.stderr).toContain('compile cache miss');
    expect(existsSync(fresh)).toBe(false);
    expect(lint(fresh).status).toBe('miss');
    expect(readdirSync(fresh)).toHaveLength(1);
    expect(lint(fresh).status).toBe('hit');
  });

  it('can be turned off, and a directory that cannot be written only means no cache', () => {
    const off = lint('0');
    expect(off.status).toBe('off');
    expect(off.rows).toEqual(expected);
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, '');
    const unwritable = lint(join(blocker, 'cache'));
    expect(unwritable.stderr).toBe('');
    expect(unwritable.status).toBe('miss');
    expect(unwritable.rows).toEqual(expected);
    expect(existsSync(join(blocker, 'cache'))).toBe(false);
  });

  it('is named by the bundle\'s bytes, so another build never uses it', () => {
    const a = Buffer.from('module.exports = 1;');
    const b = Buffer.from('module.exports = 2;');
    expect(cacheName('x.cjs', a)).toBe(cacheName('x.cjs', Buffer.from(a)));
    expect(cacheName('x.cjs', a)).not.toBe(cacheName('x.cjs', b));
  });

  it('lives in the installing project\'s node_modules/.cache, or the checkout\'s own', () => {
    expect(cacheDir('/p/node_modules/dataplan', {})).toBe('/p/node_modules/.cache/dataplan');
    expect(cacheDir('/src/dataplan', {})).toBe('/src/dataplan/node_modules/.cache/dataplan');
    expect(cacheDir('/p/node_modules/dataplan', { DATAPLAN_COMPILE_CACHE: '/c' })).toBe('/c');
    expect(cacheDir('/p/node_modules/dataplan', { DATAPLAN_COMPILE_CACHE: 'off' })).toBeUndefined();
  });
});
