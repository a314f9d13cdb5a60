/**
 * The ESLint entry runs the plugin's bundle (one CommonJS file) through V8 with a code cache, the way
 * Node 22's `module.enableCompileCache()` does for modules (Node 20 has no such thing). ESLint loads
 * the plugin in every process; compiling the bundle and the functions a lint run calls cost a 3-file
 * project about 15–25 ms of the plugin's ~40 (bench/lint-overhead.mjs). The cache holds V8 bytecode
 * only, never results, and is keyed by the bundle's bytes (CRC-32 and length), Node's version and the
 * architecture, and each file carries a checksum of its data; V8 rejects data made under other flags.
 * Refused or damaged data is rewritten.
 *
 * Where: `node_modules/.cache/dataplan/` of the project that installed the package (as babel-loader
 * and others do), or the directory named by DATAPLAN_COMPILE_CACHE; `DATAPLAN_COMPILE_CACHE=0`
 * turns it off. Nothing about the cache can fail a lint run: any error there means no cache.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { crc32 } from 'node:zlib';

/** What happened to the cache in this process (tests and `DATAPLAN_COMPILE_CACHE_DEBUG` read it). */
export interface CacheState {
  file?: string;
  /** 'off': no cache; 'hit': V8 took it; 'miss': none there yet; 'rejected': damaged (its checksum failed) or refused by V8 (other flags). */
  status: 'off' | 'hit' | 'miss' | 'rejected';
}

/** The cache directory for the package at `pkgDir`, or undefined when turned off. */
export function cacheDir(pkgDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.DATAPLAN_COMPILE_CACHE;
  if (set === '0' || set === 'off' || set === 'false') return undefined;
  if (set) return set;
  const parent = dirname(pkgDir);
  // Installed: <project>/node_modules/dataplan → <project>/node_modules/.cache/dataplan; a checkout keeps its own.
  return basename(parent) === 'node_modules' ? join(parent, '.cache', 'dataplan') : join(pkgDir, 'node_modules', '.cache', 'dataplan');
}

/** The cache file's name for these bundle bytes under this Node. */
export function cacheName(name: string, bytes: Uint8Array): string {
  // prune() reads names back by this pattern.
  return `${name}-${crc32(bytes).toString(16)}-${bytes.length}-${process.version}-${process.arch}.v8`;
}

/** A bundle run: its exports, and `save`, which writes the cache (once; nothing after a hit or with no cache). */
export interface BundleRun {
  exports: unknown;
  save: () => void;
}

/**
 * Run the CommonJS file `file` (its `import.meta.url` compiled to the `__bundleUrl` parameter) with
 * the code cache in `dir` when given. The cache holds what was compiled by the time `save` is called.
 */
export function runBundle(file: string, dir: string | undefined, state: CacheState = { status: 'off' }): BundleRun {
  const bytes = readFileSync(file);
  let cached: Buffer | undefined;
  let damaged = false;
  if (dir) {
    state.file = join(dir, cacheName(basename(file), bytes));
    try {
      cached = unseal(readFileSync(state.file));
      damaged = !cached;
    } catch {
      /* not there yet */
    }
  }
  // The wrapper stays on the first line, so line numbers in stack traces are the file's own.
  const source = `(function (exports, require, module, __filename, __dirname, __bundleUrl) {${bytes.toString('utf8')}\n})`;
  const script = new Script(source, { filename: file, cachedData: cached });
  if (dir) state.status = damaged ? 'rejected' : !cached ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit';
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, dirname(file), pathToFileURL(file).href);
  let saved = !dir || state.status === 'hit';
  const save = () => {
    if (saved) return;
    saved = true;
    keep(script, dir!, basename(file), state.file!);
  };
  return { exports: module.exports, save };
}

function keep(script: Script, dir: string, name: string, file: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    // ESLint's --concurrency runs the plugin in worker threads of one process: each writes its own file.
    const tmp = `${file}.${process.pid}-${threadId}.tmp`;
    writeFileSync(tmp, seal(script.createCachedData()));
    // Whole or not at all: another process may be reading or writing the same name.
    renameSync(tmp, file);
    prune(dir, name, basename(file));
  } catch {
    /* read-only install or full disk: run without a cache */
  }
}

/**
 * V8 checks cached data's header (its version, flags and the source's length) but, in release builds, not the
 * bytes after it, and damaged bytecode can crash the process: each file starts with the CRC-32 of its data.
 */
function seal(data: Buffer): Buffer {
  const out = Buffer.allocUnsafe(4 + data.length);
  out.writeUInt32LE(crc32(data), 0);
  data.copy(out, 4);
  return out;
}

/** The data of a sealed file, or undefined when it does not match its checksum. */
function unseal(file: Buffer): Buffer | undefined {
  if (file.length <= 4) return undefined;
  const data = file.subarray(4);
  return crc32(data) === file.readUInt32LE(0) ? data : undefined;
}

/** Remove caches of other builds of the bundle `name` under this Node (each upgrade would leave one behind). */
function prune(dir: string, name: string, kept: string): void {
  const tail = `-${process.version}-${process.arch}.v8`;
  for (const f of readdirSync(dir)) {
    if (f !== kept && f.startsWith(`${name}-`) && f.endsWith(tail)) rmSync(join(dir, f), { force: true });
  }
}
