/** `dataplan stream` as a mobile developer starts it: HTTPS beside HTTP, the certificate named and fingerprinted, mobile traffic in the lines. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/io.js';
import { main } from '../../../src/cli/main.js';
import type { BatchRecord, EventRecord } from '../../../src/stream/index.js';
import { detailLines } from '../../../src/tui/render.js';
import { removeTempDirs, tempDir, waitFor } from '../helpers.js';
import { androidUpload, MOBILE_PLAN, msg } from './helpers.js';

const BIN = join(import.meta.dirname, '..', '..', '..', 'bin', 'dataplan.js');
const running: ChildProcessWithoutNullStreams[] = [];
afterAll(removeTempDirs);
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function run(args: string[], config: string) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: config } });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

function io(): CliIO & { err: string[] } {
  const err: string[] = [];
  return { stdout: () => undefined, stderr: (s) => void err.push(s), stdin: new PassThrough(), cwd: process.cwd(), isTTY: false, err };
}

function postTls(url: string, ca: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('dataplan stream over HTTPS', () => {
  it('prints the HTTPS address, the certificate path and its SHA-256 fingerprint; mobile uploads show as android with the app', async () => {
    const config = tempDir();
    const p = run(['stream', '--no-ui', '--port', '0', '--plan', MOBILE_PLAN], config);
    await waitFor(() => p.err().includes('Ctrl-C to stop'), 15_000, 'the banner');
    const https = /https: +(https:\/\/127\.0\.0\.1:\d+)/.exec(p.err())![1];
    const certFile = /cert: +(\S+) \(generated now\)/.exec(p.err())![1];
    const fingerprint = /SHA-256: +([0-9A-F:]{95})/.exec(p.err())![1];
    expect(certFile).toBe(join(config, 'dataplan', 'tls', 'cert.pem'));
    const ca = readFileSync(certFile, 'utf8');
    expect(new X509Certificate(ca).fingerprint256).toBe(fingerprint);

    const upload = androidUpload([msg('e', 1, { n: 'Simple Event Name', et: 'Other', attrs: { SimpleKey: 'SimpleValue' } }), msg('pre', 2, { n: 'Opened push' })], { ua: { $Age: '12' } });
    const status = await postTls(`${https}/v2/us1-abc/events`, ca, gzipSync(JSON.stringify(upload)), { 'content-encoding': 'gzip', 'user-agent': 'mParticle Android SDK/5.70.0' });
    expect(status).toBe(202);
    await waitFor(() => p.out().includes('Opened push'), 5000, 'the event lines');
    expect(p.out()).toMatch(/✗ batch 1 \(android · Acme Shop 4\.2\.0 \(420\)\): 1 batch-level violation/);
    expect(p.out()).toMatch(/✓ custom_event {3}Simple Event Name \(other\) \[batch 1#0 · 123456\]/);
    expect(p.out()).toMatch(/– pre +Opened push \[batch 1 msg 1 · 123456\] \(not validated: push notification interaction/);
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);

    // The next start reuses the certificate.
    const again = run(['stream', '--no-ui', '--port', '0', '--plan', MOBILE_PLAN], config);
    await waitFor(() => again.err().includes('Ctrl-C to stop'), 15_000, 'the second banner');
    expect(again.err()).toContain(`cert:     ${certFile}\n`);
    expect(again.err()).toContain(fingerprint);
    again.child.kill('SIGINT');
    expect(await again.exit).toBe(0);
  }, 60_000);

  it('--no-https serves HTTP only; a busy --https-port, or --cert without --key, exit 2 with what to do', async () => {
    process.env.XDG_CONFIG_HOME = tempDir();
    const off = run(['stream', '--no-ui', '--port', '0', '--no-https', '--plan', MOBILE_PLAN], process.env.XDG_CONFIG_HOME);
    await waitFor(() => off.err().includes('Ctrl-C to stop'), 15_000, 'the banner');
    expect(off.err()).not.toMatch(/https:|SHA-256/);
    off.child.kill('SIGINT');
    expect(await off.exit).toBe(0);

    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const o = io();
      expect(await main(['stream', '--no-ui', '--port', '0', '--https-port', String(port), '--plan', MOBILE_PLAN], o)).toBe(2);
      expect(o.err.join('')).toContain(`HTTPS port ${port} on 127.0.0.1 is in use; pass --https-port N (0 picks a free one) or --no-https`);
    } finally {
      busy.close();
    }
    const o = io();
    expect(await main(['stream', '--no-ui', '--port', '0', '--cert', 'mine.pem', '--plan', MOBILE_PLAN], o)).toBe(2);
    expect(o.err.join('')).toContain('--cert and --key go together: pass both (got only --cert)');
  }, 60_000);
});

describe('the UI', () => {
  it('shows the source and the app in the details, and why a message was not translated', () => {
    const batch = { batch_id: 4, received_at: new Date().toISOString(), endpoint: 'POST /v2/k/events', source: 'ios', app: { name: 'Acme', version: '2.1', build: '7' }, validated: true, plan_id: 'mobile_app', plan_version: 1, event_count: 1, violation_count: 0, violations: [], errors: [], not_translated: [] } as BatchRecord;
    const event = { id: 9, batch_id: 4, event_index: -1, message_index: 2, received_at: batch.received_at, event_type: 'media', name: '', validated: false, reason: 'not_translated', not_translated: 'Media SDK message (iOS)', violations: [], source: 'ios', plan_version: 1, data: { dt: 'media' } } as EventRecord;
    const text = detailLines({ key: 1, batch, event }, 120, false).join('\n');
    expect(text).toContain('batch 4 msg 2 · ios · Acme 2.1 (7) · mobile_app v1');
    expect(text).toContain('not validated: Media SDK message (iOS)');
  });
});
