/**
 * Plan patterns, compiled once and run in linear time. A pattern RE2 can express runs on re2js
 * (pure JavaScript, no native code); only one it cannot (backreferences, lookarounds, counted
 * repeats over 1,000) runs on V8's backtracking engine, and only if the backtracking analysis
 * clears it: `analysePattern` tells the plan loader which patterns to refuse. docs/patterns.md.
 */
import { createRequire } from 'node:module';
import type { RE2JS as RE2JSClass } from 're2js';
import { findCatastrophicBacktracking, type BacktrackingReport } from './backtracking.js';
import { toRe2Program } from './linear.js';
import { linearOnV8 } from './native.js';
import { parseRegexExact } from './parse.js';

export type Engine = 'native' | 'linear' | 'backtracking';

export interface PatternMatcher {
  readonly source: string;
  /**
   * `native`: V8, on a pattern it runs in linear time (native.ts); `linear`: re2js;
   * `backtracking`: V8, for what RE2 cannot express.
   */
  readonly engine: Engine;
  test(value: string): boolean;
  /** ajv keys its pattern cache on this. */
  toString(): string;
}

export interface PatternAnalysis {
  /** Why V8 rejects the pattern in unicode mode; the other fields are then unset. */
  error?: string;
  /** The exponential-backtracking hazard, whichever engine runs the pattern. */
  hazard?: BacktrackingReport;
  /** The RE2 translation, when RE2 can express the pattern; `full`: it must match the whole value. */
  linear?: string;
  full?: boolean;
  /** V8 runs it in linear time: no re2js needed. */
  native?: boolean;
}

let re2: typeof RE2JSClass | undefined;
/** Loaded on first use: a run that never tests a value against a pattern does not pay for it. */
function RE2(): typeof RE2JSClass {
  return (re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JSClass }).RE2JS);
}

type Re2 = ReturnType<typeof RE2JSClass.compile>;

/** The RE2 program, or undefined when it exceeds RE2's limits (program size). */
function re2Compile(syntax: string): Re2 | undefined {
  try {
    return RE2().compile(syntax);
  } catch {
    return undefined;
  }
}

const analyses = new Map<string, PatternAnalysis>();

/**
 * Is the pattern valid, can it backtrack catastrophically, what is its RE2 form. A hazardous
 * pattern's RE2 form is compiled here to be sure it exists (it decides whether the pattern runs
 * at all); a safe one's is compiled on its first test.
 */
export function analysePattern(source: string): PatternAnalysis {
  let a = analyses.get(source);
  if (a) return a;
  a = {};
  try {
    new RegExp(source, 'u');
  } catch (e) {
    a.error = (e as Error).message.replace(/^Invalid regular expression: (?:\/[\s\S]*\/[a-z]*: )?/, '');
  }
  if (!a.error) {
    a.hazard = findCatastrophicBacktracking(source);
    const parsed = parseRegexExact(source);
    if (parsed.exact && linearOnV8(parsed.root)) a.native = true;
    const program = parsed.exact ? toRe2Program(parsed.root) : undefined;
    if (program !== undefined && (!a.hazard || re2Compile(program.syntax))) {
      a.linear = program.syntax;
      a.full = program.full;
    }
  }
  if (analyses.size > 10_000) analyses.clear();
  analyses.set(source, a);
  return a;
}

class Matcher implements PatternMatcher {
  private run: ((value: string) => boolean) | undefined;
  private kind: Engine = 'linear';

  constructor(readonly source: string, private readonly analysis: PatternAnalysis) {}

  get engine(): Engine {
    this.resolve();
    return this.kind;
  }

  test(value: string): boolean {
    return (this.run ?? this.resolve())(value);
  }

  toString(): string {
    return `/${this.source}/u`;
  }

  private resolve(): (value: string) => boolean {
    if (this.run) return this.run;
    const a = this.analysis;
    if (a.native) {
      const js = new RegExp(this.source, 'u');
      this.kind = 'native';
      this.run = (v) => js.test(v);
      return this.run;
    }
    const re = a.linear !== undefined ? re2Compile(a.linear) : undefined;
    if (re) this.run = a.full ? (v) => re.testExact(v) : (v) => re.test(v);
    else {
      // Only patterns the analysis cleared get here (compilePattern refuses the others).
      const js = new RegExp(this.source, 'u');
      this.kind = 'backtracking';
      this.run = (v) => js.test(v);
    }
    return this.run;
  }
}

const matchers = new Map<string, PatternMatcher>();

/**
 * The matcher for a pattern, with JavaScript (unicode mode) semantics. Throws a SyntaxError for an
 * invalid pattern, and for one that only V8 can run and that can take exponential time there.
 */
export function compilePattern(source: string): PatternMatcher {
  let m = matchers.get(source);
  if (m) return m;
  const a = analysePattern(source);
  if (a.error) throw new SyntaxError(`Invalid regular expression: /${source}/u: ${a.error}`);
  if (a.hazard && a.linear === undefined) {
    throw new SyntaxError(`pattern /${source}/ can take exponential time (${a.hazard.fragment}) and has no linear-time form; it is not run`);
  }
  m = new Matcher(source, a);
  if (matchers.size > 10_000) matchers.clear();
  matchers.set(source, m);
  return m;
}

/** For ajv's `code.regExp` option: every `pattern` and `patternProperties` key goes through `compilePattern`. */
export const ajvRegExp = Object.assign((source: string) => compilePattern(source), { code: 'dataplanPattern' });
