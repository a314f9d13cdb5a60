/** The HTTP + WebSocket front of the receiver: SDK ingest endpoints, the query API, the ingest and feed sockets. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { BodyError, DEFAULT_MAX_BODY, batchesOf, formatSize, parseJsonBody, readBody } from './body.js';
import { CaptureError } from './capture.js';
import { identityAnswer } from './identity.js';
import type { Receiver } from './receiver.js';
import { ENDPOINTS, route, type Route } from './routes.js';
import type { BatchRecord, EventRecord, FeedMessage, RejectReason, Source } from './types.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
/** A viewer further behind than this misses messages (and is told how many) instead of holding memory. */
const FEED_BACKLOG_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

export interface ServerOptions {
  receiver: Receiver;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxBody?: number;
  /** When set, every request must carry it (see `authorized`). */
  token?: string;
}

export interface StreamServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly receiver: Receiver;
  close(): Promise<void>;
}

function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin && origin !== 'null' ? origin : '*');
  res.setHeader('Vary', 'Origin');
}

function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  cors(req, res);
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  if (body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function preflight(req: IncomingMessage, res: ServerResponse): void {
  cors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'content-type, x-mp-key, authorization'));
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.statusCode = 204;
  res.end();
}

/** The API key an SDK sent: web in the path or `x-mp-key`, Node as the Basic auth user. */
function basicAuth(req: IncomingMessage): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(\S+)/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? { user: text, pass: '' } : { user: text.slice(0, i), pass: text.slice(i + 1) };
}

function apiKeyOf(req: IncomingMessage, r: Route): string | undefined {
  if ('apiKey' in r) return r.apiKey;
  const key = req.headers['x-mp-key'];
  if (typeof key === 'string' && key) return key;
  return basicAuth(req)?.user || undefined;
}

/**
 * With a token set, a request must carry it: `Authorization: Bearer T`, `X-Dataplan-Token: T` or
 * `?token=T`; SDKs, which cannot add headers, carry it as their API key (web) or key or secret (Node).
 */
function authorized(token: string | undefined, req: IncomingMessage, url: URL, r: Route): boolean {
  if (!token) return true;
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (bearer && bearer[1].trim() === token) return true;
  if (req.headers['x-dataplan-token'] === token || url.searchParams.get('token') === token) return true;
  const basic = basicAuth(req);
  if (basic && (basic.user === token || basic.pass === token)) return true;
  return apiKeyOf(req, r) === token;
}

const SOURCES: Source[] = ['web', 'node', 'ws', 'http', 'replay', 'demo'];
function sourceParam(url: URL, fallback: Source): Source {
  const s = url.searchParams.get('source') as Source | null;
  return s && SOURCES.includes(s) ? s : fallback;
}

function flag(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (['only', 'true', '1', 'yes'].includes(v.toLowerCase())) return true;
  throw new BodyError(400, 'bad_request', `?${name}=${v}: expected ?${name}=only`);
}

function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v)) throw new BodyError(400, 'bad_request', `?${name}=${v}: expected a non-negative integer`);
  return Number(v);
}

/** Stored batches with their stored events, oldest first, for viewers joining late. */
function backlog(receiver: Receiver, n: number): Array<{ batch: BatchRecord; events: EventRecord[] }> {
  if (n <= 0) return [];
  const byId = new Map<number, { batch: BatchRecord; events: EventRecord[] }>();
  for (const b of receiver.store.batches) byId.set(b.batch_id, { batch: b, events: [] });
  for (const e of receiver.store.events) byId.get(e.batch_id)?.events.push(e);
  const all = [...byId.values()];
  return all.slice(Math.max(0, all.length - n));
}

export async function listen(opts: ServerOptions): Promise<StreamServer> {
  const { receiver, token } = opts;
  const host = opts.host ?? DEFAULT_HOST;
  const maxBody = opts.maxBody ?? DEFAULT_MAX_BODY;
  const sockets = new Set<Socket>();

  function reject(req: IncomingMessage, res: ServerResponse, status: number, reason: RejectReason, message: string, path: string): void {
    receiver.reject({ method: req.method ?? '?', path, status, reason, message });
    send(req, res, status, { error: { status, reason, message } }, status === 413 ? { Connection: 'close' } : {});
  }

  async function ingest(req: IncomingMessage, res: ServerResponse, r: Route, url: URL, source: Source): Promise<void> {
    const body = parseJsonBody(await readBody(req, maxBody));
    const batches = batchesOf(body);
    const ack = await receiver.ingest(batches, { endpoint: `${req.method} ${url.pathname}`, source, api_key: apiKeyOf(req, r) });
    send(req, res, 202, ack);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const path = url.pathname;
    if (req.method === 'OPTIONS') return preflight(req, res);
    const r = route(path);
    const method = req.method ?? 'GET';
    if (r.kind === 'unknown' || r.kind === 'ws-feed') {
      if (path === '/favicon.ico') return send(req, res, 404);
      const hint = r.kind === 'ws-feed' ? 'this is a WebSocket endpoint; connect with a WebSocket client' :
        `the receiver serves ${[...ENDPOINTS.node, 'POST /v3/JS/{key}/events', 'POST /v1/identify|login|logout|{mpid}/modify'].join(', ')} and the query API under /dataplan/`;
      return reject(req, res, 404, 'not_found', `no endpoint ${method} ${path}: ${hint}`, path);
    }
    if (!authorized(token, req, url, r)) {
      req.resume();
      return reject(req, res, 401, 'unauthorized', 'missing or wrong token: send Authorization: Bearer TOKEN or ?token=TOKEN (SDKs: use the token as the API key)', path);
    }
    const wantPost = !(r.kind === 'root' || r.kind === 'config' || (r.kind === 'query' && r.what !== 'reset'));
    if (wantPost ? method !== 'POST' : method !== 'GET' && method !== 'HEAD') {
      req.resume();
      return reject(req, res, 405, 'bad_request', `${method} ${path}: use ${wantPost ? 'POST' : 'GET'}`, path);
    }
    try {
      switch (r.kind) {
        case 'web-batch': return await ingest(req, res, r, url, 'web');
        case 'node-batch':
        case 'node-bulk': return await ingest(req, res, r, url, sourceParam(url, 'node'));
        case 'ingest': return await ingest(req, res, r, url, sourceParam(url, 'http'));
        case 'identity':
        case 'modify': {
          const buf = await readBody(req, maxBody);
          let body: unknown = null;
          try {
            body = buf.length ? parseJsonBody(buf) : null;
          } catch {
            // The answer does not depend on a readable body; a bad one still gets an MPID.
          }
          receiver.identityRequest();
          const a = r.kind === 'modify' ? identityAnswer('modify', body, r.mpid) : identityAnswer(r.call, body);
          return send(req, res, a.status, a.body);
        }
        case 'alias':
        case 'forwarding':
          await readBody(req, maxBody);
          return send(req, res, 202, {});
        case 'config':
          return send(req, res, 200, {});
        case 'root':
          return send(req, res, 200, { name: 'dataplan stream', plan: receiver.plan.info(), max_body: formatSize(maxBody), endpoints: ENDPOINTS });
        case 'query':
          return query(req, res, r.what, url);
      }
    } catch (err) {
      if (err instanceof BodyError) return reject(req, res, err.status, err.reason, err.message, path);
      if (err instanceof CaptureError) return reject(req, res, 503, 'capture_failed', err.message, path);
      return send(req, res, 500, { error: { status: 500, message: (err as Error).message } });
    }
  }

  function query(req: IncomingMessage, res: ServerResponse, what: string, url: URL): void {
    const s = receiver.store;
    switch (what) {
      case 'events':
        return send(req, res, 200, s.queryEvents({
          violationsOnly: flag(url, 'violations'), type: url.searchParams.get('type') ?? undefined, name: url.searchParams.get('name') ?? undefined,
          batchId: intParam(url, 'batch_id'), limit: intParam(url, 'limit'),
        }));
      case 'batches': {
        const only = flag(url, 'violations');
        const limit = intParam(url, 'limit');
        const list = s.batches.toArray().filter((b) => !only || b.violation_count > 0);
        return send(req, res, 200, limit !== undefined ? list.slice(Math.max(0, list.length - limit)) : list);
      }
      case 'summary': return send(req, res, 200, receiver.summary());
      case 'rejected': return send(req, res, 200, s.rejections.toArray());
      case 'plan': return send(req, res, 200, { ...receiver.plan.info(), problem_list: receiver.plan.current.problems });
      case 'reset': {
        const before = { batches: s.counts.batches, events: s.counts.events };
        receiver.reset();
        return send(req, res, 200, { reset: true, cleared: before });
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => send(req, res, 500, { error: { status: 500, message: err.message } }));
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

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
    const deliver = (m: FeedMessage) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > FEED_BACKLOG_BYTES) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        ws.send(JSON.stringify({ type: 'lagged', dropped }));
        dropped = 0;
      }
      ws.send(text(m));
    };
    deliver({ type: 'hello', summary: receiver.summary() });
    for (const b of backlog(receiver, intParam(url, 'backlog') ?? 0)) deliver({ type: 'batch', ...b, backlog: true });
    const off = receiver.subscribe(deliver);
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    receiver,
    async close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
