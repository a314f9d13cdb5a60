/** Small HTTP helpers for the receiver: JSON answers (whole or streamed), credentials, the token kept out of what is shown. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Route } from './routes.js';
import type { Source } from './types.js';

/** Answer with JSON (CORS headers are set earlier, per route). */
export function send(req: IncomingMessage, res: ServerResponse, status: number, body?: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  if (body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  sendJson(res, status, JSON.stringify(body));
}

/** Answer with JSON text already made. */
export function sendJson(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/**
 * Answer with a JSON array written in pieces, waiting for the client to take each: a large answer
 * never sits whole in memory nor holds up other requests.
 */
export async function sendArray(req: IncomingMessage, res: ServerResponse, items: readonly unknown[]): Promise<void> {
  if (res.headersSent) return;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
  if (req.method === 'HEAD') return void res.end();
  let text = '[';
  for (let i = 0; i < items.length; i++) {
    text += (i ? ',' : '') + JSON.stringify(items[i]);
    if (text.length >= 64 * 1024) {
      const more = res.write(text);
      text = '';
      if (!more) await drained(res);
      if (res.destroyed) return;
    }
  }
  res.end(text + ']');
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

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What the receiver shows of a path or key: the token, where an SDK carries it as its key, becomes `{token}`. */
export function tokenHider(token: string | undefined): { path(p: string): string; key(k: string | undefined): string | undefined } {
  if (!token) return { path: (p) => p, key: (k) => k };
  return {
    path: (p) => p.split('/').map((s) => (decode(s) === token ? '{token}' : s)).join('/'),
    key: (k) => (k === token ? undefined : k),
  };
}

const SOURCES: Source[] = ['web', 'node', 'ws', 'http', 'replay', 'demo'];
export function sourceParam(url: URL, fallback: Source): Source {
  const s = url.searchParams.get('source') as Source | null;
  return s && SOURCES.includes(s) ? s : fallback;
}
