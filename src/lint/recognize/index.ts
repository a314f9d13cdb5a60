/**
 * The call recognizer: finds the mParticle calls in one parsed file and says what each would send.
 *
 * ```ts
 * import { recognize, recognizeFile, parseFile } from '../lint/recognize/index.js';
 * // In an ESLint rule: recognize(context.sourceCode, { file: context.filename, wrappers })
 * // Anywhere else:     recognizeFile('/abs/src/app.tsx')  (= recognize(parseFile(path), { file: path }))
 * for (const call of calls) {
 *   call.kind;      // 'custom_event' | 'screen_view' | 'product_action' | … | 'user_attributes' | 'user_identities'
 *   call.payload;   // the batch event { event_type, data } (or attribute map) the SDK would send; Unknown where unresolved
 *   call.key;       // core MatchKey when name/type/action are known, else undefined
 *   call.unknowns;  // what could not be resolved and why, by JSON pointer into payload
 *   call.sites;     // where each part is in the file, by the same pointers
 *   call.via;       // wrappers the call went through (its node is then the wrapper's call site)
 *   call.wrapper;   // set on a call inside a wrapper's body: its parameters are Unknown, its call sites are separate calls
 * }
 * ```
 *
 * Input: an ESTree Program with its scope manager (ESLint's `SourceCode`, from espree or typescript-eslint), or what
 * `parseFile` returns. Constants and wrappers imported from project modules are followed (relative imports and
 * tsconfig/jsconfig `paths`), parsed from disk once per process and reparsed when they change.
 */
import { readFileSync } from 'node:fs';
import type { TSESTree } from '@typescript-eslint/types';
import type { ScopeManagerLike, VisitorKeys } from './ast.js';
import { mayCall, parseFileCached, parseText, type ParsedFile } from './modules.js';
import { recognizeIn, worldFor } from './recognize.js';
import type { Node, RecognizeOptions, RecognizedCall, SourceLike } from './types.js';
import { fileCtx } from './values.js';

export * from './types.js';
export { CUSTOM_EVENT_TYPE_BY_NUMBER, EVENT_TYPE, PRODUCT_ACTION_BY_NUMBER, PRODUCT_ACTION_TYPE, PROMOTION_TYPE, pascal } from './sdk.js';
export type { ParsedFile } from './modules.js';
export { mayWrap, preferJsParser, setParseCacheLimit } from './modules.js';

/** Every analytics call in a parsed file, in source order. */
export function recognize(source: SourceLike, opts: RecognizeOptions = {}): RecognizedCall[] {
  const world = worldFor(opts);
  const file = opts.file ?? (source as { file?: string }).file;
  const ctx = fileCtx(world, source.ast as TSESTree.Program, source.scopeManager as ScopeManagerLike, source.text, file && isAbsolutePath(file) ? file : undefined, source.visitorKeys as VisitorKeys | undefined);
  const typeOf = typeHook(source);
  if (typeOf) ctx.typeOf = typeOf;
  return recognizeIn(ctx);
}

interface TsType {
  flags: number;
  value?: unknown;
  intrinsicName?: string;
  isUnion(): boolean;
  types?: TsType[];
  isStringLiteral(): boolean;
  isNumberLiteral(): boolean;
}
interface ParserServices {
  program?: { getTypeChecker(): { getTypeAtLocation(n: unknown): TsType } } | null;
  esTreeNodeToTSNodeMap?: { get(n: unknown): unknown };
}

/**
 * With typed linting (typescript-eslint's parserServices carry a program): the literal type(s) of an expression, so a
 * value the syntax cannot follow (a `declare const` in a .d.ts, a function's return type, a typed property) is checked
 * as what TypeScript says it can be. `boolean` (true | false) tells nothing and is left alone.
 */
function typeHook(source: SourceLike): ((n: Node) => Array<string | number | boolean> | undefined) | undefined {
  const ps = (source as { parserServices?: ParserServices }).parserServices;
  if (!ps?.program || !ps.esTreeNodeToTSNodeMap) return undefined;
  const checker = ps.program.getTypeChecker();
  const map = ps.esTreeNodeToTSNodeMap;
  return (n) => {
    const tsNode = map.get(n);
    if (!tsNode) return undefined;
    let t: TsType;
    try {
      t = checker.getTypeAtLocation(tsNode);
    } catch {
      return undefined;
    }
    const parts = t.isUnion() ? (t.types ?? []) : [t];
    const out: Array<string | number | boolean> = [];
    for (const x of parts) {
      if (x.isStringLiteral() || x.isNumberLiteral()) out.push(x.value as string | number);
      else if (x.intrinsicName === 'true' || x.intrinsicName === 'false') out.push(x.intrinsicName === 'true');
      else return undefined;
    }
    if (out.includes(true) && out.includes(false)) return undefined;
    return out.length ? out : undefined;
  };
}

/**
 * Parse a file from disk with typescript-eslint's parser (JS, JSX, TS, TSX; no type information) into what `recognize`
 * takes. Cached per process until the file changes. Throws when the file cannot be read or parsed.
 */
export function parseFile(file: string): ParsedFile {
  const pf = parseFileCached(file);
  // Uncached re-run surfaces the parser's own error message.
  return pf ?? parseText(readFileSync(file, 'utf8'), file);
}

/** Parse source text (named `file`, whose extension picks JS/TS/JSX) into what `recognize` takes. */
export function parseSource(text: string, file: string): ParsedFile {
  return parseText(text, file);
}

/**
 * Whether a file can contain an analytics call at all, from its text alone: it mentions the SDK or a declared wrapper,
 * or imports a project module that can define a wrapper. `recognize` returns [] when this is false.
 */
export function mayContainCalls(text: string, opts: RecognizeOptions = {}): boolean {
  const world = worldFor(opts);
  return mayCall(text, opts.file && isAbsolutePath(opts.file) ? opts.file : undefined, world.wrapperNames, world.followImports);
}

/** `recognize(parseFile(file), { ...opts, file })`. */
export function recognizeFile(file: string, opts: Omit<RecognizeOptions, 'file'> = {}): RecognizedCall[] {
  return recognize(parseFile(file), { ...opts, file });
}

function isAbsolutePath(f: string): boolean {
  return f.startsWith('/') || /^[A-Za-z]:[\\/]/.test(f);
}
