/** Every rule has docs/rules/<name>.md at its meta.docs.url, and the doc's examples do what the doc says. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/lint/index.js';
import { PLAN } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string }; homepage: string };
const REPO = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

it('the repository is https, and the homepage is in it', () => {
  expect(REPO).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  expect(pkg.homepage.startsWith(REPO)).toBe(true);
});

function blocks(md: string, heading: string): string[] {
  const section = md.split(/^## /m).find((s) => s.startsWith(heading));
  return section ? [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]) : [];
}

function lint(rule: string, code: string) {
  const linter = new Linter({ configType: 'flat' });
  return linter.verify(code, [{
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser as Linter.Parser },
    plugins: { dataplan: plugin },
    rules: { [`dataplan/${rule}`]: 'error' },
    settings: { dataplan: { plan: PLAN } },
  }], { filename: 'example.ts' });
}

describe('rule docs', () => {
  for (const [name, rule] of Object.entries(plugin.rules)) {
    it(name, () => {
      // The page in the project's repository (package.json `repository`), which is this file.
      const url = rule.meta!.docs!.url!;
      expect(url).toBe(`${REPO}/blob/main/docs/rules/${name}.md`);
      const file = join(ROOT, new URL(url).pathname.split('/blob/main/')[1]);
      expect(existsSync(file)).toBe(true);
      const md = readFileSync(file, 'utf8');
      expect(md.startsWith(`# dataplan/${name}\n`)).toBe(true);
      const bad = blocks(md, 'Incorrect');
      const good = blocks(md, 'Correct');
      expect(bad.length).toBeGreaterThan(0);
      expect(good.length).toBeGreaterThan(0);
      for (const code of bad) {
        const msgs = lint(name, code);
        expect(msgs.filter((m) => m.ruleId !== `dataplan/${name}`)).toEqual([]);
        expect(msgs.length, code).toBeGreaterThan(0);
      }
      for (const code of good) expect(lint(name, code), code).toEqual([]);
    });
  }
});
