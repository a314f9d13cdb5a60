/** TypeScript literal types as values: `name: 'A' | 'B'`, `declare const X: 'A'`, a type alias of them, imported or not. */
import type { TSESTree } from '@typescript-eslint/types';
import { importOf, staticKey } from './ast.js';
import type { Node } from './types.js';
import { MAX_OPTIONS, prim, type FileCtx, type PrimVal } from './values.js';

/** The type annotation that types a declared name: `x: T`, `{ x }: { x: T }`. */
export function annotationOf(name: Node): Node | undefined {
  const own = (name as TSESTree.Identifier).typeAnnotation;
  if (own) return own.typeAnnotation;
  // A name destructured from an annotated pattern: { name }: { name: 'A' | 'B' }
  const prop = name.parent;
  const pattern = prop?.parent;
  if (prop?.type === 'Property' && pattern?.type === 'ObjectPattern' && pattern.typeAnnotation?.typeAnnotation.type === 'TSTypeLiteral') {
    const key = staticKey(prop);
    for (const m of pattern.typeAnnotation.typeAnnotation.members) {
      if (m.type === 'TSPropertySignature' && !m.optional && m.typeAnnotation && staticKey(m as unknown as { key: Node; computed: boolean }) === key) return m.typeAnnotation.typeAnnotation;
    }
  }
  return undefined;
}

/** The values of a literal type (`'A'`, `'A' | 'B'`, an alias of one, `42`, `true`), or undefined for any other type. */
export function literalsOf(t: Node, ctx: FileCtx, depth = 0): PrimVal[] | undefined {
  if (depth > 6) return undefined;
  switch (t.type) {
    case 'TSTypeAnnotation':
      return literalsOf(t.typeAnnotation, ctx, depth + 1);
    case 'TSLiteralType': {
      const l = t.literal;
      if (l.type === 'Literal' && (typeof l.value === 'string' || typeof l.value === 'number' || typeof l.value === 'boolean')) return [{ k: 'prim', v: l.value, node: l, ctx, lit: l, litCtx: ctx }];
      if (l.type === 'TemplateLiteral' && l.expressions.length === 0) return [{ k: 'prim', v: l.quasis[0].value.cooked ?? '', node: l, ctx, lit: l, litCtx: ctx }];
      if (l.type === 'UnaryExpression' && l.operator === '-' && l.argument.type === 'Literal' && typeof l.argument.value === 'number') return [prim(-l.argument.value, { node: l, ctx })];
      return undefined;
    }
    case 'TSUnionType': {
      const out: PrimVal[] = [];
      for (const m of t.types) {
        const x = literalsOf(m, ctx, depth + 1);
        if (!x) return undefined;
        out.push(...x);
      }
      return out.length <= MAX_OPTIONS ? out : undefined;
    }
    case 'TSTypeReference': {
      if (t.typeName.type !== 'Identifier' || t.typeArguments) return undefined;
      return aliasLiterals(t.typeName, ctx, depth);
    }
    default:
      return undefined;
  }
}

function aliasLiterals(name: TSESTree.Identifier, ctx: FileCtx, depth: number): PrimVal[] | undefined {
  const v = ctx.refs.get(name)?.resolved;
  const def = v?.defs[0];
  if (!def) return undefined;
  if (def.type === 'Type' && def.node.type === 'TSTypeAliasDeclaration') return literalsOf(def.node.typeAnnotation, ctx, depth + 1);
  if (def.type === 'ImportBinding' && ctx.file && ctx.world.followImports) {
    const imp = importOf(def);
    if (!imp || imp.name === 'default' || imp.name === '*') return undefined;
    const file = ctx.world.resolveModule(ctx.file, imp.source);
    const mod = file ? ctx.world.loadModule(file) : undefined;
    if (!mod) return undefined;
    const wanted = imp.name;
    for (const st of mod.ast.body) {
      const d = st.type === 'ExportNamedDeclaration' ? st.declaration : undefined;
      if (d?.type === 'TSTypeAliasDeclaration' && d.id.name === wanted) return literalsOf(d.typeAnnotation, mod, depth + 1);
    }
  }
  return undefined;
}

