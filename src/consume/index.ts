export type { InputMessage, Source, Sink, Feed, Connection, Stored } from './transport.js';
export { openNatsWorker, openNatsFeed, type NatsWorkerOptions, type NatsFeedOptions, type NatsWorker } from './nats.js';
export { judgeMessage, type Judge, type Verdict, type VerdictPlan, type Judged } from './verdict.js';
export { LiveJudge } from './judge.js';
export { Worker, fit, type WorkerOptions } from './worker.js';
export { Metrics, serveMetrics } from './metrics.js';
export { watchProgress, progressLine } from './progress.js';
export { publishFiles, type PublishOptions, type PublishTotals } from './publish.js';
