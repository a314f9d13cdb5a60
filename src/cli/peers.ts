/**
 * Commands that need a peer dependency the package does not install for everyone (so that a
 * project using only the ESLint plugin stays small): say which, and how to add them, before starting.
 */
import { createRequire } from 'node:module';
import { UsageError } from './plan-option.js';

const require = createRequire(import.meta.url);

/** What `scan` parses with (typescript-eslint's parser reads TypeScript, and TypeScript reads tsconfig.json). */
export const SCAN_PEERS = ['typescript', '@typescript-eslint/typescript-estree', '@typescript-eslint/scope-manager', '@typescript-eslint/visitor-keys'];
export const CODEGEN_PEERS = ['ts-morph'];

function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

export function needPeers(command: string, names: readonly string[]): void {
  const missing = names.filter((n) => !installed(n));
  if (missing.length === 0) return;
  throw new UsageError(`dataplan ${command} needs ${missing.join(', ')}, not installed here; add ${missing.length === 1 ? 'it' : 'them'}: npm install --save-dev ${missing.join(' ')}`);
}
