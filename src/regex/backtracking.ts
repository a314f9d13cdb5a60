/**
 * Catastrophic backtracking check: does a backtracking matcher (V8, ajv's `pattern`) have
 * exponentially many ways to match some input? That is exactly when the pattern's position
 * automaton, with path multiplicities kept, is exponentially ambiguous: some state q has two
 * different paths q → q reading the same word. `(a+)+`, `(\w+\s?)*`, `(a|aa)+`, `(.*,)*` are;
 * `([a-z]+\.)+`, `(a|ab)+`, `a*a*` are not.
 *
 * Positions (one per character node) get follow edges with a count of how many parse routes
 * produce them, so `(a*)*` keeps its doubled a → a edge. The check walks the product automaton
 * A × A and looks for a strongly connected component that holds a diagonal pair (q, q) and an
 * edge where the two copies took different routes.
 */
import { intersects, type CharSet } from './charset.js';
import { parseRegex, type RegexNode } from './parse.js';

export interface BacktrackingReport {
  /** The repetition that can be matched in exponentially many ways, as written in the pattern. */
  fragment: string;
  start: number;
  end: number;
  kind: 'nested_quantifier' | 'ambiguous_alternation' | 'ambiguous_repetition';
}

/** Each kind of hazard in words, for messages. */
export const HAZARD_KINDS: Record<BacktrackingReport['kind'], string> = {
  nested_quantifier: 'a repetition nested in a repetition',
  ambiguous_alternation: 'alternatives that can match the same text, repeated',
  ambiguous_repetition: 'a repetition that can split the same text in many ways',
};

const MAX_POSITIONS = 400;
/** Bounded repeats with a higher maximum are analysed as unbounded: `(a|a){1,30}` is already 2^30. */
const EXPAND_LIMIT = 8;

type Counts = Map<number, number>;

interface Fragment {
  first: Counts;
  last: Counts;
  nullable: boolean;
}

class Builder {
  readonly sets: CharSet[] = [];
  /** from → (to → count, capped at 2). */
  readonly follow = new Map<number, Map<number, number>>();
  /** Loop edges and the repetition that made them. */
  readonly loops: { from: number; to: number; repeat: RegexNode & { t: 'repeat' } }[] = [];
  tooLarge = false;
  /** Groups being built, so a backreference inside its own group stops. */
  private readonly open = new Set<RegexNode>();

  build(n: RegexNode): Fragment {
    switch (n.t) {
      case 'empty':
      case 'assert':
        return { first: new Map(), last: new Map(), nullable: true };
      case 'look':
        // Zero width here, but its body is matched too: its positions join the automaton unlinked.
        this.build(n.body);
        return { first: new Map(), last: new Map(), nullable: true };
      case 'backref': {
        // Matches what its group matched (or nothing): the group's body, optional, is a superset.
        const g = n.group;
        if (!g || this.open.has(g)) return { first: new Map(), last: new Map(), nullable: true };
        this.open.add(g);
        const f = this.build(g);
        this.open.delete(g);
        return { ...f, nullable: true };
      }
      case 'char': {
        if (this.sets.length >= MAX_POSITIONS) {
          this.tooLarge = true;
          return { first: new Map(), last: new Map(), nullable: true };
        }
        const p = this.sets.length;
        this.sets.push(n.set);
        return { first: new Map([[p, 1]]), last: new Map([[p, 1]]), nullable: false };
      }
      case 'seq':
        return n.items.map((x) => this.build(x)).reduce((a, b) => this.concat(a, b), { first: new Map(), last: new Map(), nullable: true } as Fragment);
      case 'alt': {
        const parts = n.alts.map((x) => this.build(x));
        return { first: sum(parts.map((f) => f.first)), last: sum(parts.map((f) => f.last)), nullable: parts.some((f) => f.nullable) };
      }
      case 'repeat':
        return this.repeat(n);
    }
  }

  private repeat(n: RegexNode & { t: 'repeat' }): Fragment {
    let min = Math.min(n.min, EXPAND_LIMIT);
    let max = n.max > EXPAND_LIMIT ? Infinity : n.max;
    if (max === 0) return { first: new Map(), last: new Map(), nullable: true };
    if (max !== Infinity && max < min) max = min;
    let acc: Fragment = { first: new Map(), last: new Map(), nullable: true };
    if (max === Infinity) {
      min = Math.max(min, 1);
      for (let i = 0; i < min - 1; i++) acc = this.concat(acc, this.build(n.body));
      const loop = this.build(n.body);
      for (const [p, cp] of loop.last) {
        for (const [q, cq] of loop.first) {
          this.edge(p, q, cp * cq);
          this.loops.push({ from: p, to: q, repeat: n });
        }
      }
      const looped = n.min === 0 ? { ...loop, nullable: true } : loop;
      return this.concat(acc, looped);
    }
    for (let i = 0; i < min; i++) acc = this.concat(acc, this.build(n.body));
    for (let i = min; i < max; i++) acc = this.concat(acc, { ...this.build(n.body), nullable: true });
    return acc;
  }

  private concat(a: Fragment, b: Fragment): Fragment {
    for (const [p, cp] of a.last) for (const [q, cq] of b.first) this.edge(p, q, cp * cq);
    return {
      first: a.nullable ? sum([a.first, b.first]) : a.first,
      last: b.nullable ? sum([a.last, b.last]) : b.last,
      nullable: a.nullable && b.nullable,
    };
  }

  private edge(from: number, to: number, count: number): void {
    let m = this.follow.get(from);
    if (!m) this.follow.set(from, (m = new Map()));
    m.set(to, Math.min(2, (m.get(to) ?? 0) + count));
  }
}

function sum(list: Counts[]): Counts {
  const out: Counts = new Map();
  for (const m of list) for (const [k, v] of m) out.set(k, Math.min(2, (out.get(k) ?? 0) + v));
  return out;
}

/** The exponential-backtracking hazard in `pattern`, or undefined when there is none (or it is too large to analyse). */
export function findCatastrophicBacktracking(pattern: string): BacktrackingReport | undefined {
  const ast = parseRegex(pattern);
  const b = new Builder();
  b.build(ast);
  if (b.tooLarge) return undefined;
  const n = b.sets.length;
  const key = (x: number, y: number) => x * n + y;
  const succ = (x: number) => b.follow.get(x) ?? new Map<number, number>();

  // Explore A × A from every diagonal pair.
  const adj = new Map<number, { to: number; split: boolean }[]>();
  const stack: number[] = [];
  for (let p = 0; p < n; p++) {
    if (b.sets[p].length === 0) continue;
    const k = key(p, p);
    if (!adj.has(k)) {
      adj.set(k, []);
      stack.push(k);
    }
  }
  while (stack.length) {
    const k = stack.pop()!;
    const x = Math.floor(k / n);
    const y = k % n;
    const out = adj.get(k)!;
    for (const [c, cx] of succ(x)) {
      for (const [d] of succ(y)) {
        if (!intersects(b.sets[c], b.sets[d])) continue;
        const split = x !== y || c !== d || cx >= 2;
        const to = key(c, d);
        out.push({ to, split });
        if (!adj.has(to)) {
          adj.set(to, []);
          stack.push(to);
        }
      }
    }
  }

  for (const comp of components(adj)) {
    const inComp = new Set(comp);
    if (!comp.some((k) => Math.floor(k / n) === k % n)) continue;
    const hasSplit = comp.some((k) => adj.get(k)!.some((e) => e.split && inComp.has(e.to)));
    if (!hasSplit) continue;
    const positions = new Set<number>();
    for (const k of comp) {
      positions.add(Math.floor(k / n));
      positions.add(k % n);
    }
    return culprit(pattern, b, positions) ?? { fragment: pattern, start: 0, end: pattern.length, kind: 'ambiguous_repetition' };
  }
  return undefined;
}

function culprit(pattern: string, b: Builder, positions: Set<number>): BacktrackingReport | undefined {
  let best: (RegexNode & { t: 'repeat' }) | undefined;
  for (const l of b.loops) {
    if (!positions.has(l.from) || !positions.has(l.to)) continue;
    const r = l.repeat;
    if (!best || r.end - r.start > best.end - best.start) best = r;
  }
  if (!best) return undefined;
  const kind = containsUnbounded(best.body) ? 'nested_quantifier' : containsAlt(best.body) ? 'ambiguous_alternation' : 'ambiguous_repetition';
  return { fragment: pattern.slice(best.start, best.end), start: best.start, end: best.end, kind };
}

function containsUnbounded(n: RegexNode): boolean {
  switch (n.t) {
    case 'repeat': return n.max > EXPAND_LIMIT || containsUnbounded(n.body);
    case 'seq': return n.items.some(containsUnbounded);
    case 'alt': return n.alts.some(containsUnbounded);
    case 'look': return containsUnbounded(n.body);
    default: return false;
  }
}

function containsAlt(n: RegexNode): boolean {
  switch (n.t) {
    case 'alt': return true;
    case 'repeat': case 'look': return containsAlt(n.body);
    case 'seq': return n.items.some(containsAlt);
    default: return false;
  }
}

/** Strongly connected components (iterative Tarjan). */
function components(adj: Map<number, { to: number }[]>): number[][] {
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: number[][] = [];
  let counter = 0;
  for (const root of adj.keys()) {
    if (index.has(root)) continue;
    const work: { v: number; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1];
      const edges = adj.get(frame.v)!;
      if (frame.i < edges.length) {
        const w = edges[frame.i++].to;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].v;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.v)!));
      }
      if (low.get(frame.v) === index.get(frame.v)) {
        const comp: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          comp.push(w);
        } while (w !== frame.v);
        out.push(comp);
      }
    }
  }
  return out;
}
