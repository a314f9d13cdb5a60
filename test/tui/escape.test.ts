/**
 * Issue 10 item 7: text from the wire never acts on the terminal. Control characters in event names,
 * attributes, users, reasons and paths (`ESC ]0;…` sets the title, `ESC [2J` clears the screen, a C1
 * CSI, a bidi override) are shown escaped in `--no-ui` lines, in NDJSON and in the UI.
 */
import blessed from 'blessed';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { LivePlan, Receiver } from '../../src/stream/index.js';
import { linePrinter, StreamTui } from '../../src/tui/index.js';
import { example, PLAN, post, waitFor } from '../stream/helpers.js';

// Real servers, sockets and processes: room for a busy machine (no timing is asserted).
vi.setConfig({ testTimeout: 30_000 });

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'dataplan.js');
const TITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J';
const CSI = '\u009b31m';
const BIDI = '\u202e';

/** A batch whose names, attributes and user carry terminal escapes. */
function hostile(): Record<string, unknown> {
  const base = example('violation-unplanned-events');
  return {
    ...base,
    user_identities: { customer_id: `C1${CLEAR}` },
    events: [
      { event_type: 'custom_event', data: { event_name: `Buy${TITLE}`, custom_event_type: `other${CSI}`, custom_attributes: { [`k${CLEAR}`]: `v${BIDI}\r\n` } } },
      { event_type: 'screen_view', data: { screen_name: `Home${CLEAR}` } },
    ],
  };
}

/** Control characters a terminal acts on, other than the newlines that end lines. */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const running: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('--no-ui lines', () => {
  it('escape control characters from a real receiver: event names, attributes, users, reasons, paths', async () => {
    const child = spawn(process.execPath, [BIN, 'stream', '--no-ui', '--no-watch', '--no-https', '--port', '0', '--plan', PLAN], { env: { ...process.env, NO_COLOR: '1' } });
    running.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(err)?.[1], 10_000, 'the receiver');
    expect((await post(`${url}/v2/events`, hostile())).status).toBe(202);
    await fetch(`${url}/v9/${encodeURIComponent(TITLE)}`, { method: 'POST', body: '{}' });
    await waitFor(() => out.includes('rejected'), 5000, 'the rejection line');
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toMatch(RAW);
    expect(out).toContain('Buy\\x1b]0;pwned\\x07 (other\\x9b31m)');
    expect(out).toContain('Home\\x1b[2J');
    expect(out).toContain('C1\\x1b[2J');
    // The violation message quotes the name: escaped there too.
    expect(out).toMatch(/unplanned_event Unplanned event: custom_event "Buy\\x1b\]0;pwned\\x07"/);
    expect(out).toMatch(/rejected POST \/v9\/%1B%5D0%3Bpwned%07/);
  }, 30_000);

  it('NDJSON escapes what JSON.stringify leaves raw (C1, bidi), and stays valid JSON', async () => {
    const out: string[] = [];
    const receiver = new Receiver({ plan: new LivePlan(PLAN) });
    receiver.subscribe(linePrinter((s) => out.push(s), { json: true }));
    await receiver.ingest([hostile()], { endpoint: 'POST /v2/events', source: 'node' });
    const text = out.join('');
    expect(text).not.toMatch(RAW);
    const events = text.trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.type === 'event');
    expect(events[0].custom_event_type).toBe(`other${CSI}`);
    expect(events[0].data.custom_attributes[`k${CLEAR}`]).toBe(`v${BIDI}\r\n`);
  });
});

describe('the terminal UI', () => {
  it('sends the terminal no control characters from the data, and shows them escaped', async () => {
    const written: string[] = [];
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
    const output = Object.assign(new Writable({ write: (c, _e, cb) => (written.push(String(c)), cb()) }), { columns: 120, rows: 30, isTTY: true });
    const screen = blessed.screen({ input, output: output as never, terminal: 'xterm-256color', warnings: false, fullUnicode: true });
    const receiver = new Receiver({ plan: new LivePlan(PLAN) });
    const tui = new StreamTui({ screen, where: '127.0.0.1:8787', onQuit: () => undefined });
    try {
      tui.feed({ type: 'hello', summary: receiver.summary() });
      receiver.subscribe(tui.feed);
      await receiver.ingest([hostile()], { endpoint: 'POST /v2/events', source: 'node' });
      receiver.reject({ method: 'POST', path: `/v9/${TITLE}`, status: 404, reason: 'not_found', message: `no endpoint ${CLEAR}` });
      // Select the custom event: its attributes are in the detail pane.
      input.write('\x1b[A');
      await new Promise((r) => setImmediate(r));
      tui.render();
      const text = tui.text().join('\n');
      expect(text).toContain('Buy\\x1b]0;pwned\\x07 (other\\x9b31m)');
      expect(text).toContain('Home\\x1b[2J');
      expect(text).toMatch(/k\\x1b\[2J\s+"v\\u202e\\r\\n"/);
      expect(text).toContain('/v9/\\x1b]0;pwned\\x07');
      // What reached the terminal: blessed's own sequences, none of the data's.
      const bytes = written.join('');
      expect(bytes).not.toContain(TITLE);
      expect(bytes).not.toContain('pwned\x07');
      expect(bytes).not.toContain(CSI);
      expect(bytes).not.toContain(BIDI);
      for (const raw of [`Home${CLEAR}`, `k${CLEAR}`, `C1${CLEAR}`, `endpoint ${CLEAR}`]) expect(bytes).not.toContain(raw);
    } finally {
      tui.destroy();
    }
  });
});
