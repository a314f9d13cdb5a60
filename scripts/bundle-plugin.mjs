// The ESLint entry, built from dist/ after tsc:
// - dist/eslint-bundle.cjs: the plugin (dist/lint/bundle.js and what it imports) as one CommonJS file. ESLint loads
//   the plugin in every process, and on a small project resolving and linking ~70 separate modules cost more than
//   the plugin's own work. Packages stay external (the consumer's eslint, typescript-eslint and typescript are used
//   as installed), except ajv-formats' format table: a small self-contained CommonJS file that, imported from ESM,
//   made Node scan it for its exports at every ESLint start.
// - dist/eslint.js: the `dataplan/eslint` export (src/lint/entry.ts), which runs the bundle with a V8 code cache
//   (src/lint/compile-cache.ts). The bundle is run as a plain function, so it must not use import().
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const externals = (keep) => ({
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (keep(args.path) || args.kind === 'entry-point' ? undefined : { path: args.path, external: true }));
  },
});
const common = { bundle: true, platform: 'node', target: 'node20', legalComments: 'none', logLevel: 'warning' };

const bundle = join(root, 'dist', 'eslint-bundle.cjs');
await build({
  ...common,
  entryPoints: [join(root, 'dist', 'lint', 'bundle.js')],
  outfile: bundle,
  format: 'cjs',
  // compile-cache.ts passes the bundle's own URL in as this parameter.
  define: { 'import.meta.url': '__bundleUrl' },
  plugins: [externals((p) => p === 'ajv-formats/dist/formats.js')],
});
if (/\bimport\s*\(/.test(readFileSync(bundle, 'utf8'))) throw new Error(`${bundle} uses import(), which a plain function cannot run`);

await build({
  ...common,
  entryPoints: [join(root, 'dist', 'lint', 'entry.js')],
  outfile: join(root, 'dist', 'eslint.js'),
  format: 'esm',
  plugins: [externals(() => false)],
});
