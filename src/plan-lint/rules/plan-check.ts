/** What the core finds when it loads and compiles the plan (criteria, schemas, formats, duplicates). */
import type { PlanRule } from '../types.js';

export const planCheck: PlanRule<Record<string, never>, 'problem'> = {
  id: 'plan-check',
  meta: {
    description: 'the problems `dataplan plan check` reports: unknown match types, bad criteria, schemas that do not compile, unknown formats, duplicate match keys (at most this rule\'s severity)',
    messages: { problem: '{{message}}{{expected}}' },
    schema: { type: 'object', additionalProperties: false },
    defaultOptions: {},
  },
  check(ctx) {
    const v = ctx.version.version;
    const points = new Map(v.points.map((p) => [p.pointer, p]));
    const inVersion = (ptr: string) => ptr === v.pointer || ptr.startsWith(`${v.pointer}/`) || ptr.startsWith(v.pointer.replace(/\/version_document$/, '') + '/');
    for (const p of ctx.plan.problems) {
      // Reported by their own rules: invalid-regex, catastrophic-regex, unplannable-match-type.
      if (p.code === 'invalid_regex' || p.code === 'catastrophic_regex' || p.code === 'unmatched_match_type') continue;
      if (!inVersion(p.pointer)) continue;
      const m = /^(.*\/data_points\/\d+)(?:\/|$)/.exec(p.pointer);
      ctx.report({
        point: m ? points.get(m[1]) : undefined, pointer: p.pointer, messageId: 'problem', severity: p.severity, code: p.code,
        data: { message: p.message, expected: p.expected ? ` (expected ${p.expected})` : '' },
      });
    }
  },
};
