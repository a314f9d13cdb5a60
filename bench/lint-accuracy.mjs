#!/usr/bin/env node
/**
 * Precision and recall of dataplan's ESLint plugin (configs.recommended) on the real-world-style corpus in
 * test/fixtures/lint/corpus/ (see its README): every `expect: <rule>` comment is a diagnostic that must appear on that
 * line; every other diagnostic is a false positive.
 *
 *   npm run build && node bench/lint-accuracy.mjs [--verbose] [--json]
 *
 * Prints, per folder (plain calls, indirect calls) and overall: expected, reported, true positives, false positives,
 * false negatives, precision and recall; --verbose lists each miss. The plugin is loaded from dist/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'lint', 'corpus');
const SOURCE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
const verbose = process.argv.includes('--verbose');
const asJson = process.argv.includes('--json');

const { default: plugin } = await import(join(ROOT, 'dist', 'lint', 'index.js'));

function files(dir) {
  return readdirSync(dir).flatMap((n) => {
    const f = join(dir, n);
    if (statSync(f).isDirectory()) return files(f);
    return SOURCE.test(n) && !n.endsWith('.d.ts') ? [f] : [];
  });
}

/** `file:line:rule` keys, one per expected diagnostic (a rule written twice on a line counts twice). */
function expected(file) {
  const out = [];
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    const m = /expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/.exec(text);
    if (m) for (const rule of m[1].split(',')) out.push(`${relative(CORPUS, file)}:${i + 1}:${rule.trim()}`);
  });
  return out;
}

const eslint = new ESLint({
  cwd: CORPUS,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.js', '**/*.jsx', '**/*.mjs'], languageOptions: { sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } },
    { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
    { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'], languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } } },
    plugin.configs.recommended,
  ],
});

const all = files(CORPUS);
const results = await eslint.lintFiles(all);
const reported = [];
const problems = [];
for (const r of results) {
  for (const m of r.messages) {
    if (!m.ruleId?.startsWith('dataplan/')) {
      problems.push(`${relative(CORPUS, r.filePath)}:${m.line}: ${m.message}`);
      continue;
    }
    reported.push({ key: `${relative(CORPUS, r.filePath)}:${m.line}:${m.ruleId.slice('dataplan/'.length)}`, message: m.message });
  }
}
if (problems.length) {
  console.error(`the corpus does not lint cleanly:\n  ${problems.join('\n  ')}`);
  process.exit(2);
}

const want = all.flatMap(expected);
const groups = { plain: { want: [], got: [] }, indirect: { want: [], got: [] } };
const groupOf = (key) => (key.split(sep)[0] === 'indirect' || key.startsWith('indirect/') ? 'indirect' : 'plain');
for (const k of want) groups[groupOf(k)].want.push(k);
for (const r of reported) groups[groupOf(r.key)].got.push(r);

/** Multiset matching: each expected key is matched by at most one report. */
function score(g) {
  const left = new Map();
  for (const k of g.want) left.set(k, (left.get(k) ?? 0) + 1);
  let tp = 0;
  const fp = [];
  for (const r of g.got) {
    const n = left.get(r.key) ?? 0;
    if (n > 0) {
      tp++;
      left.set(r.key, n - 1);
    } else fp.push(`${r.key}  ${r.message}`);
  }
  const fn = [...left].flatMap(([k, n]) => Array(n).fill(k));
  return { expected: g.want.length, reported: g.got.length, tp, fp, fn, precision: g.got.length ? tp / g.got.length : 1, recall: g.want.length ? tp / g.want.length : 1 };
}

const scores = {
  plain: score(groups.plain),
  indirect: score(groups.indirect),
  all: score({ want: [...groups.plain.want, ...groups.indirect.want], got: [...groups.plain.got, ...groups.indirect.got] }),
};
const pct = (x) => `${(x * 100).toFixed(1)} %`;
if (asJson) {
  console.log(JSON.stringify(Object.fromEntries(Object.entries(scores).map(([k, s]) => [k, { ...s, fp: s.fp.length, fn: s.fn.length }]))));
} else {
  console.log(`dataplan configs.recommended on ${all.length} files of ${relative(ROOT, CORPUS)}`);
  for (const [name, s] of Object.entries(scores)) {
    console.log(`${name.padEnd(9)} expected ${String(s.expected).padStart(3)}  reported ${String(s.reported).padStart(3)}  tp ${String(s.tp).padStart(3)}  fp ${String(s.fp.length).padStart(2)}  fn ${String(s.fn.length).padStart(2)}  precision ${pct(s.precision).padStart(7)}  recall ${pct(s.recall).padStart(7)}`);
  }
  if (verbose) {
    for (const [name, s] of Object.entries(scores)) {
      if (name === 'all') continue;
      for (const f of s.fp) console.log(`  false positive (${name}): ${f}`);
      for (const f of s.fn) console.log(`  missed (${name}): ${f}`);
    }
  }
}
