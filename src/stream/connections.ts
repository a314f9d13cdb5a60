/**
 * Bounds on connections, for any listener (http or https): a connection that sends no request within
 * the idle timeout is closed, a whole request has a deadline, and past `maxConnections` new connections
 * are answered 503 and closed, so a flood of sockets never starves the process of file descriptors.
 */
import { STATUS_CODES, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';
import type { Limits } from './limits.js';

/** Connections past the cap that still get a 503 answer; past these they are dropped unanswered. */
const ANSWERED_PAST_CAP = 10;
/** How long a connection past the cap has to send its request before it is dropped. */
const PAST_CAP_MS = 1000;

/** Options for `createServer` (http or https): the timeouts, checked often enough to hold. */
export function serverOptions(l: Limits): ServerOptions & { handshakeTimeout: number } {
  const headers = Math.min(l.idleTimeout, l.requestTimeout);
  return {
    headersTimeout: headers,
    requestTimeout: l.requestTimeout,
    keepAliveTimeout: Math.min(5000, l.idleTimeout),
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headers / 4))),
    handshakeTimeout: l.idleTimeout,
  };
}

export interface ConnectionGuard {
  /** Connections open now (within the cap). */
  readonly open: number;
  /** This request's connection came in past the cap: answer 503 and close. */
  pastCap(socket: Socket): boolean;
  destroyAll(): void;
}

export function guardConnections(server: Server, l: Pick<Limits, 'maxConnections'>): ConnectionGuard {
  const counted = new Set<Socket>();
  const all = new Set<Socket>();
  const past = new WeakSet<Socket>();
  server.maxConnections = l.maxConnections + ANSWERED_PAST_CAP;
  const track = (s: Socket) => {
    all.add(s);
    s.once('close', () => {
      all.delete(s);
      counted.delete(s);
    });
  };
  const admit = (s: Socket) => {
    if (counted.size >= l.maxConnections) {
      past.add(s);
      s.setTimeout(PAST_CAP_MS, () => s.destroy());
    } else counted.add(s);
  };
  // A TLS listener counts connections once they are TLS sockets (the ones requests arrive on).
  if (server instanceof TlsServer) {
    server.on('connection', track);
    server.on('secureConnection', (s: Socket) => {
      track(s);
      admit(s);
    });
  } else {
    server.on('connection', (s: Socket) => {
      track(s);
      admit(s);
    });
  }
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // Node's answers, kept (a 408 is a timeout, not a bad request), then the connection is closed.
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    // Closed outright once the answer is out: a client that never reads must not hold the socket half-open.
    if (socket.writable && !(err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      (socket as Socket).destroySoon();
    } else socket.destroy();
  });
  return {
    get open() {
      return counted.size;
    },
    pastCap: (s) => past.has(s),
    destroyAll() {
      for (const s of all) s.destroy();
    },
  };
}
