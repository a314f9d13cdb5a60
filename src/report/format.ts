/** Small shared helpers for the output formats. */
import type { PlanProblem } from '../plan/types.js';
import type { InputError } from '../plan/index.js';
import pc from 'picocolors';

const { createColors } = pc;

export function problemLine(p: PlanProblem): string {
  return `${p.file}#${p.pointer}: ${p.severity}: ${p.message}${p.expected ? ` (expected ${p.expected})` : ''} [${p.code}]`;
}

export function inputErrorLine(e: InputError): string {
  return `${e.where}: error: ${e.message}`;
}

/** ANSI colours (picocolors); whether to colour at all is the caller's decision (src/cli/io.ts). */
export function palette(enabled: boolean) {
  return createColors(enabled);
}
