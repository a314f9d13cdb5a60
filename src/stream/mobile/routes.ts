/**
 * The mobile SDKs' own paths (the identity and alias calls share the web SDK's routes). Matched by their
 * tail, so iOS's `customBaseURL` prefixes (`/config`, `/nativeevents`) and proxies are accepted too.
 */
import type { Route } from '../routes.js';

export type MobileCall = 'config' | 'events' | 'audience';

const seg = '([^/]+)';

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Entries for the receiver's route table; they go before the Node SDK's `/v2/events`. */
export const MOBILE_ROUTES: Array<[RegExp, (m: RegExpExecArray) => Route]> = [
  [new RegExp(`/v4/${seg}/config/?$`), (m) => ({ kind: 'mobile', call: 'config', apiKey: decode(m[1]) })],
  [new RegExp(`/v2/${seg}/events/?$`), (m) => ({ kind: 'mobile', call: 'events', apiKey: decode(m[1]) })],
  [new RegExp(`/v1/${seg}/audience/?$`), (m) => ({ kind: 'mobile', call: 'audience', apiKey: decode(m[1]) })],
];

/** For the root page and 404 hints. */
export const MOBILE_ENDPOINTS = [
  'GET /v4/{key}/config', 'POST /v2/{key}/events', 'POST /v1/identify|login|logout', 'POST /v1/{mpid}/modify', 'POST /v1/identity/{key}/alias',
  'GET /v1/{key}/audience', '(and the same under /config, /nativeevents, /identity for iOS customBaseURL)',
];
