/**
 * Issue 10 item 1: no web page can read or reset the receiver. `Host` must name this machine (DNS
 * rebinding), the receiver's own routes are closed to foreign origins unless granted, the SDK routes
 * keep answering CORS for any origin, and the token is never echoed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { socketUrl } from '../../src/stream/client.js';
import type { RunningStream } from '../../src/stream/index.js';
import { example, get, post, raw, removeTempDirs, start, tempDir } from './helpers.js';

// Real servers, sockets and processes: room for a busy machine (no timing is asserted).
vi.setConfig({ testTimeout: 30_000 });

let s: RunningStream;
let port: number;
beforeAll(async () => {
  s = await start({ allowedHosts: ['dev.box.test', '.tunnel.test'], allowOrigins: ['http://localhost:3000'] });
  port = s.server.port;
});
afterAll(async () => {
  await s.close();
  removeTempDirs();
});
beforeEach(async () => {
  await post(`${s.url}/dataplan/reset`, '');
});

const batch = JSON.stringify(example('violation-user-attributes'));
const upload = (headers: Record<string, string>) => raw(`${s.url}/v3/JS/key/events`, { method: 'POST', body: batch, headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers } });

function upgrade(path: string, headers: Record<string, string>): Promise<number> {
  const ws = new WebSocket(socketUrl(s.url, path), { headers });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('Host', () => {
  it('answers loopback names, the emulator alias and --allowed-host names', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `10.0.2.2:${port}`, 'dev.box.test', `a.tunnel.test:${port}`, 'tunnel.test', `app.localhost:${port}`]) {
      const r = await raw(`${s.url}/dataplan/summary`, { headers: { host } });
      expect(r.status, host).toBe(200);
    }
  });

  it('refuses any other name with 403 and says why, on every route and on WebSocket upgrades (DNS rebinding)', async () => {
    const q = await raw(`${s.url}/dataplan/events`, { headers: { host: `evil.example:${port}` } });
    expect(q.status).toBe(403);
    expect(q.json.error.message).toMatch(/Host "evil\.example:\d+" is not this machine's name.*--allowed-host/);
    expect(q.headers['access-control-allow-origin']).toBeUndefined();
    const sdk = await upload({ host: 'evil.example' });
    expect(sdk.status).toBe(403);
    const reset = await raw(`${s.url}/dataplan/reset`, { method: 'POST', headers: { host: 'evil.example' } });
    expect(reset.status).toBe(403);
    expect(await upgrade('/dataplan/feed', { host: 'evil.example' })).toBe(403);
    const sum = await get(`${s.url}/dataplan/summary`);
    expect(sum.batches).toBe(0);
    expect(sum.rejected_by_reason.forbidden).toBe(4);
  });
});

describe('Origin', () => {
  it('SDK routes answer any origin (the web SDK runs on the app\'s), and only they allow private network access', async () => {
    const r = await upload({ origin: 'https://shop.example.com' });
    expect(r.status).toBe(202);
    expect(r.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    const pre = await raw(`${s.url}/v1/identify`, { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-mp-key', 'access-control-request-private-network': 'true' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-private-network']).toBe('true');
    const local = await raw(`${s.url}/dataplan/events`, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' } });
    expect(local.status).toBe(204);
    expect(local.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(local.headers['access-control-allow-private-network']).toBeUndefined();
  });

  it('a foreign page can neither read the stored data nor reset the receiver', async () => {
    await upload({});
    const read = await raw(`${s.url}/dataplan/events`, { headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(403);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    expect(read.text).not.toContain('pat@example.com');
    expect(read.json.error.message).toMatch(/origin https:\/\/evil\.example may not use the receiver's own routes.*--allow-origin/);
    const pre = await raw(`${s.url}/dataplan/events`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    // A "simple" cross-origin POST needs no preflight: it must be refused outright.
    const reset = await raw(`${s.url}/dataplan/reset`, { method: 'POST', body: '', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' } });
    expect(reset.status).toBe(403);
    const ingest = await raw(`${s.url}/dataplan/ingest`, { method: 'POST', body: batch, headers: { origin: 'null', 'content-type': 'text/plain' } });
    expect(ingest.status).toBe(403);
    // A no-cors request carries no Origin, but the browser says it is cross-site.
    const img = await raw(`${s.url}/dataplan/events`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
    expect(img.status).toBe(403);
    expect((await get(`${s.url}/dataplan/summary`)).batches).toBe(1);
  });

  it('an origin granted with --allow-origin reads, and tools without an Origin are not affected', async () => {
    await upload({});
    const granted = await raw(`${s.url}/dataplan/events`, { headers: { origin: 'http://localhost:3000' } });
    expect(granted.status).toBe(200);
    expect(granted.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(granted.json).toHaveLength(1);
    const curl = await raw(`${s.url}/dataplan/events`);
    expect(curl.status).toBe(200);
    expect(curl.headers['access-control-allow-origin']).toBeUndefined();
    const same = await raw(`${s.url}/dataplan/summary`, { headers: { origin: s.url } });
    expect(same.status).toBe(200);
  });

  it('refuses WebSocket upgrades from foreign origins', async () => {
    expect(await upgrade('/dataplan/feed', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade('/dataplan/ingest', { origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade('/dataplan/feed', { origin: 'http://localhost:3000' })).toBe(101);
    expect(await upgrade('/dataplan/feed', {})).toBe(101);
  });
});

describe('the token', () => {
  it('is never echoed: not as the API key, not in endpoints, rejections, summaries or the capture', async () => {
    const dir = tempDir();
    const capture = join(dir, 'c.ndjson');
    const t = await start({ token: 'Tok-9f3a', capture });
    try {
      expect((await post(`${t.url}/v3/JS/Tok-9f3a/events`, batch, { 'content-type': 'text/plain' })).status).toBe(202);
      expect((await post(`${t.url}/v2/events`, batch, { authorization: `Basic ${Buffer.from('Tok-9f3a:x').toString('base64')}` })).status).toBe(202);
      expect((await post(`${t.url}/v3/JS/Tok-9f3a/events`, '{broken', { 'content-type': 'text/plain' })).status).toBe(400);
      const auth = { authorization: 'Bearer Tok-9f3a' };
      const batches = await get(`${t.url}/dataplan/batches`, auth);
      expect(batches.map((b: { endpoint: string }) => b.endpoint)).toEqual(['POST /v3/JS/{token}/events', 'POST /v2/events']);
      expect(batches.every((b: object) => !('api_key' in b))).toBe(true);
      const [rej] = await get(`${t.url}/dataplan/rejected`, auth);
      expect(rej.path).toBe('/v3/JS/{token}/events');
      for (const what of ['batches', 'events', 'rejected', 'summary', 'plan']) {
        expect(JSON.stringify(await get(`${t.url}/dataplan/${what}`, auth)), what).not.toContain('Tok-9f3a');
      }
      expect(readFileSync(capture, 'utf8')).not.toContain('Tok-9f3a');
    } finally {
      await t.close();
    }
  });
});
