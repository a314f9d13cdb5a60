/**
 * Patterns V8's backtracking engine runs in linear time, so they need no linear-time engine: a
 * plain sequence of single characters (classes, escapes, `.`), each repeated a fixed number of
 * times, with at most one variable repetition, and that one only when `^` pins where matching
 * starts. Backtracking then has at most one choice to revisit (how many the variable repetition
 * took), tried from one start position: O(value × pattern). Anything else (groups that repeat,
 * alternation, two variable repetitions, an unanchored variable one: `[a-z]+x` is quadratic from
 * every start) goes to re2js. Most plan patterns (`^[A-Z]{2}-[0-9]{2}$`, `^SKU-\d+$`) are of this kind.
 */
import type { RegexNode } from './parse.js';

/** Collect the pattern's top-level items into `out`, unrepeated groups opened; false when something else is in it. */
function flatten(n: RegexNode, out: RegexNode[]): boolean {
  if (n.t === 'seq') return n.items.every((x) => flatten(x, out));
  if (n.t === 'empty') return true;
  if (n.t === 'char' || n.t === 'assert') out.push(n);
  else if (n.t === 'repeat' && n.body.t === 'char') out.push(n);
  else return false;
  return true;
}

export function linearOnV8(root: RegexNode): boolean {
  const items: RegexNode[] = [];
  if (!flatten(root, items)) return false;
  let variable = 0;
  for (let i = 0; i < items.length; i++) {
    const n = items[i];
    if (n.t === 'assert') {
      // `^` only first and `$` only last keep the one-start-position argument simple.
      if (n.kind === '^' && i !== 0) return false;
      if (n.kind === '$' && i !== items.length - 1) return false;
    } else if (n.t === 'repeat' && n.min !== n.max) variable++;
  }
  if (variable === 0) return true;
  const first = items[0];
  return variable === 1 && first.t === 'assert' && first.kind === '^';
}
