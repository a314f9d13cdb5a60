/**
 * Which files make up the project: what its tsconfig.json (or jsconfig.json) includes, with `extends`,
 * `files`/`include`/`exclude`, `allowJs` and project references honoured, as TypeScript itself reads it
 * (the project's own `typescript`, a peer dependency). Without a config: every JS/TS/JSX/TSX file under the directory.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type * as TS from 'typescript';
import { InputError } from '../plan/index.js';

let loaded: typeof TS | undefined;
/** TypeScript, loaded when a project is read (it is large, and only scan needs it here). */
function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loaded;
}

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Never scanned without a config: dependencies, build output, VCS. */
export const DEFAULT_EXCLUDES = ['**/node_modules', '**/dist', '**/build', '**/out', '**/coverage', '**/.git', '**/.next', '**/.nuxt', '**/.svelte-kit'];

export interface ProjectFiles {
  root: string;
  /** The configs read (the root one first, then referenced projects); empty without a config. */
  configs: string[];
  files: string[];
  /** Problems in the configs that did not stop the scan. */
  warnings: string[];
}

export class ProjectError extends InputError {
  override name = 'ProjectError';
}

/** `dir` with its tsconfig.json / jsconfig.json, or an explicit config file (`--project`). */
export function loadProjectFiles(dir: string, projectFile?: string): ProjectFiles {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new ProjectError('not a directory (expected the project to scan)', root);
  const config = projectFile ? resolve(projectFile) : ['tsconfig.json', 'jsconfig.json'].map((n) => join(root, n)).find((f) => existsSync(f));
  const ts = typescript();
  if (!config) {
    const files = ts.sys.readDirectory(root, SOURCE_EXTENSIONS, DEFAULT_EXCLUDES, ['**/*']).filter((f) => !isDeclaration(f));
    return { root, configs: [], files: files.sort(), warnings: [] };
  }
  if (!existsSync(config)) throw new ProjectError('project file not found', config);
  const out: ProjectFiles = { root, configs: [], files: [], warnings: [] };
  const seen = new Set<string>();
  readConfig(config, out, seen);
  out.files = [...new Set(out.files)].sort();
  return out;
}

function isDeclaration(f: string): boolean {
  return /\.d\.[mc]?ts$/.test(f);
}

function readConfig(config: string, out: ProjectFiles, seen: Set<string>): void {
  if (seen.has(config)) return;
  seen.add(config);
  const isJsConfig = config.endsWith('jsconfig.json');
  const ts = typescript();
  const read = ts.readConfigFile(config, ts.sys.readFile);
  if (read.error) throw new ProjectError(`cannot read the project config: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`, config);
  // jsconfig.json means allowJs, as in editors.
  const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(config), isJsConfig ? { allowJs: true } : undefined, config);
  const fatal = parsed.errors.find((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (fatal) throw new ProjectError(`cannot read the project config: ${ts.flattenDiagnosticMessageText(fatal.messageText, ' ')}`, config);
  out.configs.push(config);
  for (const d of parsed.errors) {
    if (d.code === 18003) out.warnings.push(`${config}: no input files (include/files match nothing)`);
  }
  out.files.push(...parsed.fileNames.filter((f) => !isDeclaration(f)).map((f) => resolve(f)));
  for (const ref of parsed.projectReferences ?? []) {
    const p = ts.resolveProjectReferencePath(ref);
    if (existsSync(p)) readConfig(resolve(p), out, seen);
    else out.warnings.push(`${config}: referenced project ${p} not found`);
  }
}
