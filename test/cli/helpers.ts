import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIX = join(ROOT, 'test', 'fixtures');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in-process with captured output. */
export async function cli(args: string[], opts: { stdin?: string; cwd?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: Readable.from(opts.stdin !== undefined ? [opts.stdin] : []),
    cwd: opts.cwd ?? ROOT,
    color: false,
  });
  return { code, stdout, stderr };
}

/** Run the real executable (bin/dataplan.js, built dist/) in a child process. */
export function bin(args: string[], opts: { stdin?: string; cwd?: string } = {}): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'dataplan.js'), ...args], { cwd: opts.cwd ?? ROOT, input: opts.stdin, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
