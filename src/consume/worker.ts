/**
 * The worker loop: take a message, judge it, store its verdict, and only then acknowledge the
 * message. A worker killed at any point leaves its unacknowledged messages to be redelivered; a
 * message judged twice gets the same verdict id, which the output drops as a duplicate.
 */
import type { BatchResult } from '../validate/index.js';
import type { Metrics } from './metrics.js';
import { OutputGone, type InputMessage, type Sink, type Source } from './transport.js';
import { judgeMessage, type Judge, type Verdict } from './verdict.js';

export interface WorkerOptions {
  source: Source;
  sink: Sink;
  judge: Judge;
  metrics: Metrics;
  /** Messages judged and waiting for their verdict to be stored, at most. */
  concurrency: number;
  /** Largest verdict the output takes, in bytes. */
  maxVerdictBytes: number;
  warn: (message: string) => void;
}

/** Wait this long before a message whose verdict could not be stored is delivered again. */
const RETRY_DELAY_MS = 1000;
/** Say that verdicts cannot be stored at most this often. */
const WARN_EVERY_MS = 10_000;
const encoder = new TextEncoder();

export class Worker {
  private stopping = false;
  private fatal: Error | undefined;
  private warned = { at: -Infinity, since: 0 };

  constructor(private readonly o: WorkerOptions) {}

  /** Stop taking messages; `run` resolves once those already received have their verdicts. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.o.source.stop();
  }

  get stopped(): boolean {
    return this.stopping;
  }

  async run(): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let burst: InputMessage[] = [];
    let space: (() => void) | undefined;
    // Messages that arrived together are judged together, so their verdicts leave in one write.
    const judgeBurst = () => {
      const ms = burst;
      burst = [];
      for (const m of ms) {
        const p: Promise<void> = this.handle(m).finally(() => {
          inFlight.delete(p);
          space?.();
        });
        inFlight.add(p);
      }
    };
    try {
      for await (const m of this.o.source.messages()) {
        if (burst.length === 0) setImmediate(judgeBurst);
        burst.push(m);
        while (inFlight.size + burst.length >= this.o.concurrency) await new Promise<void>((resolve) => (space = resolve));
      }
    } finally {
      if (burst.length > 0) judgeBurst();
      await Promise.all(inFlight);
    }
    if (this.fatal) throw this.fatal;
  }

  private async handle(m: InputMessage): Promise<void> {
    const { metrics } = this.o;
    const started = performance.now();
    metrics.inFlight++;
    if (m.redelivered) metrics.redeliveries++;
    try {
      const judged = await this.judge(m);
      let stored;
      try {
        stored = await this.o.sink.store(m.id, fit(judged.verdict, this.o.maxVerdictBytes));
      } catch (err) {
        metrics.verdictFailures++;
        m.retry(RETRY_DELAY_MS);
        if (err instanceof OutputGone) {
          this.fatal ??= err;
          this.stop();
        } else this.warnFailure(m, err as Error);
        return;
      }
      m.ack();
      metrics.messages++;
      // A duplicate was counted by the worker that stored it first.
      if (stored.duplicate) metrics.duplicateVerdicts++;
      else {
        for (const b of judged.batches) metrics.countBatch(b);
        metrics.inputErrors += judged.inputErrors;
      }
      metrics.observeLatency((performance.now() - started) / 1000);
    } finally {
      metrics.inFlight--;
    }
  }

  private warnFailure(m: InputMessage, err: Error): void {
    const now = performance.now();
    this.warned.since++;
    if (now - this.warned.at < WARN_EVERY_MS) return;
    const more = this.warned.since > 1 ? ` (${this.warned.since - 1} more since the last warning)` : '';
    this.o.warn(`could not store the verdict of ${m.id}: ${err.message}; the message will be redelivered${more}`);
    this.warned = { at: now, since: 0 };
  }

  /** Judging never throws: a message the core cannot handle still gets a verdict saying why. */
  private async judge(m: InputMessage): Promise<{ verdict: Verdict; batches: BatchResult[]; inputErrors: number }> {
    try {
      const j = await judgeMessage(m, this.o.judge);
      return { verdict: j.verdict, batches: j.batches, inputErrors: j.inputErrors.length };
    } catch (err) {
      const message = `could not judge this message: ${(err as Error)?.message ?? String(err)}`;
      return { verdict: { stream: m.stream, seq: m.seq, subject: m.subject, plan: this.o.judge.plan(), results: [], errors: [{ kind: 'input', file: m.id, message }] }, batches: [], inputErrors: 1 };
    }
  }
}

/**
 * The verdict as bytes, within the output's message limit. Violations are what can outgrow the
 * input; when they do, the longest lists are cut and the verdict says how many were left out.
 */
export function fit(verdict: Verdict, max: number): Uint8Array {
  let body = encoder.encode(JSON.stringify(verdict));
  if (body.length <= max) return body;
  const results = verdict.results.map((r) => ({ ...r, violations: [...(r.violations as unknown[])] }));
  const total = results.reduce((n, r) => n + r.violations.length, 0);
  let keep = Math.max(...results.map((r) => r.violations.length));
  while (keep > 0) {
    keep = Math.floor(keep / 2);
    const cut = results.map((r) => ({ ...r, violations: r.violations.slice(0, keep) }));
    const kept = cut.reduce((n, r) => n + r.violations.length, 0);
    const note = { kind: 'verdict', file: `${verdict.stream}:${verdict.seq}`, message: `the verdict was larger than the ${max}-byte message limit: ${total - kept} of ${total} violations left out (at most ${keep} per batch kept); validate this message's batches with \`dataplan validate\` for all of them` };
    body = encoder.encode(JSON.stringify({ ...verdict, results: cut, errors: [...verdict.errors, note], truncated: true }));
    if (body.length <= max) return body;
  }
  // Even without violations it is too big (say, thousands of malformed events): keep only the note.
  const note = { kind: 'verdict', file: `${verdict.stream}:${verdict.seq}`, message: `the verdict was larger than the ${max}-byte message limit (${results.length} batches, ${total} violations): validate this message's batches with \`dataplan validate\`` };
  return encoder.encode(JSON.stringify({ ...verdict, results: [], errors: [note], truncated: true }));
}
