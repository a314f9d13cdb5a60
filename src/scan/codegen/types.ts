/** JSON Schema → TypeScript type text, for the attribute objects of generated functions. */
import { isObject } from '../../plan/index.js';

type Schema = Record<string, unknown>;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function propertyKey(name: string): string {
  return IDENT.test(name) ? name : quote(name);
}

export function access(obj: string, name: string): string {
  return IDENT.test(name) ? `${obj}.${name}` : `${obj}[${quote(name)}]`;
}

export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

function literal(v: unknown): string | undefined {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  return undefined;
}

function types(s: Schema): Set<string> | undefined {
  if (typeof s.type === 'string') return new Set([s.type]);
  if (Array.isArray(s.type)) return new Set(s.type.filter((t): t is string => typeof t === 'string'));
  return undefined;
}

const SCALARS: Record<string, string> = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null' };

/**
 * The type of a scalar value (enum → union of literals, const → literal, type → string/number/boolean/null).
 * Undefined when the schema only allows objects or arrays.
 */
export function scalarType(schema: unknown): string | undefined {
  const s = isObject(schema) ? schema : {};
  const ts = types(s);
  const allowed = (v: unknown) => {
    if (!ts) return true;
    const t = v === null ? 'null' : typeof v;
    return ts.has(t) || (t === 'number' && (ts.has('integer') || ts.has('number')));
  };
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) {
    const lits = s.enum.filter(allowed).map(literal).filter((x): x is string => x !== undefined);
    return lits.length ? [...new Set(lits)].join(' | ') : 'never';
  }
  if (!ts) return 'AttributeValue';
  const out = [...ts].map((t) => SCALARS[t]).filter((x): x is string => x !== undefined);
  return out.length ? [...new Set(out)].join(' | ') : undefined;
}

/** Element type of a list attribute (`type: array`), for user attribute lists. */
export function listType(schema: unknown): string | undefined {
  const s = isObject(schema) ? schema : {};
  const ts = types(s);
  if (!ts || !ts.has('array')) return undefined;
  const item = scalarType(s.items) ?? 'AttributeValue';
  return item.includes('|') ? `(${item})[]` : `${item}[]`;
}

/** JSDoc lines for an attribute: description and the rules its value must meet. */
export function attributeDocs(schema: unknown): string[] {
  const s = isObject(schema) ? schema : {};
  const lines: string[] = [];
  if (typeof s.description === 'string' && s.description.trim()) lines.push(s.description.trim());
  const rules: string[] = [];
  if (typeof s.pattern === 'string') rules.push(`pattern \`${s.pattern.replace(/\*\//g, '*\\/')}\``);
  if (typeof s.format === 'string') rules.push(`format ${s.format}`);
  for (const k of ['minimum', 'exclusiveMinimum', 'maximum', 'exclusiveMaximum', 'minLength', 'maxLength', 'multipleOf']) {
    if (typeof s[k] === 'number') rules.push(`${k} ${s[k] as number}`);
  }
  if (rules.length) lines.push(`Must match: ${rules.join(', ')}.`);
  return lines;
}

export interface ObjectShape {
  /** Type literal text, one property per line with JSDoc. */
  text: string;
  /** Properties the function passes on, in plan order. */
  keys: string[];
  required: string[];
  /** Whether unlisted keys are allowed (additionalProperties is not false). */
  open: boolean;
  /** Planned attributes that cannot be sent this way (objects, arrays), with why. */
  skipped: { name: string; why: string }[];
}

/** The attribute object type for an object schema (`custom_attributes`, a product's attributes, user attributes). */
export function objectShape(schema: unknown, opts: { lists?: boolean; allOptional?: boolean } = {}): ObjectShape {
  const s = isObject(schema) ? schema : {};
  const props = isObject(s.properties) ? s.properties : {};
  const required = new Set(Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : []);
  const lines: string[] = [];
  const keys: string[] = [];
  const skipped: { name: string; why: string }[] = [];
  for (const [name, sub] of Object.entries(props)) {
    let t = scalarType(sub);
    if (t === undefined && opts.lists) t = listType(sub);
    if (t === undefined) {
      skipped.push({ name, why: 'objects and arrays are not sent as attributes by the web SDK' });
      continue;
    }
    const docs = attributeDocs(sub);
    if (docs.length) lines.push(docs.length === 1 ? `/** ${docs[0]} */` : `/**\n${docs.map((d) => ` * ${d}`).join('\n')}\n */`);
    lines.push(`${propertyKey(name)}${required.has(name) && !opts.allOptional ? '' : '?'}: ${t};`);
    keys.push(name);
  }
  const open = s.additionalProperties !== false;
  if (open) lines.push('/** Not planned: any other attribute is accepted. */', `[key: string]: AttributeValue${opts.lists ? ' | AttributeValue[]' : ''} | undefined;`);
  for (const sk of skipped) lines.push(`// "${sk.name}" is planned but not settable here: ${sk.why}.`);
  const text = lines.length ? `{\n${lines.join('\n')}\n}` : 'Record<string, never>';
  return { text, keys, required: keys.filter((k) => required.has(k)), open, skipped };
}
