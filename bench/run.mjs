// Every figure of issue 11, as whole processes timed in one run, each as a ratio to its baseline.
//   npm run bench                 (npm run build first; --runs N: repeats, median taken; --big: peak RSS at 0.5 GB and 2 GB)
// Validation: issue 11's workload (bench/workload.mjs: 20k batches, 200k events, ~60 MB NDJSON,
// 200-point plan, ~47k violations). Baseline: a node process that only reads the file and
// JSON.parses every line. The official @mparticle/data-planning-node validator runs on two subsets
// (it is slow; --official N: N and 3N batches) and its whole-file time is projected from them. Peak RSS comes from /usr/bin/time when present.
// Start-up, lint and stream figures come from bench/startup.mjs, bench/lint.mjs and bench/stream.mjs
// (`--json`), when those scripts exist and have that mode.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureIssueWorkload, WORK } from './workload.mjs';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'dataplan.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};

// Phases run in child processes of this script: the parse-only baseline and the official validator.
if (args[0] === '--phase') {
  const [, phase, dataFile, planFile, limit] = args;
  if (phase === 'parse') {
    let pending = '';
    let events = 0;
    for await (const chunk of createReadStream(dataFile, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const text = pending + chunk;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        events += JSON.parse(text.slice(start, nl)).events.length;
        start = nl + 1;
      }
      pending = text.slice(start);
    }
    process.stdout.write(`${events}\n`);
  } else if (phase === 'official') {
    const { DataPlanService } = await import('@mparticle/data-planning-node');
    const service = new DataPlanService();
    const version = JSON.parse(readFileSync(planFile, 'utf8'));
    const lines = readFileSync(dataFile, 'utf8').split('\n').slice(0, Number(limit));
    console.warn = () => {};
    let events = 0;
    for (const line of lines) {
      const batch = JSON.parse(line);
      await service.validateBatch(batch, version);
      events += batch.events.length;
    }
    process.stdout.write(`${events}\n`);
  }
  process.exit(0);
}

const RUNS = opt('runs', 3);
const OFFICIAL_BATCHES = opt('official', 100);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Run a whole process: wall seconds, CPU seconds and peak RSS in MB (when /usr/bin/time is there), stdout to `out`. */
function timed(argv, out = '/dev/null') {
  const fd = openSync(out, 'w');
  const cmd = TIME ? [TIME, '-f', '%M %U %S', process.execPath, ...argv] : [process.execPath, ...argv];
  const t = performance.now();
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t) / 1000;
  closeSync(fd);
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const [kb, user, sys] = TIME ? r.stderr.trim().split('\n').pop().split(' ').map(Number) : [NaN, NaN, NaN];
  return { seconds, rss: kb / 1024, cpu: user + sys };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const row = (figure, value, baseline, ratio, target, note = '') => rows.push({ figure, value, baseline, ratio, target, note });
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');

const { planFile, dataFile } = ensureIssueWorkload(20000);
const out = join(WORK, 'report.json');
const mb = statSync(dataFile).size / 1e6;
process.stdout.write(`workload: 20000 batches, 200000 events, ${mb.toFixed(1)} MB NDJSON, ${JSON.parse(readFileSync(planFile, 'utf8')).version_document.data_points.length}-point plan; ${RUNS} runs each, median; whole processes\n`);

// Interleaved, so each figure and its baseline see the same machine load.
const series = { parse: [], def: [], one: [] };
for (let i = 0; i < RUNS; i++) {
  series.parse.push(timed([import.meta.filename, '--phase', 'parse', dataFile]));
  series.def.push(timed([BIN, 'validate', dataFile, '--plan', planFile, '--format', 'json'], out));
  series.one.push(timed([BIN, 'validate', dataFile, '--plan', planFile, '--format', 'json', '--jobs', '1'], out));
}
const pick = (s) => ({ seconds: median(s.map((r) => r.seconds)), cpu: median(s.map((r) => r.cpu)), rss: Math.max(...s.map((r) => r.rss)) });
const parse = pick(series.parse);
const def = pick(series.def);
const one = pick(series.one);
const report = JSON.parse(readFileSync(out, 'utf8'));
process.stdout.write(`report: ${report.summary.violation_count} violations, ${report.summary.events} events\n`);
row('parse-only baseline (node, JSON.parse per line)', `${fmt(parse.seconds)} s, ${fmt(parse.rss, 0)} MB`, '', '', '', `CPU ${fmt(parse.cpu)} s`);
row('validate --format json, default threads', `${fmt(def.seconds)} s`, `${fmt(parse.seconds)} s`, `${fmt(parse.seconds / def.seconds)}×`, '≥ 1.0×', `CPU ${fmt(def.cpu)} s (all threads)`);
row('validate --format json --jobs 1', `${fmt(one.seconds)} s`, `${fmt(parse.seconds)} s`, `${fmt(parse.seconds / one.seconds)}×`, '≥ 0.6×', `CPU ${fmt(one.cpu)} s: CPU ratio ${fmt(parse.cpu / one.cpu)}× (less load-sensitive)`);
row('peak RSS, default / --jobs 1 (60 MB file)', `${fmt(def.rss, 0)} / ${fmt(one.rss, 0)} MB`, '', '', '≤ 250 MB', TIME ? '' : 'no /usr/bin/time: not measured');

// The official validator takes minutes on the whole file, so it runs on the first N and 3N batches
// as whole processes; the difference is its cost a batch once warm, and the whole file's time is
// projected from it (start-up counts once, as for a user who runs it on the file).
const small = timed([import.meta.filename, '--phase', 'official', dataFile, planFile, String(OFFICIAL_BATCHES)]);
const large = timed([import.meta.filename, '--phase', 'official', dataFile, planFile, String(3 * OFFICIAL_BATCHES)]);
const perBatch = (large.seconds - small.seconds) / (2 * OFFICIAL_BATCHES);
const projected = large.seconds + perBatch * (20000 - 3 * OFFICIAL_BATCHES);
const officialRate = 200000 / projected;
const ourRate = 200000 / def.seconds;
row(
  `official validator, ${OFFICIAL_BATCHES} and ${3 * OFFICIAL_BATCHES} batches`, `${fmt(small.seconds)} s and ${fmt(large.seconds)} s`, '', '', '',
  `${fmt(perBatch * 1000, 1)} ms a batch when warm; the whole file projected at ${fmt(projected, 0)} s (${Math.round(officialRate)} events/s); ${fmt(large.rss, 0)} MB`,
);
row('dataplan default vs official on the whole file', `${fmt(def.seconds)} s (${Math.round(ourRate)} events/s)`, `${fmt(projected, 0)} s (${Math.round(officialRate)} events/s)`, `${fmt(ourRate / officialRate, 0)}×`, '≥ 400×', `subset only (${OFFICIAL_BATCHES} batches, start-up included): ${fmt(ourRate / ((OFFICIAL_BATCHES * 10) / small.seconds), 0)}×`);

if (args.includes('--big')) {
  // Constant memory: the workload's lines repeated to ~0.5 GB and ~2 GB. Peak RSS must level off
  // (the same at both sizes), whatever it is on the 60 MB file where threads are still warming up.
  mkdirSync(WORK, { recursive: true });
  const data = readFileSync(dataFile);
  const peaks = [];
  for (const target of [5e8, 2e9]) {
    const big = join(WORK, `issue-big-${target / 1e9}.ndjson`);
    if (!existsSync(big) || statSync(big).size < target) {
      const fd = openSync(big, 'w');
      for (let n = 0; n * data.length < target; n++) writeSync(fd, data);
      closeSync(fd);
    }
    const gb = statSync(big).size / 1e9;
    const d = timed([BIN, 'validate', big, '--plan', planFile, '--format', 'json']);
    const s = timed([BIN, 'validate', big, '--plan', planFile, '--format', 'json', '--jobs', '1']);
    peaks.push({ gb, d, s });
    if (!args.includes('--keep')) rmSync(big, { force: true });
  }
  const [half, two] = peaks;
  row(
    `peak RSS on ${fmt(half.gb, 1)} GB → ${fmt(two.gb, 1)} GB, default / --jobs 1`,
    `${fmt(two.d.rss, 0)} / ${fmt(two.s.rss, 0)} MB`, `${fmt(half.d.rss, 0)} / ${fmt(half.s.rss, 0)} MB`,
    `${fmt(two.d.rss / half.d.rss)}× / ${fmt(two.s.rss / half.s.rss)}×`, 'constant (≈ 1.0×)',
    `60 MB file: ${fmt(def.rss, 0)} / ${fmt(one.rss, 0)} MB; 2 GB in ${fmt(two.d.seconds, 1)} s / ${fmt(two.s.seconds, 1)} s`,
  );
}

// The other helpers' figures: each script prints one JSON object or array of rows (figure, value, baseline, ratio, target).
for (const [script, extra] of [['startup.mjs', []], ['lint-overhead.mjs', []], ['stream.mjs', []]]) {
  const file = join(import.meta.dirname, script);
  if (!existsSync(file) || !readFileSync(file, 'utf8').includes('--json')) {
    row(`bench/${script}`, '', '', '', '', existsSync(file) ? 'skipped: no --json mode yet' : 'skipped: not there yet');
    continue;
  }
  // The stream figure comes from one long run each time and swings by ±15 % on this shared machine: it is
  // run RUNS times and the median reported, as for the validate figures.
  const times = script === 'stream.mjs' ? RUNS : 1;
  const runs = [];
  let status;
  for (let i = 0; i < times; i++) {
    const r = spawnSync(process.execPath, [file, '--json', ...extra], { encoding: 'utf8', maxBuffer: 64 << 20 });
    status = r.status;
    // One JSON document on stdout, pretty-printed or on its last line.
    for (const text of [r.stdout, r.stdout.trim().split('\n').pop() ?? '']) {
      try {
        runs.push(JSON.parse(text));
        break;
      } catch {
        // try the next reading
      }
    }
  }
  if (runs.length === 0) {
    row(`bench/${script}`, '', '', '', '', `skipped: no JSON on stdout (exit ${status})`);
    continue;
  }
  let parsed = runs[0];
  if (parsed && parsed.bench === 'startup') {
    const base = parsed.cases[0];
    const targets = { 'dataplan --version': '≤ 2.0×', 'dataplan validate (1 small batch)': '≤ 3.0×' };
    for (const c of parsed.cases.slice(1)) {
      row(c.name, `${c.median_ms} ms`, `${base.median_ms} ms (${base.name})`, `${c.ratio}×`, targets[c.name] ?? '', `whole process, median of ${parsed.runs}`);
    }
    continue;
  }
  if (parsed && parsed.small_js) {
    const b = parsed.big;
    if (b) row(`ESLint, ${b.files} files, @eslint/js + configs.recommended`, `${Math.round(b.plugin_ms)} ms`, `${Math.round(b.none_ms)} ms (no plugin)`, `${b.ratio.toFixed(3)}×`, '≤ 1.10×', `${b.per_file_ms.toFixed(2)} ms a file; median of ${b.runs}`);
    for (const [name, x] of [['ESLint, 3-file JS project', parsed.small_js], ['ESLint, 3-file TS project', parsed.small_ts]]) {
      row(name, `${Math.round(x.plugin_ms)} ms`, `${Math.round(x.none_ms)} ms (no plugin)`, `${x.added_ms >= 0 ? '+' : ''}${Math.round(x.added_ms)} ms`, '≤ +30 ms', `median of ${x.runs}; compile cache warm (first run after an install: ${x.cold_added_ms >= 0 ? '+' : ''}${Math.round(x.cold_added_ms)} ms)`);
    }
    continue;
  }
  if (parsed && parsed.bench === 'stream') {
    // bench/stream.mjs prints one object of its own shape; the median run by rate is shown, and what any run lost.
    const rates = runs.map((x) => x.events_per_s).sort((a, b) => a - b);
    parsed = runs.find((x) => x.events_per_s === rates[Math.floor(rates.length / 2)]);
    const lost = Math.max(...runs.map((x) => x.accepted - Math.min(x.stored, x.captured ?? x.stored)));
    row('Live Stream ingest, validation + capture, WS + HTTP clients', `${Math.round(parsed.events_per_s)} events/s`, '', '', '≥ 50k events/s, nothing lost',
      `median of ${runs.length} (${rates.map((x) => Math.round(x / 100) / 10).join(', ')}k); accepted ${parsed.accepted}, stored ${parsed.stored}, captured ${parsed.captured ?? '-'}, lost ${lost} at most; receiver peak RSS ${Math.round((parsed.receiver?.peak_rss ?? NaN) / 1048576)} MB`);
    continue;
  }
  const list = Array.isArray(parsed) ? parsed : Array.isArray(parsed.rows) ? parsed.rows : Array.isArray(parsed.figures) ? parsed.figures : [parsed];
  for (const f of list) {
    if (f && typeof f === 'object' && 'figure' in f) row(String(f.figure), String(f.value ?? ''), String(f.baseline ?? ''), f.ratio === undefined ? '' : String(f.ratio), String(f.target ?? ''), String(f.note ?? ''));
    else row(`bench/${script}`, JSON.stringify(f), '', '', '', '');
  }
}

const cols = ['figure', 'value', 'baseline', 'ratio', 'target', 'note'];
const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
const line = (r) => cols.map((c, i) => String(r[c]).padEnd(width[i])).join(' | ').trimEnd();
process.stdout.write(`\n${line(Object.fromEntries(cols.map((c) => [c, c])))}\n${width.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n`);
process.stdout.write('\nThe machine has 2 shared cores: figures are noisy; ratios are against baselines timed in this run.\n');
