/**
 * Project modules: resolve import specifiers to files (relative paths, tsconfig/jsconfig `paths`), parse them with
 * typescript-eslint's parser once per process (reparsed when the file changes), and tell cheaply whether a module can
 * hold an analytics wrapper at all.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { TSESTree } from '@typescript-eslint/types';
import { walk, type ScopeManagerLike, type VisitorKeys } from './ast.js';
import { sameStamp as same, stampOf as stamp, type Stamp } from './fresh.js';
import { parseJsonc } from './jsonc.js';
import { loadParserTools, type ParserTools } from './parsers.js';

export interface ParsedFile {
  file: string;
  text: string;
  ast: TSESTree.Program;
  scopeManager: ScopeManagerLike;
  visitorKeys: VisitorKeys;
}

const require = createRequire(import.meta.url);

const tools: Partial<Record<ParserTools['kind'], ParserTools>> = {};
const TS_EXT = new Set(['.ts', '.tsx', '.mts', '.cts']);
let jsParser: ParserTools['kind'] = 'typescript-eslint';

/**
 * Which parser reads JavaScript modules (TypeScript ones always get typescript-eslint's). The ESLint plugin
 * picks ESLint's own espree, already loaded, so following imports in a JavaScript project does not load
 * TypeScript (a large share of a small project's lint time).
 */
export function preferJsParser(kind: ParserTools['kind']): void {
  jsParser = kind;
}

/** The parser for a project module, loaded on first use (typescript-eslint's loads TypeScript). */
function parserTools(file: string): ParserTools {
  const kind = TS_EXT.has(extname(file)) ? 'typescript-eslint' : jsParser;
  return (tools[kind] ??= loadParserTools(kind));
}

const JSX_EXT = new Set(['.js', '.jsx', '.mjs', '.cjs', '.tsx']);

/**
 * Parse source text the way typescript-eslint's parser does without type information (any of JS, JSX, TS, TSX, chosen
 * by the file's extension) and analyse its scopes. Parents are set.
 */
export function parseText(text: string, file: string): ParsedFile {
  const t = parserTools(file);
  const ast = t.estree.parse(text, { filePath: file, jsx: JSX_EXT.has(extname(file)) });
  const scopeManager = t.scope.analyze(ast, { sourceType: 'module', childVisitorKeys: t.keys }) as ScopeManagerLike;
  walk(ast, t.keys, () => {});
  return { file, text, ast, scopeManager, visitorKeys: t.keys };
}

const parsed = new Map<string, { stamp: Stamp; result: ParsedFile | undefined }>();
/** Parsed files kept at once: a syntax tree is large, and a whole-project scan touches every file. */
let parsedMax = 1024;

/** Bound the parse cache: an editor session wants it large, a one-pass scan of a whole project small. */
export function setParseCacheLimit(files: number): void {
  parsedMax = Math.max(8, files);
  while (parsed.size > parsedMax) parsed.delete(parsed.keys().next().value!);
}

/**
 * Parse a file from disk, cached per process until its mtime or size changes (least recently used
 * files are dropped past PARSED_MAX); undefined when it cannot be read or parsed.
 */
export function parseFileCached(file: string): ParsedFile | undefined {
  const st = stamp(file);
  if (!st) {
    parsed.delete(file);
    return undefined;
  }
  const hit = parsed.get(file);
  if (hit && same(hit.stamp, st)) {
    parsed.delete(file);
    parsed.set(file, hit);
    return hit.result;
  }
  let result: ParsedFile | undefined;
  try {
    result = parseText(readFileSync(file, 'utf8'), file);
  } catch {
    result = undefined;
  }
  parsed.delete(file);
  parsed.set(file, { stamp: st, result });
  if (parsed.size > parsedMax) parsed.delete(parsed.keys().next().value!);
  return result;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const TTL_MS = 2000;

const resolved = new Map<string, { file: string | undefined; at: number }>();

function isFile(f: string): boolean {
  return statSync(f, { throwIfNoEntry: false })?.isFile() ?? false;
}

function probe(base: string): string | undefined {
  const ext = extname(base);
  if (ext && isFile(base) && !base.endsWith('.d.ts')) return base;
  for (const alt of JS_TO_TS[ext] ?? []) {
    const f = base.slice(0, -ext.length) + alt;
    if (isFile(f)) return f;
  }
  for (const e of EXTENSIONS) if (isFile(base + e)) return base + e;
  for (const e of EXTENSIONS) if (isFile(join(base, 'index' + e))) return join(base, 'index' + e);
  // Declarations only (`export declare const X: 'A'`): their literal types are still values to check.
  if (isFile(base + '.d.ts')) return base + '.d.ts';
  return undefined;
}

/** The file an import specifier names, for project modules (relative, absolute or tsconfig `paths`); undefined for packages. */
export function resolveModule(from: string, spec: string): string | undefined {
  const key = `${dirname(from)}\0${spec}`;
  const now = Date.now();
  const hit = resolved.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.file;
  let file: string | undefined;
  if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') file = probe(resolve(dirname(from), spec));
  else if (isAbsolute(spec)) file = probe(spec);
  else {
    const paths = pathsFor(dirname(from));
    if (paths) file = viaPaths(paths, spec);
  }
  resolved.set(key, { file, at: now });
  return file;
}

interface PathsConfig {
  base: string;
  paths: Record<string, string[]>;
}

const configs = new Map<string, { cfg: PathsConfig | undefined; at: number }>();

/** `compilerOptions.paths` of the nearest tsconfig.json / jsconfig.json (following relative `extends`). */
function pathsFor(dir: string): PathsConfig | undefined {
  const now = Date.now();
  const hit = configs.get(dir);
  if (hit && now - hit.at < TTL_MS) return hit.cfg;
  let cfg: PathsConfig | undefined;
  for (const name of ['tsconfig.json', 'jsconfig.json']) {
    const f = join(dir, name);
    if (isFile(f)) {
      cfg = readPaths(f, 0);
      configs.set(dir, { cfg, at: now });
      return cfg;
    }
  }
  const up = dirname(dir);
  cfg = up === dir || dir.endsWith('node_modules') ? undefined : pathsFor(up);
  configs.set(dir, { cfg, at: now });
  return cfg;
}

interface TsModule {
  parseConfigFileTextToJson(file: string, text: string): { config?: Record<string, unknown> };
}

function readPaths(file: string, depth: number): PathsConfig | undefined {
  let json: Record<string, unknown> | undefined;
  try {
    const text = readFileSync(file, 'utf8');
    try {
      json = parseJsonc(text) as Record<string, unknown>;
    } catch {
      // What the simple reading cannot take, TypeScript's own (more forgiving) parser may.
      const ts = require('typescript') as TsModule;
      json = ts.parseConfigFileTextToJson(file, text).config;
    }
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  if (!json) return undefined;
  const co = (json.compilerOptions ?? {}) as { baseUrl?: string; paths?: Record<string, string[]> };
  if (co.paths) return { base: resolve(dirname(file), co.baseUrl ?? '.'), paths: co.paths };
  if (co.baseUrl) return { base: resolve(dirname(file), co.baseUrl), paths: { '*': ['*'] } };
  const ext = json.extends;
  if (typeof ext === 'string' && (ext.startsWith('./') || ext.startsWith('../')) && depth < 5) {
    const parent = resolve(dirname(file), ext.endsWith('.json') ? ext : ext + '.json');
    if (isFile(parent)) return readPaths(parent, depth + 1);
  }
  return undefined;
}

function viaPaths(cfg: PathsConfig, spec: string): string | undefined {
  for (const [pattern, targets] of Object.entries(cfg.paths)) {
    const star = pattern.indexOf('*');
    let rest: string | undefined;
    if (star < 0) rest = pattern === spec ? '' : undefined;
    else {
      const pre = pattern.slice(0, star);
      const post = pattern.slice(star + 1);
      if (spec.startsWith(pre) && spec.endsWith(post) && spec.length >= pre.length + post.length) rest = spec.slice(pre.length, spec.length - post.length);
    }
    if (rest === undefined) continue;
    for (const t of targets) {
      const f = probe(resolve(cfg.base, t.replace('*', rest)));
      if (f) return f;
    }
  }
  return undefined;
}

const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"\n]+)['"]/g;

const wrapTexts = new Map<string, { stamp: Stamp; checked: number; sdk: boolean; text: string; deps: string[] }>();
/** A module's text is re-checked at most this often (an editor sees changes within a second). */
const RECHECK_MS = 1000;

function dependencies(text: string): string[] {
  const deps: string[] = [];
  for (const m of text.matchAll(SPECIFIERS)) deps.push(m[1]);
  return deps;
}

function readWrapText(file: string, st: Stamp, now: number): { stamp: Stamp; checked: number; sdk: boolean; text: string; deps: string[] } {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // unreadable: treated as empty
  }
  const sdk = /mparticle/i.test(text);
  return { stamp: st, checked: now, sdk, text: sdk ? '' : text, deps: sdk ? [] : dependencies(text) };
}

/**
 * Whether a module can define an analytics wrapper: it mentions the SDK (or a declared wrapper's name), or imports a
 * module that can. Text-only, so most modules are never parsed a second time.
 */
export function mayWrap(file: string, names: readonly string[], seen = new Set<string>()): boolean {
  if (seen.has(file) || seen.size > 50) return false;
  seen.add(file);
  const now = Date.now();
  let hit = wrapTexts.get(file);
  if (!hit || now - hit.checked > RECHECK_MS) {
    const st = stamp(file);
    if (!st) {
      wrapTexts.delete(file);
      return false;
    }
    if (hit && same(hit.stamp, st)) hit.checked = now;
    else {
      hit = readWrapText(file, st, now);
      wrapTexts.set(file, hit);
    }
  }
  if (hit.sdk) return true;
  const text = hit.text;
  if (names.some((n) => text.includes(n))) return true;
  return hit.deps.some((spec) => {
    const f = resolveModule(file, spec);
    return !!f && mayWrap(f, names, seen);
  });
}

/**
 * Whether source text can contain an analytics call at all: it mentions the SDK or a declared wrapper, or imports a
 * project module that can define a wrapper. Lets the recognizer skip most files without walking them.
 */
export function mayCall(text: string, file: string | undefined, names: readonly string[], followImports: boolean): boolean {
  if (/mparticle/i.test(text) || names.some((n) => text.includes(n))) return true;
  if (!file || !followImports) return false;
  const seen = new Set<string>([file]);
  return dependencies(text).some((spec) => {
    const f = resolveModule(file, spec);
    return !!f && mayWrap(f, names, seen);
  });
}
