#!/usr/bin/env node
/**
 * The plugin's own CPU time, in one process: what the dataplan rules cost on a parsed corpus, apart from parsing and
 * the other rules (which whole-process figures, bench/lint-overhead.mjs and bench/lint.mjs, mix in).
 *
 *   node bench/lint-cpu.mjs [--passes 5] [--procs 1] [--dir bench/.work/lint-overhead/big] [--dist dist] [--linter]
 *
 * Each pass parses every file of the project afresh (ESLint's Linter with espree, untimed: the plugin's per-tree
 * caches must start cold, as for a real lint), then runs the rules of dataplan.configs.recommended over the parsed
 * files as ESLint would (create, then Program) and times that: CPU (process.cpuUsage) and the garbage collector's
 * pauses. Modules imported by the files are parsed once per process, as in a real run, so the first pass is the cold
 * one. With --linter, whole Linter.verify passes with and without the plugin alternate instead (parsing included),
 * and the difference of the medians is printed. --procs N runs N fresh processes one after another and prints the
 * medians over them (the cold pass is what one `eslint` run pays). Run `node bench/lint-overhead.mjs` once first (it writes the
 * project) and `npm run build` (the plugin is loaded from dist/, or --dist DIR: a saved build to compare with).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const dir = join(ROOT, opt('dir', 'bench/.work/lint-overhead/big'));
const passes = Number(opt('passes', 5));
const procs = Number(opt('procs', 1));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (procs > 1) {
  const rest = args.filter((a, i) => a !== '--procs' && args[i - 1] !== '--procs');
  const rows = [];
  for (let i = 0; i < procs; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...rest, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    rows.push(JSON.parse(r.stdout.trim().split('\n').at(-1)));
    console.log(JSON.stringify(rows.at(-1)));
  }
  const m = (k) => median(rows.map((r) => r[k]).filter((x) => x !== undefined)).toFixed(0);
  console.log(`\nmedians over ${procs} processes: cold pass cpu ${m('cold')} ms (gc ${m('coldGc')} ms)${rows[0].warm !== undefined ? `, warm pass cpu ${m('warm')} ms (gc ${m('warmGc')} ms)` : ''}`);
  process.exit(0);
}
const json = args.includes('--json');

const { Linter } = await import('eslint');
const js = (await import('@eslint/js')).default;
const dataplan = (await import(join(ROOT, opt('dist', 'dist'), 'lint', 'index.js'))).default;

const files = [];
(function walk(d) {
  for (const e of readdirSync(d)) {
    const f = join(d, e);
    if (statSync(f).isDirectory()) walk(f);
    else if (/\.[cm]?jsx?$/.test(e)) files.push(f);
  }
})(join(dir, 'src'));
const texts = files.map((f) => readFileSync(f, 'utf8'));

// One settings object for the whole run, as ESLint hands one per config.
const settings = { dataplan: { plan: join(dir, 'plan.json') } };
const globals = { window: 'readonly', document: 'readonly', console: 'readonly', fetch: 'readonly', setTimeout: 'readonly' };
const linter = new Linter({ cwd: dir });

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMs += e.duration;
}).observe({ entryTypes: ['gc'] });

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const flush = () => new Promise((r) => setTimeout(r, 20)); // gc entries arrive asynchronously

if (args.includes('--linter')) linterPasses();
else await rulePasses();

async function rulePasses() {
  const recommended = Object.keys(dataplan.configs.recommended.rules).map((k) => dataplan.rules[k.slice('dataplan/'.length)]);
  let captured;
  const capture = { rules: { capture: { create(ctx) { captured = ctx.sourceCode; return {}; } } } };
  const parseConfig = [{ languageOptions: { globals }, plugins: { capture }, rules: { 'capture/capture': 'error' } }];
  const rows = [];
  for (let p = 0; p < passes; p++) {
    const sources = texts.map((t, i) => {
      linter.verify(t, parseConfig, files[i]);
      return captured;
    });
    await flush();
    let reports = 0;
    const report = () => { reports++; };
    const gc0 = gcMs;
    const c0 = cpuNow();
    const t0 = performance.now();
    for (let i = 0; i < sources.length; i++) {
      const context = { sourceCode: sources[i], filename: files[i], cwd: dir, settings, report };
      for (const rule of recommended) rule.create(context).Program?.();
    }
    const cpu = cpuNow() - c0;
    const wall = performance.now() - t0;
    await flush();
    rows.push({ cpu, wall, gc: gcMs - gc0, reports });
    if (!json) console.log(`pass ${p + 1}: plugin cpu ${cpu.toFixed(0)} ms, wall ${rows.at(-1).wall.toFixed(0)} ms, gc ${rows.at(-1).gc.toFixed(0)} ms, reports ${reports}`);
  }
  const warm = rows.slice(1);
  if (json) {
    const w = warm.length ? { warm: median(warm.map((r) => r.cpu)), warmGc: median(warm.map((r) => r.gc)) } : {};
    console.log(JSON.stringify({ files: files.length, cold: rows[0].cpu, coldGc: rows[0].gc, ...w, reports: rows[0].reports }));
    return;
  }
  if (!warm.length) console.log(`\n${files.length} files; cold pass ${rows[0].cpu.toFixed(0)} ms cpu, gc ${rows[0].gc.toFixed(0)} ms`);
  else console.log(`\n${files.length} files; cold pass ${rows[0].cpu.toFixed(0)} ms cpu; warm passes median cpu ${median(warm.map((r) => r.cpu)).toFixed(0)} ms, wall ${median(warm.map((r) => r.wall)).toFixed(0)} ms, gc ${median(warm.map((r) => r.gc)).toFixed(0)} ms`);
}

function linterPasses() {
  const base = [js.configs.recommended, { languageOptions: { globals } }];
  const configs = { none: base, plugin: [...base, dataplan.configs.recommended, { settings }] };
  const cpu = { none: [], plugin: [] };
  for (let p = 0; p < passes; p++) {
    for (const mode of p % 2 ? ['plugin', 'none'] : ['none', 'plugin']) {
      const c0 = cpuNow();
      let dp = 0;
      for (let i = 0; i < texts.length; i++) {
        for (const m of linter.verify(texts[i], configs[mode], files[i])) if (m.ruleId?.startsWith('dataplan/')) dp++;
      }
      cpu[mode].push(cpuNow() - c0);
      console.log(`pass ${p + 1} ${mode.padEnd(6)} cpu ${cpu[mode].at(-1).toFixed(0)} ms  dataplan reports ${dp}`);
    }
  }
  const n = median(cpu.none.slice(1));
  const pl = median(cpu.plugin.slice(1));
  console.log(`\nwarm medians: none ${n.toFixed(0)} ms, plugin ${pl.toFixed(0)} ms, plugin adds ${(pl - n).toFixed(0)} ms = ${(pl / n).toFixed(3)}x`);
}
