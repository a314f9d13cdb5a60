/**
 * When a file's last stat (mtime, size) may stand in for a new one. ESLint lints a whole project in one process and an
 * editor keeps one process for hours, so caches of plans and modules must notice edits, but a stat for every linted
 * file (the plan, each imported module) was a visible share of a large run. A stat is trusted within one lint run for
 * CHECK_MS; a new run (a config object never seen before) takes every stat again.
 */
import { statSync } from 'node:fs';

export const CHECK_MS = 250;

export interface Stamp {
  mtimeMs: number;
  size: number;
}

let run = 0;
const runs = new WeakSet<object>();

/**
 * Say which lint run the current file belongs to: ESLint's settings object for the file's config, the same object for
 * every file of one run (one per distinct config), a new one for a new run.
 */
export function noteRun(token: object): void {
  if (runs.has(token)) return;
  runs.add(token);
  run++;
}

/** A time mark: trusted while the run is the same and CHECK_MS have not passed. */
export interface Mark {
  run: number;
  at: number;
}

export function mark(now = Date.now()): Mark {
  return { run, at: now };
}

export function fresh(m: Mark | undefined, now = Date.now()): boolean {
  return !!m && m.run === run && now - m.at < CHECK_MS && now >= m.at;
}

const stats = new Map<string, { stamp: Stamp | undefined; mark: Mark }>();
const MAX_STATS = 20000;

/** The file's stamp (undefined when it is not a file), from a stat taken at most CHECK_MS ago in this run. */
export function stampOf(file: string): Stamp | undefined {
  const now = Date.now();
  const hit = stats.get(file);
  if (hit && fresh(hit.mark, now)) return hit.stamp;
  const s = statSync(file, { throwIfNoEntry: false });
  const stamp = s?.isFile() ? { mtimeMs: s.mtimeMs, size: s.size } : undefined;
  if (stats.size >= MAX_STATS) stats.clear();
  stats.set(file, { stamp, mark: { run, at: now } });
  return stamp;
}

export function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}
