/** Where commands write: real streams in the CLI, buffers in tests. */
import type { Readable } from 'node:stream';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: Readable;
  cwd: string;
  /** Whether stdout is a terminal (colours, progress). */
  isTTY: boolean;
  /** Whether a person sits at a terminal (stdin and stdout are TTYs), for full-screen UIs; unset in tests. */
  interactive?: boolean;
}

export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    interactive: Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env.TERM !== 'dumb',
  };
}
