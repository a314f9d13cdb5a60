/** Patterns a backtracking matcher can take exponential time on: one long value hangs validation. */
import { HAZARD_KINDS, findCatastrophicBacktracking } from '../../regex/index.js';
import { eachPattern, regexProblem } from './invalid-regex.js';
import type { PlanRule } from '../types.js';

export const catastrophicRegex: PlanRule<Record<string, never>, 'catastrophic'> = {
  id: 'catastrophic-regex',
  meta: {
    description: 'no pattern with catastrophic (exponential) backtracking: nested quantifiers, ambiguous repeated alternatives',
    messages: {
      catastrophic: 'pattern {{pattern}}: {{fragment}} is {{kind}}, so a long value that almost matches takes exponential time to reject (catastrophic backtracking); make the repeated parts unable to match the same text',
    },
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      eachPattern(point, (p, pointer) => {
        if (typeof p !== 'string') return;
        const bad = regexProblem(p);
        if (bad && !bad.withoutUnicode) return; // invalid-regex reports it
        const r = findCatastrophicBacktracking(p);
        if (r) ctx.report({ point, pointer, messageId: 'catastrophic', data: { pattern: JSON.stringify(p), fragment: JSON.stringify(r.fragment), kind: HAZARD_KINDS[r.kind] } });
      });
    }
  },
};
