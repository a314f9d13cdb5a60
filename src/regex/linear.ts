/**
 * Translate a parsed JavaScript pattern into RE2 syntax with the same meaning. Nothing is left to
 * the two dialects agreeing: every character class is written out as code point ranges (so `.`,
 * `\s` and `\p{…}` mean what V8 means), anchors are whole-input, groups do not capture.
 * Undefined when RE2 cannot express the pattern: backreferences, lookarounds, large counted repeats.
 */
import { MAX_CP, type CharSet } from './charset.js';
import type { RegexNode } from './parse.js';

/**
 * The RE2 program for a whole pattern. `^…$` becomes its body run as a full match (re2js's
 * `testExact`), which is two to four times faster than searching with anchors.
 */
export function toRe2Program(root: RegexNode): { syntax: string; full: boolean } | undefined {
  if (root.t === 'seq' && root.items.length >= 2) {
    const first = root.items[0];
    const last = root.items[root.items.length - 1];
    if (first.t === 'assert' && first.kind === '^' && last.t === 'assert' && last.kind === '$') {
      const inner = root.items.slice(1, -1);
      const syntax = inner.length === 0 ? '(?:)' : toRe2Syntax(inner.length === 1 ? inner[0] : { ...root, items: inner });
      return syntax === undefined ? undefined : { syntax, full: true };
    }
  }
  const syntax = toRe2Syntax(root);
  return syntax === undefined ? undefined : { syntax, full: false };
}

/** RE2 rejects counted repetitions above this. */
const MAX_REPEAT = 1000;

export function toRe2Syntax(n: RegexNode): string | undefined {
  switch (n.t) {
    case 'char': return charClass(n.set);
    case 'empty': return '(?:)';
    case 'assert': return n.kind === '^' ? '^' : n.kind === '$' ? '$' : `\\${n.kind}`;
    case 'look':
    case 'backref':
      return undefined;
    case 'seq': {
      let out = '';
      for (const item of n.items) {
        const s = toRe2Syntax(item);
        if (s === undefined) return undefined;
        out += item.t === 'alt' ? `(?:${s})` : s;
      }
      return out;
    }
    case 'alt': {
      const parts: string[] = [];
      for (const a of n.alts) {
        const s = toRe2Syntax(a);
        if (s === undefined) return undefined;
        parts.push(s);
      }
      return parts.join('|');
    }
    case 'repeat': {
      const body = toRe2Syntax(n.body);
      if (body === undefined || n.min > MAX_REPEAT || (n.max !== Infinity && n.max > MAX_REPEAT)) return undefined;
      const q = n.max === Infinity ? (n.min === 0 ? '*' : n.min === 1 ? '+' : `{${n.min},}`) : n.min === 0 && n.max === 1 ? '?' : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
      return `(?:${body})${q}`;
    }
  }
}

const hex = (cp: number) => `\\x{${cp.toString(16)}}`;

function charClass(set: CharSet): string {
  // An empty class matches nothing: RE2 has no `[]`, but the complement of everything works.
  if (set.length === 0) return `[^\\x{0}-${hex(MAX_CP)}]`;
  if (set.length === 1 && set[0][0] === set[0][1]) return hex(set[0][0]);
  let out = '[';
  for (const [lo, hi] of set) out += lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`;
  return out + ']';
}
