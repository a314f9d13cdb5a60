/**
 * The parser the recognizer reads project modules with (wrappers defined in other files):
 * typescript-eslint's, for JS, JSX, TS and TSX, when the project has it (every project that lints
 * TypeScript does); else ESLint's own espree and eslint-scope, for JS and JSX, resolved from the
 * ESLint that runs the plugin. Neither is loaded until a module has to be parsed.
 */
import { createRequire } from 'node:module';
import type { TSESTree } from '@typescript-eslint/types';
import type { VisitorKeys } from './ast.js';

export interface ParserTools {
  estree: { parse(code: string, options: { filePath: string; jsx: boolean }): TSESTree.Program };
  scope: { analyze(ast: TSESTree.Program, options: { sourceType: 'module'; childVisitorKeys: VisitorKeys }): unknown };
  keys: VisitorKeys;
  /** Which parser: typescript-eslint's reads TypeScript too. */
  kind: 'typescript-eslint' | 'espree';
}

const require = createRequire(import.meta.url);

function missing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' || (err as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND';
}

function typescriptEslint(): ParserTools {
  const estree = require('@typescript-eslint/typescript-estree') as { parse(code: string, o: Record<string, unknown>): TSESTree.Program };
  const scope = require('@typescript-eslint/scope-manager') as { analyze(ast: TSESTree.Program, o: Record<string, unknown>): unknown };
  const keys = (require('@typescript-eslint/visitor-keys') as { visitorKeys: VisitorKeys }).visitorKeys;
  return {
    kind: 'typescript-eslint', keys,
    estree: { parse: (code, o) => estree.parse(code, { filePath: o.filePath, jsx: o.jsx, range: true, loc: true, comment: false, tokens: false }) },
    scope: { analyze: (ast, o) => scope.analyze(ast, o) },
  };
}

function espree(): ParserTools {
  // ESLint's own dependencies, from wherever that ESLint is installed.
  const fromEslint = createRequire(require.resolve('eslint/package.json'));
  const parser = fromEslint('espree') as { parse(code: string, o: Record<string, unknown>): TSESTree.Program };
  const scope = fromEslint('eslint-scope') as { analyze(ast: unknown, o: Record<string, unknown>): unknown };
  const keys = (fromEslint('eslint-visitor-keys') as { KEYS: VisitorKeys }).KEYS;
  return {
    kind: 'espree', keys,
    estree: { parse: (code, o) => parser.parse(code, { ecmaVersion: 'latest', sourceType: 'module', ecmaFeatures: { jsx: o.jsx }, range: true, loc: true }) },
    scope: { analyze: (ast, o) => scope.analyze(ast, { ecmaVersion: 2022, sourceType: o.sourceType, childVisitorKeys: o.childVisitorKeys }) },
  };
}

export class ParserMissingError extends Error {
  override name = 'ParserMissingError';
}

/** typescript-eslint's parser if installed, else ESLint's; an error saying what to install if neither is. */
export function loadParserTools(prefer: 'typescript-eslint' | 'espree' = 'typescript-eslint'): ParserTools {
  const order = prefer === 'espree' ? [espree, typescriptEslint] : [typescriptEslint, espree];
  for (const load of order) {
    try {
      return load();
    } catch (err) {
      if (!missing(err)) throw err;
    }
  }
  throw new ParserMissingError('reading project modules needs typescript-eslint (npm install --save-dev typescript typescript-eslint) or ESLint');
}
