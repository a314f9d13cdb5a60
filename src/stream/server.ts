/** The HTTP front of the receiver: SDK ingest endpoints, identity answers, the query API; the sockets ride along. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BodyError, DEFAULT_MAX_BODY, batchesOf, formatSize, parseJsonBody, readBody } from './body.js';
import { CaptureError } from './capture.js';
import { apiKeyOf, authorized, flag, intParam, preflight, send, sourceParam } from './http.js';
import { identityAnswer } from './identity.js';
import { handleMobile } from './mobile/index.js';
import type { Receiver } from './receiver.js';
import { ENDPOINTS, route, type Route } from './routes.js';
import { attachSockets } from './sockets.js';
import { listenHttps, type HttpsListener, type TlsMaterial } from './tls/index.js';
import type { RejectReason, Source } from './types.js';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

export interface ServerOptions {
  receiver: Receiver;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  maxBody?: number;
  /** When set, every request must carry it (see `authorized`). */
  token?: string;
  /** Bytes a feed viewer may fall behind before it misses messages. */
  feedLimit?: number;
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
  close(): Promise<void>;
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
      return reject(req, res, 404, 'not_found', `no endpoint ${method} ${path}: ${hint}; iOS/Android: ${ENDPOINTS.mobile.slice(0, 2).join(', ')}`, path);
    }
    if (!authorized(token, req, url, r)) {
      req.resume();
      return reject(req, res, 401, 'unauthorized', 'missing or wrong token: send Authorization: Bearer TOKEN or ?token=TOKEN (SDKs: use the token as the API key)', path);
    }
    const wantPost = r.kind === 'mobile' ? r.call === 'events' : !(r.kind === 'root' || r.kind === 'config' || (r.kind === 'query' && r.what !== 'reset'));
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
        case 'mobile': return await handleMobile({ receiver, maxBody }, req, res, r.call, r.apiKey, url);
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

  const webSockets = attachSockets(server, { receiver, maxBody, token, feedLimit: opts.feedLimit });

  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      webSockets.close();
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
    https = opts.https ? await listenHttps(server, host, opts.https.port, opts.https.tls) : undefined;
  } catch (err) {
    webSockets.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    https,
    receiver,
    async close() {
      await https?.close();
      webSockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
}
