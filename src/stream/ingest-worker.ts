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
    // Capture lines that carry the batch's own bytes point into the body: it goes back, handed over, not copied.
    if (judged.batches.some((b) => b.line.raw)) transfer.push(job.body.buffer as ArrayBuffer);
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
