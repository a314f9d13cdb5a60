/**
 * Static values: what an expression is known to be (a literal, an object of known keys, an SDK enum member, the SDK
 * itself, a function) or why it is not known. Follows const bindings, destructuring, TS enums, `as const`, spreads and
 * exports of project modules.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { closest } from '../../plan/index.js';
import { RefIndex, contains, dottedName, importOf, isFunction, memberKey, staticKey, textOf, unwrap, walk, type ScopeManagerLike, type VariableLike, type VisitorKeys } from './ast.js';
import { callsBetween, eventsOf, functionOf, globalEvents, walkBack, type Events } from './flow.js';
import { annotationOf, literalsOf } from './literal-types.js';
import { instance, reactHook, returned, thisValue } from './objects.js';
import { NODE_ENUMS, NODE_SDK_MODULES, WEB_ENUMS, WEB_SDK_MODULES } from './sdk.js';
import type { Node, WrapperSetting } from './types.js';

/** One parsed file the evaluator works in. */
export interface FileCtx {
  file?: string;
  ast: TSESTree.Program;
  sm: ScopeManagerLike;
  text: string;
  keys?: VisitorKeys;
  refs: RefIndex;
  /** Values of variables (without parameter bindings). */
  vars: WeakMap<VariableLike, Val>;
  /** Exports already looked up. */
  exports: Map<string, Val>;
  world: World;
  /** Undeclared names assigned in this file (implicit globals), as variables of their own. */
  globals?: Map<string, VariableLike | null>;
  /**
   * With typed linting: the literal type(s) the type checker gives an expression of this file (a string, number or
   * boolean literal, or a union of a few), when the syntax alone cannot resolve it.
   */
  typeOf?: (n: Node) => Array<string | number | boolean> | undefined;
}

/** What every file of one recognizer run shares. */
export interface World {
  wrappers: readonly WrapperSetting[];
  followImports: boolean;
  /** Load a project module by absolute path (parsed and cached), or undefined. */
  loadModule(file: string): FileCtx | undefined;
  /** Resolve an import specifier from a file to an absolute path of a project module, or undefined. */
  resolveModule(from: string, spec: string): string | undefined;
  /** Whether a project module can involve the SDK at all (text check), so calling what it exports is worth following. */
  mayInvolveSdk(file: string): boolean;
}

/**
 * Whether evaluating this callee can lead anywhere useful: false when it is imported from a project module that
 * cannot involve the SDK, so that module is never parsed just to find out.
 */
export function calleeMayMatter(callee: Node, ctx: FileCtx): boolean {
  let root = unwrap(callee);
  while (root.type === 'MemberExpression') root = unwrap(root.object);
  if (root.type !== 'Identifier' || !ctx.file || !ctx.world.followImports) return true;
  const def = ctx.refs.get(root)?.resolved?.defs[0];
  if (def?.type !== 'ImportBinding') return true;
  const imp = importOf(def);
  if (!imp) return true;
  const file = ctx.world.resolveModule(ctx.file, imp.source);
  return !file || ctx.world.mayInvolveSdk(file);
}

/** `x.k = …` or `delete x.k` (where flowRead may know the object better than "a parameter"). */
function setsProperty(id: Node): boolean {
  const m = id.parent;
  if (m?.type !== 'MemberExpression' || m.object !== id) return false;
  const up = m.parent;
  return (up?.type === 'AssignmentExpression' && up.left === m) || (up?.type === 'UnaryExpression' && up.operator === 'delete');
}

/** Globals the evaluator gives a value other than unknown (the SDK on window, `Object.assign`, React hooks…). */
const FOLLOWED_GLOBALS = new Set(['mParticle', 'window', 'globalThis', 'self', 'global', 'Object', 'String', 'Number', 'require', 'undefined', 'NaN', 'Infinity', 'React', 'useCallback', 'useMemo']);

/**
 * Whether a callee certainly evaluates to neither an SDK value nor a function, from syntax and scope alone: a chain of
 * property reads and calls that starts at an ordinary global (`fetch`, `encodeURIComponent(q).trim`) or at a
 * parameter never reassigned and whose properties are never set (`items.slice(0, 2).filter`). Such a chain is unknown whatever it reads, so
 * the (allocating) evaluation of most calls in a file can be skipped.
 */
export function plainCallee(callee: Node, ctx: FileCtx, env: Env): boolean {
  let n = unwrap(callee);
  for (;;) {
    if (n.type === 'MemberExpression') {
      if (n.computed && n.property.type !== 'Literal') return false;
      n = unwrap(n.object);
    } else if (n.type === 'CallExpression') {
      // useMemo(() => x) and useCallback(f) are what their argument makes them.
      const c = unwrap(n.callee);
      const last = c.type === 'Identifier' ? c.name : c.type === 'MemberExpression' ? (c.computed ? (c.property.type === 'Literal' ? c.property.value : undefined) : (c.property as TSESTree.Identifier).name) : undefined;
      if (last === 'useMemo' || last === 'useCallback') return false;
      n = c;
    } else break;
  }
  if (n.type !== 'Identifier') return false;
  const v = ctx.refs.get(n)?.resolved ?? null;
  if (!v || (v.scope.type === 'global' && v.defs.length === 0)) return !FOLLOWED_GLOBALS.has(n.name) && !implicitGlobal(n.name, ctx);
  if (v.defs.length !== 1 || env?.has(v)) return false;
  const def = v.defs[0];
  if (def.type !== 'Parameter' || n === def.name) return false;
  // Reassigned, or a property set or deleted (`opts.track = …`): the value read may be an object (see flowRead).
  const events = eventsOf(v, ctx.text);
  if (events.writes.length || events.changes.some(setsProperty)) return false;
  // The first parameter of an IDSync callback is the identity result (see `parameter`).
  return !passedAsSecondArgument(def.node, ctx) && !isIdentityCallbackOption(def.node) && !iifeCall(def.node);
}

/** Calls `fn` is passed to as the second argument: inline, or by its name (a function declaration, or a variable it initialises). */
function callbackUses(fn: Node, ctx: FileCtx): { name?: VariableLike; args: Node[] } {
  const parent = fn.parent;
  if (parent?.type === 'CallExpression') return { args: parent.arguments[1] === fn ? [fn] : [] };
  let vars: VariableLike[] = [];
  if (fn.type === 'FunctionDeclaration' && fn.id) vars = ctx.sm.getDeclaredVariables(fn).filter((x) => x.name === fn.id!.name);
  else if (parent?.type === 'VariableDeclarator' && parent.init === fn && parent.id.type === 'Identifier') vars = ctx.sm.getDeclaredVariables(parent);
  if (vars.length !== 1) return { args: [] };
  return { name: vars[0], args: vars[0].references.filter((r) => !r.isWrite()).map((r) => r.identifier) };
}

function passedAsSecondArgument(fn: Node, ctx: FileCtx): boolean {
  return callbackUses(fn, ctx).args.some((a) => a.parent?.type === 'CallExpression' && a.parent.arguments[1] === a);
}

export function fileCtx(world: World, ast: TSESTree.Program, sm: ScopeManagerLike, text: string, file?: string, keys?: VisitorKeys): FileCtx {
  return { file, ast, sm, text, keys, refs: new RefIndex(sm), vars: new WeakMap(), exports: new Map(), world };
}

export interface At {
  /** The expression this value was read from, and its file. */
  node?: Node;
  ctx?: FileCtx;
  /** Chosen from alternatives (one branch of a conditional): report on its own node, not the argument's. */
  chosen?: boolean;
  /** Chosen from the alternatives a parameter stands for (its literal type): the function is a wrapper. */
  fromParam?: VariableLike;
  /** Computed from an argument bound to a wrapper's parameter: the call site decides it, not the wrapper's body. */
  viaArg?: boolean;
}
export interface PrimVal extends At {
  k: 'prim';
  v: string | number | boolean | null | undefined;
  /** The literal the value is written in (for fixes). */
  lit?: TSESTree.Literal | TSESTree.TemplateLiteral;
  litCtx?: FileCtx;
  /** An SDK enum member expression the value came from (`mParticle.EventType.Other`). */
  member?: TSESTree.MemberExpression;
  memberCtx?: FileCtx;
}
export interface Prop {
  val: Val;
  /** The property node and its key (absent for synthetic properties). */
  node?: Node;
  key?: Node;
  ctx?: FileCtx;
  /** The spread element that brought the property in, in the object literal being read. */
  via?: Node;
  viaCtx?: FileCtx;
  /** Where the key is written as a string literal (`setUserAttribute('tier', …)`), for fixes. */
  keyLit?: TSESTree.Literal | TSESTree.TemplateLiteral;
  keyLitCtx?: FileCtx;
}
export interface ObjVal extends At {
  k: 'obj';
  props: Map<string, Prop>;
  /** Why the object may hold keys we do not know about (unknown spreads, computed keys). */
  open: string[];
  /** The parameter whose spread makes it open (for wrapper detection). */
  openParam?: VariableLike;
  /** Where the first unknown spread's value comes from. */
  openAt?: At;
}
export interface ArrVal extends At {
  k: 'arr';
  items: Val[];
  open?: string;
}
export interface BadMember {
  enumName: string;
  actual: string;
  members: string[];
  suggestion?: string;
}
export interface UnkVal extends At {
  k: 'unknown';
  reason: string;
  /** The parameter this value stands for (for wrapper detection). */
  param?: VariableLike;
  /** A member the SDK enum does not have. */
  bad?: BadMember;
}
export interface SdkVal extends At {
  k: 'sdk';
  sdk: 'web' | 'node';
  /** Path under the namespace: [] is the namespace, ['eCommerce', 'logProductAction'], ['#user'] a user object. */
  path: string[];
}
export interface GlobalVal extends At {
  k: 'global';
  name: string;
}
export interface FnVal extends At {
  k: 'fn';
  fn: TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
  fnCtx: FileCtx;
  name: string;
}
export interface NsVal extends At {
  k: 'ns';
  mod: FileCtx;
}
/** An instance of a Node SDK model (`new mParticle.Batch(...)`, `new mParticle.AppEvent(...)`). */
export interface InstVal extends At {
  k: 'inst';
  cls: string;
  created: TSESTree.NewExpression;
}

/** One of several values, each of which can reach the call (the branches of `c ? 'A' : 'B'`, `a || 'B'`, a literal union type). */
export interface AltVal extends At {
  k: 'alt';
  options: Val[];
  /**
   * What decides between the options, when two alternatives share it (`c ? 'A' : 'B'` and `c ? {…} : {…}` choose
   * together); option 0 is the one taken when it is truthy.
   */
  test?: string;
  /** The parameter the alternatives stand for (a parameter typed `'A' | 'B'`). */
  param?: VariableLike;
}
/** A class of this project (for `new C()` and `this`). */
export interface ClassVal extends At {
  k: 'class';
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression;
  clsCtx: FileCtx;
}

export type Val = PrimVal | ObjVal | ArrVal | UnkVal | SdkVal | GlobalVal | FnVal | NsVal | InstVal | AltVal | ClassVal;

/** At most this many alternatives are followed for one value; more are one unknown value. */
export const MAX_OPTIONS = 8;

/** Alternatives, flattened and deduplicated; one option is just that value. */
export function alt(options: Val[], at?: At, test?: string, param?: VariableLike): Val {
  const flat: Val[] = [];
  let keep = test;
  for (const o of options) {
    if (o.k === 'alt') {
      flat.push(...o.options);
      keep = undefined;
      param ??= o.param;
    } else flat.push(o);
  }
  const out: Val[] = [];
  for (const o of flat) {
    if (o.k === 'prim' && out.some((x) => x.k === 'prim' && Object.is(x.v, o.v))) {
      if (keep !== undefined) keep = undefined; // a merged option no longer lines up with its test
      continue;
    }
    out.push(o);
  }
  if (out.length === 1) return out[0];
  if (out.length > MAX_OPTIONS) return unknown(`it is one of ${out.length} values`, at, param ? { param } : undefined);
  return { k: 'alt', options: out, ...(keep !== undefined ? { test: keep } : {}), ...(param ? { param } : {}), node: at?.node, ctx: at?.ctx };
}

/** Apply `f` to every combination of the alternatives among `parts` (at most MAX_OPTIONS results). */
function lift(parts: Val[], f: (vals: Val[]) => Val, at: At): Val {
  if (!parts.some((x) => x.k === 'alt')) return f(parts);
  let combos: Val[][] = [[]];
  for (const x of parts) {
    const opts = x.k === 'alt' ? x.options : [x];
    combos = combos.flatMap((c) => opts.map((o) => [...c, o]));
    if (combos.length > MAX_OPTIONS * 2) return unknown('it is one of too many values', at, paramOf(parts.find((y) => y.k === 'alt')!));
  }
  const one = parts.filter((x) => x.k === 'alt');
  const test = one.length === 1 ? (one[0] as AltVal).test : undefined;
  return alt(combos.map(f), at, test, one.map((x) => (x as AltVal).param).find(Boolean));
}

/** `lift`, marking a result computed from an argument (see `At.viaArg`). */
function liftArg(parts: Val[], f: (vals: Val[]) => Val, at: At): Val {
  const r = lift(parts, f, at);
  if (!parts.some((x) => x.viaArg || (x.k === 'alt' && x.options.some((o) => o.viaArg)))) return r;
  return r.k === 'alt' ? { ...r, viaArg: true, options: r.options.map((o) => ({ ...o, viaArg: true })) } : { ...r, viaArg: true };
}

export type Env = ReadonlyMap<VariableLike, Val> | undefined;

export function unknown(reason: string, at?: At, extra?: Partial<UnkVal>): UnkVal {
  return { k: 'unknown', reason, node: at?.node, ctx: at?.ctx, ...extra };
}

export function prim(v: PrimVal['v'], at?: At): PrimVal {
  return { k: 'prim', v, node: at?.node, ctx: at?.ctx };
}

export function obj(props: Map<string, Prop> = new Map(), open: string[] = [], at?: At): ObjVal {
  return { k: 'obj', props, open, node: at?.node, ctx: at?.ctx };
}

const MAX_DEPTH = 40;

/** Evaluation state of one call: cycle and depth guard. */
export class Guard {
  depth = 0;
  readonly busy = new Set<unknown>();
}

export function evaluate(n: Node, ctx: FileCtx, env?: Env): Val {
  return ev(n, ctx, env, new Guard());
}

/** Source text for messages, in backquotes. */
export function code(ctx: FileCtx, n: Node): string {
  return '`' + textOf(ctx.text, n, 40) + '`';
}

/** `evaluate` inside an evaluation already under way (its guard and parameter bindings). */
export function ev(n: Node, ctx: FileCtx, env: Env, g: Guard): Val {
  if (g.depth > MAX_DEPTH) return unknown('too deeply nested to follow', { node: n, ctx });
  g.depth++;
  try {
    const v = evInner(n, ctx, env, g);
    return v.k === 'unknown' ? typed(v, n, ctx) : v;
  } finally {
    g.depth--;
  }
}

/** What the syntax could not resolve, from a literal type: `x as 'A'`, or the type checker (typed linting). */
function typed(v: UnkVal, n: Node, ctx: FileCtx): Val {
  if ((n.type === 'TSAsExpression' || n.type === 'TSTypeAssertion') && n.typeAnnotation) {
    const lits = literalsOf(n.typeAnnotation, ctx);
    if (lits) return alt(lits, { node: n, ctx }, undefined, v.param);
  }
  if (!ctx.typeOf || v.bad) return v;
  const lits = ctx.typeOf(n);
  if (!lits?.length || lits.length > MAX_OPTIONS) return v;
  return alt(lits.map((x) => prim(x, { node: n, ctx })), { node: n, ctx }, undefined, v.param);
}

/** A key for what decides a conditional: alternatives with the same test choose together. */
function testKey(n: Node, ctx: FileCtx): { key: string; negated: boolean } | undefined {
  let neg = false;
  let t = unwrap(n);
  while (t.type === 'UnaryExpression' && t.operator === '!') {
    neg = !neg;
    t = unwrap(t.argument);
  }
  const name = dottedName(t) ?? (pure(t) ? textOf(ctx.text, t, 200) : undefined);
  return name === undefined ? undefined : { key: `${ctx.file ?? ''}|${name}`, negated: neg };
}

/** An expression without calls or writes: the same text twice has the same value (`page === 'cart'`). */
function pure(n: Node, depth = 0): boolean {
  if (depth > 12) return false;
  switch (n.type) {
    case 'Identifier':
    case 'Literal':
    case 'ThisExpression':
      return true;
    case 'MemberExpression':
      return pure(n.object, depth + 1) && (!n.computed || pure(n.property, depth + 1));
    case 'UnaryExpression':
      return n.operator !== 'delete' && pure(n.argument, depth + 1);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return n.left.type !== 'PrivateIdentifier' && pure(n.left, depth + 1) && pure(n.right, depth + 1);
    case 'TemplateLiteral':
      return n.expressions.every((x) => pure(x, depth + 1));
    case 'ChainExpression':
    case 'TSNonNullExpression':
    case 'TSAsExpression':
      return pure(n.expression, depth + 1);
    default:
      return false;
  }
}

function truthy(v: Val): boolean | undefined {
  if (v.k === 'prim') return !!v.v;
  if (v.k === 'obj' || v.k === 'arr' || v.k === 'fn' || v.k === 'sdk' || v.k === 'class') return true;
  return undefined;
}

function evInner(n0: Node, ctx: FileCtx, env: Env, g: Guard): Val {
  const n = unwrap(n0);
  const at = { node: n0, ctx };
  switch (n.type) {
    case 'Literal': {
      if ('regex' in n && n.regex) return unknown(`${code(ctx, n)} is a regular expression`, at);
      if (typeof n.value === 'bigint') return unknown(`${code(ctx, n)} is a bigint`, at);
      return { k: 'prim', v: n.value as PrimVal['v'], lit: n, litCtx: ctx, ...at };
    }
    case 'TemplateLiteral': {
      if (n.expressions.length === 0) return { k: 'prim', v: n.quasis[0].value.cooked ?? '', lit: n, litCtx: ctx, ...at };
      const parts = n.expressions.map((x) => ev(x, ctx, env, g));
      return liftArg(parts, (vals) => {
        let s = n.quasis[0].value.cooked ?? '';
        for (let i = 0; i < vals.length; i++) {
          const part = vals[i];
          if (part.k !== 'prim') return unknown(`${code(ctx, n.expressions[i])} in the template literal is not a constant${why(part)}`, at, paramOf(part));
          s += String(part.v) + (n.quasis[i + 1].value.cooked ?? '');
        }
        return prim(s, at);
      }, at);
    }
    case 'UnaryExpression': {
      if (n.operator === 'void') return prim(undefined, at);
      if (n.operator === 'typeof' || n.operator === 'delete') return unknown(`${code(ctx, n)} is not a constant`, at);
      return liftArg([ev(n.argument, ctx, env, g)], ([a]) => {
        if (a.k !== 'prim') {
          if (n.operator === '!' && truthy(a) !== undefined) return prim(!truthy(a), at);
          return a.k === 'unknown' ? { ...a, node: n0, ctx } : unknown(`${code(ctx, n)} is not a constant`, at);
        }
        switch (n.operator) {
          case '-': return prim(-(a.v as number), at);
          case '+': return prim(+(a.v as number), at);
          case '!': return prim(!a.v, at);
          case '~': return prim(~(a.v as number), at);
          default: return unknown(`${code(ctx, n)} is not a constant`, at);
        }
      }, at);
    }
    case 'BinaryExpression': {
      if (n.left.type === 'PrivateIdentifier') return unknown(`${code(ctx, n)} is not a constant`, at);
      return liftArg([ev(n.left, ctx, env, g), ev(n.right, ctx, env, g)], ([a, b]) => {
        if (a.k !== 'prim' || b.k !== 'prim') {
          const u = a.k === 'unknown' ? a : b.k === 'unknown' ? b : undefined;
          return unknown(`${code(ctx, n)} is not a constant${u ? why(u) : ''}`, at, u ? paramOf(u) : undefined);
        }
        const x = a.v as number;
        const y = b.v as number;
        switch (n.operator) {
          case '+': return prim((x as unknown as string) + (y as unknown as string), at);
          case '-': return prim(x - y, at);
          case '*': return prim(x * y, at);
          case '/': return prim(x / y, at);
          case '%': return prim(x % y, at);
          case '===': return prim(x === y, at);
          case '!==': return prim(x !== y, at);
          default: return unknown(`${code(ctx, n)} is not a constant`, at);
        }
      }, at);
    }
    case 'LogicalExpression': {
      const a = ev(n.left, ctx, env, g);
      const decide = (x: Val): boolean | undefined => {
        if (n.operator === '??') return x.k === 'prim' ? x.v === null || x.v === undefined : x.k === 'unknown' || x.k === 'alt' ? undefined : false;
        const t = truthy(x);
        return t === undefined ? undefined : n.operator === '||' ? !t : t;
      };
      const takeRight = decide(a);
      if (takeRight !== undefined) return takeRight ? ev(n.right, ctx, env, g) : a;
      if (a.k === 'alt' && a.options.every((o) => decide(o) !== undefined)) {
        let right: Val | undefined;
        return alt(a.options.map((o) => (decide(o) ? (right ??= ev(n.right, ctx, env, g)) : o)), at, undefined, a.param);
      }
      // Either side can be the value: check both (the left one only when it is not falsy / nullish).
      const b = ev(n.right, ctx, env, g);
      const t = testKey(n.left, ctx);
      const left: Val = n.operator === '&&' ? unknown(`${code(ctx, n.left)} is falsy`, { node: n.left, ctx }, paramOf(a)) : a;
      const key = t && (n.operator === '??' ? `??${t.key}` : t.negated ? undefined : t.key);
      return alt(n.operator === '&&' ? [b, left] : [left, b], at, key, a.k === 'unknown' || a.k === 'alt' ? a.param : undefined);
    }
    case 'ConditionalExpression': {
      const t = ev(n.test, ctx, env, g);
      const tv = truthy(t);
      if (tv !== undefined) return ev(tv ? n.consequent : n.alternate, ctx, env, g);
      const a = ev(n.consequent, ctx, env, g);
      const b = ev(n.alternate, ctx, env, g);
      if (a.k === 'prim' && b.k === 'prim' && a.v === b.v) return a;
      const k = testKey(n.test, ctx);
      return alt(k?.negated ? [b, a] : [a, b], at, k?.key, t.k === 'unknown' ? t.param : undefined);
    }
    case 'SequenceExpression':
      return ev(n.expressions[n.expressions.length - 1], ctx, env, g);
    case 'Identifier':
      return identifier(n, ctx, env, g, at);
    case 'MemberExpression': {
      const o = ev(n.object, ctx, env, g);
      if (!n.computed) return member(o, memberKey(n), n, ctx, g);
      return lift([ev(n.property, ctx, env, g)], ([kv]) => {
        if (kv.k === 'prim' && (typeof kv.v === 'string' || typeof kv.v === 'number')) return member(o, String(kv.v), n, ctx, g);
        return unknown(`${code(ctx, n)} reads a computed property${why(kv)}`, at, paramOf(kv) ?? paramOf(o));
      }, at);
    }
    case 'ObjectExpression':
      return objectLiteral(n, ctx, env, g);
    case 'ArrayExpression': {
      const items: Val[] = [];
      let open: string | undefined;
      for (const el of n.elements) {
        if (!el) {
          items.push(prim(undefined));
          continue;
        }
        if (el.type === 'SpreadElement') {
          const s = ev(el.argument, ctx, env, g);
          if (s.k === 'arr') items.push(...s.items);
          else open = `${code(ctx, el)} spreads a value not known statically${why(s)}`;
          continue;
        }
        items.push(ev(el, ctx, env, g));
      }
      return { k: 'arr', items, open, ...at };
    }
    case 'CallExpression':
      return call(n, ctx, env, g, at);
    case 'NewExpression':
      return construct(n, ctx, env, g, at);
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return { k: 'fn', fn: n, fnCtx: ctx, name: fnName(n, ctx), ...at };
    case 'AwaitExpression':
      return unknown(`${code(ctx, n)} is awaited at run time`, at);
    case 'ThisExpression':
      return thisValue(n, ctx, g, at);
    case 'ClassExpression':
      return { k: 'class', cls: n, clsCtx: ctx, ...at };
    default:
      return unknown(`${code(ctx, n)} is not a constant`, at);
  }
}

/** ": <inner reason>" for messages that wrap another unknown. */
function why(v: Val): string {
  return v.k === 'unknown' ? ` (${v.reason})` : '';
}

function paramOf(v: Val): Partial<UnkVal> | undefined {
  return (v.k === 'unknown' || v.k === 'alt') && v.param ? { param: v.param } : undefined;
}

function identifier(n: TSESTree.Identifier, ctx: FileCtx, env: Env, g: Guard, at: { node: Node; ctx: FileCtx }): Val {
  const ref = ctx.refs.get(n);
  const v = ref?.resolved ?? null;
  if (!v || (v.scope.type === 'global' && v.defs.length === 0)) {
    const implicit = implicitGlobal(n.name, ctx);
    if (implicit) return flowRead(implicit, globalEvents(implicit.references, ctx.text), n, ctx, env, g, at);
    return globalName(n.name, at);
  }
  const def = v.defs.length === 1 ? v.defs[0] : undefined;
  if (def && (def.type === 'Variable' || def.type === 'Parameter') && !(def.parent as TSESTree.VariableDeclaration | undefined)?.declare && n !== def.name) {
    const events = eventsOf(v, ctx.text);
    if (events.writes.length || events.changes.length) return flowRead(v, events, n, ctx, env, g, at);
  }
  if (env?.has(v)) return { ...env.get(v)!, viaArg: true };
  const known = ctx.vars.get(v);
  if (known) return known;
  if (g.busy.has(v)) return unknown(`\`${n.name}\` refers to itself`, at);
  g.busy.add(v);
  try {
    const val = variable(v, n, ctx, env, g);
    // A value read under parameter bindings, or that depends on a parameter, differs from call to call.
    if ((!env || env.size === 0) && !dependsOnParameter(val)) ctx.vars.set(v, val);
    return val;
  } finally {
    g.busy.delete(v);
  }
}

function dependsOnParameter(v: Val, depth = 0): boolean {
  if (depth > 20) return true;
  switch (v.k) {
    case 'unknown':
      return !!v.param;
    case 'alt':
      return !!v.param || v.options.some((x) => dependsOnParameter(x, depth + 1));
    case 'obj':
      if (v.openParam) return true;
      for (const p of v.props.values()) if (dependsOnParameter(p.val, depth + 1)) return true;
      return false;
    case 'arr':
      return v.items.some((x) => dependsOnParameter(x, depth + 1));
    default:
      return false;
  }
}

/** The value a `var`/`let`/`const` declaration gives (its initialiser, or undefined). */
function declared(v: VariableLike, decl: TSESTree.VariableDeclarator, ctx: FileCtx, env: Env, g: Guard, at: At): Val {
  const list = decl.parent as TSESTree.VariableDeclaration | undefined;
  const loop = list?.parent;
  if (loop && (loop.type === 'ForOfStatement' || loop.type === 'ForInStatement')) return unknown(`\`${v.name}\` is a loop variable`, at);
  if (!decl.init) return list?.kind === 'const' ? unknown(`\`${v.name}\` has no initial value`, at) : prim(undefined, at);
  const init = ev(decl.init, ctx, env, g);
  const val = destructure(decl.id, v.defs[0].name, init, ctx, env, g) ?? unknown(`\`${v.name}\` is not followed`, at);
  return annotated(v, ctx, val);
}

const NOT_IMPLICIT = new Set(['mParticle', 'window', 'globalThis', 'self', 'global', 'undefined', 'NaN', 'Infinity', 'Object', 'String', 'Number', 'require', 'module', 'exports']);

/** An undeclared name the file assigns (`object123 = {…}` in a script) as a variable made of its references. */
function implicitGlobal(name: string, ctx: FileCtx): VariableLike | undefined {
  if (NOT_IMPLICIT.has(name)) return undefined;
  ctx.globals ??= new Map();
  let v = ctx.globals.get(name);
  if (v === undefined) {
    const gs = ctx.sm.globalScope as (NonNullable<ScopeManagerLike['globalScope']> & { through?: VariableLike['references'] }) | null;
    const refs = (gs?.through ?? []).filter((r) => (r.identifier as TSESTree.Identifier).name === name);
    v = refs.some((r) => r.isWrite()) && gs ? { name, defs: [], references: refs, scope: gs } : null;
    ctx.globals.set(name, v);
  }
  return v ?? undefined;
}

/**
 * The value of a variable that is reassigned, or whose object is changed, at one read: the write that reaches the read
 * in straight-line code, with the changes made to its object on the way. Unknown where a branch, a loop or a callback
 * makes that unknowable.
 */
function flowRead(v: VariableLike, events: Events, id: TSESTree.Identifier, ctx: FileCtx, env: Env, g: Guard, at: At): Val {
  if (g.busy.has(id)) return unknown(`\`${v.name}\` refers to itself`, at);
  g.busy.add(id);
  try {
    const def = v.defs[0] as (typeof v.defs)[number] | undefined;
    const decl = def?.type === 'Variable' ? (def.node as TSESTree.VariableDeclarator) : undefined;
    const declFn = def ? functionOf(def.name) : undefined;
    const readFn = functionOf(id);
    const path = walkBack(id, events, decl, declFn);
    const reach = path.reach;
    let base: Val;
    let from = readFn.range[0];
    switch (reach.k) {
      case 'unknown':
        return annotated(v, ctx, unknown(`\`${v.name}\` is reassigned (${reach.reason})`, at));
      case 'decl':
        base = declared(v, reach.decl, ctx, env, g, at);
        from = reach.decl.range[1];
        break;
      case 'assign': {
        const rhs = ev(reach.node.right, ctx, env, g);
        if (reach.node.operator === '+=') {
          const before = flowRead(v, events, reach.node.left as TSESTree.Identifier, ctx, env, g, at);
          base = liftArg([before, rhs], ([a, b]) => (a.k === 'prim' && b.k === 'prim' ? prim((a.v as string) + (b.v as string), at) : unknown(`\`${v.name}\` is built from values not known statically`, at, paramOf(a) ?? paramOf(b))), at);
        } else base = rhs;
        base = annotated(v, ctx, base);
        from = reach.node.range[1];
        break;
      }
      case 'entry':
        if (!def) return globalName(v.name, at);
        if (def.type === 'Parameter' && declFn === readFn) {
          base = env?.has(v) ? { ...env.get(v)!, viaArg: true } : annotated(v, ctx, parameter(v, def.node, ctx, g, at));
          break;
        }
        if (reach.hoisted && decl) {
          base = prim(undefined, at);
          break;
        }
        if (events.writes.length) return annotated(v, ctx, unknown(`\`${v.name}\` is reassigned elsewhere, so its value when ${describeFn(readFn, ctx)} runs is not known`, at));
        base = decl ? declared(v, decl, ctx, undefined, g, at) : env?.get(v) ?? parameter(v, def.node, ctx, g, at);
        break;
    }
    // Code elsewhere (a callback, another function) may run before the read when anything is called on the way.
    const mayRun = reach.k === 'entry' || callsBetween(readFn, from, id.range[0], ctx.keys);
    if (mayRun && events.writes.some((w) => !path.seen.has(w) && functionOf(w) !== readFn)) {
      return annotated(v, ctx, unknown(`\`${v.name}\` is also assigned in another function, which may run before the call`, at));
    }
    if (base.k === 'unknown' && path.changes.some((c) => c.definite)) {
      // Keys set on an object not known statically (a parameter): those keys are known, the rest are not.
      base = { k: 'obj', props: new Map(), open: [base.reason], ...(base.param ? { openParam: base.param } : {}), openAt: { node: base.node, ctx: base.ctx }, node: base.node, ctx: base.ctx };
    }
    if (base.k !== 'obj' && base.k !== 'arr') return base;
    if (decl?.init && unwrap(decl.init).type === 'NewExpression') return base; // Node SDK models follow their own assignments
    const elsewhere = events.changes.filter((c) => !path.seen.has(c) && (reach.k === 'entry' || (mayRun && functionOf(c) !== readFn)));
    return applyChanges(base, path.changes, elsewhere, ctx, env, g);
  } finally {
    g.busy.delete(id);
  }
}

function describeFn(fn: Node, ctx: FileCtx): string {
  return fn.type === 'Program' ? 'the module' : isFunction(fn) ? fnName(fn, ctx) : 'it';
}

/** The object after the changes made to it on the way to the read (`x.k = …`, `delete x.k`); other changes make it open. */
function applyChanges(base: ObjVal | ArrVal, path: Array<{ node: Node; definite: boolean }>, elsewhere: Node[], ctx: FileCtx, env: Env, g: Guard): Val {
  if (path.length === 0 && elsewhere.length === 0) return base;
  const reasons: string[] = [];
  const at = (n: Node) => `${code(ctx, statementOf(n))} may change it`;
  if (base.k === 'arr') return { ...base, open: base.open ?? at(path[0]?.node ?? elsewhere[0]) };
  const props = new Map(base.props);
  for (const c of path) {
    const m = c.node.parent as TSESTree.MemberExpression;
    const st = m.parent!;
    let key: string | undefined;
    if (c.definite) {
      const kv = m.computed ? ev(m.property, ctx, env, g) : prim((m.property as TSESTree.Identifier).name);
      if (kv.k === 'prim' && (typeof kv.v === 'string' || typeof kv.v === 'number')) key = String(kv.v);
    }
    if (key === undefined) {
      reasons.push(at(c.node));
      // A change that may or may not run still makes the key it touches unknown (x.k.j = … in a branch).
      const k = m.type === 'MemberExpression' && m.object === c.node && !m.computed && m.property.type === 'Identifier' ? m.property.name : undefined;
      if (k !== undefined && props.has(k) && !(st.type === 'CallExpression' && st.callee === m)) {
        props.set(k, { val: unknown(`${code(ctx, statementOf(c.node))} may change \`${k}\``, { node: st, ctx }), node: st, key: m.property, ctx });
      }
      continue;
    }
    if (st.type === 'AssignmentExpression' && st.left === m && st.operator === '=') props.set(key, { val: ev(st.right, ctx, env, g), node: st, key: m.property, ctx });
    else if (st.type === 'UnaryExpression' && st.operator === 'delete') props.delete(key);
    else if (st.type === 'CallExpression' && st.callee === m) reasons.push(at(c.node)); // a method of the object: may change anything
    else {
      // x.k.j = v sets j in the object at k; anything else (x.k += 1, x.k.push(v), x.k.j.l = v) leaves k unknown.
      const cur = props.get(key);
      const inner = st.type === 'MemberExpression' && st.object === m ? st : undefined;
      const up = inner?.parent;
      const sub = inner && up?.type === 'AssignmentExpression' && up.left === inner && up.operator === '=' ? (inner.computed ? ev(inner.property, ctx, env, g) : prim(memberKey(inner))) : undefined;
      if (cur?.val.k === 'obj' && sub?.k === 'prim' && (typeof sub.v === 'string' || typeof sub.v === 'number')) {
        const next = new Map(cur.val.props);
        next.set(String(sub.v), { val: ev((up as TSESTree.AssignmentExpression).right, ctx, env, g), node: up!, key: inner!.property, ctx });
        props.set(key, { ...cur, val: { ...cur.val, props: next } });
      } else props.set(key, { val: unknown(`${code(ctx, statementOf(c.node))} changes \`${key}\``, { node: st, ctx }), node: st, key: m.property, ctx });
    }
  }
  for (const c of elsewhere) reasons.push(`${code(ctx, statementOf(c))} may have changed it`);
  return { ...base, props, open: [...base.open, ...reasons] };
}

function statementOf(n: Node): Node {
  let p: Node = n;
  while (p.parent && !/Statement$|Declaration$/.test(p.type)) p = p.parent;
  return p;
}

/**
 * A value the syntax cannot resolve, from the variable's literal type annotation (`name: 'A' | 'B'`,
 * `declare const X: 'A'`): TypeScript lets nothing else reach it.
 */
function annotated(v: VariableLike, ctx: FileCtx, val: Val): Val {
  if (val.k !== 'unknown' && val.k !== 'global') return val;
  const def = v.defs[0];
  if (!def) return val;
  const ann = annotationOf(def.name);
  if (!ann) return val;
  const lits = literalsOf(ann, ctx);
  if (!lits) return val;
  const param = val.k === 'unknown' ? val.param : undefined;
  return alt(lits, { node: def.name, ctx }, undefined, param);
}

function globalName(name: string, at: At): Val {
  switch (name) {
    case 'mParticle': return { k: 'sdk', sdk: 'web', path: [], ...at };
    case 'window':
    case 'globalThis':
    case 'self':
    case 'global': return { k: 'global', name, ...at };
    case 'undefined': return prim(undefined, at);
    case 'NaN': return prim(NaN, at);
    case 'Infinity': return prim(Infinity, at);
    case 'Object':
    case 'String':
    case 'Number':
    case 'require': return { k: 'global', name, ...at };
    default: return unknown(`\`${name}\` is a global variable`, at);
  }
}

function variable(v: VariableLike, id: TSESTree.Identifier, ctx: FileCtx, env: Env, g: Guard): Val {
  const at = { node: id as Node, ctx };
  if (v.defs.length !== 1) return unknown(`\`${v.name}\` is declared more than once`, at);
  const def = v.defs[0];
  switch (def.type) {
    case 'Variable': {
      const list = def.parent as TSESTree.VariableDeclaration | undefined;
      if (list?.declare) return annotated(v, ctx, globalName(v.name, at));
      if (v.references.some((r) => r.isWrite() && !r.init)) return unknown(`\`${v.name}\` is reassigned`, at);
      return declared(v, def.node as TSESTree.VariableDeclarator, ctx, env, g, at);
    }
    case 'ImportBinding': {
      const imp = importOf(def);
      if (!imp) return unknown(`\`${v.name}\` is an import not followed`, at);
      if (imp.typeOnly) return unknown(`\`${v.name}\` is a type`, at);
      return importValue(imp.source, imp.name, ctx, g, at);
    }
    case 'FunctionName':
      return { k: 'fn', fn: def.node as TSESTree.FunctionDeclaration, fnCtx: ctx, name: v.name, ...at };
    case 'Parameter':
      return annotated(v, ctx, parameter(v, def.node, ctx, g, at));
    case 'TSEnumName':
      return enumValue(def.node as TSESTree.TSEnumDeclaration, ctx, g);
    case 'TSEnumMember': {
      const m = def.node as TSESTree.TSEnumMember;
      const e = m.parent as TSESTree.TSEnumBody | TSESTree.TSEnumDeclaration;
      const decl = (e.type === 'TSEnumBody' ? e.parent : e) as TSESTree.TSEnumDeclaration;
      const all = enumValue(decl, ctx, g);
      return all.props.get(v.name)?.val ?? unknown(`\`${v.name}\` is not followed`, at);
    }
    default:
      if (def.type === 'ClassName' && (def.node.type === 'ClassDeclaration' || def.node.type === 'ClassExpression')) return { k: 'class', cls: def.node, clsCtx: ctx, ...at };
      return unknown(`\`${v.name}\` is a ${def.type === 'CatchClause' ? 'caught error' : 'binding not followed'}`, at);
  }
}

/** The value an import names: the SDKs, or an export of a project module. */
export function importValue(source: string, name: string, ctx: FileCtx, g: Guard = new Guard(), at?: At): Val {
  if (WEB_SDK_MODULES.has(source)) return sdkPath('web', name === 'default' || name === '*' ? [] : [name], at);
  if (NODE_SDK_MODULES.has(source)) return sdkPath('node', name === 'default' || name === '*' ? [] : [name], at);
  const w = ctx.world;
  if (!w.followImports || !ctx.file) return unknown(`\`${name}\` is imported from "${source}"`, at);
  const file = w.resolveModule(ctx.file, source);
  if (!file) return unknown(`"${source}" is not a project module that can be read`, at);
  const mod = w.loadModule(file);
  if (!mod) return unknown(`"${source}" cannot be parsed`, at);
  if (name === '*') return { k: 'ns', mod, ...at };
  const val = exportValue(mod, name, g);
  return val.k === 'unknown' && !val.node ? { ...val, node: at?.node, ctx: at?.ctx } : val;
}

/** The value a module exports under `name` (ESM exports, re-exports, `module.exports`). */
export function exportValue(mod: FileCtx, name: string, g: Guard = new Guard()): Val {
  const cached = mod.exports.get(name);
  if (cached) return cached;
  const key = `${mod.file}#${name}`;
  if (g.busy.has(key)) return unknown(`export "${name}" of ${mod.file} refers to itself`);
  g.busy.add(key);
  try {
    const val = findExport(mod, name, g);
    mod.exports.set(name, val);
    return val;
  } finally {
    g.busy.delete(key);
  }
}

function findExport(mod: FileCtx, name: string, g: Guard): Val {
  const stars: string[] = [];
  for (const st of mod.ast.body) {
    if (st.type === 'ExportNamedDeclaration') {
      const d = st.declaration;
      if (d) {
        if (d.type === 'VariableDeclaration') {
          for (const decl of d.declarations) {
            for (const v of mod.sm.getDeclaredVariables(decl)) if (v.name === name) return identifierOf(v, mod, g);
          }
        } else if ((d.type === 'FunctionDeclaration' || d.type === 'TSEnumDeclaration' || d.type === 'ClassDeclaration') && d.id?.name === name) {
          if (d.type === 'FunctionDeclaration') return { k: 'fn', fn: d, fnCtx: mod, name, node: d, ctx: mod };
          if (d.type === 'ClassDeclaration') return { k: 'class', cls: d, clsCtx: mod, node: d, ctx: mod };
          return enumValue(d, mod, g);
        }
        continue;
      }
      for (const s of st.specifiers) {
        const exported = s.exported.type === 'Identifier' ? s.exported.name : String(s.exported.value);
        if (exported !== name) continue;
        const local = s.local.type === 'Identifier' ? s.local.name : String(s.local.value);
        if (st.source) return importValue(String(st.source.value), local, mod, g, { node: s, ctx: mod });
        return ev(s.local, mod, undefined, g);
      }
    } else if (st.type === 'ExportDefaultDeclaration' && name === 'default') {
      const d = st.declaration;
      if (d.type === 'FunctionDeclaration') return { k: 'fn', fn: d, fnCtx: mod, name: d.id?.name ?? 'default', node: d, ctx: mod };
      if (d.type === 'TSEnumDeclaration') return enumValue(d, mod, g);
      if (d.type === 'ClassDeclaration') return { k: 'class', cls: d, clsCtx: mod, node: d, ctx: mod };
      if (d.type === 'TSInterfaceDeclaration' || d.type === 'TSDeclareFunction' || d.type === 'TSModuleDeclaration' || d.type === 'TSTypeAliasDeclaration' || d.type === 'VariableDeclaration') {
        return unknown(`the default export of ${mod.file} is not a value`);
      }
      return ev(d, mod, undefined, g);
    } else if (st.type === 'ExportAllDeclaration') {
      if (st.exported) {
        const exp = st.exported as TSESTree.Identifier | TSESTree.StringLiteral;
        const ex = exp.type === 'Identifier' ? exp.name : String(exp.value);
        if (ex === name) return importValue(String(st.source.value), '*', mod, g, { node: st, ctx: mod });
      } else if (name !== 'default') stars.push(String(st.source.value));
    } else if (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && st.expression.operator === '=') {
      const cjs = commonJsExport(st.expression, name, mod, g);
      if (cjs) return cjs;
    }
  }
  for (const source of stars) {
    const v = importValue(source, name, mod, g);
    if (v.k !== 'unknown') return v;
  }
  return unknown(`${mod.file} has no export "${name}"`);
}

/** `module.exports = {...}`, `module.exports.x = …`, `exports.x = …`. */
function commonJsExport(a: TSESTree.AssignmentExpression, name: string, mod: FileCtx, g: Guard): Val | undefined {
  const left = a.left;
  if (left.type !== 'MemberExpression') return undefined;
  const o = left.object;
  const prop = left.computed ? undefined : (left.property as TSESTree.Identifier).name;
  const isModuleExports = (x: Node) => x.type === 'MemberExpression' && !x.computed && x.object.type === 'Identifier' && x.object.name === 'module' && (x.property as TSESTree.Identifier).name === 'exports';
  if (isModuleExports(left)) {
    const whole = ev(a.right, mod, undefined, g);
    return name === 'default' ? whole : whole.k === 'obj' && whole.props.has(name) ? whole.props.get(name)!.val : undefined;
  }
  if (prop === name && ((o.type === 'Identifier' && o.name === 'exports') || isModuleExports(o))) return ev(a.right, mod, undefined, g);
  return undefined;
}

function identifierOf(v: VariableLike, mod: FileCtx, g: Guard): Val {
  const def = v.defs[0];
  if (!def) return unknown(`\`${v.name}\` is not followed`);
  const known = mod.vars.get(v);
  if (known) return known;
  if (g.busy.has(v)) return unknown(`\`${v.name}\` refers to itself`);
  g.busy.add(v);
  try {
    const val = variable(v, def.name as TSESTree.Identifier, mod, undefined, g);
    if (!dependsOnParameter(val)) mod.vars.set(v, val);
    return val;
  } finally {
    g.busy.delete(v);
  }
}

/** Read the value bound to `target` inside a declaration pattern. */
function destructure(pattern: Node, target: Node, value: Val, ctx: FileCtx, env: Env, g: Guard): Val | undefined {
  switch (pattern.type) {
    case 'Identifier':
      return pattern === target ? value : undefined;
    case 'AssignmentPattern': {
      const missing = value.k === 'prim' && value.v === undefined;
      return destructure(pattern.left, target, missing ? ev(pattern.right, ctx, env, g) : value, ctx, env, g);
    }
    case 'ObjectPattern':
      for (const p of pattern.properties) {
        if (p.type === 'RestElement') {
          const r = destructure(p.argument, target, unknown('a rest element is not followed', { node: p, ctx }), ctx, env, g);
          if (r) return r;
          continue;
        }
        let key = staticKey(p);
        if (key === undefined && p.computed) {
          const kv = ev(p.key, ctx, env, g);
          if (kv.k === 'prim') key = String(kv.v);
        }
        const sub = key === undefined ? unknown(`${code(ctx, p.key)} is a computed key`, { node: p, ctx }) : member(value, key, p, ctx, g);
        const r = destructure(p.value, target, sub, ctx, env, g);
        if (r) return r;
      }
      return undefined;
    case 'ArrayPattern':
      for (let i = 0; i < pattern.elements.length; i++) {
        const el = pattern.elements[i];
        if (!el) continue;
        const sub = el.type === 'RestElement' ? unknown('a rest element is not followed', { node: el, ctx }) : member(value, String(i), el, ctx, g);
        const r = destructure(el.type === 'RestElement' ? el.argument : el, target, sub, ctx, env, g);
        if (r) return r;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Bind a function's parameters to argument values (for wrapper expansion). */
export function bindParams(fn: FnVal['fn'], fnCtx: FileCtx, args: Val[], outer?: Env): Map<VariableLike, Val> {
  const env = new Map<VariableLike, Val>(outer ?? []);
  const g = new Guard();
  const vars = fnCtx.sm.getDeclaredVariables(fn).filter((v) => v.defs.some((d) => d.type === 'Parameter'));
  fn.params.forEach((p, i) => {
    const target = p.type === 'TSParameterProperty' ? p.parameter : p;
    const arg = target.type === 'RestElement' ? { k: 'arr' as const, items: args.slice(i) } : (args[i] ?? prim(undefined));
    const pattern = target.type === 'RestElement' ? target.argument : target;
    for (const v of vars) {
      const def = v.defs.find((d) => d.type === 'Parameter')!;
      if (!contains(p, def.name)) continue;
      const val = destructure(pattern, def.name, arg, fnCtx, env, g);
      if (val) env.set(v, val);
    }
  });
  return env;
}

/** The call that runs `fn` where it is written (`(function (mp) {…})(window.mParticle)`), if it is one. */
function iifeCall(fn: Node): TSESTree.CallExpression | undefined {
  const call = fn.parent;
  return call?.type === 'CallExpression' && unwrap(call.callee) === fn && isFunction(fn) ? call : undefined;
}

function parameter(v: VariableLike, fn: Node, ctx: FileCtx, g: Guard, at: At): Val {
  // A parameter of a function run where it is written is the argument it is run with (the IIFE boilerplate).
  const iife = iifeCall(fn);
  if (iife && isFunction(fn)) {
    const i = fn.params.findIndex((p) => p.type === 'Identifier' && p.name === v.name);
    const arg = i >= 0 && !iife.arguments.slice(0, i + 1).some((a) => a.type === 'SpreadElement') ? iife.arguments[i] : undefined;
    if (i >= 0) return arg ? { ...ev(arg, ctx, undefined, g), viaArg: true } : prim(undefined, at);
  }
  // The callback of an IDSync call receives the identity result: `login(req, (result) => result.getUser()…)`.
  if (isFunction(fn) && fn.params[0]?.type === 'Identifier' && fn.params[0].name === v.name) {
    const sdk = identityCallbackOf(fn, ctx, g);
    if (sdk) return sdkPath(sdk, ['#identityResult'], at);
  }
  return unknown(`\`${v.name}\` is a parameter of ${isFunction(fn) ? fnName(fn, ctx) : 'a function'}`, at, { param: v });
}

const IDSYNC = new Set(['identify', 'login', 'logout', 'modify']);

/** A function written as the `identityCallback` of an object literal (the web SDK's init config option). */
function isIdentityCallbackOption(fn: Node): boolean {
  const p = fn.parent;
  return p?.type === 'Property' && p.value === fn && p.parent?.type === 'ObjectExpression' && staticKey(p) === 'identityCallback';
}

/** The SDK of the IDSync call `arg` is the callback (second argument) of, if it is one. */
function idsyncCallOf(arg: Node, ctx: FileCtx, g: Guard): SdkVal['sdk'] | undefined {
  const call = arg.parent;
  if (call?.type !== 'CallExpression' || call.arguments[1] !== arg) return undefined;
  const callee = ev(call.callee, ctx, undefined, g);
  return callee.k === 'sdk' && callee.path.length === 2 && callee.path[0] === 'Identity' && IDSYNC.has(callee.path[1]) ? callee.sdk : undefined;
}

/**
 * The SDK whose IDSync calls `fn` is the callback of: passed inline, or by name, as mParticle's docs write it
 * (`var identityCallback = function (result) {…}; mParticle.Identity.login(request, identityCallback)`). A named
 * function counts only when it is never reassigned and every use of it is such a callback.
 */
function identityCallbackOf(fn: Node, ctx: FileCtx, g: Guard): SdkVal['sdk'] | undefined {
  // The web SDK's config: `window.mParticle = { config: { identityCallback(result) {…} } }`, or mParticle.init(key, config).
  if (isIdentityCallbackOption(fn)) return 'web';
  const uses = callbackUses(fn, ctx);
  if (uses.name?.references.some((r) => r.isWrite() && !r.init)) return undefined;
  let sdk: SdkVal['sdk'] | undefined;
  for (const arg of uses.args) {
    const used = idsyncCallOf(arg, ctx, g);
    if (!used || (sdk && used !== sdk)) return undefined;
    sdk = used;
  }
  return sdk;
}

/** A readable name for a function: `track`, `analytics.track`, `an inline function`. */
export function fnName(fn: Node, ctx: FileCtx): string {
  if ((fn.type === 'FunctionDeclaration' || fn.type === 'FunctionExpression') && fn.id) return `\`${fn.id.name}\``;
  const p = fn.parent;
  if (p?.type === 'VariableDeclarator' && p.id.type === 'Identifier') return `\`${p.id.name}\``;
  if ((p?.type === 'Property' || p?.type === 'MethodDefinition' || p?.type === 'PropertyDefinition') && !p.computed) return `\`${textOf(ctx.text, p.key, 30)}\``;
  return 'an inline function';
}

function objectLiteral(n: TSESTree.ObjectExpression, ctx: FileCtx, env: Env, g: Guard): ObjVal {
  const props = new Map<string, Prop>();
  const open: string[] = [];
  let openParam: VariableLike | undefined;
  let openAt: At | undefined;
  for (const p of n.properties) {
    if (p.type === 'SpreadElement') {
      const s = ev(p.argument, ctx, env, g);
      if (s.k === 'obj') {
        for (const [k, sp] of s.props) props.set(k, { ...sp, via: sp.via ?? p, viaCtx: sp.via ? sp.viaCtx : ctx });
        for (const o of s.open) open.push(o);
        if (s.openParam) openParam ??= s.openParam;
        if (s.openAt) openAt ??= s.openAt;
      } else if (s.k === 'prim' && (s.v === null || s.v === undefined)) {
        // spreading nothing adds nothing
      } else {
        open.push(`${code(ctx, p)} spreads a value not known statically${why(s)}`);
        if (s.k === 'unknown' && s.param) openParam ??= s.param;
        openAt ??= s.node ? { node: s.node, ctx: s.ctx } : { node: p, ctx };
      }
      continue;
    }
    let key = staticKey(p);
    if (key === undefined) {
      const kv = ev(p.key, ctx, env, g);
      if (kv.k === 'prim' && (typeof kv.v === 'string' || typeof kv.v === 'number')) key = String(kv.v);
      else {
        open.push(`${code(ctx, p.key)} is a computed key${why(kv)}`);
        continue;
      }
    }
    let val: Val;
    if (p.kind !== 'init') val = unknown(`\`${key}\` is an accessor`, { node: p, ctx });
    else val = ev(p.value, ctx, env, g);
    props.set(key, { val, node: p, key: p.key, ctx });
  }
  return { k: 'obj', props, open, ...(openParam ? { openParam } : {}), ...(openAt ? { openAt } : {}), node: n, ctx };
}

function enumValue(decl: TSESTree.TSEnumDeclaration, ctx: FileCtx, g: Guard): ObjVal {
  const memo = ctx.vars as unknown as WeakMap<object, Val>;
  const known = memo.get(decl);
  if (known?.k === 'obj') return known;
  const props = new Map<string, Prop>();
  const members = (decl as { body?: { members: TSESTree.TSEnumMember[] } }).body?.members ?? (decl as unknown as { members: TSESTree.TSEnumMember[] }).members;
  let next: number | undefined = 0;
  const out = obj(props, [], { node: decl, ctx });
  memo.set(decl, out);
  for (const m of members) {
    const key = m.id.type === 'Identifier' ? m.id.name : String((m.id as TSESTree.Literal).value);
    let val: Val;
    if (m.initializer) {
      val = ev(m.initializer, ctx, undefined, g);
      next = val.k === 'prim' && typeof val.v === 'number' ? val.v + 1 : undefined;
    } else if (next !== undefined) {
      val = prim(next, { node: m, ctx });
      next++;
    } else val = unknown(`enum member \`${key}\` has no value`, { node: m, ctx });
    props.set(key, { val, node: m, key: m.id, ctx });
  }
  return out;
}

export function sdkPath(sdk: 'web' | 'node', path: string[], at?: At): Val {
  // `import * as mp from '@mparticle/web-sdk'; mp.default.logEvent(...)`
  if (path[0] === 'default') path = path.slice(1);
  if (sdk === 'web' && path.length === 2 && path[0] in WEB_ENUMS) {
    const table = WEB_ENUMS[path[0]];
    const m = path[1];
    if (Object.prototype.hasOwnProperty.call(table, m)) {
      const node = at?.node && unwrap(at.node).type === 'MemberExpression' ? (unwrap(at.node) as TSESTree.MemberExpression) : undefined;
      return { k: 'prim', v: table[m], ...at, member: node, memberCtx: at?.ctx };
    }
    if (m === 'getName' || m === 'getExpansionName' || m === 'isValid') return { k: 'sdk', sdk, path, ...at };
    return badMember(path[0], m, Object.keys(table), at);
  }
  if (sdk === 'node' && path.length === 3) {
    const en = `${path[0]}.${path[1]}`;
    const values = NODE_ENUMS[en];
    if (values) {
      if (values.includes(path[2])) {
        const node = at?.node && unwrap(at.node).type === 'MemberExpression' ? (unwrap(at.node) as TSESTree.MemberExpression) : undefined;
        return { k: 'prim', v: path[2], ...at, member: node, memberCtx: at?.ctx };
      }
      return badMember(en, path[2], values, at);
    }
  }
  return { k: 'sdk', sdk, path, ...at };
}

function badMember(enumName: string, actual: string, members: string[], at?: At): UnkVal {
  const best = closest(actual, members);
  return unknown(`\`${actual}\` is not a member of ${enumName}`, at, { bad: { enumName, actual, members, suggestion: best?.value } });
}

/** Read `key` of a value. */
export function member(o: Val, key: string, n: Node, ctx: FileCtx, g: Guard = new Guard()): Val {
  const at = { node: n, ctx };
  switch (o.k) {
    case 'sdk':
      return sdkPath(o.sdk, [...o.path, key], at);
    case 'global':
      if ((o.name === 'window' || o.name === 'globalThis' || o.name === 'self' || o.name === 'global') && key === 'mParticle') return sdkPath('web', [], at);
      if (o.name === 'Object' || o.name === 'require') return { k: 'global', name: `${o.name}.${key}`, ...at };
      return unknown(`\`${o.name}.${key}\` is a global`, at);
    case 'obj': {
      const p = o.props.get(key);
      if (p) return o.viaArg ? { ...p.val, viaArg: true } : p.val;
      if (o.open.length) return unknown(`\`${key}\` may come from ${o.open[0]}`, at);
      return prim(undefined, at);
    }
    case 'arr':
      if (key === 'length' && !o.open) return prim(o.items.length, at);
      if (/^\d+$/.test(key) && !o.open) {
        const item = o.items[Number(key)];
        return item ? (o.viaArg ? { ...item, viaArg: true } : item) : prim(undefined, at);
      }
      return unknown(`${code(ctx, n)} reads an array`, at);
    case 'prim':
      if (typeof o.v === 'string' && key === 'length') return prim(o.v.length, at);
      if (o.v === null || o.v === undefined) return unknown(`${code(ctx, n)} reads a property of ${String(o.v)}`, at);
      return unknown(`${code(ctx, n)} is not followed`, at);
    case 'ns':
      return exportValue(o.mod, key, g);
    case 'class':
      return staticField(o, key, g) ?? unknown(`${code(ctx, n)} is not followed`, at);
    case 'unknown':
      return { ...o, node: n, ctx };
    default:
      return unknown(`${code(ctx, n)} is not a constant`, at);
  }
}

/**
 * A class's static field with an initialiser (`static sdk = mParticle`), when nothing assigns `Class.key` (or
 * `this.key` in a static method) elsewhere; undefined otherwise.
 */
function staticField(c: ClassVal, key: string, g: Guard): Val | undefined {
  const field = c.cls.body.body.find((m) => m.type === 'PropertyDefinition' && m.static && !m.computed && staticKey(m) === key);
  if (field?.type !== 'PropertyDefinition' || !field.value || reassignedStatics(c).has(key)) return undefined;
  return ev(field.value, c.clsCtx, undefined, g);
}

const reassigned = new WeakMap<object, Set<string>>();

/** Keys a class's code or its name's users assign (`Class.key = …`, `this.key = …` in the class, `++`), found once per class. */
function reassignedStatics(c: ClassVal): Set<string> {
  let out = reassigned.get(c.cls);
  if (out) return out;
  out = new Set();
  const note = (m: Node | null | undefined) => {
    if (m?.type === 'MemberExpression' && !m.computed && ((m.parent?.type === 'AssignmentExpression' && m.parent.left === m) || m.parent?.type === 'UpdateExpression')) out!.add(memberKey(m));
  };
  const named = c.cls.id ? c.clsCtx.sm.getDeclaredVariables(c.cls).find((v) => v.name === c.cls.id!.name) : undefined;
  for (const r of named?.references ?? []) note(r.identifier.parent);
  walk(c.cls.body, c.clsCtx.keys, (x) => {
    if (x.type === 'ThisExpression') note(x.parent);
  });
  reassigned.set(c.cls, out);
  return out;
}

function call(n: TSESTree.CallExpression, ctx: FileCtx, env: Env, g: Guard, at: { node: Node; ctx: FileCtx }): Val {
  const hook = reactHook(n.callee, ctx);
  if (hook && n.arguments[0] && n.arguments[0].type !== 'SpreadElement') {
    // useCallback(fn, deps) is fn; useMemo(() => value, deps) is value.
    const f = ev(n.arguments[0], ctx, env, g);
    return hook === 'useCallback' ? f : f.k === 'fn' ? returned(f, [], g, at) : unknown(`${code(ctx, n)} is a call`, at);
  }
  if (!calleeMayMatter(n.callee, ctx)) return unknown(`${code(ctx, n)} is a call`, at);
  const callee = ev(n.callee, ctx, env, g);
  const args = () => n.arguments.map((a) => (a.type === 'SpreadElement' ? unknown(`${code(ctx, a)} spreads arguments`, { node: a, ctx }) : ev(a, ctx, env, g)));
  if (callee.k === 'fn') return returned(callee, args(), g, at);
  if (callee.k === 'sdk') {
    const p = callee.path;
    const last = p[p.length - 1];
    if (callee.sdk === 'web') {
      if (p.length === 1 && last === 'getInstance') return sdkPath('web', [], at);
      if (p.length === 2 && p[0] === 'Identity' && (last === 'getCurrentUser' || last === 'getUser')) return sdkPath('web', ['#user'], at);
      if (p.length === 2 && p[0] === '#identityResult' && (last === 'getUser' || last === 'getPreviousUser')) return sdkPath('web', ['#user'], at);
      if (p.length === 2 && p[0] === 'eCommerce') {
        const built = webBuilder(last, args(), at);
        if (built) return built;
      }
    }
    return unknown(`${code(ctx, n)} is a call`, at);
  }
  if (callee.k === 'global') {
    const a = args();
    if (callee.name === 'Object.freeze' || callee.name === 'Object.seal') return a[0] ?? prim(undefined, at);
    if (callee.name === 'Object.assign' && a.length > 0) {
      const props = new Map<string, Prop>();
      const open: string[] = [];
      for (const x of a) {
        if (x.k === 'obj') {
          for (const [k, p] of x.props) props.set(k, p);
          open.push(...x.open);
        } else if (!(x.k === 'prim' && (x.v === null || x.v === undefined))) open.push(`${code(ctx, n)} merges a value not known statically${why(x)}`);
      }
      return obj(props, open, at);
    }
    if (callee.name === 'String' && a[0]?.k === 'prim') return prim(String(a[0].v), at);
    if (callee.name === 'require' && n.arguments[0]?.type === 'Literal' && typeof n.arguments[0].value === 'string') return importValue(n.arguments[0].value, '*', ctx, g, at);
  }
  return unknown(`${code(ctx, n)} is a call`, at, paramOf(callee));
}

/** `mParticle.eCommerce.createProduct(...)` and friends return plain objects with PascalCase keys. */
function webBuilder(name: string, a: Val[], at: { node: Node; ctx: FileCtx }): Val | undefined {
  const fields = (names: string[]) => {
    const props = new Map<string, Prop>();
    names.forEach((f, i) => {
      const v = a[i];
      if (v && !(v.k === 'prim' && v.v === undefined)) props.set(f, { val: v, node: v.node, ctx: v.ctx });
    });
    return props;
  };
  switch (name) {
    case 'createProduct': {
      // As the SDK's createProduct: price and quantity read with parseNumber (text that is no number is 0),
      // a quantity that is neither text nor a number is 1, a position that is not a number is null.
      const props = fields(['Name', 'Sku', 'Price', 'Quantity', 'Variant', 'Category', 'Brand', 'Position', 'CouponCode', 'Attributes']);
      const price = props.get('Price');
      if (price?.val.k === 'prim' && isStringOrNumber(price.val.v)) props.set('Price', { ...price, val: parseNumberVal(price.val) });
      const q = props.get('Quantity');
      // Fields the SDK makes are located at the createProduct call (through a wrapper, that is the wrapper's own).
      const made = (v: Val): Prop => ({ val: v, node: at.node, ctx: at.ctx });
      if (!q || (q.val.k === 'prim' && !isStringOrNumber(q.val.v))) props.set('Quantity', made(prim(1, at)));
      else props.set('Quantity', { ...q, val: parseNumberVal(q.val) });
      const pos = props.get('Position');
      if (pos?.val.k === 'prim' && pos.val.v && typeof pos.val.v !== 'number') props.set('Position', { ...pos, val: { ...pos.val, v: null, lit: undefined } });
      const qv = props.get('Quantity')!.val;
      const pv = props.get('Price')?.val;
      if (qv.k === 'prim' && pv?.k === 'prim') props.set('TotalAmount', made(prim(Number(qv.v) * Number(pv.v), at)));
      else props.set('TotalAmount', made(unknown('the total is computed from values not known statically', at)));
      const attrs = props.get('Attributes');
      if (attrs) props.set('Attributes', { ...attrs, val: sanitizeAttributes(attrs.val) });
      return obj(props, [], at);
    }
    case 'createPromotion':
      return obj(fields(['Id', 'Creative', 'Name', 'Position']), [], at);
    case 'createImpression':
      return obj(fields(['Name', 'Product']), [], at);
    case 'createTransactionAttributes': {
      // Every field is set, given or not: the SDK then converts an absent Revenue, Shipping or Tax to 0.
      const props = fields(['Id', 'Affiliation', 'CouponCode', 'Revenue', 'Shipping', 'Tax']);
      for (const k of ['Revenue', 'Shipping', 'Tax']) if (!props.has(k)) props.set(k, { val: prim(undefined, at), node: at.node, ctx: at.ctx });
      return obj(props, [], at);
    }
    default:
      return undefined;
  }
}

function isStringOrNumber(v: unknown): v is string | number {
  return typeof v === 'string' || typeof v === 'number';
}

/** The web SDK's parseNumber: NaN, an infinity or text that is no number becomes 0, numeric text its parseFloat. */
function sdkParseNumber(v: unknown): number {
  if (Number.isNaN(Number(v)) || !Number.isFinite(Number(v))) return 0;
  const f = parseFloat(v as string);
  return Number.isNaN(f) ? 0 : f;
}

/** A known value as the web SDK's parseNumber reads it; other values as they are. */
function parseNumberVal(v: Val): Val {
  if (v.k !== 'prim') return v;
  const n = sdkParseNumber(v.v);
  return n === v.v ? v : { ...v, v: n, lit: undefined, member: undefined };
}

/** The web SDK's sanitizeAmount (commerce amounts): text or a number through parseNumber, anything else 0. */
export function sanitizeAmountVal(v: Val): Val {
  if (v.k === 'unknown' || v.k === 'alt') return v;
  if (v.k === 'prim' && isStringOrNumber(v.v)) return parseNumberVal(v);
  return v.k === 'prim' ? { ...v, v: 0, lit: undefined, member: undefined } : prim(0, v);
}

/** The web SDK drops attribute values that are objects or arrays, and ignores attributes that are not an object. */
export function sanitizeAttributes(v: Val): Val {
  if (v.k === 'unknown') return v;
  if (v.k !== 'obj') return prim(null, v);
  const props = new Map<string, Prop>();
  for (const [k, p] of v.props) {
    if (p.val.k === 'obj' || p.val.k === 'arr' || p.val.k === 'fn') continue;
    if (p.val.k === 'prim' && p.val.v === undefined) continue;
    props.set(k, p);
  }
  return { ...v, props };
}

/** Node SDK models: `new mParticle.Product(id, name, price, total)` and friends become their Events API objects. */
const NODE_MODELS: Record<string, string[]> = {
  Product: ['id', 'name', 'price', 'total_product_amount'],
  ProductAction: ['action', 'transaction_id', 'total_amount', 'products'],
  PromotionAction: ['action', 'promotions'],
  Promotion: ['id', 'name', 'creative', 'position'],
  ProductImpression: ['product_impression_list', 'products'],
  AppEvent: ['custom_event_type', 'event_name'],
  ScreenViewEvent: ['screen_name'],
};

function construct(n: TSESTree.NewExpression, ctx: FileCtx, env: Env, g: Guard, at: { node: Node; ctx: FileCtx }): Val {
  const callee = ev(n.callee, ctx, env, g);
  if (callee.k === 'class') return { ...instance(callee.cls, callee.clsCtx, g) };
  if (callee.k === 'sdk' && callee.sdk === 'node' && callee.path.length === 1) {
    const cls = callee.path[0];
    const fields = NODE_MODELS[cls];
    if (fields && cls !== 'AppEvent' && cls !== 'ScreenViewEvent') {
      const props = new Map<string, Prop>();
      fields.forEach((f, i) => {
        const a = n.arguments[i];
        if (!a) return;
        const v = a.type === 'SpreadElement' ? unknown(`${code(ctx, a)} spreads arguments`, { node: a, ctx }) : ev(a, ctx, env, g);
        if (!(v.k === 'prim' && v.v === undefined)) props.set(f, { val: v, node: a, ctx });
      });
      // Properties assigned later (`product.custom_attributes = {...}`).
      const later = assignedProps(n, ctx, env, g);
      if (later) {
        for (const [k, p] of later.props) props.set(k, p);
        return obj(props, later.open, at);
      }
      return obj(props, [], at);
    }
    return { k: 'inst', cls, created: n, ...at };
  }
  return unknown(`${code(ctx, n)} constructs an object that is not followed`, at);
}

const COMMERCE_PARTS = new Set(['product_action', 'promotion_action']);

/**
 * For `const x = new Model(...)`: the properties later assigned with `x.prop = value` / `x.prop.key = value`.
 * Open when `x` escapes somewhere we cannot see (passed to a function other than `addEvent`, reassigned, …).
 */
export function assignedProps(created: Node, ctx: FileCtx, env: Env, g: Guard = new Guard()): { props: Map<string, Prop>; open: string[] } | undefined {
  const decl = created.parent;
  if (decl?.type !== 'VariableDeclarator' || decl.init !== created || decl.id.type !== 'Identifier') return undefined;
  const [v] = ctx.sm.getDeclaredVariables(decl);
  if (!v) return undefined;
  const props = new Map<string, Prop>();
  const open: string[] = [];
  for (const r of v.references) {
    if (r.init) continue;
    const id = r.identifier;
    const m = id.parent;
    if (m?.type === 'MemberExpression' && m.object === id) {
      const key = m.computed ? undefined : (m.property as TSESTree.Identifier).name;
      const up = m.parent;
      if (key && up?.type === 'AssignmentExpression' && up.left === m && up.operator === '=') {
        props.set(key, { val: ev(up.right, ctx, env, g), node: up, key: m.property, ctx });
        continue;
      }
      // x.custom_attributes.label = value
      if (key && up?.type === 'MemberExpression' && up.object === m && up.parent?.type === 'AssignmentExpression' && up.parent.left === up && up.parent.operator === '=') {
        const sub = up.computed ? ev(up.property, ctx, env, g) : prim((up.property as TSESTree.Identifier).name);
        const target = props.get(key);
        if (sub.k === 'prim' && (!target || target.val.k === 'obj')) {
          const base: ObjVal = target?.val.k === 'obj' ? target.val : obj(new Map(), [], { node: up, ctx });
          const nextProps = new Map(base.props);
          nextProps.set(String(sub.v), { val: ev(up.parent.right, ctx, env, g), node: up.parent, key: up.property, ctx });
          props.set(key, { val: { ...base, props: nextProps }, node: target?.node ?? up.parent, key: target?.key ?? m.property, ctx });
          continue;
        }
        open.push(`${code(ctx, up.parent)} assigns a property not known statically`);
        continue;
      }
      // Other writes (`x.prop += …`, `delete x.prop`, `x.prop++`) are not followed; reads and method calls do not change it.
      if ((up?.type === 'AssignmentExpression' && up.left === m) || up?.type === 'UpdateExpression' || (up?.type === 'UnaryExpression' && up.operator === 'delete')) {
        open.push(`${code(ctx, up)} changes it in a way not followed`);
      }
      continue;
    }
    // batch.addEvent(ev), events.push(ev), [ev]
    if (m?.type === 'CallExpression' && m.arguments.includes(id as TSESTree.Expression)) {
      const callee = m.callee.type === 'MemberExpression' && !m.callee.computed ? (m.callee.property as TSESTree.Identifier).name : undefined;
      if (callee === 'addEvent' || callee === 'push') continue;
      open.push(`it is passed to ${code(ctx, m.callee)}, which may change it`);
      continue;
    }
    if (m?.type === 'ArrayExpression') continue;
    // commerceEvent.product_action = pa (the Node SDK docs' way): what is then changed through the commerce event is
    // followed where that event is read (its own assigned properties), so this use changes nothing here.
    if (m?.type === 'AssignmentExpression' && m.operator === '=' && m.right === id && m.left.type === 'MemberExpression' && !m.left.computed
      && m.left.object.type === 'Identifier' && COMMERCE_PARTS.has(memberKey(m.left))) continue;
    open.push(`\`${v.name}\` is used in a way not followed`);
  }
  return { props, open };
}
