/**
 * The demo's traffic: the bundled example batches, re-sent over real HTTP the way the SDKs send them
 * (web: one event per upload as text/plain; Node: one batch with Basic auth), with fresh ids and times.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isObject } from '../plan/index.js';

export interface Step {
  via: 'web' | 'node' | 'malformed';
  batch?: Record<string, unknown>;
  events: number;
}

/** Example file, and how the demo sends it. */
const SCRIPT: Array<[string, 'web' | 'node']> = [
  ['clean-web-shopping-session.json', 'web'],
  ['violation-unplanned-events.json', 'web'],
  ['clean-s2s-order-string-values.json', 'node'],
  ['violation-invalid-values.json', 'web'],
  ['violation-user-attributes.json', 'web'],
  ['not-validated-no-plan-context.json', 'web'],
  ['web-sdk-quirks.json', 'web'],
];

/** One pass of demo traffic, from the examples directory: the files interleaved, so clean and violating events mix from the start. */
export function demoScript(dir: string): Step[] {
  const perFile: Step[][] = [];
  for (const [file, via] of SCRIPT) {
    const steps: Step[] = [];
    const json: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    for (const batch of Array.isArray(json) ? json : [json]) {
      if (!isObject(batch)) continue;
      const events = Array.isArray(batch.events) ? batch.events : [];
      if (via === 'node' || events.length <= 1) steps.push({ via, batch, events: events.length });
      else for (const e of events) steps.push({ via, batch: { ...batch, events: [e] }, events: 1 });
    }
    perFile.push(steps);
  }
  const steps: Step[] = [];
  for (let i = 0; perFile.some((f) => i < f.length); i++) for (const f of perFile) if (i < f.length) steps.push(f[i]);
  // One truncated upload per pass shows how a rejected request looks.
  steps.splice(Math.min(steps.length, 12), 0, { via: 'malformed', events: 0 });
  return steps;
}

/** The batch with new ids and times, as if sent just now. */
function fresh(batch: Record<string, unknown>, now: number): Record<string, unknown> {
  const events = Array.isArray(batch.events)
    ? batch.events.map((e) => (isObject(e) && isObject(e.data) ? { ...e, data: { ...e.data, timestamp_unixtime_ms: now, source_message_id: randomUUID() } } : e))
    : batch.events;
  return { ...batch, source_request_id: randomUUID(), ...('timestamp_unixtime_ms' in batch ? { timestamp_unixtime_ms: now } : {}), events };
}

export interface TrafficOptions {
  /** The receiver, e.g. `http://127.0.0.1:8787`. */
  url: string;
  examplesDir: string;
  /** Events per second (on average). */
  rate: number;
  /** Stop after this many events; default: one pass of the script, or forever with `loop`. */
  count?: number;
  /** Stop after this many seconds. */
  duration?: number;
  loop?: boolean;
  /** Vary the pace, so the sparkline shows something. */
  jitter?: boolean;
  token?: string;
  signal?: AbortSignal;
}

export interface TrafficResult {
  requests: number;
  events: number;
  failed: number;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  if (signal?.aborted) return resolve();
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(t);
    resolve();
  }, { once: true });
});

export async function runTraffic(o: TrafficOptions): Promise<TrafficResult> {
  const steps = demoScript(o.examplesDir);
  const key = o.token ?? 'demo-key';
  const basic = Buffer.from(`${key}:demo-secret`).toString('base64');
  const started = Date.now();
  const out: TrafficResult = { requests: 0, events: 0, failed: 0 };
  for (let i = 0; ; i++) {
    if (o.signal?.aborted) break;
    if (!o.loop && o.count === undefined && o.duration === undefined && i >= steps.length) break;
    if (o.count !== undefined && out.events >= o.count) break;
    if (o.duration !== undefined && Date.now() - started >= o.duration * 1000) break;
    const step = steps[i % steps.length];
    const now = Date.now();
    let req: { path: string; body: string; headers: Record<string, string> };
    if (step.via === 'malformed') {
      req = { path: `/v3/JS/${key}/events`, body: '{"events":[{"event_type":"custom_event","data":{"event_na', headers: { 'content-type': 'text/plain;charset=UTF-8' } };
    } else if (step.via === 'web') {
      req = { path: `/v3/JS/${key}/events`, body: JSON.stringify(fresh(step.batch!, now)), headers: { 'content-type': 'text/plain;charset=UTF-8' } };
    } else {
      req = { path: '/v2/events', body: JSON.stringify(fresh(step.batch!, now)), headers: { 'content-type': 'application/json', authorization: `Basic ${basic}` } };
    }
    try {
      const res = await fetch(o.url + req.path, { method: 'POST', body: req.body, headers: req.headers, signal: o.signal });
      await res.arrayBuffer();
      out.requests++;
      if (res.ok) out.events += step.events;
      else if (step.via !== 'malformed') out.failed++;
    } catch {
      if (o.signal?.aborted) break;
      out.failed++;
    }
    const pace = (Math.max(1, step.events) / o.rate) * 1000;
    await sleep(o.jitter ? pace * (0.3 + Math.random() * 1.4) : pace, o.signal);
  }
  return out;
}
