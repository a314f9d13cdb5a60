/**
 * HTTPS beside HTTP. The mobile SDKs speak only HTTPS; every request and WebSocket upgrade that arrives
 * here is handed to the HTTP server's own listeners, so both ports serve the same routes with the same
 * checks, limits and sockets.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TlsMaterial } from './cert.js';

export const DEFAULT_HTTPS_PORT = 8443;

export interface HttpsListener {
  readonly url: string;
  readonly port: number;
  readonly tls: TlsMaterial;
  close(): Promise<void>;
}

/** Listen with TLS on `host:port` (0 picks a free port), serving what `http` serves. */
export async function listenHttps(http: Server, host: string, port: number, tls: TlsMaterial): Promise<HttpsListener> {
  const server: HttpsServer = createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
  server.requestTimeout = http.requestTimeout;
  server.headersTimeout = http.headersTimeout;
  server.keepAliveTimeout = http.keepAliveTimeout;
  server.maxHeadersCount = http.maxHeadersCount;
  if (http.maxConnections !== undefined) server.maxConnections = http.maxConnections;
  server.on('request', (req, res) => http.emit('request', req, res));
  server.on('upgrade', (req, socket, head) => http.emit('upgrade', req, socket, head));
  server.on('clientError', (err, socket) => {
    if (http.listenerCount('clientError') > 0) http.emit('clientError', err, socket);
    else socket.destroy();
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${shownHost}:${bound}`,
    port: bound,
    tls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
