/** Talking to a receiver from elsewhere: follow its feed (a remote TUI), or send it batches (replay --to). */
import WebSocket from 'ws';
import { DEFAULT_LIMITS } from './limits.js';
import type { Ack, FeedMessage } from './types.js';

/** `127.0.0.1:8787`, `http://…`, `ws://…` (with or without a path) → the WebSocket URL of `path`. */
export function socketUrl(target: string, path: string, params: Record<string, string | undefined> = {}): string {
  const withScheme = /^[a-z]+:\/\//i.test(target) ? target : `ws://${target}`;
  const u = new URL(withScheme);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Error(`${target}: expected a ws://, wss://, http:// or https:// address`);
  if (u.pathname === '/' || u.pathname === '') u.pathname = path;
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

export interface FeedClient {
  /** Resolves when the feed first opens; rejects if the first attempt fails. */
  readonly opened: Promise<void>;
  /** Resolves when the feed is closed for good (by `close()`, or by the receiver when not reconnecting). */
  readonly closed: Promise<void>;
  close(): void;
}

export interface FeedOptions {
  /** Keep reconnecting (every 2 s) after the first successful connection drops. */
  reconnect?: boolean;
  onStatus?: (text: string, level: 'info' | 'error') => void;
}

export function connectFeed(url: string, onMessage: (m: FeedMessage) => void, o: FeedOptions = {}): FeedClient {
  let ws: WebSocket | undefined;
  let stopped = false;
  let everOpen = false;
  let retry: NodeJS.Timeout | undefined;
  let resolveOpened!: () => void;
  let rejectOpened!: (e: Error) => void;
  let resolveClosed!: () => void;
  const opened = new Promise<void>((res, rej) => {
    resolveOpened = res;
    rejectOpened = rej;
  });
  const closed = new Promise<void>((res) => (resolveClosed = res));
  opened.catch(() => undefined);

  const finish = () => {
    stopped = true;
    clearTimeout(retry);
    resolveClosed();
  };
  const connect = () => {
    const sock = new WebSocket(url, { perMessageDeflate: false });
    ws = sock;
    sock.on('open', () => {
      if (everOpen) o.onStatus?.(`reconnected to ${url}`, 'info');
      everOpen = true;
      resolveOpened();
    });
    sock.on('message', (data) => {
      try {
        onMessage(JSON.parse(String(data)) as FeedMessage);
      } catch {
        // Not ours; ignore.
      }
    });
    sock.on('unexpected-response', (_req, res) => {
      const hint: Record<number, string> = {
        401: ' (wrong or missing --token)',
        403: ' (the receiver does not answer to this name: start it with --allowed-host NAME)',
        503: ' (too many viewers or connections: see --max-viewers, --max-connections)',
      };
      const msg = `${url}: the receiver answered ${res.statusCode}${hint[res.statusCode ?? 0] ?? ''}`;
      if (!everOpen) rejectOpened(new Error(msg));
      o.onStatus?.(msg, 'error');
      sock.terminate();
    });
    sock.on('error', (err) => {
      if (!everOpen) rejectOpened(new Error(`cannot connect to ${url}: ${err.message}`));
    });
    sock.on('close', () => {
      if (stopped) return;
      if (!everOpen) return finish();
      if (!o.reconnect) return finish();
      o.onStatus?.(`lost the receiver at ${url}; reconnecting…`, 'error');
      retry = setTimeout(connect, 2000);
    });
  };
  connect();
  return {
    opened,
    closed,
    close() {
      finish();
      ws?.terminate();
    },
  };
}

/** Requests within the receiver's bounds: at most `batches` batches and (where possible) `events` events each. */
function chunked(batches: unknown[], most: { batches: number; events: number }): unknown[][] {
  const chunks: unknown[][] = [];
  let cur: unknown[] = [];
  let events = 0;
  for (const b of batches) {
    const n = b !== null && typeof b === 'object' && Array.isArray((b as { events?: unknown }).events) ? (b as { events: unknown[] }).events.length : 0;
    if (cur.length > 0 && (cur.length >= most.batches || events + n > most.events)) {
      chunks.push(cur);
      cur = [];
      events = 0;
    }
    cur.push(b);
    events += n;
  }
  if (cur.length > 0) chunks.push(cur);
  return chunks;
}

/** Send batches to a receiver, in order, and collect its acknowledgements. */
export async function sendBatches(target: string, batches: unknown[], o: { token?: string; chunk?: number; events?: number } = {}): Promise<Ack[]> {
  const chunks = chunked(batches, { batches: o.chunk ?? DEFAULT_LIMITS.maxBatches, events: o.events ?? DEFAULT_LIMITS.maxEvents });
  const acks: Ack[] = [];
  if (/^https?:\/\//i.test(target)) {
    const u = new URL(target);
    if (u.pathname === '/' || u.pathname === '') u.pathname = '/dataplan/ingest';
    u.searchParams.set('source', 'replay');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    for (const c of chunks) {
      const res = await fetch(u, { method: 'POST', body: JSON.stringify(c), headers });
      const body = (await res.json().catch(() => ({}))) as Ack & { error?: { message: string } };
      if (!res.ok) throw new Error(`${u.origin}${u.pathname} answered ${res.status}: ${body.error?.message ?? res.statusText}`);
      acks.push(body);
    }
    return acks;
  }
  const url = socketUrl(target, '/dataplan/ingest', { source: 'replay', token: o.token });
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', (e) => reject(new Error(`cannot connect to ${url}: ${e.message}`)));
    ws.once('unexpected-response', (_q, r) => reject(new Error(`${url}: the receiver answered ${r.statusCode}`)));
  });
  type Reply = Ack & { type: string; message?: string };
  const waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  ws.on('message', (d) => waiting.shift()?.resolve(JSON.parse(String(d)) as Reply));
  ws.on('close', () => {
    for (const w of waiting.splice(0)) w.reject(new Error(`${url}: the receiver closed the connection`));
  });
  try {
    for (const c of chunks) {
      const reply = await new Promise<Reply>((resolve, reject) => {
        waiting.push({ resolve, reject });
        ws.send(JSON.stringify(c));
      });
      if (reply.type !== 'ack') throw new Error(`${url}: ${reply.message ?? 'the receiver refused the batches'}`);
      acks.push(reply);
    }
  } finally {
    ws.close();
  }
  return acks;
}
