/** The unmodified `mparticle` Node SDK against a real receiver: every event shows up with the right verdict. */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { get, start } from './helpers.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const mp: any = require('mparticle');

let s: RunningStream;
beforeAll(async () => {
  s = await start();
});
afterAll(() => s.close());

/** The README's configuration: an EventsApi whose client points at the receiver. */
function api() {
  const events = new mp.EventsApi(new mp.Configuration('us1-local-key', 'local-secret'));
  events.apiClient.basePath = `${s.url}/v2`;
  return events;
}

function call(fn: (cb: (err: unknown, data: unknown, res: { status: number }) => void) => void): Promise<number> {
  return new Promise((resolve, reject) => fn((err, _data, res) => (err ? reject(err) : resolve(res.status))));
}

function batch(plan: boolean, user: Record<string, unknown>) {
  const b = new mp.Batch(mp.Batch.Environment.development);
  b.user_identities = new mp.UserIdentities();
  b.user_identities.customerid = 'C1234567';
  b.user_identities.email = 'jane.doe@example.com';
  b.user_attributes = user;
  if (plan) b.context = { data_plan: { plan_id: 'acme_web_shop', plan_version: 2 } };
  return b;
}

function appEvent(type: string, name: string, attrs?: Record<string, unknown>) {
  const e = new mp.AppEvent(mp.AppEvent.CustomEventType[type], name);
  if (attrs) e.custom_attributes = attrs;
  return e;
}

function screen(name: string, attrs?: Record<string, unknown>) {
  const e = new mp.ScreenViewEvent(name);
  if (attrs) e.custom_attributes = attrs;
  return e;
}

function commerce(action: string, attrs?: Record<string, unknown>) {
  const p = new mp.Product('SKU-10001', 'Trail Runner', 89.99, 89.99);
  p.quantity = 1;
  p.brand = 'Acme';
  p.category = 'Footwear';
  p.custom_attributes = { size: 'M', color: 'blue' };
  const e = new mp.CommerceEvent();
  e.product_action = new mp.ProductAction(mp.ProductAction.Action[action], undefined, undefined, [p]);
  if (attrs) e.custom_attributes = attrs;
  return e;
}

type Ev = { name: string; event_type: string; validated: boolean; reason?: string; violations: Array<{ violation: string; key: string; message: string }> };
const verdict = (e: Ev) => `${e.event_type} ${e.name}: ${e.violations.map((v) => `${v.violation}:${v.key}`).join(', ') || (e.validated ? 'ok' : `not validated (${e.reason})`)}`;

describe('mparticle Node SDK → dataplan stream', () => {
  it('uploadEvents and bulkUploadEvents: every event, with its violations', async () => {
    const clean = batch(true, { loyalty_tier: 'gold', lifetime_orders: 3 });
    clean.addEvent(screen('Home'));
    clean.addEvent(appEvent('navigation', 'Navbar Click', { label: 'Shop', position: 0 }));
    clean.addEvent(appEvent('search', 'Search Performed', { query: 'running shoes', result_count: 42, sort: 'relevance' }));
    clean.addEvent(commerce('add_to_cart', { source: 'pdp' }));
    expect(await call((cb) => api().uploadEvents(clean, cb))).toBe(202);

    const bad = batch(true, { loyalty_tier: 'diamond', shoe_size: 42 });
    bad.addEvent(screen('Wishlist', { items: '2' }));
    bad.addEvent(appEvent('search', 'Search Performed', { query: 'socks' }));
    bad.addEvent(appEvent('other', 'Navbar Click', { label: 'Blog' }));
    bad.addEvent(appEvent('transaction', 'Coupon Applied', { coupon_code: 'spring-20', discount_pct: 120 }));
    bad.addEvent(commerce('click'));
    const untagged = batch(false, {});
    untagged.addEvent(appEvent('navigation', 'Navbar Click', { label: 'Shop', position: 0 }));
    expect(await call((cb) => api().bulkUploadEvents([bad, untagged], cb))).toBe(202);

    const events: Ev[] = await get(`${s.url}/dataplan/events`);
    expect(events.map(verdict)).toEqual([
      'screen_view Home: ok',
      'custom_event Navbar Click: ok',
      'custom_event Search Performed: ok',
      'commerce_event add_to_cart: ok',
      'screen_view Wishlist: unplanned_event:Wishlist',
      'custom_event Search Performed: missing_required:result_count',
      'custom_event Navbar Click: unplanned_event:Navbar Click',
      'custom_event Coupon Applied: invalid_expected_value:coupon_code, invalid_expected_value:discount_pct',
      'commerce_event click: unplanned_event:click',
      'custom_event Navbar Click: not validated (no_plan_context)',
    ]);
    expect(events[6].violations[0].message).toMatch(/"Navbar Click" is planned as custom_event_type navigation/);

    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches.map((b: { endpoint: string; api_key: string; source: string }) => `${b.endpoint} ${b.source} ${b.api_key}`)).toEqual([
      'POST /v2/events node us1-local-key', 'POST /v2/bulkevents node us1-local-key', 'POST /v2/bulkevents node us1-local-key',
    ]);
    expect(batches[1].violations.map((v: { violation: string; key: string }) => `${v.violation}:${v.key}`).sort()).toEqual(['invalid_expected_value:loyalty_tier', 'unplanned_user_attribute:shoe_size']);
    expect(batches[1].user_identities).toEqual({ customerid: 'C1234567', email: 'jane.doe@example.com' });
    expect(batches[2].notice).toMatch(/no context\.data_plan\.plan_id/);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum).toMatchObject({ batches: 3, events: 10, events_with_violations: 5, violation_count: 8, rejected: 0 });
  });
});
