/**
 * Values of project code beyond expressions: what calling a project function returns (hooks returning `{ track }`,
 * `useCallback`, `useMemo`), `this` in class members and object methods, instances of project classes.
 */
import type { TSESTree } from '@typescript-eslint/types';
import { dottedName, importOf, isFunction, memberKey, staticKey, unwrap } from './ast.js';
import { literalsOf } from './literal-types.js';
import type { Node } from './types.js';
import { alt, bindParams, code, ev, unknown, type At, type FileCtx, type FnVal, type Guard, type ObjVal, type Prop, type Val } from './values.js';

/** `useCallback` / `useMemo` imported from React (or Preact), or read off a global `React`. */
export function reactHook(callee: Node, ctx: FileCtx): 'useCallback' | 'useMemo' | undefined {
  const name = dottedName(callee);
  const last = name?.split('.').pop();
  if (last !== 'useCallback' && last !== 'useMemo') return undefined;
  const root = name!.split('.')[0];
  let id: Node = unwrap(callee);
  while (id.type === 'MemberExpression') id = unwrap(id.object);
  const def = ctx.refs.get(id)?.resolved?.defs[0];
  if (!def) return root === 'React' || root === last ? last : undefined;
  if (def.type !== 'ImportBinding') return undefined;
  const source = importOf(def)?.source ?? '';
  return source === 'react' || source.startsWith('preact') ? last : undefined;
}

/**
 * What calling a project function returns: the expression of an arrow function, or the one `return` that ends its
 * body (a hook returning `{ track }`). Parameters are bound to the arguments. Functions with several exits are not
 * followed; their declared literal return type is used when there is one.
 */
export function returned(f: FnVal, args: Val[], g: Guard, at: At): Val {
  const fn = f.fn;
  const fallback = () => {
    const lits = fn.returnType ? literalsOf(fn.returnType, f.fnCtx) : undefined;
    return lits ? alt(lits, at) : unknown(`${code(at.ctx!, at.node!)} is a call`, at);
  };
  if (!fn.body) return fallback();
  if (fn.async || fn.generator) return unknown(`${code(at.ctx!, at.node!)} is a call`, at);
  if (g.busy.has(fn)) return unknown(`${f.name} calls itself`, at);
  let result: Node | undefined;
  if (fn.body.type !== 'BlockStatement') result = fn.body;
  else {
    const last = fn.body.body[fn.body.body.length - 1];
    if (last?.type !== 'ReturnStatement' || !last.argument) return fallback();
    let returns = 0;
    walkOwn(fn.body, (x) => {
      if (x.type === 'ReturnStatement') returns++;
    });
    if (returns !== 1) return fallback();
    result = last.argument;
  }
  g.busy.add(fn);
  try {
    const v = ev(result, f.fnCtx, bindParams(fn, f.fnCtx, args), g);
    return v.k === 'unknown' ? (fn.returnType ? fallback() : { ...v, param: undefined }) : v;
  } finally {
    g.busy.delete(fn);
  }
}

/** Walk a function body without entering nested functions. */
function walkOwn(n: Node, visit: (n: Node) => void): void {
  visit(n);
  const rec = n as unknown as Record<string, unknown>;
  for (const k of Object.keys(n)) {
    if (k === 'parent' || k === 'loc' || k === 'range' || k === 'typeAnnotation' || k === 'returnType') continue;
    const c = rec[k];
    const kids = Array.isArray(c) ? c : [c];
    for (const x of kids) {
      if (x && typeof (x as Node).type === 'string' && !isFunction(x as Node) && (x as Node).type !== 'ClassBody') walkOwn(x as Node, visit);
    }
  }
}

/**
 * `this` inside a class method or field (the instance as its class defines it), or inside a method of an object
 * literal (that object).
 */
export function thisValue(n: Node, ctx: FileCtx, g: Guard, at: At): Val {
  let p = n.parent;
  while (p) {
    if (p.type === 'PropertyDefinition' || p.type === 'AccessorProperty') {
      if (p.static) break;
      return instance(p.parent!.parent as TSESTree.ClassDeclaration, ctx, g);
    }
    if (p.type === 'FunctionExpression' || p.type === 'FunctionDeclaration') {
      const up = p.parent;
      if (up?.type === 'MethodDefinition' && !up.static) {
        return instance(up.parent!.parent as TSESTree.ClassDeclaration, ctx, g);
      }
      if (up?.type === 'Property' && up.parent?.type === 'ObjectExpression' && (up.method || up.value === p)) {
        // Usually the object itself, but frameworks call such methods on other objects (Vue's `methods: {…}` run on
        // the component): what the object does not hold is unknown, never undefined.
        const o = ev(up.parent, ctx, undefined, g);
        return o.k === 'obj' ? { ...o, open: [...o.open, '`this` may be another object than the one the method is written in'] } : o;
      }
      break;
    }
    p = p.parent;
  }
  return unknown('`this` is not followed here', at);
}

/**
 * An instance of a project class: its methods, its field initialisers and what its constructor assigns to `this`
 * (a property assigned anywhere else is unknown, unless every assignment is the same SDK object). Open: a subclass or
 * code outside the class may add more.
 */
export function instance(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, ctx: FileCtx, g: Guard): ObjVal {
  const memo = ctx.vars as unknown as WeakMap<object, Val>;
  const hit = memo.get(cls);
  if (hit?.k === 'obj') return hit;
  const props = new Map<string, Prop>();
  const out: ObjVal = { k: 'obj', props, open: [`\`this\` may have properties not declared in its class`], node: cls, ctx };
  memo.set(cls, out);
  const writes = new Map<string, Array<{ value: Node; node: Node; key: Node; where: 'init' | 'other' }>>();
  const add = (key: string, w: { value: Node; node: Node; key: Node; where: 'init' | 'other' }) => {
    let list = writes.get(key);
    if (!list) writes.set(key, (list = []));
    list.push(w);
  };
  const ctor = cls.body.body.find((m): m is TSESTree.MethodDefinition => m.type === 'MethodDefinition' && m.kind === 'constructor');
  for (const m of cls.body.body) {
    if ((m.type === 'MethodDefinition' && m.kind === 'method') && !m.static && !m.computed) {
      const key = staticKey(m);
      if (key !== undefined) props.set(key, { val: { k: 'fn', fn: m.value as TSESTree.FunctionExpression, fnCtx: ctx, name: `\`${key}\``, node: m, ctx }, node: m, key: m.key, ctx });
    } else if (m.type === 'PropertyDefinition' && !m.static && !m.computed && m.value) {
      const key = staticKey(m);
      if (key !== undefined) add(key, { value: m.value, node: m, key: m.key, where: 'init' });
    }
  }
  // this.x = … anywhere in the class's own code
  for (const m of cls.body.body) {
    if (m.type !== 'MethodDefinition' && m.type !== 'PropertyDefinition') continue;
    const body = m.type === 'MethodDefinition' ? m.value : m.value;
    if (!body) continue;
    walkThis(body, (a) => {
      const left = a.left as TSESTree.MemberExpression;
      const key = left.computed ? undefined : memberKey(left);
      if (key === undefined) return;
      const inCtor = m === ctor && a.parent?.type === 'ExpressionStatement' && a.parent.parent === (ctor.value.body as Node);
      add(key, { value: a.right, node: a, key: left.property, where: inCtor ? 'init' : 'other' });
    });
  }
  // TS parameter properties typed as the SDK: constructor(private sdk: typeof mParticle)
  // or defaulting to it: constructor(private sdk = mParticle), constructor(private readonly sdk: typeof mp = mp)
  for (const p of ctor?.value.params ?? []) {
    if (p.type !== 'TSParameterProperty') continue;
    const param = p.parameter.type === 'AssignmentPattern' ? p.parameter.left : p.parameter;
    if (param.type !== 'Identifier') continue;
    const t = param.typeAnnotation?.typeAnnotation;
    const from = t?.type === 'TSTypeQuery' && t.exprName.type === 'Identifier' ? t.exprName : p.parameter.type === 'AssignmentPattern' ? p.parameter.right : undefined;
    if (!from) continue;
    const v = ev(from, ctx, undefined, g);
    if (v.k === 'sdk') props.set(param.name, { val: { ...v, node: p, ctx }, node: p, key: param, ctx });
  }
  for (const [key, list] of writes) {
    if (props.has(key) && props.get(key)!.val.k === 'fn') continue;
    const vals = list.map((w) => ev(w.value, ctx, undefined, g));
    let val: Val;
    const sdkPathText = (v: Val) => (v.k === 'sdk' ? `${v.sdk}:${v.path.join('.')}` : undefined);
    if (vals.every((v) => v.k === 'sdk' && sdkPathText(v) === sdkPathText(vals[0]))) val = vals[0];
    else if (list.length === 1 && list[0].where === 'init') val = vals[0];
    else val = unknown(`\`this.${key}\` is assigned in several places`, { node: list[0].node, ctx });
    // An object the instance holds may be changed by any of its methods (this.fields[key] = …).
    if (val.k === 'obj') val = { ...val, open: [...val.open, `\`this.${key}\` may be changed by the class's methods`] };
    else if (val.k === 'arr') val = { ...val, open: `\`this.${key}\` may be changed by the class's methods` };
    props.set(key, { val, node: list[0].node, key: list[0].key, ctx });
  }
  return out;
}

/** `this.x = …` assignments in a class member, not inside nested non-arrow functions (their `this` differs). */
function walkThis(n: Node, visit: (a: TSESTree.AssignmentExpression) => void, depth = 0): void {
  if (n.type === 'AssignmentExpression' && n.operator === '=' && n.left.type === 'MemberExpression' && n.left.object.type === 'ThisExpression') visit(n);
  const rec = n as unknown as Record<string, unknown>;
  for (const k of Object.keys(n)) {
    if (k === 'parent' || k === 'loc' || k === 'range' || k === 'typeAnnotation' || k === 'returnType') continue;
    const c = rec[k];
    for (const x of Array.isArray(c) ? c : [c]) {
      if (!x || typeof (x as Node).type !== 'string') continue;
      const child = x as Node;
      if ((child.type === 'FunctionExpression' || child.type === 'FunctionDeclaration') && depth > 0) continue;
      if (child.type === 'ClassBody' || child.type === 'ClassDeclaration' || child.type === 'ClassExpression') continue;
      walkThis(child, visit, depth + 1);
    }
  }
}

