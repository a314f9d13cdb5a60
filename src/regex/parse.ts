/**
 * A parser for ECMAScript regular expressions in unicode mode (the dialect of JSON Schema
 * `pattern`, as ajv runs it), into the structure the backtracking analysis and the linear-time
 * translation read: characters as exact sets of code points, sequences, alternations,
 * repetitions, assertions, lookarounds and backreferences.
 *
 * It is lenient: an invalid pattern still parses (the analysis also runs on patterns that are only
 * valid without the u flag), and `exact` is false when the tree may not mean what V8 would run.
 */
import { ANY, DIGIT, DOT, EMPTY, SPACE, WORD, complement, propertySet, single, union, type CharSet } from './charset.js';

interface Span {
  start: number;
  end: number;
}

export type RegexNode =
  | ({ t: 'char'; set: CharSet } & Span)
  | ({ t: 'seq'; items: RegexNode[] } & Span)
  | ({ t: 'alt'; alts: RegexNode[] } & Span)
  | ({ t: 'repeat'; body: RegexNode; min: number; max: number } & Span)
  /** Matches the empty string: an empty alternative or group. */
  | ({ t: 'empty' } & Span)
  /** `^` `$` (whole input: no m flag), `\b` `\B`. */
  | ({ t: 'assert'; kind: '^' | '$' | 'b' | 'B' } & Span)
  | ({ t: 'look'; body: RegexNode; behind: boolean; negate: boolean } & Span)
  /** `\1`, `\k<name>`: `group` is the referenced group's body, once the whole pattern is read. */
  | ({ t: 'backref'; group: RegexNode | undefined } & Span);

export interface ParsedRegex {
  root: RegexNode;
  /** False when the pattern uses syntax the tree does not model (inline modifiers, invalid escapes). */
  exact: boolean;
}

export function parseRegex(source: string): RegexNode {
  return parseRegexExact(source).root;
}

export function parseRegexExact(source: string): ParsedRegex {
  let pos = 0;
  let exact = true;
  const peek = () => source[pos];
  const eof = () => pos >= source.length;
  /** Capture groups in opening order (index 0 is group 1), filled as they close. */
  const groups: (RegexNode | undefined)[] = [];
  const names = new Map<string, number>();
  const refs: { node: RegexNode & { t: 'backref' }; ref: number | string }[] = [];

  function disjunction(): RegexNode {
    const start = pos;
    const alts = [alternative()];
    while (peek() === '|') {
      pos++;
      alts.push(alternative());
    }
    return alts.length === 1 ? alts[0] : { t: 'alt', alts, start, end: pos };
  }

  function alternative(): RegexNode {
    const start = pos;
    const items: RegexNode[] = [];
    while (!eof() && peek() !== '|' && peek() !== ')') items.push(term());
    if (items.length === 0) return { t: 'empty', start, end: pos };
    return items.length === 1 ? items[0] : { t: 'seq', items, start, end: pos };
  }

  function term(): RegexNode {
    const start = pos;
    const atom = atomOrAssertion();
    if (atom.t === 'assert') return atom;
    const q = quantifier();
    if (!q) return atom;
    if (atom.t === 'look') exact = false; // a quantified lookaround is an error in unicode mode
    return { t: 'repeat', body: atom, min: q.min, max: q.max, start, end: pos };
  }

  function quantifier(): { min: number; max: number } | undefined {
    const c = peek();
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos, pos + 40));
      if (!m) return undefined;
      pos += m[0].length - 1;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    if (!q) return undefined;
    pos++;
    if (peek() === '?') pos++; // lazy: same strings matched, other order
    return q;
  }

  function atomOrAssertion(): RegexNode {
    const start = pos;
    const c = peek();
    if (c === '^' || c === '$') {
      pos++;
      return { t: 'assert', kind: c, start, end: pos };
    }
    if (c === '.') {
      pos++;
      return { t: 'char', set: DOT, start, end: pos };
    }
    if (c === '(') return group();
    if (c === '[') return charClass();
    if (c === '\\') {
      const next = source[pos + 1];
      if (next === 'b' || next === 'B') {
        pos += 2;
        return { t: 'assert', kind: next, start, end: pos };
      }
      if (next !== undefined && /[1-9]/.test(next)) {
        pos++;
        while (!eof() && /\d/.test(peek())) pos++;
        return backref(Number(source.slice(start + 1, pos)), start);
      }
      if (next === 'k' && source[pos + 2] === '<') {
        const close = source.indexOf('>', pos);
        pos = close < 0 ? source.length : close + 1;
        return backref(source.slice(start + 3, close < 0 ? pos : close), start);
      }
      return { t: 'char', set: escape(false), start, end: pos };
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === '}' || c === ']') exact = false; // invalid in unicode mode
    const code = source.codePointAt(pos)!;
    pos += code > 0xffff ? 2 : 1;
    return { t: 'char', set: single(code), start, end: pos };
  }

  function backref(ref: number | string, start: number): RegexNode {
    const node = { t: 'backref' as const, group: undefined, start, end: pos };
    refs.push({ node, ref });
    return node;
  }

  function group(): RegexNode {
    const start = pos;
    pos++; // (
    let look: { behind: boolean; negate: boolean } | undefined;
    let capture: number | undefined;
    if (source.startsWith('?:', pos)) pos += 2;
    else if (source.startsWith('?=', pos) || source.startsWith('?!', pos)) {
      look = { behind: false, negate: source[pos + 1] === '!' };
      pos += 2;
    } else if (source.startsWith('?<=', pos) || source.startsWith('?<!', pos)) {
      look = { behind: true, negate: source[pos + 2] === '!' };
      pos += 3;
    } else if (source.startsWith('?<', pos)) {
      const close = source.indexOf('>', pos);
      capture = groups.push(undefined) - 1;
      names.set(source.slice(pos + 2, close < 0 ? source.length : close), capture + 1);
      pos = close < 0 ? source.length : close + 1;
    } else if (peek() === '?') {
      // Inline modifiers (?i:…) and anything newer: not modelled.
      exact = false;
      const colon = source.indexOf(':', pos);
      pos = colon < 0 ? pos + 1 : colon + 1;
    } else capture = groups.push(undefined) - 1;
    const body = disjunction();
    if (peek() === ')') pos++;
    else exact = false;
    if (look) return { t: 'look', body, ...look, start, end: pos };
    if (capture !== undefined) groups[capture] = body;
    // Keep the group's own span, so messages can quote "(\w+\s?)+" rather than its insides.
    return { ...body, start, end: pos } as RegexNode;
  }

  function charClass(): RegexNode {
    const start = pos;
    pos++; // [
    let negate = false;
    if (peek() === '^') {
      negate = true;
      pos++;
    }
    const parts: CharSet[] = [];
    while (!eof() && peek() !== ']') {
      const lo = classAtom();
      if (peek() === '-' && source[pos + 1] !== ']' && source[pos + 1] !== undefined) {
        const save = pos;
        pos++;
        const hi = classAtom();
        if (isSingle(lo) && isSingle(hi)) {
          if (hi[0][0] < lo[0][0]) exact = false;
          parts.push([[lo[0][0], hi[0][0]]]);
          continue;
        }
        // `[\d-z]` is an error in unicode mode; leniently, '-' is itself.
        exact = false;
        pos = save;
      }
      parts.push(lo);
    }
    if (peek() === ']') pos++;
    else exact = false;
    const set = union(...parts);
    return { t: 'char', set: negate ? complement(set) : set, start, end: pos };
  }

  function classAtom(): CharSet {
    if (peek() === '\\') return escape(true);
    const code = source.codePointAt(pos)!;
    pos += code > 0xffff ? 2 : 1;
    return single(code);
  }

  /** At a backslash: the set it stands for. */
  function escape(inClass: boolean): CharSet {
    pos++; // backslash
    const c = peek();
    if (c === undefined) {
      exact = false;
      return single(0x5c);
    }
    pos++;
    switch (c) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT);
      case 'w': return WORD;
      case 'W': return complement(WORD);
      case 's': return SPACE;
      case 'S': return complement(SPACE);
      case 't': return single(9);
      case 'n': return single(10);
      case 'v': return single(11);
      case 'f': return single(12);
      case 'r': return single(13);
      case 'b':
        if (!inClass) exact = false;
        return inClass ? single(8) : EMPTY;
      case '0':
        if (/\d/.test(peek() ?? '')) exact = false; // legacy octal
        return single(0);
      case 'c': {
        const l = peek();
        if (l && /[a-z]/i.test(l)) {
          pos++;
          return single(l.toUpperCase().charCodeAt(0) - 64);
        }
        exact = false;
        return single(0x5c);
      }
      case 'x': {
        const m = /^[0-9a-f]{2}/i.exec(source.slice(pos, pos + 2));
        if (!m) {
          exact = false;
          return single(0x78);
        }
        pos += 2;
        return single(parseInt(m[0], 16));
      }
      case 'u': {
        const braces = /^\{([0-9a-f]+)\}/i.exec(source.slice(pos, pos + 12));
        if (braces) {
          pos += braces[0].length;
          const v = parseInt(braces[1], 16);
          if (v > 0x10ffff) exact = false;
          return single(Math.min(v, 0x10ffff));
        }
        const m = /^[0-9a-f]{4}/i.exec(source.slice(pos, pos + 4));
        if (!m) {
          exact = false;
          return single(0x75);
        }
        pos += 4;
        const hi = parseInt(m[0], 16);
        // In unicode mode an escaped surrogate pair is one code point.
        const low = /^\\u(d[c-f][0-9a-f]{2})/i.exec(source.slice(pos, pos + 6));
        if (hi >= 0xd800 && hi <= 0xdbff && low) {
          pos += 6;
          return single((hi - 0xd800) * 0x400 + (parseInt(low[1], 16) - 0xdc00) + 0x10000);
        }
        return single(hi);
      }
      case 'p':
      case 'P': {
        let set: CharSet | undefined;
        if (peek() === '{') {
          const close = source.indexOf('}', pos);
          set = close < 0 ? undefined : propertySet(source.slice(pos + 1, close));
          pos = close < 0 ? source.length : close + 1;
        }
        if (!set) {
          // Unknown property: assume it may overlap anything (the analysis errs towards reporting).
          exact = false;
          return ANY;
        }
        return c === 'p' ? set : complement(set);
      }
      default: {
        // Identity escapes: in unicode mode only syntax characters, '/', and '-' in a class.
        const code = source.codePointAt(pos - 1)!;
        if (code > 0xffff) pos++;
        if (!(/[\^$\\.*+?()[\]{}|/]/.test(c) || (inClass && c === '-'))) exact = false;
        return single(code);
      }
    }
  }

  let root = disjunction();
  // A stray ')' in a lenient parse: keep going so the rest is still analysed.
  if (!eof()) {
    exact = false;
    const rest: RegexNode[] = [root];
    while (!eof()) {
      pos++;
      rest.push(disjunction());
    }
    root = { t: 'seq', items: rest, start: 0, end: source.length };
  }
  for (const { node, ref } of refs) {
    const n = typeof ref === 'number' ? ref : names.get(ref);
    if (n === undefined || n > groups.length) exact = false;
    else node.group = groups[n - 1];
  }
  return { root, exact };
}

function isSingle(s: CharSet): boolean {
  return s.length === 1 && s[0][0] === s[0][1];
}
