/** The commands as a user runs them: `dataplan demo`, `dataplan stream` (a real process, stopped with Ctrl-C), `--connect`. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { example, PLAN, post, tempDir, removeTempDirs, waitFor } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'dataplan.js');
// `stream` serves HTTPS too: its generated certificate goes to a scratch config directory, not the user's.
process.env.XDG_CONFIG_HOME = tempDir();

function io(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), stdin: new PassThrough(), cwd: process.cwd(), isTTY: false, out, err };
}

interface Proc {
  child: ChildProcessWithoutNullStreams;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
}

const running: ChildProcessWithoutNullStreams[] = [];
afterAll(removeTempDirs);
// A failed assertion must not leave a receiver running.
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(args: string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('dataplan demo', () => {
  it('without a terminal: sends the built-in traffic once, prints it and a summary, and exits 0', async () => {
    const o = io();
    expect(await main(['demo', '--port', '0', '--rate', '500'], o)).toBe(0);
    const out = o.out.join('');
    expect(out).toMatch(/✓ screen_view {4}Home/);
    expect(out).toMatch(/✗ custom_event {3}Wishlist Shared \(social\) .* 1 violation/);
    expect(out).toMatch(/– batch \d+ \(web\): not validated: the batch has no context\.data_plan\.plan_id/);
    expect(out).toMatch(/! rejected POST \/v3\/JS\/demo-key\/events: 400 malformed_json/);
    expect(out).toMatch(/Summary: 37 batches \(36 validated, 1 not validated\), 38 events\n {2}23 violations: /);
    expect(out).toMatch(/1 rejected request/);
    expect(o.err.join('')).toMatch(/dataplan demo: a receiver on http:\/\/127\.0\.0\.1:\d+ with the bundled plan/);
    expect(o.err.join('')).toMatch(/web SDK: {2}mParticle\.init\(KEY, \{ isDevelopmentMode: true, forceHttps: false, requestConfig: false, domain: '127\.0\.0\.1:8787'/);
  });

  it('--json --count: NDJSON records and a summary record', async () => {
    const o = io();
    expect(await main(['demo', '--port', '0', '--rate', '500', '--json', '--count', '5'], o)).toBe(0);
    const recs = o.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(recs.filter((r) => r.type === 'event')).toHaveLength(5);
    expect(recs[recs.length - 1]).toMatchObject({ type: 'summary', events: 5 });
  });
});

describe('dataplan stream', () => {
  it('runs until Ctrl-C, prints each event, captures, and ends with a summary; --connect follows it', async () => {
    const dir = tempDir();
    const capture = join(dir, 'session.ndjson');
    const p = run(['stream', '--no-ui', '--port', '0', '--plan', PLAN, '--capture', capture]);
    await waitFor(() => p.err().includes('Ctrl-C to stop'), 10_000, 'the banner');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(p.err())![1];
    expect(p.err()).toMatch(/plan: Acme Web Shop \(acme_web_shop\): v1 production, v2 development/);
    expect(p.err()).toMatch(/Node SDK: api\.apiClient\.basePath = 'http:\/\/127\.0\.0\.1:\d+\/v2'/);

    const viewer = run(['stream', '--no-ui', '--connect', url.replace('http', 'ws')]);
    await waitFor(() => /following ws:\/\//.test(viewer.err()), 10_000, 'the viewer');

    await post(`${url}/v2/events`, example('violation-unplanned-events'));
    await waitFor(() => p.out().includes('checkout_option'), 5000, 'the event lines');
    expect(p.out()).toMatch(/✗ custom_event {3}Wishlist Shared \(social\) \[batch 1#0 · C0012345\] 1 violation/);
    await waitFor(() => viewer.out().includes('checkout_option'), 5000, 'the viewer\'s lines');
    expect(viewer.out()).toMatch(/✗ screen_view {4}About Us/);

    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    expect(p.out()).toMatch(/Summary: 1 batch \(1 validated, 0 not validated\), 7 events/);
    expect(p.err()).toMatch(/1 batches captured in .*session\.ndjson/);
    expect(readFileSync(capture, 'utf8').trim().split('\n')).toHaveLength(1);
    // The viewer ends when the receiver goes away.
    expect(await viewer.exit).toBe(0);
  }, 30_000);

  it('names a busy port and a broken plan, exit 2', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const o = io();
      expect(await main(['stream', '--no-ui', '--port', String(port), '--plan', PLAN], o)).toBe(2);
      expect(o.err.join('')).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use; pass --port N`));
    } finally {
      busy.close();
    }
    const o = io();
    expect(await main(['stream', '--no-ui', '--port', '0', '--plan', 'no-such-plan.json'], o)).toBe(2);
    expect(o.err.join('')).toMatch(/no-such-plan\.json/);
    const o2 = io();
    expect(await main(['stream', '--no-ui', '--port', '0', '--plan', PLAN, '--max-body', 'lots'], o2)).toBe(2);
    expect(o2.err.join('')).toMatch(/"lots" is not a size/);
  });
});
