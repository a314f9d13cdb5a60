/** Where commands write: real streams in the CLI, buffers in tests. */
import type { Readable } from 'node:stream';
import { createSupportsColor } from 'supports-color';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: Readable;
  cwd: string;
  /** Colour on stdout (see `streamColor`; `--color`/`--no-color` override it). */
  color: boolean;
  /** Whether stderr is a terminal: progress bars go there, whatever stdout is. */
  stderrIsTTY?: boolean;
  /** Whether a person sits at a terminal (stdin and stdout are TTYs), for full-screen UIs; unset in tests. */
  interactive?: boolean;
}

/**
 * Whether to colour what goes to `stream`: FORCE_COLOR decides when set (0 or false: never; else
 * always, through pipes too), then NO_COLOR (any value: never), then supports-color's checks of the
 * stream (a TTY, TERM not dumb, known CI). FORCE_COLOR winning over NO_COLOR is Node's own rule.
 */
export function streamColor(stream: { isTTY?: boolean }): boolean {
  if (process.env.FORCE_COLOR === undefined && process.env.NO_COLOR) return false;
  return createSupportsColor(stream as NodeJS.WriteStream, { sniffFlags: false }) !== false;
}

export function processIO(): CliIO {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stdin: process.stdin,
    cwd: process.cwd(),
    color: streamColor(process.stdout),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    interactive: Boolean(process.stdout.isTTY && process.stdin.isTTY) && process.env.TERM !== 'dumb',
  };
}

/** The IO a command gets: `--color` / `--no-color` over what the environment says. */
export function withColorFlag(io: CliIO, flag: unknown): CliIO {
  return typeof flag === 'boolean' ? { ...io, color: flag } : io;
}
