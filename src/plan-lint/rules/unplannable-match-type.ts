/** Match types that exist in files and the Node validator, but that the mParticle platform cannot plan. */
import { NEVER_MATCHED_TYPES, PLATFORM_TYPES, MATCHABLE_TYPES } from '../../plan/index.js';
import type { PlanRule } from '../types.js';

export interface UnplannableOptions {
  /** Types to accept anyway (e.g. a plan only ever checked with the Node validator). */
  allow: string[];
}

export const unplannableMatchType: PlanRule<UnplannableOptions, 'nodeOnly' | 'never'> = {
  id: 'unplannable-match-type',
  meta: {
    description: 'every data point uses a match type the mParticle platform can plan',
    messages: {
      nodeOnly: 'match type "{{type}}" cannot be planned on the mParticle platform, which ignores this point (dataplan and the official Node validator still match it)',
      never: 'match type "{{type}}" is in the models package but never matches any event anywhere; the point checks nothing',
    },
    schema: { type: 'object', properties: { allow: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
    defaultOptions: { allow: [] },
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      const t = point.matchType;
      if (!t || PLATFORM_TYPES.has(t) || ctx.options.allow.includes(t)) continue;
      const pointer = `${point.pointer}/match/type`;
      if ((NEVER_MATCHED_TYPES as readonly string[]).includes(t)) ctx.report({ point, pointer, messageId: 'never', data: { type: t } });
      else if ((MATCHABLE_TYPES as readonly string[]).includes(t)) ctx.report({ point, pointer, messageId: 'nodeOnly', data: { type: t } });
      // Unknown types are the core's unknown_match_type (rule plan-check).
    }
  },
};
