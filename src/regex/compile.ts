/**
 * Plan patterns, compiled once and run in linear time. A pattern RE2 can express runs on re2js
 * (pure JavaScript, no native code); only one it cannot (backreferences, lookarounds, counted
 * repeats over 1,000) runs on V8's backtracking engine, and only if the backtracking analysis
 * clears it: `analysePattern` tells the plan loader which patterns to refuse. docs/patterns.md.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';
import { findCatastrophicBacktracking, type BacktrackingReport } from './backtracking.js';
import { toRe2Syntax } from './linear.js';
import { parseRegexExact } from './parse.js';

export interface PatternMatcher {
  readonly source: string;
  /** `linear`: re2js; `backtracking`: V8, for what RE2 cannot express. */
  readonly engine: 'linear' | 'backtracking';
  test(value: string): boolean;
  /** ajv keys its pattern cache on this. */
  toString(): string;
}

export interface PatternAnalysis {
  /** Why V8 rejects the pattern in unicode mode; the other fields are then unset. */
  error?: string;
  /** The exponential-backtracking hazard, whichever engine runs the pattern. */
  hazard?: BacktrackingReport;
  /** The RE2 translation, when RE2 can express the pattern. */
  linear?: string;
}

let re2: typeof RE2JSClass | undefined;
/** Loaded on first use: a run whose plan has no pattern does not pay for it. */
function RE2(): typeof RE2JSClass {
  return (re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS);
}

type Re2 = ReturnType<typeof RE2JSClass.compile>;
const analyses = new Map<string, PatternAnalysis & { re2?: Re2 }>();

export function analysePattern(source: string): PatternAnalysis {
  let a = analyses.get(source);
  if (a) return a;
  a = {} as PatternAnalysis & { re2?: Re2 };
  try {
    new RegExp(source, 'u');
  } catch (e) {
    a.error = (e as Error).message.replace(/^Invalid regular expression: (?:\/[\s\S]*\/[a-z]*: )?/, '');
  }
  if (!a.error) {
    a.hazard = findCatastrophicBacktracking(source);
    const parsed = parseRegexExact(source);
    const syntax = parsed.exact ? toRe2Syntax(parsed.root) : undefined;
    if (syntax !== undefined) {
      try {
        // Not enumerable: callers see plain data.
        Object.defineProperty(a, 're2', { value: RE2().compile(syntax) });
        a.linear = syntax;
      } catch {
        // Too large for RE2's program limits: left to V8 (when it is safe there).
      }
    }
  }
  if (analyses.size > 10_000) analyses.clear();
  analyses.set(source, a);
  return a;
}

/** True when `source` can run here without risk of exponential time. */
export function isRunnable(source: string): boolean {
  const a = analysePattern(source);
  return !a.error && (a.linear !== undefined || !a.hazard);
}

const matchers = new Map<string, PatternMatcher>();

/**
 * The matcher for a pattern, with JavaScript (unicode mode) semantics. Throws a SyntaxError for an
 * invalid pattern, and for one that only V8 can run and that can take exponential time there.
 */
export function compilePattern(source: string): PatternMatcher {
  let m = matchers.get(source);
  if (m) return m;
  const a = analysePattern(source) as PatternAnalysis & { re2?: Re2 };
  if (a.error) throw new SyntaxError(`Invalid regular expression: /${source}/u: ${a.error}`);
  const shown = `/${source}/u`;
  if (a.re2 !== undefined) {
    const re = a.re2;
    m = { source, engine: 'linear', test: (v) => re.test(v), toString: () => shown };
  } else if (a.hazard) {
    throw new SyntaxError(`pattern /${source}/ can take exponential time (${a.hazard.fragment}) and has no linear-time form; it is not run`);
  } else {
    const re = new RegExp(source, 'u');
    m = { source, engine: 'backtracking', test: (v) => re.test(v), toString: () => shown };
  }
  if (matchers.size > 10_000) matchers.clear();
  matchers.set(source, m);
  return m;
}

/** For ajv's `code.regExp` option: every `pattern` and `patternProperties` key goes through `compilePattern`. */
export const ajvRegExp = Object.assign((source: string) => compilePattern(source), { code: 'dataplanPattern' });
