/** Find the analytics calls of one file: direct SDK calls, Node SDK events, and calls through wrappers. */
import type { TSESTree } from '@typescript-eslint/types';
import { matchKey, promotionAction, type MatchKey } from '../../plan/index.js';
import { contains, dottedName, isFunction, locOf, textOf, walk, type VariableLike } from './ast.js';
import { buildDeclared, buildInitIdentify, buildNode, buildNodeUserAttributes, buildWeb, type Built } from './build.js';
import { mayCall, mayWrap, parseFileCached, resolveModule } from './modules.js';
import {
  EVENT_KINDS, Unknown, type Loc, type Node, type RecognizeOptions, type RecognizedCall, type Site, type SdkProblem, type UnknownPart, type ViaWrapper, type WrapperSetting,
} from './types.js';
import { bindParams, calleeMayMatter, evaluate, plainCallee, fileCtx, fnName, type Env, type FileCtx, type FnVal, type Prop, type Val, type World } from './values.js';

type Call = TSESTree.CallExpression | TSESTree.NewExpression;

interface Expansion {
  built: Built;
  via: ViaWrapper[];
  /** Wrapper functions the call went through (their bodies are not where call sites' problems are reported). */
  bodies: Array<{ fn: Node; ctx: FileCtx }>;
}

/** Where one part of a built payload came from: an object's property or an array's item, under part `parent`. */
interface SitePart {
  parent: number;
  key: string | number;
  prop: Prop | undefined;
  item: Val | undefined;
}

const MAX_WRAPPER_DEPTH = 6;

class ProjectWorld implements World {
  /** Per parsed tree: lives as long as the parse cache keeps that tree. */
  private readonly ctxs = new WeakMap<object, FileCtx>();
  readonly wrapperMemo = new WeakMap<Node, Call[] | null>();
  readonly wrapperNames: string[];

  constructor(readonly wrappers: readonly WrapperSetting[], readonly followImports: boolean, readonly key: string) {
    this.wrapperNames = wrappers.filter((w) => typeof w?.name === 'string' && w.name).map((w) => w.name.split('.').pop()!);
  }

  loadModule(file: string): FileCtx | undefined {
    const pf = parseFileCached(file);
    if (!pf) return undefined;
    const hit = this.ctxs.get(pf.ast as object);
    if (hit) return hit;
    const ctx = fileCtx(this, pf.ast, pf.scopeManager, pf.text, file, pf.visitorKeys);
    this.ctxs.set(pf.ast as object, ctx);
    return ctx;
  }

  resolveModule(from: string, spec: string): string | undefined {
    return resolveModule(from, spec);
  }

  mayInvolveSdk(file: string): boolean {
    return mayWrap(file, this.wrapperNames);
  }
}

const worlds = new Map<string, ProjectWorld>();
const NO_WRAPPERS: readonly WrapperSetting[] = [];
/** The same settings array (ESLint's, per config) maps to its world without serialising it again. */
const byArray = new WeakMap<readonly WrapperSetting[], [ProjectWorld | undefined, ProjectWorld | undefined]>();

/** One world per distinct settings, kept for the process so parsed modules and their values are shared across files. */
export function worldFor(opts: RecognizeOptions): ProjectWorld {
  const wrappers = opts.wrappers ?? NO_WRAPPERS;
  const follow = opts.followImports !== false;
  let pair = byArray.get(wrappers);
  if (!pair) byArray.set(wrappers, (pair = [undefined, undefined]));
  const slot = follow ? 0 : 1;
  const known = pair[slot];
  if (known && worlds.get(known.key) === known) return known;
  const w = worldByKey(wrappers, follow);
  pair[slot] = w;
  return w;
}

function worldByKey(wrappers: readonly WrapperSetting[], follow: boolean): ProjectWorld {
  const key = JSON.stringify([wrappers, follow]);
  let w = worlds.get(key);
  if (!w) {
    if (worlds.size > 20) worlds.clear();
    w = new ProjectWorld(wrappers, follow, key);
    worlds.set(key, w);
  }
  return w;
}

export function recognizeIn(ctx: FileCtx): RecognizedCall[] {
  const world = ctx.world as ProjectWorld;
  if (!mayCall(ctx.text, ctx.file, world.wrapperNames, world.followImports)) return [];
  const candidates: Node[] = [];
  walk(ctx.ast, ctx.keys, (n) => {
    if (n.type === 'CallExpression' || n.type === 'NewExpression') candidates.push(n);
    else if (n.type === 'AssignmentExpression' && n.operator === '=' && mentionsUserAttributes(n.left)) candidates.push(n);
    else if (n.type === 'Property' && !n.computed && n.key.type === 'Identifier' && n.key.name === 'identifyRequest') candidates.push(n);
  });
  const out: RecognizedCall[] = [];
  for (const c of candidates) {
    const exps = c.type === 'AssignmentExpression' ? nodeUserAttributes(c, ctx)
      : c.type === 'Property' ? initIdentify(c, ctx)
        : expand(c as Call, ctx, undefined, 0, world);
    for (const e of exps ?? []) out.push(finalize(e, c, ctx, world));
  }
  return out;
}

/**
 * `identifyRequest` in the web SDK's init config: the object passed to `mParticle.init(key, config)`, or the
 * `config` of an object assigned to `window.mParticle` (the snippet's way). Elsewhere the name means nothing.
 */
function initIdentify(prop: TSESTree.Property, ctx: FileCtx): Expansion[] | undefined {
  const config = prop.parent;
  if (config?.type !== 'ObjectExpression') return undefined;
  const up = config.parent;
  let isConfig = false;
  if (up?.type === 'CallExpression' && up.arguments[1] === config) {
    const callee = evaluate(up.callee, ctx);
    isConfig = callee.k === 'sdk' && callee.sdk === 'web' && callee.path.length === 1 && callee.path[0] === 'init';
  } else if (up?.type === 'Property' && up.value === config && !up.computed && up.key.type === 'Identifier' && up.key.name === 'config') {
    const holder = up.parent?.parent;
    if (holder?.type === 'AssignmentExpression' && holder.right === up.parent) {
      const target = evaluate(holder.left, ctx);
      isConfig = (target.k === 'sdk' && target.sdk === 'web' && target.path.length === 0) || dottedName(holder.left) === 'window.mParticle' || dottedName(holder.left) === 'mParticle';
    }
  }
  if (!isConfig) return undefined;
  const built = buildInitIdentify(prop.value, ctx);
  return built ? [{ built, via: [], bodies: [] }] : undefined;
}

function mentionsUserAttributes(left: Node): boolean {
  if (left.type !== 'MemberExpression') return false;
  const isUA = (m: Node) => m.type === 'MemberExpression' && !m.computed && m.property.type === 'Identifier' && m.property.name === 'user_attributes';
  return isUA(left) || isUA(left.object);
}

function nodeUserAttributes(a: TSESTree.AssignmentExpression, ctx: FileCtx): Expansion[] | undefined {
  const left = a.left as TSESTree.MemberExpression;
  const whole = !left.computed && left.property.type === 'Identifier' && left.property.name === 'user_attributes';
  const target = whole ? left.object : (left.object as TSESTree.MemberExpression).object;
  const batch = evaluate(target, ctx);
  if (batch.k !== 'inst' || batch.cls !== 'Batch') return undefined;
  const key = whole ? undefined : left.computed ? evaluate(left.property, ctx) : { k: 'prim' as const, v: (left.property as TSESTree.Identifier).name };
  return [{ built: buildNodeUserAttributes(a, whole, key, ctx, undefined), via: [], bodies: [] }];
}

/** What a call produces: an SDK event, or the events of a wrapper's body with its parameters bound to this call's arguments. */
function expand(c: Call, ctx: FileCtx, env: Env, depth: number, world: ProjectWorld): Expansion[] | undefined {
  if (c.type === 'NewExpression') {
    if (plainCallee(c.callee, ctx, env)) return undefined;
    const callee = evaluate(c.callee, ctx, env);
    if (callee.k !== 'sdk' || callee.sdk !== 'node' || callee.path.length !== 1) return undefined;
    return buildNode(callee.path[0], c, ctx, env).map((b) => ({ built: b, via: [], bodies: [] }));
  }
  const declared = declaredWrapper(c.callee, world.wrappers);
  if (declared) return buildDeclared(declared, c, ctx, env).map((b) => ({ built: b, via: [{ name: declared.name, how: 'settings' as const }], bodies: [] }));
  if (!calleeMayMatter(c.callee, ctx) || plainCallee(c.callee, ctx, env)) return undefined;
  const callee = evaluate(c.callee, ctx, env);
  if (callee.k === 'sdk' && callee.sdk === 'web') {
    return buildWeb(callee.path, c, ctx, env).map((b) => ({ built: b, via: [], bodies: [] }));
  }
  if (callee.k === 'fn' && depth < MAX_WRAPPER_DEPTH) {
    const inner = wrapperCalls(callee, world, depth);
    if (!inner) return undefined;
    const args = c.arguments.map((a) => (a.type === 'SpreadElement' ? { k: 'unknown' as const, reason: 'arguments are spread', node: a, ctx } : evaluate(a, ctx, env)));
    const innerEnv = bindParams(callee.fn, callee.fnCtx, args);
    const via: ViaWrapper = { name: dottedName(c.callee) ?? callee.name.replace(/`/g, ''), how: 'detected', file: callee.fnCtx.file, loc: locOf(callee.fn) };
    const out: Expansion[] = [];
    for (const ic of inner) {
      // A branch this call's arguments rule out does not run (`if (kind === 'search') … else …`).
      if (!mayRun(ic, callee.fn, callee.fnCtx, innerEnv)) continue;
      for (const e of expand(ic, callee.fnCtx, innerEnv, depth + 1, world) ?? []) {
        out.push({ built: e.built, via: [via, ...e.via], bodies: [{ fn: callee.fn, ctx: callee.fnCtx }, ...e.bodies] });
      }
    }
    return out;
  }
  return undefined;
}

/**
 * False when, with the wrapper's parameters bound, a test on the way from the wrapper's body to the call is known to
 * take the other way: the call's `if`/`else` arm, conditional arm, or `&&`/`||` right side, or a `switch` case whose
 * value differs from the discriminant. Unknown tests keep the call (its values are then checked as usual).
 */
function mayRun(call: Node, fn: Node, ctx: FileCtx, env: Env): boolean {
  const truth = (test: Node): boolean | undefined => {
    const v = evaluate(test, ctx, env);
    return v.k === 'prim' ? !!v.v : v.k === 'obj' || v.k === 'arr' || v.k === 'fn' || v.k === 'sdk' ? true : undefined;
  };
  let child: Node = call;
  for (let p = call.parent; p && p !== fn; child = p, p = p.parent) {
    if ((p.type === 'IfStatement' || p.type === 'ConditionalExpression') && child !== p.test) {
      const t = truth(p.test);
      if (t !== undefined && t !== (child === p.consequent)) return false;
    } else if (p.type === 'LogicalExpression' && child === p.right) {
      const t = truth(p.left);
      if (t !== undefined && (p.operator === '&&' ? !t : p.operator === '||' ? t : false)) return false;
    } else if (p.type === 'SwitchCase' && p.test && child !== p.test && p.parent?.type === 'SwitchStatement') {
      // Only a case that nothing falls into from above can be ruled out on its own value.
      const cases = p.parent.cases;
      const i = cases.indexOf(p);
      const fallsIn = i > 0 && !endsCase(cases[i - 1]);
      const d = evaluate(p.parent.discriminant, ctx, env);
      const c = evaluate(p.test, ctx, env);
      if (!fallsIn && d.k === 'prim' && c.k === 'prim' && d.v !== c.v) return false;
    }
  }
  return true;
}

/** Whether a switch case ends with break, return, throw or continue (so the next case is not fallen into). */
function endsCase(c: TSESTree.SwitchCase): boolean {
  const last = c.consequent[c.consequent.length - 1];
  if (!last) return false;
  const end = last.type === 'BlockStatement' ? last.body[last.body.length - 1] : last;
  return !!end && (end.type === 'BreakStatement' || end.type === 'ReturnStatement' || end.type === 'ThrowStatement' || end.type === 'ContinueStatement');
}

function declaredWrapper(callee: Node, wrappers: readonly WrapperSetting[]): WrapperSetting | undefined {
  if (wrappers.length === 0) return undefined;
  const name = dottedName(callee);
  return name === undefined ? undefined : wrappers.find((w) => w.name === name);
}

/**
 * The calls inside a function that pass its own parameters on to the SDK (or to another wrapper); null when none
 * does, i.e. the function is not a wrapper.
 */
function wrapperCalls(fn: FnVal, world: ProjectWorld, depth: number): Call[] | null {
  const memo = world.wrapperMemo;
  if (memo.has(fn.fn)) return memo.get(fn.fn)!;
  memo.set(fn.fn, null); // recursion guard
  const params = paramVars(fn.fn, fn.fnCtx);
  const inner: Call[] = [];
  if (params.size > 0) {
    const calls: Call[] = [];
    walk(fn.fn.body, fn.fnCtx.keys, (n) => {
      if (n.type === 'CallExpression' || n.type === 'NewExpression') calls.push(n);
    });
    for (const ic of calls) {
      const exps = expand(ic, fn.fnCtx, undefined, depth + 1, world);
      if (exps?.some((e) => usesParams(e.built.payload, params))) inner.push(ic);
    }
  }
  const result = inner.length ? inner : null;
  memo.set(fn.fn, result);
  return result;
}

function paramVars(fn: Node, ctx: FileCtx): Set<VariableLike> {
  const out = new Set<VariableLike>();
  if (!isFunction(fn)) return out;
  for (const v of ctx.sm.getDeclaredVariables(fn)) if (v.defs.some((d) => d.type === 'Parameter')) out.add(v);
  return out;
}

function usesParams(v: Val, params: Set<VariableLike>): boolean {
  if (v.fromParam && params.has(v.fromParam)) return true;
  switch (v.k) {
    case 'unknown':
      return !!v.param && params.has(v.param);
    case 'alt':
      return (!!v.param && params.has(v.param)) || v.options.some((x) => usesParams(x, params));
    case 'obj':
      if (v.openParam && params.has(v.openParam)) return true;
      for (const p of v.props.values()) if (usesParams(p.val, params)) return true;
      return false;
    case 'arr':
      return v.items.some((x) => usesParams(x, params));
    default:
      return false;
  }
}

/**
 * The wrapper a parameter belongs to, when that function's call sites are recognized: a named function called
 * (or exported) and never passed around as a value, or an object method.
 */
const wrapperOfParamMemo = new WeakMap<VariableLike, string | null>();

function wrapperOfParam(v: VariableLike, ctx: FileCtx, world: ProjectWorld): string | undefined {
  let name = wrapperOfParamMemo.get(v);
  if (name === undefined) {
    const def = v.defs.find((d) => d.type === 'Parameter');
    name = def && wrapperIsCalled(def.node, ctx, world) ? fnName(def.node, ctx).replace(/`/g, '') : null;
    wrapperOfParamMemo.set(v, name);
  }
  return name ?? undefined;
}

function wrapperIsCalled(fn: Node, ctx: FileCtx, world: ProjectWorld): boolean {
  const parent = fn.parent;
  if (!parent) return false;
  if (parent.type === 'ExportDefaultDeclaration') return true;
  if (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') {
    if (parent.type === 'Property') return true;
    const key = parent.computed ? undefined : textOf(ctx.text, parent.key, 100);
    return key !== undefined && world.wrapperNames.includes(key);
  }
  let binding: Node | undefined;
  if (fn.type === 'FunctionDeclaration') binding = fn;
  else if (parent.type === 'VariableDeclarator' && parent.id.type === 'Identifier') binding = parent;
  if (!binding) return false;
  if (binding.parent?.type === 'ExportNamedDeclaration' || binding.parent?.parent?.type === 'ExportNamedDeclaration') return true;
  const v = ctx.sm.getDeclaredVariables(binding).find((x) => x.defs.some((d) => d.type === 'FunctionName' || d.type === 'Variable'));
  if (!v) return false;
  let called = false;
  for (const r of v.references) {
    if (r.init) continue;
    const id = r.identifier;
    const p = id.parent;
    if (p?.type === 'CallExpression' && p.callee === id) called = true;
    else if (p?.type === 'ExportSpecifier') called = true;
    else return false; // passed around: some uses cannot be checked at a call site
  }
  return called;
}

/** Locate a built payload in the linted file: JSON with Unknown markers, sites by pointer, unknown parts. */
function finalize(e: Expansion, callNode: Node, ctx: FileCtx, world: ProjectWorld): RecognizedCall {
  const inBody = (n: Node | undefined, nctx: FileCtx | undefined) => !!n && e.bodies.some((b) => b.ctx === nctx && contains(b.fn, n));
  const pick = <T extends Node>(n: T | undefined, nctx: FileCtx | undefined): T | undefined =>
    n && nctx === ctx && !inBody(n, nctx) ? n : undefined;
  // Sites are read only when something is reported (a few calls in a hundred): the walk below notes where each
  // part of the payload came from, and a part's site is worked out when something asks for it.
  const parts: SitePart[] = [{ parent: -1, key: '', prop: undefined, item: undefined }];
  const made: Site[] = [{ node: callNode }];
  const pointers: string[] = ['#'];
  const unknowns: UnknownPart[] = [];
  let wrapper: string | undefined;
  const paramWrapper = (v: VariableLike) => {
    const name = wrapperOfParam(v, ctx, world);
    if (name) wrapper ??= name;
    return name;
  };
  /** The site of part `i` (its parent's first: parts are noted parent before child). */
  const siteOf = (i: number): Site => {
    while (made.length <= i) made.push(siteFor(parts[made.length]));
    return made[i];
  };
  const pointerOf = (i: number): string => {
    while (pointers.length <= i) {
      const part = parts[pointers.length];
      pointers.push(`${pointers[part.parent]}/${typeof part.key === 'number' ? part.key : escapeKey(part.key)}`);
    }
    return pointers[i];
  };
  const siteFor = (part: SitePart): Site => {
    const parent = made[part.parent];
    const item = part.item;
    if (item) {
      const child: Site = { node: pick(item.node, item.ctx) ?? parent.node };
      if (e.bodies.length && inBody(item.node, item.ctx)) child.valueInWrapper = true;
      return child;
    }
    const p = part.prop!;
    // A value chosen among alternatives is located on its branch (or literal type), not on the whole property.
    // So is a value passed in by a call site (a wrapper's or helper's argument): it is written there.
    const chosen = p.val.chosen || (p.val.viaArg && p.val.k === 'prim') ? pick(p.val.node, p.val.ctx) : undefined;
    const child: Site = {
      node: chosen ?? pick(p.node, p.ctx) ?? pick(p.val.node, p.val.ctx) ?? pick(p.via, p.viaCtx) ?? parent.node,
    };
    const key = pick(p.key, p.ctx);
    if (key) child.key = key;
    const keyLit = pick(p.keyLit, p.keyLitCtx);
    if (keyLit) child.keyLiteral = keyLit;
    if (p.val.k === 'prim') {
      const lit = pick(p.val.lit, p.val.litCtx);
      if (lit) child.literal = lit;
      const mem = pick(p.val.member, p.val.memberCtx);
      if (mem) child.member = mem;
    }
    if (e.bodies.length) {
      if (inBody(p.key ?? p.keyLit ?? p.node, p.key ? p.ctx : p.keyLit ? p.keyLitCtx : p.ctx)) child.keyInWrapper = true;
      if (!p.val.viaArg && (inBody(p.val.node, p.val.ctx) || inBody(p.node, p.ctx))) child.valueInWrapper = true;
    }
    return child;
  };

  /** `v`, read at part `at`, as plain data with Unknown markers; unknown parts are noted as they are met. */
  const ser = (v: Val, at: number): unknown => {
    if (v.fromParam) paramWrapper(v.fromParam);
    switch (v.k) {
      case 'prim':
        return v.v;
      case 'obj': {
        if (v.open.length) {
          const o = v.openAt ?? v;
          const part: UnknownPart = { pointer: pointerOf(at), part: 'keys', reason: v.open[0], node: pick(o.node, o.ctx) ?? pick(v.node, v.ctx) ?? siteOf(at).node };
          if (v.open.length === 1 && v.openParam && paramWrapper(v.openParam)) part.parameter = v.openParam.name;
          if (e.bodies.length && inBody(o.node, o.ctx)) part.inWrapper = true;
          unknowns.push(part);
        }
        const out: Record<string, unknown> = {};
        for (const [k, p] of v.props) {
          parts.push({ parent: at, key: k, prop: p, item: undefined });
          out[k] = ser(p.val, parts.length - 1);
        }
        return out;
      }
      case 'arr': {
        if (v.open) unknowns.push({ pointer: pointerOf(at), part: 'keys', reason: v.open, node: siteOf(at).node });
        const items = v.items;
        const out: unknown[] = new Array(items.length);
        for (let i = 0; i < items.length; i++) {
          parts.push({ parent: at, key: i, prop: undefined, item: items[i] });
          out[i] = ser(items[i], parts.length - 1);
        }
        return out;
      }
      case 'unknown': {
        const site = siteOf(at);
        const part: UnknownPart = { pointer: pointerOf(at), part: 'value', reason: v.reason, node: pick(v.node, v.ctx) ?? site.node };
        const w = v.param && paramWrapper(v.param);
        if (w) part.parameter = v.param!.name;
        if (e.bodies.length && (inBody(v.node, v.ctx) || (!v.node && site.valueInWrapper))) part.inWrapper = true;
        unknowns.push(part);
        return new Unknown(v.reason);
      }
      case 'alt': {
        const part: UnknownPart = { pointer: pointerOf(at), part: 'value', reason: `it is one of ${v.options.length} values`, node: pick(v.node, v.ctx) ?? siteOf(at).node };
        const w = v.param && paramWrapper(v.param);
        if (w) part.parameter = v.param!.name;
        unknowns.push(part);
        return new Unknown(part.reason);
      }
      default: {
        const reason = v.k === 'fn' ? 'a function is not an attribute value' : 'not a plain value';
        unknowns.push({ pointer: pointerOf(at), part: 'value', reason, node: siteOf(at).node });
        return new Unknown(reason);
      }
    }
  };
  const payload = ser(e.built.payload, 0);
  // Through a wrapper, a problem written in the wrapper's body is the body's own (reported there, once).
  let sites: Record<string, Site> | undefined;
  const allSites = () => {
    if (!sites) {
      sites = {};
      for (let i = 0; i < parts.length; i++) sites[pointerOf(i)] = siteOf(i);
    }
    return sites;
  };
  const sdkProblems: SdkProblem[] = e.built.problems.filter((p) => !(e.bodies.length && inBody(p.at?.node, p.at?.ctx))).map((p) => {
    const { at, ...rest } = p;
    return { ...rest, node: pick(at?.node, at?.ctx) ?? allSites()[p.pointer]?.node ?? callNode };
  });
  const key = EVENT_KINDS.has(e.built.kind) && !e.built.unmatchable && (unknowns.length + e.built.problems.length === 0 || !e.built.keyParts.some(unknownPartOf(unknowns, e.built.problems, payload)))
    ? keyOf(e.built.kind, payload)
    : undefined;
  // The callee's text and the location are read by messages and `dataplan scan`, not by most lint runs.
  let callee: string | undefined;
  let loc: Loc | undefined;
  // Optional members are added after the literal: spreading them in made V8 build every call's object the slow way.
  const call: RecognizedCall = {
    kind: e.built.kind,
    sdk: e.built.sdk,
    method: e.built.method,
    get callee() {
      return (callee ??= calleeText(callNode, ctx.text));
    },
    node: callNode,
    get loc() {
      return (loc ??= locOf(callNode));
    },
    via: e.via,
    payload,
    get sites() {
      return allSites();
    },
    unknowns,
    sdkProblems,
  };
  if (wrapper) call.wrapper = { name: wrapper };
  if (key) call.key = key;
  return call;
}

/** Whether a pointer is (in) a part not known statically. */
function unknownPartOf(unknowns: UnknownPart[], problems: Built['problems'], payload: unknown): (k: string) => boolean {
  // An object that may hold more keys does not hide a key part it already holds (a known action next to unknown transaction fields).
  const blocked = new Set([...unknowns.filter((u) => u.part === 'value').map((u) => u.pointer), ...problems.map((p) => p.pointer)]);
  const openAt = unknowns.filter((u) => u.part === 'keys').map((u) => u.pointer);
  return (k: string) => blocked.has(k) || [...blocked].some((b) => k.startsWith(b + '/'))
    || (openAt.some((b) => k === b || k.startsWith(b + '/')) && typeof valueAtPointer(payload, k) !== 'string');
}

function calleeText(callNode: Node, text: string): string {
  const calleeNode = callNode.type === 'CallExpression' || callNode.type === 'NewExpression' ? callNode.callee : callNode.type === 'AssignmentExpression' ? callNode.left : callNode;
  return (callNode.type === 'NewExpression' ? 'new ' : '') + textOf(text, calleeNode, 60);
}

function escapeKey(k: string): string {
  return k.includes('~') || k.includes('/') ? k.replace(/~/g, '~0').replace(/\//g, '~1') : k;
}

function valueAtPointer(root: unknown, ptr: string): unknown {
  let cur = root;
  for (const seg of ptr.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function keyOf(kind: string, payload: unknown): MatchKey | undefined {
  const data = (payload as { data?: Record<string, unknown> }).data ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (kind) {
    case 'custom_event': {
      const name = str(data.event_name);
      const sub = str(data.custom_event_type);
      return name !== undefined && sub !== undefined ? matchKey('custom_event', sub, name) : undefined;
    }
    case 'screen_view': {
      const name = str(data.screen_name);
      return name !== undefined ? matchKey('screen_view', '', name) : undefined;
    }
    case 'product_action': {
      const a = str((data.product_action as Record<string, unknown> | undefined)?.action);
      return a !== undefined ? matchKey('product_action', '', a) : undefined;
    }
    case 'promotion_action': {
      const a = promotionAction((data.promotion_action as Record<string, unknown> | undefined)?.action);
      return a !== undefined ? matchKey('promotion_action', '', a) : undefined;
    }
    case 'product_impression':
      return matchKey('product_impression');
    default:
      return undefined;
  }
}

