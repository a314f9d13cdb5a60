/** The receiver over real HTTP on 127.0.0.1: ingest endpoints, the query API, limits and malformed input. */
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningStream } from '../../src/stream/index.js';
import { example, FIX, fixture, get, post, start } from './helpers.js';

let s: RunningStream;
beforeAll(async () => {
  s = await start({ maxBody: 64 * 1024 });
});
afterAll(() => s.close());
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

describe('ingest over HTTP', () => {
  it('judges a Node-style batch with the core and answers 202 with the violations', async () => {
    const r = await post(`${s.url}/v2/events`, example('violation-invalid-values'), { authorization: basic('key-1', 'secret') });
    expect(r.status).toBe(202);
    expect(r.json.accepted).toBe(1);
    expect(r.json.events).toBe(6);
    const ack = r.json.batches[0];
    expect(ack).toMatchObject({ validated: true, plan_id: 'acme_web_shop', plan_version: 2, event_count: 6 });
    expect(ack.violations.map((v: { key: string }) => v.key).sort()).toEqual(['category', 'coupon_code', 'discount_pct', 'email', 'position', 'product_id', 'rating', 'referrer', 'sort'].sort());
    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ source: 'node', endpoint: 'POST /v2/events', api_key: 'key-1', environment: 'development', context: { data_plan: { plan_id: 'acme_web_shop', plan_version: 2 } } });
    expect(batches[0].user_identities).toEqual({ customer_id: 'C0012345', email: 'pat@example.com' });
  });

  it('lists events oldest first with their violations, and filters them', async () => {
    await post(`${s.url}/v2/events`, example('clean-web-shopping-session'));
    await post(`${s.url}/v2/bulkevents`, [example('violation-unplanned-events'), example('violation-invalid-values')]);
    const all = await get(`${s.url}/dataplan/events`);
    expect(all).toHaveLength(12 + 7 + 6);
    expect(all.map((e: { id: number }) => e.id)).toEqual([...all.map((e: { id: number }) => e.id)].sort((a, b) => a - b));
    const first = all[0];
    expect(Object.keys(first)).toEqual(expect.arrayContaining(['batch_id', 'event_index', 'event_type', 'name', 'validated', 'violations']));
    expect(all.slice(0, 12).every((e: { violations: unknown[] }) => e.violations.length === 0)).toBe(true);

    const bad = await get(`${s.url}/dataplan/events?violations=only`);
    expect(bad.map((e: { name: string }) => e.name)).toEqual([
      'Wishlist Shared', 'About Us', 'Navbar Click', 'navbar click', 'click', 'checkout_option',
      'Product Detail', 'Search Performed', 'Coupon Applied', 'Navbar Click', 'Newsletter Signup', 'Review Submitted',
    ]);
    expect(bad[0].violations[0]).toMatchObject({ violation: 'unplanned_event', key: 'Wishlist Shared', match_key: 'custom_event:social:Wishlist Shared' });
    expect(bad[0].violations[0].message).toMatch(/not in the data plan/);
    const coupon = bad.find((e: { name: string }) => e.name === 'Coupon Applied');
    expect(coupon).toMatchObject({ event_type: 'custom_event', custom_event_type: 'transaction', validated: true });
    expect(coupon.violations.map((v: { violation: string; key: string }) => `${v.violation}:${v.key}`)).toEqual(['invalid_expected_value:coupon_code', 'invalid_expected_value:discount_pct']);

    const screens = await get(`${s.url}/dataplan/events?type=screen_view`);
    expect(screens.map((e: { name: string }) => e.name)).toEqual(['Home', 'Product Detail', 'Cart', 'About Us', 'Product Detail']);
    const navbar = await get(`${s.url}/dataplan/events?name=${encodeURIComponent('Navbar Click')}`);
    expect(navbar).toHaveLength(4);
    const both = await get(`${s.url}/dataplan/events?violations=only&type=commerce_event`);
    expect(both.map((e: { name: string }) => e.name)).toEqual(['click', 'checkout_option']);
    const bulk = await get(`${s.url}/dataplan/batches`);
    expect(bulk.map((b: { endpoint: string }) => b.endpoint)).toEqual(['POST /v2/events', 'POST /v2/bulkevents', 'POST /v2/bulkevents']);
  });

  it('keeps batch-level violations on the batch and counts everything in the summary', async () => {
    await post(`${s.url}/v2/events`, example('violation-user-attributes'));
    const [b] = await get(`${s.url}/dataplan/batches`);
    expect(b.user_attributes).toMatchObject({ loyalty_tier: 'diamond', shoe_size: '44' });
    expect(b.violations.map((v: { violation: string; key: string }) => `${v.violation}:${v.key}`).sort()).toEqual([
      'invalid_expected_value:$Zip', 'invalid_expected_value:lifetime_orders', 'invalid_expected_value:loyalty_tier', 'unplanned_user_attribute:shoe_size', 'unplanned_user_attribute:vip',
    ]);
    expect(b.violations.every((v: { event_index: unknown }) => v.event_index === null)).toBe(true);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum).toMatchObject({ batches: 1, events: 1, violation_count: 5, rejected: 0 });
    expect(sum.violations).toMatchObject({ unplanned_user_attribute: 2, invalid_expected_value: 3, unplanned_event: 0 });
    expect(sum.plan).toMatchObject({ id: 'acme_web_shop', error: null });
  });

  it('shows a batch the platform would not validate, with the reason, and --force judges it', async () => {
    await post(`${s.url}/v3/JS/web-key/events`, JSON.stringify(example('not-validated-no-plan-context')), { 'content-type': 'text/plain;charset=UTF-8' });
    const [e] = await get(`${s.url}/dataplan/events`);
    expect(e).toMatchObject({ validated: false, reason: 'no_plan_context', violations: [], source: 'web' });
    const [b] = await get(`${s.url}/dataplan/batches`);
    expect(b.notice).toMatch(/configure the SDK's dataPlan/);
    const forced = await start({ force: true });
    try {
      await post(`${forced.url}/v3/JS/web-key/events`, JSON.stringify(example('not-validated-no-plan-context')), { 'content-type': 'text/plain;charset=UTF-8' });
      const [fe] = await get(`${forced.url}/dataplan/events`);
      expect(fe.validated).toBe(true);
      expect(fe.violations.map((v: { violation: string }) => v.violation)).toEqual(['unplanned_event']);
    } finally {
      await forced.close();
    }
  });

  it('marks SDK bookkeeping events as not validated, and keeps 64-bit MPIDs exact', async () => {
    const batch = { ...example('web-sdk-quirks') };
    const text = JSON.stringify(batch).replace(/"mpid":"?-?\d+"?/, '"mpid":9223372036854775807');
    await post(`${s.url}/v3/JS/k/events`, text, { 'content-type': 'text/plain;charset=UTF-8' });
    const events = await get(`${s.url}/dataplan/events`);
    const change = events.find((e: { event_type: string }) => e.event_type === 'user_attribute_change');
    expect(change).toMatchObject({ validated: false, reason: 'not_plannable', violations: [] });
    const [b] = await get(`${s.url}/dataplan/batches`);
    expect(b.mpid).toBe('9223372036854775807');
  });

  it('accepts gzip bodies', async () => {
    const r = await post(`${s.url}/v2/events`, gzipSync(JSON.stringify(example('violation-user-attributes'))), { 'content-encoding': 'gzip' });
    expect(r.status).toBe(202);
    expect((await get(`${s.url}/dataplan/summary`)).batches).toBe(1);
  });

  it('resets', async () => {
    await post(`${s.url}/v2/events`, example('violation-user-attributes'));
    const r = await post(`${s.url}/dataplan/reset`, '');
    expect(r.json).toEqual({ reset: true, cleared: { batches: 1, events: 1 } });
    expect(await get(`${s.url}/dataplan/events`)).toEqual([]);
    expect((await get(`${s.url}/dataplan/summary`)).batches).toBe(0);
  });
});

describe('the captured SDK requests, replayed byte for byte', () => {
  const dirs = ['node-events', 'node-bulkevents', 'web-urls-batched', 'web-domain-immediate', 'web-beacon-unload'];
  it('get the answers the SDKs need, and every batch is judged', async () => {
    let batches = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(join(FIX, 'captured', dir)).sort()) {
        const c = fixture(`captured/${dir}/${f}`) as { method: string; url: string; headers: Record<string, string>; body: unknown; body_text?: string; kind: string };
        const headers = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !['host', 'content-length', 'connection', 'accept-encoding'].includes(k)));
        const res = await fetch(s.url + c.url, { method: c.method, headers, body: c.method === 'POST' ? JSON.stringify(c.body) : undefined });
        const text = await res.text();
        const where = `${dir}/${f}`;
        expect(res.headers.get('access-control-allow-origin'), where).toBe(c.headers.origin ?? '*');
        if (c.kind === 'preflight') {
          expect(res.status, where).toBe(204);
          expect(res.headers.get('access-control-allow-headers'), where).toContain('x-mp-key');
          expect(res.headers.get('access-control-allow-methods'), where).toContain('POST');
        } else if (c.kind.startsWith('web-identity')) {
          expect(res.status, where).toBe(200);
          const body = JSON.parse(text);
          expect(typeof body.mpid, where).toBe('string');
          expect(body.mpid, where).toMatch(/^\d+$/);
        } else {
          expect(res.status, where).toBe(202);
          batches += Array.isArray(c.body) ? c.body.length : 1;
        }
      }
    }
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.batches).toBe(batches);
    expect(sum.not_validated_batches).toBe(0);
    expect(sum.rejected).toBe(0);
    expect(sum.identity_requests).toBe(6);
    // The in-plan runs raise nothing; the violation runs raise what they were recorded for.
    const bad = await get(`${s.url}/dataplan/batches?violations=only`);
    expect(new Set(bad.map((b: { endpoint: string; source: string }) => b.source))).toEqual(new Set(['node', 'web']));
    expect(bad.every((b: { endpoint: string }) => /bulkevents|webevents/.test(b.endpoint))).toBe(true);
    const names = (await get(`${s.url}/dataplan/events?violations=only`)).map((e: { name: string }) => e.name);
    expect(names).toContain('Chat Opened');
    expect(names).toContain('Wishlist');
  });

  it('gives the same user the same MPID, and a logged-out device its own', async () => {
    const ident = (path: string, known: Record<string, string>) => post(`${s.url}${path}`, { known_identities: { ...known, device_application_stamp: 'dev-1' } }, { 'x-mp-key': 'k' });
    const a = await ident('/v1/identify', { customerid: 'C1' });
    const b = await ident('/identity/v1/login', { customerid: 'C1', email: 'x@y.test' });
    const out = await ident('/v1/logout', {});
    expect(a.json.mpid).toBe(b.json.mpid);
    expect(a.json).toMatchObject({ is_logged_in: true, matched_identities: { customerid: 'C1' }, context: null });
    expect(out.json.mpid).not.toBe(a.json.mpid);
    expect(out.json.is_logged_in).toBe(false);
    const m = await post(`${s.url}/v1/${a.json.mpid}/modify`, { identity_changes: [] });
    expect(m.json).toEqual({ change_results: [], mpid: a.json.mpid });
  });
});

describe('limits and malformed input', () => {
  it('rejects malformed JSON with 400, where it broke, and counts it', async () => {
    const r = await post(`${s.url}/v3/JS/k/events`, '{"events": [\n  {"event_type": "custom_event",}\n]}', { 'content-type': 'text/plain' });
    expect(r.status).toBe(400);
    expect(r.json.error.reason).toBe('malformed_json');
    expect(r.json.error.message).toMatch(/^malformed JSON at line 2, column \d+/);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.rejected).toBe(1);
    expect(sum.rejected_by_reason.malformed_json).toBe(1);
    const [rej] = await get(`${s.url}/dataplan/rejected`);
    expect(rej).toMatchObject({ method: 'POST', path: '/v3/JS/k/events', status: 400 });
  });

  it('rejects bodies over the limit with 413, declared or streamed, and keeps serving', async () => {
    const big = JSON.stringify({ events: [], pad: 'x'.repeat(70 * 1024) });
    const r = await post(`${s.url}/v2/events`, big);
    expect(r.status).toBe(413);
    expect(r.json.error.message).toMatch(/larger than the limit of 64 KB/);
    // Chunked (no Content-Length): stopped while streaming.
    const res = await fetch(`${s.url}/v2/events`, {
      method: 'POST', body: new ReadableStream({ start(c) { for (let i = 0; i < 80; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024))); c.close(); } }), duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    // A gzip bomb is stopped at the limit too.
    const bomb = await post(`${s.url}/v2/events`, gzipSync(Buffer.alloc(1024 * 1024, 32)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect((await get(`${s.url}/dataplan/summary`)).rejected_by_reason.too_large).toBe(3);
    expect((await post(`${s.url}/v2/events`, example('violation-user-attributes'))).status).toBe(202);
  });

  it('answers bodies that are not batches, unknown paths and wrong methods with clear 4xx', async () => {
    const notBatch = await post(`${s.url}/v2/events`, '"hello"');
    expect(notBatch.status).toBe(400);
    expect(notBatch.json.error.message).toMatch(/expected a batch object or an array of batches/);
    const empty = await post(`${s.url}/v2/events`, '');
    expect(empty.status).toBe(400);
    const unknown = await post(`${s.url}/v9/whatever`, {});
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toMatch(/no endpoint POST \/v9\/whatever/);
    const wrong = await fetch(`${s.url}/v2/events`);
    expect(wrong.status).toBe(405);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.rejected_by_reason).toMatchObject({ bad_request: 2, malformed_json: 1, not_found: 1 });
  });

  it('keeps one bad event from hiding the others', async () => {
    const batch = { ...example('violation-unplanned-events') };
    (batch.events as unknown[]).splice(1, 0, { event_type: 'custom_event', data: { custom_event_type: 'other' } });
    const r = await post(`${s.url}/v2/events`, batch);
    expect(r.status).toBe(202);
    const events = await get(`${s.url}/dataplan/events`);
    expect(events).toHaveLength(8);
    expect(events[1]).toMatchObject({ validated: false, reason: 'malformed' });
    expect(events[1].error).toMatch(/event_name/);
    expect(events.filter((e: { violations: unknown[] }) => e.violations.length > 0)).toHaveLength(6);
  });

  it('never lets a slow client stall the others', async () => {
    // A client that sends headers and half a body, then goes silent.
    const sock = connect(s.server.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(`POST /v2/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"events": [`);
    const t = Date.now();
    for (let i = 0; i < 20; i++) expect((await post(`${s.url}/v2/events`, example('violation-user-attributes'))).status).toBe(202);
    expect(Date.now() - t).toBeLessThan(5000);
    sock.destroy();
  });
});

describe('token', () => {
  it('requires it everywhere when set, and SDKs may carry it as their key', async () => {
    const t = await start({ token: 's3cret' });
    try {
      expect((await post(`${t.url}/v2/events`, example('violation-user-attributes'))).status).toBe(401);
      expect((await fetch(`${t.url}/dataplan/events`)).status).toBe(401);
      expect((await post(`${t.url}/v2/events`, example('violation-user-attributes'), { authorization: basic('s3cret', 'x') })).status).toBe(202);
      expect((await post(`${t.url}/v3/JS/s3cret/events`, example('violation-user-attributes'))).status).toBe(202);
      expect((await fetch(`${t.url}/dataplan/summary?token=s3cret`)).status).toBe(200);
      const sum = await get(`${t.url}/dataplan/summary`, { authorization: 'Bearer s3cret' });
      // The refused SDK upload counts; the query without the token is the caller's mistake, not an SDK's.
      expect(sum).toMatchObject({ batches: 2, rejected: 1 });
      // Preflights carry no credentials and are always answered.
      expect((await fetch(`${t.url}/v1/identify`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } })).status).toBe(204);
    } finally {
      await t.close();
    }
  });

  it('binds to 127.0.0.1 by default', async () => {
    expect(s.server.host).toBe('127.0.0.1');
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
