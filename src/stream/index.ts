/** Live Stream: a local receiver the real SDKs talk to, judging every batch with the core as it arrives. */
import { availableParallelism } from 'node:os';
import { CaptureWriter } from './capture.js';
import type { Limits } from './limits.js';
import { LivePlan, type LivePlanOptions } from './live-plan.js';
import { Receiver } from './receiver.js';
import { listen, type StreamServer } from './server.js';
import { DEFAULT_HTTPS_PORT, loadCert, type TlsMaterial } from './tls/index.js';

export { CaptureWriter, CaptureError, readCapture, isCaptureRecord, nodeCaptureFs, CAPTURE_VERSION, type CaptureRecord, type CaptureItem, type CaptureFs, type CaptureHandle } from './capture.js';
export { LivePlan, type LivePlanOptions } from './live-plan.js';
export { Receiver, DEFAULT_BUFFER, DEFAULT_BUFFER_BYTES, type Listener } from './receiver.js';
export { listen, createFront, mount, DEFAULT_HOST, DEFAULT_PORT, type Front, type ServerOptions, type StreamServer } from './server.js';
export { DEFAULT_LIMITS, resolveLimits, type Limits } from './limits.js';
export { Access, type AccessOptions } from './access.js';
export { serverOptions, ConnectionGuard } from './connections.js';
export { Ring, Store, countBatch, countRejection, emptyCounts, type EventQuery, type BatchQuery } from './store.js';
export { QUERY_PARAMS } from './query.js';
export { DEFAULT_MAX_BODY, parseSize, formatSize } from './body.js';
export { eventName } from './records.js';
export { connectFeed, sendBatches, socketUrl, type FeedClient, type FeedOptions } from './client.js';
export { runTraffic, demoScript, type TrafficOptions, type TrafficResult } from './traffic.js';
export { loadCert, certDir, configHome, CertError, DEFAULT_HTTPS_PORT, type TlsMaterial } from './tls/index.js';
export { translateUpload, isMobileUpload, parseLossless, type Translation } from './mobile/index.js';
export type * from './types.js';

export interface StreamOptions extends LivePlanOptions, Partial<Limits> {
  planFile: string;
  host?: string;
  port?: number;
  token?: string;
  /** Recent events (and batches) kept in memory. */
  buffer?: number;
  /** Bytes of recent events and batches kept in memory. */
  bufferBytes?: number;
  /** More names `Host` may carry (`--allowed-host`). */
  allowedHosts?: string[];
  /** Origins granted the query, control and feed routes (`--allow-origin`). */
  allowOrigins?: string[];
  /** Append every accepted batch to this NDJSON file. */
  capture?: string;
  /** Reload the plan when its file changes (default true). */
  watch?: boolean;
  /**
   * Also serve HTTPS (the mobile SDKs speak nothing else): on `port` (default 8443, 0 a free one), with
   * the user's `certFile`/`keyFile` or a certificate generated once and kept in `dir` (default: the user's config directory).
   */
  https?: { port?: number; certFile?: string; keyFile?: string; dir?: string };
  /** Ingest worker threads (default: `defaultWorkers()`, none on 2 cores or fewer; 0: none). */
  workers?: number;
  /** Requests in progress the main thread judges alone before workers take more (see `Receiver`). */
  offloadAt?: number;
}

/**
 * Ingest workers beside the main thread: one per further core, none on two cores or fewer. On two
 * cores (measured with bench/stream.mjs) workers cost more CPU in all than they take off the main
 * thread, and the SDKs or clients sending the traffic need the other core.
 */
export function defaultWorkers(cores = availableParallelism()): number {
  return cores <= 2 ? 0 : cores - 1;
}

export interface RunningStream {
  readonly url: string;
  /** `https://…` when HTTPS is on, with the certificate it serves. */
  readonly httpsUrl?: string;
  readonly tls?: TlsMaterial;
  readonly server: StreamServer;
  readonly receiver: Receiver;
  readonly plan: LivePlan;
  close(): Promise<void>;
}

/** Load the plan, open the capture, listen, watch the plan. Throws if the plan or the port is unusable. */
export async function startStream(o: StreamOptions): Promise<RunningStream> {
  const plan = new LivePlan(o.planFile, { version: o.version, force: o.force, strictTypes: o.strictTypes });
  const tls = o.https ? await loadCert({ certFile: o.https.certFile, keyFile: o.https.keyFile, dir: o.https.dir }) : undefined;
  const capture = o.capture ? await CaptureWriter.open(o.capture) : undefined;
  const receiver = new Receiver({
    plan, capture, buffer: o.buffer, bufferBytes: o.bufferBytes,
    platformBatchBytes: o.platformBatchBytes, platformRequestBytes: o.platformRequestBytes, ackDetailBytes: o.ackDetailBytes,
    workers: o.workers ?? defaultWorkers(), offloadAt: o.offloadAt,
  });
  let server: StreamServer;
  try {
    server = await listen({ ...o, receiver, https: tls ? { port: o.https?.port ?? DEFAULT_HTTPS_PORT, tls } : undefined });
  } catch (err) {
    await receiver.close();
    await capture?.close();
    throw err;
  }
  if (o.watch !== false) await plan.watch(() => receiver.planChanged());
  return {
    url: server.url,
    ...(server.https ? { httpsUrl: server.https.url, tls: server.https.tls } : {}),
    server,
    receiver,
    plan,
    async close() {
      await plan.close();
      await server.close();
      await receiver.close();
      await capture?.close();
    },
  };
}
