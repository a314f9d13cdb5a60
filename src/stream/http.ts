/** Small HTTP helpers for the receiver: CORS, JSON answers, credentials, query parameters. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyError } from './body.js';
import type { Route } from './routes.js';
import type { Source } from './types.js';

export function cors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin && origin !== 'null' ? origin : '*');
  res.setHeader('Vary', 'Origin');
}

export function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void {
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

export function preflight(req: IncomingMessage, res: ServerResponse): void {
  cors(req, res);
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', String(req.headers['access-control-request-headers'] ?? 'content-type, x-mp-key, authorization'));
  res.setHeader('Access-Control-Max-Age', '600');
  if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('Access-Control-Allow-Private-Network', 'true');
  res.statusCode = 204;
  res.end();
}

/** The API key an SDK sent: web in the path or `x-mp-key`, Node as the Basic auth user. */
export function basicAuth(req: IncomingMessage): { user: string; pass: string } | undefined {
  const m = /^Basic\s+(\S+)/i.exec(String(req.headers.authorization ?? ''));
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? { user: text, pass: '' } : { user: text.slice(0, i), pass: text.slice(i + 1) };
}

export function apiKeyOf(req: IncomingMessage, r: Route): string | undefined {
  if ('apiKey' in r) return r.apiKey;
  const key = req.headers['x-mp-key'];
  if (typeof key === 'string' && key) return key;
  return basicAuth(req)?.user || undefined;
}

/**
 * With a token set, a request must carry it: `Authorization: Bearer T`, `X-Dataplan-Token: T` or
 * `?token=T`; SDKs, which cannot add headers, carry it as their API key (web) or key or secret (Node).
 */
export function authorized(token: string | undefined, req: IncomingMessage, url: URL, r: Route): boolean {
  if (!token) return true;
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
  if (bearer && bearer[1].trim() === token) return true;
  if (req.headers['x-dataplan-token'] === token || url.searchParams.get('token') === token) return true;
  const basic = basicAuth(req);
  if (basic && (basic.user === token || basic.pass === token)) return true;
  return apiKeyOf(req, r) === token;
}

const SOURCES: Source[] = ['web', 'node', 'ws', 'http', 'replay', 'demo'];
export function sourceParam(url: URL, fallback: Source): Source {
  const s = url.searchParams.get('source') as Source | null;
  return s && SOURCES.includes(s) ? s : fallback;
}

export function flag(url: URL, name: string): boolean | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (['only', 'true', '1', 'yes'].includes(v.toLowerCase())) return true;
  throw new BodyError(400, 'bad_request', `?${name}=${v}: expected ?${name}=only`);
}

export function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^\d+$/.test(v)) throw new BodyError(400, 'bad_request', `?${name}=${v}: expected a non-negative integer`);
  return Number(v);
}
