/** Where commands write: real streams in the CLI, buffers in tests. */
import type { Readable } from 'node:stream';
import { createSupportsColor } from 'supports-color';
import type { Write } from '../report/types.js';

export interface CliIO {
  /** Ignores what it is given once the reader has gone (`closed()` then says so). */
  stdout: Write;
  stderr: Write;
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

const writers = new WeakMap<NodeJS.WritableStream, Write>();

/**
 * A writer for stdout or stderr whose reader may leave early (`dataplan validate | head -1`): the
 * broken pipe (EPIPE) is not an error of the command, so it ends the output quietly and the command
 * still finishes with its own exit code. Later writes are dropped. Other stream errors still throw.
 */
export function pipeWriter(stream: NodeJS.WritableStream & { destroyed?: boolean }): Write {
  const known = writers.get(stream);
  if (known) return known;
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone = true;
  });
  // A failed write destroys the stream at once; its 'error' event only comes on the next tick.
  const closed = () => gone || stream.destroyed === true;
  const write: Write = Object.assign((s: string) => {
    if (!closed()) stream.write(s);
  }, { closed });
  writers.set(stream, write);
  return write;
}

export function processIO(): CliIO {
  return {
    stdout: pipeWriter(process.stdout),
    stderr: pipeWriter(process.stderr),
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
