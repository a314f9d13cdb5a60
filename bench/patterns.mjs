// Plan patterns: the linear-time engine (re2js, translated to JavaScript semantics) against V8's
// RegExp on typical plan patterns, what loading and compiling costs, and ^(a+)+$ on values that
// almost match (V8 doubles its time per character).   Usage: npm run build && node bench/patterns.mjs
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
const { compilePattern, analysePattern } = await import('../dist/regex/index.js');
const loaded = performance.now() - t0;
const t1 = performance.now();
compilePattern('^SKU-[0-9]{5}$');
const firstCompile = performance.now() - t1;

const CASES = [
  ['^SKU-[0-9]{5}$', ['SKU-12345', 'SKU-1234', 'sku-12345', 'SKU-123456']],
  ['^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$', ['pat@example.com', 'a.b+c@mail.example.co.uk', 'not an email', 'x@y']],
  ['^-?\\d+(\\.\\d+)?([eE][+\\-]?\\d+)?$', ['42', '-3.25', '1e10', 'five']],
  ['^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', ['550e8400-e29b-41d4-a716-446655440000', 'nope']],
  ['^\\p{L}[\\p{L}\\s]*$', ['Zoë Ünal', 'Ελληνικά', '123']],
  ['^(?!test)[a-z]+$', ['prod', 'testing']],
];

function rate(fn, values) {
  const n = 200_000;
  for (let i = 0; i < 20_000; i++) fn(values[i % values.length]);
  const s = performance.now();
  let hits = 0;
  for (let i = 0; i < n; i++) if (fn(values[i % values.length])) hits++;
  return { ns: ((performance.now() - s) * 1e6) / n, hits };
}

console.log(`load re2js + regex module: ${loaded.toFixed(1)} ms; first compile: ${firstCompile.toFixed(1)} ms (measured in this run)`);
console.log('pattern'.padEnd(62), 'engine'.padEnd(13), 'ns/test', ' RegExp', ' ratio');
for (const [p, values] of CASES) {
  const m = compilePattern(p);
  const re = new RegExp(p, 'u');
  const a = rate((v) => m.test(v), values);
  const b = rate((v) => re.test(v), values);
  if (a.hits !== b.hits) throw new Error(`verdicts differ on ${p}`);
  console.log(p.slice(0, 60).padEnd(62), m.engine.padEnd(13), a.ns.toFixed(0).padStart(7), b.ns.toFixed(0).padStart(7), (a.ns / b.ns).toFixed(1).padStart(6) + 'x');
}

console.log('\n^(a+)+$ on "a"×n + "!" (the catastrophic case; hazard:', analysePattern('^(a+)+$').hazard.fragment + ')');
const m = compilePattern('^(a+)+$');
const re = /^(a+)+$/u;
for (const n of [16, 20, 22, 24]) {
  const v = 'a'.repeat(n) + '!';
  let s = performance.now();
  m.test(v);
  const lin = performance.now() - s;
  s = performance.now();
  re.test(v);
  const js = performance.now() - s;
  console.log(`  n=${n}: linear ${lin.toFixed(3)} ms, RegExp ${js.toFixed(1)} ms (${(js / Math.max(lin, 0.001)).toFixed(0)}x)`);
}
const s = performance.now();
m.test('a'.repeat(1_000_000) + '!');
console.log(`  n=1,000,000: linear ${(performance.now() - s).toFixed(1)} ms (RegExp: beyond the age of the universe)`);
