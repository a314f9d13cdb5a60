/**
 * The receiver over HTTPS as the mobile SDKs meet it: a real TLS client that trusts only the generated
 * certificate, the iOS recordings replayed gzipped, an Android upload, iOS customBaseURL paths, and the
 * same data as a mobile upload and as an Events API batch.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { CertError, certDir, loadCert, type RunningStream } from '../../../src/stream/index.js';
import { get, post, removeTempDirs, start, tempDir } from '../helpers.js';
import { ANDROID_MPID, androidUpload, IOS, MOBILE_PLAN, msg, RECORDINGS, recordedBody } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
interface Res { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: Json }

/** One HTTPS request with Node's TLS client, trusting `ca` only (or the system roots when `ca` is undefined). */
function https(url: string, o: { ca?: string; method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: o.method ?? 'GET', headers: o.headers, ca: o.ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const KEY = 'us1-0123456789abcdef0123456789abcdef';
const IOS_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 mParticle/9.4.0';
const ANDROID_UA = 'mParticle Android SDK/5.70.0';

function gzipPost(s: RunningStream, path: string, body: string, ua: string, extra: Record<string, string> = {}): Promise<Res> {
  return https(`${s.httpsUrl}${path}`, {
    ca: s.tls!.cert, method: 'POST', body: gzipSync(body),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'user-agent': ua, 'x-mp-signature': 'f00d'.repeat(16), date: new Date().toUTCString(), ...extra },
  });
}

// Real TLS servers and RSA key generation on a shared, busy machine: generous time (never asserted).
vi.setConfig({ testTimeout: 30_000, hookTimeout: 30_000 });

let dir: string;
let s: RunningStream;
let capture: string;
beforeAll(async () => {
  dir = tempDir();
  capture = join(tempDir(), 'mobile.ndjson');
  s = await start({ planFile: MOBILE_PLAN, force: true, capture, https: { port: 0, dir } });
}, 30_000);
afterAll(async () => {
  await s.close();
  removeTempDirs();
});
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

describe('the certificate', () => {
  it('is generated on first use for 127.0.0.1, ::1, localhost and 10.0.2.2, kept under the config directory, and served', async () => {
    expect(s.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const t = s.tls!;
    expect(t.generated).toBe(true);
    expect(t.certFile).toBe(join(dir, 'cert.pem'));
    expect(readFileSync(t.certFile, 'utf8')).toBe(t.cert);
    expect(statSync(t.keyFile).mode & 0o777).toBe(0o600);
    const x = new X509Certificate(t.cert);
    expect(x.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.0.2.2');
    expect(x.ca).toBe(true);
    expect(x.fingerprint256).toBe(t.fingerprint256);
    expect(Date.parse(x.validTo) - Date.now()).toBeLessThanOrEqual(825 * 24 * 3600 * 1000);
    expect(certDir({ XDG_CONFIG_HOME: '/somewhere/cfg' })).toBe(join('/somewhere/cfg', 'dataplan', 'tls'));
  });

  it('a TLS client that trusts only the generated certificate succeeds; one that does not fails', async () => {
    const ok = await https(`${s.httpsUrl}/`, { ca: s.tls!.cert });
    expect(ok.status).toBe(200);
    expect(ok.json.name).toBe('dataplan stream');
    await expect(https(`${s.httpsUrl}/`)).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/) });
    const other = await loadCert({ dir: tempDir() });
    expect(other.fingerprint256).not.toBe(s.tls!.fingerprint256);
    await expect(https(`${s.httpsUrl}/`, { ca: other.cert })).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/) });
    // By name: the certificate covers localhost, and the peer is the certificate we printed.
    const port = Number(new URL(s.httpsUrl!).port);
    const peer = await new Promise<string>((resolve, reject) => {
      const sock = tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: s.tls!.cert }, () => {
        resolve(sock.getPeerX509Certificate()!.fingerprint256);
        sock.end();
      });
      sock.on('error', reject);
    });
    expect(peer).toBe(s.tls!.fingerprint256);
  });

  it('is reused on the next start, and the user\'s own pair (--cert/--key) is served instead when given', async () => {
    const again = await loadCert({ dir });
    expect(again).toMatchObject({ generated: false, fingerprint256: s.tls!.fingerprint256, certFile: join(dir, 'cert.pem') });
    const mine = await loadCert({ dir: tempDir() });
    const s2 = await start({ planFile: MOBILE_PLAN, https: { port: 0, certFile: mine.certFile, keyFile: mine.keyFile } });
    try {
      expect(s2.tls).toMatchObject({ generated: false, certFile: mine.certFile, fingerprint256: mine.fingerprint256 });
      expect((await https(`${s2.httpsUrl}/`, { ca: mine.cert })).status).toBe(200);
    } finally {
      await s2.close();
    }
    await expect(loadCert({ certFile: mine.certFile, keyFile: s.tls!.keyFile })).rejects.toThrow(`${s.tls!.keyFile} is not the private key of ${mine.certFile}`);
    await expect(loadCert({ certFile: mine.certFile })).rejects.toThrow(CertError);
    await expect(loadCert({ certFile: join(dir, 'nope.pem'), keyFile: mine.keyFile })).rejects.toThrow(`cannot read the certificate ${join(dir, 'nope.pem')}: no such file`);
  });
});

describe('the iOS SDK recordings replayed over HTTPS with gzip', () => {
  it('config answers "dt":"ac" with an ETag, and 304 when the SDK sends it back', async () => {
    const rec = RECORDINGS.find((r) => r.name === 'v4-config-get-config')!;
    const first = await https(`${s.httpsUrl}${rec.path}`, { ca: s.tls!.cert, headers: { 'user-agent': IOS_UA, 'x-mp-env': '1' } });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ dt: 'ac', eks: [], oo: false });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    const again = await https(`${s.httpsUrl}${rec.path}&plan_id=mobile_app&plan_version=1`, { ca: s.tls!.cert, headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.etag).toBe(etag);
    const audience = RECORDINGS.find((r) => r.name === 'get-user-audiences')!;
    expect(await https(`${s.httpsUrl}${audience.path}`, { ca: s.tls!.cert })).toMatchObject({ status: 200, json: { audience_memberships: [] } });
  });

  it('identify and modify answer 200 with a non-zero MPID', async () => {
    for (const name of ['v1-identify', 'rokt-identify']) {
      const rec = RECORDINGS.find((r) => r.name === name)!;
      const r = await https(`${s.httpsUrl}${rec.path}`, { ca: s.tls!.cert, method: 'POST', body: recordedBody(name), headers: { 'content-type': 'application/json', 'x-mp-key': KEY } });
      expect(r.status, name).toBe(200);
      expect(r.json.mpid).toMatch(/^[1-9]\d*$/);
      expect(r.json.matched_identities).toMatchObject({ customerid: '123456' });
    }
    const modify = RECORDINGS.find((r) => r.name === 'log-idfa')!;
    const m = await https(`${s.httpsUrl}${modify.path}`, { ca: s.tls!.cert, method: 'POST', body: recordedBody('log-idfa'), headers: { 'content-type': 'application/json' } });
    expect(m).toMatchObject({ status: 200, json: { mpid: '6504934091054997508' } });
  });

  it('every event upload is accepted, translated and judged; the query API, the feed and the capture show it as iOS', async () => {
    const feed: Json[] = [];
    const ws = new WebSocket(`${s.httpsUrl!.replace('https', 'wss')}/dataplan/feed`, { ca: s.tls!.cert });
    ws.on('message', (d) => feed.push(JSON.parse(String(d))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    let events = 0;
    for (const [name, expected, violations] of IOS) {
      const rec = RECORDINGS.find((r) => r.name === name)!;
      const r = await gzipPost(s, rec.path, recordedBody(name), IOS_UA);
      expect(r.status, name).toBe(202);
      expect(r.headers['content-type']).toMatch(/application\/json/);
      expect(r.json).toMatchObject({ dt: 'rh', msgs: [] });
      expect(r.json.dataplan.batches[0]).toMatchObject({ validated: true, plan_id: 'mobile_app', plan_version: 1, event_count: expected.length, violation_count: violations.length });
      events += expected.length;
    }
    const stored = await https(`${s.httpsUrl}/dataplan/events`, { ca: s.tls!.cert });
    expect(stored.json).toHaveLength(events);
    expect(stored.json.every((e: Json) => e.source === 'ios' && e.app.name === 'com.mparticle.IntegrationTests' && e.app.version === '1.0')).toBe(true);
    const bad = await get(`${s.url}/dataplan/events?violations=only`);
    expect(bad.map((e: Json) => `${e.name}:${e.violations[0].violation}`)).toEqual(['Event Name:unplanned_event_attribute', 'purchase:invalid_expected_value', 'CCPA Consent Updated:unplanned_event', 'GDPR Consent Updated:unplanned_event']);
    expect(bad[1]).toMatchObject({ event_type: 'commerce_event', message_index: 0, user: '123456' });
    const batches = await get(`${s.url}/dataplan/batches`);
    expect(batches).toHaveLength(IOS.length);
    expect(batches[0]).toMatchObject({ source: 'ios', endpoint: `POST /v2/${KEY}/events`, api_key: KEY, mpid: '6504934091054997508', environment: 'development', app: { name: 'com.mparticle.IntegrationTests', version: '1.0', build: '1' }, not_translated: [] });

    const lines = readFileSync(capture, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(IOS.length);
    const last = lines.slice(-IOS.length);
    expect(last[0]).toContain('"raw":{"id":');
    expect(last[0]).toContain('"mpid":"6504934091054997508"');
    const first = JSON.parse(last[0]);
    expect(first).toMatchObject({ source: 'ios', raw: { dt: 'h', mpid: '6504934091054997508' }, batch: { mpid: '6504934091054997508', events: expect.any(Array) }, not_translated: [], app: { version: '1.0' } });
    expect(first.raw.msgs.map((m: Json) => m.dt)).toEqual(['ss', 'fr', 'uic', 'uic', 'ast', 'e']);

    await new Promise((r) => setTimeout(r, 50));
    ws.close();
    const got = feed.filter((m) => m.type === 'batch');
    expect(got).toHaveLength(IOS.length);
    expect(got[0].batch).toMatchObject({ source: 'ios', app: { name: 'com.mparticle.IntegrationTests' } });
  });

  it('accepts the customBaseURL paths (/config/v4, /nativeevents/v2, /identity/v1, /nativeevents/v1/identity), with or without x-mp-signature', async () => {
    const ca = s.tls!.cert;
    expect((await https(`${s.httpsUrl}/config/v4/${KEY}/config?av=1.0&sv=9.4.0`, { ca })).json.dt).toBe('ac');
    expect((await gzipPost(s, `/nativeevents/v2/${KEY}/events`, recordedBody('log-screen'), IOS_UA)).status).toBe(202);
    const noSig = await https(`${s.httpsUrl}/nativeevents/v2/${KEY}/events`, { ca, method: 'POST', body: gzipSync(recordedBody('timed-event')), headers: { 'content-encoding': 'gzip' } });
    expect(noSig.status).toBe(202);
    expect((await https(`${s.httpsUrl}/identity/v1/identify`, { ca, method: 'POST', body: recordedBody('v1-identify') })).json.mpid).toMatch(/^[1-9]\d*$/);
    expect((await https(`${s.httpsUrl}/identity/v1/6504934091054997508/modify`, { ca, method: 'POST', body: recordedBody('log-idfa') })).status).toBe(200);
    const alias = await https(`${s.httpsUrl}/nativeevents/v1/identity/${KEY}/alias`, { ca, method: 'POST', body: JSON.stringify({ request_type: 'alias', data: { source_mpid: 1, destination_mpid: 2 } }) });
    expect(alias.status).toBeGreaterThanOrEqual(200);
    expect(alias.status).toBeLessThan(300);
    const names = (await get(`${s.url}/dataplan/events`)).map((e: Json) => e.name);
    expect(names).toEqual(['Home Screen', 'Timed Event']);
  });
});

describe('an Android upload over HTTPS', () => {
  const upload = () => androidUpload([
    msg('ss', 1, {}),
    msg('e', 2, { n: 'Simple Event Name', et: 'Other', attrs: { SimpleKey: 'Wrong' } }),
    msg('v', 3, { n: 'Checkout', t: 'activity_started' }),
    msg('pre', 4, { n: 'Opened push' }),
  ], { ua: { $Age: '12', $Gender: 'f' } });

  it('answers 202 with a JSON object, judges the translation, and lists what it could not translate', async () => {
    const idn = await gzipPost(s, '/v1/identify', JSON.stringify({ client_sdk: { platform: 'android' }, known_identities: { customerid: '123456', android_uuid: 'f1e2d3c4b5a69788' } }), ANDROID_UA);
    expect(idn.status).toBe(200);
    expect(idn.json.mpid).toMatch(/^[1-9]\d*$/);
    const r = await gzipPost(s, `/v2/${KEY}/events`, JSON.stringify(upload()), ANDROID_UA);
    expect(r.status).toBe(202);
    expect(r.json).toBeTypeOf('object');
    expect(r.json.dataplan.batches[0]).toMatchObject({ validated: true, plan_id: 'mobile_app', plan_version: 1 });
    const events = await get(`${s.url}/dataplan/events`);
    expect(events.map((e: Json) => `${e.event_type}:${e.name}:${e.validated}:${e.reason ?? ''}`)).toEqual([
      'session_start::false:not_plannable', 'custom_event:Simple Event Name:true:', 'screen_view:Checkout:true:', 'pre:Opened push:false:not_translated',
    ]);
    expect(events.every((e: Json) => e.source === 'android' && e.app.name === 'Acme Shop' && e.app.version === '4.2.0')).toBe(true);
    expect(events[3]).toMatchObject({ event_index: -1, message_index: 3, not_translated: expect.stringMatching(/push notification interaction/), data: { dt: 'pre' } });
    expect(events[1].violations.map((v: Json) => `${v.violation}:${v.key}`)).toEqual(['invalid_expected_value:SimpleKey']);
    expect(events[2].violations.map((v: Json) => `${v.violation}:${v.key}`)).toEqual(['unplanned_event:Checkout']);
    const [b] = await get(`${s.url}/dataplan/batches`);
    expect(b).toMatchObject({ source: 'android', mpid: ANDROID_MPID, app: { name: 'Acme Shop', version: '4.2.0', build: '420' } });
    expect(b.not_translated).toEqual([{ pointer: '/msgs/3', dt: 'pre', message_index: 3, reason: expect.stringMatching(/push notification interaction/) }]);
    expect(b.violations.map((v: Json) => `${v.violation}:${v.key}`)).toEqual(['invalid_expected_value:$Age']);
  });

  it('gives the same violations as the equivalent Events API batch (written from the JSON reference)', async () => {
    const equivalent = {
      environment: 'development', mpid: ANDROID_MPID, mp_deviceid: 'a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3d4e', context: { data_plan: { plan_id: 'mobile_app', plan_version: 1 } },
      user_identities: { customer_id: '123456', email: 'pat@example.com' }, user_attributes: { $Age: '12', $Gender: 'f' },
      device_info: { platform: 'Android', android_uuid: 'f1e2d3c4b5a69788', android_advertising_id: '38400000-8cf0-11bd-b23e-10b96e40000d' },
      events: [
        { event_type: 'session_start', data: { source_message_id: '00000001-aaaa-4bbb-8ccc-dddddddddddd', session_uuid: 'c0ffee00-1111-4222-8333-444455556666' } },
        { event_type: 'custom_event', data: { source_message_id: '00000002-aaaa-4bbb-8ccc-dddddddddddd', event_name: 'Simple Event Name', custom_event_type: 'other', custom_attributes: { SimpleKey: 'Wrong' } } },
        { event_type: 'screen_view', data: { source_message_id: '00000003-aaaa-4bbb-8ccc-dddddddddddd', screen_name: 'Checkout', activity_type: 'activity_started' } },
      ],
    };
    const mobile = await gzipPost(s, `/v2/${KEY}/events`, JSON.stringify(upload()), ANDROID_UA);
    const api = await post(`${s.url}/v2/events`, equivalent);
    expect(api.status).toBe(202);
    const strip = (vs: Json[]) => vs.map(({ violation, key, event_index, match_key, message, error_pointer, source_message_id }: Json) => ({ violation, key, event_index, match_key, message, error_pointer, source_message_id }));
    const fromMobile = strip(mobile.json.dataplan.batches[0].violations);
    expect(fromMobile.length).toBe(3);
    expect(fromMobile).toEqual(strip(api.json.batches[0].violations));
    // The iOS purchase too: the recorded upload and the batch the JSON reference describes.
    const purchase = await gzipPost(s, `/v2/${KEY}/events`, recordedBody('commerce-event-purchase'), IOS_UA);
    const purchaseApi = await post(`${s.url}/v2/events`, {
      environment: 'development', mpid: '6504934091054997508', user_identities: { customer_id: '123456', email: 'foo@example.com' },
      events: [{ event_type: 'commerce_event', data: {
        custom_event_type: 'purchase', screen_name: 'Timeless Books', custom_attributes: { an_extra_key: 'an_extra_value' },
        product_action: { action: 'purchase', transaction_id: 'zyx098', affiliation: 'Book seller', total_amount: 12.09, tax_amount: 0.87, shipping_amount: 1.23, checkout_step: 4, checkout_options: 'Credit Card',
          products: [{ id: 'B-1', name: 'Awesome Book', brand: 'A Publisher', category: 'Fiction', price: 9.99, quantity: 1, position: 1, coupon_code: 'XYZ123', total_product_amount: 9.99, custom_attributes: { 'custom key': 'custom value' } }] },
      } }],
    });
    const noSmid = (vs: Json[]) => strip(vs).map(({ source_message_id: _s, ...v }: Json) => v);
    expect(noSmid(purchase.json.dataplan.batches[0].violations)).toEqual(noSmid(purchaseApi.json.batches[0].violations));
    expect(purchase.json.dataplan.batches[0].violation_count).toBe(1);
  });
});
