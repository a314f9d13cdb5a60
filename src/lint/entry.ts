/**
 * The package's `dataplan/eslint` export (built into dist/eslint.js): runs the plugin's bundle
 * (dist/eslint-bundle.cjs, from ./index.ts) with a V8 code cache; see compile-cache.ts.
 */
import type { ESLint } from 'eslint';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, runBundle, type CacheState } from './compile-cache.js';

const bundle = fileURLToPath(new URL('./eslint-bundle.cjs', import.meta.url));
const state: CacheState = { status: 'off' };
const plugin = (runBundle(bundle, cacheDir(dirname(dirname(bundle))), state) as { default: ESLint.Plugin }).default;
if (process.env.DATAPLAN_COMPILE_CACHE_DEBUG) process.stderr.write(`dataplan: compile cache ${state.status}${state.file ? ` ${state.file}` : ''}\n`);

export default plugin;
