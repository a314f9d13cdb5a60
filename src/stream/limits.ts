/**
 * Every bound the receiver enforces, with its default, in one place. The CLI exposes the ones a user
 * tunes; tests shrink the rest so they run fast.
 */

export interface Limits {
  /** Largest request body or WebSocket message, after decompression. */
  maxBody: number;
  /** Batches in one request (the platform's documented bulk limit). */
  maxBatches: number;
  /** Events in one request, all batches together: what one request may make the receiver judge. */
  maxEvents: number;
  /** The platform rejects batches over this size; we accept them with a notice. */
  platformBatchBytes: number;
  /** The platform rejects requests over this size; we accept them with a notice. */
  platformRequestBytes: number;
  /** Request bodies being read at once, all requests together; beyond it new bodies get 503. */
  maxInflight: number;
  /** ms a connection may stay silent before it has sent a whole request head (and between requests). */
  idleTimeout: number;
  /** ms a request body may stall (no bytes) before it is cut with 408. */
  bodyTimeout: number;
  /** ms a whole request may take, however it trickles. */
  requestTimeout: number;
  /** Open connections; beyond it new ones are answered 503. */
  maxConnections: number;
  /** `WS /dataplan/feed` viewers; beyond it new ones are answered 503. */
  maxViewers: number;
  /** Bytes a viewer may fall behind before it misses messages (and is told how many). */
  feedLimit: number;
  /** Bytes all viewers together may fall behind; beyond it the slowest viewers are dropped first. */
  feedBudget: number;
  /** Bytes of violation and error detail one acknowledgement lists; the rest is counted, not listed. */
  ackDetailBytes: number;
}

const KB = 1024;
const MB = 1024 * KB;

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxBody: 4 * MB,
  maxBatches: 100,
  maxEvents: 10_000,
  platformBatchBytes: 128 * KB,
  platformRequestBytes: 256 * KB,
  maxInflight: 64 * MB,
  idleTimeout: 10_000,
  bodyTimeout: 30_000,
  requestTimeout: 120_000,
  maxConnections: 1000,
  maxViewers: 32,
  feedLimit: 8 * MB,
  feedBudget: 32 * MB,
  ackDetailBytes: 256 * KB,
};

/** Defaults filled in; the in-flight budget always holds a few bodies of the largest size. */
export function resolveLimits(given: Partial<Limits> = {}): Limits {
  const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Limits>;
  const l = { ...DEFAULT_LIMITS, ...set };
  if (set.maxInflight === undefined) l.maxInflight = Math.max(l.maxInflight, 4 * l.maxBody);
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${k} must be a positive number, got ${v}`);
  }
  return l;
}
