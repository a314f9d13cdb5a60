import { Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the real CLI in-process with captured output. */
export async function runCli(argv: string[], opts: { cwd?: string; stdin?: string; color?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    stdin: Readable.from([opts.stdin ?? '']),
    cwd: opts.cwd ?? process.cwd(),
    color: opts.color ?? false,
  });
  return { code, stdout, stderr };
}
