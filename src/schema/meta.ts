/**
 * The meta-schema check for schemas in the plan vocabulary (the evaluator's keywords), done here
 * without ajv. `true` means the JSON Schema 2020-12 meta-schema accepts the schema; `false` means
 * "not sure": the caller asks ajv, which also names what is wrong. Never true where ajv would object.
 */
import { FORMATS } from './formats.js';
import { isSchemaObject } from './walk.js';

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);
const STRINGS = new Set(['description', 'title', '$comment', 'contentMediaType', 'contentEncoding', 'format']);
const BOOLEANS = new Set(['deprecated', 'readOnly', 'writeOnly', 'uniqueItems']);
const NUMBERS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const COUNTS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']);
const ANY = new Set(['const', 'default']);
const isRegex = FORMATS.regex as (s: string) => boolean;

function uniqueStrings(v: unknown, allowed?: Set<string>): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'string' && (!allowed || allowed.has(x))) && new Set(v).size === v.length;
}

export function metaValid(s: unknown, depth = 0): boolean {
  if (!isSchemaObject(s) || depth > 32) return false;
  for (const [k, v] of Object.entries(s)) {
    if (ANY.has(k)) continue;
    if (STRINGS.has(k)) {
      if (typeof v !== 'string') return false;
    } else if (BOOLEANS.has(k)) {
      if (typeof v !== 'boolean') return false;
    } else if (NUMBERS.has(k)) {
      if (typeof v !== 'number') return false;
    } else if (COUNTS.has(k)) {
      if (!Number.isInteger(v) || (v as number) < 0) return false;
    } else if (k === 'multipleOf') {
      if (typeof v !== 'number' || !(v > 0)) return false;
    } else if (k === 'type') {
      if (!(typeof v === 'string' ? TYPES.has(v) : uniqueStrings(v, TYPES) && (v as unknown[]).length > 0)) return false;
    } else if (k === 'enum' || k === 'examples') {
      if (!Array.isArray(v)) return false;
    } else if (k === 'required') {
      if (!uniqueStrings(v)) return false;
    } else if (k === 'pattern') {
      if (typeof v !== 'string' || !isRegex(v)) return false;
    } else if (k === 'properties') {
      if (!isSchemaObject(v) || !Object.values(v).every((x) => metaValid(x, depth + 1))) return false;
    } else if (k === 'additionalProperties' || k === 'items') {
      if (typeof v !== 'boolean' && !metaValid(v, depth + 1)) return false;
    } else return false;
  }
  return true;
}
