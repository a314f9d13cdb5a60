/** Machine formats for commands whose whole input was unusable: the error becomes the one finding, exit 2. */
import { InputError } from '../plan/index.js';
import { githubCommand, inputErrorFinding, sarifText as sarifLogText, type CiFinding, type CiRule } from '../report/ci.js';
import type { CliIO } from './io.js';
import { fail } from './plan-option.js';

export type CiFormat = 'sarif' | 'github';

export function isCiFormat(format: string | undefined): format is CiFormat {
  return format === 'sarif' || format === 'github';
}

/** A command's findings as SARIF, paths relative to the command's working directory. */
export function sarifText(findings: CiFinding[], rules: CiRule[], io: CliIO, exitCode: number): string {
  return sarifLogText(findings, rules, io.cwd, exitCode);
}

/**
 * `fail` for commands that print a CI format: an unusable input is also printed in that format (so
 * the pull request shows it, not just the log); usage errors stay on stderr.
 */
export function failIn(format: string | undefined, err: unknown, io: CliIO): number {
  if (err instanceof InputError && isCiFormat(format)) {
    const f = inputErrorFinding(err);
    io.stdout(format === 'github' ? githubCommand(f, io.cwd) : sarifText([f], [], io, 2));
  }
  return fail(err, io.stderr);
}
