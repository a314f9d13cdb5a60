/** Ingest worker: parses and judges request bodies with the same core as the main thread (see `judge.ts`). */
import { parentPort } from 'node:worker_threads';
import { CompiledPlan, type BatchResult } from '../validate/index.js';
import { BodyError } from './body.js';
import { judgeBody, type JudgeConfig } from './judge.js';
import type { FromWorker, ToWorker, WorkerAnswer, WorkerJob } from './pool.js';

let validate: ((batch: unknown) => BatchResult) | undefined;

function answer(job: WorkerJob, config: JudgeConfig, transfer: ArrayBuffer[]): WorkerAnswer {
  try {
    if (!validate) throw new Error('ingest worker has no plan');
    const judged = judgeBody(validate, Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength), job.from, config, job.bounds);
    // All capture lines in one fresh buffer, handed over rather than copied.
    let total = 0;
    for (const b of judged.batches) total += b.line.byteLength;
    const all = new Uint8Array(total);
    let at = 0;
    for (const b of judged.batches) {
      all.set(b.line, at);
      b.line = all.subarray(at, at + b.line.byteLength);
      at += b.line.byteLength;
    }
    transfer.push(all.buffer);
    return { id: job.id, judged };
  } catch (err) {
    return err instanceof BodyError ? { id: job.id, refused: { status: err.status, reason: err.reason, message: err.message } } : { id: job.id, failed: (err as Error).message ?? String(err) };
  }
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'plan') {
    const plan = new CompiledPlan(m.source);
    validate = (batch) => plan.validateBatch(batch, m.options);
    return;
  }
  const transfer: ArrayBuffer[] = [];
  const answers: FromWorker = m.jobs.map((job) => answer(job, m.config, transfer));
  parentPort!.postMessage(answers, transfer);
});
