/** Regular expressions in plans: parsing, the backtracking analysis, linear-time matching. */
export { parseRegex, parseRegexExact, type ParsedRegex, type RegexNode } from './parse.js';
export { findCatastrophicBacktracking, HAZARD_KINDS, type BacktrackingReport } from './backtracking.js';
export { toRe2Program, toRe2Syntax } from './linear.js';
export { analysePattern, compilePattern, ajvRegExp, type Engine, type PatternAnalysis, type PatternMatcher } from './compile.js';
export { linearOnV8 } from './native.js';
