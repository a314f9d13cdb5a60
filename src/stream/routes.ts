/**
 * Which endpoint a request path is. SDK paths may carry any prefix (the web SDK's `domain` mode adds
 * `/identity`, `/webevents`, `/tags`; a proxy may add more), so they are matched by their tail.
 */
import { MOBILE_ENDPOINTS, MOBILE_ROUTES, type MobileCall } from './mobile/routes.js';

export type Route =
  | { kind: 'web-batch'; apiKey: string }
  | { kind: 'node-batch' }
  | { kind: 'node-bulk' }
  | { kind: 'ingest' }
  | { kind: 'identity'; call: 'identify' | 'login' | 'logout' }
  | { kind: 'modify'; mpid: string }
  | { kind: 'alias'; apiKey: string }
  | { kind: 'forwarding'; apiKey: string }
  | { kind: 'config'; apiKey: string }
  | { kind: 'mobile'; call: MobileCall; apiKey: string }
  | { kind: 'query'; what: 'events' | 'batches' | 'summary' | 'rejected' | 'plan' | 'reset' }
  | { kind: 'ws-feed' }
  | { kind: 'root' }
  | { kind: 'unknown' };

const seg = '([^/]+)';
const TABLE: Array<[RegExp, (m: RegExpExecArray) => Route]> = [
  [/^\/dataplan\/(events|batches|summary|rejected|plan|reset)\/?$/, (m) => ({ kind: 'query', what: m[1] as 'events' })],
  [/^\/dataplan\/ingest\/?$/, () => ({ kind: 'ingest' })],
  [/^\/dataplan\/feed\/?$/, () => ({ kind: 'ws-feed' })],
  ...MOBILE_ROUTES,
  [new RegExp(`/v3/JS/${seg}/events/?$`, 'i'), (m) => ({ kind: 'web-batch', apiKey: decode(m[1]) })],
  [/(?:^|\/)(?:v2\/)?events\/?$/, () => ({ kind: 'node-batch' })],
  [/(?:^|\/)(?:v2\/)?bulkevents(?:\/historical)?\/?$/, () => ({ kind: 'node-bulk' })],
  [/\/v1\/(identify|login|logout)\/?$/, (m) => ({ kind: 'identity', call: m[1] as 'identify' })],
  [new RegExp(`/v1/identity/${seg}/alias/?$`, 'i'), (m) => ({ kind: 'alias', apiKey: decode(m[1]) })],
  [new RegExp(`/v1/${seg}/modify/?$`), (m) => ({ kind: 'modify', mpid: decode(m[1]) })],
  [new RegExp(`/v[12]/JS/${seg}/forwarding/?$`, 'i'), (m) => ({ kind: 'forwarding', apiKey: decode(m[1]) })],
  [new RegExp(`/JS/v2/${seg}/config/?$`, 'i'), (m) => ({ kind: 'config', apiKey: decode(m[1]) })],
  [/^\/?$/, () => ({ kind: 'root' })],
];

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function route(path: string): Route {
  for (const [re, make] of TABLE) {
    const m = re.exec(path);
    if (m) return make(m);
  }
  return { kind: 'unknown' };
}

/** The endpoints, for the root page and 404 messages. */
export const ENDPOINTS = {
  node: ['POST /v2/events', 'POST /v2/bulkevents'],
  web: ['POST /v1/identify', 'POST /v1/login', 'POST /v1/logout', 'POST /v1/{mpid}/modify', 'POST /v3/JS/{key}/events', '(and the same under /identity, /webevents, /tags)'],
  mobile: MOBILE_ENDPOINTS,
  ingest: ['POST /dataplan/ingest', 'WS /dataplan/ingest'],
  feed: ['WS /dataplan/feed'],
  query: ['GET /dataplan/events?violations=only&type=&name=', 'GET /dataplan/batches', 'GET /dataplan/summary', 'GET /dataplan/rejected', 'GET /dataplan/plan', 'POST /dataplan/reset'],
};
