/**
 * The unmodified `@mparticle/web-sdk` in headless Chromium, on a page served from another origin, against a
 * real receiver: explicit service URLs, the `domain` form, and `sendBeacon` on unload.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { get, post, start, waitFor } from './helpers.js';

const require = createRequire(import.meta.url);
const SDK = readFileSync(require.resolve('@mparticle/web-sdk/dist/mparticle.js'), 'utf8');
const KEY = 'us1-0123456789abcdef0123456789abcdef';

let s: RunningStream;
let site: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  s = await start();
  // The app under test: its own origin (localhost, not 127.0.0.1), so every call to the receiver is cross-origin.
  site = createServer((req, res) => {
    if (req.url === '/mparticle.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(SDK);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>web SDK test page</title><script src="/mparticle.js"></script><h1>shop</h1>');
    }
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://localhost:${(site.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // launch() gives every run a fresh, temporary profile (user data dir).
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 30_000);

afterAll(async () => {
  await browser?.close();
  site?.close();
  await s?.close();
});

beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

/** Open the page (fresh storage) and init the SDK; resolves once identify has answered. */
async function openApp(config: Record<string, unknown>) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await page.goto(origin);
  const identified = await page.evaluate(([key, cfg]) => new Promise<string>((resolve) => {
    const mp = (globalThis as unknown as { mParticle: any }).mParticle; // eslint-disable-line @typescript-eslint/no-explicit-any
    mp.init(key, { ...cfg, identityCallback: (r: { httpCode: number; getUser(): { getMPID(): string } }) => resolve(`${r.httpCode}:${r.getUser()?.getMPID()}`) });
  }), [KEY, config] as const);
  return { context, page, identified, logs };
}

/** What the page does, in plain SDK calls: a clean visit, then the mistakes. */
async function shop(page: import('playwright-core').Page): Promise<void> {
  await page.evaluate(() => {
    const mp = (globalThis as unknown as { mParticle: any }).mParticle; // eslint-disable-line @typescript-eslint/no-explicit-any
    const T = mp.EventType;
    mp.Identity.getCurrentUser().setUserAttribute('loyalty_tier', 'gold');
    mp.logPageView('Home');
    mp.logEvent('Navbar Click', T.Navigation, { label: 'Shop', position: 0 });
    mp.logEvent('Search Performed', T.Search, { query: 'running shoes', result_count: 42 });
    const p = mp.eCommerce.createProduct('Trail Runner', 'SKU-10001', 89.99, 1, 'Blue', 'Footwear', 'Acme', undefined, undefined, { size: 'M', color: 'blue' });
    mp.eCommerce.logProductAction(mp.ProductActionType.AddToCart, [p], { source: 'pdp' });
    // Mistakes: an unplanned event, a wrong event type, a missing attribute, bad values, an unplanned user attribute.
    mp.logEvent('Wishlist Shared', T.Social, { item_count: 2 });
    mp.logEvent('Navbar Click', T.Other, { label: 'Blog' });
    mp.logEvent('Search Performed', T.Search, { query: 'socks' });
    mp.logEvent('Coupon Applied', T.Transaction, { coupon_code: 'spring-20', discount_pct: 120 });
    mp.Identity.getCurrentUser().setUserAttribute('shoe_size', 42);
    mp.logEvent('Review Submitted', T.UserContent, { rating: 5 });
  });
}

type Ev = { name: string; event_type: string; validated: boolean; reason?: string; violations: Array<{ violation: string; key: string }> };
const verdict = (e: Ev) => `${e.event_type} ${e.name}: ${e.violations.map((v) => `${v.violation}:${v.key}`).join(', ') || (e.validated ? 'ok' : e.reason)}`;

const EXPECTED = [
  'screen_view Home: ok',
  'custom_event Navbar Click: ok',
  'custom_event Search Performed: ok',
  'commerce_event add_to_cart: ok',
  'custom_event Wishlist Shared: unplanned_event:Wishlist Shared',
  'custom_event Navbar Click: unplanned_event:Navbar Click',
  'custom_event Search Performed: missing_required:result_count',
  'custom_event Coupon Applied: invalid_expected_value:coupon_code, invalid_expected_value:discount_pct',
  'custom_event Review Submitted: ok',
];

/** The app's events (not the SDK's bookkeeping), in the order they were logged. */
async function appEvents(n: number): Promise<Ev[]> {
  const all = await waitFor(async () => {
    const evs: Ev[] = await get(`${s.url}/dataplan/events`);
    const mine = evs.filter((e) => ['screen_view', 'custom_event', 'commerce_event'].includes(e.event_type));
    return mine.length >= n ? evs : undefined;
  }, 10_000, `${n} events from the browser`);
  return all!;
}

function checkBookkeeping(all: Ev[]): void {
  const others = all.filter((e) => !['screen_view', 'custom_event', 'commerce_event'].includes(e.event_type));
  expect(others.length).toBeGreaterThan(0);
  // session_start / application_state_transition are planned in v2; attribute and identity changes are bookkeeping.
  for (const e of others) {
    if (e.event_type === 'user_attribute_change' || e.event_type === 'user_identity_change') expect(e).toMatchObject({ validated: false, reason: 'not_plannable', violations: [] });
    else expect(e.violations).toEqual([]);
  }
}

describe('@mparticle/web-sdk in Chromium → dataplan stream', () => {
  it('explicit service URLs with batching: identify, uploads, the right violations', async () => {
    const host = s.url.replace('http://', '');
    const { context, page, identified } = await openApp({
      isDevelopmentMode: true, forceHttps: false, requestConfig: false,
      identityUrl: `${host}/v1/`, v3SecureServiceUrl: `${host}/v3/JS/`, v2SecureServiceUrl: `${host}/v2/JS/`, v1SecureServiceUrl: `${host}/v1/JS/`,
      aliasUrl: `${host}/v1/identity/`, configUrl: `${host}/JS/v2/`,
      dataPlan: { planId: 'acme_web_shop', planVersion: 2 },
      identifyRequest: { userIdentities: { customerid: 'C1234567', email: 'jane.doe@example.com' } },
      flags: { eventBatchingIntervalMillis: 1000 },
    });
    expect(identified).toMatch(/^200:\d+$/);
    await shop(page);
    await page.evaluate(() => (globalThis as unknown as { mParticle: { upload(): void } }).mParticle.upload());
    const all = await appEvents(EXPECTED.length);
    const mine = all.filter((e) => ['screen_view', 'custom_event', 'commerce_event'].includes(e.event_type));
    // Uploads can overtake each other on parallel connections; compare as sets of verdicts.
    expect(mine.map(verdict).sort()).toEqual([...EXPECTED].sort());
    checkBookkeeping(all);
    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches.every((b: { source: string; api_key: string; endpoint: string }) => b.source === 'web' && b.api_key === KEY && b.endpoint === `POST /v3/JS/${KEY}/events`)).toBe(true);
    const last = batches[batches.length - 1];
    expect(last.user_identities).toMatchObject({ customer_id: 'C1234567' });
    expect(last.mpid).toBe(identified.split(':')[1]);
    // shoe_size is flagged on every batch sent after it was set.
    expect(last.violations.map((v: { violation: string; key: string }) => `${v.violation}:${v.key}`)).toEqual(['unplanned_user_attribute:shoe_size']);
    expect((await get(`${s.url}/dataplan/summary`)).rejected).toBe(0);
    await context.close();
  });

  it('the domain form, one upload per event', async () => {
    const { context, page, identified } = await openApp({
      isDevelopmentMode: true, forceHttps: false, requestConfig: false, domain: s.url.replace('http://', ''),
      dataPlan: { planId: 'acme_web_shop', planVersion: 2 },
      identifyRequest: { userIdentities: { customerid: 'C7654321' } },
    });
    expect(identified).toMatch(/^200:\d+$/);
    await shop(page);
    const all = await appEvents(EXPECTED.length);
    // One fetch per event, on parallel connections: they may land in any order.
    expect(all.filter((e) => ['screen_view', 'custom_event', 'commerce_event'].includes(e.event_type)).map(verdict).sort()).toEqual([...EXPECTED].sort());
    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches.every((b: { endpoint: string }) => b.endpoint === `POST /webevents/v3/JS/${KEY}/events`)).toBe(true);
    await context.close();
  });

  it('events still queued when the page goes away arrive by sendBeacon', async () => {
    const host = s.url.replace('http://', '');
    const { context, page } = await openApp({
      isDevelopmentMode: true, forceHttps: false, requestConfig: false,
      identityUrl: `${host}/v1/`, v3SecureServiceUrl: `${host}/v3/JS/`,
      dataPlan: { planId: 'acme_web_shop', planVersion: 2 },
      identifyRequest: { userIdentities: { customerid: 'C1234567' } },
      flags: { eventBatchingIntervalMillis: 60000 },
    });
    await shop(page);
    await new Promise((r) => setTimeout(r, 300));
    const before = (await get(`${s.url}/dataplan/events?type=custom_event`)).length;
    expect(before).toBeLessThan(7);
    await page.goto('about:blank');
    const all = await appEvents(EXPECTED.length);
    expect(all.filter((e) => ['screen_view', 'custom_event', 'commerce_event'].includes(e.event_type)).map(verdict).sort()).toEqual([...EXPECTED].sort());
    await context.close();
  });
});
