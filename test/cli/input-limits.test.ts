// validate on large and odd input: long lines, files without newlines, deep nesting, bad UTF-8,
// symlink loops; and --block --out that never loses data.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIX, bin, cli } from './helpers.js';

const PLAN = join(FIX, 'plans', 'acme_web_shop-2.version.json');
// Blocking on: the unplanned screen and attribute in this batch would be dropped.
const BLOCK_PLAN = join(FIX, 'plans', 'tiny_plan.sdk-config.json');
const MINIMAL = join(FIX, 'batches', 'violation-minimal.json');
const tmp = () => mkdtempSync(join(tmpdir(), 'dataplan-input-'));
const ok = '{"events":[]}';

interface Out {
  results: { source: string; line: number }[];
  errors: { file: string; line?: number; column?: number; message: string }[];
  summary: { sources: number; batches: number };
}
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Out;

describe('validate: long lines', () => {
  it('a line over --max-line is an error naming file and line; the lines around it are validated', async () => {
    const dir = tmp();
    const f = join(dir, 'b.ndjson');
    writeFileSync(f, `${ok}\n{"events":[],"x":"${'y'.repeat(5000)}"}\n${ok}\n`);
    const r = await cli(['validate', f, '--plan', PLAN, '--max-line', '4KB', '--format', 'json']);
    expect(r.code).toBe(2);
    const out = json(r);
    expect(out.results.map((x) => x.line)).toEqual([1, 3]);
    expect(out.errors).toEqual([expect.objectContaining({ file: f, line: 2, message: 'line longer than 4 KB (--max-line); it is not read' })]);
    // Under the limit the same line is read.
    expect(json(await cli(['validate', f, '--plan', PLAN, '--max-line', '8KB', '--format', 'json'])).errors).toEqual([]);
  });

  it('a file without a newline over the limit fails naming the file', () => {
    const dir = tmp();
    const f = join(dir, 'one-line.json');
    writeFileSync(f, `{"events":[],"x":"${'y'.repeat(20_000)}"}`);
    const r = bin(['validate', f, '--plan', PLAN, '--max-line', '16KB']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${f}:1:1: error: line longer than 16 KB (--max-line); it is not read (no line break before it: the file is read as one line)`);
  }, 30_000);

  it('a pretty-printed document over the limit is refused as a whole, naming where it starts', async () => {
    const dir = tmp();
    const f = join(dir, 'doc.json');
    writeFileSync(f, JSON.stringify({ events: Array.from({ length: 200 }, (_, i) => ({ event_type: 'custom_event', data: { event_name: `e${i}` } })) }, null, 2));
    const r = await cli(['validate', f, '--plan', PLAN, '--max-line', '4KB', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(json(r).errors[0].message).toMatch(/^the JSON document from line 1 is larger than 4 KB \(--max-line\); it is not read/);
  });

  it('reads a 40 MB line whole (kept as chunks, never re-scanned)', async () => {
    const dir = tmp();
    const f = join(dir, 'long.ndjson');
    writeFileSync(f, `{"events":[],"x":"${'y'.repeat(40 * 1024 * 1024)}"}\n${ok}\n`);
    const out = json(await cli(['validate', f, '--plan', PLAN, '--format', 'json', '--jobs', '1']));
    expect([out.summary.batches, out.errors]).toEqual([2, []]);
  }, 60_000);

  it('refuses a --max-line that is not a size, or beyond what JavaScript can hold', async () => {
    expect((await cli(['validate', '--max-line', 'lots'])).stderr).toMatch(/--max-line "lots": expected a size such as 1048576, 64KB or 256MB/);
    const r = await cli(['validate', '--max-line', '2GB']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/--max-line 2GB: expected 1 byte to \d+MB/)]);
  });
});

describe('validate: deep nesting, the same in every format', () => {
  const dir = tmp();
  const f = join(dir, 'deep.json');
  // A violation whose value is 100,000 arrays deep: JSON reporters used to overflow the stack on it.
  writeFileSync(f, `{"context":{"data_plan":{"plan_id":"acme_web_shop"}},"user_attributes":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
  for (const format of ['pretty', 'json', 'junit', 'sarif', 'github']) {
    it(`--format ${format}: one input error at the line and column, exit 2`, async () => {
      const r = await cli(['validate', f, '--plan', PLAN, '--format', format]);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(/call stack/);
      expect(r.stdout).toContain('arrays and objects nested deeper than 1000 levels; the batch is not read');
    });
  }
  it('names the place in NDJSON, and in invalid JSON too', async () => {
    const g = join(dir, 'deep.ndjson');
    writeFileSync(g, `${ok}\n{"x":${'['.repeat(1500)}\n${ok}\n`);
    const out = json(await cli(['validate', g, '--plan', PLAN, '--format', 'json']));
    expect(out.results.map((x) => x.line)).toEqual([1, 3]);
    expect(out.errors).toEqual([expect.objectContaining({ line: 2, column: 1005, message: expect.stringMatching(/nested deeper than 1000/) })]);
  });
});

describe('validate: invalid UTF-8', () => {
  it('is reported by byte offset with the file named, not turned into U+FFFD', async () => {
    const dir = tmp();
    const f = join(dir, 'latin1.ndjson');
    writeFileSync(f, Buffer.concat([Buffer.from(`${ok}\n{"events":[],"city":"Malm`), Buffer.from([0xf6]), Buffer.from(`"}\n${ok}\n`)]));
    const r = await cli(['validate', f, '--plan', PLAN, '--format', 'json']);
    const out = json(r);
    expect(out.results.map((x) => x.line)).toEqual([1, 3]);
    expect(out.errors).toEqual([expect.objectContaining({ file: f, line: 2, column: 26, message: 'invalid UTF-8 at byte offset 39 (bytes f6 22 7d); batches are UTF-8 JSON' })]);
  });
  it('says when a file is UTF-16', async () => {
    const dir = tmp();
    const f = join(dir, 'utf16.json');
    writeFileSync(f, Buffer.from(`\ufeff{\n  "events": []\n}\n`, 'utf16le'));
    const out = json(await cli(['validate', f, '--plan', PLAN, '--format', 'json']));
    expect(out.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^invalid UTF-8 at byte offset 0 .*the file is UTF-16; save it as UTF-8/)]);
  });
});

describe('validate: each file once', () => {
  it('through a symlink loop, a link to a listed file, or a path named twice', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.json'), ok);
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync(join('sub', 'a.json'), join(dir, 'alias.json'));
    const out = json(await cli(['validate', dir, join(dir, 'sub', 'a.json'), '--plan', PLAN, '--format', 'json']));
    expect([out.summary.sources, out.results.length]).toEqual([1, 1]);
  });
});

describe('validate --block --out DIR never loses data', () => {
  const setup = () => {
    const dir = tmp();
    mkdirSync(join(dir, 'in', 'a'), { recursive: true });
    mkdirSync(join(dir, 'in', 'b'));
    writeFileSync(join(dir, 'in', 'a', 'x.json'), readFileSync(MINIMAL));
    const line = JSON.stringify(JSON.parse(readFileSync(MINIMAL, 'utf8')));
    writeFileSync(join(dir, 'in', 'b', 'x.ndjson'), `${line}\n`.repeat(2000));
    writeFileSync(join(dir, 'in', 'b', 'x.json'), readFileSync(MINIMAL));
    return dir;
  };

  it('refuses DIR = the input folder (exit 2), leaving the inputs whole', () => {
    const dir = setup();
    const before = readFileSync(join(dir, 'in', 'b', 'x.ndjson'), 'utf8');
    const r = bin(['validate', join(dir, 'in'), '--plan', BLOCK_PLAN, '--block', '--out', join(dir, 'in'), '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--out would overwrite the input .*x\.(nd)?json with its filtered copy/);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'in', 'b', 'x.ndjson'), 'utf8')).toBe(before);
  }, 30_000);

  it('refuses to write through a symbolic link in DIR', async () => {
    const dir = setup();
    const victim = join(dir, 'victim.json');
    writeFileSync(victim, '{"keep":"me"}');
    mkdirSync(join(dir, 'out'));
    symlinkSync(victim, join(dir, 'out', 'x.json'));
    const r = await cli(['validate', join(dir, 'in', 'a', 'x.json'), '--plan', BLOCK_PLAN, '--block', '--out', join(dir, 'out')]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('x.json: is a symbolic link in the --out folder; dataplan does not write through links')]);
    expect(readFileSync(victim, 'utf8')).toBe('{"keep":"me"}');
    // A linked folder, too.
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(dir, 'out2'));
    symlinkSync(elsewhere, join(dir, 'out2', 'a'));
    const r2 = await cli(['validate', join(dir, 'in', 'a', 'x.json'), join(dir, 'in', 'b', 'x.json'), '--plan', BLOCK_PLAN, '--block', '--out', join(dir, 'out2')]);
    expect(r2.code).toBe(2);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('keeps the inputs\' relative paths, so same-named inputs do not collide', async () => {
    const dir = setup();
    const r = await cli(['validate', join(dir, 'in'), '--plan', BLOCK_PLAN, '--block', '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    const files = ['a/x.json', 'b/x.json', 'b/x.ndjson'];
    for (const f of files) expect(lstatSync(join(dir, 'out', f)).isFile(), f).toBe(true);
    expect(readFileSync(join(dir, 'out', 'b', 'x.ndjson'), 'utf8').trim().split('\n')).toHaveLength(2000);
    const filtered = JSON.parse(readFileSync(join(dir, 'out', 'a', 'x.json'), 'utf8'));
    expect(filtered.events).toHaveLength(2);
    expect(filtered.events[0].data.custom_attributes).toEqual({ placement: 'sidebar' });
    // No temporary files left behind.
    expect(readdirSync(join(dir, 'out', 'b')).sort()).toEqual(['x.json', 'x.ndjson']);
    // One file keeps its own name, as before.
    await cli(['validate', join(dir, 'in', 'a', 'x.json'), '--plan', BLOCK_PLAN, '--block', '--out', join(dir, 'single')]);
    expect(existsSync(join(dir, 'single', 'x.json'))).toBe(true);
  });
});
