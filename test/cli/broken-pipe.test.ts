/**
 * `dataplan … | head -1`: the reader leaves early. Through the real binary, with a pipe closed after
 * the first chunk: no EPIPE trace on stderr, and the exit code the command has anyway (CI reads 1 as
 * violations, so a broken pipe must not turn a clean run into 1).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ROOT } from './helpers.js';

const BIN = join(ROOT, 'bin', 'dataplan.js');
const env = { ...process.env, NO_COLOR: '1' };

/** Run the binary, read its first chunk of stdout, then close the pipe; resolves when it exits. */
function closeEarly(args: string[]): Promise<{ code: number | null; signal: string | null; first: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => void (stderr += s));
    child.stdout.once('data', (chunk: Buffer) => {
      first = chunk.toString('utf8', 0, Math.min(chunk.length, 200));
      child.stdout.destroy();
    });
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, first, stderr }));
  });
}

/** The same command read to the end: its output size and exit code. */
function readAll(args: string[]): { code: number | null; bytes: number } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env, maxBuffer: 1 << 28 });
  return { code: r.status, bytes: r.stdout.length };
}

// Enough output that the child is still writing when the pipe closes (a pipe buffers 64 KB).
const dir = mkdtempSync(join(tmpdir(), 'dataplan-pipe-'));
const batchLine = (f: string) => JSON.stringify(JSON.parse(readFileSync(join(ROOT, 'plans', 'examples', f), 'utf8')));
const VIOLATING = join(dir, 'violating.ndjson');
const CLEAN = join(dir, 'clean.ndjson');
writeFileSync(VIOLATING, `${batchLine('violation-user-attributes.json')}\n`.repeat(3000));
writeFileSync(CLEAN, `${batchLine('clean-s2s-order-string-values.json')}\n`.repeat(3000));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: [string, string[], number][] = [
  ['validate --format json, violations', ['validate', VIOLATING, '--format', 'json'], 1],
  ['validate --format json, clean', ['validate', CLEAN, '--format', 'json'], 0],
  ['validate (pretty), violations', ['validate', VIOLATING], 1],
  ['validate (pretty), clean', ['validate', CLEAN], 0],
  ['validate --format junit, violations', ['validate', VIOLATING, '--format', 'junit'], 1],
  ['validate --format sarif, violations', ['validate', VIOLATING, '--format', 'sarif'], 1],
  ['validate --format github, violations', ['validate', VIOLATING, '--format', 'github'], 1],
  ['replay --format json, violations', ['replay', VIOLATING, '--format', 'json'], 1],
  ['compile', ['compile'], 0],
  ['demo --no-ui --json', ['demo', '--no-ui', '--json', '--port', '0', '--count', '300', '--rate', '1000'], 0],
];

describe('a stdout closed early (dataplan … | head)', { timeout: 120_000 }, () => {
  it.each(cases)('%s: quiet, and the exit code it has anyway', async (_name, args, expected) => {
    const full = readAll(args);
    expect(full.code).toBe(expected);
    expect(full.bytes).toBeGreaterThan(256 * 1024);
    const r = await closeEarly(args);
    expect(r.first.length).toBeGreaterThan(0);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled 'error'|node:events|\n\s+at /);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(expected);
  });
});

describe('once stdout says it is closed', { timeout: 120_000 }, () => {
  /** validate in-process with a writer that closes after `closesAfter` writes. */
  const run = async (format: string, closesAfter: number) => {
    let calls = 0;
    const stdout = Object.assign(() => void calls++, { closed: () => calls >= closesAfter });
    const code = await main(['validate', VIOLATING, '--format', format], { stdout, stderr: () => undefined, stdin: Readable.from([]), cwd: ROOT, color: false });
    return { code, calls };
  };
  it.each(['json', 'pretty', 'github'])('validate --format %s stops formatting, and the verdict stands', async (format) => {
    const open = await run(format, Infinity);
    expect(open).toMatchObject({ code: 1, calls: expect.any(Number) });
    expect(open.calls).toBeGreaterThan(3000);
    // Closed after its first write, as a pipe whose reader has gone: at most the rest of that batch's lines follow.
    const closed = await run(format, 1);
    expect(closed.code).toBe(1);
    expect(closed.calls).toBeLessThan(10);
  });
  it.each(['junit', 'sarif'])('validate --format %s builds no report nobody reads', async (format) => {
    expect(await run(format, 0)).toEqual({ code: 1, calls: 0 });
  });
});
