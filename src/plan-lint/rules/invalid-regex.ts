/** Patterns that do not compile in the ECMAScript (unicode) dialect ajv and JSON Schema use. */
import { escapePointer } from '../../plan/index.js';
import { eachPointSchema } from '../points.js';
import type { PlanRule } from '../types.js';

export function regexProblem(p: unknown): { error: string; withoutUnicode: boolean } | undefined {
  if (typeof p !== 'string') return { error: `is ${p === null ? 'null' : typeof p}, not a string`, withoutUnicode: false };
  try {
    new RegExp(p, 'u');
    return undefined;
  } catch (e) {
    const error = (e as Error).message.replace(/^Invalid regular expression: (?:\/[\s\S]*\/[a-z]*: )?/, '');
    let withoutUnicode = false;
    try {
      new RegExp(p);
      withoutUnicode = true;
    } catch {
      // invalid either way
    }
    return { error, withoutUnicode };
  }
}

/** Every pattern in a point: `pattern` values and `patternProperties` keys, with their pointers. */
export function eachPattern(point: Parameters<typeof eachPointSchema>[0], visit: (pattern: unknown, pointer: string) => void): void {
  eachPointSchema(point, (node, at) => {
    if ('pattern' in node) visit(node.pattern, `${at}/pattern`);
    const pp = node.patternProperties;
    if (pp && typeof pp === 'object' && !Array.isArray(pp)) for (const k of Object.keys(pp)) visit(k, `${at}/patternProperties/${escapePointer(k)}`);
  });
}

export const invalidRegex: PlanRule<Record<string, never>, 'invalid' | 'unicodeOnly'> = {
  id: 'invalid-regex',
  meta: {
    description: 'every pattern is a valid regular expression (ECMAScript, unicode mode, as ajv compiles it)',
    messages: {
      invalid: 'pattern {{pattern}} is not a valid regular expression: {{error}}; it is not checked',
      unicodeOnly: 'pattern {{pattern}} is invalid in unicode mode, which JSON Schema validators use ({{error}}); escape the character or drop the needless escape',
    },
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      eachPattern(point, (p, pointer) => {
        const bad = regexProblem(p);
        if (bad) ctx.report({ point, pointer, messageId: bad.withoutUnicode ? 'unicodeOnly' : 'invalid', data: { pattern: JSON.stringify(p), error: bad.error } });
      });
    }
  },
};
