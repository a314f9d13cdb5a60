/** The README's typed-linting config, run as written on a TypeScript project (typescript-eslint with type information). */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// Inside the package, so `dataplan/eslint` resolves to this checkout (a package may import itself by name).
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
const dir = mkdtempSync(join(ROOT, '.tmp', 'readme-typed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('dataplan.configs.recommended next to typescript-eslint\'s recommendedTypeChecked and projectService', { timeout: 120_000 }, async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes('recommendedTypeChecked'));
  expect(block).toBeDefined();
  writeFileSync(join(dir, 'eslint.config.js'), block!);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true }, include: ['src'] }));
  writeFileSync(join(dir, 'mp.config.json'), JSON.stringify({ planningConfig: { dataPlanVersionFile: join(ROOT, 'plans', 'acme_web_shop.json') } }));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'nav.ts'), [
    'declare const mParticle: { logEvent(name: string, type: number, attrs?: Record<string, string>): void; EventType: { Navigation: number } };',
    "export function navigate(label: 'Shop' | 'Blog'): void {",
    "  mParticle.logEvent('Navbar Click', mParticle.EventType.Navigation, { label: 'Blog' });",
    '  void label;',
    '}',
    '',
  ].join('\n'));
  const eslint = new ESLint({ cwd: dir });
  const [result] = await eslint.lintFiles(['src/nav.ts']);
  expect(result.messages.map((m) => [m.line, m.ruleId])).toEqual([[3, 'dataplan/valid-attribute-value']]);
});
