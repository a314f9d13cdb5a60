#!/usr/bin/env node
/**
 * What the dataplan ESLint plugin costs as users meet it: the `eslint` command, whole processes.
 *
 *   node bench/lint-overhead.mjs [--files 1700] [--runs 5] [--small-runs 21] [--small-only] [--json]
 *
 * 1. A generated JavaScript project of ~1,700 files dense with mParticle calls (direct, through an imported
 *    wrapper, with imported constants; a few deliberate violations), linted with `@eslint/js` recommended, with
 *    and without `dataplan.configs.recommended`: the ratio of the medians.
 * 2. A 3-file JavaScript project and a 3-file TypeScript project (typescript-eslint's parser): plugin vs none,
 *    the difference of the medians in ms (what the plugin adds to starting ESLint: loading it, the plan).
 *
 * Runs alternate between the two configs so a slow moment on the machine hits both. The projects are written
 * under bench/.work/ and import the plugin as `dataplan/eslint` (the package's own export, as users do).
 * Run `npm run build` first. `--json` prints the figures as one JSON object.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'bench', '.work', 'lint-overhead');
const ESLINT = join(dirname(createRequire(import.meta.url).resolve('eslint/package.json')), 'bin', 'eslint.js');
const PLAN = join(ROOT, 'test', 'fixtures', 'plans', 'acme_web_shop-2.version.json');

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const json = args.includes('--json');
const log = json ? () => {} : (s) => console.log(s);

if (!existsSync(join(ROOT, 'dist', 'lint', 'index.js'))) {
  console.error('bench/lint-overhead: dist/ is missing; run "npm run build" first');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const GLOBALS = "{ window: 'readonly', document: 'readonly', console: 'readonly', fetch: 'readonly', setTimeout: 'readonly' }";

/** eslint.config.*.mjs files for one project: `none` and `plugin`. */
function writeConfigs(dir, ts) {
  const head = [
    "import js from '@eslint/js';",
    ...(ts ? ["import tseslint from 'typescript-eslint';"] : []),
  ];
  const base = [
    'js.configs.recommended',
    `{ languageOptions: { globals: ${GLOBALS} } }`,
    ...(ts ? ["{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }"] : []),
  ];
  writeFileSync(join(dir, 'eslint.none.mjs'), `${head.join('\n')}\n\nexport default [\n  ${base.join(',\n  ')},\n];\n`);
  writeFileSync(join(dir, 'eslint.plugin.mjs'), `${head.join('\n')}\nimport dataplan from 'dataplan/eslint';\n\nexport default [\n  ${[...base,
    'dataplan.configs.recommended',
    "{ settings: { dataplan: { plan: './plan.json' } } }"].join(',\n  ')},\n];\n`);
  copyFileSync(PLAN, join(dir, 'plan.json'));
  // Editors' project file, with a comment as they usually have (the plugin reads its `paths`).
  writeFileSync(join(dir, ts ? 'tsconfig.json' : 'jsconfig.json'), `{
  // editor and type-check settings
  "compilerOptions": { "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler"${ts ? ', "strict": true' : ', "checkJs": false'} },
  "include": ["src"],
}
`);
}

/**
 * CPU seconds (user + system) of this process's finished children, from /proc (Linux; undefined elsewhere). Other
 * load on a shared machine stretches wall time far more than CPU time.
 */
function childCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10; // cutime + cstime, in ticks of 10 ms (USER_HZ 100)
  } catch {
    return undefined;
  }
}

/** One `eslint` run; returns wall ms and CPU ms. Exit 1 (lint errors: the deliberate violations) is expected with the plugin. */
function eslint(dir, config, target, env = {}) {
  const c = childCpuMs();
  const t = performance.now();
  const r = spawnSync(process.execPath, [ESLINT, '--config', config, '--format', 'json', target], { cwd: dir, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, ...env } });
  const ms = performance.now() - t;
  const cpu = c === undefined ? undefined : childCpuMs() - c;
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint ${config} in ${dir}: exit ${r.status}\n${r.stderr}`);
  const results = JSON.parse(r.stdout);
  let dataplan = 0;
  let fatal = 0;
  for (const f of results) for (const m of f.messages) {
    if (m.ruleId?.startsWith('dataplan/')) dataplan++;
    if (m.fatal) fatal++;
  }
  if (fatal) throw new Error(`eslint ${config} in ${dir}: ${fatal} files did not parse`);
  return { ms, cpu, files: results.length, dataplan };
}

/**
 * Alternate none/plugin runs; medians. The warm-up run also writes the plugin's compile cache (in the project's
 * .compile-cache/), as a user's first lint does; with `cold`, plugin runs without that cache (DATAPLAN_COMPILE_CACHE=0: the first run after an
 * install) are timed too.
 */
function compare(dir, target, runs, { cold = false } = {}) {
  const modes = cold ? ['none', 'plugin', 'cold'] : ['none', 'plugin'];
  const times = Object.fromEntries(modes.map((m) => [m, []]));
  const cpu = Object.fromEntries(modes.map((m) => [m, []]));
  let info;
  // Each project's own compile cache, made by its first lint below (not left by whatever ran before).
  const cache = join(dir, '.compile-cache');
  rmSync(cache, { recursive: true, force: true });
  eslint(dir, 'eslint.plugin.mjs', target, { DATAPLAN_COMPILE_CACHE: cache }); // warm the file cache and the compile cache
  for (let r = 0; r < runs; r++) {
    for (const mode of r % 2 ? [...modes].reverse() : modes) {
      const out = mode === 'cold'
        ? eslint(dir, 'eslint.plugin.mjs', target, { DATAPLAN_COMPILE_CACHE: '0' })
        : eslint(dir, `eslint.${mode}.mjs`, target, { DATAPLAN_COMPILE_CACHE: cache });
      times[mode].push(out.ms);
      if (out.cpu !== undefined) cpu[mode].push(out.cpu);
      if (mode === 'plugin') info = out;
    }
  }
  const cpuFigures = cpu.none.length === runs && cpu.plugin.length === runs
    ? { none_cpu_ms: median(cpu.none), plugin_cpu_ms: median(cpu.plugin) }
    : {};
  const coldFigures = cold ? { cold_ms: +median(times.cold).toFixed(1) } : {};
  return { none_ms: +median(times.none).toFixed(1), plugin_ms: +median(times.plugin).toFixed(1), ...coldFigures, ...cpuFigures, files: info.files, dataplan_reports: info.dataplan, runs };
}

// ---- the generated projects ----

const TRACK = `import mParticle from '@mparticle/web-sdk';
import { EVENTS } from './events.js';

export function trackNav(label, position) {
  mParticle.logEvent(EVENTS.NAV, mParticle.EventType.Navigation, { label, position });
}

export function trackSearch(query, resultCount, sort = 'relevance') {
  mParticle.logEvent(EVENTS.SEARCH, mParticle.EventType.Search, { query, result_count: resultCount, sort });
}
`;
const EVENTS = `export const EVENTS = {
  NAV: 'Navbar Click',
  SEARCH: 'Search Performed',
  SHARE: 'Product Shared',
  COUPON: 'Coupon Applied',
};

export const SCREENS = { HOME: 'Home', CART: 'Cart', CHECKOUT: 'Checkout' };
`;

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A feature module: a few functions around 3–6 SDK calls (some through the wrapper, some with constants). */
function feature(i, rand) {
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const calls = [];
  const n = 3 + Math.floor(rand() * 4);
  for (let c = 0; c < n; c++) {
    const wrong = rand() < 0.03;
    switch (Math.floor(rand() * 7)) {
      case 0: calls.push(`  trackNav('${wrong ? 'Blog' : pick(['Shop', 'Deals', 'Help'])}', ${c});`); break;
      case 1: calls.push(`  trackSearch(query, items.length${wrong ? ", 'cheapest'" : ''});`); break;
      case 2: calls.push(`  mParticle.logEvent(EVENTS.SHARE, mParticle.EventType.Social, { channel: '${wrong ? 'fax' : pick(['email', 'x', 'facebook'])}', product_id: 'SKU-${10000 + c}' });`); break;
      case 3: calls.push(`  mParticle.logPageView(SCREENS.${wrong ? 'CART' : 'HOME'}${wrong ? '' : ", { source: 'nav' }"});`); break;
      case 4: calls.push(`  mParticle.logEvent(EVENTS.COUPON, mParticle.EventType.Transaction, { coupon_code: 'SPRING20', discount_pct: ${wrong ? 120 : 20}, valid: true });`); break;
      case 5: calls.push(`  mParticle.Identity.getCurrentUser()?.setUserAttribute('${wrong ? 'loyalty_teir' : 'lifetime_orders'}', items.length);`); break;
      default: calls.push(`  mParticle.logEvent('${wrong ? 'Review Sent' : 'Review Submitted'}', mParticle.EventType.UserContent, { rating: ${1 + (c % 5)}, has_photo: false });`);
    }
  }
  const half = Math.ceil(calls.length / 2);
  return `import mParticle from '@mparticle/web-sdk';
import { EVENTS, SCREENS } from '../analytics/events.js';
import { trackNav, trackSearch } from '../analytics/track.js';

const PAGE_SIZE = ${10 + (i % 40)};

export function open${i}(query, items) {
  const visible = items.slice(0, PAGE_SIZE).filter((it) => it && it.name.includes(query));
  if (visible.length === 0) return [];
${calls.slice(0, half).join('\n')}
  return visible.map((it) => ({ ...it, label: it.name.toUpperCase() }));
}

export async function load${i}(query) {
  const res = await fetch('/api/items?q=' + encodeURIComponent(query));
  if (!res.ok) throw new Error('failed ' + res.status);
  const items = await res.json();
${calls.slice(half).join('\n')}
  return { query, total: items.length, first: items[0] ?? null };
}

export function noop${i}() {
  void trackNav;
  void trackSearch;
  void EVENTS;
  void SCREENS;
  void mParticle;
}
`;
}

function big(files) {
  const dir = join(WORK, 'big');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'analytics'), { recursive: true });
  writeFileSync(join(dir, 'src', 'analytics', 'track.js'), TRACK);
  writeFileSync(join(dir, 'src', 'analytics', 'events.js'), EVENTS);
  const rand = rng(7);
  for (let i = 0; i < files - 2; i++) {
    const sub = join(dir, 'src', `f${Math.floor(i / 50)}`);
    if (i % 50 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `m${i}.js`), feature(i, rand));
  }
  writeConfigs(dir, false);
  return dir;
}

function small(ts) {
  const dir = join(WORK, ts ? 'small-ts' : 'small-js');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src', 'analytics'), { recursive: true });
  const ext = ts ? '.ts' : '.js';
  const typed = (s) => (ts ? s.replace('trackNav(label, position)', 'trackNav(label: string, position?: number)').replace("trackSearch(query, resultCount, sort = 'relevance')", "trackSearch(query: string, resultCount: number, sort = 'relevance')") : s);
  writeFileSync(join(dir, 'src', 'analytics', `track${ext}`), typed(TRACK));
  writeFileSync(join(dir, 'src', 'analytics', `events${ext}`), EVENTS);
  // One call the plan does not have, so the plugin has something to report.
  const page = feature(1, rng(3)).replace('  if (visible.length === 0) return [];\n', "  if (visible.length === 0) return [];\n  mParticle.logEvent('Sign Up Clicked', mParticle.EventType.Navigation);\n");
  writeFileSync(join(dir, 'src', `page${ext}`), ts ? page.replace(/\(query, items\)/, '(query: string, items: { name: string }[])').replace(/load1\(query\)/, 'load1(query: string)') : page);
  writeConfigs(dir, ts);
  return dir;
}

// ---- run ----

const files = opt('files', 1700);
const runs = opt('runs', 5);
// A 3-file lint is ~0.4–0.9 s and the difference sought is ~20–30 ms: with 9 runs, two medians on this machine differed by 85 ms.
const smallRuns = opt('small-runs', 21);

const smallOnly = args.includes('--small-only');
const t0 = performance.now();
const bigDir = smallOnly ? undefined : big(files);
log(`${bigDir ? `generated ${files} files under ${bigDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` : ''}eslint ${createRequire(import.meta.url)('eslint/package.json').version}, node ${process.version}`);
const b = bigDir ? compare(bigDir, 'src', runs) : undefined;
const js = compare(small(false), 'src', smallRuns, { cold: true });
const tsr = compare(small(true), 'src', smallRuns, { cold: true });

const figures = {
  bench: 'lint-overhead',
  node: process.version,
  big: b && { ...b, ratio: +(b.plugin_ms / b.none_ms).toFixed(3), per_file_ms: +((b.plugin_ms - b.none_ms) / b.files).toFixed(3), ...(b.none_cpu_ms ? { cpu_ratio: +(b.plugin_cpu_ms / b.none_cpu_ms).toFixed(3) } : {}) },
  small_js: { ...js, added_ms: +(js.plugin_ms - js.none_ms).toFixed(1), cold_added_ms: +(js.cold_ms - js.none_ms).toFixed(1), ...(js.none_cpu_ms ? { added_cpu_ms: js.plugin_cpu_ms - js.none_cpu_ms } : {}) },
  small_ts: { ...tsr, added_ms: +(tsr.plugin_ms - tsr.none_ms).toFixed(1), cold_added_ms: +(tsr.cold_ms - tsr.none_ms).toFixed(1), ...(tsr.none_cpu_ms ? { added_cpu_ms: tsr.plugin_cpu_ms - tsr.none_cpu_ms } : {}) },
};

if (json) process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
else {
  const f = figures;
  console.log(`\nthe eslint command, whole processes, medians (none and plugin runs alternate)\n`);
  console.log('project                               runs   none ms  plugin ms   plugin vs none   dataplan reports');
  if (f.big) console.log(`${`${f.big.files} JS files, @eslint/js recommended`.padEnd(37)} ${String(f.big.runs).padStart(4)} ${f.big.none_ms.toFixed(0).padStart(9)} ${f.big.plugin_ms.toFixed(0).padStart(10)}   ${`${f.big.ratio.toFixed(3)}x (${f.big.per_file_ms >= 0 ? '+' : ''}${f.big.per_file_ms.toFixed(2)} ms/file)`.padEnd(16)} ${String(f.big.dataplan_reports).padStart(6)}`);
  for (const [name, r] of [['3 JS files', f.small_js], ['3 TS files (typescript-eslint parser)', f.small_ts]]) {
    console.log(`${name.padEnd(37)} ${String(r.runs).padStart(4)} ${r.none_ms.toFixed(0).padStart(9)} ${r.plugin_ms.toFixed(0).padStart(10)}   ${`${r.added_ms >= 0 ? '+' : ''}${r.added_ms.toFixed(0)} ms`.padEnd(16)} ${String(r.dataplan_reports).padStart(6)}`);
  }
  console.log(`\nthe first run after an install (no compile cache yet, DATAPLAN_COMPILE_CACHE=0): 3 JS files ${f.small_js.cold_added_ms >= 0 ? '+' : ''}${f.small_js.cold_added_ms.toFixed(0)} ms, 3 TS files ${f.small_ts.cold_added_ms >= 0 ? '+' : ''}${f.small_ts.cold_added_ms.toFixed(0)} ms`);
  if (f.small_js.added_cpu_ms !== undefined) console.log('\nCPU time (user + system of the eslint processes, medians), none vs plugin:');
  if (f.big?.cpu_ratio !== undefined) console.log(`  ${f.big.files} JS files: ${f.big.none_cpu_ms} vs ${f.big.plugin_cpu_ms} ms = ${f.big.cpu_ratio.toFixed(3)}x`);
  for (const [name, r] of [['3 JS files', f.small_js], ['3 TS files', f.small_ts]]) {
    if (r.added_cpu_ms !== undefined) console.log(`  ${name}: ${r.none_cpu_ms} vs ${r.plugin_cpu_ms} ms = ${r.added_cpu_ms >= 0 ? '+' : ''}${r.added_cpu_ms} ms`);
  }
  console.log('\nTargets: big project <= 1.10x; small projects <= +30 ms. Other load on the machine moves these; rerun when it is quiet.');
}
