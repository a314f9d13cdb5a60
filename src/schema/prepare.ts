/**
 * Check a data point's schema before compiling it, and repair what is broken: a bad keyword is
 * reported with its JSON pointer and removed, so the rest of the point is still checked.
 */
import type { PlanProblem } from '../plan/types.js';
import { problem } from '../plan/load.js';
import { HAZARD_KINDS, analysePattern } from '../regex/index.js';
import { knownFormats, sharedAjv, type Ajv } from './ajv.js';
import { metaValid } from './meta.js';
import { cloneJson, eachSchema, isSchemaObject, keywordAt, type SchemaObject } from './walk.js';

export interface PreparedSchema {
  schema: SchemaObject;
  problems: PlanProblem[];
}

const TYPE_NAMES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/**
 * @param at JSON pointer of the definition in the plan file, for problem reports.
 * @param ajv an instance, or how to get one: it is needed only for schemas beyond the plan vocabulary.
 */
export function prepareSchema(definition: SchemaObject, file: string, at: string, ajv: Ajv | (() => Ajv) = sharedAjv): PreparedSchema {
  const schema = cloneJson(definition);
  const problems: PlanProblem[] = [];
  const formats = knownFormats(typeof ajv === 'function' ? undefined : ajv);
  const report = (code: string, message: string, where: string, expected: string) =>
    problems.push(problem(code === 'unknown_format' ? 'warning' : 'error', code, message, file, at + where, expected));

  delete schema.$schema;
  eachSchema(schema, (node, where) => {
    // Ids would clash inside one ajv instance; plans never rely on them.
    delete node.$id;
    if (typeof node.id === 'string') delete node.id;
    upgradeDraft4(node);
    // Annotations have no effect on validity: one the meta-schema would reject (`"description": null`) is dropped, not an error.
    for (const k of ['description', 'title', '$comment']) if (k in node && typeof node[k] !== 'string') delete node[k];
    if ('pattern' in node) {
      const p = node.pattern;
      if (typeof p !== 'string') {
        report('invalid_regex', `invalid pattern ${JSON.stringify(p)}: is not a string; the pattern is not checked`, `${where}/pattern`, 'a valid regular expression (ECMAScript, unicode mode)');
        delete node.pattern;
      } else if (!checkPattern(p, `${where}/pattern`, report)) delete node.pattern;
    }
    if (isSchemaObject(node.patternProperties)) {
      for (const key of Object.keys(node.patternProperties)) {
        if (!checkPattern(key, `${where}/patternProperties/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, report)) delete (node.patternProperties as SchemaObject)[key];
      }
    }
    if ('format' in node) {
      const f = node.format;
      if (typeof f !== 'string' || !formats.has(f)) {
        report('unknown_format', `unknown format ${JSON.stringify(f)}; the format is not checked`, `${where}/format`, `one of ${[...formats].join(', ')}`);
        delete node.format;
      }
    }
    if ('type' in node) {
      const t = node.type;
      const list = Array.isArray(t) ? t : [t];
      const bad = list.filter((x) => typeof x !== 'string' || !TYPE_NAMES.has(x));
      if (bad.length > 0) {
        report('invalid_schema', `unknown type ${JSON.stringify(bad.length === 1 ? bad[0] : bad)}; the type is not checked`, `${where}/type`, `one of ${[...TYPE_NAMES].join(', ')}`);
        delete node.type;
      }
    }
  });

  if (metaValid(schema)) return { schema, problems };
  // Anything else the meta-schema rejects: remove that keyword and try again.
  const meta = typeof ajv === 'function' ? ajv() : ajv;
  for (let round = 0; round < 20; round++) {
    if (meta.validateSchema(schema) === true) break;
    const errors = meta.errors ?? [];
    let removed = false;
    for (const e of errors) {
      const loc = keywordAt(schema, e.instancePath);
      if (!loc || !(loc.keyword in loc.node)) continue;
      report('invalid_schema', `invalid "${loc.keyword}": ${e.message ?? 'rejected by the JSON Schema meta-schema'}; the keyword is not checked`, loc.at, 'a valid JSON Schema keyword value');
      delete loc.node[loc.keyword];
      removed = true;
      break;
    }
    if (!removed) break;
  }
  return { schema, problems };
}

/** Draft-04 plans: boolean exclusive limits and `dependencies`. */
function upgradeDraft4(node: SchemaObject): void {
  for (const [ex, lim] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof node[ex] === 'boolean') {
      if (node[ex] === true && typeof node[lim] === 'number') {
        node[ex] = node[lim];
        delete node[lim];
      } else delete node[ex];
    }
  }
  if (isSchemaObject(node.dependencies)) {
    const req: Record<string, unknown> = {};
    const sch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node.dependencies)) (Array.isArray(v) ? req : sch)[k] = v;
    if (Object.keys(req).length) node.dependentRequired = req;
    if (Object.keys(sch).length) node.dependentSchemas = sch;
    delete node.dependencies;
  }
}

type Report = (code: string, message: string, where: string, expected: string) => void;

/**
 * Report a pattern that is invalid, or that a backtracking matcher can take exponential time on;
 * false when it must not run here (invalid, or catastrophic with no linear-time form).
 */
function checkPattern(p: string, where: string, report: Report): boolean {
  const a = analysePattern(p);
  if (a.error) {
    report('invalid_regex', `invalid pattern ${JSON.stringify(p)}: ${a.error}; the pattern is not checked`, where, 'a valid regular expression (ECMAScript, unicode mode)');
    return false;
  }
  if (!a.hazard) return true;
  const why = `pattern ${JSON.stringify(p)}: ${JSON.stringify(a.hazard.fragment)} is ${HAZARD_KINDS[a.hazard.kind]}, so a backtracking matcher (JavaScript, ajv) can take exponential time on a long value that almost matches`;
  report('catastrophic_regex', a.linear !== undefined
    ? `${why}; dataplan checks it in linear time, but other tools that read this plan can hang`
    : `${why}, and its backreference or lookaround leaves no linear-time form; the pattern is not checked`,
  where, 'a pattern whose repeated parts cannot match the same text');
  return a.linear !== undefined;
}
