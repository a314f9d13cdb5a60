/**
 * configs.recommended on the real-world-style corpus (fixtures/lint/corpus, see its README): every `expect:` comment
 * is a diagnostic that must appear on its line, anything else is a false positive. Held to the targets:
 * precision ≥ 99.5 %, recall ≥ 99 % on plain calls and ≥ 90 % on indirect ones (bench/lint-accuracy.mjs prints the
 * same figures from the built plugin).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { FIXTURES } from './helpers.js';

const CORPUS = join(FIXTURES, 'lint', 'corpus');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const f = join(dir, n);
    if (statSync(f).isDirectory()) return files(f);
    return /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(n) && !n.endsWith('.d.ts') ? [f] : [];
  });
}

function expected(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').flatMap((text, i) => {
    const m = /expect:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/.exec(text);
    return m ? m[1].split(',').map((r) => `${relative(CORPUS, file)}:${i + 1}:${r.trim()}`) : [];
  });
}

describe('configs.recommended on the real-world-style corpus', async () => {
  const eslint = new ESLint({
    cwd: CORPUS,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.js', '**/*.jsx', '**/*.mjs'], languageOptions: { sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      { files: ['**/*.ts', '**/*.tsx'], languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } } },
      plugin.configs.recommended as never,
    ],
  });
  const all = files(CORPUS);
  const results = await eslint.lintFiles(all);
  const got = results.flatMap((r) => r.messages.map((m) => ({ key: `${relative(CORPUS, r.filePath)}:${m.line}:${(m.ruleId ?? 'parse').replace('dataplan/', '')}`, message: m.message })));
  const want = all.flatMap(expected);

  for (const group of ['plain', 'indirect']) {
    it(`${group} calls: precision ≥ 99.5 %, recall ≥ ${group === 'plain' ? 99 : 90} %`, () => {
      const w = want.filter((k) => k.startsWith(`${group}/`));
      const g = got.filter((r) => r.key.startsWith(`${group}/`));
      const left = [...w];
      const fp: string[] = [];
      for (const r of g) {
        const i = left.indexOf(r.key);
        if (i >= 0) left.splice(i, 1);
        else fp.push(`${r.key} ${r.message}`);
      }
      const tp = g.length - fp.length;
      expect(w.length).toBeGreaterThan(40);
      expect(fp, 'false positives').toEqual(fp.length && tp / g.length >= 0.995 ? fp : []);
      expect(tp / w.length, `missed: ${left.join(', ')}`).toBeGreaterThanOrEqual(group === 'plain' ? 0.99 : 0.9);
    });
  }
});
