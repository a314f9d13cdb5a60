/** Machine formats for commands whose whole input was unusable: the error becomes the one finding, exit 2. */
import { InputError } from '../plan/index.js';
import { githubCommand, inputErrorFinding, sarifLog } from '../report/ci.js';
import { PACKAGE_VERSION, REPOSITORY_URL } from '../meta.js';
import type { CliIO } from './io.js';
import { fail } from './plan-option.js';

export type CiFormat = 'sarif' | 'github';

export function isCiFormat(format: string | undefined): format is CiFormat {
  return format === 'sarif' || format === 'github';
}

/** SARIF for code scanning, or workflow commands for annotations, from any command's findings. */
export function sarifText(findings: Parameters<typeof sarifLog>[0]['findings'], rules: Parameters<typeof sarifLog>[0]['tool']['rules'], io: CliIO, exitCode: number): string {
  return JSON.stringify(sarifLog({ tool: { name: 'dataplan', version: PACKAGE_VERSION, informationUri: REPOSITORY_URL, rules }, findings, cwd: io.cwd, exitCode }), null, 2) + '\n';
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
