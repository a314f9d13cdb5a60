/**
 * The package's `dataplan/eslint` export (built into dist/eslint.js): runs the plugin's bundle
 * (dist/eslint-bundle.cjs, from ./bundle.ts) with a V8 code cache; see compile-cache.ts.
 */
import type { ESLint } from 'eslint';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Bundle from './bundle.js';
import { cacheDir, runBundle, type CacheState } from './compile-cache.js';

const bundle = fileURLToPath(new URL('./eslint-bundle.cjs', import.meta.url));
const state: CacheState = { status: 'off' };
const run = runBundle(bundle, cacheDir(dirname(dirname(bundle))), state);
const exports = run.exports as typeof Bundle;
if (process.env.DATAPLAN_COMPILE_CACHE_DEBUG) process.stderr.write(`dataplan: compile cache ${state.status}${state.file ? ` ${state.file}` : ''}\n`);

// The cache is written once a file's calls have been checked (the whole plugin has run by then, and a long run
// has not yet let V8 drop the bytecode of its start-up code), or at exit when files were linted but none had
// calls. A process that only loads the plugin (ESLint printing its config, an editor starting) writes nothing.
if (state.status === 'miss' || state.status === 'rejected') {
  let linted = false;
  exports.onAnalysed((checked) => {
    linted = true;
    if (!checked) return;
    exports.onAnalysed(undefined);
    // After this file's rules have reported.
    setImmediate(run.save);
  });
  process.once('exit', () => {
    if (linted) run.save();
  });
}

// Typed for consumers by dist/lint/index.d.ts (package.json "exports"), not by this file.
export default exports.default as ESLint.Plugin;
