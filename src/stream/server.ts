/**
 * The HTTP front of the receiver: SDK ingest endpoints, identity answers, the query API; the sockets
 * ride along. Every check (connections, Host, Origin, token, sizes, timeouts) is in the one request
 * path that `mount` puts on a listener, so an https listener gets the same.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Access } from './access.js';
import { BodyError, formatSize, Inflight, parseJsonBody, readBody } from './body.js';
import { CaptureError } from './capture.js';
import { ConnectionGuard, serverOptions } from './connections.js';
import { FeedHub } from './feed.js';
import { apiKeyOf, authorized, send, sendJson, sourceParam, tokenHider } from './http.js';
import { identityAnswer } from './identity.js';
import { resolveLimits, type Limits } from './limits.js';
import { handleMobile } from './mobile/index.js';
import { answerQuery, QueryError } from './query.js';
import type { Receiver } from './receiver.js';
import { ENDPOINTS, route, type Route } from './routes.js';
import { attachSockets, type SocketContext } from './sockets.js';
import { listenHttps, type HttpsListener, type TlsMaterial } from './tls/index.js';
import type { RejectReason, Source } from './types.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServerOptions extends Partial<Limits> {
  receiver: Receiver;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** When set, every request must carry it (see `authorized`). */
  token?: string;
  /** More names `Host` may carry (`--allowed-host`). */
  allowedHosts?: string[];
  /** Origins granted the query, control and feed routes (`--allow-origin`). */
  allowOrigins?: string[];
  /** Also serve everything over HTTPS on this port (0: a free one) with this certificate. */
  https?: { port: number; tls: TlsMaterial };
}

export interface StreamServer {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The HTTPS listener, when asked for. */
  readonly https?: HttpsListener;
  readonly receiver: Receiver;
  readonly limits: Limits;
  /** The checks, budgets and viewers this listener uses: `mount` another listener (https) on it to share them. */
  readonly front: Front;
  /** Open connections and feed viewers now. */
  readonly connections: number;
  readonly viewers: number;
  close(): Promise<void>;
}

/** What every listener of one receiver shares: the checks, the budgets, the connection count, the viewers. */
export interface Front extends SocketContext {
  guard: ConnectionGuard;
  /** Stop feeding viewers and drop every connection of every listener. */
  close(): void;
}

export function createFront(opts: ServerOptions): Front {
  const limits = resolveLimits(pickLimits(opts));
  const hub = new FeedHub(limits);
  const guard = new ConnectionGuard(limits);
  const unsubscribe = opts.receiver.subscribe(hub.publish, () => hub.size > 0);
  return {
    close() {
      unsubscribe();
      hub.close();
      guard.destroyAll();
    },
    guard,
    receiver: opts.receiver,
    access: new Access({ host: opts.host ?? DEFAULT_HOST, allowedHosts: opts.allowedHosts, allowOrigins: opts.allowOrigins }),
    limits,
    token: opts.token,
    inflight: new Inflight(limits.maxInflight),
    hub,
    hide: tokenHider(opts.token),
  };
}

const LIMIT_KEYS: Array<keyof Limits> = ['maxBody', 'maxBatches', 'maxEvents', 'platformBatchBytes', 'platformRequestBytes', 'maxInflight', 'idleTimeout', 'bodyTimeout', 'requestTimeout', 'maxConnections', 'maxViewers', 'feedLimit', 'feedBudget', 'ackDetailBytes'];
function pickLimits(o: Partial<Limits>): Partial<Limits> {
  return Object.fromEntries(LIMIT_KEYS.map((k) => [k, o[k]]));
}

/** Where a request is answered (and, for what an SDK sent, counted if refused). */
function requestHandler(front: Front): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { receiver, access, limits, token, hide, guard } = front;

  /** Refuse what a client sent: answered, counted and shown to viewers. */
  function reject(req: IncomingMessage, res: ServerResponse, status: number, reason: RejectReason, message: string, path: string): void {
    receiver.reject({ method: req.method ?? '?', path, status, reason, message });
    answerError(req, res, status, reason, message);
  }

  /** Answer an error without counting it (a bad query is the caller's, not an SDK's). */
  function answerError(req: IncomingMessage, res: ServerResponse, status: number, reason: RejectReason, message: string): void {
    const close = status === 408 || status === 413 || status === 503;
    send(req, res, status, { error: { status, reason, message } }, { ...(close ? { Connection: 'close' } : {}), ...(status === 503 ? { 'Retry-After': '1' } : {}) });
  }

  async function ingest(req: IncomingMessage, res: ServerResponse, r: Route, path: string, source: Source): Promise<void> {
    const lease = front.inflight.lease();
    try {
      const buf = await readBody(req, { limit: limits.maxBody, stallMs: limits.bodyTimeout, lease });
      const ack = await receiver.ingestBody(buf, { endpoint: `${req.method} ${path}`, source, api_key: hide.key(apiKeyOf(req, r)) }, limits, req.socket);
      sendJson(res, 202, ack);
    } finally {
      lease.release();
    }
  }

  async function drain(req: IncomingMessage): Promise<Buffer> {
    const lease = front.inflight.lease();
    try {
      return await readBody(req, { limit: limits.maxBody, stallMs: limits.bodyTimeout, lease });
    } finally {
      lease.release();
    }
  }

  return async function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const path = hide.path(url.pathname);
    const r = route(url.pathname);
    const method = req.method ?? 'GET';
    const local = r.kind === 'query' || r.kind === 'root' || r.kind === 'ws-feed' || url.pathname.startsWith('/dataplan/') && r.kind === 'unknown';
    if (guard.pastCap(req.socket as Socket)) {
      req.resume();
      return reject(req, res, 503, 'busy', `more than ${limits.maxConnections} connections are open (--max-connections); try again shortly`, path);
    }
    const denied = access.check(req, r);
    if (denied) {
      req.resume();
      return reject(req, res, denied.status, 'forbidden', denied.message, path);
    }
    access.cors(req, res, r);
    if (method === 'OPTIONS') return access.preflight(req, res, r);
    const refuse = local ? (status: number, reason: RejectReason, message: string) => answerError(req, res, status, reason, message) : (status: number, reason: RejectReason, message: string) => reject(req, res, status, reason, message, path);
    if (r.kind === 'unknown' || r.kind === 'ws-feed') {
      req.resume();
      if (path === '/favicon.ico') return send(req, res, 404);
      const hint = r.kind === 'ws-feed' ? 'this is a WebSocket endpoint; connect with a WebSocket client' :
        `the receiver serves ${[...ENDPOINTS.node, 'POST /v3/JS/{key}/events', 'POST /v1/identify|login|logout|{mpid}/modify'].join(', ')} and the query API under /dataplan/`;
      return refuse(404, 'not_found', `no endpoint ${method} ${path}: ${hint}; iOS/Android: ${ENDPOINTS.mobile.slice(0, 2).join(', ')}`);
    }
    if (!authorized(token, req, url, r)) {
      req.resume();
      return refuse(401, 'unauthorized', 'missing or wrong token: send Authorization: Bearer TOKEN or ?token=TOKEN (SDKs: use the token as the API key)');
    }
    const wantPost = r.kind === 'mobile' ? r.call === 'events' : !(r.kind === 'root' || r.kind === 'config' || (r.kind === 'query' && r.what !== 'reset'));
    if (wantPost ? method !== 'POST' : method !== 'GET' && method !== 'HEAD') {
      req.resume();
      return refuse(405, 'bad_request', `${method} ${path}: use ${wantPost ? 'POST' : 'GET'}`);
    }
    try {
      switch (r.kind) {
        case 'web-batch': return await ingest(req, res, r, path, 'web');
        case 'node-batch':
        case 'node-bulk': return await ingest(req, res, r, path, sourceParam(url, 'node'));
        case 'ingest': return await ingest(req, res, r, path, sourceParam(url, 'http'));
        case 'mobile': return await handleMobile(front, req, res, r.call, r.apiKey, url);
        case 'identity':
        case 'modify': {
          const buf = await drain(req);
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
          await drain(req);
          return send(req, res, 202, {});
        case 'config':
          return send(req, res, 200, {});
        case 'root':
          return send(req, res, 200, { name: 'dataplan stream', plan: receiver.plan.info(), max_body: formatSize(limits.maxBody), endpoints: ENDPOINTS });
        case 'query':
          return await answerQuery(req, res, r.what, url, receiver);
      }
    } catch (err) {
      if (err instanceof QueryError) return answerError(req, res, 400, 'bad_request', err.message);
      if (err instanceof BodyError) return reject(req, res, err.status, err.reason, err.message, path);
      if (err instanceof CaptureError) return reject(req, res, 503, 'capture_failed', err.message, path);
      return send(req, res, 500, { error: { status: 500, message: (err as Error).message } });
    }
  };
}

/** Put the receiver on a listener (http or https): requests, WebSocket upgrades, connection bounds. */
export function mount(server: Server, front: Front): { close(): void } {
  front.guard.watch(server);
  const handle = requestHandler(front);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: Error) => send(req, res, 500, { error: { status: 500, message: err.message } }));
  });
  return attachSockets(server, front);
}

export async function listen(opts: ServerOptions): Promise<StreamServer> {
  const host = opts.host ?? DEFAULT_HOST;
  const front = createFront(opts);
  const server: Server = createServer(serverOptions(front.limits));
  const mounted = mount(server, front);
  const shut = async (https?: HttpsListener) => {
    await https?.close();
    mounted.close();
    front.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  };

  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      mounted.close();
      front.close();
      reject(err);
    };
    server.once('error', failed);
    server.listen(opts.port ?? DEFAULT_PORT, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let https: HttpsListener | undefined;
  try {
    https = opts.https ? await listenHttps(host, opts.https.port, opts.https.tls, { options: serverOptions(front.limits), mount: (srv) => mount(srv, front) }) : undefined;
  } catch (err) {
    await shut();
    throw err;
  }
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    https,
    receiver: opts.receiver,
    limits: front.limits,
    front,
    get connections() {
      return front.guard.open;
    },
    get viewers() {
      return front.hub.size;
    },
    close: () => shut(https),
  };
}
