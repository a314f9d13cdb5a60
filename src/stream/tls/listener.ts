/**
 * HTTPS beside HTTP. The mobile SDKs speak only HTTPS; the receiver is mounted on this listener as on
 * the HTTP one, so both ports serve the same routes with the same checks, limits, connection count and
 * viewers.
 */
import type { Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TlsMaterial } from './cert.js';

export const DEFAULT_HTTPS_PORT = 8443;

export interface HttpsListener {
  readonly url: string;
  readonly port: number;
  readonly tls: TlsMaterial;
  close(): Promise<void>;
}

export interface HttpsMount {
  /** Server options (timeouts) the HTTP listener has too. */
  options: ServerOptions;
  /** Put the receiver on the new listener; `close` drops what it opened. */
  mount(server: Server): { close(): void };
}

/** Listen with TLS on `host:port` (0 picks a free port), serving what the HTTP listener serves. */
export async function listenHttps(host: string, port: number, tls: TlsMaterial, m: HttpsMount): Promise<HttpsListener> {
  const server: HttpsServer = createHttpsServer({ ...m.options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' });
  const mounted = m.mount(server as unknown as Server);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      mounted.close();
      reject(err);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
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
        mounted.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      }),
  };
}
