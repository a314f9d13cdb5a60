/**
 * Rule sets: JSON files in `rules/` (built in) or a project's own, which can extend others.
 *
 *   { "extends": "default", "rules": { "naming-convention": ["error", { "event_name": "snake_case" }], "permissive-point": "off" } }
 *
 * A rule's entry is a level ("error" | "warning" | "off") or [level, options]. Later sets win; options
 * are merged key by key onto the inherited ones, so one casing can change without restating the rest.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, escapePointer, isObject, own, readJsonFile } from '../plan/index.js';
import { createAjv } from '../schema/index.js';
import { RULES_BY_ID } from './rules/index.js';
import type { RuleLevel } from './types.js';

export const RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
export const DEFAULT_RULE_SET = 'default';
/** Looked for in the working directory when no --rules is given. */
export const PROJECT_RULES_FILE = 'dataplan.rules.json';

export interface RuleSetting {
  level: RuleLevel;
  options: Record<string, unknown>;
  /** The file that last set it. */
  from: string;
}

export interface RuleSet {
  /** Files read, base first. */
  files: string[];
  rules: Map<string, RuleSetting>;
}

export class RuleSetError extends InputError {
  override name = 'RuleSetError';
}

const LEVELS = new Set(['error', 'warning', 'off']);

/** A built-in set name (`default`, `strict`) or a path. */
export function resolveRuleSetRef(ref: string, fromDir: string): string {
  if (!ref.includes('/') && !ref.includes('\\') && !ref.endsWith('.json')) {
    const builtin = resolve(RULES_DIR, `${ref}.json`);
    if (existsSync(builtin)) return builtin;
  }
  return isAbsolute(ref) ? ref : resolve(fromDir, ref);
}

/** Read a rule set and everything it extends; every rule starts from its own defaults at level "off". */
export function loadRuleSet(ref: string, cwd = process.cwd()): RuleSet {
  const set: RuleSet = { files: [], rules: new Map() };
  for (const [id, rule] of RULES_BY_ID) set.rules.set(id, { level: 'off', options: { ...rule.meta.defaultOptions }, from: '' });
  apply(resolveRuleSetRef(ref, cwd), set, []);
  return set;
}

function apply(file: string, set: RuleSet, chain: string[]): void {
  if (chain.includes(file)) throw new RuleSetError(`rule sets extend each other in a cycle: ${[...chain, file].join(' → ')}`, file, '/extends');
  let json: unknown;
  try {
    json = readJsonFile(file);
  } catch (err) {
    if (err instanceof InputError) throw new RuleSetError(err.message.replace('cannot read: file not found', `rule set not found (built-in sets: default, strict)`), err.file, err.pointer, err.line, err.column);
    throw err;
  }
  if (!isObject(json)) throw new RuleSetError('a rule set is a JSON object with "rules" (and optionally "extends")', file, '');
  for (const k of Object.keys(json)) {
    if (!['extends', 'rules', 'description', '$schema'].includes(k)) throw new RuleSetError(`unknown key "${k}"`, file, `/${escapePointer(k)}`);
  }
  const ext = own(json, 'extends');
  const bases = ext === undefined ? [] : Array.isArray(ext) ? ext : [ext];
  bases.forEach((b, i) => {
    const at = Array.isArray(ext) ? `/extends/${i}` : '/extends';
    if (typeof b !== 'string') throw new RuleSetError('extends names a built-in set ("default", "strict") or a path to a rule set file', file, at);
    apply(resolveRuleSetRef(b, dirname(file)), set, [...chain, file]);
  });
  const rules = own(json, 'rules') ?? {};
  if (!isObject(rules)) throw new RuleSetError('"rules" is an object from rule id to a level or [level, options]', file, '/rules');
  for (const [id, entry] of Object.entries(rules)) {
    const at = `/rules/${escapePointer(id)}`;
    const rule = RULES_BY_ID.get(id);
    if (!rule) throw new RuleSetError(`unknown rule "${id}" (rules: ${[...RULES_BY_ID.keys()].join(', ')})`, file, at);
    const [level, options] = Array.isArray(entry) ? entry : [entry, undefined];
    if (typeof level !== 'string' || !LEVELS.has(level)) {
      throw new RuleSetError(`level is ${JSON.stringify(level)}; expected "error", "warning" or "off"`, file, Array.isArray(entry) ? `${at}/0` : at);
    }
    if (Array.isArray(entry) && entry.length > 2) throw new RuleSetError('expected [level, options]', file, at);
    const current = set.rules.get(id)!;
    const merged = options === undefined ? current.options : isObject(options) ? { ...current.options, ...options } : options;
    checkOptions(id, merged, file, `${at}/1`);
    set.rules.set(id, { level: level as RuleLevel, options: merged as Record<string, unknown>, from: file });
  }
  set.files.push(file);
}

const ajv = createAjv();
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

function checkOptions(id: string, options: unknown, file: string, at: string): void {
  let validate = validators.get(id);
  if (!validate) validators.set(id, (validate = ajv.compile(RULES_BY_ID.get(id)!.meta.schema)));
  if (validate(options)) return;
  const e = validate.errors![0];
  const where = e.instancePath ? ` at ${e.instancePath}` : '';
  const detail = e.keyword === 'additionalProperties' ? `unknown option "${String((e.params as { additionalProperty: string }).additionalProperty)}"`
    : e.keyword === 'enum' ? `${e.message} (${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')})`
      : e.message;
  throw new RuleSetError(`options of "${id}"${where}: ${detail}`, file, `${at}${e.instancePath}`);
}

/** The effective configuration, as a rule set document (for --print-config). */
export function ruleSetToJson(set: RuleSet): { files: string[]; rules: Record<string, [RuleLevel, Record<string, unknown>]> } {
  return { files: set.files, rules: Object.fromEntries([...set.rules].map(([id, s]) => [id, [s.level, s.options]])) };
}

/** JSON Schema of a rule set file, for editors (`rules/rule-set.schema.json` is generated from it). */
export function ruleSetSchema(): Record<string, unknown> {
  const level = { enum: ['error', 'warning', 'off'] };
  const rules: Record<string, unknown> = {};
  for (const [id, rule] of RULES_BY_ID) {
    rules[id] = {
      description: rule.meta.description,
      anyOf: [level, { type: 'array', prefixItems: [level, rule.meta.schema], minItems: 1, maxItems: 2 }],
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'dataplan lint-plan rule set',
    type: 'object',
    properties: {
      $schema: { type: 'string' },
      description: { type: 'string' },
      extends: { description: 'built-in set ("default", "strict") or path(s) to rule set files, relative to this file', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      rules: { type: 'object', properties: rules, additionalProperties: false },
    },
    additionalProperties: false,
  };
}
