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

/**
 * Connections of every listener of one receiver, counted together against one cap (file descriptors
 * are the process's, whichever port a connection came in on).
 */
export class ConnectionGuard {
  private readonly counted = new Set<Socket>();
  private readonly all = new Set<Socket>();
  private readonly past = new WeakSet<Socket>();

  constructor(private readonly l: Pick<Limits, 'maxConnections'>) {}

  /** Connections open now (within the cap). */
  get open(): number {
    return this.counted.size;
  }

  /** This request's connection came in past the cap: answer 503 and close. */
  pastCap(s: Socket): boolean {
    return this.past.has(s);
  }

  private track(s: Socket): void {
    this.all.add(s);
    s.once('close', () => {
      this.all.delete(s);
      this.counted.delete(s);
    });
  }

  private admit(s: Socket): void {
    if (this.counted.size >= this.l.maxConnections) {
      this.past.add(s);
      s.setTimeout(PAST_CAP_MS, () => s.destroy());
    } else this.counted.add(s);
  }

  /** Count `server`'s connections (http or https) and answer its client errors. */
  watch(server: Server): void {
    server.maxConnections = this.l.maxConnections + ANSWERED_PAST_CAP;
    // A TLS listener counts connections once they are TLS sockets (the ones requests arrive on).
    if (server instanceof TlsServer) {
      server.on('connection', (s: Socket) => this.track(s));
      server.on('secureConnection', (s: Socket) => {
        this.track(s);
        this.admit(s);
      });
    } else {
      server.on('connection', (s: Socket) => {
        this.track(s);
        this.admit(s);
      });
    }
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      // Node's answers, kept (a 408 is a timeout, not a bad request), then the connection is closed
      // outright once the answer is out: a client that never reads must not hold the socket half-open.
      // TLS errors (a handshake that never came) have no HTTP to answer in.
      const http = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' || err.code?.startsWith('HPE_') === true;
      const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      if (http && socket.writable) {
        socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        (socket as Socket).destroySoon();
      } else socket.destroy();
    });
  }

  destroyAll(): void {
    for (const s of this.all) s.destroy();
  }
}
