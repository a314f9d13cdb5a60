/** Data points (and optionally their attributes) say what they are for. */
import { isObject } from '../../plan/index.js';
import { attributesOf } from '../points.js';
import type { PlanRule } from '../types.js';

export interface DescriptionOptions {
  /** Every data point needs a non-empty `description`. */
  points: boolean;
  /** Every planned attribute needs a non-empty `description` in its schema. */
  attributes: boolean;
}

export const descriptionRequired: PlanRule<DescriptionOptions, 'point' | 'attribute'> = {
  id: 'description-required',
  meta: {
    description: 'data points (and, when configured, their attributes) have a non-empty description',
    messages: {
      point: 'data point has no description',
      attribute: '{{kind}} "{{name}}" has no description',
    },
    schema: { type: 'object', properties: { points: { type: 'boolean' }, attributes: { type: 'boolean' } }, additionalProperties: false },
    defaultOptions: { points: true, attributes: false },
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      if (ctx.options.points && point.description.trim() === '') ctx.report({ point, pointer: `${point.pointer}/description`, messageId: 'point' });
      if (!ctx.options.attributes) continue;
      for (const a of attributesOf(point)) {
        const d = isObject(a.schema) ? a.schema.description : undefined;
        if (typeof d !== 'string' || d.trim() === '') ctx.report({ point, pointer: a.pointer, messageId: 'attribute', data: { kind: a.kind.replace('_', ' '), name: a.name } });
      }
    }
  },
};
