/** Worker thread for parallel validation: compiles the plan once, says so, then validates the chunks it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { validateChunk, type ChunkJob } from './chunk.js';
import { loadPlan } from './plan.js';
import type { WorkerReply, WorkerSetup } from './parallel.js';

const setup = workerData as WorkerSetup;
const plan = loadPlan(setup.planFile);

parentPort!.on('message', (job: ChunkJob) => {
  const r = validateChunk(plan, job);
  // Results as objects are cheaper to hand over as one string than as a graph (structured clone);
  // rendered text is already flat. The bytes go back to be read into again (flat memory).
  const bytes = job.bytes;
  parentPort!.postMessage({ result: r.items ? JSON.stringify(r) : r, bytes } satisfies WorkerReply, bytes ? [bytes.buffer as ArrayBuffer] : []);
});
parentPort!.postMessage('ready');
