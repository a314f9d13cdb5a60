/** The terminal UI, read back from blessed's screen buffer while real batches stream in. */
import blessed from 'blessed';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LivePlan, Receiver } from '../../src/stream/index.js';
import { StreamTui } from '../../src/tui/index.js';
import { example, PLAN } from '../stream/helpers.js';

type Output = Writable & { columns: number; rows: number; isTTY: boolean };

function fakeTerminal(columns: number, rows: number) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = Object.assign(new Writable({ write: (_c, _e, cb) => cb() }), { columns, rows, isTTY: true }) as Output;
  const screen = blessed.screen({ input, output: output as never, terminal: 'xterm-256color', warnings: false, fullUnicode: true });
  return { input, output, screen };
}

let term: ReturnType<typeof fakeTerminal>;
let receiver: Receiver;
let tui: StreamTui;
let quits = 0;

beforeEach(() => {
  term = fakeTerminal(80, 24);
  receiver = new Receiver({ plan: new LivePlan(PLAN) });
  quits = 0;
  tui = new StreamTui({ screen: term.screen, where: '127.0.0.1:8787', onQuit: () => quits++ });
  tui.feed({ type: 'hello', summary: receiver.summary() });
  receiver.subscribe(tui.feed);
});
afterEach(() => tui.destroy());

const send = (name: string, source: 'web' | 'node' = 'web') => receiver.ingest([example(name)], { endpoint: 'POST /v3/JS/k/events', source });

/** Type keys as a person would (escape sequences included), then draw. */
async function press(...keys: string[]): Promise<void> {
  for (const k of keys) {
    term.input.write(k);
    await new Promise((r) => setImmediate(r));
  }
  tui.render();
}

function screen(): string[] {
  tui.render();
  return tui.text();
}

/** List rows on screen (lines 4 to the divider). */
function rows(): string[] {
  const lines = screen();
  const end = lines.findIndex((l, i) => i > 3 && l.startsWith('────'));
  return lines.slice(4, end).filter((l) => l.trim() !== '');
}

const row = (text: string) => rows().find((l) => l.includes(text));
const mark = (line: string | undefined) => line?.charAt(9);
const detail = () => {
  const lines = screen();
  const start = lines.findIndex((l, i) => i > 3 && l.startsWith('────'));
  // Wrapped messages read as one line.
  return lines.slice(start + 1, lines.length - 1).join('\n').replace(/\s+/g, ' ');
};
const UP = '\x1b[A';

describe('the live list', () => {
  it('shows rows as batches arrive, ✓ for clean and ✗ for violating events', async () => {
    await send('clean-web-shopping-session');
    await send('violation-unplanned-events');
    expect(screen()[0]).toMatch(/^ dataplan stream · acme_web_shop v1 prod, v2 dev · judged by v2\s+127\.0\.0\.1:8787$/);
    expect(screen()[1]).toMatch(/19 events {2}✗ 6/);
    expect(screen()[3]).toMatch(/^time {5}✓ # {2}type/);
    // The list follows the newest rows: the violating batch.
    expect(mark(row('Wishlist Shared (social)'))).toBe('✗');
    expect(mark(row('About Us'))).toBe('✗');
    expect(mark(row('checkout_option'))).toBe('✗');
    expect(row('About Us')).toMatch(/✗ 1 {2}screen_view/);
    const navbar = rows().filter((l) => l.includes('Navbar Click (navigation)'));
    expect(navbar.map(mark)).toEqual(['✓']);
    await press('g');
    expect(mark(row('Home'))).toBe('✓');
    expect(mark(row('Coupon Applied (transaction)'))).toBe('✓');
    expect(rows().every((l) => l.length <= 80)).toBe(true);
    // The UI counts on its own copy: the receiver's counts are untouched.
    expect(receiver.summary()).toMatchObject({ events: 19, violation_count: 6, violations: { unplanned_event: 6 } });
    expect(tui.model.counts).toMatchObject({ events: 19, violation_count: 6, violations: { unplanned_event: 6 } });
  });

  it('marks bookkeeping and not-validated events with –, and shows why in the detail pane', async () => {
    await send('not-validated-no-plan-context');
    expect(mark(row('Wishlist Shared'))).toBe('–');
    expect(detail()).toMatch(/the batch has no context\.data_plan\.plan_id/);
    await send('web-sdk-quirks');
    expect(mark(row('user_attribute'))).toBe('–');
  });

  it('shows the selected event\'s violation messages beside its attributes', async () => {
    await send('violation-invalid-values');
    // The newest row is selected: Review Submitted with rating 7.
    expect(detail()).toMatch(/✗ custom_event "Review Submitted" \(user_content\)\s+1 violation/);
    expect(detail()).toMatch(/✗ custom_attributes\.rating\s+7/);
    expect(detail()).toMatch(/Attribute "rating" on custom_event "Review Submitted" \(user_content\) should be one of 1, 2, 3, 4, 5,\s+got 7/);
    await press(UP, UP, UP);
    expect(detail()).toMatch(/"Coupon Applied" \(transaction\)\s+2 violations/);
    expect(detail()).toMatch(/✗ custom_attributes\.coupon_code\s+"save10"/);
    expect(detail()).toMatch(/should match the pattern "\^\[A-Z0-9\]\{4,12\}\$", got "save10"/);
    await press('r');
    expect(detail()).toMatch(/raw JSON .* "event_type": "custom_event"/);
    expect(detail()).not.toMatch(/"coupon_code"/);
    await press('J', 'J', 'J', 'J', 'J', 'J');
    expect(detail()).toMatch(/"coupon_code": "save10"/);
  });

  it('shows batch-level violations on a batch row, with the user attributes', async () => {
    await send('violation-user-attributes');
    expect(mark(row('user attributes / identities'))).toBe('✗');
    await press(UP);
    const d = detail();
    expect(d).toMatch(/✗ batch \d+: 5 batch-level violations/);
    expect(d).toMatch(/✗ loyalty_tier\s+"diamond"/);
    expect(d).toMatch(/should be one of "bronze", "silver", "gold", "platinum", got "diamond"/);
  });
});

describe('filters, search, pause, clear, help', () => {
  beforeEach(async () => {
    // A taller terminal, so every row of the session fits on screen.
    tui.destroy();
    term = fakeTerminal(100, 40);
    tui = new StreamTui({ screen: term.screen, where: '127.0.0.1:8787', onQuit: () => quits++ });
    tui.feed({ type: 'hello', summary: receiver.summary() });
    receiver.subscribe(tui.feed);
    await send('clean-web-shopping-session');
    await send('violation-unplanned-events');
    await send('violation-invalid-values');
  });

  it('v shows violations only', async () => {
    await press('v');
    const r = rows();
    expect(r).toHaveLength(12);
    expect(r.every((l) => mark(l) === '✗')).toBe(true);
    expect(screen()[2]).toMatch(/\[violations only\]/);
    await press('v');
    expect(rows().some((l) => mark(l) === '✓')).toBe(true);
  });

  it('t cycles through the event types seen', async () => {
    await press('t');
    expect(screen()[2]).toMatch(/\[type: session_start\]/);
    await press('t', 't');
    expect(screen()[2]).toMatch(/\[type: screen_view\]/);
    expect(rows().every((l) => l.includes('screen_view'))).toBe(true);
    expect(rows()).toHaveLength(5);
    await press('T', 'T', 'T');
    expect(screen()[2]).not.toMatch(/\[type:/);
  });

  it('/ searches names, users and violation messages', async () => {
    await press('/', 'c', 'o', 'u', 'p', 'o', 'n', '\r');
    expect(rows()).toHaveLength(2);
    expect(rows().every((l) => l.includes('Coupon Applied (transaction)'))).toBe(true);
    await press('/', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', 'p', 'a', 't', 't', 'e', 'r', 'n', '\r');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().every((l) => /Product Detail|Coupon Applied/.test(l))).toBe(true);
    await press('\x1b');
    await new Promise((r) => setTimeout(r, 60));
    tui.render();
    expect(screen()[2]).not.toMatch(/\[\//);
  });

  it('pause freezes the list while events keep arriving and being counted', async () => {
    await press('p');
    const frozen = rows();
    await send('violation-user-attributes');
    expect(rows()).toEqual(frozen);
    expect(screen()[2]).toMatch(/PAUSED \+2/);
    expect(screen()[1]).toMatch(/^ 26 events/);
    await press('p');
    expect(rows()).not.toEqual(frozen);
    expect(mark(row('user attributes / identities'))).toBe('✗');
    expect(screen()[2]).not.toMatch(/PAUSED/);
  });

  it('c clears the list, ? shows the keys, q quits', async () => {
    await press('c');
    expect(rows().join('\n')).toMatch(/waiting for events/);
    expect(screen()[1]).toMatch(/^ 25 events/);
    await press('?');
    expect(screen().join('\n')).toMatch(/dataplan stream: keys/);
    await press('x');
    expect(screen().join('\n')).not.toMatch(/dataplan stream: keys/);
    await press('q');
    expect(quits).toBe(1);
  });
});

describe('Enter, the header hint, commerce labels', () => {
  it('Enter after a / search applies it and leaves the attribute view; a plain Enter shows the raw JSON', async () => {
    await send('violation-invalid-values');
    await press('/', 'c', 'o', 'u', 'p', 'o', 'n', '\r');
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().every((l) => l.includes('Coupon Applied'))).toBe(true);
    expect(detail()).not.toMatch(/raw JSON/);
    expect(detail()).toMatch(/✗ custom_attributes\.coupon_code/);
    await press('\r');
    expect(detail()).toMatch(/^raw JSON/);
    await press('\r');
    expect(detail()).not.toMatch(/raw JSON/);
  });

  it('at 80 columns a long notice is cut, the help hint is not', async () => {
    tui.model.notice = { text: 'demo traffic → http://127.0.0.1:35183; your own SDK can send here too, and so can the Node SDK', level: 'info', at: Date.now() };
    const line = screen()[2];
    expect(line).toMatch(/^ demo traffic → http:\/\/127\.0\.0\.1:35183; your own SDK.*… +\? keys {2}q quit$/);
    expect(line.length).toBeLessThanOrEqual(80);
    // With filters on and no notice, the hint is still there.
    tui.model.notice = null;
    await press('v');
    expect(screen()[2]).toMatch(/^ \[violations only\] +\? keys {2}q quit$/);
  });

  it('labels product and promotion clicks apart, in the list, the details and the search', async () => {
    const base = example('clean-web-shopping-session');
    const [first] = base.events as Record<string, unknown>[];
    const commerce = (data: Record<string, unknown>) => ({ ...first, event_type: 'commerce_event', data: { ...(first.data as object), ...data } });
    await receiver.ingest([{ ...base, events: [
      commerce({ product_action: { action: 'click', products: [{ id: 'SKU-10001', name: 'Tee', price: 20 }] } }),
      commerce({ promotion_action: { action: 'click', promotions: [{ id: 'SUMMER', name: 'Summer sale' }] } }),
    ] }], { endpoint: 'POST /v3/JS/k/events', source: 'web' });
    expect(row('click (product)')).toMatch(/commerce_event click \(product\)/);
    expect(row('click (promotion)')).toMatch(/commerce_event click \(promotion\)/);
    expect(detail()).toMatch(/commerce_event "click" \(promotion\)/);
    await press('/', 'p', 'r', 'o', 'm', 'o', 't', 'i', 'o', 'n', '\r');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toContain('click (promotion)');
  });
});

describe('drawing', () => {
  it('coalesces a burst into a few redraws', async () => {
    const before = tui.renders;
    const batch = example('clean-web-shopping-session');
    for (let i = 0; i < 300; i++) await receiver.ingest([batch], { endpoint: 'WS /dataplan/ingest', source: 'ws' });
    await new Promise((r) => setTimeout(r, 250));
    expect(tui.renders - before).toBeLessThanOrEqual(4);
    expect(tui.model.counts.events).toBe(3600);
    expect(screen()[1]).toMatch(/3,600 events/);
  });

  it('resizes cleanly, and puts the detail pane beside the list on a wide terminal', async () => {
    await send('violation-invalid-values');
    term.output.columns = 160;
    term.output.rows = 40;
    term.output.emit('resize');
    await new Promise((r) => setTimeout(r, 50));
    const lines = screen();
    expect(lines).toHaveLength(40);
    expect(lines.every((l) => l.length <= 160)).toBe(true);
    // Side by side: the detail pane's title sits to the right of the list, on the first row.
    expect(lines[4].indexOf('✗ custom_event "Review Submitted"')).toBeGreaterThan(80);
    expect(lines[4].slice(0, 80)).toMatch(/^\d\d:\d\d:\d\d [✓✗–]/);
    term.output.columns = 80;
    term.output.rows = 24;
    term.output.emit('resize');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen()).toHaveLength(24);
    expect(screen()[23]).toMatch(/↑↓ select .* q quit/);
  });

  it('says when a plan reload fails, and which plan is kept', async () => {
    receiver.plan.reload();
    tui.feed({ type: 'plan', plan: { ...receiver.plan.info(), error: { message: 'plan.json:1:3: invalid JSON; keeping the plan loaded at 10:00', at: new Date().toISOString() } } });
    expect(screen()[2]).toMatch(/plan error: plan\.json:1:3: invalid JSON; keeping the plan/);
  });
});
