/**
 * The plugin and the core as one: for each call in the table, the unmodified `@mparticle/web-sdk` runs it in headless
 * Chromium and uploads its batch to a capture server on 127.0.0.1; `dataplan validate` judges that batch; the plugin
 * (configs.recommended) lints the same code. The plugin's violations must be exactly validate's, and a call the SDK
 * drops (no event uploaded) must be the one thing the plugin reports as dropped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linter } from 'eslint';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { cli } from '../cli/helpers.js';
import { FIXTURES, PLAN } from './helpers.js';

const require = createRequire(import.meta.url);
const SDK = readFileSync(require.resolve('@mparticle/web-sdk/dist/mparticle.js'), 'utf8');
const KEY = 'us1-0123456789abcdef0123456789abcdef';
const SEMANTICS = join(FIXTURES, 'lint', 'plans', 'sdk-semantics.version.json');
const APP_EVENTS = new Set(['custom_event', 'screen_view', 'commerce_event']);

interface Row {
  code: string;
  /** The SDK drops the call: nothing is uploaded, the plugin reports why. */
  dropped?: boolean;
  /** What validate must say about the SDK's batch, where the table pins the verdict itself (not only agreement). */
  verdict?: string[];
}

const promo = `const promo = mParticle.eCommerce.createPromotion('P1', 'banner', 'Spring', 'hero');\n`;
const shoe = `const shoe = mParticle.eCommerce.createProduct('Trail Runner', 'SKU-10001', 89.99, 1, 'Blue', 'Footwear', 'Acme', undefined, undefined, { size: 'M' });\n`;

/** Calls on acme_web_shop v2. */
const ACME: Row[] = [
  { code: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Shop' });` },
  { code: `mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation);` },
  { code: `mParticle.logEvent('Navbar Click', 1, null);` },
  { code: `mParticle.logEvent('Store Locator Used', mParticle.EventType.Location);` },
  { code: `var attributes;\nmParticle.logEvent('Store Locator Used', 2, attributes);` },
  { code: `mParticle.logEvent('Navbar Click', mParticle.EventType.Other, { label: 'Shop' });` },
  { code: `mParticle.logEvent('Search Performed', 3, { query: 'shoes', result_count: '12' });` },
  { code: `mParticle.logEvent('Search Performed', 3, { query: 'shoes', result_count: -1 });` },
  { code: `mParticle.logEvent('Navbar Click', 1, { label: 'Blog', extra: true });` },
  { code: `mParticle.logEvent('Navbar Click', 1, { label: 'Shop', nested: { a: 1 }, list: [1] });` },
  { code: `mParticle.logEvent('Review Submitted', mParticle.EventType.UserContent, { rating: '5' });` },
  { code: `mParticle.logEvent('Coupon Applied', 4, { coupon_code: 'spring-20', discount_pct: 120 });` },
  { code: `mParticle.logBaseEvent({ name: 'Navbar Click', eventType: 1, data: { label: 'Deals' }, messageType: 4 });` },
  { code: `mParticle.logEvent();`, dropped: true },
  { code: `mParticle.logEvent(42, 1);`, dropped: true },
  { code: `mParticle.logEvent('Navbar Click', 42, { label: 'Shop' });`, dropped: true },
  { code: `mParticle.logEvent('Navbar Click', mParticle.CommerceEventType.ProductClick, { label: 'Shop' });`, dropped: true },
  { code: `mParticle.logPageView('Cart', { item_count: 2 });` },
  { code: `mParticle.logPageView('Cart');` },
  { code: `mParticle.logPageView('Nowhere', { a: 1 });` },
  { code: `${promo}mParticle.eCommerce.logPromotion(1, promo, { placement: 'hero' });` },
  { code: `${promo}mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionClick, [promo], { placement: 'top' });` },
  { code: `${shoe}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToCart, shoe, { source: 'pdp' });` },
  { code: `${shoe}mParticle.eCommerce.logProductAction(1, [shoe]);` },
  { code: `const p = mParticle.eCommerce.createProduct('Trail Runner', 'SKU-10001', 89.99, 1, undefined, undefined, undefined, undefined, undefined, { size: 'XXL' });\nmParticle.eCommerce.logProductAction(1, p, { source: 'pdp' });` },
  { code: `${shoe}mParticle.eCommerce.logProductAction(10, shoe);` },
  { code: `${shoe}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.AddToWishList, shoe);`, dropped: true },
  { code: `${shoe}mParticle.eCommerce.logImpression(mParticle.eCommerce.createImpression('Search Results', shoe));` },
  // indirect shapes: the SDK runs them as written
  { code: `const attrs = {};\nattrs.label = 'Shop';\nmParticle.logEvent('Navbar Click', 1, attrs);` },
  { code: `const attrs = { label: 'Shop' };\nattrs.colour = 'red';\nmParticle.logEvent('Navbar Click', 1, attrs);` },
  { code: `let name = 'Navbar Click';\nname = 'Navbar Clik';\nmParticle.logEvent(name, 1, { label: 'Shop' });` },
  { code: `const open = true;\nmParticle.logEvent(open ? 'Navbar Click' : 'Nope', 1, { label: open ? 'Blog' : 'Shop' });` },
  { code: 'const section = "Footer";\nmParticle.logEvent(`${section} Click`, 1, { label: "Shop" });' },
  { code: `function track(name, attrs) { mParticle.logEvent(name, mParticle.EventType.Navigation, attrs); }\ntrack('Navbar Click', { label: 'Help', position: 'x' });` },
  { code: `class Tracker { sdk = mParticle; nav(label) { this.sdk.logEvent('Navbar Click', this.sdk.EventType.Navigation, { label }); } }\nnew Tracker().nav('Cart');` },
];

/** Calls on a plan whose points pin the action (`const`), with required attributes on an untyped custom_attributes. */
const PINNED: Row[] = [
  // The SDK sends `"action": 1` / `2`; the schema's `"const": "view"` / `"click"` judges the name the platform reads.
  { code: `${promo}mParticle.eCommerce.logPromotion(1, promo, { placement: 'hero' });`, verdict: [] },
  { code: `${promo}mParticle.eCommerce.logPromotion(mParticle.PromotionType.PromotionClick, promo, { placement: 'footer' });`, verdict: ['Attribute "placement" on promotion_action click should be one of "hero", "sidebar", got "footer"'] },
  { code: `${shoe}mParticle.eCommerce.logProductAction(mParticle.ProductActionType.RemoveFromWishlist, shoe);`, verdict: [] },
  { code: `mParticle.logEvent('Login', mParticle.EventType.Other);` },
  { code: `mParticle.logEvent('Login', 8, { method: 'magic' });` },
  { code: `mParticle.logEvent('Signup', mParticle.EventType.UserPreference);` },
  { code: `mParticle.logEvent('Signup', 6, { plan: 3 });` },
];

let browser: Browser;
let site: Server;
let capture: Server;
let origin: string;
let host: string;
const batches: Array<Record<string, unknown>> = [];
const dir = mkdtempSync(join(tmpdir(), 'dataplan-plugin-core-'));

function cors(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'content-type,x-mp-key');
  res.setHeader('access-control-allow-methods', 'POST, GET, OPTIONS');
}

/** Just enough of mParticle's endpoints for the SDK: identity answers with an MPID, event uploads are kept. */
function captureServer(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    cors(res);
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    if (req.url?.includes('/events')) {
      batches.push(JSON.parse(body));
      return void res.writeHead(202).end();
    }
    if (req.url?.startsWith('/v1/')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ context: null, mpid: '8675309', is_ephemeral: false, is_logged_in: false, matched_identities: {} }));
    }
    res.writeHead(200).end('{}');
  });
}

beforeAll(async () => {
  capture = createServer(captureServer);
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(capture.address() as AddressInfo).port}`;
  site = createServer((req, res) => {
    if (req.url === '/mparticle.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(SDK);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>plugin and core</title><script src="/mparticle.js"></script>');
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  site?.close();
  capture?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run every row in the SDK, separated by marker events; the app events each row uploaded, in a batch of its own. */
async function runInSdk(rows: Row[], planId: string, planVersion: number): Promise<Array<Record<string, unknown>>> {
  batches.length = 0;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(origin);
  await page.evaluate(([key, h, id, v]) => new Promise<void>((resolve) => {
    const mp = (globalThis as unknown as { mParticle: any }).mParticle; // eslint-disable-line @typescript-eslint/no-explicit-any
    mp.init(key, {
      isDevelopmentMode: true, forceHttps: false, requestConfig: false,
      identityUrl: `${h}/v1/`, v3SecureServiceUrl: `${h}/v3/JS/`, v2SecureServiceUrl: `${h}/v2/JS/`, v1SecureServiceUrl: `${h}/v1/JS/`, aliasUrl: `${h}/v1/identity/`,
      dataPlan: { planId: id, planVersion: v }, flags: { eventBatchingIntervalMillis: 600000 },
      identityCallback: () => resolve(),
    });
  }), [KEY, host, planId, planVersion] as const);
  // One row at a time: run it, mark its end, upload, and wait for the marker, so no two rows' uploads overlap.
  const events = () => batches.flatMap((b) => b.events as Array<{ event_type: string; data?: { event_name?: string } }>);
  for (const [i, row] of rows.entries()) {
    await page.evaluate(([code, n]) => {
      const mp = (globalThis as unknown as { mParticle: any }).mParticle; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        new Function('mParticle', code)(mp);
      } finally {
        mp.logEvent(`__row_${n}`, mp.EventType.Other);
        mp.upload();
      }
    }, [row.code, i] as const);
    const until = Date.now() + 10_000;
    while (!events().some((e) => e.data?.event_name === `__row_${i}`)) {
      if (Date.now() > until) throw new Error(`the SDK did not upload row ${i}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  await context.close();
  const base = { ...batches[0] };
  delete base.user_attributes;
  const out: Array<Record<string, unknown>> = [];
  let current: unknown[] = [];
  for (const e of events()) {
    if (e.data?.event_name?.startsWith('__row_')) {
      out.push({ ...base, events: current });
      current = [];
    } else if (APP_EVENTS.has(e.event_type)) current.push(e);
  }
  return out;
}

/** What `dataplan validate` reports for a batch. */
async function validate(batch: Record<string, unknown>, plan: string, i: number): Promise<string[]> {
  const file = join(dir, `row-${i}.json`);
  writeFileSync(file, JSON.stringify(batch));
  const r = await cli(['validate', file, '--plan', plan, '--format', 'json']);
  const out = JSON.parse(r.stdout);
  expect(out.results[0].validated).toBe(true);
  return out.results[0].violations.map((v: { message: string }) => v.message).sort();
}

function lint(code: string, plan: string) {
  const linter = new Linter({ configType: 'flat', cwd: dir });
  return linter.verify(code, [{ languageOptions: { sourceType: 'script' } }, plugin.configs.recommended, { settings: { dataplan: { plan } } }], { filename: join(dir, 'app.js') });
}

describe('the plugin reports what validate reports for the batch the web SDK sends', () => {
  for (const [name, plan, id, version, rows] of [
    ['acme_web_shop v2', PLAN, 'acme_web_shop', 2, ACME],
    ['pinned actions, untyped attributes', SEMANTICS, 'enum_checks', 1, PINNED],
  ] as const) {
    it(name, async () => {
      const sent = await runInSdk([...rows], id, version);
      expect(sent).toHaveLength(rows.length);
      const table: string[] = [];
      const want: string[] = [];
      for (const [i, row] of rows.entries()) {
        const events = sent[i].events as unknown[];
        const msgs = lint(row.code, plan);
        const ours = msgs.filter((m) => m.messageId === 'violation').map((m) => m.message).sort();
        const dropped = msgs.filter((m) => m.messageId === 'sdk').map((m) => m.message);
        const theirs = events.length ? await validate(sent[i], plan, i) : [];
        if (row.verdict) expect(theirs, row.code).toEqual(row.verdict);
        // One line per call: what the SDK sent, what validate says, what the plugin says.
        table.push(`${row.code.split('\n').pop()}\n  sdk: ${events.length} event(s); validate: ${JSON.stringify(theirs)}; plugin: ${JSON.stringify(ours)}${dropped.length ? `; dropped: ${JSON.stringify(dropped)}` : ''}`);
        want.push(`${row.code.split('\n').pop()}\n  sdk: ${row.dropped ? 0 : 1} event(s); validate: ${JSON.stringify(theirs)}; plugin: ${JSON.stringify(theirs)}${row.dropped ? `; dropped: ${JSON.stringify(dropped.length === 1 ? dropped : ['exactly one'])}` : ''}`);
      }
      expect(table.join('\n')).toBe(want.join('\n'));
    }, 60_000);
  }
});
