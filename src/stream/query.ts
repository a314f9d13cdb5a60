/**
 * The query API (`GET /dataplan/…`), in the spirit of Snowplow Micro: stored events and batches with
 * filters and a cursor, counts, rejections, the plan. A bad query is the caller's mistake, answered 400
 * with what is valid; it is not an SDK request the receiver turned away, so it is not counted as one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Receiver } from './receiver.js';
import type { Route } from './routes.js';
import { send, sendArray } from './http.js';

export type Query = Extract<Route, { kind: 'query' }>['what'];

/** Parameters each query takes (`token` is taken everywhere). */
export const QUERY_PARAMS: Record<Query, string[]> = {
  events: ['violations', 'type', 'name', 'batch_id', 'since', 'limit'],
  batches: ['violations', 'since', 'limit'],
  summary: [],
  rejected: ['limit'],
  plan: [],
  reset: [],
};

export class QueryError extends Error {
  readonly status = 400;
}

function params(url: URL, what: Query): URLSearchParams {
  const valid = QUERY_PARAMS[what];
  const seen = new Set<string>();
  for (const k of url.searchParams.keys()) {
    if (k === 'token') continue;
    if (!valid.includes(k)) {
      const list = valid.length ? `valid: ${valid.join(', ')}` : 'it takes none';
      throw new QueryError(`unknown query parameter "${k}" for /dataplan/${what} (${list})`);
    }
    if (seen.has(k)) throw new QueryError(`?${k} given twice`);
    seen.add(k);
  }
  return url.searchParams;
}

function violations(p: URLSearchParams): 'only' | 'none' | undefined {
  const v = p.get('violations');
  if (v === null) return undefined;
  const s = v.toLowerCase();
  if (['only', 'true', '1', 'yes'].includes(s)) return 'only';
  if (['none', 'false', '0', 'no'].includes(s)) return 'none';
  throw new QueryError(`?violations=${v}: expected only (events with violations) or none (judged events without)`);
}

function int(p: URLSearchParams, name: string): number | undefined {
  const v = p.get(name);
  if (v === null) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new QueryError(`?${name}=${v}: expected a non-negative integer`);
  return Number(v);
}

/** Answer one query; throws QueryError for a bad one. */
export async function answerQuery(req: IncomingMessage, res: ServerResponse, what: Query, url: URL, receiver: Receiver): Promise<void> {
  const p = params(url, what);
  const s = receiver.store;
  switch (what) {
    case 'events':
      return sendArray(req, res, s.queryEvents({
        violations: violations(p), type: p.get('type') ?? undefined, name: p.get('name') ?? undefined,
        batchId: int(p, 'batch_id'), since: int(p, 'since'), limit: int(p, 'limit'),
      }));
    case 'batches':
      return sendArray(req, res, s.queryBatches({ violations: violations(p), since: int(p, 'since'), limit: int(p, 'limit') }));
    case 'summary':
      return send(req, res, 200, receiver.summary());
    case 'rejected': {
      const list = s.rejections.toArray();
      const limit = int(p, 'limit');
      return send(req, res, 200, limit !== undefined ? list.slice(Math.max(0, list.length - limit)) : list);
    }
    case 'plan':
      return send(req, res, 200, { ...receiver.plan.info(), problem_list: receiver.plan.current.problems });
    case 'reset': {
      const before = { batches: s.counts.batches, events: s.counts.events };
      receiver.reset();
      return send(req, res, 200, { reset: true, cleared: before });
    }
  }
}
