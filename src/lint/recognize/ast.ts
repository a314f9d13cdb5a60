/** AST and scope helpers that work the same on espree/eslint-scope and typescript-eslint trees. */
import type { TSESTree } from '@typescript-eslint/types';
import type { Loc, Node } from './types.js';

/** The parts of eslint-scope / @typescript-eslint/scope-manager we use. */
export interface ScopeManagerLike {
  scopes: ScopeLike[];
  globalScope: ScopeLike | null;
  getDeclaredVariables(node: unknown): VariableLike[];
  /** The scope a node makes (the innermost one with `inner`); eslint-scope and typescript-eslint have it. */
  acquire?(node: unknown, inner?: boolean): ScopeLike | null;
}
export interface ScopeLike {
  type: string;
  block: Node;
  references: ReferenceLike[];
  variables: VariableLike[];
  set: Map<string, VariableLike>;
  upper: ScopeLike | null;
}
export interface VariableLike {
  name: string;
  defs: DefinitionLike[];
  references: ReferenceLike[];
  scope: ScopeLike;
}
export interface DefinitionLike {
  type: string;
  name: Node;
  node: Node;
  parent?: Node | null;
}
export interface ReferenceLike {
  identifier: Node;
  resolved: VariableLike | null;
  init?: boolean;
  from: ScopeLike;
  isWrite(): boolean;
}

export type VisitorKeys = Readonly<Record<string, readonly string[]>>;

const SKIP = new Set(['parent', 'loc', 'range', 'tokens', 'comments', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'decorators']);

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** Depth-first walk in source order; sets `parent` where a parser did not. Type-only subtrees are not entered. */
export function walk(root: Node, keys: VisitorKeys | undefined, visit: (n: Node) => void): void {
  const stack: Node[] = [root];
  const own = keys ? keyLists(keys) : undefined;
  while (stack.length) {
    const n = stack.pop()!;
    if (TYPE_ONLY.has(n.type)) continue;
    visit(n);
    const rec = n as unknown as Record<string, unknown>;
    let names = own?.get(n.type);
    if (!names) {
      names = (keys?.[n.type] ?? Object.keys(n)).filter((k) => !SKIP.has(k));
      if (keys?.[n.type]) own!.set(n.type, names);
    }
    for (let i = names.length - 1; i >= 0; i--) {
      const v = rec[names[i]];
      if (Array.isArray(v)) {
        for (let j = v.length - 1; j >= 0; j--) push(stack, v[j], n);
      } else push(stack, v, n);
    }
  }
}

/** Each node type's child keys without the skipped ones, per visitor-keys table (one per parser). */
const keyListsOf = new WeakMap<VisitorKeys, Map<string, readonly string[]>>();

function keyLists(keys: VisitorKeys): Map<string, readonly string[]> {
  let m = keyListsOf.get(keys);
  if (!m) keyListsOf.set(keys, (m = new Map()));
  return m;
}

function push(stack: Node[], c: unknown, parent: Node): void {
  if (!isNode(c)) return;
  if (!(c as { parent?: Node }).parent) (c as { parent?: Node }).parent = parent;
  stack.push(c);
}

const TYPE_ONLY = new Set([
  'TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSDeclareFunction', 'TSModuleDeclaration', 'TSTypeAnnotation',
  'TSTypeParameterDeclaration', 'TSTypeParameterInstantiation', 'TSImportEqualsDeclaration',
]);

/** Strip TS assertions, parentheses-free wrappers and optional-chain wrappers. */
export function unwrap(n: Node): Node {
  for (;;) {
    switch (n.type) {
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
      case 'TSInstantiationExpression':
      case 'ChainExpression':
        n = n.expression;
        continue;
      default:
        return n;
    }
  }
}

export function isFunction(n: Node): n is TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}

/** The static name of a property key (`a`, `'a'`, `1`, `` `a` ``), or undefined when computed. */
export function staticKey(prop: { key: Node; computed: boolean }): string | undefined {
  const k = prop.key;
  if (!prop.computed && k.type === 'Identifier') return k.name;
  // A private name is its own key: `#sdk` is not the `sdk` field.
  if (k.type === 'PrivateIdentifier') return `#${k.name}`;
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  if (k.type === 'TemplateLiteral' && k.expressions.length === 0) return k.quasis[0].value.cooked ?? undefined;
  return undefined;
}

/**
 * The module and export an import binding names: `import x from 'm'` (default), `import * as x` (`*`),
 * `import { a as x }` (`a`), and TypeScript's `import x = require('m')` (the module, `*`). Undefined for
 * `import x = A.B` (a namespace alias, not a module).
 */
export function importOf(def: DefinitionLike): { source: string; name: string; typeOnly: boolean } | undefined {
  const node = def.node as TSESTree.ImportClause | TSESTree.TSImportEqualsDeclaration;
  if (node.type === 'TSImportEqualsDeclaration') {
    const ref = node.moduleReference;
    if (ref.type !== 'TSExternalModuleReference' || ref.expression.type !== 'Literal' || typeof ref.expression.value !== 'string') return undefined;
    return { source: ref.expression.value, name: '*', typeOnly: node.importKind === 'type' };
  }
  const imp = def.parent as TSESTree.ImportDeclaration | null | undefined;
  if (imp?.type !== 'ImportDeclaration') return undefined;
  const name = node.type === 'ImportDefaultSpecifier' ? 'default' : node.type === 'ImportNamespaceSpecifier' ? '*' : importedName(node);
  return { source: String(imp.source.value), name, typeOnly: imp.importKind === 'type' || (node.type === 'ImportSpecifier' && node.importKind === 'type') };
}

/** The export an `import { a as x }` specifier names (`a`; a string name as written). */
export function importedName(spec: TSESTree.ImportSpecifier): string {
  return spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
}

/** The key a non-computed member expression reads (`#name` for a private one, as staticKey names it). */
export function memberKey(m: TSESTree.MemberExpression): string {
  return m.property.type === 'PrivateIdentifier' ? `#${m.property.name}` : (m.property as TSESTree.Identifier).name;
}

/** `a.b.c` for member chains of identifiers (optional chaining ignored), `this` included; else undefined. */
export function dottedName(n: Node): string | undefined {
  n = unwrap(n);
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if (n.type === 'MemberExpression') {
    const obj = dottedName(n.object);
    const prop = n.computed ? (n.property.type === 'Literal' && typeof n.property.value === 'string' ? n.property.value : undefined) : (n.property as TSESTree.Identifier).name;
    return obj !== undefined && prop !== undefined ? `${obj}.${prop}` : undefined;
  }
  return undefined;
}

export function contains(outer: Node, inner: Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

export function locOf(n: Node): Loc {
  return { start: { ...n.loc.start }, end: { ...n.loc.end } };
}

/** Source text of a node, shortened for messages. */
export function textOf(text: string, n: Node, max = 60): string {
  const [from, to] = n.range;
  // A long node (a whole function passed as an argument) is cut anyway: squeezing a prefix of it gives the same start.
  if (to - from > max * 4) {
    const head = text.slice(from, from + max * 4).replace(/\s+/g, ' ');
    if (head.length > max) return head.slice(0, max - 1) + '…';
  }
  const s = text.slice(from, to).replace(/\s+/g, ' ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/**
 * The identifier's reference in its file: looked up in the references of its innermost scope (where a scope manager
 * puts it), else in a lazily built index of every scope's references.
 */
export class RefIndex {
  private map?: Map<Node, ReferenceLike>;
  constructor(private readonly sm: ScopeManagerLike) {}
  get(id: Node): ReferenceLike | undefined {
    if (!this.map && this.sm.acquire) {
      for (let p: Node | undefined = id; p; p = p.parent) {
        const s = this.sm.acquire(p, true);
        if (!s) continue;
        for (const r of s.references) if (r.identifier === id) return r;
        break;
      }
    }
    if (!this.map) {
      this.map = new Map();
      for (const s of this.sm.scopes) for (const r of s.references) this.map.set(r.identifier, r);
    }
    return this.map.get(id);
  }
}
