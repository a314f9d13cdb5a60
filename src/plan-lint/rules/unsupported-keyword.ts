/** JSON Schema keywords the Data Planning API documents as unsupported in plan schemas. */
import { eachPointSchema } from '../points.js';
import type { PlanRule } from '../types.js';

export const UNSUPPORTED_KEYWORDS = [
  '$ref', '$recursiveRef', '$recursiveAnchor', 'patternProperties', 'allOf', 'anyOf', 'oneOf', 'if', 'then', 'else', 'not',
  'dependencies', 'dependentRequired', 'dependentSchemas',
];

export const unsupportedKeyword: PlanRule<{ keywords: string[] }, 'unsupported'> = {
  id: 'unsupported-keyword',
  meta: {
    description: 'schemas use only keywords the mParticle platform supports in data plans',
    messages: {
      unsupported: '"{{keyword}}" is not supported in mParticle plan schemas (the platform may reject or ignore it); dataplan still evaluates it locally',
    },
    schema: { type: 'object', properties: { keywords: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    defaultOptions: { keywords: UNSUPPORTED_KEYWORDS },
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      eachPointSchema(point, (node, at) => {
        for (const kw of ctx.options.keywords) if (kw in node) ctx.report({ point, pointer: `${at}/${kw}`, messageId: 'unsupported', data: { keyword: kw } });
      });
    }
  },
};
