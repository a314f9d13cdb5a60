/** The receiver's WebSockets: `/dataplan/ingest` (batches in, acknowledgements out) and `/dataplan/feed` (viewers). */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { BodyError, busy, formatSize, type Inflight } from './body.js';
import { CaptureError } from './capture.js';
import type { ConnectionGuard } from './connections.js';
import { textFrame, type FeedHub } from './feed.js';
import { authorized, sourceParam, type tokenHider } from './http.js';
import type { Access } from './access.js';
import type { Limits } from './limits.js';
import type { Receiver } from './receiver.js';
import { route } from './routes.js';
import type { BatchRecord, EventRecord, RejectReason } from './types.js';

const HEARTBEAT_MS = 30_000;

/**
 * Stored batches with their stored events, for a viewer joining late: the newest `n` that fit in
 * `bytes` once framed, oldest first.
 */
function backlogFrames(receiver: Receiver, n: number, bytes: number): Buffer[] {
  if (n <= 0) return [];
  const byId = new Map<number, { batch: BatchRecord; events: EventRecord[] }>();
  for (const b of receiver.store.batches) byId.set(b.batch_id, { batch: b.record, events: [] });
  for (const e of receiver.store.events) byId.get(e.batch_id)?.events.push(e.batch.events[e.index]);
  const all = [...byId.values()];
  const out: Buffer[] = [];
  let left = bytes;
  for (let i = all.length - 1; i >= 0 && out.length < n; i--) {
    const f = textFrame(JSON.stringify({ type: 'batch', ...all[i], backlog: true }));
    left -= f.length;
    if (left < 0) break;
    out.push(f);
  }
  return out.reverse();
}

export interface SocketContext {
  receiver: Receiver;
  guard: ConnectionGuard;
  access: Access;
  limits: Limits;
  token?: string;
  inflight: Inflight;
  hub: FeedHub;
  hide: ReturnType<typeof tokenHider>;
}

/** Serve both sockets on `server`'s upgrades (any listener); `close` drops every socket. */
export function attachSockets(server: Server, ctx: SocketContext): { close(): void } {
  const { receiver, access, limits, token, hub, hide, guard } = ctx;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBody, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const r = route(url.pathname);
    const path = hide.path(url.pathname);
    const refuse = (status: number, reason: RejectReason, message: string) => {
      receiver.reject({ method: 'WS', path, status, reason, message });
      const retry = status === 503 ? 'Retry-After: 1\r\n' : '';
      socket.end(`HTTP/1.1 ${status} ${statusText(status)}\r\nConnection: close\r\n${retry}Content-Type: text/plain\r\n\r\n${message}\n`);
    };
    if (guard.pastCap(req.socket)) return refuse(503, 'busy', `more than ${limits.maxConnections} connections are open (--max-connections); try again shortly`);
    const denied = access.check(req, r);
    if (denied) return refuse(denied.status, 'forbidden', denied.message);
    if (r.kind !== 'ingest' && r.kind !== 'ws-feed') return refuse(404, 'not_found', `no WebSocket endpoint ${path}: use /dataplan/ingest or /dataplan/feed`);
    if (!authorized(token, req, url, r)) return refuse(401, 'unauthorized', 'missing or wrong token: add ?token=TOKEN');
    if (r.kind === 'ws-feed' && hub.full) return refuse(503, 'busy', `${limits.maxViewers} viewers are connected already (--max-viewers)`);
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true);
      ws.on('pong', () => alive.set(ws, true));
      if (r.kind === 'ingest') ingestSocket(ws, socket, url);
      else feedSocket(ws, socket, url);
    });
  });

  function ingestSocket(ws: WebSocket, socket: Duplex, url: URL): void {
    const source = sourceParam(url, 'ws');
    let seq = 0;
    // A group commit answers several messages of a connection at once: one write for all, not one each.
    let corked = false;
    const reply = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (!corked) {
        corked = true;
        socket.cork();
        process.nextTick(() => {
          corked = false;
          socket.uncork();
        });
      }
      ws.send(text);
    };
    ws.on('message', (data, isBinary) => {
      const n = ++seq;
      const lease = ctx.inflight.lease();
      void (async () => {
        try {
          if (isBinary) throw new BodyError(400, 'bad_request', 'binary message: send JSON text (a batch or an array of batches)');
          const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
          if (!lease.add(buf.length)) throw busy(lease.limit);
          const ack = await receiver.ingestBody(buf, { endpoint: 'WS /dataplan/ingest', source }, limits, ws);
          reply(`{"type":"ack","seq":${n},${ack.slice(1)}`);
        } catch (err) {
          const e = err instanceof BodyError ? err : new BodyError(err instanceof CaptureError ? 503 : 500, 'capture_failed', (err as Error).message);
          receiver.reject({ method: 'WS', path: '/dataplan/ingest', status: e.status, reason: e.reason, message: e.message });
          reply(JSON.stringify({ type: 'error', seq: n, status: e.status, reason: e.reason, message: e.message }));
        } finally {
          lease.release();
        }
      })();
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        receiver.reject({ method: 'WS', path: '/dataplan/ingest', status: 1009, reason: 'too_large', message: `message larger than the limit of ${formatSize(limits.maxBody)} (raise it with --max-body); connection closed` });
      }
    });
  }

  function feedSocket(ws: WebSocket, socket: Duplex, url: URL): void {
    const n = Number(url.searchParams.get('backlog') ?? 0);
    const greeting = [textFrame(JSON.stringify({ type: 'hello', summary: receiver.summary() })), ...backlogFrames(receiver, Number.isInteger(n) ? n : 0, limits.feedLimit)];
    hub.join(ws, socket, greeting);
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

function statusText(status: number): string {
  return ({ 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' } as Record<number, string>)[status] ?? 'Error';
}
