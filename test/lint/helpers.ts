import { join } from 'node:path';
import { RuleTester, type Rule } from 'eslint';
import { RuleTester as RuleTester9 } from 'eslint9';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const PLAN = join(FIXTURES, 'plans', 'acme_web_shop-2.version.json');
export const MODULES = join(FIXTURES, 'lint', 'modules');

for (const RT of [RuleTester, RuleTester9]) {
  RT.describe = describe;
  RT.it = it;
  RT.itOnly = it.only;
}

type Cases = Parameters<RuleTester['run']>[2];

/**
 * RuleTester tables on the acme_web_shop v2 plan, run on ESLint 10 and ESLint 9 alike; `ts` cases parse with
 * typescript-eslint, the others with espree.
 */
export function tester(settings: Record<string, unknown> = {}): { run(name: string, rule: Rule.RuleModule, cases: Cases): void } {
  const config = { languageOptions: { ecmaVersion: 'latest', sourceType: 'module' }, settings: { dataplan: { plan: PLAN, ...settings } } } as const;
  return {
    run(name, rule, cases) {
      new RuleTester(config).run(name, rule, cases);
      describe('ESLint 9', () => {
        new RuleTester9(config as ConstructorParameters<typeof RuleTester9>[0]).run(name, rule as unknown as Parameters<RuleTester9['run']>[1], cases as Parameters<RuleTester9['run']>[2]);
      });
    },
  };
}

export const ts = { languageOptions: { parser: tseslint.parser }, filename: 'file.ts' } as const;
export const tsx = { languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } }, filename: 'component.tsx' } as const;
