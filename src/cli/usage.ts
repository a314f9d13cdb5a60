/**
 * What the command table itself needs (main.ts, flags.ts): kept free of the plan and validation
 * code so `dataplan -h` and a usage error load neither.
 */

/** How a lone `-` (stdin) reaches command handlers. */
export const STDIN_ARG = '<stdin>';

export class UsageError extends Error {
  override name = 'UsageError';
}
