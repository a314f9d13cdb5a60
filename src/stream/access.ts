/**
 * Who may talk to the receiver. `Host` must name this machine (DNS rebinding: a foreign page whose name
 * resolves to 127.0.0.1 sends its own name), like Vite's `server.allowedHosts`. The SDK routes answer
 * CORS for any origin (the web SDK runs on the app's origin) and reveal nothing stored; the receiver's
 * own routes (`/dataplan/*`, `/`) are closed to foreign origins unless `--allow-origin` names them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import type { Route } from './routes.js';

/** Names that always reach this machine: loopback, and the Android emulator's alias for its host. */
const BUILT_IN = ['localhost', '127.0.0.1', '[::1]', '10.0.2.2'];
const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

export interface AccessOptions {
  /** The address the receiver binds. */
  host: string;
  /** More names for `Host` (`--allowed-host`); `.example.com` allows the domain and its subdomains. */
  allowedHosts?: string[];
  /** Origins granted the receiver's own routes (`--allow-origin`); `*` grants every origin. */
  allowOrigins?: string[];
}

export type Refusal = { status: 403; message: string };

/** `Host: name[:port]` → lower-case name, IPv6 in brackets; undefined if it is not a host. */
export function hostName(header: string): string | undefined {
  try {
    const u = new URL(`http://${header}`);
    if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return undefined;
    return u.hostname.replace(/\.$/, '').toLowerCase();
  } catch {
    return undefined;
  }
}

function bracket(addr: string): string {
  return addr.includes(':') && !addr.startsWith('[') ? `[${addr}]` : addr;
}

/** Normalised `scheme://host[:port]`, or undefined for anything else (`null`, garbage). */
function originOf(s: string): string | undefined {
  if (s === '*') return s;
  try {
    const u = new URL(s);
    return u.origin === 'null' ? undefined : u.origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** The receiver's own routes; everything an SDK calls is answered to any origin. */
export function isLocalRoute(r: Route): boolean {
  return r.kind === 'query' || r.kind === 'ingest' || r.kind === 'ws-feed' || r.kind === 'root';
}

export class Access {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly origins = new Set<string>();
  private readonly anyOrigin: boolean;

  constructor(o: AccessOptions) {
    for (const n of BUILT_IN) this.names.add(n);
    const bind = bracket(o.host.toLowerCase());
    if (WILDCARD.has(bind) || WILDCARD.has(o.host)) {
      // Bound to every interface: each of this machine's addresses is a fair Host.
      for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) this.names.add(bracket(a.address.toLowerCase()));
    } else this.names.add(bind);
    for (const h of o.allowedHosts ?? []) {
      const name = h.trim().toLowerCase();
      if (name.startsWith('.')) this.suffixes.push(name);
      else if (name) this.names.add(hostName(name) ?? name);
    }
    for (const s of o.allowOrigins ?? []) {
      const origin = originOf(s.trim());
      if (!origin) throw new Error(`--allow-origin ${s}: expected an origin such as http://localhost:3000 (scheme, host, optional port) or *`);
      this.origins.add(origin);
    }
    this.anyOrigin = this.origins.has('*');
  }

  /** Host names a request may carry (for messages). */
  get allowedNames(): string[] {
    return [...this.names, ...this.suffixes.map((s) => `*${s}`), '*.localhost'];
  }

  hostAllowed(header: string | undefined): boolean {
    // Without a Host header the request cannot come from a browser, so it cannot be a rebinding attack.
    if (header === undefined) return true;
    const name = hostName(header);
    if (name === undefined) return false;
    if (this.names.has(name) || name.endsWith('.localhost')) return true;
    return this.suffixes.some((s) => name.endsWith(s) || name === s.slice(1));
  }

  /** A request's origin is foreign when it is neither the receiver itself nor granted. */
  private foreign(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) {
      // No Origin: not a CORS request. A browser still says where a no-cors request came from.
      const site = req.headers['sec-fetch-site'];
      return site === 'cross-site' || site === 'same-site' ? `a ${site} page` : undefined;
    }
    if (this.anyOrigin) return undefined;
    const o = originOf(origin);
    if (o && this.origins.has(o)) return undefined;
    if (o && req.headers.host && new URL(o).host === req.headers.host.toLowerCase()) return undefined;
    return `origin ${origin}`;
  }

  /** Why this request is refused, or undefined. Applies to every listener and to WebSocket upgrades. */
  check(req: IncomingMessage, r: Route): Refusal | undefined {
    const host = req.headers.host;
    if (!this.hostAllowed(host)) {
      return { status: 403, message: `Host "${host}" is not this machine's name: the receiver answers ${this.allowedNames.join(', ')} (add a name with --allowed-host NAME)` };
    }
    if (!isLocalRoute(r)) return undefined;
    const who = this.foreign(req);
    if (who) return { status: 403, message: `${who} may not use the receiver's own routes (query, control, feed); start it with --allow-origin ORIGIN to grant one` };
    return undefined;
  }

  /** CORS headers for an allowed request: any origin on SDK routes, only granted ones on the receiver's own. */
  cors(req: IncomingMessage, res: ServerResponse, r: Route): void {
    const origin = req.headers.origin;
    res.setHeader('Vary', 'Origin');
    if (isLocalRoute(r)) {
      if (origin !== undefined && this.foreign(req) === undefined) res.setHeader('Access-Control-Allow-Origin', origin);
      return;
    }
    res.setHeader('Access-Control-Allow-Origin', origin && origin !== 'null' ? origin : '*');
  }

  /** Answer a CORS preflight (the request already passed `check`). */
  preflight(req: IncomingMessage, res: ServerResponse, r: Route): void {
    this.cors(req, res, r);
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'content-type, x-mp-key, authorization'));
    res.setHeader('Access-Control-Max-Age', '600');
    // Private Network Access: only what an SDK needs, never the query and control routes.
    if (!isLocalRoute(r) && r.kind !== 'unknown' && req.headers['access-control-request-private-network'] === 'true') {
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    res.statusCode = 204;
    res.end();
  }
}
