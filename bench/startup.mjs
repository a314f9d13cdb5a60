#!/usr/bin/env node
/**
 * How long `dataplan` takes to start, as users meet it: whole processes, against a bare `node -e 0`
 * timed in the same run (so the ratios hold up on a busy machine better than the milliseconds).
 *
 *   node bench/startup.mjs [--runs 15] [--json]
 *
 * Runs are interleaved (one of each case per round) so a slow moment hits every case alike. Run
 * `npm run build` first: the binary loads dist/. `--json` prints the figures as one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'dataplan.js');
const PLAN = join(ROOT, 'test', 'fixtures', 'plans', 'acme_web_shop.plan.json');
const BATCH = join(ROOT, 'test', 'fixtures', 'batches', 'violation-minimal.json');

const args = process.argv.slice(2);
const json = args.includes('--json');
const at = args.indexOf('--runs');
const runs = at >= 0 ? Number(args[at + 1]) : 15;

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.error('bench/startup: dist/ is missing; run "npm run build" first');
  process.exit(2);
}

/** name, argv, the exit code that means it worked. */
const CASES = [
  { name: 'node -e 0', argv: ['-e', '0'], exit: 0 },
  { name: 'dataplan --version', argv: [BIN, '--version'], exit: 0 },
  { name: 'dataplan validate (1 small batch)', argv: [BIN, 'validate', BATCH, '--plan', PLAN, '--force'], exit: 1 },
  { name: 'dataplan -h', argv: [BIN, '-h'], exit: 0 },
];

function once(c) {
  const t = performance.now();
  const r = spawnSync(process.execPath, c.argv, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - t;
  if (r.status !== c.exit) throw new Error(`${c.name}: exit ${r.status}, expected ${c.exit}\n${r.stderr}`);
  return ms;
}

const times = CASES.map(() => []);
for (const c of CASES) once(c); // warm the file cache
for (let r = 0; r < runs; r++) CASES.forEach((c, i) => times[i].push(once(c)));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const base = median(times[0]);
const rows = CASES.map((c, i) => ({ name: c.name, median_ms: +median(times[i]).toFixed(1), min_ms: +Math.min(...times[i]).toFixed(1), ratio: +(median(times[i]) / base).toFixed(2) }));

if (json) {
  process.stdout.write(JSON.stringify({ bench: 'startup', runs, node: process.version, cases: rows }, null, 2) + '\n');
} else {
  console.log(`dataplan start-up: whole processes, median of ${runs} interleaved runs each (node ${process.version})\n`);
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`${'case'.padEnd(w)}  median ms     min ms   × node -e 0`);
  for (const r of rows) console.log(`${r.name.padEnd(w)}  ${r.median_ms.toFixed(1).padStart(9)}  ${r.min_ms.toFixed(1).padStart(9)}  ${r.ratio.toFixed(2).padStart(11)}`);
  console.log('\nTargets: --version <= 2.0x, validate <= 3.0x node -e 0. Other load on the machine moves the milliseconds more than the ratios.');
}
