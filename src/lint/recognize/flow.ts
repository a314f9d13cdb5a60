/**
 * Straight-line flow: which write of a variable reaches a read, and which changes to an object it holds happen on the
 * way. Only code that runs unconditionally between the two counts; a write or change in a branch, a loop or a callback
 * that may or may not have run makes the value unknowable, never a guess.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { contains, isFunction, type ReferenceLike, type VariableLike } from './ast.js';
import type { Node } from './types.js';

/** How a variable is written and its object changed, once per variable. */
export interface Events {
  /** Assignments after the declaration (`x = …`, `x += …`, `x++`, destructuring, `for (x of …)`). */
  writes: Node[];
  /** Reads that may change the object the variable holds (`x.k = …`, `delete x.k`, `f(x)`, `x.push(…)`). */
  changes: Node[];
}

/** What reaches the read. */
export type Reach =
  | { k: 'decl'; decl: TSESTree.VariableDeclarator }
  | { k: 'assign'; node: TSESTree.AssignmentExpression }
  /** The start of the function the read is in, which does not declare the variable (or a hoisted `var` not yet set). */
  | { k: 'entry'; hoisted: boolean }
  | { k: 'unknown'; reason: string };

export interface Path {
  reach: Reach;
  /** Changes met on the way back from the read to `reach`, in source order; `definite` when they always run. */
  changes: Array<{ node: Node; definite: boolean }>;
  /** Every event seen on the way (the rest happen elsewhere). */
  seen: Set<Node>;
}

const memo = new WeakMap<VariableLike, Events>();

/** Calls that read an object without changing it. */
const PURE_CALLEES = /^(?:(?:window\.|globalThis\.)?mParticle\b|console\.|JSON\.stringify$|Object\.(?:keys|values|entries|freeze)$|String$|Number$|Boolean$)/;

export function eventsOf(v: VariableLike, text: string): Events {
  const hit = memo.get(v);
  if (hit) return hit;
  const writes: Node[] = [];
  const changes: Node[] = [];
  for (const r of v.references) {
    const id = r.identifier;
    if (r.isWrite()) {
      if (!r.init) writes.push(id);
      continue;
    }
    if (changesObject(id, text)) changes.push(id);
  }
  const ev = { writes, changes };
  memo.set(v, ev);
  return ev;
}

/** The events of an undeclared (implicit global) name: its unresolved references in the file. */
export function globalEvents(refs: ReferenceLike[], text: string): Events {
  const writes: Node[] = [];
  const changes: Node[] = [];
  for (const r of refs) {
    if (r.isWrite()) writes.push(r.identifier);
    else if (changesObject(r.identifier, text)) changes.push(r.identifier);
  }
  return { writes, changes };
}

function changesObject(id: Node, text: string): boolean {
  let p = id.parent;
  let child: Node = id;
  while (p && (p.type === 'TSAsExpression' || p.type === 'TSNonNullExpression' || p.type === 'TSSatisfiesExpression' || p.type === 'ChainExpression')) {
    child = p;
    p = p.parent;
  }
  if (!p) return false;
  if (p.type === 'MemberExpression' && p.object === child) {
    // x.k = …, x.k.j = …, x.k++, delete x.k, x.push(…)
    let top: Node = p;
    while (top.parent?.type === 'MemberExpression' && (top.parent as TSESTree.MemberExpression).object === top) top = top.parent;
    const up = top.parent;
    if (!up) return false;
    if (up.type === 'AssignmentExpression' && up.left === top) return true;
    if (up.type === 'UpdateExpression') return true;
    if (up.type === 'UnaryExpression' && up.operator === 'delete') return true;
    if (up.type === 'CallExpression' && up.callee === top) return !/^(?:hasOwnProperty|toString|valueOf|includes|indexOf|slice|map|filter|join|some|every|find|forEach|reduce|concat|at|keys|values|entries|get|has)$/.test(memberName(p));
    return false;
  }
  if ((p.type === 'CallExpression' || p.type === 'NewExpression') && p.arguments.includes(child as TSESTree.Expression)) {
    const callee = text.slice(p.callee.range[0], p.callee.range[1]).replace(/\s+|\?/g, '');
    return !PURE_CALLEES.test(callee);
  }
  // An alias (const y = x; y.k = …) is not followed. Listing it in an array or object (React deps, a payload) is not a change.
  if (p.type === 'VariableDeclarator' && p.init === child) return true;
  if (p.type === 'AssignmentExpression' && p.right === child) return true;
  return false;
}

function memberName(m: TSESTree.MemberExpression): string {
  return !m.computed && m.property.type === 'Identifier' ? m.property.name : '';
}

/** The function (or program) whose body a node runs in. */
export function functionOf(n: Node): Node {
  let p = n.parent;
  while (p && !isFunction(p) && p.type !== 'Program') {
    // Class field initialisers and static blocks run in their own context.
    if (p.type === 'PropertyDefinition' || p.type === 'StaticBlock' || p.type === 'AccessorProperty') return p;
    p = p.parent;
  }
  return p ?? n;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

function isStatementList(parent: Node): Node[] | undefined {
  switch (parent.type) {
    case 'Program':
    case 'BlockStatement':
    case 'StaticBlock':
      return parent.body as Node[];
    case 'SwitchCase':
      return parent.consequent as Node[];
    default:
      return undefined;
  }
}

/**
 * Walk back from `read` over the code that runs before it, to the write that reaches it. `ev` are the variable's
 * writes and changes; `decl` is its declarator (var/let/const), `declFn` the function (or program) declaring it.
 */
export function walkBack(read: Node, ev: Events, decl: TSESTree.VariableDeclarator | undefined, declFn: Node | undefined): Path {
  const seen = new Set<Node>();
  const changes: Path['changes'] = [];
  const all = [...ev.writes, ...ev.changes];
  const isWrite = new Set(ev.writes);
  /** Events inside `n` that run when `n` runs (not inside functions defined there), optionally only those before `before`. */
  const inside = (n: Node | null | undefined, before?: number): Node[] =>
    n ? all.filter((e) => contains(n, e) && (before === undefined || e.range[1] <= before) && !inNestedFunction(e, n)) : [];
  const done = (reach: Reach): Path => ({ reach, changes: changes.reverse(), seen });
  /** Events that may or may not have run before the read: a write makes the value unknowable, a change makes the object open. */
  const maybe = (found: Node[], reason: string): Path | undefined => {
    for (const e of found) seen.add(e);
    if (found.some((e) => isWrite.has(e))) return done({ k: 'unknown', reason });
    for (const e of [...found].reverse()) changes.push({ node: e, definite: false });
    return undefined;
  };

  let node: Node = read;
  for (;;) {
    const parent = node.parent;
    if (!parent) return done({ k: 'unknown', reason: 'its value is not followed here' });
    if (isFunction(parent)) {
      const params = parent.params.flatMap((p) => inside(p, read.range[0]));
      return maybe(params, 'it is assigned in a parameter default') ?? done({ k: 'entry', hoisted: declFn === parent });
    }
    if (parent.type === 'PropertyDefinition' || parent.type === 'AccessorProperty') return done({ k: 'entry', hoisted: false });
    const list = isStatementList(parent);
    if (list) {
      for (let i = list.indexOf(node) - 1; i >= 0; i--) {
        const st = list[i];
        if (decl && contains(st, decl)) {
          if (st.type === 'VariableDeclaration' && (st.declarations as TSESTree.VariableDeclarator[]).includes(decl)) {
            // Events inside the declaration itself (another declarator's initialiser) are not straight-line.
            const found = inside(st);
            if (found.length) return maybe(found, 'it is assigned in its own declaration') ?? done({ k: 'decl', decl });
            return done({ k: 'decl', decl });
          }
          return done({ k: 'unknown', reason: `it is declared in ${describe(st)}` });
        }
        const found = inside(st);
        if (found.length === 0) continue;
        const hit = definiteWrite(st, found, isWrite);
        if (hit) {
          for (const e of found) seen.add(e);
          return done(hit);
        }
        if (found.some((e) => isWrite.has(e))) {
          for (const e of found) seen.add(e);
          return done({ k: 'unknown', reason: `it is assigned in ${describe(st)} before the call` });
        }
        for (const e of [...found].reverse()) {
          seen.add(e);
          changes.push({ node: e, definite: definiteChange(st, e) });
        }
      }
      if (parent.type === 'SwitchCase') {
        const sw = parent.parent as TSESTree.SwitchStatement;
        const earlier = sw.cases.slice(0, sw.cases.indexOf(parent as TSESTree.SwitchCase));
        const r = maybe([...earlier.flatMap((c) => inside(c)), ...inside(sw.discriminant)], 'it is assigned in the switch');
        if (r) return r;
        node = sw;
        continue;
      }
      if (parent.type === 'Program') return done({ k: 'entry', hoisted: declFn === parent });
      node = parent;
      continue;
    }
    if (LOOPS.has(parent.type)) {
      // A later iteration sees what an earlier one wrote.
      const r = maybe(inside(parent), 'it is assigned in a loop');
      if (r) return r;
      node = parent;
      continue;
    }
    if (parent.type === 'TryStatement') {
      // In a handler or finalizer, the try block (and handler) ran only partly.
      if (node !== parent.block) {
        const r = maybe([...inside(parent.block), ...(node === parent.finalizer ? inside(parent.handler) : [])], 'it is assigned in a try block');
        if (r) return r;
      }
      node = parent;
      continue;
    }
    if (parent.type === 'WithStatement') return done({ k: 'unknown', reason: 'it is read inside with' });
    // Expressions and the remaining statements: what runs before the read in them. Of a branch, only its test.
    const before = parent.type === 'IfStatement' || parent.type === 'ConditionalExpression'
      ? (node === parent.test ? [] : inside(parent.test))
      // x = f(x): the target is written after the value is computed
      : inside(parent, read.range[0]).filter((e) => !contains(node, e) && !(parent.type === 'AssignmentExpression' && node === parent.right && e === parent.left));
    const r = maybe(before, 'it is assigned earlier in the same expression');
    if (r) return r;
    node = parent;
  }
}

function inNestedFunction(e: Node, within: Node): boolean {
  let p = e.parent;
  while (p && p !== within) {
    if (isFunction(p)) return true;
    p = p.parent;
  }
  return false;
}

/** `x = …;` / `x += …;` as a statement of its own. */
function definiteWrite(st: Node, found: Node[], isWrite: Set<Node>): Reach | undefined {
  if (found.length !== 1 || !isWrite.has(found[0])) return undefined;
  const id = found[0];
  if (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && st.expression.left === id && (st.expression.operator === '=' || st.expression.operator === '+=')) {
    return { k: 'assign', node: st.expression };
  }
  return undefined;
}

/** A change that always runs when its statement does: `x.k = …;`, `delete x.k;`, `Object.assign(x, …);`. */
function definiteChange(st: Node, e: Node): boolean {
  if (st.type !== 'ExpressionStatement') return false;
  const x = st.expression;
  if (x.type === 'AssignmentExpression' && x.operator === '=' && x.left.type === 'MemberExpression' && x.left.object === e) return true;
  // x.k.j = …: sets j in the object at k (applyChanges follows it when k holds a known object)
  if (x.type === 'AssignmentExpression' && x.operator === '=' && x.left.type === 'MemberExpression' && x.left.object.type === 'MemberExpression' && x.left.object.object === e) return true;
  if (x.type === 'UnaryExpression' && x.operator === 'delete' && x.argument.type === 'MemberExpression' && x.argument.object === e) return true;
  return false;
}

function describe(st: Node): string {
  switch (st.type) {
    case 'IfStatement': return 'a branch';
    case 'SwitchStatement': return 'a switch';
    case 'TryStatement': return 'a try statement';
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement': return 'a loop';
    default: return 'an expression';
  }
}

/** Whether code between two points may run other code (a call, await, yield, tagged template, new). */
export function callsBetween(root: Node, from: number, to: number, keys: Readonly<Record<string, readonly string[]>> | undefined): boolean {
  let found = false;
  const visit = (n: Node): void => {
    if (found || n.range[1] <= from || n.range[0] >= to) return;
    if (n.range[0] >= from && n.range[1] <= to) {
      if (n.type === 'CallExpression' || n.type === 'NewExpression' || n.type === 'AwaitExpression' || n.type === 'YieldExpression' || n.type === 'TaggedTemplateExpression') {
        found = true;
        return;
      }
      if (isFunction(n)) return;
    }
    const rec = n as unknown as Record<string, unknown>;
    for (const k of keys?.[n.type] ?? Object.keys(n)) {
      if (k === 'parent' || k === 'loc' || k === 'range') continue;
      const c = rec[k];
      for (const x of Array.isArray(c) ? c : [c]) if (x && typeof (x as Node).type === 'string') visit(x as Node);
    }
  };
  visit(root);
  return found;
}
