/** Small shared helpers for the output formats. */
import type { PlanProblem } from '../plan/types.js';
import type { InputError } from '../plan/index.js';

export function problemLine(p: PlanProblem): string {
  return `${p.file}#${p.pointer}: ${p.severity}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''} [${p.code}]`;
}

export function inputErrorLine(e: InputError): string {
  return `${e.where}: error: ${e.message}`;
}

/** ANSI colours, off when not a TTY or NO_COLOR is set. */
export function palette(enabled: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39), dim: wrap(2, 22), bold: wrap(1, 22),
  };
}

export function useColor(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
