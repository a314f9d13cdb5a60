/** A worker's counters, and the Prometheus text format they are scraped in. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BatchResult } from '../validate/index.js';
import { VIOLATION_CODES, type ViolationCode } from '../validate/violation.js';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  messages = 0;
  batches = 0;
  events = 0;
  violations = 0;
  readonly byCode = Object.fromEntries(VIOLATION_CODES.map((c) => [c, 0])) as Record<ViolationCode, number>;
  /** Malformed events, batches and messages. */
  inputErrors = 0;
  redeliveries = 0;
  duplicateVerdicts = 0;
  verdictFailures = 0;
  planReloads = 0;
  planReloadFailures = 0;
  inFlight = 0;
  lag: number | undefined;
  private readonly buckets = BUCKETS.map(() => 0);
  private latencyCount = 0;
  private latencySum = 0;

  countBatch(r: BatchResult): void {
    this.batches++;
    this.events += r.event_count;
    this.violations += r.violations.length;
    for (const v of r.violations) this.byCode[v.violation]++;
    this.inputErrors += r.errors.length;
  }

  observeLatency(seconds: number): void {
    this.latencyCount++;
    this.latencySum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.buckets[i]++;
  }

  render(): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    const one = (name: string, type: string, help: string, value: number) => metric(name, type, help, [`${name} ${value}`]);
    one('dataplan_consume_messages_total', 'counter', 'Input messages whose verdict is stored and which are acknowledged.', this.messages);
    one('dataplan_consume_batches_total', 'counter', 'Batches judged.', this.batches);
    one('dataplan_consume_events_total', 'counter', 'Events in the batches judged.', this.events);
    metric('dataplan_consume_violations_total', 'counter', 'Violations found, by code.', VIOLATION_CODES.map((c) => `dataplan_consume_violations_total{code="${c}"} ${this.byCode[c]}`));
    one('dataplan_consume_input_errors_total', 'counter', 'Unreadable messages, batches and events.', this.inputErrors);
    one('dataplan_consume_redeliveries_total', 'counter', 'Input messages received that had been delivered before.', this.redeliveries);
    one('dataplan_consume_duplicate_verdicts_total', 'counter', 'Verdicts JetStream dropped as duplicates (a redelivered message judged again).', this.duplicateVerdicts);
    one('dataplan_consume_verdict_failures_total', 'counter', 'Verdicts that could not be stored; their input is redelivered.', this.verdictFailures);
    one('dataplan_consume_plan_reloads_total', 'counter', 'Plan reloads after the plan file changed.', this.planReloads);
    one('dataplan_consume_plan_reload_failures_total', 'counter', 'Plan changes refused (the last good plan stays).', this.planReloadFailures);
    one('dataplan_consume_in_flight', 'gauge', 'Messages received and not yet acknowledged.', this.inFlight);
    if (this.lag !== undefined) one('dataplan_consume_consumer_lag', 'gauge', 'Messages in the stream the consumer has not delivered yet.', this.lag);
    const name = 'dataplan_consume_processing_seconds';
    metric(name, 'histogram', 'From receiving a message to its verdict being stored.', [
      ...BUCKETS.map((b, i) => `${name}_bucket{le="${b}"} ${this.buckets[i]}`),
      `${name}_bucket{le="+Inf"} ${this.latencyCount}`,
      `${name}_sum ${this.latencySum}`,
      `${name}_count ${this.latencyCount}`,
    ]);
    return out.join('\n') + '\n';
  }
}

/** Serve `GET /metrics`; port 0 picks a free one. */
export async function serveMetrics(metrics: Metrics, port: number, host: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape /metrics\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${shown}:${a.port}/metrics`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
