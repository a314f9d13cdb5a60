/** The receiver's WebSockets: `/dataplan/ingest` (batches in, acknowledgements out) and `/dataplan/feed` (viewers). */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { BodyError, batchesOf, formatSize, parseJsonBody } from './body.js';
import { CaptureError } from './capture.js';
import { authorized, sourceParam } from './http.js';
import type { Receiver } from './receiver.js';
import { route } from './routes.js';
import type { BatchRecord, EventRecord, FeedMessage, RejectReason } from './types.js';

/** A viewer further behind than this misses messages (and is told how many) instead of holding memory. */
const FEED_BACKLOG_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/** Stored batches with their stored events, oldest first, for viewers joining late. */
function backlog(receiver: Receiver, n: number): Array<{ batch: BatchRecord; events: EventRecord[] }> {
  if (n <= 0) return [];
  const byId = new Map<number, { batch: BatchRecord; events: EventRecord[] }>();
  for (const b of receiver.store.batches) byId.set(b.batch_id, { batch: b, events: [] });
  for (const e of receiver.store.events) byId.get(e.batch_id)?.events.push(e);
  const all = [...byId.values()];
  return all.slice(Math.max(0, all.length - n));
}

export interface SocketOptions {
  receiver: Receiver;
  maxBody: number;
  token?: string;
  /** Bytes a viewer may fall behind before it misses messages (default 8 MB). */
  feedLimit?: number;
}

/** Serve both sockets on `server`'s upgrades; `close` drops every socket. */
export function attachSockets(server: Server, { receiver, maxBody, token, feedLimit = FEED_BACKLOG_BYTES }: SocketOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const r = route(url.pathname);
    const refuse = (status: number, text: string, reason: RejectReason, message: string) => {
      receiver.reject({ method: 'WS', path: url.pathname, status, reason, message });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${message}\n`);
    };
    if (r.kind !== 'ingest' && r.kind !== 'ws-feed') return refuse(404, 'Not Found', 'not_found', `no WebSocket endpoint ${url.pathname}: use /dataplan/ingest or /dataplan/feed`);
    if (!authorized(token, req, url, r)) return refuse(401, 'Unauthorized', 'unauthorized', 'missing or wrong token: add ?token=TOKEN');
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      if (r.kind === 'ingest') ingestSocket(ws, url);
      else feedSocket(ws, url);
    });
  });

  function ingestSocket(ws: WebSocket, url: URL): void {
    const source = sourceParam(url, 'ws');
    let seq = 0;
    ws.on('message', (data, isBinary) => {
      const n = ++seq;
      void (async () => {
        try {
          if (isBinary) throw new BodyError(400, 'bad_request', 'binary message: send JSON text (a batch or an array of batches)');
          const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
          const ack = await receiver.ingest(batchesOf(parseJsonBody(buf)), { endpoint: 'WS /dataplan/ingest', source });
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'ack', seq: n, ...ack }));
        } catch (err) {
          const e = err instanceof BodyError ? err : new BodyError(err instanceof CaptureError ? 503 : 500, 'bad_request', (err as Error).message);
          const reason: RejectReason = err instanceof BodyError ? e.reason : 'capture_failed';
          receiver.reject({ method: 'WS', path: '/dataplan/ingest', status: e.status, reason, message: e.message });
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'error', seq: n, status: e.status, reason, message: e.message }));
        }
      })();
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        receiver.reject({ method: 'WS', path: '/dataplan/ingest', status: 1009, reason: 'too_large', message: `message larger than the limit of ${formatSize(maxBody)} (raise it with --max-body); connection closed` });
      }
    });
  }

  /** Serialise each feed message once, however many viewers there are. */
  const wire = new WeakMap<FeedMessage, string>();
  const text = (m: FeedMessage) => {
    let t = wire.get(m);
    if (t === undefined) wire.set(m, (t = JSON.stringify(m)));
    return t;
  };

  function feedSocket(ws: WebSocket, url: URL): void {
    let dropped = 0;
    let watch: NodeJS.Timeout | undefined;
    // Once the viewer has caught up, tell it how much it missed (even if nothing new arrives).
    const caughtUp = () => {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount > feedLimit) return;
      clearInterval(watch);
      watch = undefined;
      ws.send(JSON.stringify({ type: 'lagged', dropped }));
      dropped = 0;
    };
    const deliver = (m: FeedMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (dropped > 0) caughtUp();
      if (ws.bufferedAmount > feedLimit) {
        dropped++;
        watch ??= setInterval(caughtUp, 100).unref();
        return;
      }
      ws.send(text(m));
    };
    deliver({ type: 'hello', summary: receiver.summary() });
    const n = Number(url.searchParams.get('backlog') ?? 0);
    for (const b of backlog(receiver, Number.isInteger(n) ? n : 0)) deliver({ type: 'batch', ...b, backlog: true });
    const unsubscribe = receiver.subscribe(deliver);
    const off = () => {
      clearInterval(watch);
      unsubscribe();
    };
    ws.on('close', off);
    ws.on('error', off);
    ws.on('message', () => undefined);
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
