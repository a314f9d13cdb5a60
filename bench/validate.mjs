// Validation throughput, in one run: dataplan (one thread, and all cores), the official
// @mparticle/data-planning-node validator, and a bare JSON.parse pass over the same NDJSON file.
// Each phase runs in its own process so its peak RSS is its own.   Usage: node bench/validate.mjs [batches]
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ensureWorkload, makePlan, WORK } from './workload.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BATCHES = Number(process.env.BENCH_BATCHES ?? (process.argv[2] && process.argv[2] !== '--phase' ? process.argv[2] : 20000));
const OFFICIAL_BATCHES = 200; // it recompiles schemas per event: a subset is enough for a rate

async function* lines(file) {
  let pending = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = pending + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      yield text.slice(start, nl);
      start = nl + 1;
    }
    pending = text.slice(start);
  }
  if (pending) yield pending;
}

const phases = {
  async parse({ dataFile }) {
    let events = 0;
    for await (const line of lines(dataFile)) events += JSON.parse(line).events.length;
    return { events };
  },
  async dataplan({ planFile, dataFile }) {
    const { loadPlan } = await import('../dist/index.js');
    const plan = loadPlan(planFile);
    started = performance.now();
    let events = 0;
    let violations = 0;
    for await (const line of lines(dataFile)) {
      const r = plan.validateBatch(JSON.parse(line));
      events += r.event_count;
      violations += r.violations.length;
    }
    return { events, violations };
  },
  async parallel({ planFile, dataFile }) {
    const { loadPlan, runValidation } = await import('../dist/index.js');
    const plan = loadPlan(planFile);
    started = performance.now();
    let events = 0;
    let violations = 0;
    const reporter = { start() {}, inputError() {}, end() {}, result(e) { events += e.result.event_count; violations += e.result.violations.length; } };
    await runValidation({ plan, sources: [dataFile], reporter, jobs: availableParallelism() });
    return { events, violations, threads: availableParallelism() };
  },
  async official({ planFile, dataFile }) {
    const { DataPlanService } = await import('@mparticle/data-planning-node');
    const service = new DataPlanService();
    const version = JSON.parse(readFileSync(planFile, 'utf8'));
    started = performance.now();
    let events = 0;
    let results = 0;
    let n = 0;
    const warn = console.warn;
    console.warn = () => {};
    for await (const line of lines(dataFile)) {
      if (n++ >= OFFICIAL_BATCHES) break;
      const batch = JSON.parse(line);
      const out = await service.validateBatch(batch, version);
      events += batch.events.length;
      results += out.results.length;
    }
    console.warn = warn;
    return { events, results };
  },
  async load1000() {
    const { compilePlan } = await import('../dist/index.js');
    const json = makePlan(900, 88); // 900 + 88 + 8 commerce + 2 user points = 998 … plus two below
    json.version_document.data_points.push(...makePlan(1, 1).version_document.data_points.slice(0, 2).map((p, i) => ({ ...p, match: { ...p.match, criteria: { ...p.match.criteria, event_name: `Extra ${i}`, screen_name: `Extra ${i}` } } })));
    const file = join(WORK, 'plan-1000.json');
    writeFileSync(file, JSON.stringify(json));
    const text = readFileSync(file, 'utf8');
    const t0 = performance.now();
    const plan = compilePlan(JSON.parse(text), file);
    const ms = performance.now() - t0;
    return { points: plan.getVersion().points.length, ms, problems: plan.problems.length };
  },
};

// Phases start the clock after their one-time setup (imports, plan load); plan load is timed on its own.
let started;
const [, , flag, phase] = process.argv;
if (flag === '--phase') {
  const files = ensureWorkload(BATCHES);
  started = performance.now();
  const out = await phases[phase](files);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify({ ...out, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
  process.exit(0);
}

const files = ensureWorkload(BATCHES);
const run = (name) => JSON.parse(execFileSync(process.execPath, [import.meta.filename, '--phase', name], { encoding: 'utf8', env: { ...process.env, BENCH_BATCHES: String(BATCHES) }, maxBuffer: 1 << 20 }).trim().split('\n').pop());
process.stdout.write(`workload: ${BATCHES} batches × 10 events (${(readFileSync(files.dataFile).length / 1e6).toFixed(1)} MB NDJSON), plan of ${JSON.parse(readFileSync(files.planFile, 'utf8')).version_document.data_points.length} data points\n\n`);
const load = run('load1000');
process.stdout.write(`plan load: ${load.points} data points parsed, checked and compiled in ${load.ms.toFixed(0)} ms (target < 500 ms)\n\n`);
const rows = {};
for (const name of ['parse', 'dataplan', 'parallel', 'official']) {
  const r = run(name);
  r.rate = r.events / r.seconds;
  rows[name] = r;
  process.stdout.write(`${name.padEnd(9)} ${String(r.events).padStart(7)} events in ${r.seconds.toFixed(2).padStart(6)} s = ${Math.round(r.rate).toLocaleString('en-US').padStart(9)} events/s   peak RSS ${r.maxRssMB.toFixed(0)} MB` +
    `${r.violations !== undefined ? `   (${r.violations} violations)` : ''}${r.threads ? `   (${r.threads} threads)` : ''}${r.results !== undefined ? `   (${r.results} result objects)` : ''}\n`);
}
const x = (a, b) => (rows[a].rate / rows[b].rate).toFixed(a === 'official' || b === 'official' ? 0 : 2);
process.stdout.write(`\ndataplan / official validator: ${x('dataplan', 'official')}× (target ≥ 250×)\n`);
process.stdout.write(`dataplan / bare JSON.parse pass: ${x('dataplan', 'parse')} (target ≥ 0.5)\n`);
process.stdout.write(`dataplan on ${rows.parallel.threads} threads / bare JSON.parse pass: ${x('parallel', 'parse')} (target > 1)\n`);
