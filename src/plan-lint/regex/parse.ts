/**
 * A lenient parser for ECMAScript regular expressions (the dialect of JSON Schema `pattern`), into
 * just the structure the backtracking analysis needs: characters as sets, sequences, alternations,
 * repetitions. Lookarounds and anchors match no characters; a backreference counts as "any character".
 */
import { ANY, DIGIT, DOT, EMPTY, SPACE, WORD, complement, single, union, type CharSet } from './charset.js';

export type RegexNode =
  | { t: 'char'; set: CharSet; start: number; end: number }
  | { t: 'seq'; items: RegexNode[]; start: number; end: number }
  | { t: 'alt'; alts: RegexNode[]; start: number; end: number }
  | { t: 'repeat'; body: RegexNode; min: number; max: number; start: number; end: number }
  /** Anchors, word boundaries, lookarounds: zero width. */
  | { t: 'empty'; start: number; end: number };

export function parseRegex(source: string): RegexNode {
  let pos = 0;
  const peek = () => source[pos];
  const eof = () => pos >= source.length;

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
    return items.length === 1 ? items[0] : { t: 'seq', items, start, end: pos };
  }

  function term(): RegexNode {
    const start = pos;
    const atom = atomOrAssertion();
    if (atom.t === 'empty') return atom;
    const q = quantifier();
    if (!q) return atom;
    return { t: 'repeat', body: atom, min: q.min, max: q.max, start, end: pos };
  }

  function quantifier(): { min: number; max: number } | undefined {
    const c = peek();
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(pos));
      if (!m) return undefined;
      pos += m[0].length - 1;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
    }
    if (!q) return undefined;
    pos++;
    if (peek() === '?') pos++; // lazy: same paths, other order
    return q;
  }

  function atomOrAssertion(): RegexNode {
    const start = pos;
    const c = peek();
    if (c === '^' || c === '$') {
      pos++;
      return { t: 'empty', start, end: pos };
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
        return { t: 'empty', start, end: pos };
      }
      if (next !== undefined && /[1-9]/.test(next)) {
        pos++;
        while (!eof() && /\d/.test(peek())) pos++;
        return { t: 'char', set: ANY, start, end: pos };
      }
      if (next === 'k' && source[pos + 2] === '<') {
        const close = source.indexOf('>', pos);
        pos = close < 0 ? source.length : close + 1;
        return { t: 'char', set: ANY, start, end: pos };
      }
      return { t: 'char', set: escape(false), start, end: pos };
    }
    const code = source.codePointAt(pos)!;
    pos += code > 0xffff ? 2 : 1;
    return { t: 'char', set: single(code), start, end: pos };
  }

  function group(): RegexNode {
    const start = pos;
    pos++; // (
    let zeroWidth = false;
    if (source.startsWith('?:', pos)) pos += 2;
    else if (source.startsWith('?=', pos) || source.startsWith('?!', pos)) {
      pos += 2;
      zeroWidth = true;
    } else if (source.startsWith('?<=', pos) || source.startsWith('?<!', pos)) {
      pos += 3;
      zeroWidth = true;
    } else if (source.startsWith('?<', pos)) {
      const close = source.indexOf('>', pos);
      pos = close < 0 ? source.length : close + 1;
    }
    const body = disjunction();
    if (peek() === ')') pos++;
    if (zeroWidth) return { t: 'empty', start, end: pos };
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
      if (peek() === '-' && source[pos + 1] !== ']' && source[pos + 1] !== undefined && lo.length === 1 && lo[0][0] === lo[0][1]) {
        const save = pos;
        pos++;
        const hi = classAtom();
        if (hi.length === 1 && hi[0][0] === hi[0][1]) {
          parts.push([[lo[0][0], hi[0][0]]]);
          continue;
        }
        pos = save;
      }
      parts.push(lo);
    }
    if (peek() === ']') pos++;
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
    if (c === undefined) return single(0x5c);
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
      case 'b': return inClass ? single(8) : EMPTY;
      case '0': return single(0);
      case 'c': {
        const l = peek();
        if (l && /[a-z]/i.test(l)) {
          pos++;
          return single(l.toUpperCase().charCodeAt(0) - 64);
        }
        return single(0x5c);
      }
      case 'x': {
        const m = /^[0-9a-f]{2}/i.exec(source.slice(pos));
        if (!m) return single(0x78);
        pos += 2;
        return single(parseInt(m[0], 16));
      }
      case 'u': {
        const braces = /^\{([0-9a-f]+)\}/i.exec(source.slice(pos));
        if (braces) {
          pos += braces[0].length;
          return single(Math.min(parseInt(braces[1], 16), 0x10ffff));
        }
        const m = /^[0-9a-f]{4}/i.exec(source.slice(pos));
        if (!m) return single(0x75);
        pos += 4;
        return single(parseInt(m[0], 16));
      }
      case 'p':
      case 'P': {
        // Unicode property classes: assume they may overlap anything (errs towards reporting).
        if (peek() === '{') {
          const close = source.indexOf('}', pos);
          pos = close < 0 ? source.length : close + 1;
        }
        return ANY;
      }
      default: {
        // Identity escapes (\. \/ \-): the character itself.
        const code = source.codePointAt(pos - 1)!;
        if (code > 0xffff) pos++;
        return single(code);
      }
    }
  }

  const root = disjunction();
  // A stray ')' in a lenient parse: keep going so the rest is still analysed.
  if (!eof()) {
    const rest: RegexNode[] = [root];
    while (!eof()) {
      pos++;
      rest.push(disjunction());
    }
    return { t: 'seq', items: rest, start: 0, end: source.length };
  }
  return root;
}
