/** Shared bits for the receiver tests: a real server on 127.0.0.1, plain fetch, polling. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStream, type RunningStream, type StreamOptions } from '../../src/stream/index.js';

export const FIX = join(import.meta.dirname, '..', 'fixtures');
export const PLAN = join(FIX, 'plans', 'acme_web_shop.plan.json');
export const EXAMPLES = join(import.meta.dirname, '..', '..', 'plans', 'examples');

export function fixture(rel: string): unknown {
  return JSON.parse(readFileSync(join(FIX, rel), 'utf8'));
}

export function example(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8'));
}

const made: string[] = [];

/** Remove the scratch directories this test file made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A scratch directory; see removeTempDirs. */
export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'dataplan-stream-'));
  made.push(d);
  return d;
}

export function start(o: Partial<StreamOptions> = {}): Promise<RunningStream> {
  return startStream({ planFile: PLAN, port: 0, watch: false, ...o });
}

/** Response JSON is asserted field by field in the tests, so it is loosely typed here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Json; text: string }> {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Json> {
  const res = await fetch(url, { headers });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Poll until `fn` returns something truthy (or throw after `ms`). */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 5000, what = 'condition'): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

/** One request with exactly these headers (fetch will not send a foreign Host or Origin). */
export function raw(url: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
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
