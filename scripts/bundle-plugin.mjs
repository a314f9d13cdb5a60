// The ESLint entry as one file (dist/eslint.js): ESLint loads the plugin in every process, and on a
// small project resolving and linking ~70 separate modules cost more than the plugin's own work.
// Packages stay external (the consumer's eslint, typescript-eslint and typescript are used as installed).
import { build } from 'esbuild';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
await build({
  entryPoints: [join(root, 'dist', 'lint', 'index.js')],
  outfile: join(root, 'dist', 'eslint.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Packages are external, except ajv-formats' format table: a small self-contained CommonJS file that, imported
  // from ESM, made Node scan it for its exports at every ESLint start.
  plugins: [{
    name: 'externals',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => (args.path === 'ajv-formats/dist/formats.js' || args.kind === 'entry-point' ? undefined : { path: args.path, external: true }));
    },
  }],
  legalComments: 'none',
  logLevel: 'warning',
});
