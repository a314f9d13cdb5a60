/** Where subschemas live inside a JSON Schema, so it can be walked and repaired. */

export const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
export const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
export const SCHEMA_KEYWORDS = new Set([
  'additionalProperties', 'items', 'additionalItems', 'contains', 'propertyNames', 'not', 'if', 'then', 'else',
  'unevaluatedProperties', 'unevaluatedItems',
]);

export type SchemaObject = Record<string, unknown>;

export function isSchemaObject(v: unknown): v is SchemaObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Visit every schema object with its JSON pointer (relative to the root schema). */
export function eachSchema(root: unknown, visit: (node: SchemaObject, at: string) => void, at = ''): void {
  if (!isSchemaObject(root)) return;
  visit(root, at);
  for (const [kw, v] of Object.entries(root)) {
    const here = `${at}/${esc(kw)}`;
    if (SCHEMA_MAP_KEYWORDS.has(kw) && isSchemaObject(v)) {
      for (const [k, sub] of Object.entries(v)) eachSchema(sub, visit, `${here}/${esc(k)}`);
    } else if (SCHEMA_ARRAY_KEYWORDS.has(kw) && Array.isArray(v)) {
      v.forEach((sub, i) => eachSchema(sub, visit, `${here}/${i}`));
    } else if (kw === 'items' && Array.isArray(v)) {
      v.forEach((sub, i) => eachSchema(sub, visit, `${here}/${i}`));
    } else if (SCHEMA_KEYWORDS.has(kw)) {
      eachSchema(v, visit, here);
    } else if (kw === 'dependencies' && isSchemaObject(v)) {
      for (const [k, sub] of Object.entries(v)) if (isSchemaObject(sub)) eachSchema(sub, visit, `${here}/${esc(k)}`);
    }
  }
}

function esc(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unesc(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Find the keyword a pointer into a schema belongs to: `/properties/a/minimum` → (schema at
 * /properties/a, "minimum"); `/required/0` → (root, "required").
 */
export function keywordAt(root: SchemaObject, ptr: string): { node: SchemaObject; keyword: string; at: string } | undefined {
  const segs = ptr.split('/').slice(1).map(unesc);
  let node: SchemaObject = root;
  let at = '';
  for (let i = 0; i < segs.length; i++) {
    const kw = segs[i];
    const v = node[kw];
    const next = segs[i + 1];
    if (next !== undefined && SCHEMA_MAP_KEYWORDS.has(kw) && isSchemaObject(v) && isSchemaObject(v[next]) && i + 2 < segs.length) {
      at += `/${esc(kw)}/${esc(next)}`;
      node = v[next] as SchemaObject;
      i++;
      continue;
    }
    if (next !== undefined && (SCHEMA_ARRAY_KEYWORDS.has(kw) || kw === 'items') && Array.isArray(v) && isSchemaObject(v[Number(next)]) && i + 2 < segs.length) {
      at += `/${esc(kw)}/${next}`;
      node = v[Number(next)] as SchemaObject;
      i++;
      continue;
    }
    if (next !== undefined && SCHEMA_KEYWORDS.has(kw) && isSchemaObject(v)) {
      at += `/${esc(kw)}`;
      node = v;
      continue;
    }
    return { node, keyword: kw, at: `${at}/${esc(kw)}` };
  }
  return undefined;
}

/** Deep copy of plain JSON. */
export function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
